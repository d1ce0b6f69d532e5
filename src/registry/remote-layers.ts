import { RegistryError } from '../errors.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { platformMatches } from '../oci/platform.js';
import type { RegistryClient } from './client.js';
import { formatReference, type ImageReference } from './reference.js';

/**
 * The registry as the layer cache of a fresh CI machine. An image already in a registry (the tags
 * being pushed, `cache_from` references) states in its config which uncompressed layers it holds
 * (`rootfs.diff_ids`) and in its manifest the blob of each, in the same order: a layer of ours with
 * one of those diff_ids is that blob, so it need not be built, only skipped (same repository) or
 * mounted (same registry) when pushing. Trust is earned: the config is fetched by the digest its
 * manifest names and verified, index children by digest too; a pair that does not line up is ignored.
 */

/** A layer some image in a registry holds: its compressed blob and where it lives. */
export interface RemoteLayer {
  diffId: string;
  digest: string;
  size: number;
  mediaType: string;
  /** The repository it was found in (registry + repository; no tag or digest). */
  from: ImageReference;
}

/** Layer media types whose blob is the gzip of the tar our manifests describe as tar+gzip. */
const GZIP_LAYERS = new Set<string>([MEDIA_TYPES.ociLayerGzip, MEDIA_TYPES.dockerLayerGzip]);

interface ManifestShape {
  mediaType?: string;
  config?: { digest?: unknown; size?: unknown; mediaType?: unknown };
  layers?: { digest?: unknown; size?: unknown; mediaType?: unknown }[];
  manifests?: { digest?: unknown; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

/**
 * diff_id → layer descriptor of one image: the config's `rootfs.diff_ids` zipped with the manifest's
 * layers. Undefined when the two do not line up (different counts, malformed entries); layers that are
 * not gzip tars (zstd, foreign layers) are left out.
 */
export function zipRemoteLayers(manifest: ManifestShape, config: { rootfs?: { diff_ids?: unknown } }): Omit<RemoteLayer, 'from'>[] | undefined {
  const layers = manifest.layers;
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(layers) || !Array.isArray(diffIds) || layers.length !== diffIds.length) return undefined;
  const out: Omit<RemoteLayer, 'from'>[] = [];
  for (const [i, layer] of layers.entries()) {
    const diffId = diffIds[i];
    if (typeof diffId !== 'string' || typeof layer.digest !== 'string' || typeof layer.size !== 'number' || typeof layer.mediaType !== 'string') return undefined;
    if (!/^sha256:[0-9a-f]{64}$/.test(diffId) || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) return undefined;
    if (!GZIP_LAYERS.has(layer.mediaType)) continue;
    out.push({ diffId, digest: layer.digest, size: layer.size, mediaType: layer.mediaType });
  }
  return out;
}

/** The digests of an index's children for the given platforms (`os/arch[/variant]`). */
export function selectPlatformManifests(index: ManifestShape, platforms: string[]): string[] {
  const children = (index.manifests ?? []).filter((m): m is { digest: string; platform?: { os?: string; architecture?: string; variant?: string } } => typeof m.digest === 'string');
  // Compared normalized: a plan's linux/arm64 is the index's linux/arm64/v8.
  const named = children.filter((m) => m.platform && platforms.some((p) => platformMatches(p, { os: m.platform!.os ?? '', architecture: m.platform!.architecture ?? '', ...(m.platform!.variant ? { variant: m.platform!.variant } : {}) })));
  return named.map((m) => m.digest);
}

export interface FetchRemoteLayersOptions {
  /**
   * The diff_ids worth finding (the layers we would build); the lookup stops once all are found.
   * Omitted: every layer of the images (a build that does not know its diff_ids yet).
   */
  wanted?: Set<string>;
  platforms: string[];
  /** Repositories we push to: asked with pull,push so the push reuses the token. */
  pushTargets?: ImageReference[];
  /** What was looked at and why something was skipped (for --verbose). */
  onNote?: (line: string) => void;
}

/**
 * Looks the wanted diff_ids up in the images `refs` name, first match wins (the refs' order: targets
 * first). Best effort: a missing tag, a refused or unreadable image only means nothing is found there.
 */
export async function fetchRemoteLayers(client: RegistryClient, refs: ImageReference[], options: FetchRemoteLayersOptions): Promise<Map<string, RemoteLayer>> {
  const found = new Map<string, RemoteLayer>();
  const note = options.onNote ?? (() => undefined);
  const wanted = options.wanted;
  const done = () => wanted !== undefined && [...wanted].every((d) => found.has(d));
  const seen = new Set<string>();
  for (const ref of refs) {
    if (done()) break;
    const key = formatReference(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
    const isTarget = (options.pushTargets ?? []).some((t) => t.registry === ref.registry && t.repository === ref.repository);
    const actions: ('pull' | 'push')[] = isTarget ? ['pull', 'push'] : ['pull'];
    try {
      const top = await client.getManifest(ref, ref.digest ?? ref.tag ?? 'latest', actions);
      const parsed = JSON.parse(top.bytes.toString('utf8')) as ManifestShape;
      const manifests: ManifestShape[] = [];
      if (top.mediaType === MEDIA_TYPES.ociIndex || top.mediaType === MEDIA_TYPES.dockerManifestList) {
        for (const digest of selectPlatformManifests(parsed, options.platforms)) {
          // By digest: getManifest refuses bytes that do not hash to it.
          manifests.push(JSON.parse((await client.getManifest(repo, digest, actions)).bytes.toString('utf8')) as ManifestShape);
        }
      } else manifests.push(parsed);
      for (const manifest of manifests) {
        const c = manifest.config;
        if (!c || typeof c.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(c.digest)) continue;
        // Verified against the digest the manifest names (getBlobBytes refuses anything else).
        const config = JSON.parse((await client.getBlobBytes(repo, { digest: c.digest, ...(typeof c.size === 'number' ? { size: c.size } : {}) }, actions)).toString('utf8')) as { rootfs?: { diff_ids?: unknown } };
        const layers = zipRemoteLayers(manifest, config);
        if (!layers) {
          note(`${key}: its config's diff_ids do not line up with its manifest's layers; not used as a cache`);
          continue;
        }
        for (const l of layers) if ((wanted === undefined || wanted.has(l.diffId)) && !found.has(l.diffId)) found.set(l.diffId, { ...l, from: repo });
      }
    } catch (err) {
      if (err instanceof RegistryError) note(`${key}: ${err.status === 404 ? 'not there (yet)' : err.message}; not used as a cache`);
      else if (err instanceof SyntaxError) note(`${key}: not valid JSON; not used as a cache`);
      else throw err;
    }
  }
  return found;
}
