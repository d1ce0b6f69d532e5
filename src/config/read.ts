import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
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
 * readRegularFile without the thread pool: open, fstat, read and close as direct system calls, for the
 * many small files of a context (detection's candidates, a layer's code), where a round trip to the
 * thread pool per call costs more than the call. The same checks and messages.
 */
export function readRegularFileSync(absPath: string, displayPath: string): Buffer {
  const fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigError('E_SPECIAL_FILE', `${displayPath}: is ${describeType(st)}, not a regular file; refusing to read it (replace it with a file or leave it out of the project)`);
    return readToEnd(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

/** The rest of an open file, `size` bytes expected; one read when that is right, more when it grew. */
function readToEnd(fd: number, size: number): Buffer {
  let buf = Buffer.allocUnsafe(size + 1);
  let got = 0;
  for (;;) {
    if (got === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, got);
      buf = bigger;
    }
    const n = readSync(fd, buf, got, buf.length - got, null);
    if (n === 0) return buf.subarray(0, got);
    got += n;
  }
}

/**
 * A small context file whose size the listing's lstat gave: open, one read, close — no fstat. What it
 * checks instead: a read of `size + 1` bytes must return exactly `size` (more: the file grew; fewer or
 * an error: it shrank, went away, or is now a directory, a socket, a device or an empty FIFO). Those,
 * and empty files (which /dev/null or a FIFO would mimic), take readRegularFileSync's way, which says
 * what the file is now, exactly as before. (A FIFO whose writer left exactly `size` bytes in it would
 * pass: its bytes are hashed like a file's; nothing blocks, nothing unstated gets in.)
 */
export function readKnownSizeFileSync(absPath: string, displayPath: string, size: number): Buffer {
  if (size > 0) {
    let fd: number | undefined;
    try {
      fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
      const buf = Buffer.allocUnsafe(size + 1);
      const n = readSync(fd, buf, 0, size + 1, 0);
      if (n === size) return buf.subarray(0, size);
    } catch {
      // Said again, precisely, below.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return readRegularFileSync(absPath, displayPath);
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
