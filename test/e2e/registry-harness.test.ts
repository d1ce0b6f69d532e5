// Proves the registry fixtures (test/support/registry.ts, fault-proxy.ts) with skopeo,
// the reference client: the real distribution registry in plain, tls-basic and token
// modes, and the fault-injecting proxy in front of a plain one.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { ensureBaseImage } from '../support/base-image.js';
import { faults, startFaultProxy } from '../support/fault-proxy.js';
import {
  pushBaseImage,
  rawRequest,
  registryRequest,
  skopeoAnonymousFlags,
  startRegistry,
  type RegistryMode,
  type TestRegistry,
} from '../support/registry.js';
import { needTools, run } from '../support/tools.js';

const TOOLS = ['docker-registry', 'skopeo', 'openssl', 'htpasswd'];

async function withRegistry<T>(
  t: TestContext,
  mode: RegistryMode,
  fn: (reg: TestRegistry) => Promise<T>,
  opts?: { tokenTtlSeconds?: number },
): Promise<T> {
  const t0 = Date.now();
  const reg = await startRegistry(mode, opts);
  t.diagnostic(`${mode} registry at ${reg.url} ready in ${Date.now() - t0} ms`);
  try {
    return await fn(reg);
  } finally {
    await reg.stop();
  }
}

async function skopeoInspect(reg: TestRegistry, ref: string, flags = reg.skopeoFlags) {
  return run('skopeo', ['inspect', ...flags, `docker://${reg.host}/${ref}`], { allowFail: true, timeoutMs: 60_000 });
}

/** The manifest digest the base image layout has for its tag. */
async function layoutDigest(variant: 'plain' | 'web'): Promise<string> {
  const base = await ensureBaseImage(variant);
  const index = JSON.parse(await readFile(path.join(base.layoutDir, 'index.json'), 'utf8'));
  return index.manifests.find((m: any) => m.annotations?.['org.opencontainers.image.ref.name'] === base.tag).digest;
}

describe('registry fixture', () => {
  test('plain: push the base image with skopeo, inspect it back', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(t, 'plain', async (reg) => {
      assert.match(reg.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(reg.env, {});
      const v2 = await registryRequest(reg, 'GET', '/v2/');
      assert.equal(v2.status, 200);

      const t0 = Date.now();
      const digest = await pushBaseImage(reg, 'plain', 'library/python', '3.11');
      t.diagnostic(`pushBaseImage(plain) took ${Date.now() - t0} ms`);
      assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal(digest, await layoutDigest('plain'));

      const inspected = await skopeoInspect(reg, 'library/python:3.11');
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.equal(JSON.parse(inspected.stdout).Digest, digest);
    });
  });

  test('tls-basic: anonymous gets 401 Basic, skopeo with creds works, a wrong password does not', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(t, 'tls-basic', async (reg) => {
      assert.match(reg.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(reg.caFile && reg.username && reg.password);
      assert.deepEqual(reg.env, { NODE_EXTRA_CA_CERTS: reg.caFile });

      const anon = await registryRequest(reg, 'GET', '/v2/');
      assert.equal(anon.status, 401);
      assert.match(String(anon.headers['www-authenticate']), /^Basic realm=/);

      const basic = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
      const ok = await registryRequest(reg, 'GET', '/v2/', { headers: { Authorization: basic } });
      assert.equal(ok.status, 200);

      // reg.env is what a child Node process (the CLI under test) needs to trust the CA.
      const script = `fetch(${JSON.stringify(`${reg.url}/v2/`)}).then(r => console.log(r.status, r.headers.get('www-authenticate')))`;
      const child = await run(process.execPath, ['-e', script], { env: { ...process.env, ...reg.env } });
      assert.match(child.stdout, /^401 Basic realm=/);
      const untrusted = await run(process.execPath, ['-e', script], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
        allowFail: true,
      });
      assert.notEqual(untrusted.code, 0, 'without the CA, TLS verification must fail');

      const digest = await pushBaseImage(reg, 'plain', 'team/python', 'v1');
      const inspected = await skopeoInspect(reg, 'team/python:v1');
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.equal(JSON.parse(inspected.stdout).Digest, digest);

      const wrongCreds = reg.skopeoFlags.map((f) => (f === `${reg.username}:${reg.password}` ? `${reg.username}:wrong` : f));
      assert.notDeepEqual(wrongCreds, reg.skopeoFlags);
      const wrong = await skopeoInspect(reg, 'team/python:v1', wrongCreds);
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /unauthorized|authentication required|401/i);

      const anonymous = await skopeoInspect(reg, 'team/python:v1', skopeoAnonymousFlags(reg));
      assert.notEqual(anonymous.code, 0);
    });
  });

  test('token: 401 Bearer challenge, skopeo gets tokens and pushes, scopes are recorded', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(t, 'token', async (reg) => {
      assert.ok(reg.caFile && reg.username && reg.password && reg.tokenRequests && reg.realm && reg.service);
      const anon = await registryRequest(reg, 'GET', '/v2/');
      assert.equal(anon.status, 401);
      const challenge = String(anon.headers['www-authenticate']);
      assert.match(challenge, /^Bearer /);
      assert.ok(challenge.includes(`realm="${reg.realm}"`), challenge);
      assert.ok(challenge.includes(`service="${reg.service}"`), challenge);

      const digest = await pushBaseImage(reg, 'plain', 'acme/app', 'latest');
      const push = reg.tokenRequests.find((r) => r.scope.includes('repository:acme/app:pull,push'));
      assert.ok(push, JSON.stringify(reg.tokenRequests));
      assert.equal(push.account, reg.username);
      assert.equal(push.service, reg.service);

      const inspected = await skopeoInspect(reg, 'acme/app:latest');
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.equal(JSON.parse(inspected.stdout).Digest, digest);

      // Anonymous: the issuer hands out a token without access, the registry refuses it.
      const before = reg.tokenRequests.length;
      const anonymous = await skopeoInspect(reg, 'acme/app:latest', skopeoAnonymousFlags(reg));
      assert.notEqual(anonymous.code, 0);
      assert.match(anonymous.stderr, /unauthorized|authentication required|401/i);
      assert.ok(reg.tokenRequests.slice(before).some((r) => r.account === undefined));

      // Wrong password: the issuer itself answers 401.
      const wrongCreds = reg.skopeoFlags.map((f) => (f === `${reg.username}:${reg.password}` ? `${reg.username}:nope` : f));
      const wrong = await skopeoInspect(reg, 'acme/app:latest', wrongCreds);
      assert.notEqual(wrong.code, 0);

      // Copy within the registry: skopeo mounts the blobs across repositories, asking for
      // pull on the source repository in the same token request as push on the target.
      await run('skopeo', [
        'copy', '--quiet', ...reg.skopeoSrc, ...reg.skopeoDest,
        `docker://${reg.host}/acme/app:latest`, `docker://${reg.host}/acme/copy:latest`,
      ], { timeoutMs: 120_000 });
      const mount = reg.tokenRequests.find(
        (r) => r.scope.includes('repository:acme/copy:pull,push') && r.scope.includes('repository:acme/app:pull'),
      );
      t.diagnostic(`token requests: ${JSON.stringify(reg.tokenRequests.map((r) => r.scope))}`);
      assert.ok(mount, 'expected a token request for a cross-repository mount');
    });
  });

  test('token: tokens stop working when expires_in says so', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(
      t,
      'token',
      async (reg) => {
        const basic = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
        const tokenUrl = `${reg.realm}?service=${encodeURIComponent(reg.service!)}&scope=${encodeURIComponent('repository:x/y:pull')}`;
        const res = await rawRequest('GET', tokenUrl, { headers: { Authorization: basic }, caFile: reg.caFile! });
        assert.equal(res.status, 200);
        const body = JSON.parse(res.body.toString('utf8'));
        assert.equal(body.expires_in, 2);
        assert.equal(body.token, body.access_token);
        const [header] = body.token.split('.');
        assert.ok(Array.isArray(JSON.parse(Buffer.from(header, 'base64url').toString()).x5c));

        const bearer = { Authorization: `Bearer ${body.token}` };
        const now = await registryRequest(reg, 'GET', '/v2/x/y/tags/list', { headers: bearer });
        assert.equal(now.status, 404, now.body.toString()); // authorized; the repository does not exist
        await new Promise((r) => setTimeout(r, 2500));
        const later = await registryRequest(reg, 'GET', '/v2/x/y/tags/list', { headers: bearer });
        assert.equal(later.status, 401);

        const bad = await rawRequest('GET', tokenUrl, {
          headers: { Authorization: `Basic ${Buffer.from(`${reg.username}:x`).toString('base64')}` },
          caFile: reg.caFile!,
        });
        assert.equal(bad.status, 401);
      },
      { tokenTtlSeconds: 2 },
    );
  });

  test('several registries run side by side', async (t) => {
    if (!needTools(t, TOOLS)) return;
    const t0 = Date.now();
    const regs = await Promise.all((['plain', 'plain', 'tls-basic', 'token'] as const).map((m) => startRegistry(m)));
    try {
      t.diagnostic(`4 registries in parallel ready in ${Date.now() - t0} ms`);
      assert.equal(new Set(regs.map((r) => r.host)).size, regs.length);
      for (const reg of regs) {
        const res = await registryRequest(reg, 'GET', '/v2/');
        assert.equal(res.status, reg.mode === 'plain' ? 200 : 401);
      }
    } finally {
      await Promise.all(regs.map((r) => r.stop()));
    }
    for (const reg of regs) {
      await assert.rejects(registryRequest(reg, 'GET', '/v2/'), 'a stopped registry must not answer');
      if (reg.caFile) await assert.rejects(readFile(reg.caFile), 'the temp dir must be gone');
    }
  });
});

describe('fault proxy', () => {
  test('a 503 rule answers 503 first, then passes through', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(t, 'plain', async (reg) => {
      const proxy = await startFaultProxy(reg, [{ method: 'GET', path: /^\/v2\/$/, action: faults.unavailable() }]);
      try {
        const first = await registryRequest(proxy, 'GET', '/v2/');
        assert.equal(first.status, 503);
        assert.equal(JSON.parse(first.body.toString()).errors[0].code, 'UNAVAILABLE');
        const second = await registryRequest(proxy, 'GET', '/v2/');
        assert.equal(second.status, 200);
        assert.deepEqual(proxy.hits, [1]);
        assert.deepEqual(proxy.matches, [2]);
        assert.deepEqual(
          proxy.log.map((e) => [e.method, e.path, e.status, e.fault]),
          [
            ['GET', '/v2/', 503, 'status'],
            ['GET', '/v2/', 200, undefined],
          ],
        );

        proxy.setRules([
          { path: /^\/v2\/$/, times: 2, action: faults.tooManyRequests(3) },
          { path: /^\/v2\/$/, action: faults.serverError('UNKNOWN', 'boom') },
        ]);
        const a = await registryRequest(proxy, 'GET', '/v2/');
        assert.equal(a.status, 429);
        assert.equal(a.headers['retry-after'], '3');
        assert.equal(JSON.parse(a.body.toString()).errors[0].code, 'TOOMANYREQUESTS');
        assert.equal((await registryRequest(proxy, 'GET', '/v2/')).status, 429);
        const c = await registryRequest(proxy, 'GET', '/v2/');
        assert.equal(c.status, 500);
        assert.deepEqual(JSON.parse(c.body.toString()).errors[0], { code: 'UNKNOWN', message: 'boom', detail: null });
        assert.equal((await registryRequest(proxy, 'GET', '/v2/')).status, 200);
        assert.deepEqual(proxy.hits, [2, 1]);
      } finally {
        await proxy.stop();
      }
    });
  });

  test('uploads go through the proxy; blob GETs can be reset or redirected', async (t) => {
    if (!needTools(t, TOOLS)) return;
    await withRegistry(t, 'plain', async (reg) => {
      const proxy = await startFaultProxy(reg, []);
      try {
        const digest = await pushBaseImage(proxy, 'plain', 'via/proxy', 'v1');
        const uploads = proxy.log.filter((e) => /\/blobs\/uploads\//.test(e.path));
        assert.ok(uploads.some((e) => e.method === 'PUT' && e.status === 201), JSON.stringify(proxy.log));
        const inspected = await skopeoInspect(proxy, 'via/proxy:v1');
        assert.equal(JSON.parse(inspected.stdout).Digest, digest);

        const manifest = JSON.parse(
          (
            await registryRequest(proxy, 'GET', `/v2/via/proxy/manifests/${digest}`, {
              headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
            })
          ).body.toString(),
        );
        const layer = manifest.layers[0] as { digest: string; size: number };
        const blobPath = `/v2/via/proxy/blobs/${layer.digest}`;

        proxy.setRules([
          { method: 'GET', path: /\/blobs\/sha256:/, action: faults.reset(1000) },
          { method: 'GET', path: /\/blobs\/sha256:/, action: faults.redirect() },
        ]);
        await assert.rejects(registryRequest(proxy, 'GET', blobPath));
        assert.equal(proxy.log.at(-1)!.fault, 'reset');

        const redirected = await registryRequest(proxy, 'GET', blobPath, { headers: { Authorization: 'Bearer secret' } });
        assert.equal(redirected.status, 307);
        const location = String(redirected.headers.location);
        assert.ok(location.startsWith(proxy.mirror.url), location);
        assert.equal(proxy.log.at(-1)!.authorization, true);

        const fromMirror = await rawRequest('GET', location);
        assert.equal(fromMirror.status, 200);
        assert.equal(fromMirror.body.length, layer.size);
        assert.equal(`sha256:${createHash('sha256').update(fromMirror.body).digest('hex')}`, layer.digest);
        await rawRequest('GET', location, { headers: { Authorization: 'Bearer leaked' } });
        assert.deepEqual(
          proxy.mirror.log.map((e) => [e.status, e.authorization]),
          [
            [200, false],
            [200, true],
          ],
        );
        assert.equal(JSON.stringify(proxy.log).includes('secret'), false, 'the log must not hold header values');
      } finally {
        await proxy.stop();
      }
    });
  });
});
