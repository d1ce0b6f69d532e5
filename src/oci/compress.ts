/**
 * How layer blobs are compressed. One place, because the settings are part of every cached layer's key:
 * other settings give other bytes, hence other blob digests.
 */
import type { Transform } from 'node:stream';
import { createGzip, constants as zlibConstants } from 'node:zlib';

/** The compression every layer is written with; `name` keys the cache's diff_id → blob records. */
export const COMPRESSION = { name: 'gzip-6', level: 6 } as const;

/** A stream that turns a layer tar into its blob bytes. */
export function createLayerCompressor(): Transform {
  return createGzip({ level: COMPRESSION.level, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
}
