import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigError } from '../errors.js';
import { isLiveProcess, tryAcquireLock } from '../lock.js';
import { digestHex, HashCounter, isDigest } from '../oci/digest.js';

/** Default size bound of the cache; least recently used blobs go first when it is exceeded. */
export const DEFAULT_CACHE_MAX_BYTES = 4 * 1024 ** 3;

/** Blobs used this recently are not evicted: another build may be about to link the blob it looked up. */
const IN_USE_MS = 5 * 60_000;

/** How often eviction also lists the bytecode/ and derived/ stores (see derivedFilesToSweep). */
const SWEEP_DERIVED_MS = 24 * 3600_000;

/** A temporary name owned by this process (the pid tells others whether its writer still runs). */
function ownTemp(dir: string, prefix = '.tmp-'): string {
  return join(dir, `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * The cache directory a flag or key names, checked: created when missing; a file, or a path that cannot
 * be a directory, is an input error naming `source` (the flag or key) rather than a cache silently
 * not used.
 */
export async function openBlobCache(root: string, source: string, maxBytes?: number): Promise<BlobCache> {
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw new ConfigError('E_CACHE_DIR', `${source} ${root} is not a directory; name a directory (it is created when missing) or pass --no-cache`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    try {
      await mkdir(root, { recursive: true });
    } catch (mkdirErr) {
      const code = (mkdirErr as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError('E_CACHE_DIR', `${source} ${root} cannot be created (${code}); name a writable directory or pass --no-cache`);
    }
  }
  return new BlobCache(root, maxBytes);
}

/** $XDG_CACHE_HOME/pycontainer, else ~/.cache/pycontainer. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'pycontainer');
}

/** What a cached built layer maps to: the compressed blob with this diff_id and compression. */
export interface LayerRecord {
  diffId: string;
  compression: string;
  digest: string;
  size: number;
}

/**
 * A content-addressed store shared by builds: blobs by sha256 (pulled base blobs and built layers),
 * and records mapping a layer's diff_id plus compression settings to its blob. Everything is written
 * to a temporary name of its writer's process and renamed, so concurrent builds see whole entries or
 * none; blobs are verified against their names when read. Eviction runs under the cache's lock (one
 * evicting process at a time), never removes a live process's temporary files, and leaves blobs used in
 * the last minutes alone.
 */
export class BlobCache {
  constructor(
    readonly root: string,
    readonly maxBytes = DEFAULT_CACHE_MAX_BYTES,
  ) {}

  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  private recordPath(diffId: string, compression: string): string {
    return join(this.root, 'layers', `${digestHex(diffId)}.${compression.replace(/[^a-z0-9-]/gi, '_')}.json`);
  }

  /** The blob for a layer, when one was built before and is still present. */
  async lookupLayer(diffId: string, compression: string): Promise<LayerRecord | undefined> {
    try {
      const record = JSON.parse(await readFile(this.recordPath(diffId, compression), 'utf8')) as LayerRecord;
      if (record.diffId !== diffId || !isDigest(record.digest)) return undefined;
      const st = await stat(this.blobPath(record.digest));
      if (st.size !== record.size) return undefined;
      return record;
    } catch {
      return undefined;
    }
  }

  /** Writes a record whole (temporary name, then rename): a concurrent reader sees the old record, the new one or none. */
  async recordLayer(record: LayerRecord): Promise<void> {
    const path = this.recordPath(record.diffId, record.compression);
    await mkdir(join(this.root, 'layers'), { recursive: true });
    const tmp = ownTemp(join(this.root, 'layers'));
    try {
      await writeFile(tmp, JSON.stringify(record));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async has(digest: string, size?: number): Promise<boolean> {
    try {
      const st = await stat(this.blobPath(digest));
      return size === undefined || st.size === size;
    } catch {
      return false;
    }
  }

  /**
   * Opens a cached blob for reading and marks it used (for LRU eviction). The reader must verify the
   * bytes (pipe through a HashCounter): a damaged cache entry then fails the build instead of
   * corrupting an image, and is removed.
   */
  async open(digest: string): Promise<Readable> {
    const path = this.blobPath(digest);
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return createReadStream(path);
  }

  async discard(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  /** Stores a stream under its digest (checked) and returns digest and size. */
  async put(source: Readable, expected?: string): Promise<{ digest: string; size: number }> {
    const dir = join(this.root, 'blobs', 'sha256');
    await mkdir(dir, { recursive: true });
    const tmp = ownTemp(dir);
    const counter = new HashCounter();
    try {
      await pipeline(source, counter, createWriteStream(tmp));
      const digest = counter.digest();
      if (expected && digest !== expected) throw new Error(`cache: expected ${expected}, got ${digest}`);
      await rename(tmp, this.blobPath(digest));
      return { digest, size: counter.bytes };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Adopts a complete file written elsewhere on the same file system (a hard link would do too). */
  async adopt(tmpFile: string, digest: string): Promise<void> {
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
    await rename(tmpFile, this.blobPath(digest));
  }

  /**
   * Evicts least recently used blobs (and, once a day, bytecode and derived results) until the cache
   * fits its bound (records of evicted blobs miss on lookup). Skipped when another process is evicting.
   */
  async evict(): Promise<void> {
    const dir = join(this.root, 'blobs', 'sha256');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    const lock = await tryAcquireLock(join(this.root, '.evict.pycontainer-lock'));
    if (!lock) return;
    try {
      await this.evictLocked(dir, names);
    } finally {
      await lock.release();
    }
  }

  private async evictLocked(dir: string, names: string[]): Promise<void> {
    const entries: { path: string; size: number; used: number }[] = [];
    let total = 0;
    const consider = async (path: string, name: string): Promise<void> => {
      const st = await stat(path).catch(() => undefined);
      if (!st?.isFile()) return;
      // Temp files of killed builds are garbage; a live process's are not, however old.
      if (name.startsWith('.tmp-')) {
        const pid = Number(/^\.tmp-(\d+)-/.exec(name)?.[1]);
        const dead = Number.isInteger(pid) ? !isLiveProcess(pid) : Date.now() - st.mtimeMs > 3600_000;
        if (dead) await rm(path, { force: true });
        return;
      }
      total += st.size;
      if (Date.now() - st.mtimeMs >= IN_USE_MS) entries.push({ path, size: st.size, used: st.mtimeMs });
    };
    for (const name of names) await consider(join(dir, name), name);
    for (const { path, name } of await this.derivedFilesToSweep()) await consider(path, name);
    entries.sort((a, b) => a.used - b.used);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      await rm(entry.path, { force: true });
      total -= entry.size;
    }
  }

  /**
   * The files of the stores derived from inputs (compiled bytecode, derived/ results), which share the
   * size bound with the blobs: one file per module or result, so listing them costs a stat each (tens
   * of thousands for a large dependency set). They are swept at most once a day (the mtime of
   * `.evict-swept` says when), not at every build. They are not marked on use: among them, the least
   * recently written go first, and anything evicted is only computed again. Empty when not due.
   */
  private async derivedFilesToSweep(): Promise<{ path: string; name: string }[]> {
    const stamp = join(this.root, '.evict-swept');
    const last = await stat(stamp).then((s) => s.mtimeMs, () => 0);
    if (Date.now() - last < SWEEP_DERIVED_MS) return [];
    await writeFile(stamp, '').catch(() => undefined);
    const files: { path: string; name: string }[] = [];
    for (const store of ['bytecode', 'derived']) {
      const top = join(this.root, store);
      for (const sub of await readdir(top).catch(() => [] as string[])) {
        for (const name of await readdir(join(top, sub)).catch(() => [] as string[])) files.push({ path: join(top, sub, name), name });
      }
    }
    return files;
  }
}

/**
 * A cache that a run which must write nothing (`--dry-run`) reads through: what the cache at `source`
 * holds is read from there (without marking it used), what the run would store goes to a scratch
 * directory of its own outside the cache, which `close()` removes. The cache itself is not created,
 * touched or locked.
 */
export class ReadOnlyBlobCache extends BlobCache {
  private constructor(
    scratch: string,
    private readonly source: BlobCache,
  ) {
    super(scratch);
  }

  /** A read-through view of the cache at `root` (which need not exist). */
  static async over(root: string): Promise<ReadOnlyBlobCache> {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    return new ReadOnlyBlobCache(await mkdtemp(join(tmpdir(), 'pycontainer-dry-run-')), new BlobCache(root));
  }

  /** The cache's file when it has the blob, else the scratch one (where put() stores it). */
  override blobPath(digest: string): string {
    const own = super.blobPath(digest);
    const cached = this.source.blobPath(digest);
    return !existsSync(own) && existsSync(cached) ? cached : own;
  }

  override async lookupLayer(diffId: string, compression: string): Promise<LayerRecord | undefined> {
    return (await super.lookupLayer(diffId, compression)) ?? this.source.lookupLayer(diffId, compression);
  }

  override async has(digest: string, size?: number): Promise<boolean> {
    return (await super.has(digest, size)) || this.source.has(digest, size);
  }

  override async open(digest: string): Promise<Readable> {
    return createReadStream(this.blobPath(digest));
  }

  override async discard(digest: string): Promise<void> {
    await rm(super.blobPath(digest), { force: true });
  }

  override async evict(): Promise<void> {}

  /** Removes the scratch directory. */
  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
