import { RegistryError } from '../errors.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { describeBaseImage, type BaseImageConfig, type Descriptor, type ResolvedBase, type ResolvedBaseImage } from '../oci/layout.js';
import { formatPlatform, platformMatches, type Platform } from '../oci/platform.js';
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
      images.push(await readImage(client, ref, await client.getManifest(ref, match.digest), match.platform));
    }
  } else {
    const image = await readImage(client, ref, top, undefined);
    for (const platform of platforms) {
      if (!platformMatches(platform, image.platform)) {
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
  listed: Platform | undefined,
): Promise<ResolvedBaseImage> {
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[]; schemaVersion?: number };
  if (!parsed.config || !parsed.layers) {
    throw new RegistryError('E_BASE_IMAGE', `base image ${formatReference(ref)}: ${manifest.digest} is not an image manifest (${manifest.mediaType}); schema 1 manifests are not supported`);
  }
  const config = JSON.parse((await client.getBlobBytes(ref, parsed.config)).toString('utf8')) as BaseImageConfig;
  return describeBaseImage(formatReference(ref), manifest, { config: parsed.config, layers: parsed.layers }, config, listed);
}
