/**
 * A stat cache, like git's index: what a context file's bytes hashed to, keyed by what lstat says
 * about it (size, mtime and ctime, inode, device, mode). A file is re-read only when one of these
 * changed. ctime is in the key because it cannot be set from user space: a same-size edit with the
 * mtime put back (`touch -r`, rsync -t, some editors) still moves it, and so does a chmod.
 *
 * Times are whole microseconds from lstat's plain numbers (milliseconds as doubles), not BigInt
 * nanoseconds: a BigInt per field and the BigIntStats object cost a warm plan more than listing the
 * files, and a double's shortest decimal form several times an integer's. The lost digits cannot
 * matter: a trusted entry is at least the clock margin older than the run that hashed it (the racy
 * check below), and any later change moves the ctime to after that run began.
 *
 * Racy files (git's "racy clean" problem): a file changed after it was hashed, within the same clock
 * tick as its stat, looks unchanged. So the cache records when its stamps were taken, and an entry
 * whose mtime or ctime is at or after that moment (less a margin for the file system's coarse clock)
 * is not trusted: it is hashed again next time, and trusted from then on.
 *
 * One cache file per context (named by a hash of the context's absolute path) in the cache directory,
 * one line per file, written whole (temporary name, then rename): a concurrent reader sees the old
 * cache or the new one. Memory: one short string and a digest per file (~250 bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats, Stats } from 'node:fs';
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../oci/digest.js';

/** What lstat says about a file, as the cache compares it. */
export interface FileStamp {
  /** `size mtimeUs ctimeUs ino dev mode`: equal keys mean "not touched", as far as the kernel tells. */
  key: string;
  /** The later of mtime and ctime (ms): the racy check compares it with the cache's stamp time. */
  changedMs: number;
  /**
   * The file's sha256 (hex) once a StatCache knows it (vouched by a lookup, or recorded); set by the
   * cache only. The stamp is what the cache keeps per file it saw, so the digest lives on it.
   */
  sha256?: string | undefined;
}

/**
 * A file's stamp from lstat. Plain Stats is what the context listing uses; BigIntStats give the same
 * key (their times turned into milliseconds the way Node computes Stats' mtimeMs). Pure.
 */
export function stampOf(st: Stats | BigIntStats): FileStamp {
  if (typeof st.size === 'bigint') {
    const b = st as BigIntStats;
    return stampOfNumbers(Number(b.size), msOf(b.mtimeNs), msOf(b.ctimeNs), Number(b.ino), Number(b.dev), Number(b.mode));
  }
  const s = st as Stats;
  return stampOfNumbers(s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev, s.mode);
}

/**
 * The key is joined, not written as a template: V8 builds a template's text as a tree of concatenations
 * (a node per piece of 13 characters or more, besides each number's own string), and a key that is
 * kept — one per file in the listing, until the build ends — held ~410 bytes that way, against ~80 as
 * the one flat string that `join` writes.
 */
function stampOfNumbers(size: number, mtimeMs: number, ctimeMs: number, ino: number, dev: number, mode: number): FileStamp {
  // sha256 declared here (see FileStamp): a slot in the object, not a property array added later.
  return { key: [size, Math.round(mtimeMs * 1000), Math.round(ctimeMs * 1000), ino, dev, mode].join(' '), changedMs: mtimeMs > ctimeMs ? mtimeMs : ctimeMs, sha256: undefined };
}

/** Nanoseconds as Stats' milliseconds: seconds × 1000 + nanoseconds / 10^6, as Node computes them. */
function msOf(ns: bigint): number {
  return Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6;
}

/** The size a stamp records. Pure. */
export function stampSize(stamp: FileStamp): number {
  return Number(stamp.key.slice(0, stamp.key.indexOf(' ')));
}

const HEADER = 'pycontainer-stat-cache 3';
/**
 * File systems stamp times from a coarse clock (one kernel tick, up to 10 ms, behind the fine one):
 * entries changed this close before the stamps were taken are treated as racy too.
 */
export const CLOCK_MARGIN_MS = 50;

/**
 * A cache line's head as read: `sha256 key` (64 hex digits, a space, the stamp key). One string per
 * file rather than an object of two: it is what the line held, sliced, and a lookup compares its tail.
 */
type CacheEntry = string;

/** The stamp key of an entry (allocates: for writing and the racy check of unseen entries only). */
function keyOf(e: CacheEntry): string {
  return e.slice(65);
}

/** The later of mtime and ctime (ms) of a stamp key (`size mtimeUs ctimeUs ...`). Pure. */
function changedOf(key: string): number {
  const a = key.indexOf(' ');
  const b = key.indexOf(' ', a + 1);
  const c = key.indexOf(' ', b + 1);
  const mtime = Number(key.slice(a + 1, b));
  const ctime = Number(key.slice(b + 1, c));
  return (mtime > ctime ? mtime : ctime) / 1000;
}

export class StatCache {
  /** Entries as loaded; trusted only when older than `trustBefore`. */
  private readonly old: Map<string, CacheEntry>;
  /**
   * The stamps this process took or was given (track, lookup, record), by path: those with a digest
   * are what `write` saves. One map serves both the caller, which finds a file's stamp here again
   * (stamped), and the cache: the stamp holds its key and digest, strings the listing and the plan
   * already hold, so a file costs its map slot and nothing more.
   */
  private readonly seen = new Map<string, FileStamp>();
  /** When this process started stamping: entries it records are trusted next time only if older. */
  private readonly startedMs = Date.now();
  /** How many lookups were answered from the cache, and how many had to be hashed (for tests and --verbose). */
  hits = 0;
  misses = 0;

  private constructor(
    /** The cache file; undefined for an in-memory cache (never written). */
    readonly file: string | undefined,
    old: Map<string, CacheEntry>,
    private readonly trustBefore: number,
  ) {
    this.old = old;
  }

  /** An empty cache that is never written (no cache directory, or --no-cache). */
  static inMemory(): StatCache {
    return new StatCache(undefined, new Map(), 0);
  }

  /** The cache file of a context in a cache directory. */
  static pathFor(cacheRoot: string, contextAbs: string): string {
    return join(cacheRoot, 'stat', `${sha256Hex(contextAbs).slice(0, 32)}.txt`);
  }

  /**
   * Reads the context's cache (an empty one when there is none, or when it cannot be read: a cache is
   * never a reason to fail a build).
   */
  static async read(cacheRoot: string, contextAbs: string): Promise<StatCache> {
    const file = StatCache.pathFor(cacheRoot, contextAbs);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return new StatCache(file, new Map(), 0);
    }
    const { entries, trustBefore } = parseStatCache(text);
    return new StatCache(file, entries, trustBefore);
  }

  /** Keeps the stamp a listing took of `path`, for `stamped`, `lookup` and `record` later. */
  track(path: string, stamp: FileStamp): void {
    this.seen.set(path, stamp);
  }

  /** The stamp of `path` tracked, looked up or recorded by this process. */
  stamped(path: string): FileStamp | undefined {
    return this.seen.get(path);
  }

  /**
   * The sha256 (hex) of the file at `path` (relative to the context) when the cache vouches for it:
   * same stamp as when it was hashed, and not racy. Undefined means: read and hash it, then `record`.
   * A vouched file is kept by `write`, with its digest on its stamp.
   */
  lookup(path: string, stamp: FileStamp): string | undefined {
    const e = this.old.get(path);
    if (e !== undefined && e.length === stamp.key.length + 65 && e.endsWith(stamp.key) && stamp.changedMs < this.trustBefore) {
      stamp.sha256 = e.slice(0, 64);
      this.seen.set(path, stamp);
      this.hits++;
      return stamp.sha256;
    }
    this.misses++;
    return undefined;
  }

  /** Records what the file with this stamp hashed to (the stamp taken before it was read). */
  record(path: string, stamp: FileStamp, sha256: string): void {
    stamp.sha256 = sha256;
    this.seen.set(path, stamp);
    this.recorded++;
  }

  private recorded = 0;

  /** Whether `write` has anything new to save: a run that found everything unchanged writes nothing. */
  get dirty(): boolean {
    return this.recorded > 0;
  }

  /** Forgets every entry (after `write`, when nothing more is looked up): ~200 bytes per file. */
  release(): void {
    this.seen.clear();
    this.old.clear();
  }

  /**
   * Saves the entries seen by this process, plus the loaded ones it did not see that are still
   * trusted (another command may have hashed other files of the context), atomically.
   */
  async write(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const header = (checksum: string) => `${HEADER} ${this.startedMs - CLOCK_MARGIN_MS} ${checksum}\n`;
    const dir = join(this.file, '..');
    const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      // Synchronous: one file of some hundred bytes per context file, written while nothing else runs;
      // the thread pool's chunked write of a string this size costs several times more. The body goes
      // out some tens of KB at a time (a cache of 10,000 files is ~1.5 MB, never held whole), hashed on
      // the way; the header, whose length does not depend on the checksum, is written last, in front.
      mkdirSync(dir, { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        const sum = createHash('sha256');
        let position = Buffer.byteLength(header('0'.repeat(64)));
        let batch = '';
        const flush = () => {
          sum.update(batch);
          position += writeWholeSync(fd, Buffer.from(batch), position);
          batch = '';
        };
        // The entries seen by this run, then the loaded ones it did not see that are still trusted.
        for (const [path, stamp] of this.seen) {
          if (stamp.sha256 === undefined) continue;
          batch += `${stamp.sha256} ${stamp.key} ${quotePath(path)}\n`;
          if (batch.length >= 64 * 1024) flush();
        }
        for (const [path, e] of this.old) {
          if (this.seen.get(path)?.sha256 !== undefined || changedOf(keyOf(e)) >= this.trustBefore) continue;
          batch += `${e} ${quotePath(path)}\n`;
          if (batch.length >= 64 * 1024) flush();
        }
        flush();
        writeWholeSync(fd, Buffer.from(header(sum.digest('hex'))), 0);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written is a slower next build, not a failed one.
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/** Writes all of `bytes` at `position` (a short write continues); returns their length. */
function writeWholeSync(fd: number, bytes: Buffer, position: number): number {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  return bytes.length;
}

/** A path as a JSON string; most need no escaping, and are quoted without JSON.stringify's cost. */
function quotePath(path: string): string {
  return /["\\\u0000-\u001f\ud800-\udfff]/.test(path) ? JSON.stringify(path) : `"${path}"`;
}

/**
 * Reads a cache file's text: `HEADER trustBeforeMs sha256(body)`, then the body, one line per file:
 * `sha256 size mtimeUs ctimeUs ino dev mode "path"`. The body's checksum stands for checking every
 * line's fields: one native hash of the text instead of regular expressions per line, on every plan.
 * A file that is not one (another version, damage, a torn write) gives an empty cache. Pure.
 */
export function parseStatCache(text: string): { entries: Map<string, CacheEntry>; trustBefore: number } {
  const empty = { entries: new Map<string, CacheEntry>(), trustBefore: 0 };
  const firstEnd = text.indexOf('\n');
  if (firstEnd === -1) return empty;
  const head = /^pycontainer-stat-cache 3 (\d+) ([0-9a-f]{64})$/.exec(text.slice(0, firstEnd));
  if (!head || sha256Hex(text.slice(firstEnd + 1)) !== head[2]) return empty;
  const entries = new Map<string, CacheEntry>();
  let at = firstEnd + 1;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    // The path is the JSON string after the key's six numbers: the first ` "` past the digest.
    const pathAt = text.indexOf(' "', at + 65);
    if (end === -1 || pathAt === -1 || pathAt > end) return empty;
    let path = text.slice(pathAt + 2, end - 1);
    if (path.includes('\\') || path.includes('"')) {
      try {
        path = JSON.parse(text.slice(pathAt + 1, end)) as string;
      } catch {
        return empty;
      }
    }
    entries.set(path, text.slice(at, pathAt));
    at = end + 1;
  }
  return { entries, trustBefore: Number(head[1]!) };
}
