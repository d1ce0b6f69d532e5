/**
 * The image manifests and index of a plan, assembled from the blobs of its layers. Apply (writing a
 * layout) and a push straight from the layer cache both use this one definition, so that a push can
 * know the manifest digest before it reads any blob — and ask the registry whether its tags already
 * point there — and still name exactly what apply would write. Pure.
 */
import type { Plan } from '../../generated/plan.js';
import { sha256Digest } from '../oci/digest.js';
import { canonicalJson, MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';

/** A layer's compressed blob. */
export interface LayerBlob {
  digest: string;
  size: number;
}

/** The base image of a platform in the plan (or the only one), if the plan has a base. */
export function baseImageOf(plan: Plan, platform: string): Plan['base']['images'][number] | undefined {
  return plan.base.images.find((b) => b.platform === platform) ?? (plan.base.images.length === 1 ? plan.base.images[0] : undefined);
}

/** Docker's layer media types name the same bytes as OCI's; an OCI manifest uses OCI's. */
export function ociLayerType(mediaType: string): string {
  if (mediaType === MEDIA_TYPES.dockerLayerGzip) return MEDIA_TYPES.ociLayerGzip;
  return mediaType;
}

/**
 * The manifest text of one platform's image: its config, then the base's layers, the platform's
 * dependency layers and the application layers (gzip), with the plan's annotations.
 */
export function assembleManifest(plan: Plan, platform: string, config: Descriptor, deps: LayerBlob[], app: LayerBlob[]): string {
  const baseLayers = baseImageOf(plan, platform)?.layers ?? [];
  return canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config,
    layers: [
      ...baseLayers.map((l) => ({ mediaType: ociLayerType(l.mediaType), digest: l.digest, size: l.size })),
      ...deps.map((d) => ({ mediaType: MEDIA_TYPES.ociLayerGzip, digest: d.digest, size: d.size })),
      ...app.map((b) => ({ mediaType: MEDIA_TYPES.ociLayerGzip, digest: b.digest, size: b.size })),
    ],
    ...(Object.keys(plan.annotations).length ? { annotations: plan.annotations } : {}),
  });
}

/** A manifest's descriptor as an index lists it: with the platform (`os/arch[/variant]`). */
export function withPlatform(desc: Descriptor, platform: string): Descriptor {
  const [os, architecture, variant] = platform.split('/');
  return { ...desc, platform: { os: os!, architecture: architecture!, ...(variant ? { variant } : {}) } };
}

/** The index text over several platforms' manifests (descriptors with their platforms). */
export function assembleIndex(plan: Plan, manifests: Descriptor[]): string {
  return canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests,
    ...(Object.keys(plan.annotations).length ? { annotations: plan.annotations } : {}),
  });
}

/** A small JSON blob in memory: its descriptor and bytes. */
export interface JsonBlob {
  desc: Descriptor;
  bytes: Buffer;
}

function jsonBlob(text: string, mediaType: string): JsonBlob {
  const bytes = Buffer.from(text, 'utf8');
  return { desc: { mediaType, digest: sha256Digest(bytes), size: bytes.length }, bytes };
}

/** Everything of an image but its layer blobs: configs, manifests and (several platforms) the index. */
export interface AssembledImage {
  /** What the tags point at: the manifest (one platform) or the index. */
  top: JsonBlob;
  images: { platform: string; config: JsonBlob; manifest: JsonBlob }[];
}

/**
 * The configs, manifests and index of the plan's images, given the blobs of the dependency layers (per
 * platform, in the plan's order) and of the application layers. Undefined when a config does not hash
 * to the plan's digest (apply refuses such a plan, naming it).
 */
export function assembleImage(plan: Plan, deps: ReadonlyMap<string, LayerBlob[]>, app: LayerBlob[]): AssembledImage | undefined {
  const images: AssembledImage['images'] = [];
  for (const image of plan.images) {
    const config = jsonBlob(canonicalJson(image.config), MEDIA_TYPES.ociConfig);
    if (config.desc.digest !== image.configDigest) return undefined;
    const manifest = jsonBlob(assembleManifest(plan, image.platform, config.desc, deps.get(image.platform) ?? [], app), MEDIA_TYPES.ociManifest);
    images.push({ platform: image.platform, config, manifest });
  }
  const top = images.length === 1 ? images[0]!.manifest : jsonBlob(assembleIndex(plan, images.map((i) => withPlatform(i.manifest.desc, i.platform))), MEDIA_TYPES.ociIndex);
  return { top, images };
}
