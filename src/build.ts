/**
 * The programmatic API: `build` (plan + apply + push) and `applyPlan` (an existing plan into an output
 * and/or registries), with typed options and events. The CLI's `build` and `apply` commands are thin
 * shells over these two, so what a script gets is what the command line does.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Plan } from '../generated/plan.js';
import { applyPlan as applyPlanToLayout, type ApplyEvent, type ApplyResult } from './apply/apply.js';
import { writeDockerArchive, writeLayoutArchive } from './apply/archive.js';
import { baseBlobSource } from './apply/base.js';
import { removeAbandonedSiblings, siblingTempPath } from './apply/layout.js';
import { findRemoteLayers, pushApplied, pushImage, readTagDigests, remoteLayerRefs, resolveCachedImage, type CachedImage } from './apply/push.js';
import { writeBlobTrust } from './cache/layers.js';
import { fetchRemoteLayers, type RemoteLayer } from './registry/remote-layers.js';
import { BlobInfoCache } from './cache/pushed.js';
import { COMPRESSION } from './oci/compress.js';
import { writeSbomFiles } from './sbom/artifacts.js';
import type { SbomFormat } from './sbom/model.js';
import { pushSbomReferrer } from './sbom/referrers.js';
import { formatTarget, outputTarget, type OutputTarget } from './apply/target.js';
import { BlobCache, defaultCacheDir, openBlobCache, ReadOnlyBlobCache } from './cache/store.js';
import { BytecodeCache } from './python/bytecode.js';
import { ApplyError, ConfigError } from './errors.js';
import { acquireLock, lockWaitMs, outputLockPath, type HeldLock } from './lock.js';
import { namesRegistry } from './plan/assemble.js';
import { compileProject, type CompileOptions } from './plan/compile.js';
import { RegistryClient } from './registry/client.js';
import { findCredential } from './registry/credentials.js';
import { parseReference, type ImageReference } from './registry/reference.js';

export type { ApplyEvent, ApplyResult } from './apply/apply.js';
export type { OutputTarget } from './apply/target.js';

/**
 * What build and applyPlan report while they work: apply's events, the plan once compiled, and a wait
 * for another pycontainer that writes the same output.
 */
export type BuildEvent =
  | ApplyEvent
  /** The plan, compiled; `verbose` when the project's configuration asks for verbose output. */
  | { kind: 'planned'; plan: Plan; verbose: boolean }
  | { kind: 'wait'; message: string };

/** Where the image goes and what to read it from; shared by `applyPlan` and `build`. */
export interface ApplyPlanOptions {
  /** The project directory the plan was made in (its paths are relative to it); default: the current directory. */
  context?: string;
  /**
   * Where to write: `oci:DIR` or `DIR` (an OCI layout), `oci-archive:FILE`, `docker-archive:FILE`
   * (for `docker load`; one platform), relative to `cwd`. Default: the plan's `output` (relative to
   * the context), or nothing when `push` is set.
   */
  output?: string | OutputTarget;
  /** Push to the registries the plan's tags name. */
  push?: boolean;
  /** Where relative paths start; default process.cwd(). */
  cwd?: string;
  /**
   * The layer cache directory; `false` for none. Default $XDG_CACHE_HOME/pycontainer (or the project's
   * `build.cache_dir` in `build`).
   */
  cacheDir?: string | false;
  /** Registry access (credentials, insecure hosts); default: credentials from the usual places. */
  registry?: RegistryClient;
  /**
   * With `push` and no output: images (registry references) whose layers are reused instead of built
   * when their diff_ids match; the tags pushed are always looked at. Default: the project's
   * `build.cache_from` in `build`.
   */
  cacheFrom?: string[];
  /**
   * Also write an SBOM (SPDX 2.3 or CycloneDX 1.6 JSON) per platform image: beside the output, into
   * the layout as an OCI 1.1 artifact whose subject is the image manifest, and with `push` as a
   * referrer. Default: the project's `build.sbom` in `build`.
   */
  sbom?: SbomFormat;
  onEvent?: (event: BuildEvent) => void;
}

/** What `build` hands its own apply besides the public options. */
interface InternalApplyOptions {
  /** build's one pass: the layers its compile already compressed into the cache. */
  builtLayers?: ReadonlySet<string>;
  /**
   * build: the plan was compiled from the context just now, which is not checked again (apply.ts),
   * so a push alone may go straight from the layer cache, with no apply.
   */
  contextVerified?: boolean;
  /** The project's build.cache_from, used when `cacheFrom` is not given. */
  configCacheFrom?: string[];
  /** compile_bytecode: where its compile kept the .pyc files. */
  bytecodeCache?: BytecodeCache;
  /** What the registry holds for the images pushed (and cache_from), as compile fetched it. */
  knownRemoteLayers?: ReadonlyMap<string, RemoteLayer>;
}

/** What `--json` shows and the API returns: the image, where it went, what a push did. */
export interface ApplyPlanResult extends Omit<ApplyResult, 'output'> {
  /** The layout or archive written (absolute), when one was. */
  output?: string;
  /** `reference@digest` for each reference pushed. */
  pushed?: string[];
  pushedBlobs?: Record<'uploaded' | 'mounted' | 'exists', number>;
  /** With `sbom`: the artifacts (one per platform, by digest) and the files written beside the output. */
  sbom?: { format: SbomFormat; artifacts: { platform: string; digest: string; subject: string }[]; files?: string[] };
}

/** Options of `build`: how to compile (as `pycontainer plan`) and where the image goes (as `applyPlan`). */
export interface BuildOptions extends Omit<CompileOptions, 'cache' | 'cwd' | 'registry' | 'registryLayers'>, Omit<ApplyPlanOptions, 'context'> {
  /** Compile only: the result has the plan and no image, and nothing is written (the cache included). */
  dryRun?: boolean;
}

export interface BuildResult {
  plan: Plan;
  /** The project directory (absolute). */
  context: string;
  /** Absent for a dry run. */
  image?: ApplyPlanResult;
}

/** The default registry client: credentials from docker/podman config files and environment variables. */
export function defaultRegistryClient(): RegistryClient {
  return new RegistryClient({ credential: (registry) => findCredential(registry) });
}

/**
 * Compiles the project into a plan and applies it: into the output (default: the plan's), and/or to
 * the registries its tags name with `push`. The project's own settings (`dry_run`, `push`, `cache`,
 * `cache_dir`) apply as on the command line.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  // compile_bytecode with no cache: the .pyc files compile makes are kept here for apply (made on first use).
  const bytecodeScratch = BytecodeCache.scratch();
  try {
    return await compileAndApply(options, bytecodeScratch);
  } finally {
    await bytecodeScratch.close();
  }
}

async function compileAndApply(options: BuildOptions, bytecodeScratch: BytecodeCache): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const registry = options.registry ?? defaultRegistryClient();
  const emit = options.onEvent ?? (() => undefined);
  const cacheDir = options.cacheDir === undefined || options.cacheDir === false ? options.cacheDir : resolve(cwd, options.cacheDir);
  // A dry run reads the cache but stores nothing in it: a scratch directory takes what it would store.
  const dryCache = options.dryRun && cacheDir !== false ? await ReadOnlyBlobCache.over(cacheDir ?? defaultCacheDir(options.env)) : undefined;
  let compiled;
  try {
    const compileCache = cacheDir === false ? null : (dryCache ?? (cacheDir ? await openBlobCache(cacheDir, 'cacheDir') : undefined));
    // One pass: the layers compile streams (to learn their diff_ids) are compressed into the cache on
    // the way, so apply takes them from there instead of reading the files again.
    // A push alone: compile asks what the registry holds once it knows the tags (it then leaves the
    // layers the registry most likely has uncompressed), and the push takes that answer.
    const registryLayers: CompileOptions['registryLayers'] = options.output === undefined
      ? ({ tags, platforms, cacheFrom }) => {
          const targets = tagTargets(tags);
          return fetchRemoteLayers(registry, remoteLayerRefs(targets, cacheFromReferences(options.cacheFrom, cacheFrom)), { platforms, pushTargets: targets });
        }
      : undefined;
    compiled = await compileProject({ ...options, cwd, registry, compressLayers: !options.dryRun, dryRun: options.dryRun === true, bytecodeScratch, ...(compileCache !== undefined ? { cache: compileCache } : {}), ...(registryLayers ? { registryLayers } : {}) });
  } finally {
    await dryCache?.close();
  }
  const { plan, config, context, builtLayers, bytecodeCache, registryLayers } = compiled;
  emit({ kind: 'planned', plan, verbose: config.build.verbose === true });
  if (options.dryRun || config.build.dry_run) return { plan, context };
  const image = await applyWithOptions(plan, {
    ...options,
    context,
    cwd,
    registry,
    push: options.push || config.build.push === true,
    cacheDir: cacheDir ?? (config.build.cache === false ? false : await configCacheDir(context, config.build.cache_dir)),
    ...(config.build.cache_from ? { configCacheFrom: config.build.cache_from } : {}),
    ...(options.sbom ?? config.build.sbom ? { sbom: (options.sbom ?? config.build.sbom)! } : {}),
    builtLayers,
    ...(bytecodeCache ? { bytecodeCache } : {}),
    ...(registryLayers ? { knownRemoteLayers: registryLayers } : {}),
    contextVerified: true,
  });
  return { plan, context, image };
}

/**
 * Applies a plan: writes the image it describes into a layout or an archive, and/or (with `push`)
 * to the registries its tags name. Inputs are re-hashed while they stream; a changed project stops it
 * before anything is published. The output is locked against other pycontainer processes and appears
 * whole or not at all. A push without an output stages our blobs in a temporary layout and takes base
 * layers straight from the base image.
 */
export async function applyPlan(plan: Plan, options: ApplyPlanOptions = {}): Promise<ApplyPlanResult> {
  return applyWithOptions(plan, options);
}

async function applyWithOptions(plan: Plan, options: ApplyPlanOptions & InternalApplyOptions): Promise<ApplyPlanResult> {
  const cwd = options.cwd ?? process.cwd();
  const context = resolve(cwd, options.context ?? '.');
  const emit = options.onEvent ?? (() => undefined);
  const client = options.registry ?? defaultRegistryClient();
  const target = typeof options.output === 'object' ? options.output : options.push && options.output === undefined ? undefined : outputTarget(options.output, plan, context, cwd);
  if (target?.kind === 'docker-archive' && plan.images.length > 1) {
    throw new ConfigError(
      'E_OUTPUT',
      `${formatTarget(target)} holds one platform and the plan has ${plan.images.map((i) => i.platform).join(', ')}; plan for one with --platform (e.g. --platform ${plan.images[0]!.platform}), or write oci-archive:FILE`,
    );
  }
  const targets = options.push ? pushTargets(plan) : [];
  const cacheFrom = targets.length ? cacheFromReferences(options.cacheFrom, options.configCacheFrom) : [];
  const cache = options.cacheDir === undefined ? new BlobCache(defaultCacheDir()) : await cacheAt(options.cacheDir);
  const common = { context, registry: client, ...(cache ? { cache } : {}), ...(options.builtLayers ? { builtLayers: options.builtLayers } : {}), ...(options.bytecodeCache ? { bytecodeCache: options.bytecodeCache } : {}), ...(options.contextVerified ? { contextVerified: true } : {}), onEvent: emit };
  // A push alone reuses layers the registry already holds (the tags pushed, cacheFrom): they are
  // neither built nor staged. A layout or archive must be whole, so it builds them.
  const remoteLayers = targets.length && !target
    ? await findRemoteLayers(plan, targets, cacheFrom, client, {
        isCached: async (diffId) => (cache ? (await cache.lookupLayer(diffId, COMPRESSION.name)) !== undefined : false),
        ...(options.knownRemoteLayers ? { known: options.knownRemoteLayers } : {}),
      })
    : new Map<string, RemoteLayer>();
  for (const l of remoteLayers.values()) emit({ kind: 'check', message: `layer ${l.diffId} is in ${l.from.registry}/${l.from.repository} (${l.digest}): not built` });
  // build --push alone, every layer in the cache or the registry: no apply, no staging layout.
  if (options.contextVerified && targets.length && !target && cache && !options.sbom) {
    const cached = await resolveCachedImage(plan, cache, remoteLayers, options.builtLayers);
    if (cached) return pushCachedImage(plan, cached, targets, { context, client, cache, remoteLayers, built: options.builtLayers?.size ?? 0, emit });
  }
  const lock = target ? await lockOutput(target, (message) => emit({ kind: 'wait', message })) : undefined;
  let temporary: string | undefined;
  let result: ApplyPlanResult;
  try {
    // An archive is packed from a layout staged beside it; a push alone stages in the temp directory.
    if (target && target.kind !== 'layout') {
      temporary = siblingTempPath(target.path);
      await mkdir(temporary);
    } else if (!target) temporary = await mkdtemp(join(tmpdir(), '.pycontainer-staging-'));
    const staging = target?.kind === 'layout' ? target.path : join(temporary!, 'layout');
    // Only a layout or archive needs the base layers locally; a push takes them from the base.
    const applied = await applyPlanToLayout(plan, { ...common, output: staging, skipBaseBlobs: target === undefined, remoteLayers, ...(options.sbom ? { sbom: options.sbom } : {}) });
    if (target?.kind === 'archive') await writeLayoutArchive(staging, target.path);
    if (target?.kind === 'docker-archive') await writeDockerArchive(staging, target.path, plan.tags);
    const { sboms = [], ...image } = applied;
    result = image;
    if (sboms.length) {
      const files = target ? await writeSbomFiles(target.path, sboms) : undefined;
      result.sbom = { format: sboms[0]!.format, artifacts: sboms.map((a) => ({ platform: a.platform, digest: a.descriptor.digest, subject: a.subject.digest })), ...(files ? { files } : {}) };
    }
    if (targets.length) {
      const blobInfo = cache ? new BlobInfoCache(cache.root) : undefined;
      const source = baseBlobSource(plan.base.ref, context, client, cache, plan.base.images.flatMap((i) => i.layers));
      const pushed = await pushApplied(plan, applied, targets, client, source, emit, { remoteLayers, ...(blobInfo ? { blobInfo } : {}), ...(cache ? { cache } : {}) });
      result.pushed = pushed.references.map((r) => `${r}@${pushed.digest}`);
      result.pushedBlobs = { uploaded: 0, mounted: 0, exists: 0 };
      for (const b of pushed.blobs) result.pushedBlobs[b.outcome]++;
      // The SBOMs as referrers of the manifests just pushed.
      for (const t of targets) for (const a of sboms) await pushSbomReferrer(client, { registry: t.registry, repository: t.repository }, a);
    }
    if (target) result.output = target.path;
    else delete result.output;
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
    await lock?.release();
  }
  return result;
}

/**
 * build --push with no output, when every layer is a trusted cache file or in the registry: the
 * manifest digest is known before any blob is read, so one HEAD per tag decides. Tags that already
 * point at it cost nothing more (no blob requests, no layout, no blob reads); otherwise the blobs go
 * from the cache files to the registry and the manifests after them.
 */
async function pushCachedImage(
  plan: Plan,
  cached: CachedImage,
  targets: ImageReference[],
  options: { context: string; client: RegistryClient; cache: BlobCache; remoteLayers: ReadonlyMap<string, RemoteLayer>; built: number; emit: (e: BuildEvent) => void },
): Promise<ApplyPlanResult> {
  const { cache, client, emit } = options;
  for (const l of cached.layers) {
    emit({ kind: 'layer-start', layer: l.name, total: l.size, cached: l.cached });
    emit({ kind: 'layer-done', layer: l.name, digest: l.digest, size: l.size, cached: l.cached });
  }
  const tagDigests = await readTagDigests(client, targets);
  const source = baseBlobSource(plan.base.ref, options.context, client, cache, plan.base.images.flatMap((i) => i.layers));
  const pushed = await pushImage(plan, cached.image, targets, client, source, emit, { remoteLayers: options.remoteLayers, blobInfo: new BlobInfoCache(cache.root), tagDigests, cache });
  // Mark the layers used (the cache evicts least recently used blobs), keeping their trust.
  for (const [digest, path] of cached.files) await writeBlobTrust(cache.root, path, digest);
  // The layers this build compressed went into the cache: keep it within its bound.
  if (options.built > 0) await cache.evict().catch(() => undefined);
  const top = cached.image.top.desc;
  const pushedBlobs = { uploaded: 0, mounted: 0, exists: 0 };
  for (const b of pushed.blobs) pushedBlobs[b.outcome]++;
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    tags: plan.tags,
    images: cached.images,
    layers: cached.layers,
    pushed: pushed.references.map((r) => `${r}@${pushed.digest}`),
    pushedBlobs,
  };
}

/** build.cache_dir of the project, checked (a file is an error naming the key). */
async function configCacheDir(context: string, dir: string | undefined): Promise<string | undefined> {
  if (!dir) return undefined;
  return (await openBlobCache(resolve(context, dir), 'build.cache_dir')).root;
}

/** The cache in `dir` (created when missing; a file is an error), or none. */
async function cacheAt(dir: string | false): Promise<BlobCache | undefined> {
  if (dir === false) return undefined;
  return openBlobCache(dir, '--cache-dir');
}

/**
 * The images a push may take layers from (--cache-from or build.cache_from): each a registry
 * reference, checked here, naming the flag or key.
 */
export function cacheFromReferences(flag: string[] | undefined, configured: string[] | undefined): ImageReference[] {
  const [list, source] = flag?.length ? [flag, '--cache-from'] : [configured ?? [], 'build.cache_from'];
  return list.map((text) => {
    if (!namesRegistry(text)) throw new ConfigError('E_CACHE_FROM', `${source}: "${text}" names no registry; write it in full, like ghcr.io/you/app:latest`);
    try {
      return parseReference(text);
    } catch (err) {
      throw new ConfigError('E_CACHE_FROM', `${source}: ${(err as Error).message}`);
    }
  });
}

/** The references a push goes to: the plan's tags, each of which must name a registry. */
export function pushTargets(plan: Plan): ImageReference[] {
  return tagTargets(plan.tags);
}

function tagTargets(tags: string[]): ImageReference[] {
  return tags.map((tag) => {
    if (!namesRegistry(tag)) {
      throw new ConfigError(
        'E_PUSH_TARGET',
        `--push: the tag "${tag}" names no registry (it would go to Docker Hub's library namespace); tag it like ghcr.io/you/${tag} or set --registry / [registry] url`,
      );
    }
    return parseReference(tag);
  });
}

/**
 * Takes the lock of an output (layout directory or archive file), waiting a bounded time for another
 * pycontainer writing it, and removes what killed runs left beside it.
 */
async function lockOutput(target: OutputTarget, announce: (line: string) => void): Promise<HeldLock> {
  try {
    await mkdir(dirname(target.path), { recursive: true });
  } catch (err) {
    throw new ApplyError('E_OUTPUT', `cannot create the directory of the output ${target.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose another --output`);
  }
  if (target.kind !== 'layout' && (await stat(target.path).then((s) => s.isDirectory(), () => false))) {
    throw new ConfigError('E_OUTPUT', `--output ${formatTarget(target)} is a directory; name a file, e.g. ${formatTarget({ ...target, path: join(target.path, 'image.tar') })}`);
  }
  const lock = await acquireLock(outputLockPath(target.path), {
    what: target.path,
    waitMs: lockWaitMs(),
    onWait: (owner) => announce(`waiting for another pycontainer (pid ${owner.pid}) writing ${target.path}`),
  });
  try {
    await removeAbandonedSiblings(target.path);
  } catch (err) {
    await lock.release();
    throw err;
  }
  return lock;
}
