import { isAscii } from 'node:buffer';
import { constants, createReadStream, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { stampOf, type FileStamp } from '../cache/stat.js';
import { LARGE_FILE_CHUNK, type ChunkPool } from '../oci/chunk-pool.js';
import { compareUtf8 } from '../oci/layer.js';
import { ConfigError } from '../errors.js';
import { childIgnoreMatcher, isIgnored, type IgnoreRule } from './ignore.js';
import { readKnownSizeFileSync, readRegularFileSync } from './read.js';
import { walkMayChangeDirectory } from './walk-policy.js';

/** A file, directory or symlink in the build context, path relative to the context with `/`. */
export interface ContextFile {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  executable: boolean;
  /** Symlinks: the link text as stored. */
  target?: string;
  /** Regular files: what lstat said while listing (the stat cache's key). */
  stamp?: FileStamp;
}

/** Checks that the context exists and is a directory; a clear error otherwise. */
export async function checkContext(contextAbs: string, shown: string): Promise<void> {
  try {
    const st = await stat(contextAbs);
    if (!st.isDirectory()) throw new ConfigError('E_CONTEXT', `--context ${shown}: not a directory`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('E_CONTEXT', `--context ${shown}: the directory does not exist; pass the project directory (the one with pyproject.toml)`);
  }
}

/**
 * Lists the context, leaving out ignored paths, sorted by path. Ignored directories are not entered
 * unless a negated rule could re-include something below them. Sockets, FIFOs and devices are skipped.
 * The listing is synchronous: one lstat per entry as a direct system call costs a few microseconds,
 * a promise through the thread pool several times that, and nothing else runs while a plan lists.
 */
export async function walkContext(contextAbs: string, rules: IgnoreRule[]): Promise<ContextFile[]> {
  return walkContextSync(contextAbs, rules);
}

/**
 * The kernel resolves every component of a path on each lstat, so the walk stats names relative to
 * the directory being listed (what find does with fstatat): it changes the working directory into
 * each directory it lists (Node has no fstatat) and puts it back before returning. The walk is
 * synchronous, so no other JavaScript runs while the working directory is not the process's own; but
 * a file operation of someone else's already on the thread pool with a relative path would resolve
 * against it, so only the CLI, whose process this is, lets the walk do so (letWalkChangeDirectory);
 * a program that imports pycontainer gets absolute paths. So do a worker thread (no chdir there) and
 * a process whose working directory is gone.
 */
function walkContextSync(contextAbs: string, rules: IgnoreRule[]): ContextFile[] {
  const anyNegation = rules.some((r) => r.negate);
  // Only directories that are not ignored are entered, unless a rule negates: then every rule is
  // tested on the whole path.
  const ignoredChild = childIgnoreMatcher(rules) ?? ((path: string, _name: string, isDir: boolean) => isIgnored(rules, path, isDir));
  const out: ContextFile[] = [];
  const root = contextAbs.endsWith('/') ? contextAbs : `${contextAbs}/`;
  const home = walkMayChangeDirectory() ? currentDirectory() : undefined;
  /** A directory's names, from its listing as bytes: each valid UTF-8, or ignored (and left out). */
  function checkNames(rel: string, dirAbs: string): string[] {
    const names: string[] = [];
    for (const bytes of readdirSync(dirAbs, { encoding: 'buffer' })) {
      const name = bytes.toString('utf8');
      if (isAscii(bytes) || Buffer.from(name, 'utf8').equals(bytes)) {
        names.push(name);
        continue;
      }
      // A name that is not UTF-8 cannot be written into the plan (JSON) or matched later by apply. An
      // ignored one is fine; otherwise refuse rather than silently ship an image without the file.
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(Buffer.concat([Buffer.from(dirAbs), bytes]));
      if (isIgnored(rules, path, st.isDirectory())) continue;
      const shown = rel ? `${rel}/${escapeName(bytes)}` : escapeName(bytes);
      throw new ConfigError('E_CONTEXT_NAME', `${shown}: the file name is not valid UTF-8, which an image's file list cannot carry; rename it, or list it in .dockerignore`);
    }
    return names;
  }
  function visit(rel: string): void {
    const dirAbs = rel ? `${root}${rel}/` : root;
    // Names as strings (no Buffer per name): a name that is not UTF-8 decodes with U+FFFD in it, and
    // only a directory holding such a name is listed again as bytes to tell which it is.
    let names: string[];
    try {
      if (home !== undefined) process.chdir(dirAbs);
      names = readdirSync(home !== undefined ? '.' : dirAbs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'an error';
      throw new ConfigError('E_CONTEXT_READ', `${rel || '.'}: cannot list this directory of the context (${code}); make it readable, or list it in .dockerignore`);
    }
    if (names.some((n) => n.includes('\ufffd'))) names = checkNames(rel, dirAbs);
    names.sort();
    const prefix = rel ? `${rel}/` : '';
    /** Subdirectories to enter once this directory's names are done (the working directory is this one until then). */
    const below: string[] = [];
    for (const name of names) {
      // Joined, not added: `prefix + name` is a concatenation node over the two, which the first use
      // as a key flattens into a second string; one flat string per file is what the listing keeps.
      const path = prefix ? [prefix, name].join('') : name;
      const at = home !== undefined ? name : dirAbs + name;
      // Gone since readdir: skipped.
      const st = lstatSync(at, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        const ignored = ignoredChild(path, name, true);
        if (!ignored) out.push({ path, type: 'dir', size: 0, executable: true });
        if (!ignored || anyNegation) below.push(path);
      } else if (ignoredChild(path, name, false)) {
        continue;
      } else if (st.isFile()) {
        out.push({ path, type: 'file', size: smallInteger(st.size), executable: (st.mode & 0o111) !== 0, stamp: stampOf(st) });
      } else if (st.isSymbolicLink()) {
        out.push({ path, type: 'symlink', size: 0, executable: false, target: readlinkSync(at) });
      }
    }
    for (const path of below) visit(path);
  }
  try {
    visit('');
  } finally {
    if (home !== undefined) process.chdir(home);
  }
  // Listed directory by directory: nearly sorted already, which the sort's runs make cheap.
  return out.sort((a, b) => compareBytes(a.path, b.path));
}

/**
 * `n` (an integer) as V8's small integer when it is one: lstat's numbers come out of a Float64Array as
 * heap-allocated doubles, 16 bytes each, kept by every entry (and the plan entry after it) that holds
 * the size. `| 0` gives the same value as a small integer. Pure.
 */
function smallInteger(n: number): number {
  return n < 2 ** 31 ? n | 0 : n;
}

/**
 * The process's working directory when the walk can change it and come back (undefined in a worker
 * thread, where chdir throws, or when the directory is gone: then the walk uses absolute paths).
 */
function currentDirectory(): string | undefined {
  try {
    const home = process.cwd();
    process.chdir(home);
    return home;
  } catch {
    return undefined;
  }
}

/** A file name's bytes for a message: printable ASCII as is, everything else as \\xNN. */
export function escapeName(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** True when a symlink at `linkPath` pointing to `target` stays inside the context. */
export function symlinkStaysInside(linkPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved !== '..' && !resolved.startsWith('../');
}

/** Reads a project's copied files for layers: small ones whole (synchronously), large ones as streams. */
export function contextReader(contextAbs: string): import('../oci/layer.js').FileReader {
  const root = contextAbs.endsWith('/') ? contextAbs : `${contextAbs}/`;
  return {
    // O_NONBLOCK: a file swapped for a FIFO after planning reads as empty (a stale plan), never blocks.
    stream: (entry) => createReadStream(`${root}${entry.source!}`, { flags: (constants.O_RDONLY | constants.O_NONBLOCK) as unknown as string, highWaterMark: LARGE_FILE_CHUNK }),
    read: async (entry) => readKnownSizeFileSync(`${root}${entry.source!}`, entry.source!, entry.size ?? 0),
    readSync: (entry) => readKnownSizeFileSync(`${root}${entry.source!}`, entry.source!, entry.size ?? 0),
    chunks: (entry, pool) => fileChunks(`${root}${entry.source!}`, pool),
  };
}

/**
 * A file's bytes in chunks read into the pool's buffers (one read at a time, on the thread pool),
 * to its end, whatever its size was planned to be (the caller checks). Not a stream: an async
 * iterator over a byte stream joins whatever chunks are buffered into a new buffer at each step.
 */
async function* fileChunks(path: string, pool: ChunkPool): AsyncGenerator<Buffer> {
  // O_NONBLOCK: as in stream() above.
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    for (let position = 0; ; ) {
      const whole = pool.take();
      const { bytesRead } = await file.read(whole, 0, whole.length, position);
      if (bytesRead === 0) {
        pool.untake(whole);
        return;
      }
      position += bytesRead;
      yield pool.lend(whole, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** Reads small text files for detection; missing or large files are left out. */
export async function readTexts(contextAbs: string, paths: string[], maxBytes = 512 * 1024): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const p of paths) {
    try {
      // Synchronous: detection reads up to a few hundred small files, one after another.
      const st = statSync(join(contextAbs, p));
      if (!st.isFile()) continue; // a FIFO would block; walkContext and readers refuse it
      if (st.size > maxBytes) continue;
      const buf = readRegularFileSync(join(contextAbs, p), p);
      if (buf.length <= maxBytes) texts[p] = buf.toString('utf8');
    } catch {
      // Not there: detection treats it as absent.
    }
  }
  return texts;
}

/** Byte-wise order (what tar and OCI tools expect), not locale order. */
export function compareBytes(a: string, b: string): number {
  return compareUtf8(a, b);
}
