/**
 * How layer blobs are compressed. One place, because the settings are part of every cached layer's key:
 * other settings give other bytes, hence other blob digests.
 *
 * gzip level 6 deflated block-parallel (src/oci/pgzip.ts) in blocks of 256 KiB: within ~1% of
 * `gzip -6`'s size on compressible input, and large enough that each threadpool task is worth its
 * overhead. The block size shapes the bytes, so it is part of the name that keys the cache.
 */
import type { Transform } from 'node:stream';
import { ParallelGzip } from './pgzip.js';

/** The compression every layer is written with; `name` keys the cache's diff_id → blob records. */
export const COMPRESSION = { name: 'gzip-6-pz256k', level: 6, blockSize: 256 * 1024 } as const;

/** A stream that turns a layer tar into its blob bytes. */
export function createLayerCompressor(): Transform {
  return new ParallelGzip({ level: COMPRESSION.level, blockSize: COMPRESSION.blockSize });
}
