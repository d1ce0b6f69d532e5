/**
 * The one model every lock reader produces (pylock.toml, uv.lock, poetry.lock, pdm.lock, requirements
 * files), and the helpers the readers share. Readers import this module and nothing imports them back
 * but the dispatcher (read.ts), so there is no cycle. Pure, except the types of the index client.
 */
import path from 'node:path';
import type { TomlFile } from '../../config/read.js';
import { ConfigError, formatDiagnostic, type Diagnostic } from '../../errors.js';
import { evaluateMarker, type MarkerEnvironment } from '../markers.js';
import { normalizeName } from '../tags.js';

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
  /**
   * Poetry and PDM locks name files and hashes but not always URLs: the simple-API roots (credentials
   * allowed, never shown) to find files without `url`/`path` on, by file name. Filled by the dispatcher.
   */
  indexUrls?: string[];
}

/** A project or workspace member the lock installs from its source directory (editable/path sources). */
export interface LocalMember {
  /** Normalized. */
  name: string;
  version: string;
  /** The member's directory, relative to the lock file's directory, `/`-separated. */
  directory: string;
}

export type LockKind = 'pylock' | 'uv' | 'poetry' | 'pdm' | 'requirements';

export interface Lock {
  kind: LockKind;
  /** Relative to the context, `/`-separated. */
  path: string;
  /** Sorted by name. */
  packages: LockedPackage[];
  /**
   * uv.lock only: the project and workspace members reached (editable/virtual sources, normalized,
   * sorted): locked, but not installed as wheels.
   */
  members?: string[];
  /**
   * Members other than the project that the graph reaches and that have code to install (editable or
   * path sources; uv's virtual members have none). Sorted by name.
   */
  localMembers?: LocalMember[];
  /**
   * Set when the file pins nothing to install as is (a requirements file with ranges or bare names):
   * what to resolve instead; `packages` is then empty.
   */
  resolve?: ResolutionRequest;
}

/** Requirements to resolve against indexes, for projects without a lock. */
export interface ResolutionRequest {
  /** The input file, relative to the context: `requirements.txt`, `pyproject.toml`, `setup.cfg`. */
  input: string;
  /** PEP 508 requirements with where each was written (`requirements.txt:3`). */
  roots: { requirement: string; source: string }[];
  /** `-c` constraints. */
  constraints: { requirement: string; source: string }[];
  /** Simple API roots (credentials allowed: never shown), find-links. */
  sources: { indexUrls: string[]; findLinks: string[]; noIndex?: boolean };
  /** Normalized names of the direct requirements (→ REQUESTED). */
  direct: string[];
}

export interface LockContext {
  env: MarkerEnvironment;
  /** The project's extras to include. */
  extras?: string[];
  /** Dependency groups to include; `dev` is excluded unless asked for. For pylock.toml, absent means the lock's default-groups. */
  groups?: string[];
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

/** How a TOML lock reader refuses: `file:line: key: message`, the line found from the package named. */
export type LockFail = (key: string, message: string, pkg?: string, code?: string) => never;

export function lockFailer(file: TomlFile): LockFail {
  return (key, message, pkg, code = 'E_LOCK') => {
    const line = pkg === undefined ? undefined : lineOfPackage(file.text, pkg);
    throw lockError(code, { source: file.path, key, message, ...(line !== undefined ? { line } : {}) });
  };
}

/** The lower-case hex of a lock's `hash = "sha256:<hex>"`; undefined for another algorithm or a malformed value. */
export function sha256OfHash(hash: unknown): string | undefined {
  const m = typeof hash === 'string' ? /^sha256:([0-9a-fA-F]{64})$/.exec(hash) : null;
  return m ? m[1]!.toLowerCase() : undefined;
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
export { stripCredentials as stripUserinfo } from '../index/index.js';

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

export const UNPINNED_FIX = 'make a lock: uv lock, poetry lock, pip-compile --generate-hashes, or pin every requirement with == (pip freeze > requirements.txt); or set include_deps = false to build without them';

export type Table = Record<string, unknown>;
export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Python's `json.dumps(value, sort_keys=True)` byte for byte (default separators `, ` and `: `,
 * ensure_ascii): Poetry and PDM hash pyproject.toml sections this way for their content hashes.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : `${value}`;
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pythonFloat(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (value instanceof Date) return pythonString(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).sort((a, b) => comparePythonStrings(a, b));
    return `{${keys.map((k) => `${pythonString(k)}: ${pythonJsonDumps((value as Table)[k])}`).join(', ')}}`;
  }
  return pythonString(String(value));
}

/** Python sorts str by code point; JS's < compares UTF-16 units (differs only beyond the BMP). */
function comparePythonStrings(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** repr() of a float: the shortest round-trip digits, like JS, in Python's notation. */
function pythonFloat(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}${m[2]}${m[3] ? `.${m[3]}` : ''}e${m[4]}${m[5]!.padStart(2, '0')}`;
  return s.includes('.') ? s : `${s}.0`;
}
