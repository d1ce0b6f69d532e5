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
 * Memory: at most `maxInFlight` blocks are being deflated or waiting to be emitted; the writable side
 * holds back its callback until a slot frees, which gives backpressure to the tar producer. Block
 * buffers are pooled (each holds the 32 KiB before the block too, so no block waits for another).
 */
import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { constants as zc, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

/** The deflate window: each run's dictionary is this much of the input just before it. */
const WINDOW = 32 * 1024;
/** The largest payload of one deflate stored block (LEN is 16 bits). */
const STORED_MAX = 65_535;
/** Bytes per unit of the incompressibility test; block sizes are multiples of it. */
export const UNIT = 8 * 1024;
/** Fewer bytes than this say too little about their distribution: they are deflated. */
const MIN_TESTED = 1024;

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
  /** Blocks being deflated or awaiting output at once; default 2 × available cores. */
  maxInFlight?: number;
}

/** A stretch of one block: deflated or stored. Offsets are into the block's buffer. */
interface Run {
  start: number;
  end: number;
  deflate: boolean;
}

interface Job {
  /** The output of each run, in order, once known. */
  out: (Buffer | undefined)[];
  pending: number;
  /** The block's buffer, returned to the pool once the block is emitted. */
  buffer: Buffer;
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

const counts = new Int32Array(256);

/**
 * Whether `data[start, end)` looks incompressible: its collision (Rényi-2) entropy, −log2 Σ p², is at
 * least `bits` per byte. Σ p² is the chance that two bytes drawn from the unit are equal; for
 * uniformly random bytes it is 1/256 (plus 255/(256·n) from the finite sample); any skew of the byte
 * distribution — text, zeros, the exponent bytes of floats — raises it. Collision entropy is never
 * above Shannon entropy, so the test errs towards deflating. Integer arithmetic, so the verdict is
 * the same on every machine. It sees byte frequencies only: repeats of random bytes (a random block
 * written twice) are matches deflate would find and this test does not.
 */
export function looksIncompressible(data: Buffer, start: number, end: number, bits: number): boolean {
  const n = end - start;
  if (n < MIN_TESTED) return false;
  counts.fill(0);
  let i = start;
  // Four bytes per read where the buffer allows aligned 32-bit reads: about four times faster.
  if ((data.byteOffset + i) % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset + i, (end - i) >>> 2);
    for (let w = 0; w < words.length; w++) {
      const v = words[w]!;
      counts[v & 255]!++;
      counts[(v >>> 8) & 255]!++;
      counts[(v >>> 16) & 255]!++;
      counts[v >>> 24]!++;
    }
    i += words.length * 4;
  }
  for (; i < end; i++) counts[data[i]!]!++;
  let sumSquares = 0;
  for (let k = 0; k < 256; k++) sumSquares += counts[k]! * counts[k]!;
  // −log2(Σc²/n²) ≥ bits  ⇔  Σc² · 2^bits ≤ n²; both sides are exact in doubles (n ≤ 2^26).
  return sumSquares * 2 ** bits <= n * n;
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

function deflateBlock(data: Buffer, options: ZlibOptions): Promise<Buffer> {
  return new Promise((ok, fail) => deflateRaw(data, options, (err, out) => (err ? fail(err) : ok(out))));
}

/** A Transform from bytes to one gzip member, deflated block-parallel. See the module comment. */
export class ParallelGzip extends Transform {
  readonly #level: number;
  readonly #blockSize: number;
  readonly #storedEntropy: number | undefined;
  readonly #maxInFlight: number;
  /**
   * The block being filled: WINDOW bytes of the input before it (none for the first block), then
   * the block's own bytes from offset WINDOW, `#filled` of them so far.
   */
  #block: Buffer;
  #filled = 0;
  #first = true;
  /**
   * Block buffers to reuse. Pooling them matters for memory: a fresh buffer per block leaves
   * hundreds of KB of garbage per block outside the JS heap, which V8 collects late.
   */
  readonly #pool: Buffer[] = [];
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
    if (!Number.isInteger(options.blockSize) || options.blockSize < WINDOW || options.blockSize % UNIT) {
      throw new RangeError(`block size ${options.blockSize}: expected a multiple of ${UNIT}, at least ${WINDOW}`);
    }
    if (options.storedEntropy !== undefined && !(options.storedEntropy > 0 && options.storedEntropy <= 8)) {
      throw new RangeError(`stored entropy ${options.storedEntropy}: expected more than 0 and at most 8 bits per byte`);
    }
    this.#level = options.level;
    this.#blockSize = options.blockSize;
    this.#storedEntropy = options.storedEntropy;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 2 * availableParallelism());
    this.#block = this.#newBuffer();
    this.push(gzipHeader(this.#level));
  }

  /** Its own ArrayBuffer, so unit offsets are 4-byte aligned for the word-wise histogram. */
  #newBuffer(): Buffer {
    return this.#pool.pop() ?? Buffer.allocUnsafeSlow(WINDOW + this.#blockSize);
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
    const dictionaryFloor = this.#first ? WINDOW : 0;
    const job: Job = { out: new Array<Buffer | undefined>(runs.length), pending: 0, buffer };
    this.#jobs.push(job);
    runs.forEach((run, i) => {
      const final = last && i === runs.length - 1;
      const data = buffer.subarray(run.start, run.end);
      if (!run.deflate) {
        job.out[i] = storedBlocks(data, final);
        return;
      }
      job.pending++;
      const options: ZlibOptions = {
        level: this.#level,
        strategy: zc.Z_DEFAULT_STRATEGY,
        finishFlush: final ? zc.Z_FINISH : zc.Z_SYNC_FLUSH,
        // Large enough that zlib returns each run's output in one piece.
        chunkSize: Math.max(64 * 1024, data.length + (data.length >>> 3) + 1024),
      };
      const dictionaryStart = Math.max(dictionaryFloor, run.start - WINDOW);
      if (dictionaryStart < run.start) options.dictionary = buffer.subarray(dictionaryStart, run.start);
      deflateBlock(data, options).then(
        (deflated) => {
          // Stored when deflate did not shrink the run; the sizes depend on the bytes alone.
          const stored = data.length + 5 * Math.max(1, Math.ceil(data.length / STORED_MAX));
          job.out[i] = deflated.length < stored ? deflated : storedBlocks(data, final);
          if (--job.pending === 0) this.#emitReady();
        },
        (err: Error) => {
          this.#failed = true;
          this.destroy(err);
        },
      );
    });
    if (!last) {
      // The next block starts with this block's last WINDOW bytes: its dictionary, copied now so
      // this buffer is free as soon as its own block is emitted.
      const next = this.#newBuffer();
      buffer.copy(next, 0, end - WINDOW, end);
      this.#block = next;
      this.#filled = 0;
      this.#first = false;
    }
    if (job.pending === 0) this.#emitReady();
  }

  /** Pushes finished blocks in input order, then resumes a waiting write or finishes the stream. */
  #emitReady(): void {
    if (this.#failed || this.destroyed) return;
    while (this.#jobs.length && this.#jobs[0]!.pending === 0) {
      const job = this.#jobs.shift()!;
      for (const out of job.out) this.push(out);
      this.#pool.push(job.buffer);
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
