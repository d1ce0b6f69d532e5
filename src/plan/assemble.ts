import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { DependencyLayer, Entry, Layer, Plan } from '../../generated/plan.js';
import type { ContextFile } from '../config/context.js';
import { symlinkStaysInside } from '../config/context.js';
import { DEFAULT_PYTHON, satisfiesMinor, type Detection } from '../config/detect.js';
import { isRootUser, parseGroup, parsePasswd, resolveRuntimeUser, withDefaultUser } from '../oci/passwd.js';
import type { Rootfs } from '../oci/rootfs.js';
import type { MergedConfig } from '../config/merge.js';
import type { GitInfo } from '../config/git.js';
import { resolveTags } from '../config/tags.js';
import type { Diagnostic } from '../errors.js';
import { sha256Digest } from '../oci/digest.js';
import { assembleImageConfig, canonicalJson, envValue, isoTime, type ImageSettings } from '../oci/image.js';
import type { ResolvedBase } from '../oci/layout.js';
import { withParents } from '../oci/layer.js';
import { parsePlatform, type Platform } from '../oci/platform.js';
import { PLAN_FORMAT_VERSION, PYCONTAINER_VERSION } from '../version.js';
import { venvEntries } from '../python/install/venv.js';
import { referenceProblem } from '../registry/reference.js';
import { resolveLayering, type Layering } from './layers.js';
import { publishedSchemaUrl } from '../schemas.js';
import { cachePathOf, type CompilerInfo } from '../python/bytecode.js';

export const DEFAULT_WORKDIR = '/app';
/** The plan's `$schema`: the published plan schema of this version (a URL that serves it). */
export const PLAN_SCHEMA_ID = publishedSchemaUrl('plan');
export const DEFAULT_USER = '65532:65532';
export const DEFAULT_HOME = '/home/nonroot';
export const DEFAULT_OUTPUT = 'dist/image';
export const DEFAULT_INTERPRETER = '/usr/local/bin/python3';
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export { APP_LAYER_CREATED_BY } from './layers.js';

/** Every decision the compiler makes from merged config, detection and the base image. Pure. */
export interface Resolved {
  workdir: string;
  venv: string;
  platforms: Platform[];
  baseRef: string;
  pythonMinor: string;
  pythonVersion: string;
  interpreter: string;
  /** Who runs the container, with the files that make the default user a real one. */
  runAs: RunAs;
  /** Paths under the workdir the runtime user owns (build.writable). */
  writable: string[];
  tags: string[];
  output: string;
  includePaths: string[];
  /** How the image's own layers are cut (build.layers). */
  layering: Layering;
  /** build.compile_bytecode: the host compiler's version and cache tag. */
  bytecode?: CompilerInfo;
  provenance: Record<string, string>;
  warnings: string[];
}

/** Settings that do not need the base image: workdir, platforms, base reference, user, tags. */
export function resolveSettings(merged: MergedConfig, detection: Detection): { resolved: Omit<Resolved, 'pythonMinor' | 'pythonVersion' | 'interpreter' | 'runAs'>; diagnostics: Diagnostic[] } {
  const b = merged.build;
  const provenance: Record<string, string> = { ...merged.provenance };
  const diagnostics: Diagnostic[] = [];
  const pick = <T>(key: string, value: T | undefined, fallback: T, why: string): T => {
    if (value !== undefined) return value;
    provenance[`build.${key}`] = why;
    return fallback;
  };
  // Normalized (`//`, `/./`, a trailing `/`), and never outside `/`: every app path is built on it.
  const workdirText = pick('workdir', b.workdir, DEFAULT_WORKDIR, 'default');
  const workdir = posix.normalize(workdirText).replace(/\/+$/, '') || '/';
  if (!workdirText.startsWith('/') || workdirText.split('/').includes('..')) {
    diagnostics.push({ source: provenance['build.workdir'] ?? 'config', key: 'build.workdir', message: `"${workdirText}" must be an absolute path inside the image with no ".." segment, e.g. "/app"` });
  }
  const platformTexts = pick('platforms', b.platforms, ['linux/amd64'], 'default');
  const platforms: Platform[] = [];
  for (const text of [...new Set(platformTexts)]) {
    const p = parsePlatform(text);
    if ('error' in p) diagnostics.push({ source: provenance['build.platforms'] ?? 'config', key: 'build.platforms', message: p.error });
    else if (!platforms.some((q) => fmt(q) === fmt(p))) platforms.push(p); // linux/arm64 and linux/arm64/v8 are one
  }
  platforms.sort((x, y) => (fmt(x) < fmt(y) ? -1 : 1));
  const python = detection.pythonVersion?.value ?? DEFAULT_PYTHON;
  const baseRef = pick(
    'base_image',
    b.base_image,
    `python:${python}-slim`,
    detection.pythonVersion ? `detected: python ${python} from ${detection.pythonVersion.why}` : `default (python ${python})`,
  );
  // The user is settled against the base's /etc/passwd, once it is read (resolveUser).
  const writable = [...new Set((b.writable ?? []).map(normalizeRelative))].sort();
  for (const p of writable) {
    if (p === '' || p === '.' || p.startsWith('/') || p === '..' || p.startsWith('../')) {
      diagnostics.push({ source: provenance['build.writable'] ?? 'config', key: 'build.writable', message: `"${p}" is not inside the workdir; writable paths are relative to the workdir (e.g. "instance"); the workdir itself is always writable` });
    }
  }
  // Tags and [registry] url / --registry (a full repository or a prefix): src/config/tags.ts.
  const tagging = resolveTags(merged, detection.project);
  Object.assign(provenance, tagging.provenance);
  diagnostics.push(...tagging.diagnostics);
  const tags = tagging.tags;
  // Each tag by the distribution reference grammar, before anything is pulled or written.
  for (const tag of tags) {
    const problem = referenceProblem(tag);
    if (problem === undefined) continue;
    // A tag as configured is the tags' fault; one the registry url rewrote is the url's.
    const [setting, from] = (b.tags ?? []).includes(tag) || merged.registry.url === undefined
      ? ['build.tags', merged.provenance['build.tags'] ?? 'config']
      : ['registry.url', merged.provenance['registry.url'] ?? 'config'];
    diagnostics.push(from.startsWith('flag ') ? { source: from.slice(5), message: problem } : { source: from, key: setting, message: problem });
  }
  const output = pick('output', b.output, DEFAULT_OUTPUT, 'default');
  const includePaths = (b.include_paths ?? detection.includePaths.value).map(normalizeRelative);
  if (!b.include_paths) provenance['build.include_paths'] = `detected: ${detection.includePaths.why}`;
  for (const p of includePaths) {
    if (p.startsWith('/') || p === '..' || p.startsWith('../')) {
      diagnostics.push({ source: provenance['build.include_paths'] ?? 'config', key: 'build.include_paths', message: `"${p}" is outside the context; include paths are relative to the context and stay inside it` });
    }
  }
  const layering = resolveLayering(b.layers);
  if (b.layers === undefined) provenance['build.layers'] = 'default';
  return {
    resolved: { layering, workdir, venv: `${workdir === '/' ? '' : workdir}/.venv`, writable, platforms, baseRef, tags, output, includePaths, provenance, warnings: [...merged.notices, ...tagging.notices] },
    diagnostics,
  };
}

export { namesRegistry } from '../config/tags.js';

/** A relative path as the layer will hold it: `./a//b/` → `a/b`, `a/../b` → `b`; `..` stays visible to be refused. */
export function normalizeRelative(p: string): string {
  if (p.startsWith('/')) return p;
  const n = posix.normalize(p).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}

function fmt(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The target interpreter with no base to look in (scratch): the project's minor, assumed at DEFAULT_INTERPRETER. */
export function resolvePython(detection: Detection, provenance: Record<string, string>): { pythonMinor: string; pythonVersion: string; interpreter: string } {
  const detected = detection.pythonVersion?.value;
  const minor = detected ?? DEFAULT_PYTHON;
  provenance.python = detected ? `detected: ${detection.pythonVersion!.why}` : 'default';
  return { pythonMinor: minor, pythonVersion: minor, interpreter: DEFAULT_INTERPRETER };
}

/** A `python3.X` executable of a base image: the name found and the file it resolves to. */
export interface FoundInterpreter {
  minor: string;
  /** Where it was found, e.g. /usr/local/bin/python3.12. */
  name: string;
  /** The executable after following symlinks: what pyvenv.cfg `home` and bin/python point at. */
  path: string;
}

/** `python3.X` executables in /usr/local/bin, then /usr/bin, following symlinks inside the image. Pure. */
export function findInterpreters(fs: Rootfs): FoundInterpreter[] {
  const out: FoundInterpreter[] = [];
  for (const dir of INTERPRETER_DIRS) {
    for (const name of fs.list(dir)) {
      const m = /^python(3\.\d+)$/.exec(name);
      if (!m || out.some((f) => f.minor === m[1])) continue;
      const r = fs.resolve(`${dir}/${name}`);
      if ('node' in r && r.node.type === 'file' && (r.node.mode & 0o111) !== 0) out.push({ minor: m[1]!, name: `${dir}/${name}`, path: r.path });
    }
  }
  return out.sort((a, b) => compareMinor(a.minor, b.minor));
}

const INTERPRETER_DIRS = ['/usr/local/bin', '/usr/bin'];

function compareMinor(a: string, b: string): number {
  return Number(a.split('.')[1]) - Number(b.split('.')[1]);
}

/**
 * The interpreter found in the base's layers, of the minor the project needs: `.python-version` names
 * one exactly; requires-python accepts any it allows (the base's PYTHON_VERSION, or the one `python3`
 * is, preferred; else the newest); with neither, the base's. Every platform must have it at the same
 * path. An error message when the base has none that fits. Pure.
 */
export function resolveInterpreter(
  detection: Detection,
  baseRef: string,
  images: { platform: string; env: string[] | undefined; fs: Rootfs }[],
  provenance: Record<string, string>,
): { pythonMinor: string; pythonVersion: string; interpreter: string } | { error: string } {
  const first = images[0]!;
  const found = findInterpreters(first.fs);
  const fromEnv = envValue(first.env, 'PYTHON_VERSION');
  const envMinor = fromEnv?.split('.').slice(0, 2).join('.');
  const python3 = first.fs.resolve('/usr/bin/python3');
  const local3 = first.fs.resolve('/usr/local/bin/python3');
  const defaultPath = 'node' in local3 ? local3.path : 'node' in python3 ? python3.path : undefined;
  const preferred = found.find((f) => f.minor === envMinor) ?? found.find((f) => f.path === defaultPath) ?? found[found.length - 1];
  const want = detection.pythonVersion;
  const have = () => (found.length ? `it has ${found.map((f) => `Python ${f.minor} (${f.name})`).join(', ')}` : 'it has no python3.X in /usr/local/bin or /usr/bin');
  let chosen: FoundInterpreter | undefined;
  if (want && want.why.startsWith('.python-version')) {
    chosen = found.find((f) => f.minor === want.value);
    if (!chosen) return { error: `base image ${baseRef} has no Python ${want.value} interpreter, which ${want.why}; ${have()}; set build.base_image to an image with Python ${want.value} (e.g. python:${want.value}-slim) or change .python-version` };
    provenance.python = `detected: ${want.why}; ${chosen.name} in the base image`;
  } else if (detection.project.requiresPython) {
    const spec = detection.project.requiresPython;
    const fits = found.filter((f) => satisfiesMinor(f.minor, spec));
    chosen = preferred && fits.includes(preferred) ? preferred : fits[fits.length - 1];
    if (!chosen) return { error: `base image ${baseRef} has no Python that requires-python "${spec}" allows; ${have()}; set build.base_image to an image with a Python it allows${want ? ` (e.g. python:${want.value}-slim)` : ''}` };
    provenance.python = `base image ${chosen.name}, allowed by requires-python "${spec}"`;
  } else {
    chosen = preferred;
    if (!chosen) return { error: `base image ${baseRef} has no Python interpreter (${have()}); set build.base_image to an image with Python (e.g. python:${DEFAULT_PYTHON}-slim)` };
    provenance.python = `base image ${chosen.name}`;
  }
  for (const other of images.slice(1)) {
    const there = other.fs.resolve(chosen.path);
    if (!('node' in there) || there.node.type !== 'file') {
      return { error: `base image ${baseRef} has Python ${chosen.minor} at ${chosen.path} for ${first.platform} but not for ${other.platform}; use a base that is the same on every platform` };
    }
  }
  const version = envMinor === chosen.minor ? fromEnv! : chosen.minor;
  return { pythonMinor: chosen.minor, pythonVersion: version, interpreter: chosen.path };
}

/**
 * Who the container runs as, resolved against the base's /etc/passwd and /etc/group: a configured
 * user (a name must exist there; numbers need not), else a non-root User the base sets, else the
 * default 65532, which gets passwd and group entries of its own when the base has none for it, so
 * `getpass.getuser()` and `~` work. Pure.
 */
export function resolveUser(
  configured: string | undefined,
  baseUser: string | undefined,
  baseRef: string,
  fs: Rootfs | undefined,
  provenance: Record<string, string>,
): { runAs: RunAs } | { error: string } {
  const passwdText = fs?.readText('/etc/passwd');
  const groupText = fs?.readText('/etc/group');
  const passwd = parsePasswd(passwdText);
  const groups = parseGroup(groupText);
  const explicit = configured ?? (isRootUser(baseUser) ? undefined : baseUser);
  if (explicit !== undefined && explicit !== DEFAULT_USER) {
    if (configured === undefined) provenance['build.user'] = `base image (User ${baseUser})`;
    const r = resolveRuntimeUser(explicit, passwd, groups);
    if ('error' in r) return { error: `${r.error.replace("the base image's", `base image ${baseRef}'s`)}; use numeric ids (e.g. "1000:1000") or a base image that has it` };
    return { runAs: { user: explicit, uid: r.uid, gid: r.gid, ...(r.home ? { home: r.home } : {}), accounts: {} } };
  }
  if (configured === undefined) provenance['build.user'] = 'default (non-root)';
  const [uid, gid] = DEFAULT_USER.split(':').map(Number) as [number, number];
  const existing = passwd.find((p) => p.uid === uid);
  const home = existing?.home && existing.home !== '/' && existing.home !== '/nonexistent' ? existing.home : DEFAULT_HOME;
  const accounts = withDefaultUser(passwdText, groupText, { name: existing?.name ?? 'nonroot', uid, gid, home });
  return { runAs: { user: DEFAULT_USER, uid, gid, home, accounts, ownHome: true } };
}

/** The runtime user as the plan needs it: ids for file ownership, home, passwd/group files to add. */
export interface RunAs {
  user: string;
  uid: number;
  gid: number;
  home?: string;
  accounts: { passwd?: string; group?: string };
  /** The default user: its home directory is created and HOME set. */
  ownHome?: boolean;
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
  // Joined (one flat string), not a template: `${root}/${p}` would be a concatenation node on top of
  // the listing's path, kept per file until the plan is written.
  const inImage = (p: string) => (root ? [root, p].join('/') : p);
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
    // sha256 is hashed in later (compile's hashLayer), in place: it is declared here, last, so that it
    // has a slot in the object rather than a property array added to each of 10,000 entries.
    else entries.push({ path: inImage(f.path), type: 'file', mode: f.executable ? '0755' : '0644', size: f.size, source: f.path, sha256: undefined });
  }
  if (resolved.bytecode) entries.push(...bytecodeEntries(entries, resolved.bytecode.cacheTag));
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
  const { runAs } = resolved;
  if (runAs.ownHome && runAs.home && runAs.home !== '/') entries.push({ path: runAs.home.replace(/^\/+/, ''), type: 'dir', mode: '0755', uid: runAs.uid, gid: runAs.gid });
  if (runAs.accounts.passwd !== undefined) entries.push(generatedFile('etc/passwd', runAs.accounts.passwd));
  if (runAs.accounts.group !== undefined) entries.push(generatedFile('etc/group', runAs.accounts.group));
  if (root) {
    // The workdir is world-writable with the sticky bit (like /tmp): whatever uid runs the container
    // (ours, a base's User, `docker run --user`, OpenShift's random uid) can create files there
    // (Flask's instance/, a sqlite file, logs/), but cannot delete, rename or replace files it does
    // not own, and the code stays root-owned 0644. build.writable hands over more paths.
    const i = entries.findIndex((e) => e.path === root);
    const workdirEntry: Entry = { path: root, type: 'dir', mode: '01777' };
    if (i === -1) entries.push(workdirEntry);
    else entries[i] = { ...entries[i]!, mode: '01777' };
  }
  const complete = withParents(entries);
  const owned = assignWritable(complete, resolved, inImage);
  // assignWritable adds directories only when it hands some over: otherwise the list is complete.
  return { entries: owned === complete ? complete : withParents(owned), diagnostics };
}

/** A `.pyc` entry for each Python source file among `entries` (compile_bytecode); its bytes come at hashing. Pure. */
export function bytecodeEntries(entries: Entry[], cacheTag: string): Entry[] {
  const out: Entry[] = [];
  const have = new Set(entries.map((e) => e.path));
  for (const e of entries) {
    if (e.type !== 'file') continue;
    const pyc = cachePathOf(e.path, cacheTag);
    if (pyc && !have.has(pyc)) out.push({ path: pyc, type: 'file', mode: '0644', bytecodeOf: e.path });
  }
  return out;
}

/**
 * build.writable: each path (relative to the workdir) and everything below it owned by the runtime
 * user. A missing path is created as a directory, unless its name has an extension (db.sqlite3,
 * app.log): then only its missing parent directories are created, owned by the user, so the app can
 * create the file itself. Nothing changes for root.
 */
function assignWritable(entries: Entry[], resolved: Resolved, inImage: (p: string) => string): Entry[] {
  const { uid, gid } = resolved.runAs;
  if (uid === 0 || resolved.writable.length === 0) return entries;
  const out = [...entries];
  // Object.assign, not spread: a spread copy gets a hidden class of its own per object in Node 20's V8.
  const own = (e: Entry): Entry => (e.type === 'symlink' ? e : Object.assign({}, e, { uid, gid }));
  for (const rel of resolved.writable) {
    if (rel.startsWith('/') || rel.split('/').includes('..') || rel === '.' || rel === '') continue; // reported by resolveSettings
    const target = inImage(rel);
    let matched = false;
    for (const [i, e] of out.entries()) {
      if (e.path === target || e.path.startsWith(`${target}/`)) {
        out[i] = own(e);
        matched = true;
      }
    }
    if (matched) continue;
    const parts = rel.split('/');
    const isFile = /^[^.].*\.[A-Za-z0-9]+$/.test(parts[parts.length - 1]!);
    const dirs = isFile ? parts.slice(0, -1) : parts;
    for (let n = 1; n <= dirs.length; n++) {
      const path = inImage(dirs.slice(0, n).join('/'));
      const at = out.findIndex((e) => e.path === path);
      if (at === -1) out.push({ path, type: 'dir', mode: '0755', uid, gid });
      else if (n === dirs.length) out[at] = own(out[at]!);
    }
  }
  return out;
}

function generatedFile(path: string, content: string): Entry {
  const bytes = Buffer.from(content, 'utf8');
  return { path, type: 'file', mode: '0644', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), content };
}

export interface PlanInput {
  resolved: Resolved;
  /** Per platform, the dependency layer (below the application layer). */
  dependencies?: DependencyLayer[];
  merged: MergedConfig;
  detection: Detection;
  base?: ResolvedBase;
  /** The application layers, lowest first (splitAppEntries), each hashed; they share include and exclude. */
  appLayers: { name: string; createdBy: string; entries: Entry[]; diffId: string; size: number }[];
  include: string[];
  exclude: string[];
  inputs: { path: string; sha256: string }[];
  /** Seconds: SOURCE_DATE_EPOCH or 0; the build time with reproducible = false. */
  created: number;
  mtime: number;
  annotationSources?: AnnotationSources;
}

/** What the manifest annotations come from besides detection: pyproject.toml's data, git (when asked), SOURCE_DATE_EPOCH. */
export interface AnnotationSources {
  pyproject?: Record<string, unknown>;
  /** Only with build.annotations_from_git (see the schema): HEAD moves with every commit. */
  git?: GitInfo;
  /** SOURCE_DATE_EPOCH when it is set. */
  sourceDateEpoch?: number;
}

/**
 * The manifest's (and index's) OCI annotations, recorded in the plan: title, version, description,
 * licenses ([project] license as an SPDX expression, or Poetry's license), url (Homepage), source (the
 * git origin with annotations_from_git, else [project.urls] Source/Repository), revision (git),
 * created (SOURCE_DATE_EPOCH, else the commit time with annotations_from_git; else none: no time
 * the plan could state honestly), and the base's name and digest. Pure.
 */
export function assembleAnnotations(detection: Detection, baseRef: string, baseDigest: string | undefined, sources: AnnotationSources): Record<string, string> {
  const a: Record<string, string> = {};
  const project = (sources.pyproject?.project ?? {}) as Record<string, unknown>;
  const poetry = ((sources.pyproject?.tool as Record<string, unknown> | undefined)?.poetry ?? {}) as Record<string, unknown>;
  const urls = { ...stringEntries(poetry.urls), ...(typeof poetry.homepage === 'string' ? { homepage: poetry.homepage } : {}), ...(typeof poetry.repository === 'string' ? { repository: poetry.repository } : {}), ...stringEntries(project.urls) };
  const url = (...names: string[]) => {
    for (const want of names) for (const [k, v] of Object.entries(urls)) if (k.toLowerCase().replace(/[\s_-]+/g, '') === want) return v;
    return undefined;
  };
  const created = sources.sourceDateEpoch ?? sources.git?.time;
  if (created !== undefined) a['org.opencontainers.image.created'] = isoTime(created);
  a['org.opencontainers.image.title'] = detection.project.name;
  a['org.opencontainers.image.version'] = detection.project.version;
  if (detection.project.description) a['org.opencontainers.image.description'] = detection.project.description;
  const license = typeof project.license === 'string' ? project.license : typeof project['license-expression'] === 'string' ? project['license-expression'] : typeof poetry.license === 'string' ? poetry.license : undefined;
  if (license?.trim()) a['org.opencontainers.image.licenses'] = license.trim();
  const homepage = url('homepage', 'home');
  if (homepage) a['org.opencontainers.image.url'] = homepage;
  const source = sources.git?.remote ?? url('source', 'repository', 'sourcecode', 'code');
  if (source) a['org.opencontainers.image.source'] = source;
  if (sources.git) a['org.opencontainers.image.revision'] = sources.git.commit;
  if (baseDigest !== undefined) {
    // An image reference as the plan states it. A local layout is named by its directory's name and
    // tag (`oci:NAME:TAG`): the path leading to it differs between checkouts and machines, and the
    // image must not (base.digest pins which image it was).
    a['org.opencontainers.image.base.name'] = baseRef.startsWith('oci:') ? localBaseName(baseRef) : baseRef;
    a['org.opencontainers.image.base.digest'] = baseDigest;
  }
  return sortObject(a);
}

/** `oci:../x/base-layout:3.11` → `oci:base-layout:3.11`. */
function localBaseName(ref: string): string {
  const m = /^oci:(.*?)(:[^:/]+)?$/.exec(ref);
  const path = (m?.[1] ?? ref.slice(4)).replace(/\/+$/, '');
  return `oci:${path.slice(path.lastIndexOf('/') + 1)}${m?.[2] ?? ''}`;
}

function stringEntries(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Assembles the plan: the image config per platform and its digest. Pure and deterministic. */
export function assemblePlan(input: PlanInput): Plan {
  const { resolved, merged, detection, base } = input;
  const venvBin = `${resolved.venv}/bin`;
  const layers: Layer[] = input.appLayers.map((l) => ({
    name: l.name,
    createdBy: l.createdBy,
    diffId: l.diffId,
    size: l.size,
    mtime: input.mtime,
    include: [...input.include].sort(),
    exclude: input.exclude,
    entries: l.entries,
  }));
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
    if (resolved.runAs.ownHome && resolved.runAs.home) env.HOME = resolved.runAs.home;
    // What the detected command needs (PORT for a Procfile line), then the configured env over it.
    Object.assign(env, detection.env, merged.build.env ?? {});
    const settings: ImageSettings = { env, workingDir: resolved.workdir, user: resolved.runAs.user, exposedPorts: ports, labels, ...command };
    const config = assembleImageConfig({
      platform,
      ...(baseImage ? { base: { config: baseImage.imageConfig, diffIds: baseImage.layers.map((l) => l.diffId), history: baseImage.history } } : {}),
      settings,
      layers: [
        ...(input.dependencies ?? []).filter((d) => d.platform === platformText).flatMap((d) => d.layers.map((l) => ({ diffId: l.diffId, createdBy: l.createdBy }))),
        ...layers.map((l) => ({ diffId: l.diffId, createdBy: l.createdBy })),
      ],
      created: isoTime(input.created),
    });
    const bytes = canonicalJson(config);
    return { platform: platformText, config, configDigest: sha256Digest(bytes), configSize: Buffer.byteLength(bytes) };
  });

  const annotations = assembleAnnotations(detection, resolved.baseRef, base?.digest, input.annotationSources ?? {});
  const plan: Plan = {
    // Editors validate and complete plans with it (map it to schema/plan.schema.json, see README).
    $schema: PLAN_SCHEMA_ID,
    kind: 'pycontainer.plan',
    formatVersion: PLAN_FORMAT_VERSION,
    pycontainerVersion: PYCONTAINER_VERSION,
    project: { name: detection.project.name, version: detection.project.version },
    inputs: [...input.inputs].sort((a, b) => (a.path < b.path ? -1 : 1)),
    platforms: resolved.platforms.map(fmt),
    python: {
      version: resolved.pythonVersion,
      interpreter: resolved.interpreter,
      venv: resolved.venv,
      ...(resolved.bytecode ? { bytecode: { compiler: resolved.bytecode.version, cacheTag: resolved.bytecode.cacheTag } } : {}),
    },
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
    layers,
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
