import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Plan } from '../../generated/plan.js';
import { checkContext, contextReader, readTexts, walkContext, type ContextFile } from '../config/context.js';
import { detectIncludePaths, detectProject, detectionCandidates, INPUT_FILE, needsGitVersion } from '../config/detect.js';
import { readGitDescribe, readGitInfo } from '../config/git.js';
import { readdir } from 'node:fs/promises';
import { compileIgnore, ignorePatterns } from '../config/ignore.js';
import { flagsToSource, mergeConfig, type ConfigSource, type FlagValues, type MergedConfig } from '../config/merge.js';
import { isDiagnostic, readRegularFile, readTomlFile } from '../config/read.js';
import { validateConfig, validateFlags, validatePyproject } from '../config/validate.js';
import { ConfigError, NetworkError, PlanError, RegistryError, throwIfDiagnostics, type Diagnostic } from '../errors.js';
import type { DependencyLayer } from '../../generated/plan.js';
import { baseBlobSource, type BaseBlobSource } from '../apply/base.js';
import { readRootfs, type LayerScan, type LayerSource, type Rootfs } from '../oci/rootfs.js';
import { checkStartup } from './check.js';
import { BlobCache, defaultCacheDir } from '../cache/store.js';
import { DerivedCache } from '../cache/derived.js';
import type { Detection } from '../config/detect.js';
import { DistributionStore } from '../python/index/download.js';
import { resolveDependencies, type CompressLayer } from './dependencies.js';
import { existingVenvLayer, findExistingVenv } from '../python/install/existing-venv.js';
import { targetArchitecture } from '../python/tags.js';
import { HashCounter, sha256Hex } from '../oci/digest.js';
import { ChunkPool, LARGE_FILE_CHUNK } from '../oci/chunk-pool.js';
import { layerTar, withParents, type FileReader } from '../oci/layer.js';
import { StatCache, stampSize } from '../cache/stat.js';
import { layerKey, readLayerKey, writeBlobTrust, writeLayerKey } from '../cache/layers.js';
import { COMPRESSION, createLayerBlobWriter } from '../oci/compress.js';
import { mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompileBytecode } from '../oci/layer.js';
import { BytecodeCache, BytecodeCompiler, strictCompile } from '../python/bytecode.js';
import type { BaseConfig } from '../oci/image.js';
import { parseOciRef, resolveLayoutImage, type ResolvedBase, type ResolvedBaseImage } from '../oci/layout.js';
import { formatPlatform, keepBaseVariant, platformMatches } from '../oci/platform.js';
import { RegistryClient } from '../registry/client.js';
import { findCredential } from '../registry/credentials.js';
import { formatReference, parseReference } from '../registry/reference.js';
import type { RemoteLayer } from '../registry/remote-layers.js';
import { resolveRegistryBase } from '../registry/resolve.js';
import { assembleAppEntries, assemblePlan, resolveInterpreter, resolvePython, resolveSettings, resolveUser, type Resolved } from './assemble.js';
import type { Entry } from '../../generated/plan.js';
import { splitAppEntries } from './layers.js';
import { memoReason, PlanMemo } from './memo.js';
import { serializePlan } from './file.js';

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
  /**
   * Resolved dependencies (no lock): ignore the committed plan's versions (`plan --check`, `--locked`:
   * what would a fresh resolution give?). `--upgrade` drops `pins` altogether.
   */
  resolveFresh?: boolean;
  /** `--upgrade-package NAME`: these packages' committed versions are not preferred. */
  upgradePackages?: string[];
  /** The cache for pulled base layers and wheels; null for none; default $XDG_CACHE_HOME/pycontainer. */
  cache?: BlobCache | null;
  /** Called for each warning (the CLI prints them). */
  onWarning?: (message: string) => void;
  /**
   * `build`'s one pass: the application layer's tar, when it has to be streamed to learn its diff_id,
   * is compressed into the cache in the same pass, so apply takes the blob from there.
   */
  compressLayers?: boolean;
  /**
   * The build pushes: its dependency layers are only hashed here, not compressed, since the registry
   * may already hold them (build.ts looks their diff_ids up in the pushed tags' configs, and a CI job
   * on an empty cache whose dependencies did not change then compresses none of them).
   */
  push?: boolean;
  /**
   * A push alone (no layout or archive): the layers the registry already holds for the images the
   * plan's tags name (and cache_from), every diff_id of their configs. Called once the tags are known,
   * beside the rest of the compile. When the registry holds any, the asset layers are only hashed here
   * (see hashPart); the result comes back in CompiledProject.registryLayers so the push does not ask again.
   */
  registryLayers?: (query: { tags: string[]; platforms: string[]; cacheFrom: string[] | undefined }) => Promise<ReadonlyMap<string, RemoteLayer>>;
  /**
   * The caller writes the plan out (`plan -o`, `--json`): a memoized plan comes with its text, and a
   * plan memoized now is kept in that form (CompiledProject.planText).
   */
  planText?: boolean;
  /** Write nothing into the cache (`build --dry-run`): caches are read, never written. */
  dryRun?: boolean;
  /** How copied files are read (tests count reads through it); default: from the context. */
  readerFor?: (contextAbs: string) => FileReader;
  /**
   * compile_bytecode with no cache to write (--no-cache, use_cache = false, a dry run): where the .pyc
   * files compiled here are kept, so `build`'s apply takes them instead of compiling again; the caller
   * closes it. Default: a scratch store of this compile's own.
   */
  bytecodeScratch?: BytecodeCache;
}

/** What compileProject gives: the plan, the merged configuration, the project directory and what build's apply reuses. */
export interface CompiledProject {
  plan: Plan;
  /** The plan as serializePlan writes it, when asked for (`planText`) and the compile has it at hand. */
  planText?: string;
  config: MergedConfig;
  context: string;
  /** diff_ids compressed into the cache by this compile (build's one pass). */
  builtLayers: Set<string>;
  /** compile_bytecode: where the .pyc files compiled here are kept, for apply to take. */
  bytecodeCache?: BytecodeCache;
  /** What CompileOptions.registryLayers answered, when it was asked. */
  registryLayers?: ReadonlyMap<string, RemoteLayer>;
}

/** The caches a compile reads and (unless it is a dry run) writes. */
interface CompileCaches {
  /** The cache directory's root: layer keys and compressed layers go there. */
  blobs: BlobCache;
  stat: StatCache;
  write: boolean;
  compress: boolean;
  /** diff_ids compressed into the cache by this compile. */
  built: Set<string>;
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
export async function compileProject(options: CompileOptions = {}): Promise<CompiledProject> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const contextShown = options.context ?? '.';
  const context = resolve(cwd, contextShown);
  await checkContext(context, contextShown);

  // 1. Configuration files and flags, every problem collected before any is reported.
  const diagnostics: Diagnostic[] = [];
  const sources: ConfigSource[] = [];
  const { source: flagSource, diagnostics: flagProblems } = flagsToSource(absolutizeFlags(options.flags ?? {}, cwd, context));
  diagnostics.push(...flagProblems, ...validateFlags(flagSource));
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
    if (prefix.length) diagnostics.push(...validatePyproject(file));
    const table = prefix.length ? ((file.data.tool as Record<string, unknown> | undefined)?.pycontainer) : file.data;
    if (table === undefined) continue;
    const { config, diagnostics: problems } = validateConfig(table, file, [...prefix]);
    diagnostics.push(...problems);
    if (config) sources.push({ label: file.path, file, prefix: [...prefix], config });
  }
  throwIfDiagnostics(diagnostics);
  const merged = mergeConfig(sources);
  // build.cache_dir names the cache apply uses: the one-pass build must compress into that one.
  const configuredCache = merged.build.cache_dir ? new BlobCache(resolve(context, merged.build.cache_dir)) : undefined;
  const cache = options.cache === null ? undefined : (options.cache ?? configuredCache ?? new BlobCache(defaultCacheDir(env)));
  const memo =
    cache && merged.build.cache !== false && !options.readerFor
      ? PlanMemo.for(cache.root, {
          context,
          cwd,
          config: options.config,
          flags: options.flags,
          env,
          pins: { kept: options.pins?.base, offline: options.offline ? [options.offline.source, options.offline.pinned?.base ?? null] : undefined },
          resolveFresh: options.resolveFresh === true,
          upgradePackages: options.upgradePackages ?? [],
        })
      : undefined;

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
  // The listing, until the application's entries are assembled from it (then dropped, below).
  let files: ContextFile[] | undefined = await walkContext(context, rules);
  // Secrets never reach the image: a requirements (or pip config) file whose index URL carries a
  // password is left out of the application layer (the installed dependencies do not need it at run
  // time), and the plan's exclude rules say so, so apply lists the context the same way.
  const secretFiles = await findFilesWithUrlPasswords(context, files, merged.build.requirements);
  exclude.push(...secretFiles);
  if (secretFiles.length) files = files.filter((f) => !secretFiles.includes(f.path));

  // 3. Detection over what detection reads.
  // Lock files and the like are inputs even when ignored for the image: read them from the root listing.
  const inputFiles = (await readdir(context)).filter((name) => INPUT_FILE.test(name)).sort();
  // Every input file at the root, hashed as raw bytes (apply hashes them the same way).
  for (const path of inputFiles) inputs.push({ path, sha256: sha256Hex(await readRegularFile(join(context, path), path)) });
  // Nothing changed since the last compile of this context with these options: its plan (src/plan/memo.ts).
  const memoized = await memo?.lookup(inputs, files);
  if (memoized) {
    for (const w of memoized.warnings) options.onWarning?.(w);
    return { plan: memoized.plan, ...(memoized.planText !== undefined && options.planText ? { planText: memoized.planText } : {}), config: merged, context, builtLayers: new Set() };
  }
  const includeGuess = merged.build.include_paths ?? detectIncludePaths(files).value;
  const candidates = detectionCandidates(files, includeGuess);
  const texts = await readTexts(context, [...inputFiles, ...candidates]);
  const workdirGuess = merged.build.workdir ?? '/app';
  const pyprojectData = pyproject && !isDiagnostic(pyproject) ? { pyproject: pyproject.data } : {};
  // git runs only for a project whose version is computed at build time (or stated nowhere).
  const gitVersion = needsGitVersion({ ...pyprojectData, texts });
  const gitDescribe = gitVersion ? await readGitDescribe(context) : undefined;
  const ranGit = gitVersion || merged.build.annotations_from_git === true;
  const detection = detectProject(
    {
      ...pyprojectData,
      files,
      texts,
      venv: `${workdirGuess.replace(/\/+$/, '')}/.venv`,
      // The directory's name only (never its path): the project's name when nothing declares one.
      contextName: basename(context),
      ...(gitDescribe ? { gitDescribe } : {}),
      // Computed above for the same include paths (detection's are the configured ones, else the guess).
      candidates,
    },
    merged.build.include_paths,
  );
  const { resolved: partial, diagnostics: settingProblems } = resolveSettings(merged, detection);
  throwIfDiagnostics(settingProblems);

  // 4. The base image, pinned by digest.
  const client = options.registry ?? new RegistryClient({ credential: (registry) => findCredential(registry, { env }) });
  const { ref: baseRef, base, unpinned, pinnedBy } = await resolveBase(partial.baseRef, context, partial.platforms, client, options.offline, options.pins);
  partial.baseRef = baseRef;
  // The images carry the base's variant (linux/arm64 → linux/arm64/v8 when the base's index says so).
  partial.platforms = keepBaseVariant(partial.platforms, base?.images);
  const warnings: string[] = [...partial.warnings, ...detection.warnings];
  // A warning about the detected command (a development server) is moot when the user chose the command.
  if (!merged.build.entrypoint && !merged.build.cmd) warnings.push(...detection.commandWarnings);
  partial.provenance['project.name'] = detection.projectWhy.name;
  partial.provenance['project.version'] = detection.projectWhy.version;
  for (const path of secretFiles) {
    warnings.push(`${path} has a password in a URL, so it is left out of the image; write it as \${VARIABLE} (pycontainer and pip expand it) or put the credentials in ~/.netrc`);
  }
  // 5. The base's filesystem, read once per layer (cached by digest): the interpreter, the user, the
  // C library for wheels and the start-up check all look at it. Scratch has none, and no check.
  const reader = (options.readerFor ?? contextReader)(context);
  // The stat and layer key caches follow the cache switches (--no-cache, use_cache = false); a dry run
  // reads them but writes nothing.
  const caches: CompileCaches | undefined =
    cache && merged.build.cache !== false
      ? {
          blobs: cache,
          stat: await StatCache.read(cache.root, context),
          write: !options.dryRun && merged.build.dry_run !== true,
          compress: !!options.compressLayers && !options.dryRun && merged.build.dry_run !== true,
          built: new Set(),
        }
      : undefined;
  const baseFs = await readBaseFilesystems(baseRef, context, base, partial.platforms, client, cache);
  let python: { pythonMinor: string; pythonVersion: string; interpreter: string };
  if (baseFs) {
    const found = resolveInterpreter(detection, baseRef, baseFs, partial.provenance);
    if ('error' in found) throw new PlanError('E_NO_INTERPRETER', found.error);
    python = found;
  } else python = resolvePython(detection, partial.provenance);
  const baseUser = base?.images[0]?.imageConfig.User;
  const user = resolveUser(merged.build.user, baseUser || undefined, baseRef, baseFs?.[0]?.fs, partial.provenance);
  if ('error' in user) throw new ConfigError('E_USER', `${partial.provenance['build.user'] ?? 'config'}: build.user: ${user.error}`);
  const resolved: Resolved = { ...partial, ...python, runAs: user.runAs, warnings };
  // compile_bytecode: one compiler process for the whole build (src/python/bytecode.ts); what it
  // compiles is kept (in the cache directory, else a scratch store) so nothing is compiled twice.
  const ownScratch = merged.build.compile_bytecode && !caches?.write && !options.bytecodeScratch ? BytecodeCache.scratch() : undefined;
  const pycCache = caches?.write ? BytecodeCache.in(caches.blobs.root) : (options.bytecodeScratch ?? ownScratch);
  const compiler = merged.build.compile_bytecode ? await BytecodeCompiler.start(resolved.pythonMinor, env, `${merged.provenance['build.compile_bytecode'] ?? 'config'}: build.compile_bytecode`, pycCache) : undefined;
  if (compiler) {
    resolved.bytecode = compiler.info;
    resolved.provenance['python.bytecode'] = `compiled with ${compiler.executable.split('/').pop()} ${compiler.info.version}`;
  }
  const pushing = options.push === true || merged.build.push === true;
  // A push alone asks what the registry holds, once, when an asset layer has to be streamed (see hashPart).
  let registryLayers: Promise<ReadonlyMap<string, RemoteLayer>> | undefined;
  const askRegistry = pushing && caches?.compress && options.registryLayers
    ? () => (registryLayers ??= options.registryLayers!({ tags: resolved.tags, platforms: resolved.platforms.map(formatPlatform), cacheFrom: merged.build.cache_from }))
    : undefined;
  try {

    // The dependency layer per platform, from the lock, when there is one (or include_deps asks).
    const listings = new Map<string, LayerScan>();
    // build's one pass: the dependency layers hashed here are compressed into the cache on the way,
    // unless the build pushes (see CompileOptions.push).
    const compressLayer = caches?.compress && !pushing ? async (tar: NodeJS.ReadableStream, diff: HashCounter) => void ((await compressIntoCache(tar, diff, caches.blobs)) && caches.built.add(diff.digest())) : undefined;
    const { layers: dependencies, locks } = await planDependencies(context, merged, detection, resolved, base, client, cache, env, warnings, pyprojectData.pyproject, listings, resolvedPins(options), compiler, compressLayer);
    // The locks read are inputs, wherever they are (a uv workspace root's `../uv.lock` too): apply and
    // `plan --check` notice a change to them.
    for (const path of locks) inputs.push({ path, sha256: sha256Hex(await readRegularFile(join(context, path), path)) });

    // 6. The application layer: entries, then one streaming pass for file digests and the diff_id.
    const { entries: assembled, diagnostics: entryProblems } = assembleAppEntries(files, resolved, detection);
    throwIfDiagnostics(entryProblems);
    const entries = compiler ? await dropUncompilable(context, assembled, compiler, warnings) : assembled;
    const compile = compiler ? strictCompile(compiler) : undefined;
    // The stat cache keeps the stamps: hashLayer finds a file's stamp there by its source path.
    if (caches) for (const f of files) if (f.stamp) caches.stat.track(f.path, f.stamp);
    // The entries and stamps hold all that is needed of the listing now; a suspended async function
    // keeps every local it has alive, and the listing's objects were ~70 bytes a file while the
    // layers stream.
    files = undefined;
    // Cut by how often they change (build.layers), each part hashed on its own: the code layer beside
    // the asset layers, so the small files' reads and hashing (main thread) overlap the large files'
    // deflating (threadpool), and two streams at most are in flight whatever the number of asset
    // groups (each holds its read and deflate buffers); see below.
    // A push to a registry that holds an image of these tags (or cache_from) only hashes the asset
    // layers, as it does the dependency layers: they change rarely, so on an empty cache (a CI job) the
    // registry most likely holds them already, and compressing them would be the job's largest cost
    // for nothing. One that did change is read a second time by apply, a fraction of compressing it.
    // A registry that holds nothing yet gets them compressed in this one pass.
    const parts = splitAppEntries(entries, resolved.layering);
    const compressAssets = askRegistry ? async () => (await askRegistry()).size === 0 : undefined;
    const hashPart = async (part: (typeof parts)[number], compressIf?: () => Promise<boolean>) => ({ ...part, ...(await hashLayer(context, part.entries, mtimeOf(env), reader, caches && { ...caches, ...(compressIf ? { compressIf } : {}) }, compile)) });
    // Two streams: one takes the asset layers in turn, the other the code layer and then, once that
    // is done, asset layers too (a stream that ends drains its last blocks at a fraction of its speed,
    // which the other one fills). After a failure neither takes another layer; both settle before the
    // first failure is thrown: nothing keeps reading or writing after it.
    const assets = parts.slice(0, -1);
    let failure: { err: unknown } | undefined;
    /** A part hashed, or undefined once it (or another) failed: the first failure is kept. */
    const settle = (part: (typeof parts)[number], compressIf?: () => Promise<boolean>) =>
      hashPart(part, compressIf).catch((err: unknown) => void (failure ??= { err }));
    const assetsHashed: (Awaited<ReturnType<typeof hashPart>> | void)[] = [];
    let nextAsset = 0;
    const takeAssets = async (): Promise<void> => {
      while (!failure && nextAsset < assets.length) {
        const i = nextAsset++;
        assetsHashed[i] = await settle(assets[i]!, compressAssets);
      }
    };
    const [codeHashed] = await Promise.all([settle(parts[parts.length - 1]!).then(async (code) => (await takeAssets(), code)), takeAssets()]);
    if (failure) throw failure.err;
    const appLayers = [...(assetsHashed as Awaited<ReturnType<typeof hashPart>>[]), codeHashed!];
    if (caches?.write) await caches.stat.write();
    // Their work is done: the plan is assembled, checked and memoized next, with every entry in hand.
    caches?.stat.release();

    const reproducible = merged.build.reproducible ?? true;
    const plan = assemblePlan({
      resolved,
      merged,
      detection,
      ...(base ? { base } : {}),
      dependencies,
      appLayers,
      include: resolved.includePaths,
      exclude,
      inputs: dedupeInputs(inputs),
      created: reproducible ? mtimeOf(env) : Math.floor(Date.now() / 1000),
      mtime: mtimeOf(env),
      annotationSources: {
        ...pyprojectData,
        ...(merged.build.annotations_from_git ? await readGitInfo(context).then((git) => (git ? { git } : {})) : {}),
        ...(env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: mtimeOf(env) } : {}),
      },
    });
    // 7. Would it start? Checked before anything is written or published.
    if (baseFs) {
      for (const [i, image] of plan.images.entries()) {
        const fs = baseFs.find((b) => b.platform === image.platform)?.fs ?? baseFs[i]!.fs;
        const deps = dependencies.filter((d) => d.platform === image.platform);
        const config = image.config.config as { Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string };
        const listing = listings.get(image.platform);
        const withDeps = listing ? fs.withLayer(listing) : fs;
        const problem = checkStartup({
          base: baseRef,
          image: withDeps.withEntries([...deps.flatMap((d) => d.entries ?? []), ...plan.layers.flatMap((l) => l.entries)]),
          entrypoint: config.Entrypoint,
          cmd: config.Cmd,
          env: config.Env ?? [],
          workingDir: config.WorkingDir ?? resolved.workdir,
          // A dependency layer neither listed in the plan nor scanned here (a kept pin): taken on trust.
          unlisted: deps.some((d) => !d.entries) && !listing ? [`${resolved.venv}/bin`] : [],
        });
        if (problem) throw new PlanError('E_WOULD_NOT_START', plan.images.length > 1 ? `${image.platform}: ${problem}` : problem);
      }
    }
    const impure = memo && caches?.write ? memoReason(plan, { ranGit, baseFromNetworkOrLayout: unpinned === true, bytecode: !!compiler, clock: !reproducible }) : 'not kept';
    const planText = impure === undefined && options.planText ? serializePlan(plan) : undefined;
    if (impure === undefined) await memo!.store(plan, planText, resolved.warnings, locks, pinnedBy);
    for (const w of resolved.warnings) options.onWarning?.(w);
    // Asked only when an asset layer had to be streamed (else the push asks for what it needs).
    const remoteAnswer = registryLayers ? await registryLayers : undefined;
    return { plan, ...(planText !== undefined ? { planText } : {}), config: merged, context, builtLayers: caches?.built ?? new Set(), ...(compiler && pycCache !== ownScratch ? { bytecodeCache: pycCache! } : {}), ...(remoteAnswer ? { registryLayers: remoteAnswer } : {}) };
  } finally {
    await compiler?.close();
    await ownScratch?.close();
  }
}

/**
 * The dependency layers, one per platform, and the lock files they come from (for the plan's inputs,
 * a workspace root's `../uv.lock` included). A project that declares dependencies never ships without
 * them by accident: no lock, unpinned requirements or a lock that cannot be read fail the plan with the
 * ways out, unless include_deps = false (a warning: the base image must provide them). The project's
 * existing venv is the last resort (with warnings). include_deps = true with nothing declared and no
 * lock is not an error.
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
  pyproject: Record<string, unknown> | undefined,
  /** Filled with each platform's dependency layer as listed while it was hashed. */
  listings: Map<string, LayerScan>,
  /** Per platform: the committed plan's resolved versions to keep while they fit. */
  preferences: Map<string, Map<string, string>>,
  compiler: BytecodeCompiler | undefined,
  compressLayer?: CompressLayer,
): Promise<{ layers: DependencyLayer[]; locks: string[] }> {
  const wanted = merged.build.include_deps;
  const own = ownDependencyNames(detection.project.dependencies, pyproject);
  const dependsOn = () => `the project depends on ${own.slice(0, 5).join(', ')}${own.length > 5 ? ` and ${own.length - 5} more` : ''}`;
  if (wanted === false) {
    if (own.length) warnings.push(`${dependsOn()}, which ${own.length === 1 ? 'is' : 'are'} not installed: include_deps is false, so the base image must provide them`);
    return { layers: [], locks: [] };
  }
  const cannot = (why: string, code: string): ConfigError =>
    new ConfigError(code, `${own.length ? `${detection.project.dependenciesFrom ?? 'pyproject.toml'}: ${dependsOn()}, which cannot be installed: ` : ''}${why}; make a lock (uv lock, poetry lock, pip-compile --generate-hashes, or pip freeze > requirements.txt), or set include_deps = false to build without them`);
  const source = baseBlobSource(resolved.baseRef, context, client, cache);
  const store = await DistributionStore.open(cache);
  const layers: DependencyLayer[] = [];
  const locks = new Set<string>();
  try {
    for (const platform of resolved.platforms) {
      const text = platform.variant ? `${platform.os}/${platform.architecture}/${platform.variant}` : `${platform.os}/${platform.architecture}`;
      const image = base?.images.find((i) => i.platform === text) ?? base?.images[0];
      const request = {
        context,
        project: detection.project,
        platform,
        pythonVersion: resolved.pythonVersion,
        venv: resolved.venv,
        mtime: mtimeOf(env),
        ...(merged.build.requirements ? { requirementsFile: merged.build.requirements } : {}),
        ...(merged.build.dependency_groups ? { groups: merged.build.dependency_groups } : {}),
        ...(merged.build.extras ? { extras: merged.build.extras } : {}),
        ...(pyproject ? { pyproject } : {}),
        ...(source && image ? { baseLayers: baseLayerSources(source, image) } : {}),
        store,
        env,
        layering: resolved.layering,
        ...(cache ? { derived: new DerivedCache(cache.root) } : {}),
        ...(preferences.get(text) ? { preferences: preferences.get(text)! } : {}),
        ...(cache ? { cacheRoot: cache.root } : {}),
        ...(compiler ? { bytecode: compiler } : {}),
        ...(compressLayer ? { compressLayer } : {}),
      };
      let result: Awaited<ReturnType<typeof resolveDependencies>>;
      try {
        result = await resolveDependencies(request);
      } catch (err) {
        // Resolution needs the index; with none reachable, a project's own venv is still the last resort.
        if (!(err instanceof NetworkError)) throw err;
        const venvLayer = await existingVenvDependencies(context, resolved, platform, text, mtimeOf(env), warnings);
        if (!venvLayer) throw err;
        warnings.push(`${err.message}: the dependencies could not be resolved`);
        layers.push(venvLayer);
        continue;
      }
      if (result.lock) locks.add(result.lock.path);
      if (result.layer) {
        layers.push(result.layer);
        if (result.listing) listings.set(text, result.listing);
        continue;
      }
      if (result.lock) continue; // a lock of nothing: no layer
      // No lock. A venv is a last resort only for a project that declares dependencies (or asks for them).
      const venvLayer = own.length || wanted ? await existingVenvDependencies(context, resolved, platform, text, mtimeOf(env), warnings) : undefined;
      if (venvLayer) {
        layers.push(venvLayer);
        continue;
      }
      if (own.length) throw cannot('there is no lock (pylock.toml, uv.lock, poetry.lock, pdm.lock or a pinned requirements.txt)', 'E_NO_LOCK');
      return { layers: [], locks: [...locks] };
    }
  } finally {
    await store.close();
  }
  return { layers, locks: [...locks].sort() };
}

/** Per platform, the versions of the committed plan's resolved dependency layer (none when resolving fresh). */
function resolvedPins(options: CompileOptions): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (!options.pins || options.resolveFresh) return out;
  const dropped = new Set((options.upgradePackages ?? []).map((n) => n.toLowerCase().replace(/[-_.]+/g, '-')));
  for (const layer of options.pins.dependencies ?? []) {
    if (layer.source !== 'resolved') continue;
    out.set(layer.platform, new Map(layer.packages.filter((p) => !dropped.has(p.name)).map((p) => [p.name, p.version])));
  }
  return out;
}

/** The names of the project's own declared dependencies ([project], setup.cfg, Poetry's table), sorted. */
function ownDependencyNames(declared: string[], pyproject: Record<string, unknown> | undefined): string[] {
  const names = new Set<string>();
  const add = (text: string) => {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text);
    if (m) names.add(m[1]!.toLowerCase().replace(/[-_.]+/g, '-'));
  };
  for (const d of declared) add(d);
  const poetry = ((pyproject?.tool as Record<string, unknown> | undefined)?.poetry as Record<string, unknown> | undefined)?.dependencies;
  if (poetry && typeof poetry === 'object') for (const k of Object.keys(poetry)) if (k.toLowerCase() !== 'python') add(k);
  return [...names].sort();
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
  const { entries, packages, warnings: fit } = await existingVenvLayer(context, found, { venv: resolved.venv, pythonMinor: resolved.pythonMinor, architecture: targetArchitecture(platform) });
  if (packages.length === 0) return undefined;
  const note = `no lock found: copying ${packages.length} packages from ${found.dir} as a last resort; a lock (uv lock, or uv export --format pylock.toml) gives verified dependencies for any platform`;
  for (const w of [note, ...fit]) if (!warnings.includes(w)) warnings.push(w);
  const hashed = await hashLayer(context, withParents(entries), mtime, contextReader(context));
  return {
    platform: platformText,
    lock: found.dir,
    source: 'venv',
    target: { python: resolved.pythonVersion, libc: 'as the host venv', tag: 'as the host venv' },
    mtime,
    packages,
    // Files copied one by one, not wheels: one layer.
    layers: [{ name: 'deps', createdBy: `pycontainer: dependencies copied from ${found.dir}`, diffId: hashed.diffId, size: hashed.size, packages: packages.map((p) => p.name).sort() }],
    entries: hashed.entries,
  };
}

/** Files whose URLs may carry index credentials: requirements and constraints files, pip's config. */
const CREDENTIAL_BEARING = /(^|\/)([^/]*(requirements|constraints)[^/]*\.(txt|in)|pip\.conf|pip\.ini)$/i;

/**
 * A URL with a password in its user info (`https://user:pass@host`, `https://:token@host`): not one
 * whose password is a `${VARIABLE}` reference, which pip and pycontainer expand at build time. Pure.
 */
export function hasUrlPassword(text: string): boolean {
  const variable = /^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+$/;
  for (const m of text.matchAll(/([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/\s@]*)@/g)) {
    const scheme = m[1]!.toLowerCase();
    const userinfo = m[2]!;
    const colon = userinfo.indexOf(':');
    // Over HTTP a lone user info is a token (`https://TOKEN@host`); over ssh (`git@`) it is a user name.
    const secret = colon === -1 ? (/(^|\+)https?$/.test(scheme) ? userinfo : '') : userinfo.slice(colon + 1);
    if (secret !== '' && !variable.test(secret)) return true;
  }
  return false;
}

/** The context files (as listed) that would carry a URL password into the image, sorted. */
async function findFilesWithUrlPasswords(context: string, files: { path: string; type: string; size: number }[], requirements: string | undefined): Promise<string[]> {
  const found: string[] = [];
  for (const f of files) {
    if (f.type !== 'file' || f.size > 1024 * 1024) continue;
    // Every name CREDENTIAL_BEARING matches ends in t, n, f or i (any case): most paths (.py) are
    // passed over by their last character.
    const last = f.path.charCodeAt(f.path.length - 1) | 0x20;
    if (last !== 0x74 && last !== 0x6e && last !== 0x66 && last !== 0x69 && f.path !== requirements) continue;
    if (!CREDENTIAL_BEARING.test(f.path) && f.path !== requirements) continue;
    const text = (await readRegularFile(join(context, f.path), f.path)).toString('utf8');
    if (hasUrlPassword(text)) found.push(f.path);
  }
  return found.sort();
}

/** A base image's layers as sources the root filesystem scan caches by digest. */
function baseLayerSources(source: BaseBlobSource, image: ResolvedBaseImage): LayerSource[] {
  return image.layers.map((l) => Object.assign(() => source.open(l), { digest: l.digest }));
}

/** Each platform's base root filesystem (undefined for scratch). */
async function readBaseFilesystems(
  baseRef: string,
  context: string,
  base: ResolvedBase | undefined,
  platforms: Resolved['platforms'],
  client: RegistryClient,
  cache: BlobCache | undefined,
): Promise<{ platform: string; env: string[] | undefined; fs: Rootfs }[] | undefined> {
  const source = baseBlobSource(baseRef, context, client, cache);
  if (!base || !source) return undefined;
  const out: { platform: string; env: string[] | undefined; fs: Rootfs }[] = [];
  for (const p of platforms) {
    const text = p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
    const image = base.images.find((i) => i.platform === text) ?? base.images[0]!;
    out.push({ platform: text, env: image.imageConfig.Env, fs: await readRootfs(baseLayerSources(source, image), cache?.root) });
  }
  return out;
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
): Promise<{ ref: string; base?: ResolvedBase; unpinned?: true; pinnedBy?: 'kept' | 'offline' }> {
  if (ref === 'scratch') return { ref };
  if (ref.startsWith('oci:')) {
    const { path, tag } = parseOciRef(ref);
    return { ref, base: await resolveLayoutImage(isAbsolute(path) ? path : join(context, path), ref, tag, platforms), unpinned: true };
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
    return { ref: planRef, base, pinnedBy: 'offline' };
  }
  const kept = pinnedBase(planRef, platforms, pins);
  if (kept) return { ref: planRef, base: kept, pinnedBy: 'kept' };
  try {
    return { ref: planRef, base: await resolveRegistryBase(client, parsed, platforms), ...(parsed.digest ? {} : { unpinned: true as const }) };
  } catch (err) {
    if (err instanceof RegistryError && !err.message.startsWith('base image')) {
      throw new RegistryError(err.code, `base image ${canonical}: ${err.message}`, { ...(err.status !== undefined ? { status: err.status } : {}), cause: err });
    }
    throw err;
  }
}

/** The base as an earlier plan pinned it, when that plan names this base for every platform. */
function pinnedBase(ref: string, platforms: Resolved['platforms'], pinned: Plan | undefined): ResolvedBase | undefined {
  const images = platforms.map((p) => pinned?.base.images.find((i) => platformMatches(p, i.platform)));
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

/**
 * A layer's file digests and its diff_id. When the stat cache vouches for every copied file and the
 * layer key was recorded before, nothing is read. Otherwise the layer is streamed once: each file's
 * sha256 and size and the tar's diff_id and size in one pass (compressed into the cache in the same
 * pass for `build`), and the caches learn the results.
 */
async function hashLayer(
  context: string,
  entries: Entry[],
  mtime: number,
  reader: FileReader,
  caches?: CompileCaches & {
    /** Asked before the layer is streamed (not when its key is known): whether to compress it too. */
    compressIf?: () => Promise<boolean>;
  },
  /** compile_bytecode: compiles the sources of the layer's .pyc entries. */
  compile?: CompileBytecode,
): Promise<{ entries: Entry[]; diffId: string; size: number }> {
  if (caches) {
    // The entries are this compile's own (assembled for it, each file in one layer): the vouched digest
    // and size go straight into them, rather than into a copy of each of 10,000 objects.
    for (const e of entries) {
      if (e.type !== 'file' || e.source === undefined || e.content !== undefined) continue;
      const stamp = caches.stat.stamped(e.source);
      const sha256 = stamp && caches.stat.lookup(e.source, stamp);
      if (sha256) {
        e.size = stampSize(stamp);
        e.sha256 = sha256;
      }
    }
    const key = layerKey(entries, mtime);
    const known = key ? await readLayerKey(caches.blobs.root, key) : undefined;
    if (known) return { entries, diffId: known.diffId, size: known.size };
  }
  const compress = caches?.compress === true && (!caches.compressIf || (await caches.compressIf()));
  // Large files are read into buffers that the end of this one-way pipeline gives back (chunk-pool.ts).
  const pool = new ChunkPool(LARGE_FILE_CHUNK);
  const tar = layerTar(entries, mtime, reader, (f) => {
    // In place, as above: the entries are this compile's own, and the tar is done with this one. (A
    // copy by object spread would also give each of them a hidden class of its own in Node 20's V8,
    // ~400 bytes per file once enumerated; a map of the digests until the end, ~90 bytes per file.)
    f.entry.size = f.size;
    f.entry.sha256 = f.sha256;
    const stamp = f.entry.source !== undefined ? caches?.stat.stamped(f.entry.source) : undefined;
    // The stamp was taken before the read: a file changed since has another stamp next time.
    if (stamp && stampSize(stamp) === f.size) caches!.stat.record(f.entry.source!, stamp, f.sha256);
  }, compile, pool);
  const diff = new HashCounter();
  if (compress) {
    // A layer the cache already held (the same project at another path) is reported as cached, as before.
    if (await compressIntoCache(tar as unknown as NodeJS.ReadableStream, diff, caches.blobs, pool)) caches.built.add(diff.digest());
  } else await pipeline(tar, diff, new Writable({ write: (chunk: Buffer, _e, done) => (pool.give(chunk), done()) }));
  const diffId = diff.digest();
  const key = caches?.write ? layerKey(entries, mtime) : undefined;
  if (key) await writeLayerKey(caches!.blobs.root, key, { diffId, size: diff.bytes });
  return { entries, diffId, size: diff.bytes };
}

/**
 * `build`'s one pass: the tar goes through `diff` (its diff_id) and the layer compressor into the
 * blob cache, recorded as diff_id → blob, so apply reads no input again for it. False when the cache
 * already held that layer (its blob is kept, ours dropped).
 */
async function compressIntoCache(tar: NodeJS.ReadableStream, diff: HashCounter, cache: BlobCache, pool?: ChunkPool): Promise<boolean> {
  const dir = join(cache.root, 'blobs', 'sha256');
  await mkdir(dir, { recursive: true });
  // The cache's own temporary naming: eviction leaves a live process's temporary files alone.
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const blob = createLayerBlobWriter(tmp, pool);
  try {
    await pipeline(tar, diff, blob);
    if (await cache.lookupLayer(diff.digest(), COMPRESSION.name)) return false;
    const digest = blob.digest();
    await cache.adopt(tmp, digest);
    await writeBlobTrust(cache.root, cache.blobPath(digest), digest);
    await cache.recordLayer({ diffId: diff.digest(), compression: COMPRESSION.name, digest, size: blob.bytes });
    return true;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * compile_bytecode: the application's .pyc entries whose source compiles; one that does not (a syntax
 * error, Python 2 code kept as data) is left out with a warning, as compileall does, and Python reads
 * the source if it is ever imported.
 */
async function dropUncompilable(context: string, entries: Entry[], compiler: BytecodeCompiler, warnings: string[]): Promise<Entry[]> {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const reader = contextReader(context);
  const dropped = new Set<string>();
  for (const e of entries) {
    if (e.bytecodeOf === undefined) continue;
    const source = byPath.get(e.bytecodeOf)!;
    const r = await compiler.compile(`/${source.path}`, source.content !== undefined ? Buffer.from(source.content, 'utf8') : await reader.read(source));
    if ('error' in r) {
      dropped.add(e.path);
      warnings.push(`${source.source ?? source.path} does not compile (${r.error}); it is shipped without bytecode`);
    }
  }
  return dropped.size ? entries.filter((e) => !dropped.has(e.path)) : entries;
}

function dedupeInputs(list: { path: string; sha256: string }[]): { path: string; sha256: string }[] {
  return [...new Map(list.map((i) => [i.path, i])).values()];
}
