/**
 * A package index client: the simple repository API (PEP 691 JSON, falling back to PEP 503 HTML) and
 * pip's find-links (a local directory of distributions or an HTML page of links). Credentials come from
 * the URL's userinfo or ~/.netrc ($NETRC), are sent as Basic auth to the index's own origin only, and
 * never appear in returned URLs or in messages.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, NetworkError } from '../../errors.js';
import { requestUrl } from '../../registry/http.js';
import { unreachable } from './download.js';
import { parseNetrc, rememberIndexAuth, type NetrcEntry } from './auth.js';
import { sha256OfStream } from '../../oci/digest.js';
import { normalizeName, parseWheelFilename } from '../tags.js';
import type { HttpCache } from '../resolve/http-cache.js';

export { parseNetrc, type NetrcEntry } from './auth.js';

export interface IndexFile {
  filename: string;
  /** Absolute, without credentials (`file:` for a local find-links directory). */
  url: string;
  sha256?: string;
  size?: number;
  requiresPython?: string;
  yanked: boolean;
  /**
   * PEP 658/714: the index serves the file's core metadata at `<url>.metadata` (`data-core-metadata`,
   * `core-metadata` in JSON; the older `dist-info-metadata` spelling too), with its sha256 when stated.
   */
  coreMetadata?: { sha256?: string };
}

export interface IndexClient {
  files(name: string): Promise<IndexFile[]>;
}

/** Where a requirements file (or the caller) says to look for distributions. */
export interface IndexSources {
  /** Simple API roots, e.g. https://pypi.org/simple/ (may carry user:password@). */
  indexUrls: string[];
  /** Local directories (absolute or file: URLs) or URLs of HTML pages. */
  findLinks: string[];
  noIndex?: boolean;
}

export interface IndexClientOptions extends IndexSources {
  /** For NETRC and HOME (credentials). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Keeps index pages between runs (ETag / Last-Modified revalidation, max-age); default none. */
  httpCache?: HttpCache;
}

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';
const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

export function createIndexClient(opts: IndexClientOptions): IndexClient {
  return new SimpleIndexClient(opts);
}

interface Auth {
  origin: string;
  header: string;
}

/** The promise `map` holds for `key`, else `load()`'s, kept there unless it fails (then asked again next time). */
function memoized<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    p.catch(() => map.delete(key));
  }
  return p;
}

class SimpleIndexClient implements IndexClient {
  private readonly cache = new Map<string, Promise<IndexFile[]>>();
  private readonly pages = new Map<string, Promise<IndexFile[]>>();
  private netrc: Promise<NetrcEntry[]> | undefined;

  constructor(private readonly opts: IndexClientOptions) {}

  files(name: string): Promise<IndexFile[]> {
    const key = normalizeName(name);
    return memoized(this.cache, key, () => this.load(key));
  }

  private async load(name: string): Promise<IndexFile[]> {
    const lists: IndexFile[][] = [];
    if (!this.opts.noIndex) {
      for (const root of this.opts.indexUrls) lists.push(await this.project(root, name));
    }
    for (const link of this.opts.findLinks) {
      const all = await this.findLinks(link);
      lists.push(all.filter((f) => distributionName(f.filename) === name));
    }
    const seen = new Set<string>();
    const out: IndexFile[] = [];
    for (const f of lists.flat()) {
      if (seen.has(f.url)) continue;
      seen.add(f.url);
      out.push(f);
    }
    return out;
  }

  /** The simple API page of one project under an index root. */
  private async project(root: string, name: string): Promise<IndexFile[]> {
    if (root.startsWith('file:')) {
      // A simple index on disk (pip's file:// index URLs): <root>/<name>/index.html.
      const page = new URL(`${encodeURIComponent(name)}/index.html`, root.endsWith('/') ? root : `${root}/`);
      try {
        return parseSimpleHtml(await readFile(fileURLToPath(page), 'utf8'), page.href);
      } catch {
        return [];
      }
    }
    const { url: base, auth } = await this.credentials(root);
    const url = new URL(`${encodeURIComponent(name)}/`, base.endsWith('/') ? base : `${base}/`).href;
    const res = await this.get(url, auth, ACCEPT);
    // Credentials the index took are used for its files on this same origin (and only there).
    if (auth) rememberIndexAuth(base, auth.header);
    if (res === undefined) return []; // 404: the index does not have the project
    const type = (res.contentType.split(';')[0] ?? '').trim().toLowerCase();
    if (type === JSON_TYPE || type === 'application/json') return parseSimpleJson(res.body, res.url);
    return parseSimpleHtml(res.body, res.url);
  }

  private findLinks(link: string): Promise<IndexFile[]> {
    return memoized(this.pages, link, () => this.loadFindLinks(link));
  }

  private async loadFindLinks(link: string): Promise<IndexFile[]> {
    if (/^https?:\/\//i.test(link)) {
      const { url, auth } = await this.credentials(link);
      const res = await this.get(url, auth, 'text/html');
      if (res === undefined) throw new ConfigError('E_INDEX', `find-links page ${stripCredentials(url)} answered 404 Not Found`);
      if (auth) rememberIndexAuth(url, auth.header);
      return parseSimpleHtml(res.body, res.url);
    }
    const dir = link.startsWith('file:') ? fileURLToPath(link) : link;
    return listDirectory(dir);
  }

  /** The URL without userinfo, and the Basic auth to send to its origin (from userinfo or netrc). */
  private async credentials(raw: string): Promise<{ url: string; auth: Auth | undefined }> {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError('E_INDEX', `invalid index URL ${JSON.stringify(stripCredentials(raw))}`);
    }
    let login = decodeURIComponent(u.username);
    let password = decodeURIComponent(u.password);
    u.username = '';
    u.password = '';
    if (login === '' && password === '') {
      const entry = (await this.netrcEntries()).find((e) => e.machine === u.hostname) ?? (await this.netrcEntries()).find((e) => e.machine === undefined);
      if (entry) {
        login = entry.login ?? '';
        password = entry.password ?? '';
      }
    }
    const auth = login !== '' || password !== '' ? { origin: u.origin, header: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` } : undefined;
    return { url: u.href, auth };
  }

  private netrcEntries(): Promise<NetrcEntry[]> {
    this.netrc ??= (async () => {
      const env = this.opts.env ?? process.env;
      const file = env.NETRC ?? path.join(env.HOME ?? os.homedir(), '.netrc');
      try {
        return parseNetrc(await readFile(file, 'utf8'));
      } catch {
        return [];
      }
    })();
    return this.netrc;
  }

  /** GET with redirects (auth only to its own origin); undefined on 404; E_INDEX on other failures. */
  private async get(url: string, auth: Auth | undefined, accept: string): Promise<{ body: string; contentType: string; url: string } | undefined> {
    const cache = this.opts.httpCache;
    const cached = cache ? await cache.lookup(url, accept) : { state: 'miss' as const };
    if (cached.state === 'fresh') {
      cache!.stats.fresh++;
      return cached.response;
    }
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = { accept, 'user-agent': 'pycontainer', ...(hop === 0 && cached.state === 'stale' ? cached.headers : {}) };
      const origin = new URL(current).origin;
      if (auth && auth.origin === origin) headers.authorization = auth.header;
      let res: Awaited<ReturnType<typeof requestUrl>>;
      try {
        res = await requestUrl(current, { method: 'GET', headers });
      } catch (err) {
        throw unreachable(current, `reading the package index`, err);
      }
      const status = res.statusCode;
      if (status >= 300 && status < 400 && res.headers.location) {
        await res.body.dump();
        const location = Array.isArray(res.headers.location) ? res.headers.location[0]! : res.headers.location;
        current = stripCredentials(new URL(location, current).href);
        continue;
      }
      if (status === 304 && cached.state === 'stale') {
        await res.body.dump();
        cache!.stats.revalidated++;
        await cache!.refresh(url, accept, cached.response, res.headers);
        return cached.response;
      }
      if (status === 404) {
        await res.body.dump();
        return undefined;
      }
      if (status !== 200) {
        await res.body.dump();
        const hint = status === 401 || status === 403 ? (auth ? ' (the credentials were refused)' : ' (no credentials: put them in the index URL or ~/.netrc)') : '';
        const message = `index ${stripCredentials(current)} answered ${status}${hint}`;
        if (status >= 500 || status === 429) throw new NetworkError('E_INDEX', message);
        throw new ConfigError('E_INDEX', message);
      }
      const contentType = String(res.headers['content-type'] ?? 'text/html');
      const page = { body: await res.body.text(), contentType, url: current };
      if (cache) {
        cache.stats.fetched++;
        await cache.store(url, accept, page, res.headers);
      }
      return page;
    }
    throw new ConfigError('E_INDEX', `index ${stripCredentials(url)}: too many redirects`);
  }
}

/** A URL without user name and password. */
export function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

// ---------------------------------------------------------------------------------------------------
// PEP 691 JSON and PEP 503 HTML

/** Parses a PEP 691 project page; relative URLs resolve against `pageUrl`. */
export function parseSimpleJson(text: string, pageUrl: string): IndexFile[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError('E_INDEX', `index ${stripCredentials(pageUrl)} sent invalid JSON`);
  }
  const doc = data as { meta?: { 'api-version'?: unknown }; files?: unknown };
  const api = doc.meta?.['api-version'];
  if (typeof api === 'string' && !/^1(\.|$)/.test(api)) {
    throw new ConfigError('E_INDEX', `index ${stripCredentials(pageUrl)} speaks simple API ${api}; pycontainer reads 1.x`);
  }
  if (!Array.isArray(doc.files)) throw new ConfigError('E_INDEX', `index ${stripCredentials(pageUrl)}: no "files" list`);
  const out: IndexFile[] = [];
  for (const f of doc.files as Record<string, unknown>[]) {
    if (typeof f?.filename !== 'string' || typeof f.url !== 'string') continue;
    const file: IndexFile = { filename: f.filename, url: stripCredentials(resolveUrl(f.url, pageUrl)), yanked: f.yanked === true || typeof f.yanked === 'string' };
    const hashes = f.hashes as Record<string, unknown> | undefined;
    if (typeof hashes?.sha256 === 'string') file.sha256 = hashes.sha256.toLowerCase();
    if (typeof f.size === 'number') file.size = f.size;
    if (typeof f['requires-python'] === 'string') file.requiresPython = f['requires-python'];
    const meta = f['core-metadata'] ?? f['data-dist-info-metadata'] ?? f['dist-info-metadata'];
    if (meta === true) file.coreMetadata = {};
    else if (meta !== null && typeof meta === 'object') {
      const sha = (meta as Record<string, unknown>).sha256;
      file.coreMetadata = typeof sha === 'string' && /^[0-9a-fA-F]{64}$/.test(sha) ? { sha256: sha.toLowerCase() } : {};
    }
    out.push(file);
  }
  return out;
}

/** Parses a PEP 503 page (or a find-links page): anchors, `#sha256=`, data-requires-python, data-yanked. */
export function parseSimpleHtml(text: string, pageUrl: string): IndexFile[] {
  let base = pageUrl;
  const baseTag = /<base\s([^>]*)>/i.exec(text);
  if (baseTag) {
    const href = attributes(baseTag[1]!).get('href');
    if (href) base = resolveUrl(href, pageUrl);
  }
  const out: IndexFile[] = [];
  for (const m of text.matchAll(/<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi)) {
    const attrs = attributes(m[1]!);
    const href = attrs.get('href');
    if (!href) continue;
    const abs = new URL(resolveUrl(href, base));
    const fragment = abs.hash.replace(/^#/, '');
    abs.hash = '';
    const label = decodeEntities(m[2]!.replace(/<[^>]*>/g, '')).trim();
    const fromPath = decodeURIComponent(abs.pathname.slice(abs.pathname.lastIndexOf('/') + 1));
    const filename = label !== '' && /\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(label) ? label : fromPath;
    if (!filename) continue;
    const file: IndexFile = { filename, url: stripCredentials(abs.href), yanked: attrs.has('data-yanked') };
    const hash = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(fragment);
    if (hash) file.sha256 = hash[1]!.toLowerCase();
    const rp = attrs.get('data-requires-python');
    if (rp) file.requiresPython = rp;
    const meta = attrs.get('data-core-metadata') ?? attrs.get('data-dist-info-metadata');
    if (meta !== undefined && meta.toLowerCase() !== 'false') {
      const sha = /^sha256=([0-9a-fA-F]{64})$/.exec(meta.trim());
      file.coreMetadata = sha ? { sha256: sha[1]!.toLowerCase() } : {};
    }
    out.push(file);
  }
  return out;
}

function resolveUrl(href: string, base: string): string {
  return new URL(href, base).href;
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    out.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

/** The normalized project name a distribution file name is for, or undefined. */
export function distributionName(filename: string): string | undefined {
  if (filename.endsWith('.whl')) {
    try {
      return parseWheelFilename(filename).name;
    } catch {
      return undefined;
    }
  }
  const m = /^(.+)-[^-]+\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz)$/i.exec(filename);
  return m ? normalizeName(m[1]!) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// find-links directories

async function listDirectory(dir: string): Promise<IndexFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new ConfigError('E_INDEX', `cannot read find-links directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const out: IndexFile[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.whl') && !name.endsWith('.tar.gz')) continue;
    const abs = path.join(dir, name);
    const info = await stat(abs);
    if (!info.isFile()) continue;
    out.push({ filename: name, url: pathToFileURL(abs).href, sha256: await hashFile(abs), size: info.size, yanked: false });
  }
  return out;
}

async function hashFile(abs: string): Promise<string> {
  return (await sha256OfStream(createReadStream(abs))).hex;
}
