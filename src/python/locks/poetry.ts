/**
 * poetry.lock, lock-version 1.x (files in [metadata.files], `category`) and 2.x (per-package `files`;
 * 2.1 adds `groups` and `markers`). Like uv.lock it is a graph: the packages for one target are the
 * closure of the project's dependencies (main, plus the groups asked for: dev/test only when named)
 * over the edges whose markers and python constraints hold, with extras. The lock names files and
 * hashes but not URLs: the dispatcher finds them on the package's source (or the default index).
 * The content-hash is checked first, as `poetry check --lock` does. Pure: takes the parsed files.
 */
import { createHash } from 'node:crypto';
import type { TomlFile } from '../../config/read.js';
import { ConfigError } from '../../errors.js';
import { normalizeName } from '../tags.js';
import { satisfies } from '../version.js';
import {
  byFilename,
  isTable,
  lockFailer,
  markerHolds,
  parseRequirement,
  pythonJsonDumps,
  sha256OfHash,
  stripUserinfo,
  type LocalMember,
  type LockContext,
  type LockedFile,
  type LockedPackage,
  type LockFail,
  type Table,
} from './model.js';

export interface PoetryLockOptions extends LockContext {
  /** pyproject.toml's data: the root dependencies, groups, extras, sources and the content-hash input. */
  pyproject: Record<string, unknown>;
  /** Normalized names the caller knows to be direct dependencies (→ `requested`). */
  direct?: Set<string>;
  /** POETRY_HTTP_BASIC_<SOURCE>_USERNAME/PASSWORD for a private source. Default: process.env. */
  environ?: NodeJS.ProcessEnv;
}

/** One dependency edge: a name, the constraint (Poetry syntax), a PEP 508 marker, a python constraint, extras. */
interface Edge {
  name: string;
  constraint: string;
  marker?: string;
  python?: string;
  extras: string[];
  optional: boolean;
}

interface Node {
  index: number;
  name: string;
  version: string;
  raw: Table;
  dependencies: Edge[];
  /** extra → the names (and their extras) it turns on. */
  extras: Map<string, { name: string; extras: string[] }[]>;
}

/** Poetry's Locker._get_content_hash: sha256 of json.dumps(relevant sections, sort_keys=True). */
export function poetryContentHash(pyproject: Record<string, unknown>): string {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : {};
  const relevantProject: Table = {};
  for (const key of ['requires-python', 'dependencies', 'optional-dependencies']) {
    if (project[key] !== undefined && project[key] !== null) relevantProject[key] = project[key];
  }
  const legacy = ['dependencies', 'source', 'extras', 'dev-dependencies'];
  const relevantPoetry: Table = {};
  for (const key of [...legacy, 'group']) {
    const value = poetry[key];
    // A missing legacy key is hashed as null, unless [project] has relevant content.
    if (value === undefined && (!legacy.includes(key) || Object.keys(relevantProject).length > 0)) continue;
    relevantPoetry[key] = value ?? null;
  }
  const relevant = Object.keys(relevantProject).length > 0 ? { project: relevantProject, tool: { poetry: relevantPoetry } } : relevantPoetry;
  return createHash('sha256').update(pythonJsonDumps(relevant), 'utf8').digest('hex');
}

export function parsePoetryLock(file: TomlFile, opts: PoetryLockOptions): { packages: LockedPackage[]; localMembers: LocalMember[] } {
  const src = file.path;
  const data = file.data;
  const fail = lockFailer(file);
  const metadata = isTable(data.metadata) ? data.metadata : fail('metadata', 'missing: the lock file is incomplete; run poetry lock');
  const lockVersion = metadata['lock-version'];
  if (typeof lockVersion !== 'string' || !/^[12](\.\d+)*$/.test(lockVersion)) {
    fail('metadata.lock-version', `${lockVersion === undefined ? 'missing' : `"${String(lockVersion)}" is not supported`}: pycontainer reads poetry.lock 1.x and 2.x; run poetry lock`);
  }
  const contentHash = metadata['content-hash'];
  if (typeof contentHash === 'string' && contentHash !== poetryContentHash(opts.pyproject)) {
    throw new ConfigError('E_LOCK_STALE', `${src}: content-hash does not match pyproject.toml; run poetry lock`);
  }
  const env = opts.env;
  const environ = opts.environ ?? process.env;

  // Files: per package (2.x) or in [metadata.files] keyed by the package's name (1.x).
  const legacyFiles = new Map<string, unknown>();
  if (isTable(metadata.files)) for (const [k, v] of Object.entries(metadata.files)) legacyFiles.set(normalizeName(k), v);

  const rawPackages = data.package ?? [];
  if (!Array.isArray(rawPackages)) return fail('package', 'expected an array of tables ([[package]])');
  const nodes: Node[] = rawPackages.map((raw: unknown, i: number) => {
    if (!isTable(raw) || typeof raw.name !== 'string') return fail(`package[${i}].name`, 'missing or not a string');
    const name = normalizeName(raw.name);
    if (typeof raw.version !== 'string') return fail('version', `"${name}" has no version`, name);
    const dependencies = isTable(raw.dependencies) ? edgesOfTable(raw.dependencies, (m) => fail('dependencies', m, name)) : [];
    const extras = new Map<string, { name: string; extras: string[] }[]>();
    if (isTable(raw.extras)) {
      for (const [extra, list] of Object.entries(raw.extras)) {
        if (!Array.isArray(list)) fail(`extras.${extra}`, 'expected an array of strings', name);
        extras.set(normalizeName(extra), (list as unknown[]).map((s) => extraEntry(String(s))));
      }
    }
    return { index: i, name, version: raw.version, raw, dependencies, extras };
  });
  const byName = new Map<string, Node[]>();
  for (const n of nodes) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);

  const holds = (edge: Edge, extras: string[]): boolean =>
    (edge.marker === undefined || markerHolds(edge.marker, { env }, src, edge.name, extras, [])) && (edge.python === undefined || poetryAllows(env.python_full_version, edge.python));

  const resolve = (edge: Edge, from: string): Node => {
    let candidates = byName.get(edge.name) ?? [];
    if (candidates.length > 1) candidates = candidates.filter((c) => poetryAllows(c.version, edge.constraint));
    if (candidates.length > 1) {
      const fits = candidates.filter((c) => packageMarkerHolds(c.raw, env, src) && (typeof c.raw['python-versions'] !== 'string' || poetryAllows(env.python_full_version, c.raw['python-versions'])));
      if (fits.length > 0) candidates = fits;
    }
    if (candidates.length === 0) {
      return fail('package', `${from} depends on "${edge.name}", which the lock does not contain; run poetry lock`, undefined, 'E_LOCK_STALE');
    }
    if (candidates.length > 1) {
      return fail('package', `"${edge.name}" is locked at ${candidates.map((c) => c.version).join(', ')} and the target matches more than one`, edge.name);
    }
    return candidates[0]!;
  };

  // The root: the project's own dependencies, extras and groups.
  const root = rootEdges(opts.pyproject, opts.extras ?? [], opts.groups ?? [], src);
  const requested = new Set<string>([...(opts.direct ?? []), ...root.map((e) => e.name)]);
  const seen = new Set<string>();
  const reached = new Map<number, Node>();
  const queue: { edge: Edge; extras: string[]; from: string }[] = root.filter((e) => holds(e, opts.extras ?? [])).map((edge) => ({ edge, extras: edge.extras, from: 'pyproject.toml' }));
  while (queue.length > 0) {
    const { edge, extras, from } = queue.shift()!;
    const node = resolve(edge, from);
    const key = `${node.index}[${[...extras].sort().join(',')}]`;
    if (seen.has(key)) continue;
    seen.add(key);
    reached.set(node.index, node);
    const turnedOn = new Map<string, string[]>();
    for (const e of extras) {
      for (const entry of node.extras.get(normalizeName(e)) ?? []) turnedOn.set(entry.name, [...(turnedOn.get(entry.name) ?? []), ...entry.extras]);
    }
    for (const dep of node.dependencies) {
      if (dep.optional && !turnedOn.has(dep.name)) continue;
      if (!holds(dep, extras)) continue;
      queue.push({ edge: dep, extras: [...dep.extras, ...(turnedOn.get(dep.name) ?? [])], from: `"${node.name}"` });
    }
  }

  const out = new Map<string, LockedPackage>();
  const localMembers: LocalMember[] = [];
  for (const node of [...reached.values()].sort((a, b) => a.index - b.index)) {
    const source = isTable(node.raw.source) ? node.raw.source : undefined;
    if (source?.type === 'directory' && typeof source.url === 'string') {
      // A path dependency (a monorepo sibling): installed from its source, like a uv workspace member.
      localMembers.push({ name: node.name, version: node.version, directory: source.url.replace(/\\/g, '/') });
      continue;
    }
    const pkg = toPackage(node, requested.has(node.name), legacyFiles.get(node.name), opts.pyproject, environ, fail);
    const prior = out.get(pkg.name);
    if (prior && prior.version !== pkg.version) fail('package', `"${pkg.name}" is reached at both ${prior.version} and ${pkg.version} for the target`, pkg.name);
    out.set(pkg.name, pkg);
  }
  return { packages: [...out.values()], localMembers: localMembers.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** 2.1's `markers`: one string, or one per group; a package is for the target when one of them holds. */
function packageMarkerHolds(raw: Table, env: LockContext['env'], src: string): boolean {
  const m = raw.markers;
  if (typeof m === 'string') return markerHolds(m, { env }, src, String(raw.name), [], []);
  if (isTable(m)) return Object.values(m).some((v) => typeof v !== 'string' || markerHolds(v, { env }, src, String(raw.name), [], []));
  return true;
}

/** `name (>=1)`, `name[extra] (>=1)` or a PEP 508 string, as [package.extras] lists them. */
function extraEntry(text: string): { name: string; extras: string[] } {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(text);
  if (!m) return { name: normalizeName(text.trim()), extras: [] };
  return { name: normalizeName(m[1]!), extras: (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(normalizeName) };
}

/** Poetry's dependency table: name → "constraint" | { version, markers, python, extras, optional } | [ ... ]. */
function edgesOfTable(table: Table, fail: (message: string) => never, skipPython = false): Edge[] {
  const out: Edge[] = [];
  for (const [rawName, spec] of Object.entries(table)) {
    if (skipPython && rawName.toLowerCase() === 'python') continue;
    const name = normalizeName(rawName);
    for (const one of Array.isArray(spec) ? spec : [spec]) {
      if (typeof one === 'string') {
        out.push({ name, constraint: one, extras: [], optional: false });
        continue;
      }
      if (!isTable(one)) return fail(`"${rawName}": expected a version string or a table`);
      const edge: Edge = { name, constraint: typeof one.version === 'string' ? one.version : '*', extras: [], optional: one.optional === true };
      if (typeof one.markers === 'string') edge.marker = one.markers;
      if (typeof one.python === 'string') edge.python = one.python;
      if (Array.isArray(one.extras)) edge.extras = one.extras.map((e) => normalizeName(String(e)));
      out.push(edge);
    }
  }
  return out;
}

/** The project's edges: [project] (Poetry 2) or [tool.poetry.dependencies] (Poetry 1), extras, groups. */
function rootEdges(pyproject: Record<string, unknown>, extrasAsked: string[], groupsAsked: string[], src: string): Edge[] {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : {};
  const bad = (where: string) => (message: string): never => {
    throw new ConfigError('E_LOCK', `pyproject.toml: ${where}: ${message}`);
  };
  const fromPep508 = (list: unknown, where: string): Edge[] => {
    if (!Array.isArray(list)) return [];
    return list.map((text) => {
      try {
        const r = parseRequirement(String(text));
        return { name: r.name, constraint: r.specifier || '*', ...(r.marker ? { marker: r.marker } : {}), extras: r.extras, optional: false };
      } catch (err) {
        return bad(where)(`invalid requirement ${JSON.stringify(text)}: ${(err as Error).message}`);
      }
    });
  };
  const edges: Edge[] = [];
  const extras = extrasAsked.map(normalizeName);
  if (Array.isArray(project.dependencies)) {
    edges.push(...fromPep508(project.dependencies, 'project.dependencies'));
    const optional = isTable(project['optional-dependencies']) ? project['optional-dependencies'] : {};
    const have = new Map(Object.entries(optional).map(([k, v]) => [normalizeName(k), v]));
    for (const e of extras) {
      if (!have.has(e)) bad('project.optional-dependencies')(`no extra "${e}" (it has: ${[...have.keys()].join(', ') || 'none'}); fix build.extras`);
      edges.push(...fromPep508(have.get(e), `project.optional-dependencies.${e}`));
    }
  } else if (isTable(poetry.dependencies)) {
    const all = edgesOfTable(poetry.dependencies, bad('tool.poetry.dependencies'), true);
    const poetryExtras = isTable(poetry.extras) ? new Map(Object.entries(poetry.extras).map(([k, v]) => [normalizeName(k), v])) : new Map<string, unknown>();
    const on = new Set<string>();
    for (const e of extras) {
      const list = poetryExtras.get(e);
      if (!Array.isArray(list)) bad('tool.poetry.extras')(`no extra "${e}" (it has: ${[...poetryExtras.keys()].join(', ') || 'none'}); fix build.extras`);
      for (const n of list as unknown[]) on.add(normalizeName(String(n)));
    }
    edges.push(...all.filter((e) => !e.optional || on.has(e.name)).map((e) => ({ ...e, optional: false })));
  }
  // Groups: main always; the others only when asked for (dev and test never by default).
  const groups = new Map<string, Edge[]>();
  if (isTable(poetry.group)) {
    for (const [g, t] of Object.entries(poetry.group)) {
      if (isTable(t) && isTable(t.dependencies)) groups.set(normalizeName(g), edgesOfTable(t.dependencies, bad(`tool.poetry.group.${g}.dependencies`), true));
    }
  }
  if (isTable(poetry['dev-dependencies'])) groups.set('dev', [...(groups.get('dev') ?? []), ...edgesOfTable(poetry['dev-dependencies'], bad('tool.poetry.dev-dependencies'), true)]);
  if (isTable(pyproject['dependency-groups'])) {
    for (const [g, list] of Object.entries(pyproject['dependency-groups'])) {
      groups.set(normalizeName(g), [...(groups.get(normalizeName(g)) ?? []), ...fromPep508((list as unknown[]).filter((x) => typeof x === 'string'), `dependency-groups.${g}`)]);
    }
  }
  for (const g of groupsAsked.map(normalizeName)) {
    if (g === 'main') continue;
    if (!groups.has(g)) throw new ConfigError('E_LOCK', `${src}: pyproject.toml has no dependency group "${g}" (it has: ${['main', ...groups.keys()].join(', ')}); fix build.dependency_groups`);
    edges.push(...groups.get(g)!.map((e) => ({ ...e, optional: false })));
  }
  return edges;
}

function toPackage(
  node: Node,
  requested: boolean,
  legacyFiles: unknown,
  pyproject: Record<string, unknown>,
  environ: NodeJS.ProcessEnv,
  fail: LockFail,
): LockedPackage {
  const { name, raw } = node;
  const source = isTable(raw.source) ? raw.source : undefined;
  const type = typeof source?.type === 'string' ? source.type : undefined;
  const sourceUrl = typeof source?.url === 'string' ? source.url : undefined;
  if (type === 'git') fail('source', `"${name}" comes from git (${stripUserinfo(sourceUrl ?? '')}), which pycontainer cannot install (it builds nothing); publish a wheel and lock it`, name, 'E_LOCK_UNSUPPORTED');

  const rawFiles = Array.isArray(raw.files) ? raw.files : Array.isArray(legacyFiles) ? legacyFiles : [];
  const pkg: LockedPackage = { name, version: node.version, requested, wheels: [] };
  let unhashed = 0;
  for (const f of rawFiles as unknown[]) {
    if (!isTable(f) || typeof f.file !== 'string') continue;
    const sha256 = sha256OfHash(f.hash);
    if (!sha256) {
      unhashed++;
      continue;
    }
    const file: LockedFile = { filename: f.file, sha256 };
    if (type === 'file' && sourceUrl !== undefined) {
      // A local file: the source url is its path, relative to the lock's directory.
      if (!sourceUrl.endsWith(f.file)) continue;
      file.path = sourceUrl.replace(/\\/g, '/');
    } else if (type === 'url' && sourceUrl !== undefined) {
      file.url = stripUserinfo(sourceUrl);
      pkg.directUrl = stripUserinfo(sourceUrl);
    }
    if (f.file.endsWith('.whl')) pkg.wheels.push(file);
    else if (!pkg.sdist || file.filename < pkg.sdist.filename) pkg.sdist = file;
  }
  if (pkg.wheels.length === 0 && !pkg.sdist) {
    if (unhashed > 0) fail('files', `"${name}" ${node.version}: no file has a sha256 hash`, name, 'E_NO_HASH');
    fail('files', `"${name}" ${node.version} lists no files; run poetry lock`, name);
  }
  pkg.wheels.sort(byFilename);
  if (type === 'legacy' && sourceUrl !== undefined) pkg.indexUrls = [withPoetryCredentials(sourceUrl, typeof source?.reference === 'string' ? source.reference : undefined, environ)];
  else if (type === undefined) {
    const primary = primarySource(pyproject, environ);
    if (primary) pkg.indexUrls = [primary];
  }
  return pkg;
}

/** The project's source that replaces PyPI (priority primary/default, or legacy `default = true`), if any. */
function primarySource(pyproject: Record<string, unknown>, environ: NodeJS.ProcessEnv): string | undefined {
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : {};
  const sources = Array.isArray(poetry.source) ? poetry.source.filter(isTable) : [];
  const primary = sources.find((s) => s.priority === 'default' || s.default === true) ?? sources.find((s) => s.priority === 'primary' || (s.priority === undefined && s.secondary !== true));
  if (!primary || typeof primary.url !== 'string') return undefined;
  return withPoetryCredentials(primary.url, typeof primary.name === 'string' ? primary.name : undefined, environ);
}

/** Poetry reads a source's credentials from POETRY_HTTP_BASIC_<NAME>_USERNAME / _PASSWORD. */
function withPoetryCredentials(url: string, name: string | undefined, environ: NodeJS.ProcessEnv): string {
  if (!name) return url;
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const user = environ[`POETRY_HTTP_BASIC_${key}_USERNAME`];
  const password = environ[`POETRY_HTTP_BASIC_${key}_PASSWORD`];
  if (user === undefined && password === undefined) return url;
  try {
    const u = new URL(url);
    u.username = encodeURIComponent(user ?? '');
    u.password = encodeURIComponent(password ?? '');
    return u.href;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------------
// Poetry's version constraints (^, ~, *, ||), enough to pick among versions; unknown syntax allows all.

/** Whether `version` satisfies a Poetry constraint; true when the constraint cannot be read. */
export function poetryAllows(version: string, constraint: string): boolean {
  try {
    return constraint.split(/\s*\|\|?\s*/).some((alt) => {
      const pep440 = poetryToPep440(alt);
      return pep440 === '' || satisfies(version, pep440, { prereleases: true });
    });
  } catch {
    return true;
  }
}

function poetryToPep440(alt: string): string {
  const parts = alt.trim().split(/\s*,\s*|\s+(?=[<>=!~^])/).filter((p) => p !== '' && p !== '*');
  return parts.map(clauseToPep440).join(',');
}

function clauseToPep440(clause: string): string {
  const c = clause.replace(/\s+/g, '');
  const caret = /^\^(\d+(?:\.\d+)*)(.*)$/.exec(c);
  if (caret) {
    const nums = caret[1]!.split('.').map(Number);
    const i = nums.findIndex((n) => n !== 0);
    const at = i < 0 ? nums.length - 1 : Math.min(i, nums.length - 1);
    const upper = nums.slice(0, at + 1);
    upper[at] = upper[at]! + 1;
    return `>=${caret[1]}${caret[2]},<${upper.join('.')}`;
  }
  const tilde = /^~(?!=)(\d+(?:\.\d+)*)(.*)$/.exec(c);
  if (tilde) {
    const nums = tilde[1]!.split('.').map(Number);
    const upper = nums.length === 1 ? [nums[0]! + 1] : [nums[0]!, nums[1]! + 1];
    return `>=${tilde[1]}${tilde[2]},<${upper.join('.')}`;
  }
  if (/^(===|==|!=|<=|>=|~=|<|>)/.test(c)) return c;
  if (/^\d/.test(c)) return `==${c}`;
  return c;
}

