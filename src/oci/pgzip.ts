/**
 * Parallel, content-aware gzip (the pigz scheme), as a stream.
 *
 * Why parallel: one zlib stream compresses on one core; a layer of a few hundred MB then takes longer
 * than everything else in a build. The input is cut into fixed-size blocks; each block is deflated
 * independently on the libuv threadpool, primed with the previous 32 KiB of input as its dictionary
 * (so matches across the cut are still found), and ended with a sync flush, which leaves the deflate
 * stream byte-aligned so the blocks can simply be concatenated; the last block ends with Z_FINISH.
 * One gzip header (written here: MTIME 0, OS 255) and one trailer (CRC-32 computed in input order,
 * ISIZE) wrap the whole.
 *
 * Why content-aware: layers carry data that deflate cannot shrink (model weights, archives, media,
 * random test data), and deflate spends as much CPU failing on those bytes as it spends on text.
 * So before deflating, each block is split into units of UNIT bytes at fixed stream offsets and
 * each unit gets a cheap, exact test (the collision entropy of its byte histogram, in integers): a
 * unit that looks uniformly random is written as deflate stored blocks (BTYPE 00) without running
 * deflate; each run of the other units is deflated as one piece, primed with the 32 KiB of input
 * before it (whatever kind those bytes were), and sync-flushed. A deflated run that did not shrink
 * is stored too. The unit grid is finer than a tar's typical file, so a file of random bytes is
 * stored but for the units it shares with its tar header and its neighbours.
 *
 * Reproducibility: block and unit boundaries sit at fixed input offsets, the test is integer
 * arithmetic on the unit's bytes, and each run's bytes depend only on its own input, its dictionary
 * and the level, so the output is a pure function of the input bytes and the settings: the same
 * whatever the thread count, the chunking of the input stream or the order in which runs finish
 * (outputs are emitted in input order).
 *
 * Memory: at most `maxInFlight` blocks are being deflated, waiting to be emitted or being written;
 * the writable side holds back its callback until a slot frees, which gives backpressure to the tar
 * producer. Block buffers are pooled (each holds the 32 KiB before the block too, so no block waits
 * for another). Two faces: ParallelGzip, a Transform, copies stored runs out of its pooled buffers
 * (it cannot know when a reader is done with what it pushed); GzipFileWriter writes the member to a
 * file itself and hashes it on the way, so stored runs go from the pooled block buffer straight to
 * the file (no copy) and a buffer returns to the pool once its write completed. Per block, then, the
 * only allocation left is zlib's output buffer of each deflated run: the garbage that V8 collects
 * late, and that made RSS grow by tens of MB with the old per-block copies.
 */
import { createHash } from 'node:crypto';
import { close, open, writev } from 'node:fs';
import type { ChunkPool } from './chunk-pool.js';
import { availableParallelism } from 'node:os';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { constants as zc, crc32, createDeflateRaw, deflateRaw, type DeflateRaw, type ZlibOptions } from 'node:zlib';

/** The deflate window: each run's dictionary is this much of the input just before it. */
const WINDOW = 32 * 1024;
/** The largest payload of one deflate stored block (LEN is 16 bits). */
const STORED_MAX = 65_535;
/** Bytes per unit of the incompressibility test; block sizes are multiples of it. */
export const UNIT = 8 * 1024;
/** Fewer bytes than this say too little about their distribution: they are deflated. */
const MIN_TESTED = 1024;
/**
 * A block's kept deflated runs are each smaller than storing them (5 bytes per 65535 and per run
 * over the input), so an arena of the block size and this much more holds them all.
 */
const ARENA_SLACK = 4096;

export interface ParallelGzipOptions {
  /** zlib level, 1–9 (0 is refused: use stored blocks of a real format instead). */
  level: number;
  /** Input bytes per independently deflated block; a multiple of UNIT, at least 32 KiB. */
  blockSize: number;
  /**
   * Units whose collision entropy is at least this many bits per byte (up to 8) are stored without
   * deflating; omit to deflate everything (and store only what did not shrink).
   */
  storedEntropy?: number;
  /** Blocks being deflated, awaiting output or being written at once; default twice the threads. */
  maxInFlight?: number;
  /** Runs deflated at once on the threadpool; default min(cores + 1, threadpool size). Does not shape the bytes. */
  threads?: number;
}

/** A stretch of one block: deflated or stored. Offsets are into the block's buffer. */
interface Run {
  start: number;
  end: number;
  deflate: boolean;
}

interface Job {
  /** The output of each run, in order, once known (a stored run without copying: several pieces). */
  out: (Buffer | Buffer[] | undefined)[];
  pending: number;
  /** The block's buffer, returned to the pool once the block's output is released. */
  buffer: Buffer;
  /** GzipFileWriter: where the block's deflated runs are copied (pooled like the block buffers). */
  arena?: Buffer;
  arenaUsed: number;
}

/** Receives each block's output in input order; `release` says the pieces are no longer needed. */
type Output = (pieces: Buffer[], release: () => void) => void;

/** The 10-byte gzip member header: deflate, no flags, MTIME 0, XFL by level (as gzip sets it), OS 255 (unknown). */
export function gzipHeader(level: number): Buffer {
  const xfl = level >= 9 ? 2 : level === 1 ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, xfl, 0xff]);
}

/** The 5-byte header of a stored block of `length` bytes (at most 65535): BFINAL, BTYPE 00, LEN, NLEN. */
function storedHeader(length: number, final: boolean): Buffer {
  const h = Buffer.allocUnsafe(5);
  h[0] = final ? 0x01 : 0x00;
  h.writeUInt16LE(length, 1);
  h.writeUInt16LE(length ^ 0xffff, 3);
  return h;
}

/** `data` as stored blocks without copying it: headers and views of `data`, alternately. */
function storedPieces(data: Buffer, final: boolean): Buffer[] {
  const count = Math.max(1, Math.ceil(data.length / STORED_MAX));
  const pieces: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const part = data.subarray(i * STORED_MAX, Math.min(data.length, (i + 1) * STORED_MAX));
    pieces.push(storedHeader(part.length, final && i === count - 1));
    if (part.length) pieces.push(part);
  }
  return pieces;
}

/**
 * `data` as deflate stored blocks, from a byte-aligned position; `final` sets BFINAL on the last one.
 * Empty data still gives one (empty) stored block, so a final block always exists.
 */
export function storedBlocks(data: Buffer, final: boolean): Buffer {
  const count = Math.max(1, Math.ceil(data.length / STORED_MAX));
  const out = Buffer.allocUnsafe(data.length + 5 * count);
  let o = 0;
  for (let i = 0; i < count; i++) {
    const part = data.subarray(i * STORED_MAX, Math.min(data.length, (i + 1) * STORED_MAX));
    // BFINAL in bit 0, BTYPE 00 in bits 1-2, then padding to the byte boundary: one whole byte.
    out[o++] = final && i === count - 1 ? 0x01 : 0x00;
    out.writeUInt16LE(part.length, o);
    out.writeUInt16LE(part.length ^ 0xffff, o + 2);
    o += 4;
    part.copy(out, o);
    o += part.length;
  }
  return out;
}

const counts = new Int32Array(256);

/**
 * Whether `data[start, end)` looks incompressible: its collision (Rényi-2) entropy, −log2 Σ p², is at
 * least `bits` per byte. Σ p² is the chance that two bytes drawn from the unit are equal; for
 * uniformly random bytes it is 1/256 (plus 255/(256·n) from the finite sample); any skew of the byte
 * distribution — text, zeros, the exponent bytes of floats — raises it. Collision entropy is never
 * above Shannon entropy, so the test errs towards deflating. Integer arithmetic, so the verdict is
 * the same on every machine. It sees byte frequencies only: repeats of random bytes (a random block
 * written twice) are matches deflate would find and this test does not.
 *
 * Counts only grow, so Σc² over a prefix of the unit bounds the whole unit's from below: once it is
 * over the limit, the unit is compressible whatever follows. The sum is checked at a few fixed points
 * (text and hex digits are over the limit after about a third of the unit), which skips most of the
 * counting for compressible units and costs random ones a few hundred operations.
 */
export function looksIncompressible(data: Buffer, start: number, end: number, bits: number): boolean {
  const n = end - start;
  if (n < MIN_TESTED) return false;
  // −log2(Σc²/n²) ≥ bits  ⇔  Σc² · 2^bits ≤ n² (IEEE doubles, n ≤ 2^26: the same result everywhere).
  const limit = n * n;
  const scale = 2 ** bits;
  counts.fill(0);
  let i = start;
  // Four bytes per read where the buffer allows aligned 32-bit reads: about four times faster.
  if ((data.byteOffset + i) % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset + i, (end - i) >>> 2);
    const first = (words.length * 5) >>> 4;
    const half = words.length >>> 1;
    countWords(words, 0, first);
    if (sumOfSquares() * scale > limit) return false;
    countWords(words, first, half);
    if (sumOfSquares() * scale > limit) return false;
    countWords(words, half, words.length);
    i += words.length * 4;
  }
  for (; i < end; i++) counts[data[i]!]!++;
  return sumOfSquares() * scale <= limit;
}

function countWords(words: Uint32Array, from: number, to: number): void {
  for (let w = from; w < to; w++) {
    const v = words[w]!;
    counts[v & 255]!++;
    counts[(v >>> 8) & 255]!++;
    counts[(v >>> 16) & 255]!++;
    counts[v >>> 24]!++;
  }
}

function sumOfSquares(): number {
  let sum = 0;
  for (let k = 0; k < 256; k++) sum += counts[k]! * counts[k]!;
  return sum;
}

/**
 * The runs of one block: consecutive units with the same verdict, joined. `storedEntropy` undefined
 * means one deflated run for the whole block.
 */
export function splitRuns(data: Buffer, start: number, end: number, storedEntropy: number | undefined): Run[] {
  if (storedEntropy === undefined || end === start) return [{ start, end, deflate: true }];
  const runs: Run[] = [];
  for (let u = start; u < end; u += UNIT) {
    const e = Math.min(end, u + UNIT);
    // A short tail (the end of the input) is too small to judge: it goes with the unit before it.
    const tooShort = e - u < MIN_TESTED && runs.length > 0;
    const deflate = tooShort ? runs[runs.length - 1]!.deflate : !looksIncompressible(data, u, e, storedEntropy);
    const last = runs[runs.length - 1];
    if (last && last.deflate === deflate) last.end = e;
    else runs.push({ start: u, end: e, deflate });
  }
  return runs;
}

/**
 * The runs deflated at once: one more than the cores, at most the threadpool's size (UV_THREADPOOL_SIZE,
 * 4 unless set). One more, because a thread that finishes a run waits for the main thread to hand it
 * the next, and the main thread is often busy (reading, hashing, testing units) or not scheduled: with
 * a run queued beyond the cores, a core that frees up finds one. Measured on 2 cores (the benchmark's
 * cold build, 4 interleaved runs): 3.78 s with 2, 3.51 s with 3, 3.48 s with 4; +2 MB per run in flight.
 */
function defaultThreads(): number {
  const pool = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Math.max(1, Math.min(availableParallelism() + 1, Number.isInteger(pool) && pool > 0 ? pool : 4));
}

/**
 * Two blocks per thread: that caps memory whatever the core count (each block in flight holds
 * its input, 512 KiB for layers, and at most as much deflated output).
 */
function defaultInFlight(): number {
  return 2 * defaultThreads();
}

/**
 * The most a deflated run of `n` bytes and its sync-flush marker can take, with room to spare: above
 * zlib's deflateBound (n/8 covers its fixed-codes worst case) and the 5-byte marker.
 */
function runBound(n: number): number {
  return n + (n >>> 3) + 1024;
}

function deflateBlock(data: Buffer, options: ZlibOptions): Promise<Buffer> {
  return new Promise((ok, fail) => deflateRaw(data, options, (err, out) => (err ? fail(err) : ok(out))));
}

/**
 * A raw deflate stream kept for many runs without a dictionary, reset between them. Why: a new zlib
 * stream per run allocates and clears ~300 KB of state on a threadpool thread, and the freed memory
 * goes back to the kernel, so the next one page-faults it in again; on mixed stored and deflated
 * input, with a run every 64 KiB or so, that cost as much CPU as deflate itself.
 *
 * The bytes of a run are those of a fresh stream (deflateReset restores the initial state; measured
 * equal, and the tests compare), whatever the lane did before, as long as zlib never runs out of
 * output space during a run: it would then write the sync-flush marker twice when the space ends
 * exactly at the marker. Node's stream hands zlib the rest of one output buffer of `capacity` bytes
 * and starts a new one only when that is full, so a lane takes a run only when runBound of it fits in
 * what is left, and is retired (closed) when it does not.
 *
 * Memory: each run's output is written from the start of the same output buffer, by putting back
 * the stream's offset in it (`_outOffset`, a field of Node's zlib streams since their beginning), so
 * a lane neither fills nor retires and leaves no megabyte buffers behind for the garbage collector
 * (they outlive two scavenges and wait for a full collection). Each run checks that its output did
 * start there; a Node whose streams do not have the field, or do not honour it, gets the retiring
 * lanes above. Either way a run's output is valid only until the lane's next run: callers copy it.
 */
export class DeflateLane {
  readonly #stream: DeflateRaw;
  readonly #capacity: number;
  /** Output bytes handed out so far: Node's offset in its output buffer. */
  #used = 0;
  #pieces: Buffer[] = [];
  #error: Error | undefined;
  /** Whether each run's output goes to the start of the same buffer (see the class comment). */
  #rewind: boolean;

  constructor(level: number, capacity: number) {
    this.#capacity = capacity;
    // Every write is compressed and sync-flushed in one threadpool task.
    this.#stream = createDeflateRaw({ level, strategy: zc.Z_DEFAULT_STRATEGY, flush: zc.Z_SYNC_FLUSH, chunkSize: capacity });
    this.#stream.on('data', (piece: Buffer) => this.#pieces.push(piece));
    this.#stream.on('error', (err) => (this.#error = err));
    this.#rewind = typeof this.#internals()._outOffset === 'number' && Buffer.isBuffer(this.#internals()._outBuffer);
  }

  #internals(): { _outOffset?: unknown; _outBuffer?: unknown } {
    return this.#stream as unknown as { _outOffset?: unknown; _outBuffer?: unknown };
  }

  /** Whether a run of `n` bytes surely fits the output space left. */
  fits(n: number): boolean {
    return this.#used + runBound(n) <= this.#capacity;
  }

  /**
   * `data` deflated from a fresh state and sync-flushed (one run at a time per lane). The output is
   * valid until the lane's next run.
   */
  deflate(data: Buffer): Promise<Buffer> {
    const start = this.#rewind ? (this.#internals()._outBuffer as Buffer) : undefined;
    if (start) {
      this.#internals()._outOffset = 0;
      this.#used = 0;
    }
    return new Promise((ok, fail) => {
      this.#stream.write(data, (err) => {
        const settle = () => {
          // Pushed output reaches 'data' at once in flowing mode; should any wait in the buffer, wait for it.
          if (this.#stream.readableLength > 0 && !this.#error) return setImmediate(settle);
          const failure = err ?? this.#error;
          if (failure) return fail(failure);
          const pieces = this.#pieces;
          this.#pieces = [];
          const out = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
          // Written where the rewind put it, or no more rewinding and the lane retires after this run
          // (Node's offset is not known then); this output is right either way.
          if (start && !(pieces.length === 1 && out.buffer === start.buffer && out.byteOffset === start.byteOffset)) {
            this.#rewind = false;
            this.#used = this.#capacity;
          } else this.#used += out.length;
          // Safe between runs: no write is in flight.
          this.#stream.reset();
          ok(out);
        };
        settle();
      });
    });
  }

  close(): void {
    this.#stream.destroy();
  }
}

/**
 * The shortest run a lane takes. zlib's deflateReset leaves the previous data in the sliding window
 * (2 × 32 KiB), and matching near the end of the input reads up to 258 bytes past it: a short run
 * could find different matches after different predecessors. A run of at least the window's size
 * overwrites all of it when zlib first fills it, so its bytes are those of a fresh stream (the tests
 * check that on runs in shuffled orders); shorter runs get a fresh stream.
 */
export const LANE_MIN = 2 * WINDOW;

/** A run to deflate: on a lane when it needs no dictionary and does not end the stream, else on a stream of its own. */
interface DeflateTask {
  data: Buffer;
  options?: ZlibOptions;
  done: (out: Buffer) => void;
  fail: (err: Error) => void;
}

/**
 * Deflates runs, at most `threads` at once, on reused lanes where it can. Bounding the tasks handed
 * to the threadpool also keeps file reads, which share it, from queueing behind a backlog of blocks.
 */
class DeflateScheduler {
  readonly #level: number;
  readonly #capacity: number;
  readonly #threads: number;
  readonly #queue: DeflateTask[] = [];
  readonly #idle: DeflateLane[] = [];
  #active = 0;
  #closed = false;

  constructor(level: number, blockSize: number, threads: number) {
    this.#level = level;
    // Room for several of the largest runs, so a lane serves many before it is retired.
    this.#capacity = Math.max(1024 * 1024, 3 * runBound(blockSize));
    this.#threads = Math.max(1, threads);
  }

  add(task: DeflateTask): void {
    this.#queue.push(task);
    this.#next();
  }

  /** Closes the idle lanes; those still busy close when their run ends. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const lane of this.#idle.splice(0)) lane.close();
  }

  #next(): void {
    while (!this.#closed && this.#active < this.#threads && this.#queue.length) {
      const task = this.#queue.shift()!;
      this.#active++;
      const finish = () => {
        this.#active--;
        this.#next();
      };
      if (task.options) {
        deflateBlock(task.data, task.options).then(
          (out) => (task.done(out), finish()),
          (err: Error) => (task.fail(err), finish()),
        );
        continue;
      }
      if (task.data.length < LANE_MIN) {
        deflateBlock(task.data, { level: this.#level, strategy: zc.Z_DEFAULT_STRATEGY, flush: zc.Z_SYNC_FLUSH, finishFlush: zc.Z_SYNC_FLUSH, chunkSize: runBound(task.data.length) }).then(
          (out) => (task.done(out), finish()),
          (err: Error) => (task.fail(err), finish()),
        );
        continue;
      }
      let lane = this.#idle.pop();
      if (lane && !lane.fits(task.data.length)) {
        lane.close();
        lane = undefined;
      }
      lane ??= new DeflateLane(this.#level, this.#capacity);
      const used = lane;
      used.deflate(task.data).then(
        (out) => {
          if (this.#closed) used.close();
          else this.#idle.push(used);
          task.done(out);
          finish();
        },
        (err: Error) => {
          used.close();
          task.fail(err);
          finish();
        },
      );
    }
  }
}

/** The block machinery shared by both faces: input in, each block's output out in order. */
class BlockDeflater {
  readonly #level: number;
  readonly #blockSize: number;
  readonly #storedEntropy: number | undefined;
  readonly #maxInFlight: number;
  /** Whether stored runs are handed out as views of the block buffer (valid until released). */
  readonly #zeroCopy: boolean;
  readonly #output: Output;
  readonly #fail: (err: Error) => void;
  /**
   * The block being filled: WINDOW bytes of the input before it (none for the first block), then
   * the block's own bytes from offset WINDOW, `#filled` of them so far.
   */
  #block: Buffer;
  #filled = 0;
  #first = true;
  /** Whether the last run dispatched was deflated: the next block's first run is then primed with a dictionary. */
  #lastDeflated = false;
  readonly #deflater: DeflateScheduler;
  /**
   * Block buffers to reuse. Pooling them matters for memory: a fresh buffer per block leaves
   * hundreds of KB of garbage per block outside the JS heap, which V8 collects late.
   */
  readonly #pool: Buffer[] = [];
  readonly #arenas: Buffer[] = [];
  #crc = 0;
  #size = 0;
  /** Blocks in input order, deflating or waiting for their predecessors to be emitted. */
  readonly #jobs: Job[] = [];
  /** Blocks emitted whose output was not released yet. */
  #unreleased = 0;
  /** A write waiting for a free slot: the rest of its chunk and its callback. */
  #waiting: { chunk: Buffer; offset: number; callback: () => void } | undefined;
  #ended: ((trailer: Buffer) => void) | undefined;
  #failed = false;

  constructor(options: ParallelGzipOptions, zeroCopy: boolean, output: Output, fail: (err: Error) => void) {
    if (!Number.isInteger(options.level) || options.level < 1 || options.level > 9) throw new RangeError(`gzip level ${options.level}: expected 1-9`);
    if (!Number.isInteger(options.blockSize) || options.blockSize < WINDOW || options.blockSize % UNIT) {
      throw new RangeError(`block size ${options.blockSize}: expected a multiple of ${UNIT}, at least ${WINDOW}`);
    }
    if (options.storedEntropy !== undefined && !(options.storedEntropy > 0 && options.storedEntropy <= 8)) {
      throw new RangeError(`stored entropy ${options.storedEntropy}: expected more than 0 and at most 8 bits per byte`);
    }
    this.#level = options.level;
    this.#blockSize = options.blockSize;
    this.#storedEntropy = options.storedEntropy;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? defaultInFlight());
    this.#deflater = new DeflateScheduler(options.level, options.blockSize, options.threads ?? defaultThreads());
    this.#zeroCopy = zeroCopy;
    this.#output = output;
    this.#fail = fail;
    this.#block = this.#newBuffer();
  }

  get header(): Buffer {
    return gzipHeader(this.#level);
  }

  /** Its own ArrayBuffer, so unit offsets are 4-byte aligned for the word-wise histogram. */
  #newBuffer(): Buffer {
    return this.#pool.pop() ?? Buffer.allocUnsafeSlow(WINDOW + this.#blockSize);
  }

  /** Takes `chunk`; `callback` once it is all in blocks (later when no slot is free: backpressure). */
  write(chunk: Buffer, callback: () => void): void {
    this.#crc = crc32(chunk, this.#crc);
    this.#size += chunk.length;
    this.#consume(chunk, 0, callback);
  }

  /** Dispatches the last block; `done` gets the trailer once every block was emitted. */
  end(done: (trailer: Buffer) => void): void {
    this.#ended = done;
    this.#dispatch(true);
  }

  /** Stops: nothing more is emitted. */
  abort(): void {
    this.#failed = true;
    this.#deflater.close();
  }

  #busy(): boolean {
    return this.#jobs.length + this.#unreleased >= this.#maxInFlight;
  }

  /** Copies `chunk` from `offset` into blocks, dispatching each full one; pauses when no slot is free. */
  #consume(chunk: Buffer, offset: number, callback: () => void): void {
    while (offset < chunk.length) {
      if (this.#filled === this.#blockSize) {
        if (this.#busy()) {
          this.#waiting = { chunk, offset, callback };
          return;
        }
        this.#dispatch(false);
        if (this.#failed) return;
      }
      const n = chunk.copy(this.#block, WINDOW + this.#filled, offset, Math.min(chunk.length, offset + this.#blockSize - this.#filled));
      this.#filled += n;
      offset += n;
    }
    callback();
  }

  /**
   * Splits the current block into runs and sends its deflated runs to the threadpool. A full block
   * is dispatched only when more input arrives (or at the end, as the last block), so the last block
   * is never empty unless the input is.
   */
  #dispatch(last: boolean): void {
    const buffer = this.#block;
    const end = WINDOW + this.#filled;
    const runs = splitRuns(buffer, WINDOW, end, this.#storedEntropy);
    const job: Job = { out: new Array<Buffer | Buffer[] | undefined>(runs.length), pending: 0, buffer, arenaUsed: 0 };
    if (this.#zeroCopy) job.arena = this.#arenas.pop() ?? Buffer.allocUnsafeSlow(this.#blockSize + ARENA_SLACK);
    this.#jobs.push(job);
    const stored = (data: Buffer, final: boolean) => (this.#zeroCopy ? storedPieces(data, final) : storedBlocks(data, final));
    // The block's first run continues deflated input: primed with the WINDOW bytes before it, so
    // matches across the cut are found. A run after a stored run gets no dictionary: random bytes
    // give deflate nothing to match, and a run without one goes to a reused lane (DeflateLane).
    const primed = !this.#first && this.#lastDeflated;
    runs.forEach((run, i) => {
      const final = last && i === runs.length - 1;
      const data = buffer.subarray(run.start, run.end);
      if (!run.deflate) {
        job.out[i] = stored(data, final);
        return;
      }
      job.pending++;
      let options: ZlibOptions | undefined;
      if (final || (i === 0 && primed)) {
        options = {
          level: this.#level,
          strategy: zc.Z_DEFAULT_STRATEGY,
          // The flush with the data, in one threadpool task and one piece of output (as finishFlush
          // alone, it would be a second task after a write without flush, and a second piece to join);
          // the bytes are the same.
          flush: final ? zc.Z_FINISH : zc.Z_SYNC_FLUSH,
          finishFlush: final ? zc.Z_FINISH : zc.Z_SYNC_FLUSH,
          // Large enough that zlib returns the run's output in one piece. This also keeps the bytes
          // independent of buffer sizes: zlib writes the sync-flush marker twice when a flush ends
          // exactly at the end of the output space. No larger: Node allocates it whole for each such
          // run, and a primed run is often one 8 KiB unit (a 64 KiB floor here was ~15 MB of garbage
          // buffers per 60 MB of mixed random and text input).
          chunkSize: runBound(data.length),
        };
        if (i === 0 && primed) options.dictionary = buffer.subarray(0, WINDOW);
      }
      this.#deflater.add({
        data,
        ...(options ? { options } : {}),
        done: (deflated) => {
          // Stored when deflate did not shrink the run; the sizes depend on the bytes alone.
          const storedSize = data.length + 5 * Math.max(1, Math.ceil(data.length / STORED_MAX));
          // Kept only when smaller than storing the run; copied out of zlib's buffer (a lane reuses
          // it): into the block's arena, which the kept runs of a block always fit, or a buffer of its own.
          if (deflated.length >= storedSize) job.out[i] = stored(data, final);
          else if (job.arena && job.arenaUsed + deflated.length <= job.arena.length) {
            deflated.copy(job.arena, job.arenaUsed);
            job.out[i] = job.arena.subarray(job.arenaUsed, (job.arenaUsed += deflated.length));
          } else job.out[i] = Buffer.from(deflated);
          if (--job.pending === 0) this.#emitReady();
        },
        fail: (err) => {
          if (this.#failed) return;
          this.#failed = true;
          this.#deflater.close();
          this.#fail(err);
        },
      });
    });
    if (runs.length) this.#lastDeflated = runs[runs.length - 1]!.deflate;
    if (!last) {
      // The next block starts with this block's last WINDOW bytes: its dictionary, copied now so
      // this buffer is free as soon as its own output is released.
      const next = this.#newBuffer();
      buffer.copy(next, 0, end - WINDOW, end);
      this.#block = next;
      this.#filled = 0;
      this.#first = false;
    }
    if (job.pending === 0) this.#emitReady();
  }

  /** Hands out finished blocks in input order, then resumes a waiting write or finishes. */
  #emitReady(): void {
    if (this.#failed) return;
    while (this.#jobs.length && this.#jobs[0]!.pending === 0) {
      const job = this.#jobs.shift()!;
      this.#unreleased++;
      let released = false;
      this.#output(job.out.flat() as Buffer[], () => {
        if (released) return;
        released = true;
        this.#unreleased--;
        this.#pool.push(job.buffer);
        if (job.arena) this.#arenas.push(job.arena);
        // Called from within #output (a Transform) or later (a file write): resume either way.
        queueMicrotask(() => this.#resume());
      });
    }
    this.#resume();
  }

  #resume(): void {
    if (this.#failed) return;
    if (this.#waiting && !this.#busy()) {
      const { chunk, offset, callback } = this.#waiting;
      this.#waiting = undefined;
      this.#consume(chunk, offset, callback);
    }
    if (this.#ended && this.#jobs.length === 0) {
      const trailer = Buffer.allocUnsafe(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#size % 2 ** 32, 4);
      const done = this.#ended;
      this.#ended = undefined;
      this.#deflater.close();
      done(trailer);
    }
  }
}

/** A Transform from bytes to one gzip member, deflated block-parallel. See the module comment. */
export class ParallelGzip extends Transform {
  readonly #engine: BlockDeflater;

  constructor(options: ParallelGzipOptions) {
    super();
    this.#engine = new BlockDeflater(
      options,
      false,
      (pieces, release) => {
        if (this.destroyed) return;
        for (const piece of pieces) this.push(piece);
        release();
      },
      (err) => this.destroy(err),
    );
    this.push(this.#engine.header);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#engine.write(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.#engine.end((trailer) => callback(null, trailer));
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#engine.abort();
    callback(err);
  }
}

/**
 * A Writable that gzips what it is given into the file at `path` (created or truncated) and hashes
 * the file's bytes on the way: `digest()` and `bytes` once finished. Stored runs are written from
 * the block buffers without a copy (see the module comment).
 */
export class GzipFileWriter extends Writable {
  readonly #path: string;
  readonly #engine: BlockDeflater;
  readonly #hash = createHash('sha256');
  #fd: number | undefined;
  #digest: `sha256:${string}` | undefined;
  /** Bytes handed to the file so far: the next write's position. */
  bytes = 0;
  #writing = 0;
  #drained: (() => void) | undefined;

  readonly #pool: ChunkPool | undefined;

  /** `pool`: the input's chunks are given back to it once they are in the blocks (src/oci/chunk-pool.ts). */
  constructor(path: string, options: ParallelGzipOptions, pool?: ChunkPool) {
    super();
    this.#path = path;
    this.#pool = pool;
    this.#engine = new BlockDeflater(options, true, (pieces, release) => this.#append(pieces, release), (err) => this.destroy(err));
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'w', 0o644, (err, fd) => {
      if (err) return callback(err);
      this.#fd = fd;
      this.#append([this.#engine.header], () => undefined);
      callback();
    });
  }

  /** Hashes `pieces` in order and writes them at the current end; `release` once written. */
  #append(pieces: Buffer[], release: () => void): void {
    if (this.destroyed || this.#fd === undefined) return;
    let length = 0;
    for (const piece of pieces) {
      this.#hash.update(piece);
      length += piece.length;
    }
    const position = this.bytes;
    this.bytes += length;
    this.#writing++;
    // Writes at explicit positions may complete in any order; the file is whole once all did.
    writeAll(this.#fd, pieces, position, (err) => {
      this.#writing--;
      if (err) this.destroy(err);
      else release();
      if (this.#writing === 0) this.#drained?.();
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const pool = this.#pool;
    if (!pool) return this.#engine.write(chunk, callback);
    this.#engine.write(chunk, () => {
      pool.give(chunk);
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#engine.end((trailer) => {
      this.#append([trailer], () => undefined);
      const finish = () => {
        this.#drained = undefined;
        const fd = this.#fd;
        // A failed write destroyed the stream, which closes the file: nothing left to do here.
        if (fd === undefined) return callback(this.errored ?? new Error('the layer blob file was closed before it was complete'));
        this.#fd = undefined;
        close(fd, (err) => callback(err));
      };
      if (this.#writing === 0) finish();
      else this.#drained = finish;
    });
  }

  /**
   * Closes the file, but only once no write is in flight: a write queued on the threadpool after the
   * close could land in whatever file reuses the descriptor number.
   */
  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#engine.abort();
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return callback(err);
    const closeFile = () => {
      this.#drained = undefined;
      close(fd, () => callback(err));
    };
    if (this.#writing === 0) closeFile();
    else this.#drained = closeFile;
  }

  /** The sha256 of the file's bytes; valid once the stream has finished. */
  digest(): `sha256:${string}` {
    this.#digest ??= `sha256:${this.#hash.digest('hex')}`;
    return this.#digest;
  }
}

/** writev until every byte of `pieces` is written at `position` (a short write continues). */
function writeAll(fd: number, pieces: Buffer[], position: number, done: (err: Error | null) => void): void {
  writev(fd, pieces, position, (err, written) => {
    if (err) return done(err);
    let rest = written;
    let i = 0;
    while (i < pieces.length && rest >= pieces[i]!.length) rest -= pieces[i++]!.length;
    if (i === pieces.length) return done(null);
    const remaining = [pieces[i]!.subarray(rest), ...pieces.slice(i + 1)];
    writeAll(fd, remaining, position + written, done);
  });
}
