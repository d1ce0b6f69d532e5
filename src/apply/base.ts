import { createReadStream } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobCache } from '../cache/store.js';
import { ApplyError } from '../errors.js';
import { digestHex } from '../oci/digest.js';
import { parseOciRef } from '../oci/layout.js';
import type { RegistryClient } from '../registry/client.js';
import { parseReference, type ImageReference } from '../registry/reference.js';

/** Where a plan's base layers come from: a local OCI layout or a registry repository. */
export interface BaseBlobSource {
  /** For messages: the base as the plan names it. */
  name: string;
  /** The registry repository, when the base lives in one (for cross-repository mounts). */
  registryRef?: ImageReference;
  /** The blob's bytes; the reader verifies them against the digest. */
  open(desc: { digest: string; size: number }): Promise<Readable>;
}

/** The layer source of a base (as a plan names it), or undefined for scratch. Registry blobs go through the cache when there is one. */
export function baseBlobSource(ref: string, context: string, client: RegistryClient | undefined, cache: BlobCache | undefined): BaseBlobSource | undefined {
  if (ref === 'scratch') return undefined;
  if (ref.startsWith('oci:')) {
    const { path } = parseOciRef(ref);
    const dir = isAbsolute(path) ? path : join(context, path);
    return {
      name: ref,
      async open(desc) {
        const file = join(dir, 'blobs', 'sha256', digestHex(desc.digest));
        const stream = createReadStream(file);
        await new Promise<void>((resolve, reject) => {
          stream.once('open', () => resolve());
          stream.once('error', (err) =>
            reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new ApplyError('E_BASE_BLOB', `base image ${ref}: layer ${desc.digest} is missing; the base layout changed since the plan was made`) : err),
          );
        });
        return stream;
      },
    };
  }
  if (!client) throw new ApplyError('E_BASE_SOURCE', `base image ${ref} is in a registry, and no registry client was given`);
  const registryRef = parseReference(ref);
  return {
    name: ref,
    registryRef,
    async open(desc) {
      if (!cache) return client.getBlob(registryRef, desc);
      if (!(await cache.has(desc.digest, desc.size))) await cache.put(await client.getBlob(registryRef, desc), desc.digest);
      return cache.open(desc.digest);
    },
  };
}
