/**
 * An HTTP cache for index pages in the cache directory, so that a warm re-plan asks the index only
 * what it must: a page still fresh by its `Cache-Control: max-age` is not requested at all; a stale one
 * is revalidated with `If-None-Match` / `If-Modified-Since`, and a 304 costs no body. Entries are keyed
 * by the URL without credentials and the Accept header; request headers (Authorization) are never
 * stored. `no-store` responses are not kept. One JSON file per entry, written whole (temporary name,
 * then rename), so concurrent plans see an old entry, a new one or none.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../plan/file.js';

export interface CachedResponse {
  url: string;
  contentType: string;
  body: string;
  etag?: string;
  lastModified?: string;
  /** Milliseconds since the epoch until which the entry is fresh (no request needed). */
  freshUntil: number;
}

/** What a lookup says: fresh (use it), stale (revalidate with these headers), or nothing. */
export type CacheLookup = { state: 'fresh'; response: CachedResponse } | { state: 'stale'; response: CachedResponse; headers: Record<string, string> } | { state: 'miss' };

export interface HttpCacheStats {
  fresh: number;
  revalidated: number;
  fetched: number;
}

export class HttpCache {
  readonly stats: HttpCacheStats = { fresh: 0, revalidated: 0, fetched: 0 };
  private readonly memory = new Map<string, CachedResponse>();

  /** `dir`: where entries live on disk; undefined keeps them in memory only (--no-cache). */
  constructor(
    readonly dir: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  private key(url: string, accept: string): string {
    return createHash('sha256').update(`${url}\n${accept}`).digest('hex');
  }

  async lookup(url: string, accept: string): Promise<CacheLookup> {
    const key = this.key(url, accept);
    let entry = this.memory.get(key);
    if (!entry && this.dir) {
      try {
        entry = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as CachedResponse;
      } catch {
        entry = undefined;
      }
    }
    if (!entry || entry.url !== url) return { state: 'miss' };
    if (entry.freshUntil > this.now()) return { state: 'fresh', response: entry };
    const headers: Record<string, string> = {};
    if (entry.etag) headers['if-none-match'] = entry.etag;
    if (entry.lastModified) headers['if-modified-since'] = entry.lastModified;
    if (Object.keys(headers).length === 0) return { state: 'miss' };
    return { state: 'stale', response: entry, headers };
  }

  /** Stores a 200 response (unless `no-store`); returns it as cached. */
  async store(url: string, accept: string, response: Omit<CachedResponse, 'freshUntil' | 'etag' | 'lastModified'>, headers: Record<string, unknown>): Promise<void> {
    const cacheControl = headerText(headers['cache-control']);
    if (/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl)) return;
    const entry: CachedResponse = { ...response, freshUntil: this.now() + maxAgeMs(cacheControl) };
    const etag = headerText(headers.etag);
    const lastModified = headerText(headers['last-modified']);
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    await this.save(url, accept, entry);
  }

  /** A 304: the cached body stands, with the freshness the new headers give. */
  async refresh(url: string, accept: string, entry: CachedResponse, headers: Record<string, unknown>): Promise<void> {
    const cacheControl = headerText(headers['cache-control']);
    const next: CachedResponse = { ...entry, freshUntil: this.now() + maxAgeMs(cacheControl) };
    const etag = headerText(headers.etag);
    if (etag) next.etag = etag;
    await this.save(url, accept, next);
  }

  private async save(url: string, accept: string, entry: CachedResponse): Promise<void> {
    const key = this.key(url, accept);
    this.memory.set(key, entry);
    if (this.dir) await writeFileAtomic(join(this.dir, `${key}.json`), JSON.stringify(entry)).catch(() => undefined);
  }
}

function headerText(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'string' ? v : '';
}

/** max-age in milliseconds (0 when absent, or with no-cache). */
export function maxAgeMs(cacheControl: string): number {
  if (/(^|,)\s*no-cache\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return m ? Number(m[1]) * 1000 : 0;
}
