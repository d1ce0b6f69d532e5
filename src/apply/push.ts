import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { Plan } from '../../generated/plan.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';
import { type BlobInfoCache, mountCandidates } from '../cache/pushed.js';
import { EXIT, RegistryError } from '../errors.js';
import type { BlobBody, PushOutcome, RegistryClient } from '../registry/client.js';
import { readFileBody } from '../registry/file-body.js';
import { fetchRemoteLayers, type RemoteLayer } from '../registry/remote-layers.js';
import { formatReference, type ImageReference } from '../registry/reference.js';
import type { ApplyEvent, ApplyResult } from './apply.js';
import type { BaseBlobSource } from './base.js';
import { inParallel } from '../parallel.js';
import { assembleImage, type JsonBlob, type LayerBlob } from './manifest.js';
import { readBlobTrusted, writeBlobTrust } from '../cache/layers.js';
import type { BlobCache } from '../cache/store.js';
import { COMPRESSION } from '../oci/compress.js';

/** `source` as it is read, reporting the bytes read so far (for progress); errors and destroy pass through. */
function counted(source: Readable, onBytes: (bytes: number) => void): Readable {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      onBytes(bytes);
      done(null, chunk);
    },
  });
  return pipeline(source, counter, () => undefined);
}

/** How many blobs upload at once (the shared undici pool keeps 8 connections per registry). */
export const PUSH_CONCURRENCY = 6;

export interface PushResult {
  digest: string;
  references: string[];
  blobs: { digest: string; size: number; outcome: PushOutcome }[];
}

export interface PushOptions {
  /** Where blobs were pushed or seen before: mount sources for any blob, not only base layers. */
  blobInfo?: BlobInfoCache;
  /** Layers apply left out of the staging layout because a registry holds them (by diff_id). */
  remoteLayers?: ReadonlyMap<string, RemoteLayer>;
  /**
   * What each target's tag pointed at when the caller just asked (tagDigests): by formatReference of
   * the target. A tag listed here is not asked again.
   */
  tagDigests?: ReadonlyMap<string, string | undefined>;
  /**
   * The layer cache that a registry base's layers are pulled into: a base layer verified there once
   * (digest, size, diff_id) is streamed from its file on later pushes instead of being verified again.
   */
  cache?: BlobCache;
}

/**
 * An image to push: what the tags point at and the per-platform manifests (in memory), and where each
 * of our own blobs (configs, built layers) is: bytes in memory or a file whose content is trusted to
 * match its digest (written or verified by us). Base and remote layers come from elsewhere.
 */
export interface PushImage {
  top: JsonBlob;
  manifests: JsonBlob[];
  blobs: ReadonlyMap<string, { bytes: Buffer } | { path: string }>;
}

/**
 * Pushes an applied plan (a layout apply wrote) to registries: see pushImage. Our blobs are streamed
 * from the layout.
 */
export async function pushApplied(
  plan: Plan,
  staged: ApplyResult,
  targets: ImageReference[],
  client: RegistryClient,
  base: BaseBlobSource | undefined,
  emit: (e: ApplyEvent) => void = () => undefined,
  options: PushOptions = {},
): Promise<PushResult> {
  const blobPath = (digest: string) => join(staged.output, 'blobs', 'sha256', digestHex(digest));
  const manifests: JsonBlob[] = [];
  for (const image of staged.images) {
    const bytes = await readFile(blobPath(image.manifest));
    manifests.push({ desc: { mediaType: MEDIA_TYPES.ociManifest, digest: image.manifest, size: bytes.length }, bytes });
  }
  const top = staged.mediaType === MEDIA_TYPES.ociIndex ? { desc: { mediaType: staged.mediaType, digest: staged.digest, size: staged.size }, bytes: await readFile(blobPath(staged.digest)) } : manifests[0]!;
  const blobs = new Map<string, { path: string }>();
  for (const m of manifests) for (const d of manifestBlobs(m)) blobs.set(d.digest, { path: blobPath(d.digest) });
  return pushImage(plan, { top, manifests, blobs }, targets, client, base, emit, options);
}

/** The config and layers a manifest names. */
function manifestBlobs(manifest: JsonBlob): Descriptor[] {
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  return [parsed.config, ...parsed.layers];
}

/**
 * What each target's tag points at now (one HEAD per tag, in parallel), by formatReference of the
 * target; undefined where there is none or the registry will not say.
 */
export async function readTagDigests(client: RegistryClient, targets: ImageReference[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  await Promise.all(
    targets.map(async (t) => {
      const tag = t.tag ?? 'latest';
      out.set(formatReference({ ...t, tag, digest: undefined }), await currentDigest(client, { registry: t.registry, repository: t.repository }, tag));
    }),
  );
  return out;
}

/**
 * Pushes an image to registries. A tag that already points at the image costs one HEAD and nothing
 * else. Otherwise each blob is checked (HEAD), then mounted from a repository of the same registry
 * known to hold it (the base's, the one a remote layer was found in, any the blob-info cache
 * remembers), else uploaded, several at once: our blobs from memory or streamed from their files
 * (through reused buffers), base layers from the base, remote layers from the registry that holds
 * them — never whole in memory. Manifests go by digest first, then the tags, so a tag never points at a
 * manifest with missing blobs.
 */
export async function pushImage(
  plan: Plan,
  image: PushImage,
  targets: ImageReference[],
  client: RegistryClient,
  base: BaseBlobSource | undefined,
  emit: (e: ApplyEvent) => void = () => undefined,
  options: PushOptions = {},
): Promise<PushResult> {
  const digest = image.top.desc.digest;
  const baseDigests = new Set(plan.base.images.flatMap((i) => i.layers.map((l) => l.digest)));
  const remoteByDigest = new Map([...(options.remoteLayers?.values() ?? [])].map((l) => [l.digest, l]));
  const blobInfo = options.blobInfo;
  const blobs: PushResult['blobs'] = [];
  const wanted = new Map<string, Descriptor>();
  for (const m of image.manifests) for (const d of manifestBlobs(m)) wanted.set(d.digest, d);
  // Where we pulled from or found a layer is a place these blobs are known to be.
  if (blobInfo) {
    if (base?.registryRef) for (const d of baseDigests) await blobInfo.writeLocation(d, base.registryRef);
    for (const l of remoteByDigest.values()) await blobInfo.writeLocation(l.digest, l.from);
  }

  for (const target of targets) {
    const repo = { registry: target.registry, repository: target.repository };
    const tag = target.tag ?? 'latest';
    const key = formatReference({ ...repo, tag });
    const current = options.tagDigests?.has(key) ? options.tagDigests.get(key) : await currentDigest(client, repo, tag);
    if (current === digest) {
      // The registry only accepted that manifest with all its blobs: nothing to check or send.
      for (const desc of wanted.values()) {
        await blobInfo?.writeLocation(desc.digest, repo);
        emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome: 'exists' });
        blobs.push({ digest: desc.digest, size: desc.size, outcome: 'exists' });
      }
      emit({ kind: 'pushed', reference: key, digest });
      continue;
    }
    await inParallel([...wanted.values()], PUSH_CONCURRENCY, async (desc) => {
      const remote = remoteByDigest.get(desc.digest);
      const isBase = baseDigests.has(desc.digest);
      const own = image.blobs.get(desc.digest);
      const known = blobInfo ? await blobInfo.readLocations(desc.digest) : [];
      const sources = [...(isBase && base?.registryRef ? [base.registryRef] : []), ...(remote ? [remote.from] : []), ...known];
      const mountFrom = mountCandidates(sources, repo);
      const progress = (bytes: number) => emit({ kind: 'push-progress', digest: desc.digest, bytes, size: desc.size });
      const open = async (): Promise<BlobBody> => {
        if (isBase && base) return openBaseLayer(base, desc, options.cache, progress);
        if (remote) return counted(await client.getBlob(remote.from, desc), progress);
        if (own && 'bytes' in own) return own.bytes;
        if (own) return readFileBody(own.path, desc.size, { onBytes: progress });
        throw new RegistryError('E_BLOB_SOURCE', `blob ${desc.digest} of the image has no source to push it from`, { exitCode: EXIT.bug });
      };
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome: 'started' });
      const outcome = await client.pushBlob(repo, desc, open, mountFrom);
      await blobInfo?.writeLocation(desc.digest, repo);
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome });
      blobs.push({ digest: desc.digest, size: desc.size, outcome });
    });
    if (image.top.desc.mediaType === MEDIA_TYPES.ociIndex) {
      for (const m of image.manifests) await client.putManifest(repo, m.desc.digest, m.bytes, m.desc.mediaType);
      await client.putManifest(repo, tag, image.top.bytes, MEDIA_TYPES.ociIndex);
    } else {
      await client.putManifest(repo, tag, image.top.bytes, MEDIA_TYPES.ociManifest);
    }
    emit({ kind: 'pushed', reference: key, digest });
  }
  return { digest, references: targets.map((t) => formatReference({ ...t, tag: t.tag ?? 'latest', digest: undefined })), blobs };
}

/**
 * A base layer to upload: a registry base's blob in the cache that was verified before is streamed
 * from its file as it is; otherwise the base source verifies it as it streams (digest, size, diff_id),
 * and the cache file is trusted from then on.
 */
async function openBaseLayer(base: BaseBlobSource, desc: Descriptor, cache: BlobCache | undefined, progress: (bytes: number) => void): Promise<BlobBody> {
  const path = cache && base.registryRef ? cache.blobPath(desc.digest) : undefined;
  if (cache && path && (await readBlobTrusted(cache.root, path, desc.digest, desc.size))) return readFileBody(path, desc.size, { onBytes: progress });
  const stream = counted(await base.open(desc), progress);
  // 'end' only comes after the verifier passed the last byte.
  if (cache && path) stream.once('end', () => void writeBlobTrust(cache.root, path, desc.digest));
  return stream;
}

/** What the tag points at now; a registry that will not say (or refuses the HEAD) just gets the full push. */
async function currentDigest(client: RegistryClient, repo: ImageReference, tag: string): Promise<string | undefined> {
  try {
    return await client.manifestDigest(repo, tag, ['pull', 'push']);
  } catch (err) {
    if (err instanceof RegistryError && !err.temporary) return undefined;
    throw err;
  }
}

/**
 * The images whose layers a push may reuse instead of building them: the tags being pushed, then the
 * `cache_from` references, looked up for the diff_ids of the layers the plan builds (not the base's)
 * and the local cache does not hold.
 */
export async function findRemoteLayers(
  plan: Plan,
  targets: ImageReference[],
  cacheFrom: ImageReference[],
  client: RegistryClient,
  options: {
    isCached?: (diffId: string) => Promise<boolean>;
    onNote?: (line: string) => void;
    /** Every layer of the same images, already fetched (build's compile asked, CompileOptions.registryLayers). */
    known?: ReadonlyMap<string, RemoteLayer>;
  } = {},
): Promise<Map<string, RemoteLayer>> {
  const wanted = new Set<string>();
  for (const diffId of [...plan.layers.map((l) => l.diffId), ...(plan.dependencies ?? []).flatMap((d) => d.layers.map((l) => l.diffId))]) {
    // A layer the local cache holds is not worth a request.
    if (!(await options.isCached?.(diffId))) wanted.add(diffId);
  }
  if (wanted.size === 0) return new Map();
  if (options.known) return new Map([...wanted].flatMap((d) => (options.known!.has(d) ? [[d, options.known!.get(d)!] as const] : [])));
  const onNote = options.onNote;
  return fetchRemoteLayers(client, remoteLayerRefs(targets, cacheFrom), {
    wanted,
    platforms: plan.images.map((i) => i.platform),
    pushTargets: targets,
    ...(onNote ? { onNote } : {}),
  });
}

/** The images whose layers a push may reuse: the tags pushed (no tag: `latest`), then cache_from. */
export function remoteLayerRefs(targets: ImageReference[], cacheFrom: ImageReference[]): ImageReference[] {
  return [...targets.map((t) => ({ ...t, tag: t.tag ?? 'latest' })), ...cacheFrom];
}

/** An image a push can send without apply: every layer's blob is a trusted cache file or a remote layer. */
export interface CachedImage {
  image: PushImage;
  /** As apply reports them: dependency layers (per platform), then the application layers. */
  layers: ApplyResult['layers'];
  images: ApplyResult['images'];
  /** The cache files of the layers pushed from the cache, by digest. */
  files: Map<string, string>;
}

/**
 * The plan's image as it can be pushed straight from the layer cache, with no layout in between: each
 * layer's blob is a cache file whose trust record still matches (written or verified by us, so it is
 * not hashed again) or a layer a registry holds (`remoteLayers`). Undefined when a layer is neither —
 * apply must build or verify it — or a config does not match the plan (apply names the problem).
 * `built` (diff_ids this process just built) are reported as built, not cached.
 */
export async function resolveCachedImage(
  plan: Plan,
  cache: BlobCache,
  remoteLayers: ReadonlyMap<string, RemoteLayer>,
  built: ReadonlySet<string> = new Set(),
): Promise<CachedImage | undefined> {
  const files = new Map<string, string>();
  const layers: ApplyResult['layers'] = [];
  const blobOf = async (name: string, diffId: string): Promise<LayerBlob | undefined> => {
    const hit = await cache.lookupLayer(diffId, COMPRESSION.name);
    const path = hit ? cache.blobPath(hit.digest) : undefined;
    if (hit && path && (await readBlobTrusted(cache.root, path, hit.digest, hit.size))) {
      files.set(hit.digest, path);
      layers.push({ name, diffId, digest: hit.digest, size: hit.size, cached: !built.has(diffId) });
      return { digest: hit.digest, size: hit.size };
    }
    const remote = remoteLayers.get(diffId);
    if (!remote) return undefined;
    layers.push({ name, diffId, digest: remote.digest, size: remote.size, cached: true });
    return { digest: remote.digest, size: remote.size };
  };
  const deps = new Map<string, LayerBlob[]>();
  for (const dep of plan.dependencies ?? []) {
    const parts: LayerBlob[] = [];
    for (const part of dep.layers) {
      const blob = await blobOf(`${part.name} ${dep.platform}`, part.diffId);
      if (!blob) return undefined;
      parts.push(blob);
    }
    deps.set(dep.platform, parts);
  }
  const app: LayerBlob[] = [];
  for (const layer of plan.layers) {
    const blob = await blobOf(layer.name, layer.diffId);
    if (!blob) return undefined;
    app.push(blob);
  }
  const assembled = assembleImage(plan, deps, app);
  if (!assembled) return undefined;
  const blobs = new Map<string, { bytes: Buffer } | { path: string }>();
  for (const [digest, path] of files) blobs.set(digest, { path });
  for (const i of assembled.images) blobs.set(i.config.desc.digest, { bytes: i.config.bytes });
  return {
    image: { top: assembled.top, manifests: assembled.images.map((i) => i.manifest), blobs },
    layers,
    images: assembled.images.map((i) => ({ platform: i.platform, manifest: i.manifest.desc.digest, config: i.config.desc.digest })),
    files,
  };
}
