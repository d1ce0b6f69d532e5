import type { Plan } from '../../generated/plan.js';
import type { BlobCache } from '../cache/store.js';
import { baseBlobSource } from '../apply/base.js';
import { wheelsOf } from '../plan/dependencies.js';
import { DistributionStore } from '../python/index/download.js';
import { ZipFile } from '../python/install/zip.js';
import type { RegistryClient } from '../registry/client.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { renderCycloneDx } from './cyclonedx.js';
import { parseMetadataLicense } from './license.js';
import { assembleSbomInput, type SbomFormat, type SbomLicense } from './model.js';
import { readBaseSoftware, type BaseSoftware } from './packages.js';
import { renderSpdx } from './spdx.js';

export interface SbomSources {
  /** The project directory (local wheels and a local base layout are relative to it). */
  context: string;
  cache?: BlobCache;
  registry?: RegistryClient;
}

/**
 * The SBOM of one platform's image, as bytes. Its inputs are the plan, the wheels it names by sha256
 * (their METADATA, for licenses; verified as apply verifies them) and the base layers it names by
 * digest (for the OS packages; verified against the plan's diff_ids while read): the same plan gives
 * the same bytes. No layer of ours is scanned.
 */
export async function readSbom(plan: Plan, platform: string, format: SbomFormat, sources: SbomSources): Promise<Buffer> {
  const [licenses, base] = await Promise.all([readLicenses(plan, platform, sources), readBase(plan, platform, sources)]);
  const input = assembleSbomInput(plan, platform, { licenses, base, toolVersion: PYCONTAINER_VERSION });
  return Buffer.from(format === 'spdx' ? renderSpdx(input) : renderCycloneDx(input), 'utf8');
}

/** Each planned wheel's license from its METADATA, by the wheel's sha256. */
async function readLicenses(plan: Plan, platform: string, sources: SbomSources): Promise<Map<string, SbomLicense>> {
  const out = new Map<string, SbomLicense>();
  const layers = (plan.dependencies ?? []).filter((d) => d.platform === platform && d.source !== 'venv' && d.packages.length);
  if (!layers.length) return out;
  const store = await DistributionStore.open(sources.cache);
  try {
    for (const layer of layers) {
      const wheels = await wheelsOf(layer, sources.context, store);
      for (const [i, wheel] of wheels.entries()) {
        const license = await readWheelLicense(wheel.file);
        if (license) out.set(layer.packages[i]!.sha256, license);
      }
    }
  } finally {
    await store.close();
  }
  return out;
}

/** The license in a wheel's top-level `*.dist-info/METADATA`; undefined when it states none. */
export async function readWheelLicense(file: string): Promise<SbomLicense | undefined> {
  const zip = await ZipFile.open(file);
  const entry = zip.entries.find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  if (!entry) return undefined;
  return parseMetadataLicense((await zip.read(entry, 4 * 1024 * 1024)).toString('utf8'));
}

async function readBase(plan: Plan, platform: string, sources: SbomSources): Promise<BaseSoftware> {
  const image = plan.base.images.find((i) => i.platform === platform) ?? (plan.base.images.length === 1 ? plan.base.images[0] : undefined);
  if (!image || plan.base.ref === 'scratch') return { packages: [] };
  const source = baseBlobSource(plan.base.ref, sources.context, sources.registry, sources.cache, image.layers);
  if (!source) return { packages: [] };
  return readBaseSoftware(image.layers.map((l) => () => source.open(l)));
}
