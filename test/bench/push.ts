/**
 * Helpers for the push scenarios of `npm run bench`: what they need from the loopback registry and
 * from the OCI layout the warm build wrote.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registryRequest, type TestRegistry } from '../support/registry.js';
import { findOnPath } from '../support/tools.js';

/** The commands the push scenarios need that are not on PATH (empty: all there). */
export function missingPushTools(): string[] {
  return ['docker-registry', 'skopeo'].filter((cmd) => !findOnPath(cmd));
}

/** The tag (org.opencontainers.image.ref.name) of the single image in an OCI layout, for `oci:DIR:TAG`. */
export async function layoutTag(layout: string): Promise<string> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  const tag = index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name'];
  if (!tag) throw new Error(`${layout}/index.json: the image has no org.opencontainers.image.ref.name`);
  return tag;
}

/** The digests of the config and layers of the single image in an OCI layout. */
export async function layoutBlobDigests(layout: string): Promise<string[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const digest = index.manifests[0]?.digest;
  if (!digest) throw new Error(`${layout}/index.json lists no image`);
  const manifest = JSON.parse(await readFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}

/**
 * Unlinks blobs from a repository of the registry (DELETE /v2/<repo>/blobs/<digest>), so no later
 * push can mount them from there. skopeo remembers where it has put blobs (its blob info cache) and
 * tries a cross-repository mount from those places before uploading: without this, every skopeo
 * repetition after the first would mount the layer from the previous one instead of uploading it.
 */
export async function unlinkBlobs(reg: TestRegistry, repository: string, digests: string[]): Promise<void> {
  for (const digest of digests) {
    const res = await registryRequest(reg, 'DELETE', `/v2/${repository}/blobs/${digest}`);
    if (res.status !== 202 && res.status !== 404) {
      throw new Error(`DELETE /v2/${repository}/blobs/${digest}: ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    }
  }
}
