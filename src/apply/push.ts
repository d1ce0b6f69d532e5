import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { Plan } from '../../generated/plan.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';
import { type BlobInfoCache, mountCandidates } from '../cache/pushed.js';
import { RegistryError } from '../errors.js';
import type { PushOutcome, RegistryClient } from '../registry/client.js';
import { fetchRemoteLayers, type RemoteLayer } from '../registry/remote-layers.js';
import { formatReference, type ImageReference } from '../registry/reference.js';
import type { ApplyEvent, ApplyResult } from './apply.js';
import type { BaseBlobSource } from './base.js';
import { inParallel } from '../parallel.js';

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

/** Read size for blobs streamed from the layout: fewer, larger writes to the socket. */
const READ_CHUNK = 1024 * 1024;

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
}

/**
 * Pushes an applied plan to registries. A tag that already points at the planned manifest costs one
 * HEAD and nothing else. Otherwise each blob is checked (HEAD), then mounted from a repository of the
 * same registry known to hold it (the base's, the one a remote layer was found in, any the blob-info
 * cache remembers), else uploaded: our blobs (built layers, configs) streamed from the staging layout
 * apply wrote, base layers from the base, remote layers from the registry that holds them — never
 * through memory. Manifests go by digest first, then the tags, so a tag never points at a manifest
 * with missing blobs.
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
  const layout = staged.output;
  const blobPath = (digest: string) => join(layout, 'blobs', 'sha256', digestHex(digest));
  const baseDigests = new Set(plan.base.images.flatMap((i) => i.layers.map((l) => l.digest)));
  const remoteByDigest = new Map([...(options.remoteLayers?.values() ?? [])].map((l) => [l.digest, l]));
  const blobInfo = options.blobInfo;
  const blobs: PushResult['blobs'] = [];
  const manifests: { desc: Descriptor; bytes: Buffer }[] = [];
  for (const image of staged.images) {
    const bytes = await readFile(blobPath(image.manifest));
    manifests.push({ desc: { mediaType: MEDIA_TYPES.ociManifest, digest: image.manifest, size: bytes.length }, bytes });
  }
  const top = staged.mediaType === MEDIA_TYPES.ociIndex ? await readFile(blobPath(staged.digest)) : undefined;
  const wanted = new Map<string, Descriptor>();
  for (const m of manifests) {
    const parsed = JSON.parse(m.bytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    for (const d of [parsed.config, ...parsed.layers]) wanted.set(d.digest, d);
  }
  // Where we pulled from or found a layer is a place these blobs are known to be.
  if (blobInfo) {
    if (base?.registryRef) for (const d of baseDigests) await blobInfo.writeLocation(d, base.registryRef);
    for (const l of remoteByDigest.values()) await blobInfo.writeLocation(l.digest, l.from);
  }

  for (const target of targets) {
    const repo = { registry: target.registry, repository: target.repository };
    const tag = target.tag ?? 'latest';
    if ((await currentDigest(client, repo, tag)) === staged.digest) {
      // The registry only accepted that manifest with all its blobs: nothing to check or send.
      for (const desc of wanted.values()) {
        await blobInfo?.writeLocation(desc.digest, repo);
        emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome: 'exists' });
        blobs.push({ digest: desc.digest, size: desc.size, outcome: 'exists' });
      }
      emit({ kind: 'pushed', reference: formatReference({ ...repo, tag }), digest: staged.digest });
      continue;
    }
    await inParallel([...wanted.values()], PUSH_CONCURRENCY, async (desc) => {
      const remote = remoteByDigest.get(desc.digest);
      const isBase = baseDigests.has(desc.digest);
      const known = blobInfo ? await blobInfo.readLocations(desc.digest) : [];
      const sources = [...(isBase && base?.registryRef ? [base.registryRef] : []), ...(remote ? [remote.from] : []), ...known];
      const mountFrom = mountCandidates(sources, repo);
      const read = isBase
        ? () => base!.open(desc)
        : remote
          ? () => client.getBlob(remote.from, desc)
          : async () => createReadStream(blobPath(desc.digest), { highWaterMark: READ_CHUNK });
      const open = async () => counted(await read(), (bytes) => emit({ kind: 'push-progress', digest: desc.digest, bytes, size: desc.size }));
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome: 'started' });
      const outcome = await client.pushBlob(repo, desc, open, mountFrom);
      await blobInfo?.writeLocation(desc.digest, repo);
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome });
      blobs.push({ digest: desc.digest, size: desc.size, outcome });
    });
    if (top) {
      for (const m of manifests) await client.putManifest(repo, m.desc.digest, m.bytes, m.desc.mediaType);
      await client.putManifest(repo, tag, top, MEDIA_TYPES.ociIndex);
    } else {
      await client.putManifest(repo, tag, manifests[0]!.bytes, MEDIA_TYPES.ociManifest);
    }
    emit({ kind: 'pushed', reference: formatReference({ ...repo, tag }), digest: staged.digest });
  }
  return { digest: staged.digest, references: targets.map((t) => formatReference({ ...t, tag: t.tag ?? 'latest', digest: undefined })), blobs };
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
  options: { isCached?: (diffId: string) => Promise<boolean>; onNote?: (line: string) => void } = {},
): Promise<Map<string, RemoteLayer>> {
  const wanted = new Set<string>();
  for (const diffId of [...plan.layers.map((l) => l.diffId), ...(plan.dependencies ?? []).flatMap((d) => d.layers.map((l) => l.diffId))]) {
    // A layer the local cache holds is not worth a request.
    if (!(await options.isCached?.(diffId))) wanted.add(diffId);
  }
  if (wanted.size === 0) return new Map();
  const onNote = options.onNote;
  return fetchRemoteLayers(client, [...targets.map((t) => ({ ...t, tag: t.tag ?? 'latest' })), ...cacheFrom], {
    wanted,
    platforms: plan.images.map((i) => i.platform),
    pushTargets: targets,
    ...(onNote ? { onNote } : {}),
  });
}
