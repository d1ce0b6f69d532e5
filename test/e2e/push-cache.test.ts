// The registry as the cache, against the real docker-registry behind a counting proxy: a CI job with an
// EMPTY cache builds and uploads only the layer that changed (the dependency layer is found through the
// config of the tag being pushed, or of a --cache-from image); a re-push of an unchanged image is one
// manifest HEAD (with a warm cache: no blob request at all, no layout staged); blobs we pushed to one repository are mounted into another; and the image pulled back
// is whole (skopeo copies every blob). One registry and one small project for the whole file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { startFaultProxy, type FaultProxy, type ProxyLogEntry } from '../support/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { buildPureWheel } from '../support/wheels.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
let tmp: string;
let reg: TestRegistry | undefined;
let proxy: FaultProxy | undefined;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-push-cache-'));
});
after(async () => {
  await proxy?.stop();
  await reg?.stop();
  await rm(tmp, { recursive: true, force: true });
});

function pyc(dir: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run('node', [cli, ...args, '-C', dir], { env: { PATH: process.env.PATH ?? '', HOME: path.join(tmp, 'home'), SOURCE_DATE_EPOCH: '0', ...env }, allowFail: true });
}

function json(r: RunResult): any {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The digests whose bytes went up: the final PUT of each upload session names its digest. */
function uploadedDigests(log: ProxyLogEntry[]): string[] {
  return log
    .filter((e) => e.method === 'PUT' && /\/blobs\/uploads\//.test(e.path))
    .map((e) => decodeURIComponent(/[?&]digest=([^&]+)/.exec(e.path)?.[1] ?? ''))
    .sort();
}

const blobRequests = (log: ProxyLogEntry[]) => log.filter((e) => /\/blobs\//.test(e.path));

test('empty cache: only the changed layer is built and uploaded; unchanged re-push is one HEAD; mounts from where we pushed', async (t: TestContext) => {
  if (!needTools(t, ['docker-registry', 'skopeo', 'python3'])) return;
  reg = await startRegistry('plain');
  proxy = await startFaultProxy(reg, []);
  const host = proxy.host;
  const dir = path.join(tmp, 'project');
  await cp(path.join(repo, 'examples/hello-cli'), dir, { recursive: true });
  // A data file large enough for an assets layer of its own (build.layers: 1 MiB or more, not code).
  await mkdir(path.join(dir, 'src/hello_cli/data'), { recursive: true });
  await writeFile(path.join(dir, 'src/hello_cli/data/weights.bin'), randomBytes(1536 * 1024));
  const wheel = await buildPureWheel(path.join(tmp, 'wheels'), 'greet', '1.0');
  await cp(path.join(tmp, 'wheels'), path.join(dir, 'wheels'), { recursive: true });
  await writeFile(path.join(dir, 'pyproject.toml'), (await readFile(path.join(dir, 'pyproject.toml'), 'utf8')).replace('dependencies = []', 'dependencies = ["greet"]'));
  await writeFile(
    path.join(dir, 'pylock.toml'),
    `lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "${wheel.name}"\nversion = "${wheel.version}"\nwheels = [{ name = "${wheel.filename}", path = "wheels/${wheel.filename}", size = ${wheel.size}, hashes = { sha256 = "${wheel.sha256}" } }]\n`,
  );
  const build = (tag: string, cache: string, ...extra: string[]) => buildWith({}, tag, cache, ...extra);
  const buildWith = (env: Record<string, string>, tag: string, cache: string, ...extra: string[]) => pyc(dir, ['build', '--base-image', `oci:${path.join(repo, 'test/fixtures/stub-base')}:3.11`, '-t', `${host}/${tag}`, '--push', '--json', '--cache-dir', path.join(tmp, cache), ...extra], env);

  // 1. The first push, from a warm machine: everything is uploaded.
  const first = json(await build('ci/app:1', 'cache-a'));
  const depsLayer = first.layers.find((l: any) => l.name.startsWith('deps'));
  const appLayer = first.layers.find((l: any) => l.name === 'app');
  const assetsLayer = first.layers.find((l: any) => l.name === 'assets');
  assert.ok(depsLayer && appLayer && assetsLayer, JSON.stringify(first.layers));
  // Base layer(s), dependency layer, app layer, config.
  const raw = async (ref: string) => JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg!.host}/${ref}`])).stdout);
  const blobCount = (await raw('ci/app:1')).layers.length + 1;
  assert.ok(blobCount >= 4);
  assert.deepEqual(first.pushedBlobs, { uploaded: blobCount, mounted: 0, exists: 0 });

  // 1b. The same push again from the same (warm) cache: the manifest digest is known from the plan and
  // the cache, and the tag already points at it. One manifest HEAD is the whole conversation: no blob
  // request of any kind (not even a HEAD or GET), and no layout is staged: TMPDIR names a file, where
  // a staging directory cannot be made.
  proxy.log.length = 0;
  const notADirectory = path.join(tmp, 'tmpdir-is-a-file');
  await writeFile(notADirectory, '');
  const unchanged = json(await buildWith({ TMPDIR: notADirectory }, 'ci/app:1', 'cache-a'));
  assert.equal(unchanged.digest, first.digest);
  assert.deepEqual(unchanged.pushedBlobs, { uploaded: 0, mounted: 0, exists: blobCount });
  assert.deepEqual(unchanged.pushed, [`${host}/ci/app:1@${first.digest}`]);
  assert.deepEqual(proxy.log, [{ method: 'HEAD', path: '/v2/ci/app/manifests/1', status: 200, authorization: false }]);
  assert.equal(unchanged.output, undefined);

  // 2. A CI job with an EMPTY cache after an app-only edit, pushing the same tag: the dependency and
  // assets layers are found in the config of ci/app:1, so they are neither built (compressed) nor
  // uploaded; only the app layer and config go up.
  await appendFile(path.join(dir, 'src/hello_cli/cli.py'), '# edited in CI\n');
  proxy.log.length = 0;
  const second = json(await build('ci/app:1', 'cache-empty-1'));
  assert.notEqual(second.digest, first.digest);
  const secondDeps = second.layers.find((l: any) => l.name.startsWith('deps'));
  const secondApp = second.layers.find((l: any) => l.name === 'app');
  assert.equal(secondDeps.digest, depsLayer.digest, 'the manifest names the remote dependency blob');
  assert.equal(secondDeps.cached, true, 'the dependency layer was not built');
  const secondAssets = second.layers.find((l: any) => l.name === 'assets');
  assert.equal(secondAssets.digest, assetsLayer.digest);
  assert.equal(secondAssets.cached, true, 'the assets layer was only hashed, not compressed');
  assert.notEqual(secondApp.digest, appLayer.digest);
  const manifest2 = await raw('ci/app:1');
  assert.deepEqual(uploadedDigests(proxy.log), [manifest2.config.digest, secondApp.digest].sort(), 'only the app layer and the config were uploaded');
  assert.equal(proxy.log.filter((e) => e.method === 'POST').length, 2, 'two upload sessions');
  assert.ok(!proxy.log.some((e) => e.method === 'GET' && e.path.endsWith(`/blobs/${depsLayer.digest}`)), 'the dependency blob was not downloaded either');
  assert.deepEqual(second.pushedBlobs, { uploaded: 2, mounted: 0, exists: blobCount - 2 });

  // 3. The same again from another empty cache: the tag already points at the planned manifest, so the
  // push is one manifest HEAD; no blob is checked or sent (the lookup reads the tag's manifest and config).
  proxy.log.length = 0;
  const again = json(await build('ci/app:1', 'cache-empty-2'));
  assert.equal(again.digest, second.digest);
  assert.deepEqual(again.pushedBlobs, { uploaded: 0, mounted: 0, exists: blobCount });
  assert.deepEqual(proxy.log.filter((e) => e.method !== 'GET'), [
    { method: 'HEAD', path: '/v2/ci/app/manifests/1', status: 200, authorization: false },
  ]);
  assert.deepEqual(blobRequests(proxy.log).map((e) => `${e.method} ${e.path}`), [`GET /v2/ci/app/blobs/${manifest2.config.digest}`], 'only the config, read for the diff_id lookup');

  // 4. Another repository of the same registry, with the cache that pushed to ci/app: every blob is
  // mounted from there (the blob-info cache remembers where), nothing is uploaded.
  proxy.log.length = 0;
  const mounted = json(await build('other/app:7', 'cache-empty-2'));
  assert.equal(mounted.digest, second.digest);
  assert.deepEqual(mounted.pushedBlobs, { uploaded: 0, mounted: blobCount, exists: 0 });
  assert.deepEqual(uploadedDigests(proxy.log), []);
  assert.equal(proxy.log.filter((e) => e.method === 'POST' && /[?&]mount=.*&from=ci%2Fapp/.test(e.path)).length, blobCount);

  // 5. --cache-from: a new repository, an empty cache, an app edit: the dependency layer comes from
  // other/app:7 (mounted, not built, not uploaded).
  await appendFile(path.join(dir, 'src/hello_cli/cli.py'), '# edited again\n');
  proxy.log.length = 0;
  const fromCache = json(await build('fresh/app:1', 'cache-empty-3', '--cache-from', `${host}/other/app:7`));
  assert.equal(fromCache.layers.find((l: any) => l.name.startsWith('deps')).digest, depsLayer.digest);
  assert.equal(fromCache.layers.find((l: any) => l.name === 'assets').cached, true);
  // The dependency and assets layers are mounted (the blob-info cache is empty here: their source is
  // the --cache-from image; the base layers are uploaded from the layout).
  assert.equal(fromCache.pushedBlobs.mounted, 2, JSON.stringify(fromCache.pushedBlobs));
  assert.equal(uploadedDigests(proxy.log).length, blobCount - 2);
  assert.ok(proxy.log.some((e) => e.method === 'POST' && e.path.includes(`mount=${encodeURIComponent(depsLayer.digest)}&from=other%2Fapp`)));
  assert.ok(proxy.log.some((e) => e.method === 'POST' && e.path.includes(`mount=${encodeURIComponent(assetsLayer.digest)}&from=other%2Fapp`)));

  // Each image pulled back is whole: skopeo copies (and verifies) every blob.
  for (const ref of ['ci/app:1', 'other/app:7', 'fresh/app:1']) {
    const out = path.join(tmp, `pulled-${ref.replace(/[/:]/g, '-')}`);
    await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reg.host}/${ref}`, `oci:${out}:x`]);
  }
});
