import type { ImageConfig } from '../../generated/plan.js';
import type { Platform } from './platform.js';

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/**
 * JSON with object keys sorted and no insignificant white space: the one serialization of configs,
 * manifests and indexes, so that a digest computed at plan time is the digest of the bytes apply writes.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The parts of a base image's config an image built on it inherits. */
export interface BaseConfig {
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  User?: string;
  WorkingDir?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  /** Volumes, Healthcheck, Shell, OnBuild…: kept as the base has them. */
  [other: string]: unknown;
}

/** What we set on top of the base, each undefined when we leave the base's value. */
export interface ImageSettings {
  env: Record<string, string>;
  /** Set → replaces the base's Entrypoint and (unless cmd is set) clears its Cmd, as Dockerfile ENTRYPOINT does. */
  entrypoint?: string[];
  cmd?: string[];
  user?: string;
  workingDir: string;
  exposedPorts: string[];
  labels: Record<string, string>;
}

export interface ImageConfigInput {
  platform: Platform;
  base?: { config: BaseConfig; diffIds: string[]; history: ImageConfig['history'] };
  settings: ImageSettings;
  layers: { diffId: string; createdBy: string }[];
  created: string;
}

/**
 * The image config for one platform: the base's config merged the way a Dockerfile FROM would (Env and
 * Labels and ports merged by key, ours win), base diff_ids and history followed by ours.
 */
export function assembleImageConfig(input: ImageConfigInput): ImageConfig {
  const base = input.base?.config ?? {};
  const env = mergeEnv(base.Env ?? [], input.settings.env);
  // Start from the base (Volumes, Healthcheck, StopSignal… carry over), then set ours.
  const { Entrypoint: _e, Cmd: _c, ...inherited } = base;
  const config: Record<string, unknown> = { ...inherited, Env: env, WorkingDir: input.settings.workingDir };
  const user = input.settings.user ?? base.User;
  if (user) config.User = user;
  if (input.settings.entrypoint) {
    config.Entrypoint = input.settings.entrypoint;
    if (input.settings.cmd) config.Cmd = input.settings.cmd;
  } else {
    if (base.Entrypoint?.length) config.Entrypoint = base.Entrypoint;
    const cmd = input.settings.cmd ?? base.Cmd ?? undefined;
    if (cmd?.length) config.Cmd = cmd;
  }
  const ports = [...Object.keys(base.ExposedPorts ?? {}), ...input.settings.exposedPorts];
  if (ports.length) config.ExposedPorts = Object.fromEntries([...new Set(ports)].sort().map((p) => [p, {}]));
  const labels = { ...(base.Labels ?? {}), ...input.settings.labels };
  if (Object.keys(labels).length) config.Labels = labels;
  const image: ImageConfig = {
    created: input.created,
    architecture: input.platform.architecture,
    os: input.platform.os,
    config,
    rootfs: { type: 'layers', diff_ids: [...(input.base?.diffIds ?? []), ...input.layers.map((l) => l.diffId)] },
    history: [
      ...(input.base?.history ?? []),
      ...input.layers.map((l) => ({ created: input.created, created_by: l.createdBy, comment: 'pycontainer' })),
    ],
  };
  if (input.platform.variant) image.variant = input.platform.variant;
  return sortKeys(image) as ImageConfig;
}

/** Base Env in its order with our values replacing same-named ones, then our new names sorted. */
export function mergeEnv(base: string[], ours: Record<string, string>): string[] {
  const seen = new Set<string>();
  const out = base.map((item) => {
    const name = item.split('=', 1)[0]!;
    seen.add(name);
    return name in ours ? `${name}=${ours[name]}` : item;
  });
  for (const name of Object.keys(ours).sort()) if (!seen.has(name)) out.push(`${name}=${ours[name]}`);
  return out;
}

export function envValue(env: string[] | undefined, name: string): string | undefined {
  const item = env?.find((e) => e.startsWith(`${name}=`));
  return item?.slice(name.length + 1);
}

/** `created` for configs and history: SOURCE_DATE_EPOCH, else the Unix epoch. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
