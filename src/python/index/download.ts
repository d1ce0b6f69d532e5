import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../../plan/file.js';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StatCache, stampOf, stampSize, type FileStamp } from '../../cache/stat.js';
import { BlobCache } from '../../cache/store.js';
import { ConfigError, displayUrl, NetworkError } from '../../errors.js';
import { sha256OfStream } from '../../oci/digest.js';
import { isConnectionFailure, requestUrl } from '../../registry/http.js';
import { readDownloadAuthorization } from './auth.js';

/** A distribution file named by a lock: a URL to download or a local path, with its sha256. */
export interface FileToFetch {
  filename: string;
  url?: string;
  /** Absolute, or relative to `baseDir`. */
  path?: string;
  sha256: string;
  size?: number;
}

/**
 * Where verified distribution files are kept: the content-addressed cache (a wheel's sha256 is its
 * blob digest), or a temporary store for --no-cache that is removed by `close()`.
 */
export class DistributionStore {
  private constructor(
    private readonly cache: BlobCache,
    private readonly temporary: string | undefined,
    private readonly env: NodeJS.ProcessEnv,
    /**
     * Local distribution files (a lock's `path`) hashed before, by stat stamp (src/cache/stat.ts): one
     * that has not been touched since is not read again. A persistent cache's only.
     */
    private readonly local: StatCache,
  ) {}

  /** `env`: for NETRC and HOME (download credentials). Default: process.env. */
  static async open(cache: BlobCache | undefined, options: { env?: NodeJS.ProcessEnv } = {}): Promise<DistributionStore> {
    const env = options.env ?? process.env;
    if (cache) return new DistributionStore(cache, undefined, env, await StatCache.read(cache.root, LOCAL_FILES));
    const dir = await mkdtemp(join(tmpdir(), 'pycontainer-dists-'));
    return new DistributionStore(new BlobCache(dir), dir, env, StatCache.inMemory());
  }

  /** How many local files the stat cache vouched for, unread (tests). */
  get vouched(): number {
    return this.local.hits;
  }

  /** Adds a local file (a wheel built here) to the store; returns where it is and its digest. */
  async add(file: string): Promise<{ file: string; sha256: string; size: number }> {
    const { digest, size } = await this.cache.put(createReadStream(file));
    return { file: this.cache.blobPath(digest), sha256: digest.slice(7), size };
  }

  /** Adds bytes made here (a workspace member's wheel); returns the stored file. */
  async addBytes(data: Buffer): Promise<string> {
    const { Readable } = await import('node:stream');
    const { digest } = await this.cache.put(Readable.from([data]));
    return this.cache.blobPath(digest);
  }

  /** The wheel built before from the sdist with this sha256 (cached by the sdist's digest). */
  async builtFrom(sdistSha256: string): Promise<{ filename: string; sha256: string; size: number; file: string } | undefined> {
    try {
      const record = JSON.parse(await readFile(join(this.cache.root, 'built', `${sdistSha256}.json`), 'utf8')) as { filename: string; sha256: string; size: number };
      if (!(await this.cache.has(`sha256:${record.sha256}`, record.size))) return undefined;
      return { ...record, file: this.cache.blobPath(`sha256:${record.sha256}`) };
    } catch {
      return undefined;
    }
  }

  async recordBuilt(sdistSha256: string, wheel: { filename: string; sha256: string; size: number }): Promise<void> {
    await writeFileAtomic(join(this.cache.root, 'built', `${sdistSha256}.json`), JSON.stringify(wheel));
  }

  async close(): Promise<void> {
    await this.local.write();
    if (this.temporary) await rm(this.temporary, { recursive: true, force: true });
  }

  /**
   * The absolute path of the verified file: a local path is hashed where it is; a URL is downloaded
   * into the store unless the store has that sha256 already. A digest or size mismatch is an error
   * naming the file and what to do.
   */
  async fetch(file: FileToFetch, baseDir: string, authorization?: (url: string) => string | undefined): Promise<string> {
    if (file.path !== undefined) {
      const abs = isAbsolute(file.path) ? file.path : join(baseDir, file.path);
      // Stamped before it is read: a file changed while it is hashed has another stamp next time.
      let stamp: FileStamp | undefined;
      try {
        const st = await stat(abs, { bigint: true });
        if (st.isFile()) stamp = stampOf(st);
      } catch {
        // reported by the open below
      }
      if (stamp && this.local.lookup(abs, stamp) === file.sha256 && (file.size === undefined || stampSize(stamp) === file.size)) return abs;
      let stream: Readable;
      try {
        stream = createReadStream(abs);
        await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail));
      } catch {
        throw new ConfigError('E_DIST_MISSING', `${file.filename}: the lock names ${file.path}, which does not exist`);
      }
      await verify(stream, file);
      if (stamp) this.local.record(abs, stamp, file.sha256);
      return abs;
    }
    const digest = `sha256:${file.sha256}`;
    if (await this.cache.has(digest, file.size)) return this.cache.blobPath(digest);
    if (!file.url) throw new ConfigError('E_DIST_SOURCE', `${file.filename}: the lock gives neither a url nor a path`);
    // The index's credentials for files on its own origin (or netrc for the file's host).
    const auth = authorization ? authorization(file.url) : await readDownloadAuthorization(file.url, this.env);
    // A server failing (5xx, 429) or a connection that breaks, also halfway through the body, is tried
    // again a few times; what finally fails is a NetworkError (exit 69), never a hash mismatch.
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await download(file.url, file.filename, auth);
        try {
          await this.cache.put(body, digest);
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          if (isConnectionFailure(err)) throw new NetworkError('E_DIST_DOWNLOAD', `${displayUrl(file.url)}: the download of ${file.filename} broke off`, { cause: err });
          throw new ConfigError('E_DIST_HASH', `${file.filename}: downloaded bytes do not match the lock's sha256 ${file.sha256}; the index served another file, or the lock is wrong`, { cause: err });
        }
        return this.cache.blobPath(digest);
      } catch (err) {
        const retryable = err instanceof NetworkError && (err.code === 'E_DIST_DOWNLOAD' || isConnectionFailure(err.cause));
        if (!retryable || attempt >= DOWNLOAD_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, downloadBackoff(attempt)));
      }
    }
  }
}

/** The stat cache of local distribution files: absolute paths, so one for every project (not a directory). */
const LOCAL_FILES = '\0local distribution files';

/** Attempts per download (a server error or a broken connection). */
const DOWNLOAD_ATTEMPTS = 4;

/** Backoff from PYCONTAINER_RETRY_BASE_MS (default 500 ms), doubling, ±25% jitter. */
function downloadBackoff(attempt: number): number {
  const raw = process.env.PYCONTAINER_RETRY_BASE_MS;
  const base = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 500;
  return Math.round(base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
}

async function verify(stream: Readable, file: FileToFetch): Promise<void> {
  const { hex: got, size } = await sha256OfStream(stream);
  if (got !== file.sha256 || (file.size !== undefined && size !== file.size)) {
    throw new ConfigError('E_DIST_HASH', `${file.filename}: sha256 ${got} (${size} bytes) does not match the lock's ${file.sha256}; the file changed or the lock is wrong`);
  }
}

/**
 * A host that did not answer: NetworkError (exit 69) naming the host only (never user info, path
 * tokens or the query) and what was being done.
 */
export function unreachable(url: string, doing: string, cause: unknown): NetworkError {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    host = displayUrl(url);
  }
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new NetworkError('E_NETWORK', `could not reach ${host} (while ${doing})${code ? `: ${code}` : ''}`, { cause });
}

/** GETs a URL, following redirects; Authorization only to the URL's own origin (scheme, host, port). */
async function download(url: string, filename: string, authorization: string | undefined): Promise<Readable> {
  const first = new URL(url);
  const origin = first.origin;
  // Credentials in the URL are sent as a header (to this origin only), never as part of a request line.
  first.username = '';
  first.password = '';
  let current = first.toString();
  for (let hop = 0; hop < 6; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'pycontainer' };
    if (authorization && new URL(current).origin === origin) headers.authorization = authorization;
    let res;
    try {
      res = await requestUrl(current, { method: 'GET', headers, headersTimeout: 60_000, bodyTimeout: 300_000 });
    } catch (err) {
      throw unreachable(current, `downloading ${filename}`, err);
    }
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof res.headers.location === 'string') {
      await res.body.dump();
      const next = new URL(res.headers.location, current);
      next.username = '';
      next.password = '';
      current = next.toString();
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      const message = `${displayUrl(url)}: download failed with HTTP ${res.statusCode}`;
      // A server failing or throttling is worth retrying later (exit 69); a 4xx is a wrong URL or credentials.
      if (res.statusCode >= 500 || res.statusCode === 429) throw new NetworkError('E_DIST_DOWNLOAD', message);
      throw new ConfigError('E_DIST_DOWNLOAD', message);
    }
    return res.body as unknown as Readable;
  }
  throw new ConfigError('E_DIST_DOWNLOAD', `${displayUrl(url)}: too many redirects`);
}
