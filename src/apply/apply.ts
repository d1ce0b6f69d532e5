import { createReadStream, createWriteStream } from 'node:fs';
import { link, lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DependencyLayer, DependencyPart, Layer, Plan } from '../../generated/plan.js';
import type { BlobCache } from '../cache/store.js';
import { contextReader, walkContext } from '../config/context.js';
import { INPUT_FILE, isIncluded } from '../config/detect.js';
import { compileIgnore } from '../config/ignore.js';
import { ApplyError, PlanError, PycontainerError } from '../errors.js';
import { wheelsOf } from '../plan/dependencies.js';
import { BytecodeCache, LazyCompiler, strictCompile } from '../python/bytecode.js';
import { DistributionStore } from '../python/index/download.js';
import { wheelsLayerTar } from '../python/install/wheel.js';
import { HashCounter, sha256Hex, sha256OfStream } from '../oci/digest.js';
import { canonicalJson, MEDIA_TYPES } from '../oci/image.js';
import { ChunkPool, LARGE_FILE_CHUNK } from '../oci/chunk-pool.js';
import { COMPRESSION, createLayerBlobWriter } from '../oci/compress.js';
import { describeLayerMismatch, LayerVerifier, layerTar, ReadAhead, type FileReader } from '../oci/layer.js';
import type { Descriptor } from '../oci/layout.js';
import type { RegistryClient } from '../registry/client.js';
import { referrerEntries, writeSbomArtifacts } from '../sbom/artifacts.js';
import type { SbomFormat } from '../sbom/model.js';
import type { SbomArtifact } from '../sbom/referrers.js';
import { baseBlobSource, type BaseBlobSource } from './base.js';
import { StatCache, stampOf, stampSize, type FileStamp } from '../cache/stat.js';
import { layerKey, readBlobTrusted, writeBlobTrust, writeLayerKey } from '../cache/layers.js';
import { LayoutWriter } from './layout.js';
import { assembleIndex, assembleManifest, baseImageOf, withPlatform } from './manifest.js';

export { COMPRESSION } from '../oci/compress.js';

export type ApplyEvent =
  | { kind: 'check'; message: string }
  | { kind: 'layer-start'; layer: string; total: number; cached: boolean }
  | { kind: 'layer-progress'; layer: string; bytes: number; total: number }
  | { kind: 'layer-done'; layer: string; digest: string; size: number; cached: boolean }
  | { kind: 'base-copy'; digest: string; size: number; skipped: boolean }
  | { kind: 'published'; digest: string; tags: string[] }
  | { kind: 'push-blob'; digest: string; size: number; outcome: 'started' | 'exists' | 'mounted' | 'uploaded' }
  /** Bytes of a blob sent so far in its current upload (a retried upload starts again at 0). */
  | { kind: 'push-progress'; digest: string; bytes: number; size: number }
  | { kind: 'pushed'; reference: string; digest: string };

export interface ApplyOptions {
  /** The project directory the plan's paths are relative to (absolute). */
  context: string;
  /** OCI layout directory to write (absolute). */
  output: string;
  cache?: BlobCache;
  /** For base images in registries. */
  registry?: RegistryClient;
  /**
   * Inputs whose stamps the stat cache vouches for are not read again; default: the cache directory's
   * stat cache for this context (none without a cache).
   */
  statCache?: StatCache;
  /**
   * diff_ids of layers this process built into the cache just before (build's one pass): taken from the
   * cache, but reported as built (cached: false), which is what they are.
   */
  builtLayers?: ReadonlySet<string>;
  /** How copied files are read (tests count reads through it); default: from the context. */
  readerFor?: (contextAbs: string) => FileReader;
  /**
   * The caller compiled this plan from the context in this process, just before (build): the inputs,
   * the listing and every file's digest were checked then, so they are not checked again before cached
   * layers are taken. A layer that has to be built still checks every file it streams.
   */
  contextVerified?: boolean;
  /** Leave base layers out of the layout (a staging layout for a push, which takes them from the base). */
  skipBaseBlobs?: boolean;
  /**
   * Layers a registry already holds, by diff_id (a push's staging layout only): such a layer is not
   * built and its blob stays out of the layout, like base blobs with skipBaseBlobs; the manifest names
   * the remote blob and the push skips or mounts it.
   */
  remoteLayers?: ReadonlyMap<string, { digest: string; size: number }>;
  onEvent?: (event: ApplyEvent) => void;
  /** Also write an SBOM per platform image into the layout, as an OCI 1.1 artifact (src/sbom/). */
  sbom?: SbomFormat;
  /** compile_bytecode: where `build`'s compile kept the .pyc files (src/python/bytecode.ts); default: the cache's. */
  bytecodeCache?: BytecodeCache;
}

export interface ApplyResult {
  /** The manifest (one platform) or index (several) that the tags point at. */
  digest: string;
  mediaType: string;
  size: number;
  tags: string[];
  output: string;
  images: { platform: string; manifest: string; config: string }[];
  layers: { name: string; diffId: string; digest: string; size: number; cached: boolean }[];
  /** With options.sbom: the SBOM artifacts written into the layout. */
  sboms?: SbomArtifact[];
}

/**
 * Materializes a plan, and nothing else, into an OCI image layout. Inputs are checked against the
 * plan before anything is written and re-hashed while they stream into the layer; any difference
 * stops apply before index.json changes, naming what changed. What apply produces — diff_ids and the
 * config digests — equals what the plan states. A failed apply leaves the output as it was (absent if
 * it was absent). The caller holds the output's lock (runApply does) so that no other process writes it.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const emit = options.onEvent ?? (() => undefined);
  let statCache: StatCache;
  let stamps: Map<string, FileStamp>;
  if (options.contextVerified) {
    // build: its compile has just listed and hashed the context; checking again would double the work.
    statCache = options.statCache ?? StatCache.inMemory();
    stamps = new Map();
  } else {
    emit({ kind: 'check', message: 'checking the plan against the context' });
    statCache = options.statCache ?? (options.cache ? await StatCache.read(options.cache.root, options.context) : StatCache.inMemory());
    await checkInputs(plan, options.context, statCache);
    // The application layers share one listing of the context (build.layers cuts it into parts).
    stamps = await checkListing({ ...plan.layers[0]!, entries: plan.layers.flatMap((l) => l.entries) }, options.context);
  }

  const writer = await LayoutWriter.open(options.output);
  // compile_bytecode: a compiler of the plan's Python, started only when a layer has to be built.
  // What plan compiled is taken from the cache (the plan's digests check it like anything built).
  const pycCache = options.bytecodeCache ?? (options.cache ? BytecodeCache.in(options.cache.root) : undefined);
  const bytecode = plan.python.bytecode ? new LazyCompiler(plan.python.version.split('.').slice(0, 2).join('.'), plan.python.bytecode, process.env, pycCache) : undefined;
  try {
    const result = await writeImage(plan, { ...options, statCache, ...(bytecode ? { bytecode } : {}) }, writer, emit, stamps);
    await statCache.write();
    return result;
  } catch (err) {
    await writer.abort().catch(() => undefined);
    throw err;
  } finally {
    await bytecode?.close();
  }
}

/** Everything apply writes, into `writer`; published (and a new layout renamed into place) last. */
async function writeImage(
  plan: Plan,
  options: ApplyOptions & { statCache: StatCache; bytecode?: LazyCompiler },
  writer: LayoutWriter,
  emit: (e: ApplyEvent) => void,
  stamps: Map<string, FileStamp>,
): Promise<ApplyResult> {
  const baseSource = options.skipBaseBlobs ? undefined : baseBlobSource(plan.base.ref, options.context, options.registry, options.cache);

  const reader = (options.readerFor ?? contextReader)(options.context);
  const built: { layer: Layer; digest: string; size: number; cached: boolean }[] = [];
  for (const layer of plan.layers) {
    const job = entriesLayerJob(layer, options.context, { stat: options.statCache, stamps, reader, verified: options.contextVerified === true }, options.bytecode);
    built.push({ layer, ...(await materializeLayer(job, options, writer, emit)) });
  }
  // Per platform, the dependency layers in the plan's order (build.layers: large ones alone, groups).
  const deps = new Map<string, { name: string; digest: string; size: number; cached: boolean; diffId: string }[]>();
  for (const dep of plan.dependencies ?? []) {
    const parts = [];
    for (const part of dep.layers) parts.push({ name: `${part.name} ${dep.platform}`, diffId: part.diffId, ...(await materializeLayer(depsLayerJob(dep, part, plan, options), options, writer, emit)) });
    deps.set(dep.platform, parts);
  }

  const images: ApplyResult['images'] = [];
  const manifests: Descriptor[] = [];
  const subjects: { platform: string; manifest: Descriptor }[] = [];
  for (const image of plan.images) {
    const configText = canonicalJson(image.config);
    if (`sha256:${sha256Hex(configText)}` !== image.configDigest) {
      throw new ApplyError('E_CONFIG_DIGEST', `the image config for ${image.platform} does not hash to the plan's ${image.configDigest}; the plan was edited by hand or is corrupt`);
    }
    const config = await writer.writeJsonBlob(configText, MEDIA_TYPES.ociConfig);
    const baseLayers = baseImageOf(plan, image.platform)?.layers ?? [];
    if (!options.skipBaseBlobs) for (const l of baseLayers) await copyBaseBlob(l, baseSource, writer, emit);
    const desc = await writer.writeJsonBlob(assembleManifest(plan, image.platform, config, deps.get(image.platform) ?? [], built), MEDIA_TYPES.ociManifest);
    manifests.push(withPlatform(desc, image.platform));
    subjects.push({ platform: image.platform, manifest: desc });
    images.push({ platform: image.platform, manifest: desc.digest, config: config.digest });
  }

  let top: Descriptor;
  if (manifests.length === 1) {
    const { platform: _platform, ...only } = manifests[0]!;
    top = only;
  } else {
    top = await writer.writeJsonBlob(assembleIndex(plan, manifests), MEDIA_TYPES.ociIndex);
  }
  const sboms = options.sbom ? await writeSbomArtifacts(plan, options.sbom, subjects, writer, { context: options.context, ...(options.cache ? { cache: options.cache } : {}), ...(options.registry ? { registry: options.registry } : {}) }) : undefined;
  await writer.publish(top, plan.tags, sboms ? referrerEntries(sboms, top) : []);
  await writer.finish();
  if (options.cache) await options.cache.evict().catch(() => undefined);
  emit({ kind: 'published', digest: top.digest, tags: plan.tags });
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    tags: plan.tags,
    output: options.output,
    images,
    layers: [
      ...[...deps.values()].flat().map((d) => ({ name: d.name, diffId: d.diffId, digest: d.digest, size: d.size, cached: d.cached })),
      ...built.map((b) => ({ name: b.layer.name, diffId: b.layer.diffId, digest: b.digest, size: b.size, cached: b.cached })),
    ],
    ...(sboms ? { sboms } : {}),
  };
}

function stale(what: string[]): PlanError {
  return new PlanError('E_PLAN_STALE', `the plan is stale: ${what.length === 1 ? what[0] : `${what.length} inputs changed`}; run \`pycontainer plan\` again`, {
    details: what.length > 1 ? what : [],
  });
}

/**
 * The configuration inputs (pyproject.toml, pycontainer.toml, ignore and lock files) as hashed at plan
 * time; those the stat cache vouches for are not read.
 */
async function checkInputs(plan: Plan, context: string, statCache: StatCache): Promise<void> {
  const changed: string[] = [];
  const known = new Set(plan.inputs.map((i) => i.path));
  for (const name of (await readdir(context)).sort()) {
    if (INPUT_FILE.test(name) && !known.has(name)) changed.push(`${name} was added`);
  }
  for (const input of plan.inputs) {
    try {
      const st = await lstat(join(context, input.path), { bigint: true }).catch(() => undefined);
      const stamp = st?.isFile() ? stampOf(st) : undefined;
      if (stamp && statCache.lookup(input.path, stamp) === input.sha256) continue;
      const hex = sha256Hex(await readFile(join(context, input.path)));
      if (stamp) statCache.record(input.path, stamp, hex);
      if (hex !== input.sha256) changed.push(`${input.path} changed`);
    } catch {
      changed.push(`${input.path} was removed`);
    }
  }
  if (changed.length) throw stale(changed);
}

/**
 * The context, listed with the plan's include and exclude rules, must hold exactly the planned files.
 * Returns the listed files' stamps, for the stat cache.
 */
async function checkListing(layer: Layer, context: string): Promise<Map<string, FileStamp>> {
  const files = await walkContext(context, compileIgnore(layer.exclude));
  // The same rule as compile's (`.` is the whole context).
  const included = files.filter((f) => isIncluded(f.path, layer.include));
  const planned = new Map(layer.entries.filter((e) => e.source !== undefined).map((e) => [e.source!, e]));
  const problems: string[] = [];
  for (const f of included) {
    const e = planned.get(f.path);
    planned.delete(f.path);
    if (!e) problems.push(`${f.path} was added`);
    else if (e.type !== f.type) problems.push(`${f.path} is now a ${f.type}, planned as a ${e.type}`);
    else if (f.type === 'symlink' && e.target !== f.target) problems.push(`${f.path} now points to ${f.target}`);
    else if (f.type === 'file' && e.size !== f.size) problems.push(`${f.path} changed (${e.size} → ${f.size} bytes)`);
    else if (f.type === 'file' && (e.mode === '0755') !== f.executable) problems.push(`${f.path} changed mode`);
  }
  for (const path of planned.keys()) problems.push(`${path} was removed`);
  if (problems.length) throw stale(problems);
  return new Map(included.filter((f) => f.stamp).map((f) => [f.path, f.stamp!]));
}

/** The stat cache and the stamps listed by checkListing: what lets apply skip reading unchanged files. */
interface StatVouching {
  stat: StatCache;
  stamps: Map<string, FileStamp>;
  reader: FileReader;
  /** The files were hashed by this process's compile just before (build): nothing to check before a cached blob is taken. */
  verified?: boolean;
}

/**
 * Compares the layer's copied files with the plan's digests: those the stat cache vouches for by their
 * stamps are taken as hashed; the others are read again (and the cache learns them).
 */
async function verifyFiles(entries: Layer['entries'], context: string, vouching: StatVouching | undefined): Promise<void> {
  const problems: string[] = [];
  const stampOfEntry = (e: Layer['entries'][number]) => (e.source !== undefined ? vouching?.stamps.get(e.source) : undefined);
  const unvouched = entries.filter((e) => {
    if (e.type !== 'file' || e.source === undefined) return false;
    const stamp = stampOfEntry(e);
    return !(stamp && stampSize(stamp) === e.size && vouching!.stat.lookup(e.source, stamp) === e.sha256);
  });
  const reader = vouching?.reader ?? contextReader(context);
  const ahead = new ReadAhead(unvouched, reader);
  for (const [index, e] of unvouched.entries()) {
    const { hex, size } = ReadAhead.isSmall(e) ? hashBuffer(await ahead.take(index)) : await sha256OfStream(reader.stream(e));
    const stamp = stampOfEntry(e);
    if (stamp && stampSize(stamp) === size) vouching!.stat.record(e.source!, stamp, hex);
    if (hex !== e.sha256 || size !== e.size) problems.push(`${e.source} changed`);
  }
  if (problems.length) throw stale(problems);
}

function hashBuffer(buf: Buffer): { hex: string; size: number } {
  return { hex: sha256Hex(buf), size: buf.length };
}

/** A layer to materialize: how to check its inputs before reusing a cached blob, and how to build it. */
interface LayerJob {
  name: string;
  diffId: string;
  size: number;
  /** Throws when the inputs no longer match the plan (a cached blob must not be served for them). */
  checkInputs(): Promise<void>;
  /** The uncompressed tar, and after it has been read, the inputs that turned out different. */
  /** `pool`: the tar's large files were read into its buffers; the compressor gives them back (chunk-pool.ts). */
  build(): Promise<{ tar: AsyncIterable<Buffer> | NodeJS.ReadableStream; changed: () => string[]; pool?: ChunkPool }>;
  /** The layer key cache's key (entries, mtime, tar version), when the entries state every digest; computed only for a layer built. */
  key?(): string | undefined;
  /** Why built bytes may differ from the plan's, besides a changed input (another compiler). */
  hint?(): string | undefined;
}

/** A layer of planned entries (files from the context, generated files): the app layer, a venv copy. */
function entriesLayerJob(
  layer: { name: string; diffId: string; size: number; mtime: number; entries: Layer['entries'] },
  context: string,
  vouching?: StatVouching,
  bytecode?: LazyCompiler,
): LayerJob {
  return {
    name: layer.name,
    diffId: layer.diffId,
    size: layer.size,
    key: () => layerKey(layer.entries, layer.mtime),
    checkInputs: async () => (vouching?.verified ? undefined : verifyFiles(layer.entries, context, vouching)),
    hint: () => bytecode?.differs(),
    build: async () => {
      const changed: string[] = [];
      const compile = bytecode ? strictCompile(bytecode) : undefined;
      const pool = new ChunkPool(LARGE_FILE_CHUNK);
      const tar = layerTar(layer.entries, layer.mtime, vouching?.reader ?? contextReader(context), (f) => {
        // A .pyc's source is checked as a file of its own; its bytes differ only with another compiler.
        if (f.entry.bytecodeOf !== undefined) {
          if (f.sha256 !== f.entry.sha256 && !changed.length) changed.push(`${f.entry.path}: ${bytecode?.differs() ?? 'compiled bytecode differs from the plan'}`);
        } else if (f.sha256 !== f.entry.sha256 || f.size !== f.entry.size) changed.push(`${f.entry.source} changed`);
        else {
          const stamp = f.entry.source !== undefined ? vouching?.stamps.get(f.entry.source) : undefined;
          if (stamp && stampSize(stamp) === f.size) vouching!.stat.record(f.entry.source!, stamp, f.sha256);
        }
      }, compile, pool);
      return { tar: tar as unknown as NodeJS.ReadableStream, changed: () => changed, pool };
    },
  };
}

/** One dependency layer of a platform: its packages' wheels installed, or (a venv source) its copied files. */
function depsLayerJob(layer: DependencyLayer, part: DependencyPart, plan: Plan, options: ApplyOptions & { bytecode?: LazyCompiler }): LayerJob {
  const name = `${part.name} ${layer.platform}`;
  if (layer.entries) {
    // Files copied from a venv: checked before a cached blob is taken, unless build's compile just hashed them.
    const verified = options.contextVerified ? { stat: StatCache.inMemory(), stamps: new Map<string, FileStamp>(), reader: (options.readerFor ?? contextReader)(options.context), verified: true } : undefined;
    return entriesLayerJob({ name, diffId: part.diffId, size: part.size, mtime: layer.mtime, entries: layer.entries }, options.context, verified);
  }
  return {
    name,
    diffId: part.diffId,
    size: part.size,
    // Wheels are content-addressed and the lock is among the plan's inputs: nothing more to check.
    checkInputs: async () => undefined,
    hint: () => options.bytecode?.differs(),
    build: async () => {
      const store = await DistributionStore.open(options.cache);
      try {
        // Only this layer's wheels are planned: the same bytes as this part of the whole plan.
        const wheels = await wheelsOf(layer, options.context, store, process.env, part.packages);
        const bytecode = options.bytecode;
        const tar = await wheelsLayerTar(
          wheels,
          {
            venv: plan.python.venv,
            pythonMinor: plan.python.version.split('.').slice(0, 2).join('.'),
            ...(bytecode ? { bytecode: { cacheTag: bytecode.planned.cacheTag, compile: (path: string, source: Buffer) => bytecode.compile(path, source) } } : {}),
          },
          layer.mtime,
        );
        // The store (temporary without a cache) must outlive the stream.
        tar.once('close', () => void store.close());
        return { tar: tar as unknown as NodeJS.ReadableStream, changed: () => [] };
      } catch (err) {
        await store.close();
        throw err;
      }
    },
  };
}

/**
 * The layer's compressed blob in the layout: from the cache when this diff_id was built before with the
 * same compression (after checking the inputs), else built by streaming tar → gzip → file with every
 * input checked on the way.
 */
async function materializeLayer(
  job: LayerJob,
  options: ApplyOptions,
  writer: LayoutWriter,
  emit: (e: ApplyEvent) => void,
): Promise<{ digest: string; size: number; cached: boolean }> {
  const cache = options.cache;
  const hit = cache ? await cache.lookupLayer(job.diffId, COMPRESSION.name) : undefined;
  if (hit && cache) {
    await job.checkInputs();
    emit({ kind: 'layer-start', layer: job.name, total: hit.size, cached: !options.builtLayers?.has(job.diffId) });
    try {
      await adoptCachedBlob(cache, hit, job, writer);
      const cached = !options.builtLayers?.has(job.diffId);
      emit({ kind: 'layer-done', layer: job.name, digest: hit.digest, size: hit.size, cached });
      return { digest: hit.digest, size: hit.size, cached };
    } catch {
      // A damaged cache entry: drop it and build the layer.
      await cache.discard(hit.digest);
    }
  }
  const remote = options.remoteLayers?.get(job.diffId);
  if (remote) {
    // The same inputs as a cache hit would need: a stale plan is not published from a remote layer either.
    await job.checkInputs();
    emit({ kind: 'layer-start', layer: job.name, total: remote.size, cached: true });
    emit({ kind: 'layer-done', layer: job.name, digest: remote.digest, size: remote.size, cached: true });
    return { digest: remote.digest, size: remote.size, cached: true };
  }
  emit({ kind: 'layer-start', layer: job.name, total: job.size, cached: false });
  const { tar, changed, pool } = await job.build();
  const diff = new HashCounter();
  let lastReport = 0;
  diff.on('data', () => {
    if (diff.bytes - lastReport >= 1 << 20) {
      lastReport = diff.bytes;
      emit({ kind: 'layer-progress', layer: job.name, bytes: diff.bytes, total: job.size });
    }
  });
  const tmp = writer.tempPath();
  const blob = createLayerBlobWriter(tmp, pool);
  try {
    try {
      await pipeline(tar, diff, blob);
    } catch (err) {
      if (changed().length) throw stale(changed());
      if (!(err instanceof PycontainerError) && /size/i.test((err as Error).message)) throw stale([`a file of layer ${job.name} changed size while it was read`]);
      throw err;
    }
    if (changed().length) throw stale(changed());
    if (diff.digest() !== job.diffId) {
      const hint = job.hint?.();
      throw new ApplyError('E_DIFF_ID', `layer ${job.name}: built ${diff.digest()} but the plan states ${job.diffId}; ${hint ?? 'the plan was made by an incompatible pycontainer or edited'}`);
    }
    const digest = blob.digest();
    if (cache) {
      // Keep a copy in the cache (a hard link when on the same file system) before the layout takes it.
      await link(tmp, cache.blobPath(digest)).catch(async () => {
        await cache.put(createReadStream(tmp), digest).catch(() => undefined);
      });
      await cache.recordLayer({ diffId: job.diffId, compression: COMPRESSION.name, digest, size: blob.bytes }).catch(() => undefined);
      await writeBlobTrust(cache.root, cache.blobPath(digest), digest);
      const key = job.key?.();
      if (key) await writeLayerKey(cache.root, key, { diffId: job.diffId, size: diff.bytes });
    }
    await writer.commitBlob(tmp, digest);
    emit({ kind: 'layer-done', layer: job.name, digest, size: blob.bytes, cached: false });
    return { digest, size: blob.bytes, cached: false };
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Puts a cached layer blob into the layout, reading it at most once: not at all when the layout has it
 * or the cache's trust record still matches the blob (size, inode, mtime) and a hard link works; else
 * copied through a verifier of its digest, size and diff_id (a wrong diff_id → blob record, or a
 * damaged blob, must never be served), after which it is trusted.
 */
async function adoptCachedBlob(cache: BlobCache, hit: { digest: string; size: number }, job: LayerJob, writer: LayoutWriter): Promise<void> {
  if (await writer.hasBlob(hit.digest, hit.size)) return;
  const path = cache.blobPath(hit.digest);
  if (await readBlobTrusted(cache.root, path, hit.digest, hit.size)) {
    const tmp = writer.tempPath();
    try {
      await link(path, tmp);
      await writer.commitBlob(tmp, hit.digest);
      await writeBlobTrust(cache.root, path, hit.digest);
      return;
    } catch {
      await rm(tmp, { force: true });
    }
  }
  const verifier = new LayerVerifier({ digest: hit.digest, size: hit.size, diffId: job.diffId, mediaType: MEDIA_TYPES.ociLayerGzip }, (m) => new ApplyError('E_CACHE_LAYER', `cached layer ${job.name}: ${describeLayerMismatch(m)}`));
  const tmp = writer.tempPath();
  try {
    await pipeline(await cache.open(hit.digest), verifier, createWriteStream(tmp));
    await writer.commitBlob(tmp, hit.digest);
  } finally {
    await rm(tmp, { force: true });
  }
  await writeBlobTrust(cache.root, path, hit.digest);
}

async function copyBaseBlob(
  layer: { digest: string; size: number },
  source: BaseBlobSource | undefined,
  writer: LayoutWriter,
  emit: (e: ApplyEvent) => void,
): Promise<void> {
  if (await writer.hasBlob(layer.digest, layer.size)) {
    emit({ kind: 'base-copy', digest: layer.digest, size: layer.size, skipped: true });
    return;
  }
  if (!source) throw new ApplyError('E_BASE_SOURCE', `the plan lists base layer ${layer.digest} but names no base image to take it from`);
  // writeBlobStream verifies digest and size before the blob gets its name.
  await writer.writeBlobStream(await source.open(layer), layer);
  emit({ kind: 'base-copy', digest: layer.digest, size: layer.size, skipped: false });
}
