/**
 * Read buffers lent to a layer's tar stream and given back by its last consumer.
 *
 * Why: reading a large file into a new buffer per chunk leaves every chunk to the garbage collector,
 * and the chunks that outlive two scavenges (a chunk waits for a free compression slot) wait for a
 * full collection, which V8 starts only once tens of MB of them have piled up: that pile was most of
 * the difference between a cold build's peak memory and what it holds live.
 *
 * How it stays safe: a buffer goes back to the pool only when the very view that was lent (same
 * memory, offset 0, same length) is given back, by a consumer that has copied its bytes and holds no
 * reference to it (the compressor, once the chunk is in its blocks; the hash-only sink). A stage that
 * split, copied or kept a chunk would give back something else or nothing, and the buffer is simply
 * not reused. Only a pipeline that hands each chunk, whole, to exactly one such consumer may share a
 * pool between its reader and that consumer.
 */
export class ChunkPool {
  readonly #free: Buffer[] = [];
  /**
   * Buffers lent out, by their memory: the whole buffer and the length of the view lent. Weak: one
   * never given back (a consumer that does not know the pool, a failed stream) is not kept alive.
   */
  readonly #lent = new WeakMap<ArrayBufferLike, { whole: Buffer; length: number }>();

  /**
   * @param size bytes per buffer
   * @param keep free buffers kept at most (more given back are left to the collector)
   */
  constructor(
    readonly size: number,
    private readonly keep = 8,
  ) {}

  /** A buffer of `size` bytes to read into (its old contents are garbage). */
  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** The first `length` bytes of `whole` (from take), as the view that is lent out. */
  lend(whole: Buffer, length: number): Buffer {
    this.#lent.set(whole.buffer, { whole, length });
    return whole.subarray(0, length);
  }

  /** Gives back a chunk its consumer is done with; anything but a view this pool lent is ignored. */
  give(chunk: Buffer): void {
    const lent = this.#lent.get(chunk.buffer);
    if (!lent || chunk.byteOffset !== lent.whole.byteOffset || chunk.length !== lent.length) return;
    this.#lent.delete(chunk.buffer);
    if (this.#free.length < this.keep) this.#free.push(lent.whole);
  }

  /** A buffer that was taken but not lent (a read that ended the file) goes straight back. */
  untake(whole: Buffer): void {
    if (this.#free.length < this.keep) this.#free.push(whole);
  }
}

/** Bytes per read of a large file (one over SMALL_FILE, src/oci/layer.ts) into a layer. */
export const LARGE_FILE_CHUNK = 256 * 1024;
