/**
 * The dispatcher: finds the project's lock (in the context, or a uv workspace root above it), hands it
 * to its format's reader, fills in file URLs the lock does not give (Poetry, PDM) from the index, and
 * checks the result against what pyproject.toml declares. The only module of locks/ that touches the
 * filesystem; the readers are pure and import the shared model, never this module.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDiagnostic, readTomlFile, type TomlFile } from '../../config/read.js';
import { ConfigError, formatDiagnostic } from '../../errors.js';
import { createIndexClient, stripCredentials, type IndexClient, type IndexSources } from '../index/index.js';
import { normalizeName } from '../tags.js';
import { isValidSpecifier, satisfies } from '../version.js';
import {
  isTable,
  type Table,
  markerHolds,
  parseRequirement,
  toPosix,
  type Lock,
  type LockContext,
  type LockedPackage,
  type LockKind,
  type Requirement,
} from './model.js';
import { parsePdmLock } from './pdm.js';
import { parsePoetryLock } from './poetry.js';
import { parsePylock } from './pylock.js';
import { DEFAULT_INDEX_URL, readRequirements, readRequirementsFile, requirementsToResolve } from './requirements.js';
import type { ResolutionRequest } from './model.js';
import { parseUvLock } from './uv.js';

export interface ReadLockOptions extends LockContext {
  /** The project's name (finds the project in uv.lock). */
  projectName: string;
  /** A lock file to use instead of looking (relative to the context): pylock*.toml, uv.lock, poetry.lock, pdm.lock or a requirements file. */
  lockFile?: string;
  /** The requirements file to fall back to (relative to the context); default `requirements.txt` when present. */
  requirementsFile?: string;
  /**
   * The index for requirements files and for locks that name files without URLs: a client, or a factory
   * given the sources (--index-url, --extra-index-url, --find-links, --no-index; a Poetry/PDM source).
   * Default: createIndexClient on those sources.
   */
  index?: IndexClient | ((sources: IndexSources) => IndexClient);
  /** Normalized or not: the project's direct dependencies (→ `requested`). Default: the names in `declared`. */
  directNames?: string[];
  /** PEP 508 strings the project declares (pyproject [project].dependencies, setup.cfg): a lock missing one of them (for the target) is stale. */
  declared?: string[];
  /** pyproject.toml's data: Poetry/PDM root dependencies, their sources and content hashes. */
  pyproject?: Record<string, unknown>;
  /** Variables for `${VAR}` in requirements files, PIP_INDEX_URL/UV_INDEX_URL, and HOME/NETRC for index credentials. Default: process.env. */
  environ?: NodeJS.ProcessEnv;
}

/**
 * Finds and reads the project's lock, by preference: pylock.toml / pylock.<name>.toml, uv.lock (the
 * context's, else a uv workspace root's above it), poetry.lock, pdm.lock, a requirements file.
 * Undefined when there is none.
 */
export async function readLock(contextDir: string, opts: ReadLockOptions): Promise<Lock | undefined> {
  const found = await findLockFile(contextDir, opts);
  if (!found) return undefined;
  const abs = path.resolve(contextDir, found.path);
  const display = toPosix(path.relative(contextDir, abs)) || found.path;
  const direct = directNameSet(opts);
  const lock: Lock = { kind: found.kind, path: display, packages: [] };
  switch (found.kind) {
    case 'requirements': {
      const environ = opts.environ ?? process.env;
      const parsed = await readRequirementsFile(abs, display, { contextDir, environ });
      let request = requirementsToResolve(parsed, display, opts);
      if (request) {
        // Resolution looks where pip and uv would (pip.conf, [[tool.uv.index]]) when the file names no index.
        const again = await readRequirementsFile(abs, display, { contextDir, environ, defaultIndexUrls: await readIndexUrls(environ, opts.pyproject) });
        request = requirementsToResolve(again, display, opts)!;
        // Ranges or bare names: resolved for the target by the caller; what pyproject.toml declares too.
        for (const d of opts.declared ?? []) {
          const name = nameOf(d);
          if (name !== undefined && name !== normalizeName(opts.projectName)) request.roots.push({ requirement: d, source: 'pyproject.toml' });
        }
        lock.resolve = request;
        return lock;
      }
      lock.packages = await readRequirements(abs, display, { ...opts, contextDir, direct }, parsed);
      break;
    }
    case 'pylock':
      lock.packages = parsePylock(await readLockToml(abs, display), { ...opts, direct });
      break;
    case 'uv': {
      const selection = parseUvLock(await readLockToml(abs, display), { ...opts, direct });
      lock.packages = selection.packages;
      lock.members = selection.members;
      if (selection.localMembers.length) lock.localMembers = selection.localMembers;
      break;
    }
    case 'poetry':
    case 'pdm': {
      const parse = found.kind === 'poetry' ? parsePoetryLock : parsePdmLock;
      const selection = parse(await readLockToml(abs, display), { ...opts, pyproject: opts.pyproject ?? {}, direct });
      lock.packages = selection.packages;
      if (selection.localMembers.length) lock.localMembers = selection.localMembers;
      break;
    }
  }
  lock.packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (opts.declared) checkStale(lock, opts.declared, opts);
  await locateFiles(lock, opts);
  return lock;
}

function directNameSet(opts: ReadLockOptions): Set<string> | undefined {
  if (opts.directNames) return new Set(opts.directNames.map(normalizeName));
  if (opts.declared) {
    const names = new Set<string>();
    for (const d of opts.declared) {
      try {
        names.add(parseRequirement(d).name);
      } catch {
        // reported by checkStale
      }
    }
    return names;
  }
  return undefined;
}

async function exists(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

const PYLOCK = /^pylock\.([^.]+\.)?toml$/;

function kindOf(file: string): LockKind {
  const base = path.basename(file);
  if (PYLOCK.test(base)) return 'pylock';
  if (base === 'uv.lock') return 'uv';
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'pdm.lock') return 'pdm';
  return 'requirements';
}

/** The lock to read, relative to the context (`../uv.lock` for a workspace member). */
export async function findLockFile(contextDir: string, opts: Pick<ReadLockOptions, 'lockFile' | 'requirementsFile'>): Promise<{ kind: LockKind; path: string } | undefined> {
  if (opts.lockFile !== undefined) {
    if (!(await exists(path.resolve(contextDir, opts.lockFile)))) {
      throw new ConfigError('E_LOCK', `${opts.lockFile}: lock file not found`);
    }
    return { kind: kindOf(opts.lockFile), path: opts.lockFile };
  }
  if (await exists(path.join(contextDir, 'pylock.toml'))) return { kind: 'pylock', path: 'pylock.toml' };
  let entries: string[] = [];
  try {
    entries = await readdir(contextDir);
  } catch {
    // no directory: nothing to find
  }
  const named = entries.filter((e) => PYLOCK.test(e) && e !== 'pylock.toml').sort();
  if (named.length === 1) return { kind: 'pylock', path: named[0]! };
  if (named.length > 1) {
    throw new ConfigError('E_LOCK', `several lock files (${named.join(', ')}) and no pylock.toml; name the one to use`);
  }
  if (await exists(path.join(contextDir, 'uv.lock'))) return { kind: 'uv', path: 'uv.lock' };
  if (await exists(path.join(contextDir, 'pyproject.toml'))) {
    const root = await findUvWorkspaceRoot(contextDir);
    if (root && (await exists(path.join(root, 'uv.lock')))) {
      return { kind: 'uv', path: toPosix(path.relative(contextDir, path.join(root, 'uv.lock'))) };
    }
  }
  if (await exists(path.join(contextDir, 'poetry.lock'))) return { kind: 'poetry', path: 'poetry.lock' };
  if (await exists(path.join(contextDir, 'pdm.lock'))) return { kind: 'pdm', path: 'pdm.lock' };
  if (opts.requirementsFile !== undefined) {
    if (!(await exists(path.resolve(contextDir, opts.requirementsFile)))) {
      throw new ConfigError('E_LOCK', `${opts.requirementsFile}: requirements file not found`);
    }
    return { kind: 'requirements', path: opts.requirementsFile };
  }
  if (await exists(path.join(contextDir, 'requirements.txt'))) return { kind: 'requirements', path: 'requirements.txt' };
  return undefined;
}

/**
 * The uv workspace root that has `memberDir` as a member, found as uv finds it: the nearest directory
 * above with a pyproject.toml that has [tool.uv.workspace]; `memberDir` is a member when one of its
 * `members` globs matches it and no `exclude` glob does. Undefined when there is none.
 */
export async function findUvWorkspaceRoot(memberDir: string): Promise<string | undefined> {
  const member = path.resolve(memberDir);
  let dir = path.dirname(member);
  for (;;) {
    const file = await readTomlFile(path.join(dir, 'pyproject.toml'), 'pyproject.toml').catch(() => undefined);
    if (file && !isDiagnostic(file)) {
      const workspace = (((file.data.tool as Record<string, unknown> | undefined)?.uv as Record<string, unknown> | undefined)?.workspace);
      if (isTable(workspace)) {
        const rel = toPosix(path.relative(dir, member));
        const globs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : []);
        const included = globs(workspace.members).some((g) => matchesWorkspaceGlob(g, rel));
        const excluded = globs(workspace.exclude).some((g) => matchesWorkspaceGlob(g, rel));
        return included && !excluded ? dir : undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A workspace glob (`packages/*`, `libs/**`, `backend`) against a `/`-separated relative path. */
export function matchesWorkspaceGlob(glob: string, rel: string): boolean {
  const pattern = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(rel);
}

async function readLockToml(abs: string, display: string): Promise<TomlFile> {
  const file = await readTomlFile(abs, display);
  if (file === undefined) throw new ConfigError('E_LOCK', `${display}: lock file not found`);
  if (isDiagnostic(file)) throw new ConfigError('E_LOCK', formatDiagnostic(file));
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Files without URLs (Poetry, PDM): found on the index by file name, hashes checked

/** The index roots to look on: the lock's own source, else PIP_INDEX_URL / UV_INDEX_URL, else PyPI. */
export function defaultIndexUrls(environ: NodeJS.ProcessEnv): string[] {
  const url = environ.PIP_INDEX_URL || environ.UV_INDEX_URL || environ.UV_DEFAULT_INDEX;
  return [url || DEFAULT_INDEX_URL];
}

async function locateFiles(lock: Lock, opts: ReadLockOptions): Promise<void> {
  const environ = opts.environ ?? process.env;
  const clients = new Map<string, IndexClient>();
  const clientFor = (urls: string[]): IndexClient => {
    const key = urls.join(' ');
    let c = clients.get(key);
    if (!c) {
      const sources: IndexSources = { indexUrls: urls, findLinks: [], noIndex: false };
      c = typeof opts.index === 'function' ? opts.index(sources) : opts.index ?? createIndexClient({ ...sources, env: environ });
      clients.set(key, c);
    }
    return c;
  };
  const pending = lock.packages.filter((p) => [...p.wheels, ...(p.sdist ? [p.sdist] : [])].some((f) => f.url === undefined && f.path === undefined));
  const limit = 8;
  for (let i = 0; i < pending.length; i += limit) {
    await Promise.all(
      pending.slice(i, i + limit).map((p) => {
        const urls = p.indexUrls?.length ? p.indexUrls : defaultIndexUrls(environ);
        return locatePackage(p, clientFor(urls), urls, lock.path);
      }),
    );
  }
  for (const p of lock.packages) delete p.indexUrls;
}

async function locatePackage(pkg: LockedPackage, index: IndexClient, urls: string[], lockPath: string): Promise<void> {
  const listed = await index.files(pkg.name);
  const byName = new Map(listed.map((f) => [f.filename, f]));
  const fill = (file: LockedPackage['wheels'][number]): boolean => {
    if (file.url !== undefined || file.path !== undefined) return true;
    const found = byName.get(file.filename);
    if (!found) return false;
    if (found.sha256 !== undefined && found.sha256 !== file.sha256) {
      throw new ConfigError(
        'E_DIST_HASH',
        `${lockPath}: "${pkg.name}" ${pkg.version}: the index has ${file.filename} with sha256 ${found.sha256}, the lock expects ${file.sha256}; the lock is wrong or the index serves another file (run the locker again)`,
      );
    }
    file.url = found.url.startsWith('file:') ? found.url : stripCredentials(found.url);
    if (found.size !== undefined && file.size === undefined) file.size = found.size;
    return true;
  };
  // A file the index does not list cannot be downloaded; drop it (the wheel choice names what is left).
  pkg.wheels = pkg.wheels.filter(fill);
  if (pkg.sdist && !fill(pkg.sdist)) delete pkg.sdist;
  if (pkg.wheels.length === 0 && !pkg.sdist) {
    throw new ConfigError('E_LOCK', `${lockPath}: "${pkg.name}" ${pkg.version}: none of its locked files is on the index ${urls.map((u) => stripCredentials(u)).join(', ')}; configure the index the lock was made with (PIP_INDEX_URL, or the lock's source)`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Staleness

const FIX: Record<LockKind, string> = {
  uv: 'run uv lock',
  pylock: 'lock again (uv export --format pylock.toml, or your locker)',
  poetry: 'run poetry lock',
  pdm: 'run pdm lock',
  requirements: 'compile it again (pip-compile --generate-hashes, uv export --format requirements.txt, or pip freeze)',
};

/**
 * E_LOCK_STALE when a dependency the project declares (for the target) is not locked, or is locked at
 * a version outside the declared specifier.
 */
export function checkStale(lock: Lock, declared: string[], ctx: LockContext & { projectName?: string }): void {
  const byName = new Map(lock.packages.map((p) => [p.name, p]));
  const self = ctx.projectName === undefined ? undefined : normalizeName(ctx.projectName);
  const members = new Set([...(lock.members ?? []), ...(lock.localMembers ?? []).map((m) => m.name)]);
  for (const text of declared) {
    let req: Requirement;
    try {
      req = parseRequirement(text);
    } catch (err) {
      throw new ConfigError('E_LOCK_STALE', `pyproject.toml: invalid dependency ${JSON.stringify(text)}: ${(err as Error).message}`);
    }
    if (req.name === self || members.has(req.name)) continue;
    if (req.marker !== undefined && !markerHolds(req.marker, ctx, 'pyproject.toml', req.name)) continue;
    const locked = byName.get(req.name);
    if (!locked) {
      throw new ConfigError('E_LOCK_STALE', `${lock.path} does not lock "${req.name}", which the project requires; ${FIX[lock.kind]}`);
    }
    if (req.specifier && isValidSpecifier(req.specifier)) {
      let ok = true;
      try {
        ok = satisfies(locked.version, req.specifier, { prereleases: true });
      } catch {
        ok = true; // an unparsable locked version is the reader's business
      }
      if (!ok) {
        throw new ConfigError(
          'E_LOCK_STALE',
          `${lock.path} locks "${req.name}" ${locked.version}, but the project requires ${req.name}${req.specifier}; ${FIX[lock.kind]}`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Projects without a lock: what to resolve, and where

function nameOf(requirement: string): string | undefined {
  try {
    return parseRequirement(requirement).name;
  } catch {
    return undefined;
  }
}

/**
 * The index roots for resolution and for requirements files that name none, as pip and uv find them:
 * PIP_INDEX_URL / UV_INDEX_URL / UV_DEFAULT_INDEX, else the `[[tool.uv.index]]` marked `default = true`,
 * else pip.conf's `index-url` (/etc/pip.conf, ~/.pip/pip.conf, ~/.config/pip/pip.conf, then
 * PIP_CONFIG_FILE, the later winning; PIP_CONFIG_FILE=/dev/null reads none), else PyPI; then the extra indexes: PIP_EXTRA_INDEX_URL and
 * UV_INDEX (space-separated), the other `[[tool.uv.index]]` entries, pip.conf's `extra-index-url`.
 * Credentials in these URLs are kept for the index client and never shown.
 */
export async function readIndexUrls(environ: NodeJS.ProcessEnv, pyproject?: Record<string, unknown>): Promise<string[]> {
  const conf = await readPipConf(environ);
  const uvIndexes = ((((pyproject?.tool as Table | undefined)?.uv as Table | undefined)?.index) ?? []) as unknown;
  const uv = Array.isArray(uvIndexes) ? uvIndexes.filter((i): i is Table => isTable(i) && typeof i.url === 'string') : [];
  const uvDefault = uv.find((i) => i.default === true)?.url as string | undefined;
  const main = environ.PIP_INDEX_URL || environ.UV_INDEX_URL || environ.UV_DEFAULT_INDEX || uvDefault || conf.indexUrl || DEFAULT_INDEX_URL;
  const split = (v: string | undefined) => (v ?? '').split(/\s+/).filter((u) => u !== '');
  const extra = [
    ...split(environ.PIP_EXTRA_INDEX_URL),
    ...split(environ.UV_INDEX).map((u) => u.replace(/^[A-Za-z0-9_-]+=(?=[a-z]+:)/i, '')),
    ...uv.filter((i) => i.default !== true && i.explicit !== true).map((i) => i.url as string),
    ...conf.extraIndexUrls,
  ];
  return [...new Set([main, ...extra])];
}

/** index-url and extra-index-url of pip's configuration files ([global] then [install]). */
async function readPipConf(environ: NodeJS.ProcessEnv): Promise<{ indexUrl?: string; extraIndexUrls: string[] }> {
  const home = environ.HOME ?? os.homedir();
  // pip: site-wide, then the user's, then PIP_CONFIG_FILE; PIP_CONFIG_FILE=/dev/null loads none.
  if (environ.PIP_CONFIG_FILE === os.devNull) return { extraIndexUrls: [] };
  const files = ['/etc/xdg/pip/pip.conf', '/etc/pip.conf', path.join(home, '.pip', 'pip.conf'), path.join(environ.XDG_CONFIG_HOME || path.join(home, '.config'), 'pip', 'pip.conf'), ...(environ.PIP_CONFIG_FILE ? [environ.PIP_CONFIG_FILE] : [])];
  const out: { indexUrl?: string; extraIndexUrls: string[] } = { extraIndexUrls: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const values = parsePipConf(text);
    if (values['index-url']) out.indexUrl = values['index-url'];
    if (values['extra-index-url']) out.extraIndexUrls = values['extra-index-url'].split(/\s+/).filter((u) => u !== '');
  }
  return out;
}

/** The keys of [global] and [install] (install wins) of a pip.conf (INI with indented continuation lines). */
export function parsePipConf(text: string): Record<string, string> {
  const sections: Record<string, Record<string, string>> = {};
  let section = '';
  let last: { table: Record<string, string>; key: string } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    const head = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (head) {
      section = head[1]!.trim().toLowerCase();
      last = undefined;
      continue;
    }
    if (/^\s/.test(raw) && last) {
      last.table[last.key] += ` ${raw.trim()}`;
      continue;
    }
    const kv = /^\s*([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv) continue;
    const table = (sections[section] ??= {});
    const key = kv[1]!.toLowerCase().replace(/_/g, '-');
    table[key] = kv[2]!.trim();
    last = { table, key };
  }
  return { ...sections.global, ...sections.install };
}

export interface DeclaredResolutionOptions {
  projectName: string;
  /** The project's declared dependencies (pyproject [project], Poetry, setup.cfg, setup.py). */
  declared: string[];
  /** Where they are declared (`pyproject.toml [project]`, `setup.cfg`). */
  declaredFrom?: string;
  pyproject?: Record<string, unknown>;
  extras?: string[];
  groups?: string[];
  environ?: NodeJS.ProcessEnv;
}

/**
 * A project with no lock: its declared dependencies, the optional-dependency extras and the PEP 735
 * dependency groups named in the configuration (`include-group` followed), to be resolved against the
 * project's indexes. Undefined when it declares nothing.
 */
export async function readDeclaredResolution(opts: DeclaredResolutionOptions): Promise<ResolutionRequest | undefined> {
  const self = normalizeName(opts.projectName);
  const from = opts.declaredFrom ?? 'pyproject.toml [project]';
  const input = from.split(' ')[0]!;
  const project = isTable(opts.pyproject?.project) ? opts.pyproject.project : {};
  const optional = isTable(project['optional-dependencies']) ? project['optional-dependencies'] : {};
  const optionalByName = new Map(Object.entries(optional).map(([k, v]) => [normalizeName(k), Array.isArray(v) ? v.map(String) : []]));
  const roots: { requirement: string; source: string }[] = [];
  const extrasDone = new Set<string>();
  const add = (text: string, source: string): void => {
    const name = nameOf(text);
    if (name === self) {
      // `myproject[extra]`: the extra's dependencies, not the project itself (it is the application).
      for (const e of parseRequirement(text).extras) addExtra(e, source);
      return;
    }
    roots.push({ requirement: text, source });
  };
  const addExtra = (extra: string, source: string): void => {
    const key = normalizeName(extra);
    if (extrasDone.has(key)) return;
    extrasDone.add(key);
    const list = optionalByName.get(key);
    if (!list) throw new ConfigError('E_EXTRA', `${source}: extra "${extra}" is not in pyproject.toml [project.optional-dependencies] (it has ${[...optionalByName.keys()].join(', ') || 'none'})`);
    for (const d of list) add(d, `pyproject.toml [project.optional-dependencies] ${extra}`);
  };
  for (const d of opts.declared) add(d, from);
  for (const e of opts.extras ?? []) addExtra(e, 'build.extras');
  const groupsTable = isTable(opts.pyproject?.['dependency-groups']) ? (opts.pyproject['dependency-groups'] as Table) : {};
  const groupsByName = new Map(Object.entries(groupsTable).map(([k, v]) => [normalizeName(k), { shown: k, items: Array.isArray(v) ? v : [] }]));
  const groupsDone = new Set<string>();
  const addGroup = (group: string, source: string, chain: string[]): void => {
    const key = normalizeName(group);
    if (chain.includes(key)) throw new ConfigError('E_GROUP', `pyproject.toml [dependency-groups]: "${group}" includes itself (${[...chain, key].join(' → ')})`);
    if (groupsDone.has(key)) return;
    const found = groupsByName.get(key);
    if (!found) throw new ConfigError('E_GROUP', `${source}: dependency group "${group}" is not in pyproject.toml [dependency-groups] (it has ${[...groupsByName.values()].map((g) => g.shown).join(', ') || 'none'})`);
    groupsDone.add(key);
    for (const item of found.items) {
      if (typeof item === 'string') add(item, `pyproject.toml [dependency-groups] ${found.shown}`);
      else if (isTable(item) && typeof item['include-group'] === 'string') addGroup(item['include-group'], `pyproject.toml [dependency-groups] ${found.shown}`, [...chain, key]);
    }
  };
  for (const g of opts.groups ?? []) addGroup(g, 'build.dependency_groups', []);
  if (roots.length === 0) return undefined;
  const environ = opts.environ ?? process.env;
  return {
    input,
    roots,
    constraints: [],
    sources: { indexUrls: await readIndexUrls(environ, opts.pyproject), findLinks: [] },
    direct: [...new Set(roots.map((r) => nameOf(r.requirement)).filter((n): n is string => n !== undefined))].sort(),
  };
}
