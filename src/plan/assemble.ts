import type { DependencyLayer, Entry, Layer, Plan } from '../../generated/plan.js';
import type { ContextFile } from '../config/context.js';
import { symlinkStaysInside } from '../config/context.js';
import { DEFAULT_PYTHON, type Detection } from '../config/detect.js';
import type { MergedConfig } from '../config/merge.js';
import { resolveTags } from '../config/tags.js';
import type { Diagnostic } from '../errors.js';
import { sha256Digest } from '../oci/digest.js';
import { assembleImageConfig, canonicalJson, envValue, isoTime, type ImageSettings } from '../oci/image.js';
import type { ResolvedBase } from '../oci/layout.js';
import { withParents } from '../oci/layer.js';
import { parsePlatform, type Platform } from '../oci/platform.js';
import { PLAN_FORMAT_VERSION, PYCONTAINER_VERSION } from '../version.js';
import { venvEntries } from '../python/venv.js';

export const DEFAULT_WORKDIR = '/app';
/** The plan schema's $id, written as the plan's `$schema`. */
export const PLAN_SCHEMA_ID = 'https://pycontainer.dev/schema/plan.schema.json';
export const DEFAULT_USER = '65532:65532';
export const DEFAULT_HOME = '/home/nonroot';
export const DEFAULT_OUTPUT = 'dist/image';
export const DEFAULT_INTERPRETER = '/usr/local/bin/python3';
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const APP_LAYER_CREATED_BY = 'pycontainer: project files and venv entry points';

/** Every decision the compiler makes from merged config, detection and the base image. Pure. */
export interface Resolved {
  workdir: string;
  venv: string;
  user: string;
  platforms: Platform[];
  baseRef: string;
  pythonMinor: string;
  pythonVersion: string;
  interpreter: string;
  tags: string[];
  output: string;
  includePaths: string[];
  provenance: Record<string, string>;
  warnings: string[];
}

/** Settings that do not need the base image: workdir, platforms, base reference, user, tags. */
export function resolveSettings(merged: MergedConfig, detection: Detection): { resolved: Omit<Resolved, 'pythonMinor' | 'pythonVersion' | 'interpreter'>; diagnostics: Diagnostic[] } {
  const b = merged.build;
  const provenance: Record<string, string> = { ...merged.provenance };
  const diagnostics: Diagnostic[] = [];
  const pick = <T>(key: string, value: T | undefined, fallback: T, why: string): T => {
    if (value !== undefined) return value;
    provenance[`build.${key}`] = why;
    return fallback;
  };
  const workdir = pick('workdir', b.workdir, DEFAULT_WORKDIR, 'default').replace(/\/+$/, '') || '/';
  const platformTexts = pick('platforms', b.platforms, ['linux/amd64'], 'default');
  const platforms: Platform[] = [];
  for (const text of [...new Set(platformTexts)]) {
    const p = parsePlatform(text);
    if ('error' in p) diagnostics.push({ source: provenance['build.platforms'] ?? 'config', key: 'build.platforms', message: p.error });
    else platforms.push(p);
  }
  platforms.sort((x, y) => (fmt(x) < fmt(y) ? -1 : 1));
  const python = detection.pythonVersion?.value ?? DEFAULT_PYTHON;
  const baseRef = pick(
    'base_image',
    b.base_image,
    `python:${python}-slim`,
    detection.pythonVersion ? `detected: python ${python} from ${detection.pythonVersion.why}` : `default (python ${python})`,
  );
  const user = pick('user', b.user, DEFAULT_USER, 'default (non-root)');
  // Tags and [registry] url / --registry (a full repository or a prefix): src/config/tags.ts.
  const tagging = resolveTags(merged, detection.project);
  Object.assign(provenance, tagging.provenance);
  diagnostics.push(...tagging.diagnostics);
  const tags = tagging.tags;
  const output = pick('output', b.output, DEFAULT_OUTPUT, 'default');
  const includePaths = b.include_paths ?? detection.includePaths.value;
  if (!b.include_paths) provenance['build.include_paths'] = `detected: ${detection.includePaths.why}`;
  for (const p of includePaths) {
    if (p.startsWith('/') || p.split('/').includes('..')) {
      diagnostics.push({ source: provenance['build.include_paths'] ?? 'config', key: 'build.include_paths', message: `"${p}" is outside the context; include paths are relative to the context and stay inside it` });
    }
  }
  return {
    resolved: { workdir, venv: `${workdir === '/' ? '' : workdir}/.venv`, user, platforms, baseRef, tags, output, includePaths, provenance, warnings: [...merged.notices, ...tagging.notices] },
    diagnostics,
  };
}

export { namesRegistry } from '../config/tags.js';

function fmt(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The target interpreter: the base image's PYTHON_VERSION wins over what the project asks for. */
export function resolvePython(
  detection: Detection,
  base: ResolvedBase | undefined,
  provenance: Record<string, string>,
  warnings: string[],
): { pythonMinor: string; pythonVersion: string; interpreter: string } {
  const fromBase = base?.images.map((i) => envValue(i.imageConfig.Env, 'PYTHON_VERSION')).find(Boolean);
  const detected = detection.pythonVersion?.value;
  if (fromBase) {
    const minor = fromBase.split('.').slice(0, 2).join('.');
    provenance.python = `base image (PYTHON_VERSION=${fromBase})`;
    if (detected && detected !== minor) warnings.push(`the base image has Python ${fromBase} but ${detection.pythonVersion!.why} asks for ${detected}`);
    return { pythonMinor: minor, pythonVersion: fromBase, interpreter: DEFAULT_INTERPRETER };
  }
  const minor = detected ?? DEFAULT_PYTHON;
  provenance.python = detected ? `detected: ${detection.pythonVersion!.why}` : 'default';
  return { pythonMinor: minor, pythonVersion: minor, interpreter: DEFAULT_INTERPRETER };
}

/**
 * The application layer's entries without file digests: the workdir's parents, the included context
 * files under the workdir, the project's venv files and, for the default user, its home directory.
 */
export function assembleAppEntries(
  files: ContextFile[],
  resolved: Resolved,
  detection: Detection,
): { entries: Entry[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const root = resolved.workdir.replace(/^\/+/, '');
  const inImage = (p: string) => (root ? `${root}/${p}` : p);
  const selected = new Map<string, ContextFile>();
  for (const include of resolved.includePaths) {
    const clean = include.replace(/^\.\//, '').replace(/\/+$/, '');
    if (clean === '.' || clean === '') {
      // The whole context.
      for (const f of files) selected.set(f.path, f);
      continue;
    }
    if (clean.startsWith('/') || clean.split('/').includes('..')) continue; // reported by resolveSettings
    const matched = files.filter((f) => f.path === clean || f.path.startsWith(`${clean}/`));
    if (matched.length === 0) {
      diagnostics.push({ source: resolved.provenance['build.include_paths'] ?? 'config', key: 'build.include_paths', message: `"${include}" does not exist in the context (or is ignored by .dockerignore, .gitignore or the defaults)` });
    }
    for (const f of matched) selected.set(f.path, f);
  }
  const entries: Entry[] = [];
  // Files a build backend would have generated (a VCS version file) that the context lacks.
  for (const g of detection.generatedFiles) {
    const bytes = Buffer.from(g.content, 'utf8');
    if (!selected.has(g.path)) entries.push({ path: inImage(g.path), type: 'file', mode: '0644', size: bytes.length, sha256: sha256Digest(bytes).slice('sha256:'.length), content: g.content });
  }
  for (const f of selected.values()) {
    if (f.type === 'symlink' && !symlinkStaysInside(f.path, f.target!)) {
      diagnostics.push({ source: f.path, message: `symlink to "${f.target}" leaves the context; replace it with the file or exclude it` });
      continue;
    }
    if (f.type === 'dir') entries.push({ path: inImage(f.path), type: 'dir', mode: '0755', source: f.path });
    else if (f.type === 'symlink') entries.push({ path: inImage(f.path), type: 'symlink', mode: '0777', target: f.target!, source: f.path });
    else entries.push({ path: inImage(f.path), type: 'file', mode: f.executable ? '0755' : '0644', size: f.size, source: f.path });
  }
  entries.push(
    ...venvEntries({
      venv: resolved.venv,
      workdir: resolved.workdir,
      pythonMinor: resolved.pythonMinor,
      pythonVersion: resolved.pythonVersion,
      interpreter: resolved.interpreter,
      project: detection.project,
      importRoots: detection.importRoots,
    }),
  );
  if (resolved.user === DEFAULT_USER) {
    const [uid, gid] = DEFAULT_USER.split(':').map(Number);
    entries.push({ path: DEFAULT_HOME.slice(1), type: 'dir', mode: '0755', uid: uid!, gid: gid! });
  }
  if (root && !entries.some((e) => e.path === root)) entries.push({ path: root, type: 'dir', mode: '0755' });
  return { entries: withParents(entries), diagnostics };
}

export interface PlanInput {
  resolved: Resolved;
  /** Per platform, the dependency layer (below the application layer). */
  dependencies?: DependencyLayer[];
  merged: MergedConfig;
  detection: Detection;
  base?: ResolvedBase;
  appLayer: { entries: Entry[]; diffId: string; size: number; include: string[]; exclude: string[] };
  inputs: { path: string; sha256: string }[];
  /** Seconds: SOURCE_DATE_EPOCH or 0; the build time with reproducible = false. */
  created: number;
  mtime: number;
}

/** Assembles the plan: the image config per platform and its digest. Pure and deterministic. */
export function assemblePlan(input: PlanInput): Plan {
  const { resolved, merged, detection, base } = input;
  const venvBin = `${resolved.venv}/bin`;
  const layer: Layer = {
    name: 'app',
    createdBy: APP_LAYER_CREATED_BY,
    diffId: input.appLayer.diffId,
    size: input.appLayer.size,
    mtime: input.mtime,
    include: [...input.appLayer.include].sort(),
    exclude: input.appLayer.exclude,
    entries: input.appLayer.entries,
  };
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': detection.project.name,
    'org.opencontainers.image.version': detection.project.version,
  };
  if (detection.project.description) labels['org.opencontainers.image.description'] = detection.project.description;
  if (detection.framework) labels['dev.pycontainer.framework'] = detection.framework.name;
  Object.assign(labels, merged.build.labels ?? {});

  const command = commandFor(merged, detection, resolved);
  const ports = (merged.build.exposed_ports ?? detection.ports.value).map((p) => (typeof p === 'number' || !p.includes('/') ? `${p}/tcp` : p));
  if (!merged.build.exposed_ports) resolved.provenance['build.exposed_ports'] = detection.ports.value.length ? `detected: ${detection.ports.why}` : 'default (none)';

  const images = resolved.platforms.map((platform) => {
    const platformText = fmt(platform);
    const baseImage = base?.images.find((i) => i.platform === platformText) ?? base?.images[0];
    const basePath = envValue(baseImage?.imageConfig.Env, 'PATH') ?? DEFAULT_PATH;
    const env: Record<string, string> = {
      PATH: `${venvBin}:${basePath}`,
      VIRTUAL_ENV: resolved.venv,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    if (resolved.user === DEFAULT_USER) env.HOME = DEFAULT_HOME;
    // What the detected command needs (PORT for a Procfile line), then the configured env over it.
    Object.assign(env, detection.env, merged.build.env ?? {});
    const settings: ImageSettings = { env, workingDir: resolved.workdir, user: resolved.user, exposedPorts: ports, labels, ...command };
    const config = assembleImageConfig({
      platform,
      ...(baseImage ? { base: { config: baseImage.imageConfig, diffIds: baseImage.layers.map((l) => l.diffId), history: baseImage.history } } : {}),
      settings,
      layers: [
        ...(input.dependencies ?? []).filter((d) => d.platform === platformText).map((d) => ({ diffId: d.diffId, createdBy: d.createdBy })),
        { diffId: layer.diffId, createdBy: layer.createdBy },
      ],
      created: isoTime(input.created),
    });
    const bytes = canonicalJson(config);
    return { platform: platformText, config, configDigest: sha256Digest(bytes), configSize: Buffer.byteLength(bytes) };
  });

  const annotations: Record<string, string> = {};
  if (base) {
    // base.name is an image reference; a local layout path is not one, and would leak a host path.
    if (!resolved.baseRef.startsWith('oci:')) annotations['org.opencontainers.image.base.name'] = resolved.baseRef;
    annotations['org.opencontainers.image.base.digest'] = base.digest;
  }
  const plan: Plan = {
    // Editors validate and complete plans with it (map it to schema/plan.schema.json, see README).
    $schema: PLAN_SCHEMA_ID,
    kind: 'pycontainer.plan',
    formatVersion: PLAN_FORMAT_VERSION,
    pycontainerVersion: PYCONTAINER_VERSION,
    project: { name: detection.project.name, version: detection.project.version },
    inputs: [...input.inputs].sort((a, b) => (a.path < b.path ? -1 : 1)),
    platforms: resolved.platforms.map(fmt),
    python: { version: resolved.pythonVersion, interpreter: resolved.interpreter, venv: resolved.venv },
    base: {
      ref: resolved.baseRef,
      ...(base ? { digest: base.digest } : {}),
      images: (base?.images ?? []).map((i) => ({
        platform: i.platform,
        manifest: i.manifest,
        config: i.config,
        layers: i.layers,
        inherited: { config: i.imageConfig as Record<string, unknown>, history: (i.history ?? []) as Record<string, unknown>[] },
      })),
    },
    ...(input.dependencies?.length ? { dependencies: input.dependencies } : {}),
    layers: [layer],
    images,
    tags: resolved.tags,
    annotations,
    output: resolved.output,
    provenance: sortObject(resolved.provenance),
  };
  return plan;
}

function commandFor(merged: MergedConfig, detection: Detection, resolved: Resolved): { entrypoint?: string[]; cmd?: string[] } {
  const b = merged.build;
  if (b.entrypoint || b.cmd) {
    const out: { entrypoint?: string[]; cmd?: string[] } = {};
    if (b.entrypoint) out.entrypoint = b.entrypoint;
    if (b.cmd) out.cmd = b.cmd;
    return out;
  }
  if (detection.command) {
    resolved.provenance['build.entrypoint'] = `detected: ${detection.command.why}`;
    return detection.command.value;
  }
  resolved.provenance['build.entrypoint'] = 'none detected: the base image command is kept';
  resolved.warnings.push('no entry point found ([project.scripts], a web app, __main__.py or main.py); the image runs the base image command — set build.cmd');
  return {};
}

function sortObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
