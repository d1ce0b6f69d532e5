import type { Plan } from '../../generated/plan.js';
import type { LayoutWriter } from '../apply/layout.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';
import { writeFileAtomic } from '../plan/file.js';
import { SBOM_SUFFIX, type SbomFormat } from './model.js';
import { assembleSbomArtifact, EMPTY_CONFIG, EMPTY_MEDIA_TYPE, REFERRER_OF, type SbomArtifact } from './referrers.js';
import { readSbom, type SbomSources } from './sbom.js';

/**
 * Apply's SBOM step: one SBOM per platform image, written into the layout as an artifact whose subject
 * is that image's manifest (its blobs go in now; index.json lists it when the image is published,
 * annotated with the tagged digest it belongs to, so a later build's garbage collection can drop it).
 */
export async function writeSbomArtifacts(
  plan: Plan,
  format: SbomFormat,
  images: { platform: string; manifest: Descriptor }[],
  writer: LayoutWriter,
  sources: SbomSources,
): Promise<SbomArtifact[]> {
  const out: SbomArtifact[] = [];
  for (const image of images) {
    const sbom = await readSbom(plan, image.platform, format, sources);
    const config = plan.images.find((i) => i.platform === image.platform)?.config as { created?: string } | undefined;
    const artifact = assembleSbomArtifact(sbom, format, image.platform, image.manifest, (config?.created ?? '1970-01-01T00:00:00Z').replace(/\.\d+Z$/, 'Z'));
    await writer.writeJsonBlob(EMPTY_CONFIG.toString('utf8'), EMPTY_MEDIA_TYPE);
    await writer.writeJsonBlob(sbom.toString('utf8'), artifact.layer.mediaType);
    await writer.writeJsonBlob(artifact.manifest.toString('utf8'), MEDIA_TYPES.ociManifest);
    out.push(artifact);
  }
  return out;
}

/** The entries index.json gets for the artifacts of the image published as `top`. */
export function referrerEntries(artifacts: SbomArtifact[], top: Descriptor): Descriptor[] {
  return artifacts.map((a) => ({ ...a.descriptor, annotations: { ...a.descriptor.annotations, [REFERRER_OF]: top.digest } }));
}

/**
 * Where the SBOM goes beside the output: `dist/image` → `dist/image.spdx.json` (an archive's `.tar`
 * dropped); with several platforms, one file each: `dist/image.linux-arm64.cdx.json`.
 */
export function sbomFilePath(output: string, format: SbomFormat, platform: string | undefined): string {
  const stem = output.replace(/\/+$/, '').replace(/\.tar$/, '');
  return `${stem}${platform ? `.${platform.replace(/\//g, '-')}` : ''}${SBOM_SUFFIX[format]}`;
}

/** Writes the SBOMs beside the output, each atomically. */
export async function writeSbomFiles(output: string, artifacts: SbomArtifact[]): Promise<string[]> {
  const written: string[] = [];
  for (const a of artifacts) {
    const path = sbomFilePath(output, a.format, artifacts.length > 1 ? a.platform : undefined);
    await writeFileAtomic(path, a.sbom);
    written.push(path);
  }
  return written;
}
