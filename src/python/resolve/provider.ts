/**
 * The resolver's provider over real package indexes (PEP 503 HTML / PEP 691 JSON, through the index
 * client with its credentials and HTTP cache). A version is a candidate when it has a wheel that fits
 * the target (tags for its Python, C library and architecture) or, failing that, an sdist, which the
 * caller builds on the host as it does for locked sdists. Files without a sha256 on the index are not
 * candidates: the plan could not pin their bytes.
 *
 * Metadata, cheapest first: the PEP 658 `.metadata` file (its sha256 checked when the index states it),
 * HTTP ranges on the wheel's zip, the whole wheel (downloaded, verified, kept in the cache, where the
 * install step finds it again). Metadata of a file with a known sha256 never changes, so it is kept by
 * that digest in the cache directory and a warm re-plan asks nothing for it. Requests run at most
 * `concurrency` at a time; `prefetch` starts them before the resolver asks.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, NetworkError } from '../../errors.js';
import { writeFileAtomic } from '../../plan/file.js';
import { readDownloadAuthorization } from '../index/auth.js';
import type { DistributionStore } from '../index/download.js';
import { distributionName, stripCredentials, type IndexClient, type IndexFile } from '../index/index.js';
import { parseSdistFilename, type LockedFile, type LockedPackage } from '../locks/model.js';
import { normalizeName, parseWheelFilename, selectWheel, type Target } from '../tags.js';
import { compareVersions, isValidVersion, satisfies } from '../version.js';
import { getForMetadata, httpRangeFetch, parseCoreMetadata, readMetadataByRange, readWheelMetadata, type CoreMetadata, type RangeFetch } from './metadata.js';
import type { Candidate, CandidateMetadata, ResolverProvider } from './types.js';
import { createIndexClient } from '../index/index.js';
import type { ResolutionRequest } from '../locks/model.js';
import type { MarkerEnvironment } from '../markers.js';
import { HttpCache } from './http-cache.js';
import { resolve } from './resolver.js';

export interface IndexProviderOptions {
  index: IndexClient;
  target: Target;
  /** Where wheels downloaded for their metadata go (verified), to be installed from later. */
  store: DistributionStore;
  /** Directory for the metadata cache (by file sha256); undefined: memory only. */
  cacheDir?: string;
  /** Builds an sdist into a wheel on the host and returns the wheel's path (sdist-only versions). */
  buildSdist?: (name: string, version: string, sdist: LockedFile) => Promise<string>;
  /** Requests at once (default 8). */
  concurrency?: number;
  /** For NETRC/HOME (download credentials). */
  env?: NodeJS.ProcessEnv;
  /** Tests: replaces HTTP range fetching. */
  rangeFetch?: (url: string, authorization: string | undefined) => RangeFetch;
}

/** How each metadata was obtained (for tests, verbose output and the benchmark). */
export interface ProviderStats {
  cached: number;
  metadataFile: number;
  range: number;
  download: number;
  sdistBuild: number;
}

interface VersionFiles {
  version: string;
  wheels: IndexFile[];
  sdist?: IndexFile;
  /** The wheel chosen for the target, if any. */
  best?: IndexFile;
}

export class IndexProvider implements ResolverProvider {
  readonly stats: ProviderStats = { cached: 0, metadataFile: 0, range: 0, download: 0, sdistBuild: 0 };
  private readonly projects = new Map<string, Promise<Map<string, VersionFiles>>>();
  private readonly metadataCache = new Map<string, Promise<CandidateMetadata>>();
  private readonly limit: Limiter;

  constructor(private readonly opts: IndexProviderOptions) {
    this.limit = new Limiter(opts.concurrency ?? 8);
  }

  private project(name: string): Promise<Map<string, VersionFiles>> {
    const key = normalizeName(name);
    let p = this.projects.get(key);
    if (!p) {
      p = this.limit.run(() => this.opts.index.files(key)).then((files) => this.group(key, files));
      this.projects.set(key, p);
    }
    return p;
  }

  /** The project's files by version: wheels that fit the target, the sdist, the best wheel. */
  private group(name: string, files: IndexFile[]): Map<string, VersionFiles> {
    const byVersion = new Map<string, VersionFiles>();
    for (const f of files) {
      if (f.sha256 === undefined) continue;
      let version: string | undefined;
      if (f.filename.endsWith('.whl')) {
        try {
          const w = parseWheelFilename(f.filename);
          if (w.name !== name) continue;
          version = w.version;
        } catch {
          continue;
        }
      } else {
        const id = parseSdistFilename(f.filename);
        if (!id || id.name !== name || distributionName(f.filename) !== name) continue;
        version = id.version;
      }
      if (!isValidVersion(version)) continue;
      // One entry per version however it is spelled (1.0 and 1.0.0 are the same version).
      const key = [...byVersion.keys()].find((k) => k === version || compareVersions(k, version!) === 0) ?? version;
      let entry = byVersion.get(key);
      if (!entry) byVersion.set(key, (entry = { version: key, wheels: [] }));
      if (f.filename.endsWith('.whl')) entry.wheels.push(f);
      else if (!entry.sdist || (f.filename.endsWith('.tar.gz') && !entry.sdist.filename.endsWith('.tar.gz'))) entry.sdist = f;
    }
    for (const [key, entry] of byVersion) {
      entry.wheels.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
      // A yanked file is a last choice: the best unyanked wheel first.
      entry.best = selectWheel(entry.wheels.filter((w) => !w.yanked), this.opts.target)?.wheel ?? selectWheel(entry.wheels, this.opts.target)?.wheel;
      if (!entry.best && !entry.sdist) byVersion.delete(key);
    }
    return byVersion;
  }

  async versions(name: string): Promise<Candidate[]> {
    const project = await this.project(name);
    const out: Candidate[] = [];
    for (const v of project.values()) {
      const files = v.best ? [v.best] : [v.sdist!];
      const candidate: Candidate = { name: normalizeName(name), version: v.version };
      if (files.every((f) => f.yanked)) candidate.yanked = true;
      const rp = files[0]!.requiresPython;
      if (rp) candidate.requiresPython = rp;
      out.push(candidate);
    }
    return out;
  }

  prefetch(candidates: { name: string; version: string }[]): void {
    for (const c of candidates) this.metadata(c.name, c.version).catch(() => undefined);
  }

  metadata(name: string, version: string): Promise<CandidateMetadata> {
    const key = `${normalizeName(name)} ${version}`;
    let p = this.metadataCache.get(key);
    if (!p) {
      p = this.loadMetadata(normalizeName(name), version);
      this.metadataCache.set(key, p);
    }
    return p;
  }

  /** The files of a resolved version, in the lock model: every wheel (the install step picks by tags) and the sdist. */
  async lockedPackage(name: string, version: string, requested: boolean): Promise<LockedPackage> {
    const v = (await this.project(name)).get(version);
    if (!v) throw new ConfigError('E_RESOLVE', `${name} ${version}: not among the index's versions`);
    const locked = (f: IndexFile): LockedFile => ({
      filename: f.filename,
      ...(f.url.startsWith('file:') ? { path: fileURLToPath(f.url) } : { url: stripCredentials(f.url) }),
      sha256: f.sha256!,
      ...(f.size !== undefined ? { size: f.size } : {}),
    });
    const pkg: LockedPackage = { name: normalizeName(name), version, requested, wheels: v.wheels.map(locked) };
    if (v.sdist) pkg.sdist = locked(v.sdist);
    return pkg;
  }

  private async loadMetadata(name: string, version: string): Promise<CandidateMetadata> {
    const v = (await this.project(name)).get(version);
    if (!v) throw new ConfigError('E_RESOLVE', `${name} ${version}: not among the index's versions`);
    const file = v.best ?? v.sdist!;
    const cached = await this.readCached(file.sha256!);
    if (cached) {
      this.stats.cached++;
      return cached;
    }
    const meta = await this.limit.run(() => this.fetchMetadata(name, version, file, v.best !== undefined));
    if (meta.name !== undefined && normalizeName(meta.name) !== name) {
      throw new ConfigError('E_METADATA', `${file.filename}: its metadata names project ${JSON.stringify(meta.name)}, not ${name}; the index serves a wrong file`);
    }
    const result: CandidateMetadata = { requiresDist: meta.requiresDist, ...(meta.requiresPython ? { requiresPython: meta.requiresPython } : {}) };
    await this.writeCached(file.sha256!, result);
    this.lookAhead(result);
    return result;
  }

  /**
   * Speculation that keeps the pipe full whatever order the resolver asks in: the pages of the
   * projects a version requires (extras aside), and the metadata of each one's newest final release,
   * the likeliest pick. Bounded by the same limit; failures are left for the real question to meet.
   */
  private lookAhead(meta: CandidateMetadata): void {
    for (const line of meta.requiresDist) {
      if (/\bextra\b/.test(line)) continue;
      const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
      if (!m) continue;
      const key = normalizeName(m[1]!);
      if (this.projects.has(key)) continue;
      this.project(key)
        .then((versions) => {
          const fits = (rp: string | undefined) => {
            try {
              return rp === undefined || satisfies(this.opts.target.pythonVersion, rp, { prereleases: true });
            } catch {
              return true;
            }
          };
          const finals = [...versions.values()].filter((v) => v.best && !/[a-z]/i.test(v.version) && !v.best.yanked && fits(v.best.requiresPython));
          const newest = finals.sort((a, b) => compareVersions(b.version, a.version))[0];
          if (newest) this.metadata(key, newest.version).catch(() => undefined);
        })
        .catch(() => undefined);
    }
  }

  private async fetchMetadata(name: string, version: string, file: IndexFile, isWheel: boolean): Promise<CoreMetadata> {
    const env = this.opts.env ?? process.env;
    const url = stripCredentials(file.url);
    const web = /^https?:/i.test(url);
    const auth = web ? await readDownloadAuthorization(url, env) : undefined;
    if (isWheel && web && file.coreMetadata) {
      const text = await fetchText(`${url}.metadata`, auth);
      if (text !== undefined) {
        if (file.coreMetadata.sha256 && createHash('sha256').update(text).digest('hex') !== file.coreMetadata.sha256) {
          throw new ConfigError('E_METADATA', `${file.filename}.metadata: its sha256 is not the one the index states; the index serves inconsistent files`);
        }
        this.stats.metadataFile++;
        return parseCoreMetadata(text.toString('utf8'));
      }
    }
    if (isWheel && web) {
      const ranged = await readMetadataByRange((this.opts.rangeFetch ?? httpRangeFetch)(url, auth), name);
      if (ranged) {
        this.stats.range++;
        return ranged;
      }
    }
    const locked: LockedFile = { filename: file.filename, url, sha256: file.sha256!, ...(file.size !== undefined ? { size: file.size } : {}) };
    if (isWheel) {
      this.stats.download++;
      const path = await this.opts.store.fetch(url.startsWith('file:') ? { ...locked, url: undefined, path: fileURLToPath(url) } : locked, '/');
      return readWheelMetadata(path, name, file.filename);
    }
    if (!this.opts.buildSdist) throw new ConfigError('E_RESOLVE', `${name} ${version} has only a source distribution, ${file.filename}, and no wheel for the target`);
    this.stats.sdistBuild++;
    const wheel = await this.opts.buildSdist(name, version, url.startsWith('file:') ? { ...locked, url: undefined, path: fileURLToPath(url) } as LockedFile : locked);
    return readWheelMetadata(wheel, name, file.filename);
  }

  private async readCached(sha256: string): Promise<CandidateMetadata | undefined> {
    if (!this.opts.cacheDir) return undefined;
    try {
      const data = JSON.parse(await readFile(join(this.opts.cacheDir, `${sha256}.json`), 'utf8')) as CandidateMetadata;
      return Array.isArray(data.requiresDist) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeCached(sha256: string, meta: CandidateMetadata): Promise<void> {
    if (!this.opts.cacheDir) return;
    await writeFileAtomic(join(this.opts.cacheDir, `${sha256}.json`), JSON.stringify(meta)).catch(() => undefined);
  }
}

/** GET of a small file; undefined on 404 (the index said it has it, but does not: fall back). */
async function fetchText(url: string, auth: string | undefined): Promise<Buffer | undefined> {
  const res = await getForMetadata(url, auth);
  if (res.statusCode === 200) return Buffer.from(await res.body.arrayBuffer());
  await res.body.dump();
  if (res.statusCode === 404 || (res.statusCode >= 300 && res.statusCode < 400)) return undefined;
  const message = `${stripCredentials(url)} answered ${res.statusCode}`;
  if (res.statusCode >= 500 || res.statusCode === 429) throw new NetworkError('E_INDEX', message);
  throw new ConfigError('E_INDEX', message);
}

/** At most `max` tasks at once. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((ok) => this.waiting.push(ok));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface ResolveRequestOptions {
  target: Target;
  env: MarkerEnvironment;
  store: DistributionStore;
  /** The cache directory's root (index pages and metadata are kept under it); undefined: memory only. */
  cacheRoot?: string;
  preferences?: Map<string, string>;
  buildSdist?: IndexProviderOptions['buildSdist'];
  environ?: NodeJS.ProcessEnv;
}

/**
 * Resolves a lockless project's requirements for one target and returns them as locked packages (the
 * files of each chosen version with their sha256 from the index) and why each is there.
 */
export async function resolveRequest(request: ResolutionRequest, opts: ResolveRequestOptions): Promise<{ packages: LockedPackage[]; requiredBy: Map<string, string[]>; stats: ProviderStats }> {
  const environ = opts.environ ?? process.env;
  const index = createIndexClient({ ...request.sources, env: environ, httpCache: new HttpCache(opts.cacheRoot ? join(opts.cacheRoot, 'index-pages') : undefined) });
  const provider = new IndexProvider({
    index,
    target: opts.target,
    store: opts.store,
    ...(opts.cacheRoot ? { cacheDir: join(opts.cacheRoot, 'metadata') } : {}),
    ...(opts.buildSdist ? { buildSdist: opts.buildSdist } : {}),
    env: environ,
  });
  const resolution = await resolve(provider, {
    roots: request.roots,
    constraints: request.constraints,
    env: opts.env,
    pythonVersion: opts.env.python_full_version,
    ...(opts.preferences?.size ? { preferences: opts.preferences } : {}),
  });
  const direct = new Set(request.direct);
  const packages = await Promise.all(resolution.packages.map((p) => provider.lockedPackage(p.name, p.version, direct.has(p.name))));
  return { packages, requiredBy: new Map(resolution.packages.map((p) => [p.name, p.requiredBy])), stats: provider.stats };
}
