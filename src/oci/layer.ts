import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { pack as createPack, type Header, type Pack } from 'tar-stream';
import type { Entry } from '../../generated/plan.js';
import { ImageError } from '../errors.js';
import type { ChunkPool } from './chunk-pool.js';
import { sha256Hex, type Digest } from './digest.js';

/** A file's content as it went into a layer: what was actually read. */
export interface StreamedFile {
  entry: Entry;
  sha256: string;
  size: number;
}

/** Reads copied files (entry.source): large ones as streams, small ones whole. */
export interface FileReader {
  stream(entry: Entry): Readable;
  read(entry: Entry): Promise<Buffer>;
  /**
   * A small file read at once, without the thread pool (src/config/context.ts: direct system calls,
   * cheaper than a promise per file); readers without it are read ahead, several at a time.
   */
  readSync?(entry: Entry): Buffer;
  /**
   * A large file's bytes read into buffers of `pool` (src/oci/chunk-pool.ts), for a tar whose last
   * consumer gives each chunk back; readers without it are streamed.
   */
  chunks?(entry: Entry, pool: ChunkPool): AsyncIterable<Buffer>;
}

/** Files up to this size are read whole, several ahead of the tar writer; larger ones are streamed. */
export const SMALL_FILE = 256 * 1024;
const READ_AHEAD = 32;

/**
 * Reads the small files among `entries` ahead of their use, at most READ_AHEAD at a time (≤ 8 MiB),
 * so that thousands of small files do not each wait for an open/read/close round trip.
 */
export class ReadAhead {
  private readonly pending = new Map<number, Promise<Buffer>>();
  private next = 0;

  constructor(
    private readonly entries: Entry[],
    private readonly reader: FileReader,
  ) {}

  static isSmall(entry: Entry): boolean {
    return entry.type === 'file' && entry.content === undefined && entry.bytecodeOf === undefined && (entry.size ?? Infinity) <= SMALL_FILE;
  }

  /** The bytes of entries[index] (a small file), starting the reads of the next ones. */
  take(index: number): Buffer | Promise<Buffer> {
    if (this.reader.readSync) return this.reader.readSync(this.entries[index]!);
    while (this.next < this.entries.length && this.next <= index + READ_AHEAD) {
      const e = this.entries[this.next]!;
      if (ReadAhead.isSmall(e)) {
        const p = this.reader.read(e);
        p.catch(() => undefined); // surfaced when taken
        this.pending.set(this.next, p);
      }
      this.next++;
    }
    const p = this.pending.get(index)!;
    this.pending.delete(index);
    return p;
  }
}

/**
 * Streams a reproducible tar of `entries` (already sorted, parents first): uid/gid from the entry (0
 * by default) with no user names, one mtime for all, modes as planned. Files are read once, through a
 * hash, and reported to `onFile` so callers can record (plan) or verify (apply) their digests; a file
 * whose size differs from the plan makes the stream fail (an error whose message says "size").
 * Small files come from the reader's synchronous read when it has one (no thread-pool hop per file).
 */
export function layerTar(entries: Entry[], mtime: number, reader: FileReader, onFile: (f: StreamedFile) => void, compile?: CompileBytecode, pool?: ChunkPool): Pack {
  // Refused before the first byte: a layer never holds a member outside its root.
  for (const entry of entries) checkMemberPath(entry.path);
  const byPath = entries.some((e) => e.bytecodeOf !== undefined) ? new Map(entries.map((e) => [e.path, e])) : undefined;
  const pack = createPack();
  const time = new Date(mtime * 1000);
  const ahead = new ReadAhead(entries, reader);
  (async () => {
    for (const [index, entry] of entries.entries()) {
      const header: Partial<Header> & { name: string } = {
        name: entry.type === 'dir' ? `${entry.path}/` : entry.path,
        mode: parseInt(entry.mode, 8),
        uid: entry.uid ?? 0,
        gid: entry.gid ?? 0,
        uname: '',
        gname: '',
        mtime: time,
        type: entry.type === 'dir' ? 'directory' : entry.type === 'symlink' ? 'symlink' : 'file',
      };
      if (entry.type === 'symlink') {
        header.linkname = entry.target!;
        await addEntry(pack, header);
      } else if (entry.type === 'dir') {
        await addEntry(pack, header);
      } else if (entry.bytecodeOf !== undefined) {
        const body = await bytecodeOf(entry, byPath!, reader, compile);
        header.size = body.length;
        await addEntry(pack, header, body);
        onFile({ entry, sha256: sha256Hex(body), size: body.length });
      } else if (entry.content !== undefined) {
        const body = Buffer.from(entry.content, 'utf8');
        header.size = body.length;
        await addEntry(pack, header, body);
      } else if (ReadAhead.isSmall(entry)) {
        const taken = ahead.take(index);
        const body = Buffer.isBuffer(taken) ? taken : await taken;
        await addEntry(pack, header, body);
        onFile({ entry, sha256: sha256Hex(body), size: body.length });
      } else {
        // A large file: streamed; exactly the planned size, or an error that says what was found.
        const size = entry.size!;
        header.size = size;
        const hash = createHash('sha256');
        const changed = (found: string | number) => new Error(`${entry.source ?? entry.path}: its size changed while it was read (planned ${size} bytes, found ${found})`);
        let bytes = 0;
        // Checked and hashed chunk by chunk in the copy loop itself: no stream or generator in between.
        await copyInto(pack, header, pool && reader.chunks ? reader.chunks(entry, pool) : reader.stream(entry), (chunk) => {
          bytes += chunk.length;
          if (bytes > size) throw changed('more');
          hash.update(chunk);
        }, () => {
          if (bytes !== size) throw changed(bytes);
        });
        onFile({ entry, sha256: hash.digest('hex'), size });
      }
    }
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err as Error));
  return pack;
}

/** Compiles a module's source (its absolute path in the image) to .pyc bytes; throws when it does not compile. */
export type CompileBytecode = (path: string, source: Buffer) => Promise<Buffer>;

/** A .pyc entry's bytes: its source entry (in the same layer) read again and compiled (src/python/bytecode.ts). */
async function bytecodeOf(entry: Entry, byPath: Map<string, Entry>, reader: FileReader, compile: CompileBytecode | undefined): Promise<Buffer> {
  const source = byPath.get(entry.bytecodeOf!);
  if (!source || source.type !== 'file') throw new ImageError('E_LAYER_BYTECODE', `${entry.path}: its source /${entry.bytecodeOf} is not a file of the same layer; the plan was edited`);
  if (!compile) throw new ImageError('E_LAYER_BYTECODE', `${entry.path}: compiled bytecode needs a compiler here`);
  const bytes = source.content !== undefined ? Buffer.from(source.content, 'utf8') : await reader.read(source);
  return compile(`/${source.path}`, bytes);
}

/**
 * Why a tar member path is not one a layer may hold, or undefined when it is: members are relative to
 * the image's root, written in their normal form (`app/main.py`): not empty, not absolute, no empty,
 * `.` or `..` segment, no NUL. Anything else could land outside the root (`app/../etc/passwd`) or
 * mean two things to two runtimes. Pure.
 */
export function memberPathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty';
  if (path.includes('\0')) return 'it holds a NUL byte';
  if (path.startsWith('/')) return 'it is absolute; members are relative to the image root';
  const segments = path.split('/');
  if (segments.includes('..')) return 'it has a ".." segment and would leave the image root';
  if (segments.includes('')) return 'it has an empty segment ("//" or a trailing "/")';
  if (segments.includes('.')) return 'it has a "." segment';
  return undefined;
}

/** Throws when `path` may not be a layer member (see memberPathProblem). */
export function checkMemberPath(path: string): void {
  const problem = memberPathProblem(path);
  if (problem) throw new ImageError('E_LAYER_PATH', `layer member ${JSON.stringify(path)} refused: ${problem}; paths in a plan are normalized and stay inside the image`);
}

/** Adds a tar entry with no body or a small in-memory body. */
export function addEntry(pack: Pack, header: Partial<Header> & { name: string }, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (body) pack.entry(header, body, done);
    else pack.entry(header, done);
  });
}

/**
 * Streams `source` into a new tar entry, honouring backpressure (tar-stream's entries are streamx
 * writables). `check` sees each chunk before it is written and `last` runs after the last one; either
 * may throw to fail the entry.
 */
export async function copyInto(
  pack: Pack,
  header: Partial<Header> & { name: string },
  source: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  check?: (chunk: Buffer) => void,
  last?: () => void,
): Promise<void> {
  let finished!: Promise<void>;
  const sink = await new Promise<ReturnType<Pack['entry']>>((resolve) => {
    finished = new Promise<void>((ok, fail) => {
      resolve(pack.entry(header, (err) => (err ? fail(err) : ok())));
    });
  });
  // The failure is reported by the throw below; the entry's own error and callback must not escape.
  finished.catch(() => undefined);
  sink.on('error', () => undefined);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      check?.(chunk);
      if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    }
    last?.();
  } catch (err) {
    sink.destroy(err as Error);
    throw err;
  }
  sink.end(undefined);
  await finished;
}

/** Sorts entries byte-wise by path so parents precede children, as tar readers and diffs expect. */
export function sortEntries<T extends { path: string }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => compareUtf8(a.path, b.path));
}

/** The entries with every missing parent directory added (0755, root-owned), sorted. */
export function withParents(entries: Entry[]): Entry[] {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const dir of parentDirs([...byPath.keys()])) if (!byPath.has(dir.path)) byPath.set(dir.path, dir);
  return sortEntries([...byPath.values()]);
}

/** Every parent directory of the given paths, as entries (0755, root-owned). */
export function parentDirs(paths: string[]): Entry[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    // From the deepest parent up, stopping at one already known (its own parents are known too).
    for (let end = p.lastIndexOf('/'); end > 0; end = p.lastIndexOf('/', end - 1)) {
      const dir = p.slice(0, end);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return [...dirs].map((path) => ({ path, type: 'dir' as const, mode: '0755' }));
}

/** A layer blob as a manifest and config describe it: what its bytes must be, compressed and not. */
export interface LayerExpectation {
  digest: string;
  size: number;
  /** The config's diff_id for this layer: the sha256 of the uncompressed tar. */
  diffId: string;
  mediaType?: string;
}

/** What a layer's bytes turned out to be, when they are not what was expected. */
export type LayerMismatch =
  | { kind: 'size'; expected: number; found: number }
  | { kind: 'digest'; expected: string; found: string }
  | { kind: 'diff-id'; expected: string; found: string }
  | { kind: 'compression'; expected: string; found: string }
  | { kind: 'unsupported'; expected: string; found: string };

/** How a layer of this media type is compressed: gzip (the OCI and Docker defaults), none, or zstd. */
export function layerCompression(mediaType: string | undefined): 'gzip' | 'none' | 'zstd' {
  if (!mediaType) return 'gzip';
  if (/zstd$/.test(mediaType)) return 'zstd';
  if (/\.tar$/.test(mediaType) || mediaType.endsWith('.tar')) return 'none';
  return 'gzip';
}

/** One line for a mismatch: what was expected and what was found. */
export function describeLayerMismatch(m: LayerMismatch): string {
  switch (m.kind) {
    case 'size':
      return `expected ${m.expected} bytes, found ${m.found}`;
    case 'digest':
      return `its bytes should hash to ${m.expected}, found ${m.found}`;
    case 'diff-id':
      return `its uncompressed content should hash to diff_id ${m.expected} (from the image config), found ${m.found}`;
    case 'compression':
      return `expected ${m.expected} data as its media type says, found ${m.found}`;
    case 'unsupported':
      return `it is ${m.found}-compressed, which this Node.js cannot decompress to check its diff_id; use a base with ${m.expected} layers`;
  }
}

/**
 * A pass-through that verifies a layer blob in the same pass that copies it: the compressed bytes go
 * through sha256 and a counter, and also into a decompressor whose output goes through a second sha256
 * (the diff_id). At the end, before the stream reports its own end, a wrong size, digest, diff_id or
 * compression fails it with the error `fail` makes; nothing downstream ever sees a clean end of a bad
 * layer, so nothing gets published under its name.
 */
export class LayerVerifier extends Transform {
  private readonly blobHash = createHash('sha256');
  private readonly diffHash = createHash('sha256');
  private readonly inflate: Gunzip | undefined;
  private inflateError: Error | undefined;
  private inflated: Promise<void> = Promise.resolve();
  private bytes = 0;
  private notGzip = false;
  private unsupported = false;

  constructor(
    private readonly expected: LayerExpectation,
    private readonly fail: (mismatch: LayerMismatch) => Error,
    /** False when the diff_id is unknown (a bare descriptor): digest and size only. */
    private readonly checkDiffId = true,
  ) {
    super();
    const compression = checkDiffId ? layerCompression(expected.mediaType) : 'none';
    if (compression === 'gzip') {
      const inflate = createGunzip();
      this.inflate = inflate;
      inflate.on('data', (chunk: Buffer) => this.diffHash.update(chunk));
      this.inflated = new Promise<void>((resolve) => {
        inflate.once('end', () => resolve());
        inflate.once('error', (err) => {
          this.inflateError = err;
          resolve();
        });
      });
    } else if (compression === 'zstd') {
      this.unsupported = true;
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.bytes === 0 && chunk.length > 0 && this.inflate && (chunk[0] !== 0x1f || (chunk.length > 1 && chunk[1] !== 0x8b))) this.notGzip = true;
    this.blobHash.update(chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.expected.size) return done(this.fail({ kind: 'size', expected: this.expected.size, found: this.bytes }));
    if (this.unsupported) return done(null, chunk);
    if (!this.inflate) {
      this.diffHash.update(chunk);
      return done(null, chunk);
    }
    // After a decompression error, keep hashing: a flipped byte is reported as a digest mismatch at the end.
    if (this.inflateError || this.notGzip || this.inflate.write(chunk)) return done(null, chunk);
    // Wait for the decompressor to catch up (or to fail): memory stays bounded.
    const inflate = this.inflate;
    const resume = () => {
      inflate.off('drain', resume);
      inflate.off('error', resume);
      done(null, chunk);
    };
    inflate.once('drain', resume);
    inflate.once('error', resume);
  }

  override _flush(done: TransformCallback): void {
    if (this.inflate && !this.notGzip && !this.inflateError) this.inflate.end();
    else this.inflate?.destroy();
    void (this.inflate && !this.notGzip ? this.inflated : Promise.resolve()).then(() => {
      if (this.bytes !== this.expected.size) return done(this.fail({ kind: 'size', expected: this.expected.size, found: this.bytes }));
      const digest: Digest = `sha256:${this.blobHash.digest('hex')}`;
      if (digest !== this.expected.digest) return done(this.fail({ kind: 'digest', expected: this.expected.digest, found: digest }));
      if (this.unsupported) return done(this.fail({ kind: 'unsupported', expected: 'gzip', found: 'zstd' }));
      if (this.notGzip) return done(this.fail({ kind: 'compression', expected: 'gzip', found: 'data that is not gzip' }));
      if (this.inflateError) return done(this.corrupt());
      const diffId = `sha256:${this.diffHash.digest('hex')}`;
      if (this.checkDiffId && diffId !== this.expected.diffId) return done(this.fail({ kind: 'diff-id', expected: this.expected.diffId, found: diffId }));
      done();
    });
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    this.inflate?.destroy();
    done(err);
  }

  private corrupt(): Error {
    return this.fail({ kind: 'compression', expected: 'gzip', found: `a broken gzip stream (${this.inflateError?.message ?? 'unknown'})` });
  }
}

/**
 * Byte-wise (UTF-8) order of two strings, the order tar members and plan entries are sorted in,
 * without encoding them: UTF-8 orders as code points do, and UTF-16 code units order as code points
 * except where a surrogate meets U+E000–U+FFFF, which the first difference settles by code point.
 * Sorting thousands of paths this way allocates nothing. Pure.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return a.codePointAt(i)! - b.codePointAt(i)!;
  }
  return a.length - b.length;
}
