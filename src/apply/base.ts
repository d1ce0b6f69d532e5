import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { type Readable } from 'node:stream';
import type { BlobCache } from '../cache/store.js';
import { ApplyError, EXIT, ImageError, PycontainerError, RegistryError } from '../errors.js';
import { digestHex } from '../oci/digest.js';
import { describeLayerMismatch, LayerVerifier, type LayerMismatch } from '../oci/layer.js';
import { parseOciRef } from '../oci/layout.js';
import type { RegistryClient } from '../registry/client.js';
import { parseReference, type ImageReference } from '../registry/reference.js';

/**
 * Base layers are the one part of an image we do not build, so they are the part a tampered or
 * damaged source can slip in: every byte read from a layout, a registry or the cache goes through a
 * LayerVerifier (digest, size and, through gunzip, the config's diff_id) in the same pass that copies
 * or scans it. A mismatch fails the read with one line naming the base, the layer, expected and found.
 */

/** A base layer as the plan (or a manifest) describes it; the diff_id is checked when known. */
export interface BaseLayerDescriptor {
  digest: string;
  size: number;
  mediaType?: string;
  diffId?: string;
}

/** Where a plan's base layers come from: a local OCI layout or a registry repository. */
export interface BaseBlobSource {
  /** For messages: the base as the plan names it. */
  name: string;
  /** The registry repository, when the base lives in one (for cross-repository mounts). */
  registryRef?: ImageReference;
  /** The blob's bytes; the stream fails at its end (before it ends cleanly) if they are not what `desc` says. */
  open(desc: BaseLayerDescriptor): Promise<Readable>;
}

/**
 * The layer source of a base (as a plan names it), or undefined for scratch. Registry blobs go through
 * the cache when there is one. `layers` (the plan's base layers) supply the diff_ids and media types
 * for callers that only have a manifest descriptor (pushes).
 */
export function baseBlobSource(
  ref: string,
  context: string,
  client: RegistryClient | undefined,
  cache: BlobCache | undefined,
  layers: BaseLayerDescriptor[] = [],
): BaseBlobSource | undefined {
  if (ref === 'scratch') return undefined;
  const known = new Map(layers.map((l) => [l.digest, l]));
  const complete = (desc: BaseLayerDescriptor): BaseLayerDescriptor => ({ ...known.get(desc.digest), ...desc, diffId: desc.diffId ?? known.get(desc.digest)?.diffId });
  if (ref.startsWith('oci:')) {
    const { path } = parseOciRef(ref);
    const dir = isAbsolute(path) ? path : join(context, path);
    return {
      name: ref,
      async open(desc) {
        const file = join(dir, 'blobs', 'sha256', digestHex(desc.digest));
        await refuseSpecialFile(file, ref, desc.digest);
        const stream = createReadStream(file);
        await new Promise<void>((resolve, reject) => {
          stream.once('open', () => resolve());
          stream.once('error', (err) =>
            reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new ApplyError('E_BASE_BLOB', `base image ${ref}: layer ${desc.digest} is missing; the base layout changed since the plan was made`) : err),
          );
        });
        // A local layout is input: a bad layer is the user's to fix (exit 2).
        return verified(stream, complete(desc), (m) => new ImageError('E_BASE_LAYER', layerMessage(ref, desc.digest, m)));
      },
    };
  }
  if (!client) throw new ApplyError('E_BASE_SOURCE', `base image ${ref} is in a registry, and no registry client was given`);
  const registryRef = parseReference(ref);
  // Data the registry served: a corrupt reply (EXIT.network, like every registry answer we refuse).
  const fromRegistry = (desc: BaseLayerDescriptor) => (m: LayerMismatch) => new RegistryError('E_BASE_LAYER', layerMessage(ref, desc.digest, m));
  return {
    name: ref,
    registryRef,
    async open(desc) {
      const full = complete(desc);
      if (!cache) return verified(await client.getBlob(registryRef, desc), full, fromRegistry(desc));
      if (!(await cache.has(desc.digest, desc.size))) await cache.put(await client.getBlob(registryRef, desc), desc.digest);
      // The cached copy is checked as it is served; a bad one is evicted, never served again.
      return verified(await cache.open(desc.digest), full, (m) => {
        void cache.discard(desc.digest);
        if (m.kind === 'diff-id' || m.kind === 'compression' || m.kind === 'unsupported') return fromRegistry(desc)(m);
        return new PycontainerError('E_CACHE_DAMAGED', `${layerMessage(ref, desc.digest, m)} in the cache at ${cache.root}; removed it, run the build again`, { exitCode: EXIT.network });
      });
    },
  };
}

function layerMessage(ref: string, digest: string, m: LayerMismatch): string {
  return `base image ${ref}: layer ${digest} is not what the image says: ${describeLayerMismatch(m)}`;
}

/** `source` through a LayerVerifier; a failure of either fails the returned stream. */
function verified(source: Readable, desc: BaseLayerDescriptor, fail: (m: LayerMismatch) => Error): Readable {
  const verifier = new LayerVerifier({ digest: desc.digest, size: desc.size, mediaType: desc.mediaType, diffId: desc.diffId ?? '' }, fail, desc.diffId !== undefined);
  source.on('error', (err) => verifier.destroy(err));
  return source.pipe(verifier);
}

/** A layout blob that is a FIFO, socket or device would block or never end: refused by type, not opened. */
async function refuseSpecialFile(file: string, ref: string, digest: string): Promise<void> {
  const st = await stat(file).catch(() => undefined);
  if (st && !st.isFile()) throw new ImageError('E_BASE_BLOB', `base image ${ref}: layer ${digest} is not a regular file in the layout; refusing to read it`);
}
