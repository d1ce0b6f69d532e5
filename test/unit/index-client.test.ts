// The package index client: PEP 691 JSON, PEP 503 HTML, Basic auth from the URL or a netrc file (never
// leaked into returned URLs or messages), find-links directories and pages, against a loopback server.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConfigError, NetworkError } from '../../src/errors.js';
import { DistributionStore } from '../../src/python/index/download.js';
import { createIndexClient, parseNetrc, parseSimpleHtml, type IndexFile } from '../../src/python/index/index.js';

const sha = (label: string): string => createHash('sha256').update(label).digest('hex');
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let server: Server;
let base = '';
/** Another origin (a CDN, a redirect target): records whether credentials reached it. */
let other: Server;
let otherBase = '';
const otherRequests: { url: string; authorization: string | undefined }[] = [];
const requests: { url: string; accept: string; authorization: string | undefined }[] = [];
const dirs: string[] = [];

function page(req: IncomingMessage): { status: number; type?: string; body?: string; location?: string } {
  const url = req.url ?? '';
  const auth = req.headers.authorization;
  if (url.startsWith('/private/') && auth !== basic('netrc-user', 'netrc-pass')) return { status: 401 };
  if (url.startsWith('/userinfo/') && auth !== basic('alice', 's3cret/+')) return { status: 401 };
  if (url.startsWith('/boom/')) return { status: 503 };
  // Distribution files of the protected indexes: the bytes are the label their sha256 is made of.
  const file = /^\/(?:private|userinfo)\/files\/(html_proj-2\.0-py3-none-any\.whl|json_proj-1\.0-py3-none-any\.whl)$/.exec(url);
  if (file) return { status: 200, type: 'application/octet-stream', body: file[1]!.startsWith('html') ? 'h2' : 'j1' };
  if (url === '/userinfo/files/moved-1.0-py3-none-any.whl') return { status: 302, location: `${otherBase}/files/moved-1.0-py3-none-any.whl` };
  switch (url.replace(/^\/(private|userinfo)/, '')) {
    case '/simple/json-proj/':
      if (!String(req.headers.accept).includes('application/vnd.pypi.simple.v1+json')) return { status: 406 };
      return {
        status: 200,
        type: 'application/vnd.pypi.simple.v1+json',
        body: JSON.stringify({
          meta: { 'api-version': '1.1' },
          name: 'json-proj',
          files: [
            { filename: 'json_proj-1.0-py3-none-any.whl', url: '../../files/json_proj-1.0-py3-none-any.whl', hashes: { sha256: sha('j1').toUpperCase() }, 'requires-python': '>=3.9', size: 1234, yanked: false },
            { filename: 'json_proj-0.9.tar.gz', url: `http://mirror:pw@${new URL(base).host}/files/json_proj-0.9.tar.gz`, hashes: {}, yanked: 'broken build' },
          ],
        }),
      };
    case '/simple/html-proj/':
      return {
        status: 200,
        type: 'text/html; charset=utf-8',
        body: `<!DOCTYPE html><html><body><h1>Links for html-proj</h1>
<a href="../../files/html_proj-2.0-py3-none-any.whl#sha256=${sha('h2')}" data-requires-python="&gt;=3.8">html_proj-2.0-py3-none-any.whl</a><br/>
<a href='/files/html-proj-1.0.tar.gz#md5=abc' data-yanked="">html-proj-1.0.tar.gz</a>
</body></html>`,
      };
    case '/simple/moved/':
      return { status: 301, location: '/simple/html-proj/' };
    case '/links.html':
      return {
        status: 200,
        type: 'text/html',
        body: `<a href="files/json_proj-2.0-py3-none-any.whl#sha256=${sha('j2')}">json_proj-2.0-py3-none-any.whl</a><a href="files/unrelated-1.0.tar.gz">unrelated-1.0.tar.gz</a>`,
      };
    default:
      return { status: 404 };
  }
}

/** How many more times /flaky/ files fail: 'cut' sends half the body then resets, 503 answers so. */
const flaky: ('cut' | 503)[] = [];

before(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', accept: String(req.headers.accept), authorization: req.headers.authorization });
    if ((req.url ?? '').startsWith('/flaky/')) {
      const next = flaky.shift();
      const body = Buffer.from('flaky wheel bytes');
      if (next === 503) {
        res.writeHead(503, { 'retry-after': '0' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        if (next === 'cut') res.write(body.subarray(0, 5), () => res.socket?.resetAndDestroy());
        else res.end(body);
      }
      return;
    }
    const p = page(req);
    const headers: Record<string, string> = {};
    if (p.type) headers['content-type'] = p.type;
    if (p.location) headers.location = p.location;
    if (p.status === 401) headers['www-authenticate'] = 'Basic realm="index"';
    res.writeHead(p.status, headers);
    res.end(p.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  other = createServer((req, res) => {
    otherRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end((req.url ?? '').includes('cdn') ? 'cdn' : 'moved');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => other.close(() => resolve()));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'pycontainer-index-'));
  dirs.push(d);
  return d;
}

function assertNoCredentials(files: IndexFile[]): void {
  for (const f of files) {
    const u = new URL(f.url);
    assert.equal(u.username, '', f.url);
    assert.equal(u.password, '', f.url);
    assert.ok(!/netrc-|alice|s3cret|mirror:pw/.test(f.url), f.url);
  }
}

async function rejectsIndex(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConfigError || err instanceof NetworkError, String(err));
    assert.equal(err.code, 'E_INDEX');
    // A server error may pass (exit 69, the network's); anything else is the input's (exit 2).
    assert.equal(err.exitCode, /answered 5\d\d/.test(err.message) ? 69 : 2, err.message);
    for (const p of patterns) assert.match(err.message, p);
    assert.ok(!/s3cret|netrc-pass|alice|wrong/.test(err.message), `no credentials in: ${err.message}`);
    return err.message;
  }
  assert.fail('expected E_INDEX');
}

describe('simple API', () => {
  test('PEP 691 JSON: content negotiation, normalized name, relative URLs, hashes, yanked', async () => {
    const client = createIndexClient({ indexUrls: [`${base}/simple`], findLinks: [], env: { HOME: '/nonexistent' } });
    requests.length = 0;
    const files = await client.files('JSON_Proj');
    assert.equal(requests[0]!.url, '/simple/json-proj/');
    assert.equal(requests[0]!.accept, 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01');
    assert.deepEqual(files, [
      { filename: 'json_proj-1.0-py3-none-any.whl', url: `${base}/files/json_proj-1.0-py3-none-any.whl`, sha256: sha('j1'), size: 1234, requiresPython: '>=3.9', yanked: false },
      { filename: 'json_proj-0.9.tar.gz', url: `${base}/files/json_proj-0.9.tar.gz`, yanked: true },
    ]);
    assertNoCredentials(files);
    await client.files('json.proj');
    assert.equal(requests.length, 1, 'cached per normalized name');
  });

  test('PEP 503 HTML: anchors, #sha256 fragments, data-requires-python, data-yanked, redirects', async () => {
    const client = createIndexClient({ indexUrls: [`${base}/simple/`], findLinks: [], env: { HOME: '/nonexistent' } });
    const files = await client.files('html-proj');
    assert.deepEqual(files, [
      { filename: 'html_proj-2.0-py3-none-any.whl', url: `${base}/files/html_proj-2.0-py3-none-any.whl`, sha256: sha('h2'), requiresPython: '>=3.8', yanked: false },
      { filename: 'html-proj-1.0.tar.gz', url: `${base}/files/html-proj-1.0.tar.gz`, yanked: true },
    ]);
    assert.deepEqual(await client.files('moved'), files, 'the redirect target is the base for relative links');
  });

  test('a project the index does not have is an empty list; other failures are E_INDEX, an unreachable host a NetworkError', async () => {
    const client = createIndexClient({ indexUrls: [`${base}/simple/`], findLinks: [], env: { HOME: '/nonexistent' } });
    assert.deepEqual(await client.files('absent'), []);
    const boom = createIndexClient({ indexUrls: [`http://alice:s3cret%2F%2B@127.0.0.1:${new URL(base).port}/boom/simple/`], findLinks: [], env: {} });
    const message = await rejectsIndex(boom.files('x'), /503/, new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/boom/simple/x/`));
    assert.ok(!message.includes('@'));
    // A host that does not answer is a network failure (exit 69) naming the host, not an input error.
    const unreachable = createIndexClient({ indexUrls: ['http://bob:hunter2@127.0.0.1:1/simple/?token=t0k'], findLinks: [] });
    await assert.rejects(unreachable.files('x'), (err: unknown) => {
      assert.ok(err instanceof NetworkError, String(err));
      assert.equal(err.exitCode, 69);
      assert.match(err.message, /^could not reach 127\.0\.0\.1:1 \(while reading the package index\)/);
      assert.ok(!/bob|hunter2|t0k/.test(err.message), err.message);
      return true;
    });
    // A wheel download from a host that does not answer: the same, naming the file.
    const store = await DistributionStore.open(undefined);
    try {
      await assert.rejects(store.fetch({ filename: 'x-1.0-py3-none-any.whl', url: 'http://bob:hunter2@127.0.0.1:1/files/x-1.0-py3-none-any.whl?sig=t0k', sha256: '0'.repeat(64) }, '/'), (err: unknown) => {
        assert.ok(err instanceof NetworkError, String(err));
        assert.match(err.message, /^could not reach 127\.0\.0\.1:1 \(while downloading x-1\.0-py3-none-any\.whl\)/);
        assert.ok(!/bob|hunter2|t0k/.test(err.message), err.message);
        return true;
      });
    } finally {
      await store.close();
    }
  });

  test('several indexes are concatenated; --no-index skips them', async () => {
    const client = createIndexClient({ indexUrls: [`${base}/simple/`, `${base}/other/simple/`], findLinks: [`${base}/links.html`], env: { HOME: '/nonexistent' } });
    const files = await client.files('json-proj');
    assert.deepEqual(files.map((f) => f.filename), ['json_proj-1.0-py3-none-any.whl', 'json_proj-0.9.tar.gz', 'json_proj-2.0-py3-none-any.whl']);
    const none = createIndexClient({ indexUrls: [`${base}/simple/`], findLinks: [], noIndex: true });
    assert.deepEqual(await none.files('json-proj'), []);
  });
});

describe('downloads', () => {
  test('a server error or a body cut off halfway is tried again; a download that keeps breaking is a network error, not a hash mismatch', async () => {
    process.env.PYCONTAINER_RETRY_BASE_MS = '1';
    const store = await DistributionStore.open(undefined, { env: { HOME: '/nonexistent' } });
    try {
      flaky.push(503, 'cut', 'cut');
      const file = await store.fetch({ filename: 'flaky-1.0-py3-none-any.whl', url: `${base}/flaky/files/flaky-1.0-py3-none-any.whl`, sha256: sha('flaky wheel bytes') }, '/');
      assert.equal(await readFile(file, 'utf8'), 'flaky wheel bytes');
      assert.equal(flaky.length, 0);
      flaky.push('cut', 'cut', 'cut', 'cut');
      await assert.rejects(store.fetch({ filename: 'flaky-2.0-py3-none-any.whl', url: `${base}/flaky/files/flaky-2.0-py3-none-any.whl`, sha256: sha('x') }, '/'), (err: unknown) => {
        assert.ok(err instanceof NetworkError, String(err));
        assert.equal(err.exitCode, 69);
        assert.match(err.message, /the download of flaky-2\.0-py3-none-any\.whl broke off/);
        return true;
      });
    } finally {
      delete process.env.PYCONTAINER_RETRY_BASE_MS;
      await store.close();
    }
  });
});

describe('credentials', () => {
  test('from a netrc file (NETRC), sent as Basic auth, never in returned URLs', async () => {
    const dir = await tempDir();
    const netrc = path.join(dir, 'netrc');
    await writeFile(netrc, `# creds\nmachine other.example login x password y\n\nmachine 127.0.0.1\n  login netrc-user\n  password netrc-pass\n`);
    const client = createIndexClient({ indexUrls: [`${base}/private/simple/`], findLinks: [], env: { NETRC: netrc } });
    requests.length = 0;
    const files = await client.files('json-proj');
    assert.equal(files.length, 2);
    assert.equal(requests[0]!.authorization, basic('netrc-user', 'netrc-pass'));
    assertNoCredentials(files);
    assert.equal(files[0]!.url, `${base}/private/files/json_proj-1.0-py3-none-any.whl`);
  });

  test('from HOME/.netrc', async () => {
    const home = await tempDir();
    await writeFile(path.join(home, '.netrc'), 'machine 127.0.0.1 login netrc-user password netrc-pass');
    const client = createIndexClient({ indexUrls: [`${base}/private/simple/`], findLinks: [], env: { HOME: home } });
    assertNoCredentials(await client.files('html-proj'));
  });

  test('from userinfo in the index URL (percent-decoded); a refusal names the URL without them', async () => {
    const port = new URL(base).port;
    const client = createIndexClient({ indexUrls: [`http://alice:s3cret%2F%2B@127.0.0.1:${port}/userinfo/simple/`], findLinks: [], env: {} });
    const files = await client.files('html-proj');
    assert.equal(files.length, 2);
    assertNoCredentials(files);
    const wrong = createIndexClient({ indexUrls: [`http://alice:wrong@127.0.0.1:${port}/userinfo/simple/`], findLinks: [], env: {} });
    await rejectsIndex(wrong.files('html-proj'), /401/, /refused/, new RegExp(`http://127\\.0\\.0\\.1:${port}/userinfo/simple/html-proj/`));
    const anonymous = createIndexClient({ indexUrls: [`${base}/private/simple/`], findLinks: [], env: { HOME: '/nonexistent' } });
    await rejectsIndex(anonymous.files('json-proj'), /401/, /netrc/);
  });

  test('wheels on an index that needs credentials are downloaded with them (URL userinfo), never sent to another host', async () => {
    const port = new URL(base).port;
    const client = createIndexClient({ indexUrls: [`http://alice:s3cret%2F%2B@127.0.0.1:${port}/userinfo/simple/`], findLinks: [], env: {} });
    const [wheel] = await client.files('html-proj');
    assert.equal(wheel!.url, `${base}/userinfo/files/html_proj-2.0-py3-none-any.whl`);
    const store = await DistributionStore.open(undefined, { env: { HOME: '/nonexistent' } });
    try {
      requests.length = 0;
      const file = await store.fetch({ filename: wheel!.filename, url: wheel!.url, sha256: wheel!.sha256! }, '/');
      assert.equal(createHash('sha256').update(await readFile(file)).digest('hex'), sha('h2'));
      assert.deepEqual(requests.map((r) => [r.url, r.authorization]), [['/userinfo/files/html_proj-2.0-py3-none-any.whl', basic('alice', 's3cret/+')]]);

      // A redirect to another origin: followed, without the credentials.
      otherRequests.length = 0;
      await store.fetch({ filename: 'moved-1.0-py3-none-any.whl', url: `${base}/userinfo/files/moved-1.0-py3-none-any.whl`, sha256: sha('moved') }, '/');
      assert.equal(requests.at(-1)!.authorization, basic('alice', 's3cret/+'), 'the index origin gets them');
      assert.deepEqual(otherRequests, [{ url: '/files/moved-1.0-py3-none-any.whl', authorization: undefined }], 'the other origin does not');

      // A file listed on another origin (a CDN) is fetched anonymously.
      otherRequests.length = 0;
      await store.fetch({ filename: 'cdn-1.0-py3-none-any.whl', url: `${otherBase}/files/cdn-1.0-py3-none-any.whl`, sha256: sha('cdn') }, '/');
      assert.deepEqual(otherRequests, [{ url: '/files/cdn-1.0-py3-none-any.whl', authorization: undefined }]);
    } finally {
      await store.close();
    }
  });

  test('wheels on an index that needs credentials are downloaded with them (netrc), also in a later process', async () => {
    const dir = await tempDir();
    const netrc = path.join(dir, 'netrc');
    await writeFile(netrc, `machine 127.0.0.1 login netrc-user password netrc-pass\n`);
    const client = createIndexClient({ indexUrls: [`${base}/private/simple/`], findLinks: [], env: { NETRC: netrc } });
    const wheel = (await client.files('json-proj')).find((f) => f.filename.endsWith('.whl'))!;
    const store = await DistributionStore.open(undefined, { env: { NETRC: netrc } });
    try {
      requests.length = 0;
      await store.fetch({ filename: wheel.filename, url: wheel.url, sha256: wheel.sha256! }, '/');
      // The same origin serves /userinfo/ with other credentials: the file gets its own index's.
      assert.deepEqual(requests.map((r) => r.authorization), [basic('netrc-user', 'netrc-pass')]);
    } finally {
      await store.close();
    }
    // `pycontainer apply` in another process has read no page: netrc for the file's own host still works.
    const { readDownloadAuthorization } = await import('../../src/python/index/auth.js');
    assert.equal(await readDownloadAuthorization(`http://127.0.0.1:1/private/files/x.whl`, { NETRC: netrc }), basic('netrc-user', 'netrc-pass'));
    assert.equal(await readDownloadAuthorization('http://files.example/x.whl', { NETRC: netrc }), undefined, 'no entry for that host: anonymous');
    await writeFile(netrc, 'default login anyone password anything\n');
    assert.equal(await readDownloadAuthorization('http://files.example/x.whl', { NETRC: netrc }), undefined, 'a default entry is not sent to a host no index was read from');
    // Without credentials the refusal is an input error naming the file, not a crash.
    const anonymous = await DistributionStore.open(undefined, { env: { HOME: '/nonexistent' } });
    try {
      await assert.rejects(anonymous.fetch({ filename: 'json_proj-1.0-py3-none-any.whl', url: `${base}/private/files/json_proj-1.0-py3-none-any.whl`, sha256: sha('j1') }, '/', () => undefined), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, /json_proj-1\.0-py3-none-any\.whl: download failed with HTTP 401/);
        return true;
      });
    } finally {
      await anonymous.close();
    }
  });

  test('parseNetrc', () => {
    assert.deepEqual(parseNetrc('machine a login u password "p w"\nmacdef init\ncd /\n\ndefault login anon password x\n'), [
      { machine: 'a', login: 'u', password: 'p w' },
      { login: 'anon', password: 'x' },
    ]);
  });
});

describe('find-links', () => {
  test('a local directory: matching wheels and sdists, streamed sha256, size', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'my_pkg-1.0-py3-none-any.whl'), 'wheel bytes');
    await writeFile(path.join(dir, 'my-pkg-1.0.tar.gz'), 'sdist bytes!');
    await writeFile(path.join(dir, 'other-1.0-py3-none-any.whl'), 'x');
    await writeFile(path.join(dir, 'README.md'), 'x');
    for (const link of [dir, pathToFileURL(dir).href]) {
      const client = createIndexClient({ indexUrls: [], findLinks: [link] });
      assert.deepEqual(await client.files('My.Pkg'), [
        { filename: 'my-pkg-1.0.tar.gz', url: pathToFileURL(path.join(dir, 'my-pkg-1.0.tar.gz')).href, sha256: sha('sdist bytes!'), size: 12, yanked: false },
        { filename: 'my_pkg-1.0-py3-none-any.whl', url: pathToFileURL(path.join(dir, 'my_pkg-1.0-py3-none-any.whl')).href, sha256: sha('wheel bytes'), size: 11, yanked: false },
      ]);
    }
    await rejectsIndex(createIndexClient({ indexUrls: [], findLinks: [path.join(dir, 'nope')] }).files('x'), /find-links directory/);
  });

  test('an HTML page of links', async () => {
    const client = createIndexClient({ indexUrls: [], findLinks: [`${base}/links.html`] });
    assert.deepEqual(await client.files('json-proj'), [{ filename: 'json_proj-2.0-py3-none-any.whl', url: `${base}/files/json_proj-2.0-py3-none-any.whl`, sha256: sha('j2'), yanked: false }]);
  });

  test('parseSimpleHtml strips credentials from absolute links and honours <base>', () => {
    const files = parseSimpleHtml('<base href="https://cdn.example/pkgs/"><a href="https://u:p@files.example/a-1.0.tar.gz">a-1.0.tar.gz</a><a href="b-1.0.tar.gz">b</a>', 'https://idx.example/simple/a/');
    assert.deepEqual(files.map((f) => [f.filename, f.url]), [
      ['a-1.0.tar.gz', 'https://files.example/a-1.0.tar.gz'],
      ['b-1.0.tar.gz', 'https://cdn.example/pkgs/b-1.0.tar.gz'],
    ]);
  });
});
