import { RegistryError } from '../errors.js';
import type { BaseConfig } from '../oci/image.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor, ResolvedBase, ResolvedBaseImage } from '../oci/layout.js';
import { formatPlatform, platformMatches, type Platform } from '../oci/platform.js';
import type { ImageConfig } from '../../generated/plan.js';
import type { RegistryClient } from './client.js';
import { formatReference, type ImageReference } from './reference.js';

function isIndex(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

/**
 * Resolves a base image in a registry for each target platform: the tag (or digest) to a manifest
 * digest, through an index when there is one, and each platform's config (for the Env, User, history
 * and diff_ids the plan inherits). Everything fetched is verified against its digest.
 */
export async function resolveRegistryBase(client: RegistryClient, ref: ImageReference, platforms: Platform[]): Promise<ResolvedBase> {
  const top = await client.getManifest(ref);
  const images: ResolvedBaseImage[] = [];
  if (isIndex(top.mediaType)) {
    const index = JSON.parse(top.bytes.toString('utf8')) as { manifests: Descriptor[] };
    for (const platform of platforms) {
      const match = index.manifests.find((m) => m.platform && platformMatches(platform, m.platform));
      if (!match) {
        const have = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => formatPlatform(m.platform!));
        throw new RegistryError('E_BASE_PLATFORM', `base image ${formatReference(ref)} has no ${formatPlatform(platform)} image; it has ${have.join(', ') || 'none'}`);
      }
      images.push(await readImage(client, ref, await client.getManifest(ref, match.digest), platform));
    }
  } else {
    const image = await readImage(client, ref, top, undefined);
    for (const platform of platforms) {
      const [os, architecture, variant] = image.platform.split('/');
      if (!platformMatches(platform, { os: os!, architecture: architecture!, ...(variant ? { variant } : {}) })) {
        throw new RegistryError('E_BASE_PLATFORM', `base image ${formatReference(ref)} is ${image.platform} only; it has no ${formatPlatform(platform)} image`);
      }
    }
    images.push(image);
  }
  return { digest: top.digest, images };
}

async function readImage(
  client: RegistryClient,
  ref: ImageReference,
  manifest: { mediaType: string; digest: string; size: number; bytes: Buffer },
  platform: Platform | undefined,
): Promise<ResolvedBaseImage> {
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[]; schemaVersion?: number };
  if (!parsed.config || !parsed.layers) {
    throw new RegistryError('E_BASE_IMAGE', `base image ${formatReference(ref)}: ${manifest.digest} is not an image manifest (${manifest.mediaType}); schema 1 manifests are not supported`);
  }
  const config = JSON.parse((await client.getBlobBytes(ref, parsed.config)).toString('utf8')) as {
    architecture: string;
    os: string;
    variant?: string;
    config?: BaseConfig;
    rootfs: { diff_ids: string[] };
    history?: ImageConfig['history'];
  };
  if (config.rootfs.diff_ids.length !== parsed.layers.length) {
    throw new RegistryError('E_BASE_IMAGE', `base image ${formatReference(ref)}: its config lists ${config.rootfs.diff_ids.length} diff_ids for ${parsed.layers.length} layers`);
  }
  const own: Platform = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  return {
    platform: formatPlatform(platform ?? own),
    manifest: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size },
    config: { mediaType: parsed.config.mediaType, digest: parsed.config.digest, size: parsed.config.size },
    layers: parsed.layers.map((l, i) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, diffId: config.rootfs.diff_ids[i]! })),
    imageConfig: config.config ?? {},
    history: config.history ?? [],
  };
}
