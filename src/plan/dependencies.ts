import { HashCounter, sha256OfStream } from '../oci/digest.js';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { DependencyLayer, DependencyPart, LockedWheel } from '../../generated/plan.js';
import type { ProjectMetadata } from '../config/detect.js';
import { normalizeName } from '../config/detect.js';
import { ConfigError, NetworkError, PlanError } from '../errors.js';
import { assembleMemberWheel, readMemberSources } from '../python/install/member-wheel.js';
import type { Platform } from '../oci/platform.js';
import { DistributionStore } from '../python/index/download.js';
import { detectLibc, formatLibc, type Libc } from '../python/libc.js';
import type { LayerScan } from '../oci/rootfs.js';
import type { Lock, LockedFile, LockedPackage } from '../python/locks/model.js';
import { readDeclaredResolution, readLock } from '../python/locks/read.js';
import type { ResolutionRequest } from '../python/locks/model.js';
import type { MarkerEnvironment } from '../python/markers.js';
import { resolveRequest } from '../python/resolve/provider.js';
import { buildWheelFromSdist } from '../python/index/sdist.js';
import { inParallel } from '../parallel.js';
import { targetEnvironment } from '../python/markers.js';
import { compatibleTags, platformTag, selectWheel, targetArchitecture, type Target } from '../python/tags.js';
import { packWheelsLayer, planWheelsLayer, wheelInstalledSize, wheelsLayerListing, type Bytecode, type WheelToInstall } from '../python/install/wheel.js';
import type { DerivedCache } from '../cache/derived.js';
import type { BytecodeCompiler } from '../python/bytecode.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { assetGroupCount, DEFAULT_LAYERING, groupDependencies, type DependencyGroup, type DependencyInfo, type Layering } from './layers.js';

/** Wheels downloaded at once. */
export const DOWNLOAD_CONCURRENCY = 4;

export const DEPS_LAYER_CREATED_BY = 'pycontainer: locked dependencies in the venv';

export interface DependencyInput {
  context: string;
  project: ProjectMetadata;
  platform: Platform;
  pythonVersion: string;
  venv: string;
  mtime: number;
  requirementsFile?: string;
  /** Dependency groups to install besides the main ones (build.dependency_groups). */
  groups?: string[];
  /** The project's extras to install (build.extras). */
  extras?: string[];
  /** pyproject.toml's data (Poetry/PDM root dependencies, sources, content hashes). */
  pyproject?: Record<string, unknown>;
  /** Opens each base layer of this platform (for the C library); undefined for scratch. */
  baseLayers?: (() => Promise<Readable>)[];
  store: DistributionStore;
  env: NodeJS.ProcessEnv;
  /** How the layers are cut (build.layers); default DEFAULT_LAYERING. */
  layering?: Layering;
  /** Where diff_ids of dependency layers built before are kept; none: every layer is built and hashed. */
  derived?: DerivedCache;
  /** Without a lock: the committed plan's versions to keep while they fit (name → version). */
  preferences?: Map<string, string>;
  /** The cache directory's root, for index pages and metadata of resolution; undefined: none kept. */
  cacheRoot?: string;
  /** compile_bytecode: the build's compiler. */
  bytecode?: BytecodeCompiler;
  /**
   * `build`'s one pass: a layer that has to be streamed to learn its diff_id goes through `diff` and is
   * compressed into the cache on the way, so apply takes the blob instead of installing the wheels again.
   */
  compressLayer?: CompressLayer;
}

/** Pipes a layer's tar through `diff` (its diff_id and size) into the cache's compressed blobs. */
export type CompressLayer = (tar: NodeJS.ReadableStream, diff: HashCounter) => Promise<void>;

/** The C library wheels are chosen for; glibc 2.17 (manylinux2014) when the base does not tell. */
async function targetLibc(input: DependencyInput): Promise<Libc> {
  if (!input.baseLayers?.length) {
    throw new ConfigError('E_DEPS_BASE', 'installing dependencies needs a base image with Python; scratch has none');
  }
  return (await detectLibc(input.baseLayers)) ?? { kind: 'glibc', version: [2, 17] };
}

function platformText(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/**
 * Reads the lock for one platform, picks each package's wheel for the target (interpreter, C library,
 * architecture), fetches and verifies the wheels, and hashes the dependency layer they install into,
 * so the plan states its diff_id. No lock: neither; a lock of nothing: no layer.
 */
export async function resolveDependencies(input: DependencyInput): Promise<{ layer?: DependencyLayer; lock?: Lock; listing?: LayerScan }> {
  const fullVersion = /^\d+\.\d+\.\d+/.test(input.pythonVersion) ? input.pythonVersion : `${input.pythonVersion}.0`;
  const env = targetEnvironment(fullVersion, targetArchitecture(input.platform));
  const lock = await readLock(input.context, {
    env,
    projectName: input.project.name,
    directNames: input.project.dependencies.map((d) => normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(d)?.[1] ?? d)),
    declared: input.project.dependencies,
    ...(input.requirementsFile ? { requirementsFile: input.requirementsFile } : {}),
    ...(input.groups ? { groups: input.groups } : {}),
    ...(input.extras ? { extras: input.extras } : {}),
    ...(input.pyproject ? { pyproject: input.pyproject } : {}),
    environ: input.env,
  });
  // No lock, or a requirements file of ranges: resolved here for this target (libc included).
  const request = lock ? lock.resolve : await readDeclaredResolution({
    projectName: input.project.name,
    declared: input.project.dependencies,
    ...(input.project.dependenciesFrom ? { declaredFrom: input.project.dependenciesFrom } : {}),
    ...(input.pyproject ? { pyproject: input.pyproject } : {}),
    ...(input.extras ? { extras: input.extras } : {}),
    ...(input.groups ? { groups: input.groups } : {}),
    environ: input.env,
  });
  if (!lock && !request) return {};
  const libc = request || lock!.packages.length || lock!.localMembers?.length ? await targetLibc(input) : undefined;
  const target: Target | undefined = libc ? { pythonVersion: fullVersion, architecture: targetArchitecture(input.platform), libc } : undefined;
  let requiredBy: Map<string, string[]> | undefined;
  const resolved: Lock | undefined = request && target ? await resolveForTarget(request, target, env, input).then((r) => ((requiredBy = r.requiredBy), r.lock)) : lock;
  return buildDependencyLayer(input, resolved!, target, fullVersion, requiredBy);
}

/** The resolution of a lockless project for one target, as a lock of its chosen files. */
async function resolveForTarget(request: ResolutionRequest, target: Target, env: MarkerEnvironment, input: DependencyInput): Promise<{ lock: Lock; requiredBy: Map<string, string[]> }> {
  const result = await resolveRequest(request, {
    target,
    env,
    store: input.store,
    ...(input.cacheRoot ? { cacheRoot: input.cacheRoot } : {}),
    ...(input.preferences ? { preferences: input.preferences } : {}),
    buildSdist: async (name, version, sdist) => ((await input.store.builtFrom(sdist.sha256)) ?? (await buildAndStore(`${name} ${version}`, sdist, input.context, input.store, input.env))).file,
    environ: input.env,
  }).catch((err: unknown) => {
    // One line that says what was being resolved, why it failed, and the ways out.
    if (!(err instanceof NetworkError) && !(err instanceof ConfigError && err.code.startsWith('E_RESOL'))) throw err;
    const names = request.direct.slice(0, 4).join(', ') + (request.direct.length > 4 ? ` and ${request.direct.length - 4} more` : '');
    const message = `${request.input}: the dependencies (${names}) could not be resolved for ${platformText(input.platform)}: ${err.message}; fix the requirement or the index, make a lock (uv lock, pip-compile), or set include_deps = false to build without them`;
    throw err instanceof NetworkError ? new NetworkError(err.code, message, { cause: err, details: err.details }) : new ConfigError(err.code, message, { cause: err, details: err.details });
  });
  return { lock: { kind: 'requirements', path: request.input, packages: result.packages }, requiredBy: result.requiredBy };
}

async function buildDependencyLayer(
  input: DependencyInput,
  lock: Lock,
  target: Target | undefined,
  fullVersion: string,
  requiredBy: Map<string, string[]> | undefined,
): Promise<{ layer?: DependencyLayer; lock?: Lock; listing?: LayerScan }> {
  // A lock that locks nothing (a requirements file with only options): no dependency layer.
  if (!target || (lock.packages.length === 0 && !lock.localMembers?.length)) return { lock };
  const libc = target.libc;
  const lockDir = dirname(join(input.context, lock.path));
  const packages: LockedWheel[] = [];
  const toInstall: WheelToInstall[] = [];
  // Choose every wheel first (sdist builds run one at a time), then fetch them, a few at once.
  const choices: { pkg: LockedPackage; chosen: { wheel: LockedFile; tag: string; file?: string; sdist?: NonNullable<LockedWheel['sdist']> } }[] = [];
  for (const pkg of lock.packages) {
    const chosen = selectWheel(pkg.wheels, target) ?? (pkg.sdist ? await wheelFromSdist(pkg, pkg.sdist, target, lockDir, input) : undefined);
    if (!chosen) {
      const have = pkg.wheels.map((w) => w.filename);
      const needed = compatibleTags(target).slice(0, 3).join(', ');
      throw new ConfigError(
        'E_NO_WHEEL',
        `${lock.path}: ${pkg.name} ${pkg.version} has no wheel for ${platformText(input.platform)} (${formatLibc(libc)}, Python ${fullVersion}): ${
          have.length ? `it has ${have.join(', ')}` : pkg.sdist ? `only a source distribution, ${pkg.sdist.filename}` : 'no files at all'
        }; needed tags like ${needed}; pin a version that publishes one, or use a base image that matches a wheel it has`,
      );
    }
    choices.push({ pkg, chosen });
  }
  const files: string[] = [];
  await inParallel(choices, DOWNLOAD_CONCURRENCY, async ({ chosen }, i) => {
    files[i] = chosen.file ?? (await input.store.fetch({ ...chosen.wheel }, lockDir));
  });
  for (const [i, { pkg, chosen }] of choices.entries()) {
    const w = chosen.wheel;
    const file = files[i]!;
    const size = w.size ?? (await sizeOf(file));
    packages.push({
      name: pkg.name,
      version: pkg.version,
      filename: w.filename,
      ...(w.url ? { url: w.url } : {}),
      ...(w.path ? { path: relativeToContext(input.context, lockDir, w.path) } : {}),
      sha256: w.sha256,
      size,
      requested: pkg.requested,
      tag: chosen.tag,
      ...(pkg.directUrl ? { directUrl: pkg.directUrl } : {}),
      ...(chosen.sdist ? { sdist: chosen.sdist } : {}),
      ...(requiredBy?.get(pkg.name)?.length ? { requiredBy: requiredBy.get(pkg.name)! } : {}),
    });
    toInstall.push({ file, filename: w.filename, name: pkg.name, version: pkg.version, requested: pkg.requested, ...(pkg.directUrl ? { directUrl: { url: pkg.directUrl, archiveHash: `sha256=${w.sha256}` } } : {}) });
  }
  // Workspace members the project needs (editable/path sources): their code, packed into a wheel from
  // exactly the files listed in the plan.
  for (const member of lock.localMembers ?? []) {
    const dir = join(lockDir, member.directory);
    const shown = relativeToContext(input.context, lockDir, member.directory) || '.';
    const files = await readMemberSources(dir, member.name, shown);
    const built = assembleMemberWheel(member.name, member.version, files);
    const sha256 = createHash('sha256').update(built.data).digest('hex');
    const file = await input.store.addBytes(built.data);
    const requested = input.project.dependencies.some((d) => normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(d)?.[1] ?? '') === member.name);
    packages.push({
      name: member.name,
      version: member.version,
      filename: built.filename,
      sha256,
      size: built.data.length,
      requested,
      tag: 'py3-none-any',
      member: { directory: shown, files: files.map((f) => ({ path: f.source, sha256: createHash('sha256').update(f.data).digest('hex'), size: f.data.length })) },
    });
    toInstall.push({ file, filename: built.filename, name: member.name, version: member.version, requested });
  }
  const pythonMinor = fullVersion.split('.').slice(0, 2).join('.');
  const { layers, listing } = await assembleDependencyLayers(packages, toInstall, {
    venv: input.venv,
    pythonMinor,
    mtime: input.mtime,
    lock: lock.path,
    layering: input.layering ?? DEFAULT_LAYERING,
    ...(input.derived ? { derived: input.derived } : {}),
    ...(input.bytecode ? { bytecode: input.bytecode } : {}),
    ...(input.compressLayer ? { compressLayer: input.compressLayer } : {}),
  });
  return {
    lock,
    listing,
    layer: {
      platform: platformText(input.platform),
      lock: lock.path,
      target: { python: fullVersion, libc: formatLibc(libc), tag: platformTag(target) },
      mtime: input.mtime,
      ...(requiredBy ? { source: 'resolved' as const } : {}),
      packages: packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      layers,
    },
  };
}

/** Bumped when what a dependency layer holds changes for the same wheels (with pycontainer's version, in every key). */
const DERIVED_FORMAT = 1;

interface LayerSettings {
  venv: string;
  pythonMinor: string;
  mtime: number;
  lock: string;
  layering: Layering;
  derived?: DerivedCache;
  bytecode?: BytecodeCompiler;
  compressLayer?: CompressLayer;
}

/** A cached dependency layer: its diff_id and size. */
function isLayerRecord(v: unknown): v is { diffId: string; size: number } {
  const r = v as { diffId?: unknown; size?: unknown } | null;
  return typeof r === 'object' && r !== null && typeof r.diffId === 'string' && /^sha256:[a-f0-9]{64}$/.test(r.diffId) && Number.isSafeInteger(r.size);
}

/** A cached platform's install: the files of the venv's bin/ that the start-up check looks at. */
function isBinRecord(v: unknown): v is { bin: [string, number][] } {
  const r = v as { bin?: unknown } | null;
  return typeof r === 'object' && r !== null && Array.isArray(r.bin) && r.bin.every((b) => Array.isArray(b) && typeof b[0] === 'string' && typeof b[1] === 'number');
}

function keyOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify([DERIVED_FORMAT, PYCONTAINER_VERSION, value])).digest('hex');
}

/**
 * Cuts the platform's packages into layers (build.layers) and states each one's diff_id and size. The
 * numbers come from the cache when the same wheels were installed with the same settings before (key:
 * the group's wheel digests, names, versions, REQUESTED and direct URLs, venv path, python minor, mtime,
 * pycontainer's version); otherwise all wheels are planned together (clashes between groups are found)
 * and only the groups not cached are built and hashed. The listing is what the start-up check sees.
 */
async function assembleDependencyLayers(
  packages: LockedWheel[],
  toInstall: WheelToInstall[],
  settings: LayerSettings,
): Promise<{ layers: DependencyPart[]; listing: LayerScan }> {
  const { derived } = settings;
  const infos: DependencyInfo[] = [];
  for (const [i, p] of packages.entries()) {
    const w = toInstall[i]!;
    const sizeKey = keyOf(['installed-size', p.sha256]);
    let installedSize = (await derived?.get('wheel-size', sizeKey, (v): v is number => Number.isSafeInteger(v))) as number | undefined;
    if (installedSize === undefined) {
      installedSize = await wheelInstalledSize(w.file, p.filename);
      await derived?.put('wheel-size', sizeKey, installedSize);
    }
    infos.push({ name: p.name, version: p.version, installedSize, ...(p.member ? { local: true } : {}) });
  }
  // The application's layers come out of the same budget: its asset groups and the code layer.
  const groups = groupDependencies(infos, settings.layering, settings.layering.max - 1 - assetGroupCount(settings.layering));
  const byName = new Map(packages.map((p, i) => [p.name, { p, w: toInstall[i]! }]));
  // The .pyc bytes may depend on the compiler's exact version: it is part of every key.
  const common = { venv: settings.venv, pythonMinor: settings.pythonMinor, mtime: settings.mtime, ...(settings.bytecode ? { bytecode: settings.bytecode.info } : {}) };
  const keys = groups.map((g) =>
    keyOf(['deps-layer', common, g.packages.map((n) => {
      const { p, w } = byName.get(n)!;
      return [p.name, p.version, p.filename, p.sha256, w.requested, w.directUrl ?? null];
    })]),
  );
  const allKey = keyOf(['deps-listing', keys]);
  const cached = await Promise.all(keys.map((k) => derived?.get('deps-layer', k, isLayerRecord)));
  const bin = await derived?.get('deps-listing', allKey, isBinRecord);
  const createdBy = (g: DependencyGroup) => (settings.layering.strategy === 'single' ? `${DEPS_LAYER_CREATED_BY} (${settings.lock})` : `pycontainer: ${g.why} (${settings.lock})`);
  const binDir = `${settings.venv.slice(1)}/bin`;
  if (bin && cached.every((c) => c !== undefined)) {
    return {
      layers: groups.map((g, i) => ({ name: g.name, createdBy: createdBy(g), diffId: cached[i]!.diffId, size: cached[i]!.size, packages: g.packages })),
      listing: listingScan([...parentPaths(binDir).map((path) => ({ path, type: 'dir' as const, mode: 0o755 })), ...bin.bin.map(([path, mode]) => ({ path, type: 'file' as const, mode }))]),
    };
  }
  // Planned together, packed apart: only the groups the cache lacks are built.
  const plan = await planWheelsLayer(toInstall, { venv: settings.venv, pythonMinor: settings.pythonMinor, ...(settings.bytecode ? { bytecode: bytecodeTarget(settings.bytecode) } : {}) });
  const layers: DependencyPart[] = [];
  for (const [i, g] of groups.entries()) {
    let numbers = cached[i];
    if (!numbers) {
      const tar = packWheelsLayer(plan, settings.mtime, new Set(g.packages));
      if (settings.compressLayer) {
        const diff = new HashCounter();
        await settings.compressLayer(tar as unknown as NodeJS.ReadableStream, diff);
        numbers = { diffId: diff.digest(), size: diff.bytes };
      } else {
        const { hex, size } = await sha256OfStream(tar as unknown as AsyncIterable<Buffer>);
        numbers = { diffId: `sha256:${hex}`, size };
      }
      await derived?.put('deps-layer', keys[i]!, numbers);
    }
    layers.push({ name: g.name, createdBy: createdBy(g), diffId: numbers.diffId, size: numbers.size, packages: g.packages });
  }
  const listed = wheelsLayerListing(plan);
  await derived?.put('deps-listing', allKey, { bin: listed.filter((e) => e.type === 'file' && e.path.startsWith(`${binDir}/`)).map((e) => [e.path, e.mode]) });
  return { layers, listing: listingScan(listed) };
}

/** The compiler as the wheel installer uses it. */
export function bytecodeTarget(compiler: { info: { cacheTag: string }; compile: BytecodeCompiler['compile'] }): Bytecode {
  return { cacheTag: compiler.info.cacheTag, compile: (path, source) => compiler.compile(path, source) };
}

/** `app/.venv/bin` → `app`, `app/.venv`, `app/.venv/bin`. */
function parentPaths(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** A layer's listing as the root filesystem scan has it (no contents: a dependency layer has no kept files). */
function listingScan(entries: { path: string; type: 'file' | 'dir'; mode: number }[]): LayerScan {
  return { nodes: new Map(entries.map((e) => [e.path, { type: e.type, mode: e.mode, uid: 0, gid: 0 }])), whiteouts: [], opaque: [], contents: new Map() };
}

/** Re-creates the WheelToInstall list of a planned dependency layer (apply), fetching wheels as needed: all, or those named in `only`. */
export async function wheelsOf(layer: DependencyLayer, context: string, store: DistributionStore, env: NodeJS.ProcessEnv = process.env, only?: string[]): Promise<WheelToInstall[]> {
  const out: WheelToInstall[] = [];
  for (const p of layer.packages) {
    if (only && !only.includes(p.name)) continue;
    let file: string;
    if (p.member) {
      file = await memberWheelAgain(p, context, store);
    } else if (p.sdist) {
      // Built on the host at plan time: from the cache, or built again and checked to be the same wheel.
      const sdist = p.sdist;
      const built = (await store.builtFrom(sdist.sha256)) ?? (await buildAndStore(`${p.name} ${p.version}`, { ...sdist }, context, store, env));
      if (built.sha256 !== p.sha256) {
        throw new ConfigError('E_SDIST_DIFFERS', `${p.name} ${p.version}: building ${sdist.filename} here gave a wheel other than the plan's (the build is not reproducible); run \`pycontainer plan\` on this machine`);
      }
      file = built.file;
    } else {
      file = await store.fetch({ filename: p.filename, ...(p.url ? { url: p.url } : {}), ...(p.path ? { path: p.path } : {}), sha256: p.sha256, size: p.size }, context);
    }
    out.push({
      file,
      filename: p.filename,
      name: p.name,
      version: p.version,
      requested: p.requested,
      ...(p.directUrl ? { directUrl: { url: p.directUrl, archiveHash: `sha256=${p.sha256}` } } : {}),
    });
  }
  return out;
}

/**
 * A workspace member's wheel rebuilt from its directory at apply time: every planned file must be there
 * with the planned digest, and nothing else may have been added (the wheel's digest says so).
 */
async function memberWheelAgain(p: LockedWheel, context: string, store: DistributionStore): Promise<string> {
  const member = p.member!;
  const dir = join(context, member.directory);
  const changed: string[] = [];
  for (const f of member.files) {
    try {
      const data = await readFile(join(dir, f.path));
      if (createHash('sha256').update(data).digest('hex') !== f.sha256) changed.push(`${posixJoin(member.directory, f.path)} changed`);
    } catch {
      changed.push(`${posixJoin(member.directory, f.path)} was removed`);
    }
  }
  if (changed.length === 0) {
    const built = assembleMemberWheel(p.name, p.version, await readMemberSources(dir, p.name, member.directory));
    if (createHash('sha256').update(built.data).digest('hex') === p.sha256) return store.addBytes(built.data);
    changed.push(`workspace member ${p.name} (${member.directory}) has files added`);
  }
  throw new PlanError('E_PLAN_STALE', `the plan is stale: ${changed.length === 1 ? changed[0] : `${changed.length} files of workspace member ${p.name} changed`}; run \`pycontainer plan\` again`, {
    details: changed.length > 1 ? changed : [],
  });
}

function posixJoin(a: string, b: string): string {
  return a === '.' || a === '' ? b : `${a.replace(/\/+$/, '')}/${b}`;
}

/** An sdist fetched, verified and built into a wheel on the host, stored by digest and recorded by the sdist's. */
async function buildAndStore(
  what: string,
  sdist: { filename: string; url?: string; path?: string; sha256: string },
  baseDir: string,
  store: DistributionStore,
  env: NodeJS.ProcessEnv,
): Promise<{ filename: string; sha256: string; size: number; file: string }> {
  const sdistFile = await store.fetch(sdist, baseDir);
  const { wheel, cleanup } = await buildWheelFromSdist(what, sdistFile, sdist.filename, env);
  try {
    const added = await store.add(wheel);
    const record = { filename: basename(wheel), sha256: added.sha256, size: added.size };
    await store.recordBuilt(sdist.sha256, record);
    return { ...record, file: added.file };
  } finally {
    await cleanup();
  }
}

/**
 * A wheel for a package locked only as an sdist: built on the host (or taken from the cache of earlier
 * builds) and accepted only when it is platform-independent or exactly fits the target.
 */
async function wheelFromSdist(
  pkg: LockedPackage,
  sdist: LockedFile,
  target: Target,
  lockDir: string,
  input: DependencyInput,
): Promise<{ wheel: LockedFile; tag: string; file: string; sdist: NonNullable<LockedWheel['sdist']> } | undefined> {
  const what = `${pkg.name} ${pkg.version}`;
  const built = (await input.store.builtFrom(sdist.sha256)) ?? (await buildAndStore(what, sdist, lockDir, input.store, input.env));
  const fit = selectWheel([{ filename: built.filename }], target);
  if (!fit) {
    throw new ConfigError(
      'E_SDIST_PLATFORM',
      `${what}: the wheel built from ${sdist.filename} on this host (${built.filename}) does not fit ${platformTag(target)}: a compiled package must be built for the target; pin a version with a wheel for it`,
    );
  }
  const recorded = { filename: sdist.filename, sha256: sdist.sha256, ...(sdist.url ? { url: sdist.url } : {}), ...(sdist.path ? { path: relativeToContext(input.context, lockDir, sdist.path) } : {}) };
  return { wheel: { filename: built.filename, sha256: built.sha256, size: built.size }, tag: fit.tag, file: built.file, sdist: recorded };
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

function relativeToContext(context: string, lockDir: string, path: string): string {
  const abs = isAbsolute(path) ? path : join(lockDir, path);
  return relative(context, abs).split(sep).join('/');
}
