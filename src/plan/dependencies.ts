import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { DependencyLayer, LockedWheel } from '../../generated/plan.js';
import type { ProjectMetadata } from '../config/detect.js';
import { normalizeName } from '../config/detect.js';
import { ConfigError } from '../errors.js';
import type { Platform } from '../oci/platform.js';
import { DistributionStore } from '../python/download.js';
import { detectLibc, formatLibc, type Libc } from '../python/libc.js';
import { readLock, type Lock } from '../python/lock.js';
import { targetEnvironment } from '../python/markers.js';
import { compatibleTags, platformTag, selectWheel, type Target } from '../python/tags.js';
import { wheelsLayerTar, type WheelToInstall } from '../python/wheel.js';

export const DEPS_LAYER_CREATED_BY = 'pycontainer: locked dependencies in the venv';

export interface DependencyInput {
  context: string;
  project: ProjectMetadata;
  platform: Platform;
  pythonVersion: string;
  venv: string;
  mtime: number;
  requirementsFile?: string;
  /** Opens each base layer of this platform (for the C library); undefined for scratch. */
  baseLayers?: (() => Promise<Readable>)[];
  store: DistributionStore;
  env: NodeJS.ProcessEnv;
}

/** The C library wheels are chosen for; glibc 2.17 (manylinux2014) when the base does not tell. */
async function targetLibc(input: DependencyInput): Promise<Libc> {
  if (!input.baseLayers?.length) {
    throw new ConfigError('E_DEPS_BASE', 'installing dependencies needs a base image with Python; scratch has none');
  }
  return (await detectLibc(input.baseLayers)) ?? { kind: 'glibc', version: [2, 17] };
}

function platformText(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/**
 * Reads the lock for one platform, picks each package's wheel for the target (interpreter, C library,
 * architecture), fetches and verifies the wheels, and hashes the dependency layer they install into,
 * so the plan states its diff_id. Undefined when the project has no lock.
 */
export async function resolveDependencies(input: DependencyInput): Promise<{ layer: DependencyLayer; lock: Lock } | undefined> {
  const fullVersion = /^\d+\.\d+\.\d+/.test(input.pythonVersion) ? input.pythonVersion : `${input.pythonVersion}.0`;
  const env = targetEnvironment(fullVersion, input.platform.architecture);
  const lock = await readLock(input.context, {
    env,
    projectName: input.project.name,
    directNames: input.project.dependencies.map((d) => normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(d)?.[1] ?? d)),
    declared: input.project.dependencies,
    ...(input.requirementsFile ? { requirementsFile: input.requirementsFile } : {}),
    environ: input.env,
  });
  if (!lock) return undefined;
  const libc = await targetLibc(input);
  const target: Target = { pythonVersion: fullVersion, architecture: input.platform.architecture, libc };
  const lockDir = dirname(join(input.context, lock.path));
  const packages: LockedWheel[] = [];
  const toInstall: WheelToInstall[] = [];
  for (const pkg of lock.packages) {
    const chosen = selectWheel(pkg.wheels, target);
    if (!chosen) {
      const have = pkg.wheels.map((w) => w.filename);
      const needed = compatibleTags(target).slice(0, 3).join(', ');
      throw new ConfigError(
        'E_NO_WHEEL',
        `${pkg.name} ${pkg.version} has no wheel for ${platformText(input.platform)} (${formatLibc(libc)}, Python ${fullVersion}): ${
          have.length ? `it has ${have.join(', ')}` : pkg.sdist ? `only a source distribution, ${pkg.sdist.filename}` : 'no files at all'
        }; needed tags like ${needed}; pin a version that publishes one, or use a base image that matches a wheel it has`,
      );
    }
    const w = chosen.wheel;
    const file = await input.store.fetch({ ...w, sha256: w.sha256 }, lockDir);
    const size = w.size ?? (await sizeOf(file));
    packages.push({
      name: pkg.name,
      version: pkg.version,
      filename: w.filename,
      ...(w.url ? { url: w.url } : {}),
      ...(w.path ? { path: relativeToContext(input.context, lockDir, w.path) } : {}),
      sha256: w.sha256,
      size,
      requested: pkg.requested,
      tag: chosen.tag,
      ...(pkg.directUrl ? { directUrl: pkg.directUrl } : {}),
    });
    toInstall.push({ file, filename: w.filename, name: pkg.name, version: pkg.version, requested: pkg.requested, ...(pkg.directUrl ? { directUrl: { url: pkg.directUrl, archiveHash: `sha256=${w.sha256}` } } : {}) });
  }
  const { diffId, size } = await hashStream((await wheelsLayerTar(toInstall, { venv: input.venv, pythonMinor: fullVersion.split('.').slice(0, 2).join('.') }, input.mtime)) as unknown as AsyncIterable<Buffer>);
  return {
    lock,
    layer: {
      platform: platformText(input.platform),
      lock: lock.path,
      target: { python: fullVersion, libc: formatLibc(libc), tag: platformTag(target) },
      createdBy: `${DEPS_LAYER_CREATED_BY} (${lock.path})`,
      diffId,
      size,
      mtime: input.mtime,
      packages: packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    },
  };
}

/** Re-creates the WheelToInstall list of a planned dependency layer (apply), fetching wheels as needed. */
export async function wheelsOf(layer: DependencyLayer, context: string, store: DistributionStore): Promise<WheelToInstall[]> {
  const out: WheelToInstall[] = [];
  for (const p of layer.packages) {
    const file = await store.fetch({ filename: p.filename, ...(p.url ? { url: p.url } : {}), ...(p.path ? { path: p.path } : {}), sha256: p.sha256, size: p.size }, context);
    out.push({
      file,
      filename: p.filename,
      name: p.name,
      version: p.version,
      requested: p.requested,
      ...(p.directUrl ? { directUrl: { url: p.directUrl, archiveHash: `sha256=${p.sha256}` } } : {}),
    });
  }
  return out;
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

function relativeToContext(context: string, lockDir: string, path: string): string {
  const abs = isAbsolute(path) ? path : join(lockDir, path);
  return relative(context, abs).split(sep).join('/');
}

async function hashStream(stream: AsyncIterable<Buffer> | NodeJS.ReadableStream): Promise<{ diffId: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}
