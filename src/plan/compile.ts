import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Plan } from '../../generated/plan.js';
import { checkContext, contextReader, readTexts, walkContext } from '../config/context.js';
import { detectIncludePaths, detectProject, detectionCandidates, INPUT_FILE, needsGitVersion } from '../config/detect.js';
import { readGitDescribe } from '../config/git.js';
import { readdir, readFile } from 'node:fs/promises';
import { compileIgnore, ignorePatterns } from '../config/ignore.js';
import { flagsToSource, mergeConfig, type ConfigSource, type FlagValues, type MergedConfig } from '../config/merge.js';
import { isDiagnostic, readTomlFile } from '../config/read.js';
import { validateConfig } from '../config/validate.js';
import { ConfigError, RegistryError, throwIfDiagnostics, type Diagnostic } from '../errors.js';
import type { DependencyLayer } from '../../generated/plan.js';
import { baseBlobSource } from '../apply/base.js';
import { BlobCache, defaultCacheDir } from '../cache/store.js';
import type { Detection } from '../config/detect.js';
import { DistributionStore } from '../python/download.js';
import { resolveDependencies } from './dependencies.js';
import { existingVenvLayer, findExistingVenv } from '../python/existing-venv.js';
import { sha256Hex, sha256OfStream } from '../oci/digest.js';
import { layerTar, withParents } from '../oci/layer.js';
import type { BaseConfig } from '../oci/image.js';
import { parseOciRef, resolveLayoutImage, type ResolvedBase, type ResolvedBaseImage } from '../oci/layout.js';
import { RegistryClient } from '../registry/client.js';
import { findCredential } from '../registry/credentials.js';
import { formatReference, parseReference } from '../registry/reference.js';
import { resolveRegistryBase } from '../registry/resolve.js';
import { assembleAppEntries, assemblePlan, resolvePython, resolveSettings, type Resolved } from './assemble.js';
import type { Entry } from '../../generated/plan.js';

/** Options of compilePlan: what `pycontainer plan` takes. */
export interface CompileOptions {
  /** The project directory; default: the current directory. */
  context?: string;
  /** A pycontainer.toml elsewhere than `<context>/pycontainer.toml`. */
  config?: string;
  flags?: FlagValues;
  /** Where relative flag paths start; default process.cwd(). */
  cwd?: string;
  /** SOURCE_DATE_EPOCH and friends; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Registry access for base images (credentials, insecure hosts); default: credentials from the usual places. */
  registry?: RegistryClient;
  /**
   * Re-plan without the network: a registry base is taken from this earlier plan, which must pin the
   * same reference for every platform.
   */
  offline?: { pinned: Plan | undefined; source: string };
  /**
   * The committed plan whose pins to keep (like a lock file): its base image digests are reused when it
   * names the same base for every platform, instead of resolving the tag again. Omit to re-resolve
   * (`--upgrade`, `--upgrade-base`, `--check`).
   */
  pins?: Plan;
  /** The cache for pulled base layers and wheels; null for none; default $XDG_CACHE_HOME/pycontainer. */
  cache?: BlobCache | null;
  /** Called for each warning (the CLI prints them). */
  onWarning?: (message: string) => void;
}

/**
 * Compiles a project into a plan: reads pyproject.toml, pycontainer.toml and flags, detects what is
 * not configured, lists and hashes the application files (their layer's diff_id in the same pass),
 * reads the base image, and assembles the plan. The same inputs give the same plan, byte for byte.
 */
export async function compilePlan(options: CompileOptions = {}): Promise<Plan> {
  return (await compileProject(options)).plan;
}

/** compilePlan, also returning the merged configuration (build reads its apply-time settings: cache). */
export async function compileProject(options: CompileOptions = {}): Promise<{ plan: Plan; config: MergedConfig; context: string }> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const contextShown = options.context ?? '.';
  const context = resolve(cwd, contextShown);
  await checkContext(context, contextShown);

  // 1. Configuration files and flags, every problem collected before any is reported.
  const diagnostics: Diagnostic[] = [];
  const sources: ConfigSource[] = [];
  const { source: flagSource, diagnostics: flagProblems } = flagsToSource(absolutizeFlags(options.flags ?? {}, cwd, context));
  diagnostics.push(...flagProblems);
  sources.push(flagSource);
  const configPath = options.config ? resolve(cwd, options.config) : join(context, 'pycontainer.toml');
  const pycontainerToml = await readTomlFile(configPath, shownPath(context, configPath));
  if (options.config && pycontainerToml === undefined) {
    diagnostics.push({ source: '--config', message: `${options.config}: file not found` });
  }
  const pyproject = await readTomlFile(join(context, 'pyproject.toml'), 'pyproject.toml');
  const inputs: { path: string; sha256: string }[] = [];
  for (const [file, prefix] of [
    [pycontainerToml, []],
    [pyproject, ['tool', 'pycontainer']],
  ] as const) {
    if (file === undefined) continue;
    if (isDiagnostic(file)) {
      diagnostics.push(file);
      continue;
    }
    inputs.push({ path: file.path, sha256: file.sha256 });
    const table = prefix.length ? ((file.data.tool as Record<string, unknown> | undefined)?.pycontainer) : file.data;
    if (table === undefined) continue;
    const { config, diagnostics: problems } = validateConfig(table, file, [...prefix]);
    diagnostics.push(...problems);
    if (config) sources.push({ label: file.path, file, prefix: [...prefix], config });
  }
  throwIfDiagnostics(diagnostics);
  const merged = mergeConfig(sources);

  // 2. The context, minus ignored files.
  const ignoreTexts = await readTexts(context, ['.dockerignore', '.gitignore']);
  const extra: string[] = [];
  const output = merged.build.output;
  if (output) {
    // Never copy a previous image into the next one.
    const rel = relative(context, resolve(context, output.replace(/^oci:/, '')));
    if (rel && !rel.startsWith('..')) extra.push(rel.split(sep).join('/'));
  }
  const exclude = ignorePatterns({
    ...(ignoreTexts['.gitignore'] !== undefined ? { gitignore: ignoreTexts['.gitignore'] } : {}),
    ...(ignoreTexts['.dockerignore'] !== undefined ? { dockerignore: ignoreTexts['.dockerignore'] } : {}),
    exclude: merged.build.exclude ?? [],
    extra,
  });
  const rules = compileIgnore(exclude);
  const files = await walkContext(context, rules);

  // 3. Detection over what detection reads.
  const includeGuess = merged.build.include_paths ?? detectIncludePaths(files).value;
  // Lock files and the like are inputs even when ignored for the image: read them from the root listing.
  const inputFiles = (await readdir(context)).filter((name) => INPUT_FILE.test(name)).sort();
  const texts = await readTexts(context, [...inputFiles, ...detectionCandidates(files, includeGuess)]);
  // Every input file at the root, hashed as raw bytes (apply hashes them the same way).
  for (const path of inputFiles) inputs.push({ path, sha256: sha256Hex(await readFile(join(context, path))) });
  const workdirGuess = merged.build.workdir ?? '/app';
  const pyprojectData = pyproject && !isDiagnostic(pyproject) ? { pyproject: pyproject.data } : {};
  // git runs only for a project whose version is computed at build time (or stated nowhere).
  const gitDescribe = needsGitVersion({ ...pyprojectData, texts }) ? await readGitDescribe(context) : undefined;
  const detection = detectProject(
    {
      ...pyprojectData,
      files,
      texts,
      venv: `${workdirGuess.replace(/\/+$/, '')}/.venv`,
      // The directory's name only (never its path): the project's name when nothing declares one.
      contextName: basename(context),
      ...(gitDescribe ? { gitDescribe } : {}),
    },
    merged.build.include_paths,
  );
  const { resolved: partial, diagnostics: settingProblems } = resolveSettings(merged, detection);
  throwIfDiagnostics(settingProblems);

  // 4. The base image, pinned by digest.
  const client = options.registry ?? new RegistryClient({ credential: (registry) => findCredential(registry, { env }) });
  const { ref: baseRef, base } = await resolveBase(partial.baseRef, context, partial.platforms, client, options.offline, options.pins);
  partial.baseRef = baseRef;
  const warnings: string[] = [...partial.warnings, ...detection.warnings];
  // A warning about the detected command (a development server) is moot when the user chose the command.
  if (!merged.build.entrypoint && !merged.build.cmd) warnings.push(...detection.commandWarnings);
  partial.provenance['project.name'] = detection.projectWhy.name;
  partial.provenance['project.version'] = detection.projectWhy.version;
  // An index URL with user:password in a requirements file would be copied into the image with it.
  for (const path of inputFiles) {
    if (/^requirements[^/]*\.(txt|in)$/.test(path) && /:\/\/[^/\s:@]+:[^/\s@]+@/.test(texts[path] ?? '') && partial.includePaths.some((p) => p === path || p === '.' || p === '')) {
      warnings.push(`${path} has a password in an index URL and is copied into the image; write it as \${VARIABLE} (pycontainer and pip expand it) or put the credentials in ~/.netrc`);
    }
  }
  const python = resolvePython(detection, base, partial.provenance, warnings);
  const resolved: Resolved = { ...partial, ...python, warnings };

  // The dependency layer per platform, from the lock, when there is one (or include_deps asks).
  const cache = options.cache === null ? undefined : (options.cache ?? new BlobCache(defaultCacheDir(env)));
  const dependencies = await planDependencies(context, merged, detection, resolved, base, client, cache, env, warnings);

  // 5. The application layer: entries, then one streaming pass for file digests and the diff_id.
  const { entries, diagnostics: entryProblems } = assembleAppEntries(files, resolved, detection);
  throwIfDiagnostics(entryProblems);
  const hashed = await hashLayer(context, entries, mtimeOf(env));

  const reproducible = merged.build.reproducible ?? true;
  const plan = assemblePlan({
    resolved,
    merged,
    detection,
    ...(base ? { base } : {}),
    dependencies,
    appLayer: { ...hashed, include: resolved.includePaths, exclude },
    inputs: dedupeInputs(inputs),
    created: reproducible ? mtimeOf(env) : Math.floor(Date.now() / 1000),
    mtime: mtimeOf(env),
  });
  for (const w of resolved.warnings) options.onWarning?.(w);
  return { plan, config: merged, context };
}

/**
 * The dependency layers, one per platform. include_deps unset: installed when a lock is found; a
 * requirements file without pins and hashes is not a lock, and gets a warning. include_deps = true: a
 * missing or unhashed lock is an error. include_deps = false: none, and a warning if the project
 * declares dependencies.
 */
async function planDependencies(
  context: string,
  merged: MergedConfig,
  detection: Detection,
  resolved: Resolved,
  base: ResolvedBase | undefined,
  client: RegistryClient,
  cache: BlobCache | undefined,
  env: NodeJS.ProcessEnv,
  warnings: string[],
): Promise<DependencyLayer[]> {
  const wanted = merged.build.include_deps;
  const declared = detection.project.knownPackages;
  const notInstalled = (why: string) =>
    declared.length &&
    warnings.push(
      `the project depends on ${declared.slice(0, 5).join(', ')}${declared.length > 5 ? ` and ${declared.length - 5} more` : ''}, which ${declared.length === 1 ? 'is' : 'are'} not installed: ${why}`,
    );
  if (wanted === false) {
    notInstalled('include_deps is false, so the base image must provide them');
    return [];
  }
  const source = baseBlobSource(resolved.baseRef, context, client, cache);
  const store = await DistributionStore.open(cache);
  const layers: DependencyLayer[] = [];
  try {
    for (const platform of resolved.platforms) {
      const text = platform.variant ? `${platform.os}/${platform.architecture}/${platform.variant}` : `${platform.os}/${platform.architecture}`;
      const image = base?.images.find((i) => i.platform === text) ?? base?.images[0];
      let result;
      try {
        result = await resolveDependencies({
          context,
          project: detection.project,
          platform,
          pythonVersion: resolved.pythonVersion,
          venv: resolved.venv,
          mtime: mtimeOf(env),
          ...(merged.build.requirements ? { requirementsFile: merged.build.requirements } : {}),
          ...(source && image ? { baseLayers: image.layers.map((l) => () => source.open(l)) } : {}),
          store,
          env,
        });
      } catch (err) {
        // A requirements file that is not a lock is fine when nobody asked for dependencies.
        if (wanted === undefined && err instanceof ConfigError && (err.code === 'E_UNPINNED' || err.code === 'E_NO_HASH')) {
          notInstalled(`${err.message}`);
          return [];
        }
        throw err;
      }
      if (!result) {
        // A venv is a last resort only for a project that declares dependencies (or asks for them).
        const venvLayer = declared.length || wanted ? await existingVenvDependencies(context, resolved, platform, text, mtimeOf(env), warnings) : undefined;
        if (venvLayer) {
          layers.push(venvLayer);
          continue;
        }
        if (wanted) throw new ConfigError('E_NO_LOCK', 'include_deps: no lock found (pylock.toml, uv.lock, or a requirements file with pins and --hash); make one with `uv lock`, `uv export --format pylock.toml` or `pip-compile --generate-hashes`');
        notInstalled('there is no lock (pylock.toml, uv.lock, or a hashed requirements.txt) to install them from');
        return [];
      }
      layers.push(result.layer);
    }
  } finally {
    await store.close();
  }
  return layers;
}

/**
 * The last resort without a lock: the project's existing .venv/venv site-packages, copied file by file,
 * with warnings, since nothing says those packages fit the target's Python or machine.
 */
async function existingVenvDependencies(
  context: string,
  resolved: Resolved,
  platform: Resolved['platforms'][number],
  platformText: string,
  mtime: number,
  warnings: string[],
): Promise<DependencyLayer | undefined> {
  const found = await findExistingVenv(context);
  if (!found) return undefined;
  const { entries, packages, warnings: fit } = await existingVenvLayer(context, found, { venv: resolved.venv, pythonMinor: resolved.pythonMinor, architecture: platform.architecture });
  if (packages.length === 0) return undefined;
  const note = `no lock found: copying ${packages.length} packages from ${found.dir} as a last resort; a lock (uv lock, or uv export --format pylock.toml) gives verified dependencies for any platform`;
  for (const w of [note, ...fit]) if (!warnings.includes(w)) warnings.push(w);
  const hashed = await hashLayer(context, withParents(entries), mtime);
  return {
    platform: platformText,
    lock: found.dir,
    source: 'venv',
    target: { python: resolved.pythonVersion, libc: 'as the host venv', tag: 'as the host venv' },
    createdBy: `pycontainer: dependencies copied from ${found.dir}`,
    diffId: hashed.diffId,
    size: hashed.size,
    mtime,
    packages,
    entries: hashed.entries,
  };
}

/** Paths in flags are relative to the current directory; the plan keeps them relative to the context. */
function absolutizeFlags(flags: FlagValues, cwd: string, context: string): FlagValues {
  const out = { ...flags };
  if (out.baseImage?.startsWith('oci:')) {
    const { path, tag } = parseOciRef(out.baseImage);
    const rel = relative(context, resolve(cwd, path)).split(sep).join('/') || '.';
    out.baseImage = `oci:${rel}${tag ? `:${tag}` : ''}`;
  }
  return out;
}

function shownPath(context: string, abs: string): string {
  const rel = relative(context, abs);
  return rel.split(sep).join('/');
}

/** SOURCE_DATE_EPOCH, else 0: the one time that goes into every tar header and the config. */
export function mtimeOf(env: NodeJS.ProcessEnv): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new ConfigError('E_SOURCE_DATE_EPOCH', `SOURCE_DATE_EPOCH="${raw}" is not a whole number of seconds; unset it or set e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`);
  return Number(raw);
}

/** Pins the base image: scratch, a local OCI layout, or a registry reference resolved to digests. */
async function resolveBase(
  ref: string,
  context: string,
  platforms: Resolved['platforms'],
  client: RegistryClient,
  offline: CompileOptions['offline'],
  pins: Plan | undefined,
): Promise<{ ref: string; base?: ResolvedBase }> {
  if (ref === 'scratch') return { ref };
  if (ref.startsWith('oci:')) {
    const { path, tag } = parseOciRef(ref);
    return { ref, base: await resolveLayoutImage(isAbsolute(path) ? path : join(context, path), ref, tag, platforms) };
  }
  const parsed = parseReference(ref);
  // The plan names the base canonically, without a digest: the digest is recorded beside it.
  const canonical = formatReference({ ...parsed, digest: undefined, tag: parsed.tag ?? (parsed.digest ? undefined : 'latest') });
  const planRef = parsed.digest && !parsed.tag ? formatReference(parsed) : canonical;
  if (offline) {
    const base = pinnedBase(planRef, platforms, offline.pinned);
    if (!base) {
      const pinned = offline.pinned;
      throw new ConfigError(
        'E_OFFLINE',
        `--offline: ${offline.source} does not pin base image ${planRef}${pinned ? ` (it pins ${pinned.base.ref})` : ''} for every platform; run \`pycontainer plan\` online once`,
      );
    }
    return { ref: planRef, base };
  }
  const kept = pinnedBase(planRef, platforms, pins);
  if (kept) return { ref: planRef, base: kept };
  try {
    return { ref: planRef, base: await resolveRegistryBase(client, parsed, platforms) };
  } catch (err) {
    if (err instanceof RegistryError && !err.message.startsWith('base image')) {
      throw new RegistryError(err.code, `base image ${canonical}: ${err.message}`, { ...(err.status !== undefined ? { status: err.status } : {}), cause: err });
    }
    throw err;
  }
}

/** The base as an earlier plan pinned it, when that plan names this base for every platform. */
function pinnedBase(ref: string, platforms: Resolved['platforms'], pinned: Plan | undefined): ResolvedBase | undefined {
  const images = platforms.map((p) => pinned?.base.images.find((i) => i.platform === (p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`)));
  if (!pinned || pinned.base.ref !== ref || !pinned.base.digest || images.some((i) => !i?.manifest || !i.config)) return undefined;
  return {
    digest: pinned.base.digest,
    images: images.map((i) => ({
      platform: i!.platform,
      manifest: i!.manifest!,
      config: i!.config!,
      layers: i!.layers,
      imageConfig: i!.inherited.config as BaseConfig,
      history: i!.inherited.history as ResolvedBaseImage['history'],
    })),
  };
}

/** Streams the layer once: each file's sha256 and size, and the tar's diff_id and size. */
async function hashLayer(context: string, entries: Entry[], mtime: number): Promise<{ entries: Entry[]; diffId: string; size: number }> {
  const hashes = new Map<string, { sha256: string; size: number }>();
  const tar = layerTar(entries, mtime, contextReader(context), (f) => hashes.set(f.entry.path, f));
  const { hex, size } = await sha256OfStream(tar as AsyncIterable<Buffer>);
  const out = entries.map((e) => {
    const h = hashes.get(e.path);
    return h ? { ...e, size: h.size, sha256: h.sha256 } : e;
  });
  return { entries: out, diffId: `sha256:${hex}`, size };
}

function dedupeInputs(list: { path: string; sha256: string }[]): { path: string; sha256: string }[] {
  return [...new Map(list.map((i) => [i.path, i])).values()];
}
