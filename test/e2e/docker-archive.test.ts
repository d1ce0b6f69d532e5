// `--output docker-archive:FILE`, read back by containers/image (skopeo), the library podman load uses:
// the archive lists the image under its tags, and the layers it yields are the plan's diff_ids. Docker
// and podman themselves are not installed here; the archive follows the manifest.json layout that
// docker load reads (and is an OCI layout too, as Docker 25's docker save writes).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { findRepoRoot } from '../support/base-image.js';
import { runCli } from '../support/cli.js';
import { needTools, run } from '../support/tools.js';

const repo = findRepoRoot();
const stubBase = `oci:${path.join(repo, 'test', 'fixtures', 'stub-base')}:3.11`;
let tmp: string | undefined;
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('docker-archive:FILE is read by skopeo under its tags, with the plan\'s layers', async (t) => {
  if (!needTools(t, ['skopeo'])) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-docker-archive-'));
  const project = path.join(tmp, 'hello-cli');
  await cp(path.join(repo, 'examples', 'hello-cli'), project, { recursive: true });
  const archive = path.join(tmp, 'out', 'hello.tar');
  const planFile = path.join(tmp, 'plan.json');
  const flags = ['-C', project, '--base-image', stubBase, '--platform', 'linux/amd64', '--tag', 'hello:1', '--tag', 'ghcr.io/me/hello:2'];
  const planned = await runCli(['plan', ...flags, '-o', planFile]);
  assert.equal(planned.code, 0, planned.stderr);
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
  const diffIds = (plan.images[0]!.config as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids;

  const built = await runCli(['apply', planFile, '-C', project, '-o', `docker-archive:${archive}`, '--no-cache', '-q']);
  assert.equal(built.code, 0, built.stderr);

  // docker load's index: one image, its config and layers by path, the tags as docker shows them.
  const listing = (await run('tar', ['-tf', archive])).stdout.split('\n').filter(Boolean);
  assert.ok(listing.includes('manifest.json') && listing.includes('repositories') && listing.includes('index.json'), listing.join(' '));
  const manifest = JSON.parse((await run('tar', ['-xOf', archive, 'manifest.json'])).stdout) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  assert.equal(manifest.length, 1);
  assert.deepEqual(manifest[0]!.RepoTags, ['hello:1', 'ghcr.io/me/hello:2']);
  assert.equal(manifest[0]!.Config, `blobs/sha256/${plan.images[0]!.configDigest.slice(7)}`);
  for (const p of [manifest[0]!.Config, ...manifest[0]!.Layers]) assert.ok(listing.includes(p), `${p} is in the archive`);

  // skopeo reads it, by tag too, and reports the uncompressed layers: the plan's diff_ids.
  const inspected = JSON.parse((await run('skopeo', ['inspect', `docker-archive:${archive}:ghcr.io/me/hello:2`])).stdout) as { Layers: string[]; Architecture: string };
  assert.deepEqual(inspected.Layers, diffIds);
  assert.equal(inspected.Architecture, 'amd64');

  // Copied into an OCI layout, the layers unpack to the plan's diff_ids and the config is ours.
  const layout = path.join(tmp, 'copied');
  await run('skopeo', ['copy', '-q', `docker-archive:${archive}:hello:1`, `oci:${layout}:copy`]);
  const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string) => readFile(path.join(layout, 'blobs', 'sha256', digest.slice(7)));
  const copied = JSON.parse((await blob(index.manifests[0]!.digest)).toString()) as { config: { digest: string }; layers: { digest: string }[] };
  const unpacked = [];
  for (const layer of copied.layers) {
    const bytes = await blob(layer.digest);
    const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    unpacked.push(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
  }
  assert.deepEqual(unpacked, diffIds);
  const config = JSON.parse((await blob(copied.config.digest)).toString()) as { rootfs: { diff_ids: string[] }; config: { Entrypoint?: string[] } };
  assert.deepEqual(config.rootfs.diff_ids, diffIds);
  assert.deepEqual(config.config.Entrypoint, (plan.images[0]!.config as { config: { Entrypoint?: string[] } }).config.Entrypoint);

  // Two platforms do not fit one docker archive: refused, naming --platform, nothing written.
  const two = path.join(tmp, 'out', 'two.tar');
  const refused = await runCli(['build', '-C', project, '--base-image', stubBase, '--platform', 'linux/amd64', '--platform', 'linux/arm64', '-o', `docker-archive:${two}`, '--no-cache']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^error: docker-archive:.*two\.tar holds one platform and the plan has linux\/amd64, linux\/arm64\/v8; plan for one with --platform \(e\.g\. --platform linux\/amd64\), or write oci-archive:FILE\n$/);
  await assert.rejects(stat(two));
});
