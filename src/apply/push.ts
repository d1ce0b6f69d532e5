import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { Plan } from '../../generated/plan.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';
import type { PushOutcome, RegistryClient } from '../registry/client.js';
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

/** How many blobs upload at once. */
export const PUSH_CONCURRENCY = 4;

export interface PushResult {
  digest: string;
  references: string[];
  blobs: { digest: string; size: number; outcome: PushOutcome }[];
}

/**
 * Pushes an applied plan to registries. Our blobs (app layer, configs) come from the staging layout
 * apply wrote; base layers come from the base: skipped when the target has them, mounted when the base
 * lives in the same registry, otherwise streamed from the base to the target without touching disk.
 * Manifests go by digest first, then the tags, so a tag never points at a manifest with missing blobs.
 */
export async function pushApplied(
  plan: Plan,
  staged: ApplyResult,
  targets: ImageReference[],
  client: RegistryClient,
  base: BaseBlobSource | undefined,
  emit: (e: ApplyEvent) => void = () => undefined,
): Promise<PushResult> {
  const layout = staged.output;
  const readBlob = (digest: string) => readFile(join(layout, 'blobs', 'sha256', digestHex(digest)));
  const baseDigests = new Set(plan.base.images.flatMap((i) => i.layers.map((l) => l.digest)));
  const blobs: PushResult['blobs'] = [];
  const manifests: { desc: Descriptor; bytes: Buffer }[] = [];
  for (const image of staged.images) {
    const bytes = await readBlob(image.manifest);
    manifests.push({ desc: { mediaType: MEDIA_TYPES.ociManifest, digest: image.manifest, size: bytes.length }, bytes });
  }
  const top = staged.mediaType === MEDIA_TYPES.ociIndex ? await readBlob(staged.digest) : undefined;

  for (const target of targets) {
    const repo = { registry: target.registry, repository: target.repository };
    const wanted = new Map<string, Descriptor>();
    for (const m of manifests) {
      const parsed = JSON.parse(m.bytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
      for (const d of [parsed.config, ...parsed.layers]) wanted.set(d.digest, d);
    }
    await inParallel([...wanted.values()], PUSH_CONCURRENCY, async (desc) => {
      const isBase = baseDigests.has(desc.digest);
      const mountFrom = isBase && base?.registryRef && base.registryRef.registry === target.registry && base.registryRef.repository !== target.repository ? base.registryRef.repository : undefined;
      const read = isBase ? () => base!.open(desc) : async () => createReadStream(join(layout, 'blobs', 'sha256', digestHex(desc.digest)));
      const open = async () => counted(await read(), (bytes) => emit({ kind: 'push-progress', digest: desc.digest, bytes, size: desc.size }));
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome: 'started' });
      const outcome = await client.pushBlob(repo, desc, open, mountFrom);
      emit({ kind: 'push-blob', digest: desc.digest, size: desc.size, outcome });
      blobs.push({ digest: desc.digest, size: desc.size, outcome });
    });
    const tag = target.tag ?? 'latest';
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
