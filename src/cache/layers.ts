/**
 * Two small records in the cache directory that let an unchanged layer cost no reads at all:
 *
 * - the layer key cache: a layer's canonical entries (paths, modes, owners, sizes, sha256s, link
 *   targets, generated contents), its mtime and the tar writer's version hash to a key, and the key maps
 *   to the tar's diff_id and size. When the stat cache vouches for every file's sha256, `plan` takes the
 *   diff_id from here instead of streaming the tar again.
 * - blob trust: when a blob of the cache was verified (or written by us), its size, inode and mtime
 *   are recorded; while they still match, apply links the blob into the layout without reading it
 *   again. Anything that rewrites the blob moves its mtime (and a replaced blob has a new inode).
 *
 * Both are written whole (temporary name, then rename). A record that cannot be read is a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entry } from '../../generated/plan.js';
import { digestHex, isDigest } from '../oci/digest.js';

/**
 * The version of the tar layerTar writes (header fields, padding, tar-stream's output). Bump it when
 * the same entries could give other tar bytes: every recorded key then misses.
 */
export const LAYER_TAR_VERSION = 'layerTar/1 tar-stream/3';

/**
 * The key of a layer: sha256 of its entries as the tar will hold them, its mtime and the tar writer's
 * version. Undefined when a copied file's sha256 or size is not known. Streams into the hash (no
 * string of the whole list). Pure.
 */
export function layerKey(entries: Entry[], mtime: number): string | undefined {
  const h = createHash('sha256');
  h.update(`${LAYER_TAR_VERSION}\0${mtime}\0`);
  // One line per entry, handed to the hash some hundred lines at a time (the same bytes as line by line).
  let batch = '';
  for (const e of entries) {
    if (e.type === 'file' && e.content === undefined && (e.sha256 === undefined || e.size === undefined)) return undefined;
    const content = e.content === undefined ? '' : createHash('sha256').update(e.content, 'utf8').digest('hex');
    // The JSON text of [path, type, mode, uid, gid, size, sha256, target, content]: one native call
    // per entry costs a plan's one pass over 10,000 entries (run before the JIT has warmed up) less
    // than quoting each field in JavaScript.
    batch += `${JSON.stringify([e.path, e.type, e.mode, e.uid ?? 0, e.gid ?? 0, e.size ?? 0, e.sha256 ?? '', e.target ?? '', content])}\n`;
    if (batch.length >= 65536) {
      h.update(batch);
      batch = '';
    }
  }
  h.update(batch);
  return h.digest('hex');
}

/** What a layer key maps to. */
export interface LayerKeyRecord {
  diffId: string;
  size: number;
}

async function writeWhole(dir: string, name: string, text: string): Promise<void> {
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, text);
    await rename(tmp, join(dir, name));
  } catch {
    // A record that cannot be written is a slower next build, not a failed one.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** The diff_id and size recorded for a layer key. */
export async function readLayerKey(cacheRoot: string, key: string): Promise<LayerKeyRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(join(cacheRoot, 'layer-keys', `${key}.json`), 'utf8')) as LayerKeyRecord;
    return isDigest(r.diffId) && Number.isSafeInteger(r.size) ? { diffId: r.diffId, size: r.size } : undefined;
  } catch {
    return undefined;
  }
}

export async function writeLayerKey(cacheRoot: string, key: string, record: LayerKeyRecord): Promise<void> {
  await writeWhole(join(cacheRoot, 'layer-keys'), `${key}.json`, JSON.stringify({ diffId: record.diffId, size: record.size }));
}

interface TrustRecord {
  size: number;
  ino: string;
  mtimeNs: string;
}

function trustDir(cacheRoot: string): string {
  return join(cacheRoot, 'trusted');
}

/**
 * Records that the blob at `blobPath` (named `digest`) holds the right bytes: marks it used now (for
 * the cache's LRU eviction) and notes its size, inode and the mtime that gives it.
 */
export async function writeBlobTrust(cacheRoot: string, blobPath: string, digest: string): Promise<void> {
  try {
    const now = new Date();
    await utimes(blobPath, now, now);
    const st = await stat(blobPath, { bigint: true });
    const record: TrustRecord = { size: Number(st.size), ino: String(st.ino), mtimeNs: String(st.mtimeNs) };
    await writeWhole(trustDir(cacheRoot), `${digestHex(digest)}.json`, JSON.stringify(record));
  } catch {
    // Not recorded: the next use verifies the blob by reading it.
  }
}

/** Whether the blob is as it was when last verified: same size, inode and mtime. */
export async function readBlobTrusted(cacheRoot: string, blobPath: string, digest: string, size: number): Promise<boolean> {
  try {
    const r = JSON.parse(await readFile(join(trustDir(cacheRoot), `${digestHex(digest)}.json`), 'utf8')) as TrustRecord;
    const st = await stat(blobPath, { bigint: true });
    return r.size === size && Number(st.size) === size && r.ino === String(st.ino) && r.mtimeNs === String(st.mtimeNs);
  } catch {
    return false;
  }
}
