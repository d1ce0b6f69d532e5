// The index provider of the resolver (issue 11): where metadata comes from (PEP 658 files, zip ranges,
// the whole wheel), what counts as a candidate, the HTTP page cache's revalidation, and the inputs of
// lockless projects (requirements ranges, [project] extras and dependency groups, pip.conf).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobCache } from '../../src/cache/store.js';
import { DistributionStore } from '../../src/python/index/download.js';
import { createIndexClient } from '../../src/python/index/index.js';
import { parsePipConf, readDeclaredResolution, readIndexUrls } from '../../src/python/locks/read.js';
import { readRequirementsFile, requirementsToResolve } from '../../src/python/locks/requirements.js';
import { targetEnvironment } from '../../src/python/markers.js';
import { HttpCache, maxAgeMs } from '../../src/python/resolve/http-cache.js';
import { parseCoreMetadata, readMetadataByRange, type RangeFetch } from '../../src/python/resolve/metadata.js';
import { IndexProvider } from '../../src/python/resolve/provider.js';
import type { Target } from '../../src/python/tags.js';
import { zipBytes } from '../support/zip.js';

function wheel(name: string, version: string, requires: string[], opts: { padding?: number } = {}): { filename: string; data: Buffer; metadata: Buffer; sha256: string } {
  const dist = `${name}-${version}.dist-info`;
  const metadata = Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${requires.map((r) => `Requires-Dist: ${r}\n`).join('')}Requires-Python: >=3.8\n\nA description: Requires-Dist: not-a-header\n`);
  // METADATA first and a large member after it: its local header is outside the last 64 KiB.
  const data = zipBytes([
    { name: `${dist}/METADATA`, data: metadata },
    { name: `${name}/big.bin`, data: randomBytes(opts.padding ?? 10), stored: true },
    { name: `${dist}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n') },
  ]);
  return { filename: `${name}-${version}-py3-none-any.whl`, data, metadata, sha256: createHash('sha256').update(data).digest('hex') };
}

function bufferRanges(data: Buffer, calls: string[]): RangeFetch {
  return async (range) => {
    if ('suffix' in range) {
      calls.push(`-${range.suffix}`);
      return { data: data.subarray(Math.max(0, data.length - range.suffix)), total: data.length };
    }
    calls.push(`${range.start}-${range.end}`);
    return { data: data.subarray(range.start, range.end + 1), total: data.length };
  };
}

const target: Target = { pythonVersion: '3.11.9', architecture: 'amd64', libc: { kind: 'glibc', version: [2, 36] } };

describe('core metadata', () => {
  test('headers with continuation lines; the description body is not read', () => {
    const m = parseCoreMetadata('Metadata-Version: 2.1\r\nName: Foo.Bar\r\nVersion: 1.0\r\nRequires-Dist: a>=1;\r\n  python_version < "3.12"\r\nRequires-Dist: b[x]\r\nRequires-Python: >=3.9\r\n\r\nRequires-Dist: nope\r\n');
    assert.deepEqual(m, { requiresDist: ['a>=1; python_version < "3.12"', 'b[x]'], requiresPython: '>=3.9', name: 'Foo.Bar', version: '1.0' });
  });

  test('METADATA through ranges: one request when the tail holds it, two when its member is further in', async () => {
    const small = wheel('alpha', '1.0', ['beta>=1']);
    const calls: string[] = [];
    const m = await readMetadataByRange(bufferRanges(small.data, calls), 'alpha');
    assert.deepEqual(m?.requiresDist, ['beta>=1']);
    assert.deepEqual(calls, ['-65536']);
    const big = wheel('alpha', '2.0', ['gamma'], { padding: 200_000 });
    const bigCalls: string[] = [];
    assert.deepEqual((await readMetadataByRange(bufferRanges(big.data, bigCalls), 'alpha'))?.requiresDist, ['gamma']);
    assert.equal(bigCalls.length, 2);
    assert.match(bigCalls[1]!, /^0-\d+$/, 'the member is read from its local header');
    // A server that does not do ranges: undefined (the caller downloads).
    assert.equal(await readMetadataByRange(async () => undefined, 'alpha'), undefined);
    // Another project's dist-info is not taken.
    assert.equal(await readMetadataByRange(bufferRanges(small.data, []), 'other'), undefined);
  });
});

describe('IndexProvider on an index over HTTP', () => {
  let server: http.Server;
  let base: string;
  const log: string[] = [];
  let tmp: string;
  const alpha = wheel('alpha', '1.0', ['beta>=1', 'gamma; extra == "x"']);
  const alpha2 = wheel('alpha', '2.0', []);
  const beta = wheel('beta', '1.0', ['alpha<2'], { padding: 100_000 });
  const gamma = wheel('gamma', '1.0', ['delta']);
  let ranges = true;
  let badMetadataHash = false;
  let pageEtag = '"v1"';
  let maxAge = 0;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-provider-'));
    const files = new Map([alpha, alpha2, beta, gamma].map((w) => [w.filename, w]));
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      log.push(`${url}${req.headers.range ? ` ${req.headers.range}` : ''}${req.headers['if-none-match'] ? ` if-none-match ${req.headers['if-none-match']}` : ''}`);
      const page = /^\/simple\/([a-z]+)\/$/.exec(url);
      if (page) {
        if (req.headers['if-none-match'] === pageEtag) return void res.writeHead(304, { etag: pageEtag, 'cache-control': `max-age=${maxAge}` }).end();
        const entries = [...files.values()].filter((w) => w.filename.startsWith(`${page[1]}-`));
        const json = {
          meta: { 'api-version': '1.1' },
          name: page[1],
          files: [
            ...entries.map((w) => ({
              filename: w.filename,
              url: `/files/${w.filename}`,
              hashes: { sha256: w.sha256 },
              ...(w === alpha ? { 'core-metadata': { sha256: badMetadataHash ? 'f'.repeat(64) : createHash('sha256').update(w.metadata).digest('hex') } } : {}),
              ...(w === alpha2 ? { 'requires-python': '>=3.12', yanked: 'broken' } : {}),
            })),
            // Not candidates: a wheel for another Python and platform, a file without a sha256.
            { filename: `${page[1]}-3.0-cp312-cp312-manylinux_2_17_x86_64.whl`, url: '/files/none', hashes: { sha256: 'a'.repeat(64) } },
            { filename: `${page[1]}-4.0-py3-none-any.whl`, url: '/files/none', hashes: {} },
          ],
        };
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json', etag: pageEtag, 'cache-control': `max-age=${maxAge}` });
        return void res.end(JSON.stringify(json));
      }
      const meta = /^\/files\/(.+)\.metadata$/.exec(url);
      if (meta && files.get(meta[1]!)) return void res.writeHead(200).end(files.get(meta[1]!)!.metadata);
      const file = /^\/files\/(.+)$/.exec(url);
      const w = file && files.get(file[1]!);
      if (!w) return void res.writeHead(404).end();
      const range = /^bytes=(?:-(\d+)|(\d+)-(\d+))$/.exec(String(req.headers.range ?? ''));
      if (range && ranges) {
        const start = range[1] ? w.data.length - Number(range[1]) : Number(range[2]);
        const end = range[1] ? w.data.length - 1 : Math.min(Number(range[3]), w.data.length - 1);
        res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${w.data.length}` });
        return void res.end(w.data.subarray(start, end + 1));
      }
      res.writeHead(200, { 'content-length': w.data.length });
      res.end(w.data);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((ok) => server.close(ok));
    await rm(tmp, { recursive: true, force: true });
  });

  async function provider(cacheDir?: string, pages?: HttpCache) {
    const store = await DistributionStore.open(new BlobCache(path.join(tmp, 'blobs')));
    const index = createIndexClient({ indexUrls: [`${base}/simple/`], findLinks: [], env: {}, ...(pages ? { httpCache: pages } : {}) });
    return new IndexProvider({ index, target, store, ...(cacheDir ? { cacheDir } : {}), env: {} });
  }

  test('versions: wheels that fit the target with a sha256; yanked and requires-python as the index states', async () => {
    const p = await provider();
    const versions = (await p.versions('Alpha')).sort((a, b) => (a.version < b.version ? -1 : 1));
    assert.deepEqual(versions, [
      { name: 'alpha', version: '1.0' },
      { name: 'alpha', version: '2.0', yanked: true, requiresPython: '>=3.12' },
    ]);
    assert.deepEqual(await p.versions('unknown'), []);
  });

  test('metadata from the .metadata file (hash checked), from ranges, and from the whole wheel', async () => {
    log.length = 0;
    const p = await provider();
    assert.deepEqual(await p.metadata('alpha', '1.0'), { requiresDist: ['beta>=1', 'gamma; extra == "x"'], requiresPython: '>=3.8' });
    assert.ok(log.includes(`/files/${alpha.filename}.metadata`));
    assert.deepEqual((await p.metadata('beta', '1.0')).requiresDist, ['alpha<2']);
    const betaRequests = log.filter((l) => l.startsWith(`/files/${beta.filename}`));
    assert.equal(betaRequests.length, 2, betaRequests.join('\n'));
    assert.equal(betaRequests[0], `/files/${beta.filename} bytes=-65536`);
    assert.match(betaRequests[1]!, /bytes=0-\d+$/);
    ranges = false;
    try {
      assert.deepEqual((await p.metadata('gamma', '1.0')).requiresDist, ['delta']);
    } finally {
      ranges = true;
    }
    assert.deepEqual(p.stats, { cached: 0, metadataFile: 1, range: 1, download: 1, sdistBuild: 0 });
    const locked = await p.lockedPackage('gamma', '1.0', true);
    assert.deepEqual(locked, { name: 'gamma', version: '1.0', requested: true, wheels: [{ filename: gamma.filename, url: `${base}/files/${gamma.filename}`, sha256: gamma.sha256 }] });
  });

  test('a .metadata file whose sha256 differs from the index is refused', async () => {
    badMetadataHash = true;
    try {
      const p = await provider();
      await assert.rejects(p.metadata('alpha', '1.0'), (err: Error & { code?: string }) => err.code === 'E_METADATA' && /alpha-1\.0-py3-none-any\.whl\.metadata/.test(err.message));
    } finally {
      badMetadataHash = false;
    }
  });

  test('metadata is kept by file sha256: a second run asks for none', async () => {
    const dir = path.join(tmp, 'meta');
    await (await provider(dir)).metadata('beta', '1.0');
    log.length = 0;
    const again = await provider(dir);
    assert.deepEqual((await again.metadata('beta', '1.0')).requiresDist, ['alpha<2']);
    // (The first provider's look-ahead at alpha, which beta requires, may still be arriving: not counted.)
    assert.deepEqual(log.filter((l) => l.includes('beta')), ['/simple/beta/']);
    assert.equal(again.stats.cached, 1);
  });

  test('index pages: revalidated with If-None-Match when stale (304 keeps the body), not requested while fresh', async () => {
    const dir = path.join(tmp, 'pages');
    let now = 1_000_000;
    const pages = () => new HttpCache(dir, () => now);
    log.length = 0;
    maxAge = 0;
    const first = pages();
    await (await provider(undefined, first)).versions('gamma');
    assert.deepEqual(first.stats, { fresh: 0, revalidated: 0, fetched: 1 });
    const second = pages();
    assert.equal((await (await provider(undefined, second)).versions('gamma')).length, 1);
    assert.deepEqual(second.stats, { fresh: 0, revalidated: 1, fetched: 0 });
    assert.deepEqual(log, ['/simple/gamma/', '/simple/gamma/ if-none-match "v1"']);
    // The index changed: a new ETag, a new body.
    pageEtag = '"v2"';
    maxAge = 600;
    const third = pages();
    await (await provider(undefined, third)).versions('gamma');
    assert.deepEqual(third.stats, { fresh: 0, revalidated: 0, fetched: 1 });
    log.length = 0;
    now += 599_000;
    const fourth = pages();
    await (await provider(undefined, fourth)).versions('gamma');
    assert.deepEqual(fourth.stats, { fresh: 1, revalidated: 0, fetched: 0 });
    assert.deepEqual(log, [], 'a fresh page is not requested');
    now += 2_000;
    const fifth = pages();
    await (await provider(undefined, fifth)).versions('gamma');
    assert.deepEqual(fifth.stats, { fresh: 0, revalidated: 1, fetched: 0 });
    maxAge = 0;
  });

  test('max-age parsing', () => {
    assert.equal(maxAgeMs('public, max-age=600'), 600_000);
    assert.equal(maxAgeMs('max-age=600, no-cache'), 0);
    assert.equal(maxAgeMs(''), 0);
  });
});

describe('inputs of lockless projects', () => {
  const env = targetEnvironment('3.11.9', 'amd64');
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-inputs-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('a requirements file with ranges becomes a resolution request; a pinned one does not; hashes with ranges are refused', async () => {
    const file = path.join(tmp, 'requirements.txt');
    await writeFile(file, '-c constraints.txt\n--extra-index-url https://u:p@example.org/simple/\nrequests[socks]>=2.31\nclick\nfoo==1.0 ; sys_platform == "win32"\n');
    await writeFile(path.join(tmp, 'constraints.txt'), 'urllib3<3\n');
    const parsed = await readRequirementsFile(file, 'requirements.txt', { contextDir: tmp, environ: {}, defaultIndexUrls: ['https://mirror.example/simple/'] });
    const request = requirementsToResolve(parsed, 'requirements.txt', { env })!;
    assert.deepEqual(request.roots.map((r) => `${r.source} ${r.requirement}`), ['requirements.txt:3 requests[socks]>=2.31', 'requirements.txt:4 click', 'requirements.txt:5 foo==1.0 ; sys_platform == "win32"']);
    assert.deepEqual(request.constraints.map((r) => `${r.source} ${r.requirement}`), ['constraints.txt:1 urllib3<3']);
    assert.deepEqual(request.sources.indexUrls, ['https://mirror.example/simple/', 'https://u:p@example.org/simple/']);
    assert.deepEqual(request.direct, ['click', 'foo', 'requests']);

    await writeFile(file, 'requests==2.31.0\n');
    assert.equal(requirementsToResolve(await readRequirementsFile(file, 'requirements.txt', { contextDir: tmp, environ: {} }), 'requirements.txt', { env }), undefined);
    await writeFile(file, `requests==2.31.0 --hash=sha256:${'a'.repeat(64)}\nclick>=8\n`);
    const hashed = await readRequirementsFile(file, 'requirements.txt', { contextDir: tmp, environ: {} });
    assert.throws(() => requirementsToResolve(hashed, 'requirements.txt', { env }), (err: Error & { code?: string }) => err.code === 'E_UNPINNED' && /^requirements\.txt:2: "click>=8" is not pinned/.test(err.message));
  });

  test('[project.dependencies] with the configured extras and PEP 735 groups (include-group followed, the project itself expanded)', async () => {
    const pyproject = {
      project: { name: 'app', dependencies: ['httpx'], 'optional-dependencies': { web: ['fastapi', 'app[server]'], server: ['uvicorn'] } },
      'dependency-groups': { test: ['pytest', { 'include-group': 'lint' }], lint: ['ruff'] },
    };
    const request = (await readDeclaredResolution({ projectName: 'app', declared: ['httpx'], pyproject, extras: ['web'], groups: ['test'], environ: { PIP_CONFIG_FILE: os.devNull } }))!;
    assert.deepEqual(request.roots.map((r) => `${r.requirement} (${r.source})`), [
      'httpx (pyproject.toml [project])',
      'fastapi (pyproject.toml [project.optional-dependencies] web)',
      'uvicorn (pyproject.toml [project.optional-dependencies] server)',
      'pytest (pyproject.toml [dependency-groups] test)',
      'ruff (pyproject.toml [dependency-groups] lint)',
    ]);
    assert.equal(request.input, 'pyproject.toml');
    assert.deepEqual(request.sources.indexUrls, ['https://pypi.org/simple/']);
    await assert.rejects(readDeclaredResolution({ projectName: 'app', declared: [], pyproject, groups: ['docs'], environ: {} }), /build\.dependency_groups: dependency group "docs" is not in pyproject\.toml \[dependency-groups\] \(it has test, lint\)/);
    assert.equal(await readDeclaredResolution({ projectName: 'app', declared: [], environ: {} }), undefined);
  });

  test('index URLs: environment, [[tool.uv.index]], pip.conf', async () => {
    const conf = path.join(tmp, 'pip.conf');
    await writeFile(conf, '[global]\nindex-url = https://conf.example/simple/\nextra-index-url =\n    https://extra1.example/simple/\n    https://extra2.example/simple/\n[install]\ntimeout = 5\n');
    assert.deepEqual(parsePipConf('[global]\nindex_url = a\n[install]\nindex-url = b\n'), { 'index-url': 'b' });
    const home = { HOME: tmp };
    assert.deepEqual(await readIndexUrls({ ...home, PIP_CONFIG_FILE: conf }), ['https://conf.example/simple/', 'https://extra1.example/simple/', 'https://extra2.example/simple/']);
    const uv = { tool: { uv: { index: [{ name: 'internal', url: 'https://uv.example/simple/', default: true }, { name: 'more', url: 'https://more.example/simple/' }] } } };
    assert.deepEqual(await readIndexUrls({ ...home, PIP_CONFIG_FILE: os.devNull }, uv), ['https://uv.example/simple/', 'https://more.example/simple/']);
    assert.deepEqual(await readIndexUrls({ ...home, PIP_CONFIG_FILE: os.devNull, UV_INDEX_URL: 'https://env.example/simple/', PIP_EXTRA_INDEX_URL: 'https://x.example/simple/ https://y.example/simple/' }), [
      'https://env.example/simple/',
      'https://x.example/simple/',
      'https://y.example/simple/',
    ]);
  });
});
