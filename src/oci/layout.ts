import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageConfig } from '../../generated/plan.js';
import { ImageError } from '../errors.js';
import { digestHex, sha256Digest } from './digest.js';
import { MEDIA_TYPES, type BaseConfig } from './image.js';
import { formatPlatform, platformMatches, type Platform } from './platform.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform & { 'os.version'?: string };
}

/** One platform's image of a base, as the plan records it. */
export interface ResolvedBaseImage {
  platform: string;
  manifest: { mediaType: string; digest: string; size: number };
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number; diffId: string }[];
  imageConfig: BaseConfig;
  history: ImageConfig['history'];
}

export interface ResolvedBase {
  /** The index or manifest the reference named. */
  digest: string;
  images: ResolvedBaseImage[];
}

/** `oci:PATH[:TAG]` → path and optional tag. */
export function parseOciRef(ref: string): { path: string; tag?: string } {
  const rest = ref.slice('oci:'.length);
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && colon !== -1) return { path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  return { path: rest };
}

/** Reads a blob of an OCI layout and checks its digest and size. */
export async function readLayoutBlob(dir: string, desc: { digest: string; size?: number }): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(join(dir, 'blobs', 'sha256', digestHex(desc.digest)));
  } catch {
    throw new ImageError('E_LAYOUT_BLOB', `${dir}: blob ${desc.digest} is missing from the OCI layout`);
  }
  if (sha256Digest(data) !== desc.digest || (desc.size !== undefined && data.length !== desc.size)) {
    throw new ImageError('E_LAYOUT_BLOB', `${dir}: blob ${desc.digest} does not match its digest or size; the layout is corrupt`);
  }
  return data;
}

/**
 * Resolves an image in a local OCI layout for each platform: the descriptor tagged `tag` (or the only
 * one), through an image index when there is one.
 */
export async function resolveLayoutImage(dir: string, shown: string, tag: string | undefined, platforms: Platform[]): Promise<ResolvedBase> {
  let index: { manifests?: Descriptor[] };
  try {
    index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as typeof index;
  } catch {
    throw new ImageError('E_BASE_LAYOUT', `base image ${shown}: no OCI image layout there (index.json is missing or unreadable)`);
  }
  const manifests = index.manifests ?? [];
  const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t): t is string => !!t);
  const chosen = tag ? manifests.find((m) => m.annotations?.[REF_NAME] === tag) : manifests.length === 1 ? manifests[0] : undefined;
  if (!chosen) {
    const have = tags.length ? `it has ${tags.join(', ')}` : 'it has no tagged images';
    throw new ImageError('E_BASE_TAG', tag ? `base image ${shown}: no image tagged "${tag}" in the layout; ${have}` : `base image ${shown}: the layout holds ${manifests.length} images; name one with :TAG (${have})`);
  }
  const images: ResolvedBaseImage[] = [];
  if (isIndex(chosen.mediaType)) {
    const nested = JSON.parse((await readLayoutBlob(dir, chosen)).toString('utf8')) as { manifests: Descriptor[] };
    for (const platform of platforms) {
      const match = nested.manifests.find((m) => m.platform && platformMatches(platform, m.platform));
      if (!match) {
        const have = nested.manifests.filter((m) => m.platform).map((m) => formatPlatform(m.platform!));
        throw new ImageError('E_BASE_PLATFORM', `base image ${shown} has no ${formatPlatform(platform)} image; it has ${have.join(', ') || 'none'}`);
      }
      images.push(await readImage(dir, match, match.platform));
    }
  } else {
    const image = await readImage(dir, chosen, undefined);
    for (const platform of platforms) {
      if (!platformMatches(platform, image.platform)) {
        throw new ImageError('E_BASE_PLATFORM', `base image ${shown} is ${image.platform} only; it has no ${formatPlatform(platform)} image`);
      }
    }
    images.push(image);
  }
  return { digest: chosen.digest, images };
}

function isIndex(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

/** An image config as far as a base image's is read. */
export interface BaseImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  config?: BaseConfig;
  rootfs: { diff_ids: string[] };
  history?: ImageConfig['history'];
}

/**
 * A base image as the plan records it, from its manifest descriptor, manifest and config (read from a
 * layout or a registry): layers paired with diff_ids, the config it passes on, its platform. The
 * platform is the base's own spelling, variant included (`linux/arm64/v8`): the index entry's when it
 * came through an index (`listed`), else its config's.
 */
export function describeBaseImage(
  what: string,
  desc: { mediaType: string; digest: string; size: number },
  manifest: { config: Descriptor; layers: Descriptor[] },
  config: BaseImageConfig,
  listed: Platform | undefined,
): ResolvedBaseImage {
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new ImageError('E_BASE_IMAGE', `base image ${what}: its config lists ${config.rootfs.diff_ids.length} diff_ids for ${manifest.layers.length} layers`);
  }
  const own: Platform = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  // An index entry without a variant whose config names one (or the other way round) is the same image.
  const variant = listed ? (listed.variant ?? (platformMatches(listed, own) ? own.variant : undefined)) : own.variant;
  const platform: Platform = { os: (listed ?? own).os, architecture: (listed ?? own).architecture, ...(variant ? { variant } : {}) };
  return {
    platform: formatPlatform(platform),
    manifest: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size },
    config: { mediaType: manifest.config.mediaType, digest: manifest.config.digest, size: manifest.config.size },
    layers: manifest.layers.map((l, i) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, diffId: config.rootfs.diff_ids[i]! })),
    imageConfig: config.config ?? {},
    history: config.history ?? [],
  };
}

async function readImage(dir: string, desc: Descriptor, listed: Platform | undefined): Promise<ResolvedBaseImage> {
  const manifest = JSON.parse((await readLayoutBlob(dir, desc)).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  const config = JSON.parse((await readLayoutBlob(dir, manifest.config)).toString('utf8')) as BaseImageConfig;
  return describeBaseImage(desc.digest, desc, manifest, config, listed);
}
