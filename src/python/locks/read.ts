/**
 * The dispatcher: finds the project's lock (in the context, or a uv workspace root above it), hands it
 * to its format's reader, fills in file URLs the lock does not give (Poetry, PDM) from the index, and
 * checks the result against what pyproject.toml declares. The only module of locks/ that touches the
 * filesystem; the readers are pure and import the shared model, never this module.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDiagnostic, readTomlFile, type TomlFile } from '../../config/read.js';
import { ConfigError, formatDiagnostic } from '../../errors.js';
import { createIndexClient, stripCredentials, type IndexClient, type IndexSources } from '../index/index.js';
import { normalizeName } from '../tags.js';
import { isValidSpecifier, satisfies } from '../version.js';
import {
  isTable,
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
import { DEFAULT_INDEX_URL, readRequirements } from './requirements.js';
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
    case 'requirements':
      lock.packages = await readRequirements(abs, display, { ...opts, contextDir, direct });
      break;
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
