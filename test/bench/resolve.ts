/**
 * `npm run bench` (after bench.js), or `node dist/test/bench/resolve.js`: how long resolving a
 * 60-package synthetic graph takes on a local PEP 691 index, cold (empty cache) and warm (the same
 * cache again), next to a floor: plain HTTP GETs of the same pages and metadata files, one at a time
 * and 8 at a time. A measurement, not a test: nothing is asserted.
 *
 * Knobs: BENCH_RESOLVE_PACKAGES [60], BENCH_RESOLVE_VERSIONS [4] per package, BENCH_RESOLVE_LATENCY_MS
 * [20] added to every response (a real index is not on loopback), BENCH_RESOLVE_MAX_AGE [600] for
 * pages (0: the warm run revalidates every page), BENCH_REPS [3] (the median is reported).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { BlobCache } from '../../src/cache/store.js';
import { DistributionStore } from '../../src/python/index/download.js';
import { targetEnvironment } from '../../src/python/markers.js';
import { resolveRequest } from '../../src/python/resolve/provider.js';

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const PACKAGES = int('BENCH_RESOLVE_PACKAGES', 60);
const VERSIONS = int('BENCH_RESOLVE_VERSIONS', 4);
const LATENCY = int('BENCH_RESOLVE_LATENCY_MS', 20);
const MAX_AGE = int('BENCH_RESOLVE_MAX_AGE', 600);
const REPS = int('BENCH_REPS', 3);

const name = (i: number) => `pkg${String(i).padStart(2, '0')}`;

/** Package i depends on two or three later ones (a layered graph: diamonds, shared leaves); every version is valid. */
function requires(i: number): string[] {
  const out: string[] = [];
  for (const step of [1, 7, 13]) {
    const j = i + step;
    if (j < PACKAGES && (step !== 13 || i % 2 === 0)) out.push(`${name(j)}>=1.0`);
  }
  return out;
}

function metadataOf(i: number, v: number): Buffer {
  return Buffer.from(`Metadata-Version: 2.1\nName: ${name(i)}\nVersion: 1.${v}\n${requires(i).map((r) => `Requires-Dist: ${r}\n`).join('')}Requires-Python: >=3.8\n`);
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function serve(): Promise<{ url: string; requests: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    setTimeout(() => {
      const url = req.url ?? '';
      const page = /^\/simple\/(pkg\d+)\/$/.exec(url);
      if (page) {
        const i = Number(page[1]!.slice(3));
        const files = Array.from({ length: VERSIONS }, (_, v) => {
          const filename = `${name(i)}-1.${v}-py3-none-any.whl`;
          return { filename, url: `/files/${filename}`, hashes: { sha256: sha(filename) }, 'core-metadata': { sha256: sha(metadataOf(i, v)) } };
        });
        const body = JSON.stringify({ meta: { 'api-version': '1.1' }, name: name(i), files });
        const etag = `"${sha(body).slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag, 'cache-control': `max-age=${MAX_AGE}` }).end();
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json', etag, 'cache-control': `max-age=${MAX_AGE}` });
        return void res.end(body);
      }
      const meta = /^\/files\/(pkg\d+)-1\.(\d+)-py3-none-any\.whl\.metadata$/.exec(url);
      if (meta) return void res.writeHead(200).end(metadataOf(Number(meta[1]!.slice(3)), Number(meta[2])));
      res.writeHead(404).end();
    }, LATENCY);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count, stop: () => new Promise((ok) => server.close(() => ok())) };
}

async function resolveOnce(base: string, cacheRoot: string): Promise<number> {
  const store = await DistributionStore.open(new BlobCache(join(cacheRoot, 'blobs')));
  const env = targetEnvironment('3.11.9', 'amd64');
  const result = await resolveRequest(
    { input: 'requirements.txt', roots: [{ requirement: `${name(0)}`, source: 'requirements.txt:1' }], constraints: [], sources: { indexUrls: [`${base}/simple/`], findLinks: [] }, direct: [name(0)] },
    { target: { pythonVersion: '3.11.9', architecture: 'amd64', libc: { kind: 'glibc', version: [2, 36] } }, env, store, cacheRoot, environ: {} },
  );
  return result.packages.length;
}

async function getAll(urls: string[], parallel: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < urls.length) {
        const res = await request(urls[next++]!, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
        await res.body.arrayBuffer();
      }
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const server = await serve();
  const rows: { scenario: string; ms: number; requests: number }[] = [];
  const measure = async (scenario: string, run: () => Promise<unknown>, setup?: () => Promise<void>) => {
    const times: number[] = [];
    let requests = 0;
    for (let r = 0; r < REPS; r++) {
      await setup?.();
      const before = server.requests();
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
      requests = server.requests() - before;
    }
    rows.push({ scenario, ms: median(times), requests });
  };
  let cache = '';
  const fresh = async () => {
    if (cache) await rm(cache, { recursive: true, force: true });
    cache = await mkdtemp(join(tmpdir(), 'pyc-bench-resolve-'));
  };
  let resolved = 0;
  await measure('pycontainer resolve, cold (empty cache)', async () => (resolved = await resolveOnce(server.url, cache)), fresh);
  // Warm: the cache of the last cold run, resolved again.
  await measure('pycontainer resolve, warm (same cache)', () => resolveOnce(server.url, cache));
  // The floor: the pages and metadata files a cold resolution needs (the newest version of each package).
  const urls = Array.from({ length: PACKAGES }, (_, i) => [`${server.url}/simple/${name(i)}/`, `${server.url}/files/${name(i)}-1.${VERSIONS - 1}-py3-none-any.whl.metadata`]).flat();
  await measure(`floor: ${urls.length} plain GETs, one at a time`, () => getAll(urls, 1));
  await measure(`floor: ${urls.length} plain GETs, 8 at a time`, () => getAll(urls, 8));
  await server.stop();
  if (cache) await rm(cache, { recursive: true, force: true });
  console.log(`\nresolution: ${resolved} packages, ${VERSIONS} versions each, ${LATENCY} ms added latency, pages max-age=${MAX_AGE}, median of ${REPS}`);
  for (const r of rows) console.log(`${r.scenario.padEnd(44)} ${r.ms.toFixed(0).padStart(7)} ms ${String(r.requests).padStart(5)} requests`);
}

await main();
