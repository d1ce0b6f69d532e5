/**
 * Parallel gzip (the pigz scheme), as a stream.
 *
 * Why: one zlib stream compresses on one core; a layer of a few hundred MB then takes longer than
 * everything else in a build. Here the input is cut into fixed-size blocks; each block is deflated
 * independently on the libuv threadpool, primed with the previous 32 KiB of input as its dictionary
 * (so matches across the cut are still found), and ended with a sync flush, which leaves the deflate
 * stream byte-aligned so the blocks can simply be concatenated; the last block ends with Z_FINISH.
 * One gzip header (written here: MTIME 0, OS 255) and one trailer (CRC-32 computed in input order,
 * ISIZE) wrap the whole.
 *
 * Reproducibility: block boundaries sit at fixed input offsets (multiples of `blockSize`), and each
 * block's bytes depend only on its own input, its dictionary and the level, so the output is a pure
 * function of the input bytes and the settings: the same whatever the thread count, the chunking of
 * the input stream or the order in which blocks finish (outputs are emitted in input order).
 *
 * Content-aware: a block whose deflate output is not smaller than storing it goes out as deflate
 * stored blocks (BTYPE 00, at most 65535 bytes each) written here; the decision depends only on the
 * block's bytes.
 *
 * Memory: at most `maxInFlight` blocks are being deflated or waiting to be emitted; the writable side
 * holds back its callback until a slot frees, which gives backpressure to the tar producer.
 */
import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { constants as zc, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

/** The deflate window: each block's dictionary is this much of the input just before it. */
const WINDOW = 32 * 1024;
/** The largest payload of one deflate stored block (LEN is 16 bits). */
const STORED_MAX = 65_535;

export interface ParallelGzipOptions {
  /** zlib level, 1–9 (0 is refused: use stored blocks of a real format instead). */
  level: number;
  /** Input bytes per independently deflated block; at least 32 KiB. */
  blockSize: number;
  /** Blocks being deflated or awaiting output at once; default 2 × available cores. */
  maxInFlight?: number;
}

interface Job {
  done: boolean;
  out?: Buffer;
  /** The block's input buffer: reused once the next block (whose dictionary it holds) is done too. */
  input: Buffer;
}

/** The 10-byte gzip member header: deflate, no flags, MTIME 0, XFL by level (as gzip sets it), OS 255 (unknown). */
export function gzipHeader(level: number): Buffer {
  const xfl = level >= 9 ? 2 : level === 1 ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, xfl, 0xff]);
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

function deflateBlock(data: Buffer, options: ZlibOptions): Promise<Buffer> {
  return new Promise((ok, fail) => deflateRaw(data, options, (err, out) => (err ? fail(err) : ok(out))));
}

/** A Transform from bytes to one gzip member, deflated block-parallel. See the module comment. */
export class ParallelGzip extends Transform {
  readonly #level: number;
  readonly #blockSize: number;
  readonly #maxInFlight: number;
  /** The block being filled, and how much of it is filled. */
  #block: Buffer;
  #filled = 0;
  /** The last WINDOW bytes of the previous block (the next block's dictionary); empty for the first. */
  #dictionary: Buffer = Buffer.alloc(0);
  /**
   * Block buffers to reuse. Pooling them matters for memory: a fresh buffer per block leaves
   * hundreds of KB of garbage per block outside the JS heap, which V8 collects late.
   */
  readonly #pool: Buffer[] = [];
  /** The input buffer of the last emitted block: the dictionary of the next, so not reusable yet. */
  #lastEmitted: Buffer | undefined;
  #crc = 0;
  #size = 0;
  /** Blocks in input order, deflating or waiting for their predecessors to be emitted. */
  readonly #jobs: Job[] = [];
  /** A write waiting for a free slot: the rest of its chunk and its callback. */
  #waiting: { chunk: Buffer; offset: number; callback: TransformCallback } | undefined;
  #flushed: TransformCallback | undefined;
  #failed = false;

  constructor(options: ParallelGzipOptions) {
    super();
    if (!Number.isInteger(options.level) || options.level < 1 || options.level > 9) throw new RangeError(`gzip level ${options.level}: expected 1-9`);
    if (!Number.isInteger(options.blockSize) || options.blockSize < WINDOW) throw new RangeError(`block size ${options.blockSize}: expected at least ${WINDOW}`);
    this.#level = options.level;
    this.#blockSize = options.blockSize;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 2 * availableParallelism());
    this.#block = Buffer.allocUnsafe(this.#blockSize);
    this.push(gzipHeader(this.#level));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#crc = crc32(chunk, this.#crc);
    this.#size += chunk.length;
    this.#consume(chunk, 0, callback);
  }

  /** Copies `chunk` from `offset` into blocks, dispatching each full one; pauses when no slot is free. */
  #consume(chunk: Buffer, offset: number, callback: TransformCallback): void {
    while (offset < chunk.length) {
      if (this.#filled === this.#blockSize) {
        if (this.#jobs.length >= this.#maxInFlight) {
          this.#waiting = { chunk, offset, callback };
          return;
        }
        this.#dispatch(false);
      }
      const n = chunk.copy(this.#block, this.#filled, offset, Math.min(chunk.length, offset + this.#blockSize - this.#filled));
      this.#filled += n;
      offset += n;
    }
    callback();
  }

  /**
   * Sends the current block to the threadpool. A full block is dispatched only when more input
   * arrives (or at the end, as the last block), so the last block is never empty unless the input is.
   */
  #dispatch(last: boolean): void {
    const data = this.#block.subarray(0, this.#filled);
    const job: Job = { done: false, input: this.#block };
    this.#jobs.push(job);
    const options: ZlibOptions = {
      level: this.#level,
      strategy: zc.Z_DEFAULT_STRATEGY,
      finishFlush: last ? zc.Z_FINISH : zc.Z_SYNC_FLUSH,
      // Large enough that zlib returns each block's output in one piece.
      chunkSize: Math.max(64 * 1024, data.length + (data.length >>> 3) + 1024),
    };
    if (this.#dictionary.length) options.dictionary = this.#dictionary;
    deflateBlock(data, options).then(
      (deflated) => {
        // Stored when deflate did not shrink the block; the sizes depend on the bytes alone.
        const stored = data.length + 5 * Math.max(1, Math.ceil(data.length / STORED_MAX));
        job.out = deflated.length < stored ? deflated : storedBlocks(data, last);
        job.done = true;
        this.#emitReady();
      },
      (err: Error) => {
        this.#failed = true;
        this.destroy(err);
      },
    );
    if (!last) {
      this.#dictionary = data.subarray(data.length - WINDOW);
      this.#block = this.#pool.pop() ?? Buffer.allocUnsafe(this.#blockSize);
      this.#filled = 0;
    }
  }

  /** Pushes finished blocks in input order, then resumes a waiting write or finishes the stream. */
  #emitReady(): void {
    if (this.#failed || this.destroyed) return;
    while (this.#jobs.length && this.#jobs[0]!.done) {
      const job = this.#jobs.shift()!;
      this.push(job.out);
      // This block is done, so is the one before it, whose tail was this block's dictionary.
      if (this.#lastEmitted) this.#pool.push(this.#lastEmitted);
      this.#lastEmitted = job.input;
    }
    if (this.#waiting && this.#jobs.length < this.#maxInFlight) {
      const { chunk, offset, callback } = this.#waiting;
      this.#waiting = undefined;
      this.#consume(chunk, offset, callback);
    }
    if (this.#flushed && this.#jobs.length === 0) {
      const trailer = Buffer.allocUnsafe(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#size % 2 ** 32, 4);
      const done = this.#flushed;
      this.#flushed = undefined;
      done(null, trailer);
    }
  }

  override _flush(callback: TransformCallback): void {
    this.#flushed = callback;
    this.#dispatch(true);
  }
}
