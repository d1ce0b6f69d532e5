/**
 * The project's locked dependencies, whatever lock they come from: pylock.toml (PEP 751), uv.lock or a
 * hashed requirements file. Each reader selects the packages for one target environment (markers,
 * extras, dependency groups) and returns them in one model; nothing is resolved here and no Python runs.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { isDiagnostic, readTomlFile, type TomlFile } from '../config/read.js';
import type { IndexClient, IndexSources } from './index.js';
import { evaluateMarker, type MarkerEnvironment } from './markers.js';
import { parsePylock } from './pylock.js';
import { readRequirements } from './requirements.js';
import { normalizeName } from './tags.js';
import { parseUvLock } from './uvlock.js';
import { isValidSpecifier, satisfies } from './version.js';

export interface LockedFile {
  filename: string;
  url?: string;
  /** Relative to the lock file's directory, `/`-separated. */
  path?: string;
  /** Lower-case hex. */
  sha256: string;
  size?: number;
}

export interface LockedPackage {
  /** PEP 503-normalized. */
  name: string;
  version: string;
  /** A direct dependency of the project (→ REQUESTED). */
  requested: boolean;
  /** Candidates; the caller picks one by tags. Sorted by file name. */
  wheels: LockedFile[];
  sdist?: LockedFile;
  /** Set only for direct URL requirements (PEP 610). */
  directUrl?: string;
}

export interface Lock {
  kind: 'pylock' | 'uv' | 'requirements';
  /** Relative to the context, `/`-separated. */
  path: string;
  /** Sorted by name. */
  packages: LockedPackage[];
  /**
   * uv.lock only: the project and workspace members reached (editable/virtual sources, normalized,
   * sorted): locked, but not installed as wheels.
   */
  members?: string[];
}

export interface LockContext {
  env: MarkerEnvironment;
  /** The project's extras to include. */
  extras?: string[];
  /** Dependency groups to include; `dev` is excluded unless asked for. For pylock.toml, absent means the lock's default-groups. */
  groups?: string[];
}

export interface ReadLockOptions extends LockContext {
  /** The project's name (finds the project in uv.lock). */
  projectName: string;
  /** A lock file to use instead of looking (relative to the context): pylock*.toml, uv.lock or a requirements file. */
  lockFile?: string;
  /** The requirements file to fall back to (relative to the context); default `requirements.txt` when present. */
  requirementsFile?: string;
  /**
   * The index for a requirements file: a client, or a factory given the sources the file names
   * (--index-url, --extra-index-url, --find-links, --no-index). Default: createIndexClient on those sources.
   */
  index?: IndexClient | ((sources: IndexSources) => IndexClient);
  /** Normalized or not: the project's direct dependencies (→ `requested`). Default: the names in `declared`. */
  directNames?: string[];
  /** PEP 508 strings from pyproject's [project].dependencies: a lock missing one of them (for the target) is stale. */
  declared?: string[];
  /** Variables for `${VAR}` in requirements files, and HOME/NETRC for index credentials. Default: process.env. */
  environ?: NodeJS.ProcessEnv;
}

/** Finds and reads the project's lock, by preference: pylock.toml / pylock.<name>.toml, uv.lock, requirements file. */
export async function readLock(contextDir: string, opts: ReadLockOptions): Promise<Lock | undefined> {
  const found = await findLockFile(contextDir, opts);
  if (!found) return undefined;
  const abs = path.resolve(contextDir, found.path);
  const display = toPosix(path.relative(contextDir, abs)) || found.path;
  const direct = directNameSet(opts);
  let packages: LockedPackage[];
  let members: string[] | undefined;
  if (found.kind === 'requirements') {
    packages = await readRequirements(abs, display, { ...opts, contextDir, direct });
  } else if (found.kind === 'pylock') {
    packages = parsePylock(await readLockToml(abs, display), { ...opts, direct });
  } else {
    ({ packages, members } = parseUvLock(await readLockToml(abs, display), { ...opts, direct }));
  }
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lock: Lock = { kind: found.kind, path: display, packages };
  if (members) lock.members = members;
  if (opts.declared) checkStale(lock, opts.declared, opts);
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

function kindOf(file: string): Lock['kind'] {
  const base = path.basename(file);
  if (PYLOCK.test(base)) return 'pylock';
  if (base === 'uv.lock') return 'uv';
  return 'requirements';
}

async function findLockFile(contextDir: string, opts: ReadLockOptions): Promise<{ kind: Lock['kind']; path: string } | undefined> {
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
  if (opts.requirementsFile !== undefined) {
    if (!(await exists(path.resolve(contextDir, opts.requirementsFile)))) {
      throw new ConfigError('E_LOCK', `${opts.requirementsFile}: requirements file not found`);
    }
    return { kind: 'requirements', path: opts.requirementsFile };
  }
  if (await exists(path.join(contextDir, 'requirements.txt'))) return { kind: 'requirements', path: 'requirements.txt' };
  return undefined;
}

async function readLockToml(abs: string, display: string): Promise<TomlFile> {
  const file = await readTomlFile(abs, display);
  if (file === undefined) throw new ConfigError('E_LOCK', `${display}: lock file not found`);
  if (isDiagnostic(file)) throw new ConfigError('E_LOCK', formatDiagnostic(file));
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Staleness

const FIX: Record<Lock['kind'], string> = {
  uv: 'run uv lock',
  pylock: 'lock again (uv export --format pylock.toml, or your locker)',
  requirements: 'compile it again (pip-compile --generate-hashes, or uv export --format requirements.txt)',
};

/**
 * E_LOCK_STALE when a dependency pyproject.toml declares (for the target) is not locked, or is locked at a
 * version outside the declared specifier.
 */
export function checkStale(lock: Lock, declared: string[], ctx: LockContext & { projectName?: string }): void {
  const byName = new Map(lock.packages.map((p) => [p.name, p]));
  const self = ctx.projectName === undefined ? undefined : normalizeName(ctx.projectName);
  for (const text of declared) {
    let req: Requirement;
    try {
      req = parseRequirement(text);
    } catch (err) {
      throw new ConfigError('E_LOCK_STALE', `pyproject.toml: invalid dependency ${JSON.stringify(text)}: ${(err as Error).message}`);
    }
    if (req.name === self || lock.members?.includes(req.name)) continue;
    if (req.marker !== undefined && !markerHolds(req.marker, ctx, 'pyproject.toml', req.name)) continue;
    const locked = byName.get(req.name);
    if (!locked) {
      throw new ConfigError('E_LOCK_STALE', `${lock.path} does not lock "${req.name}", which pyproject.toml requires; ${FIX[lock.kind]}`);
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
          `${lock.path} locks "${req.name}" ${locked.version}, but pyproject.toml requires ${req.name}${req.specifier}; ${FIX[lock.kind]}`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers for the readers

/** A PEP 508 requirement. */
export interface Requirement {
  /** Normalized. */
  name: string;
  extras: string[];
  /** The version specifier without parentheses, e.g. `==1.0` or `>=1,<2`; '' when none. */
  specifier: string;
  url?: string;
  marker?: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** Parses a PEP 508 requirement (`name[extra]>=1; marker`, `name @ url ; marker`). Throws a plain Error. */
export function parseRequirement(text: string): Requirement {
  let rest = text.trim();
  const m = NAME.exec(rest);
  if (!m) throw new Error('expected a project name');
  const req: Requirement = { name: normalizeName(m[1]!), extras: [], specifier: '' };
  rest = rest.slice(m[1]!.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error('unclosed [ in extras');
    req.extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')
      .map(normalizeName);
    if (req.extras.some((e) => !NAME.test(e))) throw new Error('invalid extra name');
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith('@')) {
    rest = rest.slice(1).trimStart();
    const end = rest.search(/\s/);
    req.url = end < 0 ? rest : rest.slice(0, end);
    if (req.url === '') throw new Error('expected a URL after @');
    rest = end < 0 ? '' : rest.slice(end).trim();
    if (rest.startsWith(';')) req.marker = rest.slice(1).trim();
    else if (rest !== '') throw new Error(`unexpected ${JSON.stringify(rest)} after the URL`);
  } else {
    const semi = rest.indexOf(';');
    let spec = (semi < 0 ? rest : rest.slice(0, semi)).trim();
    if (semi >= 0) req.marker = rest.slice(semi + 1).trim();
    if (spec.startsWith('(')) {
      if (!spec.endsWith(')')) throw new Error('unclosed ( in the version specifier');
      spec = spec.slice(1, -1).trim();
    }
    spec = spec.replace(/\s+/g, '');
    if (spec !== '' && !/^(===|==|!=|<=|>=|~=|<|>)/.test(spec)) throw new Error(`unexpected ${JSON.stringify(spec)}`);
    req.specifier = spec;
  }
  if (req.marker === '') throw new Error('empty marker after ;');
  return req;
}

/** The pinned version of `==X` / `===X` (one clause, no wildcard), else undefined. */
export function pinnedVersion(specifier: string): string | undefined {
  const m = /^===?([^,=<>!~*]+)$/.exec(specifier.trim());
  return m ? m[1]!.trim() : undefined;
}

/** Evaluates a marker; a malformed one becomes E_LOCK naming the file and package. */
export function markerHolds(marker: string, ctx: LockContext, file: string, pkg: string, extras = ctx.extras ?? [], groups = ctx.groups ?? []): boolean {
  try {
    return evaluateMarker(marker, ctx.env, extras, groups);
  } catch (err) {
    throw new ConfigError('E_LOCK', `${file}: "${pkg}": invalid marker ${JSON.stringify(marker)}: ${(err as Error).message}`);
  }
}

/** A one-line ConfigError `file:line: key: message`. */
export function lockError(code: string, d: Diagnostic): ConfigError {
  return new ConfigError(code, formatDiagnostic(d));
}

/** The 1-based line of `name = "pkg"` in a TOML lock (best effort, for messages). */
export function lineOfPackage(text: string, name: string): number | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*name\s*=\s*["']([^"']+)["']/.exec(lines[i]!);
    if (m && normalizeName(m[1]!) === name) return i + 1;
  }
  return undefined;
}

/** A URL without user:password (the one implementation: index.ts's stripCredentials). */
export { stripCredentials as stripUserinfo } from './index.js';

/** The last path segment of a URL or path, percent-decoded. */
export function basenameOf(urlOrPath: string): string {
  let p = urlOrPath;
  try {
    p = new URL(urlOrPath).pathname;
  } catch {
    // a path
  }
  p = p.replace(/[?#].*$/, '');
  const base = p.slice(p.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

export const SHA256 = /^[0-9a-f]{64}$/;

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function byFilename(a: LockedFile, b: LockedFile): number {
  return a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0;
}

/** The name and version in an sdist file name (`name-1.0.tar.gz`), or undefined. */
export function parseSdistFilename(filename: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar)$/i.exec(filename);
  return m ? { name: normalizeName(m[1]!), version: m[2]! } : undefined;
}

export const UNPINNED_FIX = 'make a lock: uv lock, uv export --format pylock.toml, or pip-compile --generate-hashes';
