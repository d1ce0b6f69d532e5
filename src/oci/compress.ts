/**
 * How layer blobs are compressed. One place, because the settings are part of every cached layer's key:
 * other settings give other bytes, hence other blob digests.
 *
 * gzip level 6 deflated block-parallel and content-aware (src/oci/pgzip.ts): 512 KiB blocks, large
 * enough that each threadpool task and each block's dictionary (a zlib stream of its own) are worth
 * their overhead (the benchmark's cold build: 256 KiB 3.66 s, 512 KiB 3.45 s, 1 MiB 3.45 s and +5 MB;
 * 4 interleaved runs each); 8 KiB units whose collision entropy is at
 * least 7.8 bits per byte are stored without deflating (uniformly random 8 KiB scores ~7.96; text,
 * code, zeros and float arrays score far lower, and a unit of random bytes with a few hundred bytes
 * of text in it still counts as random, losing at most a few hundred bytes). Within ~1% of
 * `gzip -6`'s size on compressible input. A block's first run is primed with the 32 KiB before it
 * when those were deflated too; a run after stored units is not (random bytes hold nothing to match),
 * which lets it go to a reused zlib stream ("-dd": dictionaries after deflated input only). The block
 * size, unit, threshold and that rule shape the bytes, so they are part of the name that keys the cache.
 */
import type { Transform } from 'node:stream';
import type { ChunkPool } from './chunk-pool.js';
import { GzipFileWriter, ParallelGzip, UNIT, type ParallelGzipOptions } from './pgzip.js';

/** The compression every layer is written with; `name` keys the cache's diff_id → blob records. */
export const COMPRESSION = {
  name: 'gzip-6-pz512k-st8k78-dd',
  level: 6,
  blockSize: 512 * 1024,
  unit: UNIT,
  storedEntropy: 7.8,
} as const;

const OPTIONS: ParallelGzipOptions = { level: COMPRESSION.level, blockSize: COMPRESSION.blockSize, storedEntropy: COMPRESSION.storedEntropy };

/** A stream that turns a layer tar into its blob bytes. */
export function createLayerCompressor(): Transform {
  return new ParallelGzip(OPTIONS);
}

/**
 * A Writable that turns a layer tar into its blob at `path`, hashing the blob as it writes it
 * (`digest()` and `bytes` once finished): the same bytes as createLayerCompressor, with less memory
 * (no copies of the stored parts, buffers reused once written). `pool`: see GzipFileWriter.
 */
export function createLayerBlobWriter(path: string, pool?: ChunkPool): GzipFileWriter {
  return new GzipFileWriter(path, OPTIONS, pool);
}
