import { createHash } from 'node:crypto';
import type { Plan } from '../../generated/plan.js';
import type { BaseSoftware } from './packages.js';

/**
 * What an SBOM says, in one format-neutral value: the image, the project, the Python it runs on, every
 * installed distribution (with its wheel's sha256, its license and the layer it is in) and the base's
 * operating-system packages. spdx.ts and cyclonedx.ts only render it. Everything in it comes from the
 * plan, from wheels named by sha256 in the plan, or from base layers named by digest in the plan, so the
 * same plan gives the same SBOM bytes.
 */
export type SbomFormat = 'spdx' | 'cyclonedx';

export const SBOM_FORMATS: readonly SbomFormat[] = ['spdx', 'cyclonedx'];

/** OCI 1.1 artifactType (and the SBOM layer's media type) of each format. */
export const SBOM_MEDIA_TYPES: Record<SbomFormat, string> = {
  spdx: 'application/spdx+json',
  cyclonedx: 'application/vnd.cyclonedx+json',
};

/** `dist/image` → `dist/image.spdx.json`. */
export const SBOM_SUFFIX: Record<SbomFormat, string> = { spdx: '.spdx.json', cyclonedx: '.cdx.json' };

export interface SbomLicense {
  /** An SPDX license expression (License-Expression, or mapped from a classifier or a well-known License value). */
  expression?: string;
  /** Free text when no expression could be told (the License field's first line). */
  text?: string;
}

export interface SbomDistribution {
  name: string;
  version: string;
  filename: string;
  sha256: string;
  url?: string;
  license?: SbomLicense;
  /** The diff_id of the layer it is installed in. */
  layer: string;
  /** A direct dependency of the project. */
  requested: boolean;
}

export interface SbomInput {
  tool: { name: string; version: string };
  /** ISO 8601 seconds, from the image config's `created` (SOURCE_DATE_EPOCH, else the epoch). */
  created: string;
  image: { name: string; platform: string; configDigest: string; baseRef: string; baseDigest?: string; tags: string[] };
  project: { name: string; version: string; license?: SbomLicense; layer: string };
  python: { version: string; interpreter: string };
  distributions: SbomDistribution[];
  base: BaseSoftware;
}

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1, URL namespace) of `name`: the CycloneDX serialNumber and
 * the SPDX documentNamespace are this of the image config digest and format, so they are unique per
 * image and the same for the same plan.
 */
export function nameUuid(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The SbomInput of one platform's image: the plan's parts, with the wheels' licenses (by sha256) and the base's packages. Pure. */
export function assembleSbomInput(
  plan: Plan,
  platform: string,
  extra: { licenses: Map<string, SbomLicense>; base: BaseSoftware; toolVersion: string },
): SbomInput {
  const image = plan.images.find((i) => i.platform === platform) ?? plan.images[0]!;
  const created = String((image.config as { created?: string }).created ?? '1970-01-01T00:00:00Z');
  const distributions: SbomDistribution[] = [];
  for (const layer of plan.dependencies ?? []) {
    if (layer.platform !== image.platform) continue;
    for (const p of layer.packages) {
      const license = extra.licenses.get(p.sha256);
      distributions.push({
        name: p.name,
        version: p.version,
        filename: p.filename,
        sha256: p.sha256,
        ...(p.url ? { url: p.url } : {}),
        ...(license ? { license } : {}),
        // The layer that installs it (build.layers cuts the dependencies into several).
        layer: (layer.layers.find((l) => l.packages.includes(p.name)) ?? layer.layers[0])?.diffId ?? '',
        requested: p.requested,
      });
    }
  }
  distributions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const projectLicense = plan.annotations['org.opencontainers.image.licenses'];
  const appLayer = plan.layers[plan.layers.length - 1]?.diffId ?? '';
  return {
    tool: { name: 'pycontainer', version: extra.toolVersion },
    created: created.replace(/\.\d+Z$/, 'Z'),
    image: {
      name: plan.tags[0] ?? `${plan.project.name}:${plan.project.version}`,
      platform: image.platform,
      configDigest: image.configDigest,
      baseRef: plan.base.ref,
      ...(plan.base.digest ? { baseDigest: plan.base.digest } : {}),
      tags: plan.tags,
    },
    // The project's license as the plan's annotations state it ([project] license / license-expression).
    project: { name: plan.project.name, version: plan.project.version, layer: appLayer, ...(projectLicense ? { license: { expression: projectLicense } } : {}) },
    python: { version: plan.python.version, interpreter: plan.python.interpreter },
    distributions,
    base: extra.base,
  };
}

/** `pkg:pypi/<name>@<version>` (the name normalized as PEP 503 and the purl spec say). */
export function pypiPurl(name: string, version: string): string {
  return `pkg:pypi/${encodeURIComponent(name.toLowerCase().replace(/[-_.]+/g, '-'))}@${encodeURIComponent(version)}`;
}
