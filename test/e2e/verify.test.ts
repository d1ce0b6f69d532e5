// Tampered and damaged bases are refused, each with the real message (never "Digest already called"):
// a config diff_id that does not match its layer, a layer that is not gzip, a byte flipped or bytes cut
// off after the plan was made, an edited plan diff_id; a cache record mapping a diff_id to the wrong
// blob is caught and rebuilt. Nothing is published in any failing case. Needs no external tools.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Plan } from '../../generated/plan.js';
import { findRepoRoot } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { run } from '../support/tools.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
let tmp: string;
let stubTar: Buffer;

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The stub base's amd64 layer, uncompressed: a filesystem the planner accepts. */
async function readStubTar(): Promise<Buffer> {
  const blobs = path.join(repo, 'test', 'fixtures', 'stub-base', 'blobs', 'sha256');
  const blob = async (d: string) => readFile(path.join(blobs, d.slice(7)));
  const top = JSON.parse(await readFile(path.join(repo, 'test', 'fixtures', 'stub-base', 'index.json'), 'utf8'));
  const nested = JSON.parse((await blob(top.manifests[0].digest)).toString());
  const amd64 = nested.manifests.find((m: { platform: { architecture: string } }) => m.platform.architecture === 'amd64');
  const manifest = JSON.parse((await blob(amd64.digest)).toString());
  return gunzipSync(await blob(manifest.layers[0].digest));
}

/**
 * Writes a one-platform OCI layout tagged "1" whose one layer is `layer`, declared with `mediaType`
 * and whose config lists `diffId`: the layout is consistent by digest, so only the diff_id check (or the
 * compression check) can tell it is wrong.
 */
async function writeBase(dir: string, layer: Buffer, diffId: string, mediaType = GZIP): Promise<{ ref: string; layerFile: string }> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (data: Buffer | string) => {
    const digest = sha(data);
    await writeFile(path.join(blobs, digest.slice(7)), data);
    return { digest, size: Buffer.byteLength(data) };
  };
  const l = await put(layer);
  const config = await put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'PYTHON_VERSION=3.11.2'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'verify test base' }],
    }),
  );
  const manifest = await put(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType, ...l }] }));
  await writeFile(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': '1' } }] }));
  return { ref: `oci:${dir}:1`, layerFile: path.join(blobs, l.digest.slice(7)) };
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-verify-'));
  stubTar = await readStubTar();
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function project(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await cp(path.join(repo, 'examples', 'hello-cli'), dir, { recursive: true });
  return dir;
}

const pyc = (args: string[], env: NodeJS.ProcessEnv = {}) => run('node', [cli, ...args], { allowFail: true, env: { ...process.env, ...env } });

/** One line on stderr, no stack, the exit code, and no image published. */
async function assertRefused(res: { code: number; stderr: string }, code: number, message: RegExp, output: string): Promise<void> {
  assert.equal(res.code, code, res.stderr);
  assert.match(res.stderr, message);
  assert.doesNotMatch(res.stderr, /Digest already called/);
  assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
  // Whether a failed apply leaves an empty output directory is the output lock's business: here, nothing is published.
  await assert.rejects(readFile(path.join(output, 'index.json')), 'nothing was published');
}

describe('a tampered base is refused while it is read', () => {
  test('a config diff_id that does not match the layer', async () => {
    const gz = gzipSync(stubTar);
    const wrong = sha('something else');
    const base = await writeBase(path.join(tmp, 'base-diffid'), gz, wrong);
    const dir = await project('diffid');
    const out = path.join(tmp, 'diffid-image');
    const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '--platform', 'linux/amd64', '-o', out, '--no-cache']);
    await assertRefused(res, 2, new RegExp(`base image oci:\\S*base-diffid:1: layer ${sha(gz)} is not what the image says: its uncompressed content should hash to diff_id ${wrong} \\(from the image config\\), found ${sha(stubTar)}`), out);
  });

  test('a layer that is not gzip although its media type says so', async () => {
    const base = await writeBase(path.join(tmp, 'base-notgzip'), stubTar, sha(stubTar));
    const dir = await project('notgzip');
    const out = path.join(tmp, 'notgzip-image');
    const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '--platform', 'linux/amd64', '-o', out, '--no-cache']);
    await assertRefused(res, 2, new RegExp(`layer ${sha(stubTar)} is not what the image says: expected gzip data as its media type says, found data that is not gzip`), out);
  });

  test('an uncompressed layer declared as such is accepted, and the result is a valid layout', async () => {
    const base = await writeBase(path.join(tmp, 'base-plain'), stubTar, sha(stubTar), 'application/vnd.oci.image.layer.v1.tar');
    const dir = await project('plain');
    const out = path.join(tmp, 'plain-image');
    const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '--platform', 'linux/amd64', '-o', out, '--no-cache']);
    assert.equal(res.code, 0, res.stderr);
    assertLayoutOk(await checkLayout(out));
  });
});

describe('a base changed after the plan was made, or an edited plan, stops apply with the real mismatch', () => {
  let gz: Buffer;
  before(() => {
    gz = gzipSync(stubTar);
  });
  const setup = async (name: string) => {
    const base = await writeBase(path.join(tmp, `base-${name}`), gz, sha(stubTar));
    const dir = await project(name);
    const planFile = path.join(tmp, `${name}.json`);
    const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '--platform', 'linux/amd64', '-o', planFile]);
    assert.equal(planned.code, 0, planned.stderr);
    return { base, dir, planFile, out: path.join(tmp, `${name}-image`) };
  };
  const apply = (planFile: string, dir: string, out: string) => pyc(['apply', planFile, '-C', dir, '-o', out, '--no-cache']);

  test('a byte flipped in the base layer', async () => {
    const { base, dir, planFile, out } = await setup('flip');
    const bytes = await readFile(base.layerFile);
    bytes[bytes.length >> 1] ^= 0x01;
    await writeFile(base.layerFile, bytes);
    await assertRefused(await apply(planFile, dir, out), 2, new RegExp(`layer ${sha(gz)} is not what the image says: its bytes should hash to ${sha(gz)}, found ${sha(bytes)}`), out);
  });

  test('the base layer cut short', async () => {
    const { base, dir, planFile, out } = await setup('cut');
    await truncate(base.layerFile, gz.length - 10);
    await assertRefused(await apply(planFile, dir, out), 2, new RegExp(`layer ${sha(gz)} is not what the image says: expected ${gz.length} bytes, found ${gz.length - 10}`), out);
  });

  test('a base layer diff_id edited in the plan', async () => {
    const { dir, planFile, out } = await setup('plan-base-diffid');
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    const edited = sha('edited');
    plan.base.images[0]!.layers[0]!.diffId = edited;
    await writeFile(planFile, `${JSON.stringify(plan, null, 2)}\n`);
    const res = await apply(planFile, dir, out);
    assert.notEqual(res.code, 0);
    assert.notEqual(res.code, 70, res.stderr);
    assert.doesNotMatch(res.stderr, /Digest already called|^\s+at /m);
    assert.match(res.stderr, new RegExp(`${edited}|diff_id`));
    await assert.rejects(readFile(path.join(out, 'index.json')), 'nothing published');
  });

  test('an app layer diff_id edited in the plan', async () => {
    const { dir, planFile, out } = await setup('plan-app-diffid');
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan & { layers: { diffId: string; name: string }[] };
    const edited = sha('edited app layer');
    const layer = plan.layers[plan.layers.length - 1]!;
    const original = layer.diffId;
    layer.diffId = edited;
    await writeFile(planFile, `${JSON.stringify(plan, null, 2)}\n`);
    const res = await apply(planFile, dir, out);
    assert.notEqual(res.code, 0);
    assert.notEqual(res.code, 70, res.stderr);
    assert.doesNotMatch(res.stderr, /Digest already called|^\s+at /m);
    assert.match(res.stderr, new RegExp(`built ${original} but the plan states ${edited}|${edited}`));
    await assert.rejects(readFile(path.join(out, 'index.json')), 'nothing published');
  });
});

test('a cache record that maps a diff_id to the wrong blob is caught, evicted and rebuilt', async () => {
  const gz = gzipSync(stubTar);
  const base = await writeBase(path.join(tmp, 'base-cache'), gz, sha(stubTar));
  const cacheDir = path.join(tmp, 'cache');
  const build = async (name: string) => {
    const dir = await project(name);
    const out = path.join(tmp, `${name}-image`);
    const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '--platform', 'linux/amd64', '-o', out, '--cache-dir', cacheDir, '--json']);
    assert.equal(res.code, 0, res.stderr);
    return { out, res };
  };
  const first = await build('cache-1');
  const records = path.join(cacheDir, 'layers');
  const names = await readdir(records);
  assert.ok(names.length > 0, 'the build recorded its layers');
  // Point every record at another valid blob of the cache (the base layer): right digest, wrong content.
  for (const name of names) {
    const record = JSON.parse(await readFile(path.join(records, name), 'utf8'));
    await writeFile(path.join(records, name), JSON.stringify({ ...record, digest: sha(gz), size: gz.length }));
  }
  await mkdir(path.join(cacheDir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(path.join(cacheDir, 'blobs', 'sha256', sha(gz).slice(7)), gz);
  const second = await build('cache-2');
  assertLayoutOk(await checkLayout(second.out));
  const firstIndex = await readFile(path.join(first.out, 'index.json'), 'utf8');
  assert.equal(await readFile(path.join(second.out, 'index.json'), 'utf8'), firstIndex, 'the same image as the first build');
});
