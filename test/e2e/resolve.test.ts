// Lockless projects resolved on a local index (issue 11): a PEP 691 / PEP 503 server on loopback with
// two roots, one needing basic auth, serving Debian's pip/setuptools/wheel wheels and wheels built here
// with Requires-Dist; `.metadata` files for some wheels, HTTP ranges for the others. One image is built
// and run under runc; the rest are plans (cheap), so the file stays well under its time budget.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ensureBaseImage } from '../support/base-image.js';
import { runCli } from '../support/cli.js';
import { runImage } from '../support/run-image.js';
import { needTools, run } from '../support/tools.js';
import { buildPureWheels, ensureDebianWheels, type WheelFile } from '../support/wheels.js';

const TOOLS = ['apt-get', 'dpkg', 'python3', 'runc', 'skopeo', 'umoci'];

interface Dist extends WheelFile {
  /** Serve `<file>.metadata` (PEP 658) for it. */
  metadata?: Buffer;
  requiresPython?: string;
  root: 'public' | 'private';
}

/** The METADATA member of a wheel, read with the host's Python (the test's own view, not ours). */
async function wheelMetadata(file: string): Promise<Buffer> {
  const res = await run('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); n = [m for m in z.namelist() if m.endswith(".dist-info/METADATA")][0]; sys.stdout.buffer.write(z.read(n))', file]);
  return Buffer.from(res.stdout, 'utf8');
}

interface Index {
  port: number;
  requests: string[];
  dists: Dist[];
  stop(): Promise<void>;
}

const USER = 'resolver';
const PASSWORD = 's3cret-pw';

/**
 * /public/simple/ and /private/simple/ (basic auth); JSON for PEP 691 clients, HTML otherwise; pages
 * with an ETag and `max-age=0` (revalidated every time, so a newly published version shows at once);
 * wheel files honour `Range` (206), as PyPI's CDN does.
 */
async function serve(dists: Dist[]): Promise<Index> {
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    const m = /^\/(public|private)\/(simple\/([^/]+)\/|files\/([^/]+))$/.exec(url);
    if (!m) return void res.writeHead(404).end();
    const root = m[1] as Dist['root'];
    if (root === 'private' && req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="private"' }).end();
    }
    if (m[3]) {
      const files = dists.filter((d) => d.root === root && d.name === m[3]);
      if (!files.length) return void res.writeHead(404).end();
      const json = (req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json');
      const body = json
        ? JSON.stringify({
            meta: { 'api-version': '1.1' },
            name: m[3],
            files: files.map((f) => ({
              filename: f.filename,
              url: `../../files/${f.filename}`,
              hashes: { sha256: f.sha256 },
              size: f.size,
              ...(f.requiresPython ? { 'requires-python': f.requiresPython } : {}),
              ...(f.metadata ? { 'core-metadata': { sha256: createHash('sha256').update(f.metadata).digest('hex') } } : {}),
            })),
          })
        : `<!DOCTYPE html><html><body>${files
            .map((f) => `<a href="../../files/${f.filename}#sha256=${f.sha256}"${f.requiresPython ? ` data-requires-python="${f.requiresPython.replace(/>/g, '&gt;').replace(/</g, '&lt;')}"` : ''}${f.metadata ? ` data-core-metadata="sha256=${createHash('sha256').update(f.metadata).digest('hex')}"` : ''}>${f.filename}</a>`)
            .join('\n')}</body></html>`;
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag, 'cache-control': 'max-age=0' }).end();
      res.writeHead(200, { 'content-type': json ? 'application/vnd.pypi.simple.v1+json' : 'text/html', etag, 'cache-control': 'max-age=0' });
      return void res.end(body);
    }
    const name = decodeURIComponent(m[4]!);
    const metaOf = dists.find((d) => d.root === root && `${d.filename}.metadata` === name && d.metadata);
    if (metaOf) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(metaOf.metadata);
    const dist = dists.find((d) => d.root === root && d.filename === name);
    if (!dist) return void res.writeHead(404).end();
    const bytes = await readFile(dist.path);
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range) {
      const start = range[1] === '' ? bytes.length - Number(range[2]) : Number(range[1]);
      const end = range[1] === '' || range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      const from = Math.max(0, start);
      res.writeHead(206, { 'content-range': `bytes ${from}-${end}/${bytes.length}`, 'content-length': end - from + 1 });
      return void res.end(bytes.subarray(from, end + 1));
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { port: (server.address() as AddressInfo).port, requests, dists, stop: () => new Promise((ok) => server.close(() => ok())) };
}

describe('resolution of lockless projects on a local index', { concurrency: false }, () => {
  let tmp: string;
  let index: Index | undefined;
  let env: NodeJS.ProcessEnv;
  let debian: WheelFile[];
  const tag = '1.0.0';

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-resolve-'));
  });
  after(async () => {
    await index?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function setUp(): Promise<void> {
    if (index) return;
    debian = await ensureDebianWheels();
    const built = await buildPureWheels(path.join(tmp, 'wheels'), [
      // alpha needs beta and Debian's wheel; its extra "fancy" adds gamma (private index).
      { name: 'alpha', version: '1.0', requires: ['beta>=1', 'wheel'] },
      { name: 'alpha', version: '1.1', requires: ['beta>=1', 'wheel', 'gamma; extra == "fancy"'] },
      { name: 'alpha', version: '1.2', requires: ['beta>=1', 'wheel'] },
      // beta 1.0 drops its dependency on the target (marker) though it holds on an old host Python.
      { name: 'beta', version: '1.0', requires: ['setuptools; python_version < "3.0"'] },
      // beta 2.0 needs a Python the target does not have.
      { name: 'beta', version: '2.0', requires: [] },
      { name: 'gamma', version: '0.9', requires: [] },
    ]);
    const get = (n: string, v: string) => built.find((w) => w.name === n && w.version === v)!;
    const dists: Dist[] = [
      { ...get('alpha', '1.0'), root: 'public', metadata: await wheelMetadata(get('alpha', '1.0').path) },
      { ...get('alpha', '1.1'), root: 'public', metadata: await wheelMetadata(get('alpha', '1.1').path) },
      { ...get('beta', '1.0'), root: 'public' }, // no .metadata: read with ranges
      { ...get('beta', '2.0'), root: 'public', requiresPython: '>=3.99' },
      { ...get('gamma', '0.9'), root: 'private' },
      ...debian.map((w): Dist => ({ ...w, root: 'public', ...(w.name === 'pip' ? {} : {}) })),
    ];
    const pip = dists.find((d) => d.name === 'pip')!;
    pip.metadata = await wheelMetadata(pip.path);
    index = await serve(dists);
    // alpha 1.2 is published later in the test.
    (index as Index & { later?: Dist }).later = { ...get('alpha', '1.2'), root: 'public' };
    env = {
      PIP_INDEX_URL: `http://127.0.0.1:${index.port}/public/simple/`,
      PIP_CONFIG_FILE: os.devNull, // the host's pip.conf is not this test's
      SOURCE_DATE_EPOCH: '',
      XDG_CACHE_HOME: path.join(tmp, 'cache'), // plan and build share this cache (index pages, metadata, wheels)
    };
  }


  test('an unpinned requirements.txt (range, bare name, extra, an index with basic auth) builds and runs with the resolved set', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    await setUp();
    const base = await ensureBaseImage('plain');
    const dir = path.join(tmp, 'req-app');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'requirements.txt'),
      [`--extra-index-url http://${USER}:${PASSWORD}@127.0.0.1:${index!.port}/private/simple/`, 'alpha[fancy]>=1.0,<1.2', 'pip', ''].join('\n'),
    );
    await writeFile(path.join(dir, 'main.py'), 'import importlib.metadata as m\nprint(" ".join(f"{d}={m.version(d)}" for d in ["alpha", "beta", "gamma", "pip", "wheel"]))\n');
    const layout = path.join(tmp, 'req-image');
    const built = await runCli(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '-t', `req-app:${tag}`], { env });
    assert.equal(built.code, 0, built.stderr);
    const wheelVersion = debian.find((w) => w.name === 'wheel')!.version;
    const pipVersion = debian.find((w) => w.name === 'pip')!.version;
    const main = await runImage(layout, tag);
    assert.equal(main.stdout, `alpha=1.1 beta=1.0 gamma=0.9 pip=${pipVersion} wheel=${wheelVersion}\n`, main.stderr);
    const list = await runImage(layout, tag, { args: ['pip', 'list', '--disable-pip-version-check'] });
    const names = list.stdout.split('\n').slice(2).map((l) => l.split(/\s+/).slice(0, 2).join(' ')).filter((l) => l !== '' && !l.startsWith('req-app '));
    assert.deepEqual(names, ['alpha 1.1', 'beta 1.0', 'gamma 0.9', `pip ${pipVersion}`, `wheel ${wheelVersion}`], 'setuptools is dropped by its marker; beta 2.0 by requires-python');
    // Metadata came from .metadata (alpha, pip) and ranges (beta, gamma, wheel): no whole-wheel GET before install.
    assert.ok(index!.requests.some((r) => r.startsWith('GET /public/files/alpha-1.1-py3-none-any.whl.metadata')));
    assert.ok(index!.requests.some((r) => /^GET \/public\/files\/beta-1\.0-py3-none-any\.whl bytes=-\d+$/.test(r)), index!.requests.join('\n'));
    assert.ok(index!.requests.some((r) => /^GET \/private\/files\/gamma-0\.9-py3-none-any\.whl bytes=/.test(r)));
    assert.ok(!index!.requests.some((r) => r.includes('beta-2.0-py3-none-any.whl')), 'beta 2.0 is excluded by data-requires-python before any metadata is read');
  });

  test('only [project.dependencies]: the plan pins the resolution like a lock; --check, --locked, --write and --upgrade', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'python3', 'skopeo', 'umoci'])) return;
    await setUp();
    const base = await ensureBaseImage('plain');
    const dir = path.join(tmp, 'pyproject-app');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "pyproject-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha"]\n');
    await writeFile(path.join(dir, 'main.py'), 'print("hi")\n');
    const planArgs = ['-C', dir, '--base-image', base.ref];
    const written = await runCli(['plan', '--write', ...planArgs], { env });
    assert.equal(written.code, 0, written.stderr);
    const planFile = path.join(dir, 'pycontainer.plan.json');
    const text = await readFile(planFile, 'utf8');
    assert.ok(!text.includes(PASSWORD) && !text.includes(USER), 'no credentials in the plan');
    const plan = JSON.parse(text) as Plan;
    const layer = plan.dependencies![0]!;
    assert.equal(layer.source, 'resolved');
    assert.equal(layer.lock, 'pyproject.toml');
    assert.deepEqual(layer.packages.map((p) => `${p.name} ${p.version}`), ['alpha 1.1', 'beta 1.0', 'wheel ' + debian.find((w) => w.name === 'wheel')!.version]);
    const alpha = layer.packages.find((p) => p.name === 'alpha')!;
    assert.equal(alpha.sha256, index!.dists.find((d) => d.filename === alpha.filename)!.sha256);
    assert.deepEqual(alpha.requiredBy, ['pyproject.toml [project]']);
    assert.deepEqual(layer.packages.find((p) => p.name === 'wheel')!.requiredBy, ['alpha']);
    assert.deepEqual(layer.packages.find((p) => p.name === 'beta')!.requiredBy, ['alpha']);
    assert.equal(alpha.requested, true);
    assert.equal(layer.packages.find((p) => p.name === 'beta')!.requested, false);

    // A second plan is byte-identical, and a warm one asks the index nothing but page revalidations.
    const before = index!.requests.length;
    const again = await runCli(['plan', '--json', ...planArgs], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, text);
    const warm = index!.requests.slice(before);
    assert.deepEqual(warm.filter((r) => !/^GET \/public\/simple\/[a-z]+\/$/.test(r)), [], 'no metadata or file request on a warm re-plan');

    // alpha 1.2 is published: --check names the upgrade, --locked refuses, --write keeps 1.1, --upgrade takes it.
    index!.dists.push((index as Index & { later: Dist }).later);
    const check = await runCli(['plan', '--check', ...planArgs], { env });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /alpha 1\.1 → 1\.2/);
    assert.match(check.stdout, /plan --write --upgrade`/, "the hint says how to take it");
    const locked = await runCli(['plan', '--locked', ...planArgs], { env });
    assert.equal(locked.code, 1, locked.stderr);
    assert.match(locked.stderr, /--locked/);
    const kept = await runCli(['plan', '--write', ...planArgs], { env });
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(await readFile(planFile, 'utf8'), text, 'plan --write keeps the committed pins');
    const upgraded = await runCli(['plan', '--write', '--upgrade-package', 'alpha', ...planArgs], { env });
    assert.equal(upgraded.code, 0, upgraded.stderr);
    const after = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    assert.equal(after.dependencies![0]!.packages.find((p) => p.name === 'alpha')!.version, '1.2');
  });

  test('an unsatisfiable requirement and an unreachable index fail with one line', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'python3', 'skopeo', 'umoci'])) return;
    await setUp();
    const base = await ensureBaseImage('plain');
    const dir = path.join(tmp, 'bad-app');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'requirements.txt'), 'beta>=2\n');
    await writeFile(path.join(dir, 'main.py'), 'print("hi")\n');
    const none = await runCli(['plan', '-C', dir, '--base-image', base.ref], { env });
    assert.equal(none.code, 2, none.stderr);
    assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
    assert.match(none.stderr, /beta/);
    const down = await runCli(['plan', '-C', dir, '--base-image', base.ref], { env: { ...env, PIP_INDEX_URL: 'http://127.0.0.1:9/simple/' } });
    assert.equal(down.code, 69, down.stderr);
    assert.match(down.stderr, /could not reach 127\.0\.0\.1:9/);
  });
});
