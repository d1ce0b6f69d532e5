import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { baseBlobSource } from '../../src/apply/base.js';
import { BlobCache } from '../../src/cache/store.js';
import { HashCounter, sha256Digest } from '../../src/oci/digest.js';
import { describeLayerMismatch, LayerVerifier, layerCompression, type LayerMismatch } from '../../src/oci/layer.js';
import { PycontainerError } from '../../src/errors.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A real one-file layer tar, gzipped, and its digests. */
async function layer(content = 'hello\n'): Promise<{ tar: Buffer; gz: Buffer; digest: string; diffId: string }> {
  const p = pack();
  p.entry({ name: 'etc/motd', mode: 0o644, mtime: new Date(0) }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  const gz = gzipSync(tar);
  return { tar, gz, digest: sha256Digest(gz), diffId: sha256Digest(tar) };
}

class Mismatch extends Error {
  constructor(readonly m: LayerMismatch) {
    super(describeLayerMismatch(m));
  }
}

/** Streams `bytes` through a verifier; the mismatch it reports, or undefined, and what came out. */
async function verify(bytes: Buffer, expected: { digest: string; size: number; diffId: string; mediaType?: string }, chunk = 7): Promise<{ mismatch?: LayerMismatch; out: Buffer }> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(parts), new LayerVerifier(expected, (m) => new Mismatch(m)), new Writable({ write: (c: Buffer, _e, done) => (out.push(c), done()) }));
    return { out: Buffer.concat(out) };
  } catch (err) {
    if (err instanceof Mismatch) return { mismatch: err.m, out: Buffer.concat(out) };
    throw err;
  }
}

test('HashCounter.digest can be read twice (it used to throw "Digest already called" inside mismatch messages)', async () => {
  const counter = new HashCounter();
  await pipeline(Readable.from([Buffer.from('abc')]), counter, new Writable({ write: (_c, _e, done) => done() }));
  const first = counter.digest();
  assert.equal(first, sha256Digest('abc'));
  assert.equal(counter.digest(), first);
});

test('a good gzip layer passes through unchanged', async () => {
  const l = await layer();
  const r = await verify(l.gz, { digest: l.digest, size: l.gz.length, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' });
  assert.equal(r.mismatch, undefined);
  assert.ok(r.out.equals(l.gz));
});

test('a config diff_id that does not match the layer content is reported with expected and found', async () => {
  const l = await layer();
  const other = await layer('tampered\n');
  const r = await verify(l.gz, { digest: l.digest, size: l.gz.length, diffId: other.diffId });
  assert.deepEqual(r.mismatch, { kind: 'diff-id', expected: other.diffId, found: l.diffId });
  assert.match(describeLayerMismatch(r.mismatch!), new RegExp(`${other.diffId}.*found ${l.diffId}`));
});

test('a flipped byte is a digest mismatch (not a gzip error), and a wrong size is a size mismatch', async () => {
  const l = await layer();
  const flipped = Buffer.from(l.gz);
  flipped[20] ^= 0xff;
  const r = await verify(flipped, { digest: l.digest, size: l.gz.length, diffId: l.diffId });
  assert.deepEqual(r.mismatch, { kind: 'digest', expected: l.digest, found: sha256Digest(flipped) });
  const short = await verify(l.gz.subarray(0, l.gz.length - 3), { digest: l.digest, size: l.gz.length, diffId: l.diffId });
  assert.deepEqual(short.mismatch, { kind: 'size', expected: l.gz.length, found: l.gz.length - 3 });
  const long = await verify(Buffer.concat([l.gz, Buffer.from('xxxxxxxxxxxxxxx')]), { digest: l.digest, size: l.gz.length, diffId: l.diffId });
  assert.equal(long.mismatch?.kind, 'size');
});

test('a layer that is not gzip (its digest right, as a tampered base would have it) is refused by compression', async () => {
  const l = await layer();
  const r = await verify(l.tar, { digest: l.diffId, size: l.tar.length, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' });
  assert.deepEqual(r.mismatch, { kind: 'compression', expected: 'gzip', found: 'data that is not gzip' });
  // A truncated gzip stream whose digest is right is broken gzip.
  const cut = l.gz.subarray(0, 30);
  const t = await verify(cut, { digest: sha256Digest(cut), size: cut.length, diffId: l.diffId });
  assert.equal(t.mismatch?.kind, 'compression');
});

test('an uncompressed layer media type: diff_id is the digest of the bytes', async () => {
  const l = await layer();
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar'), 'none');
  assert.equal(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip'), 'gzip');
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd'), 'zstd');
  const ok = await verify(l.tar, { digest: l.diffId, size: l.tar.length, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar' });
  assert.equal(ok.mismatch, undefined);
  const zstd = await verify(l.gz, { digest: l.digest, size: l.gz.length, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' });
  assert.equal(zstd.mismatch?.kind, 'unsupported');
});

test('a large layer streams with bounded buffering and verifies', async () => {
  const big = createHash('sha256');
  const p = pack();
  const body = Buffer.alloc(3 << 20, 7);
  p.entry({ name: 'big', mode: 0o644, mtime: new Date(0) }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  big.update(tar);
  const gz = gzipSync(tar);
  const r = await verify(gz, { digest: sha256Digest(gz), size: gz.length, diffId: `sha256:${big.digest('hex')}` }, 64 * 1024);
  assert.equal(r.mismatch, undefined);
});

async function ociLayoutWith(blob: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyc-verify-'));
  dirs.push(dir);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, 'base', 'blobs', 'sha256'), { recursive: true });
  await writeFile(path.join(dir, 'base', 'blobs', 'sha256', sha256Digest(blob).slice(7)), blob);
  return dir;
}

async function drain(s: Readable): Promise<void> {
  for await (const _ of s) void _;
}

test('a local layout base layer with a wrong diff_id fails the read with one line, exit 2', async () => {
  const l = await layer();
  const other = await layer('other\n');
  const dir = await ociLayoutWith(l.gz);
  const source = baseBlobSource('oci:base', dir, undefined, undefined)!;
  await drain(await source.open({ digest: l.digest, size: l.gz.length, diffId: l.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }));
  await assert.rejects(
    drain(await source.open({ digest: l.digest, size: l.gz.length, diffId: other.diffId })),
    (err: PycontainerError) => {
      assert.equal(err.exitCode, 2);
      assert.equal(err.code, 'E_BASE_LAYER');
      assert.equal(err.message, `base image oci:base: layer ${l.digest} is not what the image says: its uncompressed content should hash to diff_id ${other.diffId} (from the image config), found ${l.diffId}`);
      return true;
    },
  );
  // Known diff_ids fill in bare descriptors (a push only has the manifest's).
  const withKnown = baseBlobSource('oci:base', dir, undefined, undefined, [{ digest: l.digest, size: l.gz.length, diffId: other.diffId }])!;
  await assert.rejects(drain(await withKnown.open({ digest: l.digest, size: l.gz.length })), /diff_id/);
});

test('a cached base blob whose diff_id is wrong is evicted and reported as the registry\'s (exit 69)', async () => {
  const l = await layer();
  const other = await layer('other\n');
  const root = await mkdtemp(path.join(os.tmpdir(), 'pyc-verify-cache-'));
  dirs.push(root);
  const cache = new BlobCache(root);
  await cache.put(Readable.from([l.gz]), l.digest);
  const client = { getBlob: () => Promise.reject(new Error('not called: the blob is cached')) } as never;
  const source = baseBlobSource('registry.example/base:1', root, client, cache)!;
  await assert.rejects(drain(await source.open({ digest: l.digest, size: l.gz.length, diffId: other.diffId })), (err: PycontainerError) => {
    assert.equal(err.exitCode, 69);
    assert.match(err.message, /^base image registry\.example\/base:1: layer sha256:[0-9a-f]{64} is not what the image says: .*diff_id/);
    return true;
  });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await cache.has(l.digest), false, 'evicted');
});
