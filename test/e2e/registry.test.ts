// pycontainer against the real CNCF distribution registry on loopback: plan pins a base from the
// registry, build --push publishes, skopeo and umoci pull the result back and runc runs it. In the three
// security modes (plain HTTP, TLS + htpasswd, Bearer tokens), across platforms and registries, and
// through a proxy that injects the faults a real registry will not produce on demand.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { ensureMultiArchBaseImage, findRepoRoot } from '../support/base-image.js';
import { faults, startFaultProxy } from '../support/fault-proxy.js';
import { pushBaseImage, startRegistry, type TestRegistry } from '../support/registry.js';
import { runImage } from '../support/run-image.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { EXIT } from '../../src/errors.js';

/** Registry refusals, unreachable hosts and corrupt replies: not the input's fault. */
const EXIT_NETWORK = EXIT.network;

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const TOOLS = ['docker-registry', 'skopeo', 'openssl', 'htpasswd', 'apt-get', 'dpkg'];
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-registry-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The CLI with a clean credential environment (a temp HOME, no docker config of the host). */
function pyc(args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return run('node', [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: path.join(tmp, 'home'), ...env },
    allowFail: true,
    ...(input !== undefined ? { input } : {}),
  });
}

function json(r: RunResult): any {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** skopeo copy of a pushed image into a local layout, then run it: what a user pulling it gets. */
async function pullAndRun(reg: TestRegistry, ref: string, tag: string): Promise<string> {
  const layout = path.join(tmp, `pulled-${Math.random().toString(16).slice(2)}`);
  await run('skopeo', ['copy', '--quiet', ...reg.skopeoSrc, `docker://${ref}`, `oci:${layout}:${tag}`]);
  const out = await runImage(layout, tag);
  assert.equal(out.code, 0, out.stderr);
  return out.stdout;
}

describe('registries', { concurrency: false }, () => {
  test('plain HTTP, anonymous: pin a base, push, pull back, run; a second push uploads nothing', async (t: TestContext) => {
    if (!needTools(t, [...TOOLS, 'umoci', 'runc'], { root: true })) return;
    const reg = await startRegistry('plain');
    try {
      const baseDigest = await pushBaseImage(reg, 'plain', 'library/python', '3.11');
      const planFile = path.join(tmp, 'plain.plan.json');
      const planned = await pyc(['plan', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/library/python:3.11`, '-t', `${reg.host}/apps/hello:1`, '-o', planFile]);
      assert.equal(planned.code, 0, planned.stderr);
      const plan = JSON.parse(await readFile(planFile, 'utf8'));
      assert.equal(plan.base.ref, `${reg.host}/library/python:3.11`);
      assert.equal(plan.base.digest, baseDigest, 'the plan pins the base by digest');
      assert.equal(plan.annotations['org.opencontainers.image.base.digest'], baseDigest);
      assert.ok(plan.images[0].config.config.Env.includes('PYTHON_VERSION=3.11.2'), 'the base config is inherited');

      const first = json(await pyc(['apply', planFile, '-C', path.join(repo, 'examples/hello-cli'), '--push', '--json', '--no-cache']));
      assert.deepEqual(first.pushed, [`${reg.host}/apps/hello:1@${first.digest}`]);
      assert.equal(first.pushedBlobs.mounted, 1, 'the base layer is mounted from library/python, not uploaded');
      assert.equal(first.pushedBlobs.uploaded, 2, 'app layer and config are uploaded');
      const inspect = JSON.parse((await run('skopeo', ['inspect', ...reg.skopeoFlags, `docker://${reg.host}/apps/hello:1`])).stdout);
      assert.equal(inspect.Digest, first.digest);
      assert.equal(await pullAndRun(reg, `${reg.host}/apps/hello:1`, '1'), 'Hello, container! hello-cli 0.3.0 on Python 3.11\nrunning as uid 65532 in /app, HOME=/home/nonroot\n');

      // The second push goes through a counting proxy: the registry sees no upload at all.
      const proxy = await startFaultProxy(reg, []);
      try {
        const counted = path.join(tmp, 'plain-counted.plan.json');
        await pyc(['plan', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/library/python:3.11`, '-t', `${proxy.host}/apps/hello:1`, '-o', counted]);
        const second = json(await pyc(['apply', counted, '-C', path.join(repo, 'examples/hello-cli'), '--push', '--json', '--no-cache']));
        assert.equal(second.digest, first.digest);
        assert.deepEqual(second.pushedBlobs, { uploaded: 0, mounted: 0, exists: 3 });
        const uploads = proxy.log.filter((e) => /\/blobs\/uploads\//.test(e.path));
        assert.deepEqual(uploads, [], 'no upload request reached the registry');
        assert.deepEqual(proxy.log.filter((e) => e.method === 'HEAD').map((e) => e.path), ['/v2/apps/hello/manifests/1'], 'one HEAD: the tag already points at the image');
      } finally {
        await proxy.stop();
      }
    } finally {
      await reg.stop();
    }
  });

  test('TLS with a private CA and htpasswd: credentials from the environment; a wrong password fails cleanly', async (t: TestContext) => {
    if (!needTools(t, [...TOOLS, 'umoci', 'runc'], { root: true })) return;
    const reg = await startRegistry('tls-basic');
    try {
      await pushBaseImage(reg, 'plain', 'base/python', '3.11');
      const env = { ...reg.env, REGISTRY_USERNAME: reg.username!, REGISTRY_PASSWORD: reg.password! };
      const built = json(
        await pyc(['build', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${reg.host}/base/python:3.11`, '-t', `${reg.host}/team/flat:2`, '--push', '--json', '--no-cache'], env),
      );
      assert.equal(built.pushedBlobs.mounted, 1);
      assert.match(await pullAndRun(reg, `${reg.host}/team/flat:2`, '2'), /^flat-app says hi from Python 3\.11\.2/);

      const wrong = await pyc(['build', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${reg.host}/base/python:3.11`, '-t', `${reg.host}/team/flat:3`, '--push', '--no-cache'], { ...env, REGISTRY_PASSWORD: 'not-the-password-123' });
      assert.equal(wrong.code, EXIT_NETWORK);
      assert.match(wrong.stderr, /denied .*REGISTRY_USERNAME\/REGISTRY_PASSWORD/);
      assert.doesNotMatch(wrong.stderr + wrong.stdout, /not-the-password-123/, 'the password never appears');
      assert.doesNotMatch(wrong.stderr, /^\s+at /m);

      // Without the CA, TLS verification fails with a hint, not a stack trace.
      const untrusted = await pyc(['plan', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${reg.host}/base/python:3.11`], { REGISTRY_USERNAME: reg.username!, REGISTRY_PASSWORD: reg.password! });
      assert.equal(untrusted.code, EXIT_NETWORK);
      assert.match(untrusted.stderr, /NODE_EXTRA_CA_CERTS/);
    } finally {
      await reg.stop();
    }
  });

  test('pycontainer login stores credentials that later pushes use; --password-stdin', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const reg = await startRegistry('tls-basic');
    const home = path.join(tmp, 'login-home');
    try {
      const bad = await pyc(['login', reg.host, '-u', reg.username!, '--password-stdin'], { ...reg.env, HOME: home }, 'wrong-secret-456\n');
      assert.equal(bad.code, EXIT_NETWORK);
      assert.doesNotMatch(bad.stderr, /wrong-secret-456/);
      const ok = await pyc(['login', reg.host, '-u', reg.username!, '--password-stdin'], { ...reg.env, HOME: home }, `${reg.password}\n`);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Login succeeded/);
      const config = JSON.parse(await readFile(path.join(home, '.docker', 'config.json'), 'utf8'));
      assert.ok(config.auths[reg.host].auth);
      await pushBaseImage(reg, 'plain', 'base/python', '3.11');
      const built = json(await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/base/python:3.11`, '-t', `${reg.host}/x/hello:1`, '--push', '--json', '--no-cache'], { ...reg.env, HOME: home }));
      assert.equal(built.pushed.length, 1);
    } finally {
      await reg.stop();
    }
  });

  test('Bearer token auth: credentials from a docker config file, scoped tokens, anonymous pulls refused', async (t: TestContext) => {
    if (!needTools(t, [...TOOLS, 'umoci', 'runc'], { root: true })) return;
    const reg = await startRegistry('token');
    const dockerConfig = path.join(tmp, 'docker-config');
    try {
      await pushBaseImage(reg, 'plain', 'base/python', '3.11');
      await run('mkdir', ['-p', dockerConfig]);
      await writeFile(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${reg.username}:${reg.password}`).toString('base64') } } }));
      const env = { ...reg.env, DOCKER_CONFIG: dockerConfig };
      reg.tokenRequests!.length = 0;
      const built = json(await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/base/python:3.11`, '-t', `${reg.host}/acme/hello:7`, '--push', '--json', '--no-cache'], env));
      assert.equal(built.pushedBlobs.mounted, 1);
      const scopes = reg.tokenRequests!.flatMap((r) => r.scope);
      assert.ok(scopes.includes('repository:base/python:pull'), 'plan asked for pull on the base');
      assert.ok(scopes.includes('repository:acme/hello:pull,push'), 'the push asked for pull,push on the target');
      assert.ok(reg.tokenRequests!.every((r) => r.account === reg.username));
      assert.match(await pullAndRun(reg, `${reg.host}/acme/hello:7`, '7'), /^Hello, container!/);

      const anonymous = await pyc(['plan', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/acme/hello:7`], reg.env);
      assert.equal(anonymous.code, EXIT_NETWORK);
      assert.match(anonymous.stderr, /denied .*anonymous.*pycontainer login/);
    } finally {
      await reg.stop();
    }
  });

  test('several platforms: an index in the registry, the app layer shared', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const reg = await startRegistry('plain');
    try {
      await run('skopeo', ['copy', '--quiet', '--all', ...reg.skopeoDest, `oci:${path.join(repo, 'test/fixtures/stub-base')}:3.11`, `docker://${reg.host}/stub/python:3.11`]);
      const built = json(
        await pyc(['build', '-C', path.join(repo, 'examples/fastapi-app'), '--base-image', `${reg.host}/stub/python:3.11`, '--platform', 'linux/amd64,linux/arm64', '--registry', `${reg.host}/multi/fastapi-app`, '--push', '--json', '--no-cache']),
      );
      assert.deepEqual(built.pushed, [`${reg.host}/multi/fastapi-app:0.1.0@${built.digest}`], '--registry names the full repository; the default tag gives the version');
      const raw = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${reg.host}/multi/fastapi-app:0.1.0`])).stdout);
      assert.equal(raw.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(raw.manifests.map((m: any) => `${m.platform.os}/${m.platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64']);
      const appLayers = new Set<string>();
      for (const m of raw.manifests) {
        const manifest = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${reg.host}/multi/fastapi-app@${m.digest}`])).stdout);
        appLayers.add(manifest.layers.at(-1).digest);
      }
      assert.equal(appLayers.size, 1, 'one app layer for both platforms');

      const missing = await pyc(['plan', '-C', path.join(repo, 'examples/fastapi-app'), '--base-image', `${reg.host}/stub/python:3.11`, '--platform', 'linux/s390x']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /has no linux\/s390x image; it has linux\/amd64, linux\/arm64/);
    } finally {
      await reg.stop();
    }
  });

  test('a Debian base for amd64 and arm64: the built image has both manifests, and the amd64 one runs', async (t: TestContext) => {
    if (!needTools(t, [...TOOLS, 'umoci', 'runc'], { root: true })) return;
    const multi = await ensureMultiArchBaseImage();
    const reg = await startRegistry('plain');
    try {
      await run('skopeo', ['copy', '--quiet', '--all', ...reg.skopeoDest, multi.ref, `docker://${reg.host}/library/python:3.11`]);
      const built = json(
        await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${reg.host}/library/python:3.11`, '--platform', 'linux/amd64,linux/arm64', '-t', `${reg.host}/multi/hello:1`, '--push', '--json', '--no-cache']),
      );
      assert.equal(built.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.equal(built.pushedBlobs.mounted, 2, 'both base layers mounted');
      const raw = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${reg.host}/multi/hello:1`])).stdout);
      assert.equal(raw.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(raw.manifests.map((m: any) => [m.platform.architecture, m.platform.variant ?? ''].join('/')).sort(), ['amd64/', 'arm64/v8'], "arm64 keeps the base's variant");
      const arm = JSON.parse((await run('skopeo', ['inspect', '--override-arch', 'arm64', ...reg.skopeoFlags, `docker://${reg.host}/multi/hello:1`])).stdout);
      assert.equal(arm.Architecture, 'arm64');
      assert.ok(arm.Env.includes('PYTHON_VERSION=3.11.2'));
      assert.match(await pullAndRun(reg, `${reg.host}/multi/hello:1`, '1'), /^Hello, container! hello-cli 0\.3\.0 on Python 3\.11/);
    } finally {
      await reg.stop();
    }
  });

  test('a base in another registry is streamed across; layouts get base layers through the cache', async (t: TestContext) => {
    if (!needTools(t, [...TOOLS, 'umoci', 'runc'], { root: true })) return;
    const source = await startRegistry('plain');
    const target = await startRegistry('plain');
    try {
      await pushBaseImage(source, 'plain', 'library/python', '3.11');
      const built = json(await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${source.host}/library/python:3.11`, '-t', `${target.host}/hello:x`, '--push', '--json', '--no-cache']));
      assert.deepEqual(built.pushedBlobs, { uploaded: 3, mounted: 0, exists: 0 });
      assert.match(await pullAndRun(target, `${target.host}/hello:x`, 'x'), /^Hello, container!/);

      const cache = path.join(tmp, 'xreg-cache');
      const layout = path.join(tmp, 'xreg-layout');
      const local = json(await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${source.host}/library/python:3.11`, '-o', layout, '--cache-dir', cache, '--json']));
      assert.equal(local.digest, built.digest, 'the same plan gives the same image, pushed or written');
      assert.match((await runImage(layout, '0.3.0')).stdout, /^Hello, container!/);
    } finally {
      await source.stop();
      await target.stop();
    }
  });

  test('plan --offline re-plans from the pinned base; build --offline takes base layers from the cache', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const reg = await startRegistry('plain');
    const context = path.join(repo, 'examples/flat-app');
    const planFile = path.join(tmp, 'offline.plan.json');
    const cache = path.join(tmp, 'offline-cache');
    const base = `${reg.host}/library/python:3.11`;
    let online: string;
    let built: any;
    try {
      await pushBaseImage(reg, 'plain', 'library/python', '3.11');
      assert.equal((await pyc(['plan', '-C', context, '--base-image', base, '-o', planFile])).code, 0);
      online = await readFile(planFile, 'utf8');
      built = json(await pyc(['build', '-C', context, '--base-image', base, '-o', path.join(tmp, 'offline-1'), '--cache-dir', cache, '--json']));
    } finally {
      await reg.stop();
    }
    // The registry is gone now.
    const replanned = await pyc(['plan', '-C', context, '--base-image', base, '-o', planFile, '--offline']);
    assert.equal(replanned.code, 0, replanned.stderr);
    assert.equal(await readFile(planFile, 'utf8'), online, 'the offline plan is the online plan, byte for byte');
    const again = json(await pyc(['apply', planFile, '-C', context, '-o', path.join(tmp, 'offline-2'), '--cache-dir', cache, '--json']));
    assert.equal(again.digest, built.digest);
    const unpinned = await pyc(['plan', '-C', context, '--base-image', `${reg.host}/library/python:3.12`, '-o', planFile, '--offline']);
    assert.equal(unpinned.code, 2);
    assert.match(unpinned.stderr, /--offline: .*offline\.plan\.json does not pin base image .*python:3\.12 \(it pins .*python:3\.11\)/);
  });

  test('large blobs are uploaded in chunks (PATCH…PUT)', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const source = await startRegistry('plain');
    const target = await startRegistry('plain');
    const proxy = await startFaultProxy(target, []);
    try {
      await pushBaseImage(source, 'plain', 'library/python', '3.11');
      const built = json(
        await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${source.host}/library/python:3.11`, '-t', `${proxy.host}/chunked:1`, '--push', '--json', '--no-cache'], { PYCONTAINER_CHUNK_SIZE: String(4 << 20) }),
      );
      const patches = proxy.log.filter((e) => e.method === 'PATCH').length;
      assert.ok(patches >= 4, `the 15 MB base layer went in 4 MiB chunks (${patches} PATCH requests)`);
      const inspect = JSON.parse((await run('skopeo', ['inspect', ...target.skopeoFlags, `docker://${target.host}/chunked:1`])).stdout);
      assert.equal(inspect.Digest, built.digest);
    } finally {
      await proxy.stop();
      await source.stop();
      await target.stop();
    }
  });

  test('an unknown repository and a blob that does not match its digest fail cleanly; nothing is published', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const source = await startRegistry('plain');
    const target = await startRegistry('plain');
    const proxy = await startFaultProxy(source, []);
    try {
      await pushBaseImage(source, 'plain', 'library/python', '3.11');
      const unknown = await pyc(['plan', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${source.host}/nobody/here:1`]);
      assert.equal(unknown.code, EXIT_NETWORK);
      assert.match(unknown.stderr, /^error: base image .*nobody\/here:1: registry .* failed with 404 Not Found \((NAME|MANIFEST)_UNKNOWN/);
      assert.equal(unknown.stderr.trim().split('\n').length, 1, 'one line');

      proxy.setRules([{ method: 'GET', path: /\/blobs\/sha256:/, times: Infinity, action: faults.corrupt() }]);
      // Plan fetches the (small) config blob: corrupted, it is refused at plan time already.
      const atPlan = await pyc(['plan', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${proxy.host}/library/python:3.11`]);
      assert.equal(atPlan.code, EXIT_NETWORK);
      assert.match(atPlan.stderr, /hashing to sha256:[0-9a-f]{64}; refusing them/);

      // With a good plan, corrupted base layers stop the push before any manifest is put.
      proxy.setRules([]);
      const planFile = path.join(tmp, 'corrupt.plan.json');
      assert.equal((await pyc(['plan', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${proxy.host}/library/python:3.11`, '-t', `${target.host}/half/way:1`, '-o', planFile])).code, 0);
      proxy.setRules([{ method: 'GET', path: /\/blobs\/sha256:/, times: Infinity, action: faults.corrupt() }]);
      const pushed = await pyc(['apply', planFile, '-C', path.join(repo, 'examples/flat-app'), '--push', '--no-cache']);
      assert.equal(pushed.code, EXIT_NETWORK, pushed.stderr);
      assert.match(pushed.stderr, /refusing them/);
      const tags = await run('skopeo', ['inspect', ...target.skopeoFlags, `docker://${target.host}/half/way:1`], { allowFail: true });
      assert.notEqual(tags.code, 0, 'the tag was never pushed');

      const layout = path.join(tmp, 'corrupt-layout');
      const written = await pyc(['apply', planFile, '-C', path.join(repo, 'examples/flat-app'), '-o', layout, '--no-cache']);
      assert.equal(written.code, EXIT_NETWORK);
      await assert.rejects(readFile(path.join(layout, 'index.json')), 'no index.json: the layout shows no image');
    } finally {
      await proxy.stop();
      await source.stop();
      await target.stop();
    }
  });

  test('temporary failures are retried: 429 with Retry-After, 503, a reset connection; a redirect is followed', async (t: TestContext) => {
    if (!needTools(t, TOOLS)) return;
    const reg = await startRegistry('plain');
    const proxy = await startFaultProxy(reg, []);
    try {
      await pushBaseImage(reg, 'plain', 'library/python', '3.11');
      proxy.setRules([
        { method: 'GET', path: /\/manifests\/3\.11$/, times: 1, action: faults.tooManyRequests(1) },
        { method: 'GET', path: /\/blobs\/sha256:/, times: 1, action: faults.reset() },
        { method: 'PUT', path: /\/blobs\/uploads\//, times: 2, action: faults.unavailable() },
        { method: 'HEAD', path: /\/blobs\//, times: 1, action: faults.serverError('UNKNOWN', 'injected') },
      ]);
      const built = json(await pyc(['build', '-C', path.join(repo, 'examples/hello-cli'), '--base-image', `${proxy.host}/library/python:3.11`, '-t', `${proxy.host}/retry/hello:1`, '--push', '--json', '--no-cache', '-o', path.join(tmp, 'retry-layout')]));
      assert.deepEqual(proxy.hits, [1, 1, 2, 1], 'every fault was injected, and the build still succeeded');
      const inspect = JSON.parse((await run('skopeo', ['inspect', ...reg.skopeoFlags, `docker://${reg.host}/retry/hello:1`])).stdout);
      assert.equal(inspect.Digest, built.digest);

      proxy.setRules([{ method: 'GET', path: /\/blobs\/sha256:/, times: Infinity, action: faults.redirect(307) }]);
      const redirected = json(await pyc(['build', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${proxy.host}/library/python:3.11`, '-o', path.join(tmp, 'redirect-layout'), '--no-cache', '--json']));
      assert.ok(redirected.digest);
      assert.ok(proxy.mirror.log.length > 0, 'blob downloads went to the redirect target');
      assert.ok(proxy.mirror.log.every((e) => !e.authorization), 'no Authorization header reached the other host');

      proxy.setRules([{ path: /\/manifests\//, times: Infinity, action: faults.serverError('UNKNOWN', 'the registry is broken') }]);
      const broken = await pyc(['plan', '-C', path.join(repo, 'examples/flat-app'), '--base-image', `${proxy.host}/library/python:3.11`]);
      assert.equal(broken.code, EXIT_NETWORK);
      assert.match(broken.stderr, /failed with 500 Internal Server Error \(UNKNOWN: the registry is broken\)/, 'the OCI error body surfaces');
    } finally {
      await proxy.stop();
      await reg.stop();
    }
  });
});
