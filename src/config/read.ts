import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, type Diagnostic } from '../errors.js';
import { sha256Hex } from '../oci/digest.js';

/** A TOML file as read: its text (for locating keys), parsed data and digest. */
export interface TomlFile {
  /** Path as shown to the user: relative to the context when inside it. */
  path: string;
  text: string;
  data: Record<string, unknown>;
  sha256: string;
}

/** What a non-regular file is, for messages. */
function describeType(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Reads a file that must be a regular one (a project file: pyproject.toml, a lock, a requirements
 * file, a context file). It is opened with O_NONBLOCK, which never waits for a FIFO's writer, and
 * checked by type on the open descriptor (no window to swap it after a check): a FIFO, socket or
 * device is refused with one line naming it instead of hanging the build forever.
 */
export async function readRegularFile(absPath: string, displayPath: string): Promise<Buffer> {
  const handle = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ConfigError('E_SPECIAL_FILE', `${displayPath}: is ${describeType(st)}, not a regular file; refusing to read it (replace it with a file or leave it out of the project)`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Reads and parses a TOML file. Returns undefined when it does not exist, a Diagnostic (with the parser's
 * line and column) when it is malformed.
 */
export async function readTomlFile(absPath: string, displayPath: string): Promise<TomlFile | Diagnostic | undefined> {
  let text: string;
  try {
    text = (await readRegularFile(absPath, displayPath)).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { source: displayPath, message: `cannot read: ${(err as Error).message}` };
  }
  return parseTomlFile(text, displayPath);
}

/** Parses TOML text; malformed input becomes a one-line Diagnostic with line and column. */
export function parseTomlFile(text: string, displayPath: string): TomlFile | Diagnostic {
  try {
    return { path: displayPath, text, data: parse(text) as Record<string, unknown>, sha256: sha256Hex(text) };
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      return { source: displayPath, line: err.line, column: err.column, message: `invalid TOML: ${reason}` };
    }
    throw err;
  }
}

export function isDiagnostic(value: unknown): value is Diagnostic {
  return typeof value === 'object' && value !== null && 'message' in value && 'source' in value;
}

/**
 * Best-effort line of a key in TOML text (the parser does not report key positions). Understands
 * [table] headers, dotted keys and inline assignments `a.b = ...`; returns undefined when unsure.
 */
export function locateKey(text: string, keyPath: string[]): number | undefined {
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let fallback: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = splitDotted(header[1]!);
      if (table.length === keyPath.length && startsWith(keyPath, table)) return i + 1;
      continue;
    }
    const assign = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ])+?)\s*=/.exec(line);
    if (!assign) continue;
    const full = [...table, ...splitDotted(assign[1]!)];
    if (full.length >= keyPath.length && startsWith(full, keyPath)) return i + 1;
    if (startsWith(keyPath, full)) fallback ??= i + 1; // an inline table holding the key
  }
  return fallback;
}

function splitDotted(key: string): string[] {
  const parts: string[] = [];
  for (const m of key.matchAll(/"([^"]*)"|'([^']*)'|([^.\s]+)/g)) parts.push(m[1] ?? m[2] ?? m[3]!);
  return parts;
}

function startsWith(list: string[], prefix: string[]): boolean {
  return prefix.every((p, i) => list[i] === p);
}
