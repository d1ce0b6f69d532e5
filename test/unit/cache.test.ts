import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { BlobCache, defaultCacheDir, openBlobCache } from '../../src/cache/store.js';
import { ConfigError } from '../../src/errors.js';
import { acquireLock } from '../../src/lock.js';
import { sha256Digest } from '../../src/oci/digest.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freshCache(maxBytes: number): Promise<BlobCache> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyc-cache-'));
  dirs.push(dir);
  return new BlobCache(dir, maxBytes);
}

test('blobs are stored under their digest, and a wrong expected digest stores nothing', async () => {
  const cache = await freshCache(1 << 20);
  const data = Buffer.from('layer bytes');
  const stored = await cache.put(Readable.from([data]));
  assert.deepEqual(stored, { digest: sha256Digest(data), size: data.length });
  assert.ok(await cache.has(stored.digest, data.length));
  await assert.rejects(cache.put(Readable.from([Buffer.from('other')]), stored.digest.replace(/.$/, '0')));
  assert.deepEqual(await readdir(path.join(cache.root, 'blobs', 'sha256')), [stored.digest.slice(7)], 'no temp file or wrong blob left');
});

test('a layer record maps diff_id + compression to a blob, and only while the blob is there', async () => {
  const cache = await freshCache(1 << 20);
  const blob = await cache.put(Readable.from([Buffer.from('gz')]));
  const diffId = sha256Digest('tar');
  await cache.recordLayer({ diffId, compression: 'gzip-6', ...blob });
  assert.deepEqual(await cache.lookupLayer(diffId, 'gzip-6'), { diffId, compression: 'gzip-6', ...blob });
  assert.equal(await cache.lookupLayer(diffId, 'zstd-3'), undefined, 'other compression settings are another entry');
  await cache.discard(blob.digest);
  assert.equal(await cache.lookupLayer(diffId, 'gzip-6'), undefined);
});

test('eviction removes least recently used blobs until the cache fits its bound', async () => {
  const cache = await freshCache(2500);
  const blobs = [];
  for (const [i, fill] of ['a', 'b', 'c'].entries()) {
    const b = await cache.put(Readable.from([Buffer.alloc(1000, fill)]));
    // Distinct ages: a oldest, c newest.
    const t = new Date(Date.now() - (10 - i) * 60_000);
    await utimes(cache.blobPath(b.digest), t, t);
    blobs.push(b);
  }
  await (await cache.open(blobs[0]!.digest)).destroy(); // using a marks it recently used
  await cache.evict();
  assert.ok(await cache.has(blobs[0]!.digest), 'recently used a stays');
  assert.ok(!(await cache.has(blobs[1]!.digest)), 'least recently used b goes');
  assert.ok(await cache.has(blobs[2]!.digest));
});

test('eviction also sweeps compiled bytecode and derived results, oldest first, at most once a day', async () => {
  const cache = await freshCache(2500);
  const aged = async (file: string, fill: string, minutesAgo: number) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, Buffer.alloc(1000, fill));
    const t = new Date(Date.now() - minutesAgo * 60_000);
    await utimes(file, t, t);
  };
  const blob = await cache.put(Readable.from([Buffer.alloc(1000, 'b')]));
  const t = new Date(Date.now() - 20 * 60_000);
  await utimes(cache.blobPath(blob.digest), t, t);
  const pyc = path.join(cache.root, 'bytecode', 'ab', `${'ab'.padEnd(64, '0')}.pyc`);
  const derived = path.join(cache.root, 'derived', 'detect', `${'cd'.padEnd(64, '0')}.json`);
  await aged(pyc, 'p', 30);
  await aged(derived, 'd', 10);
  await cache.evict();
  assert.equal(await stat(pyc).catch(() => undefined), undefined, 'the oldest file (bytecode) goes first');
  assert.ok(await cache.has(blob.digest), 'then the bound holds: the blob stays');
  assert.ok((await stat(derived)).isFile());
  // Within the day the derived stores are not listed again: an old .pyc written now is left alone.
  await aged(pyc, 'p', 60);
  await aged(path.join(cache.root, 'bytecode', 'ef', `${'ef'.padEnd(64, '0')}.pyc`), 'q', 60);
  await cache.evict();
  assert.ok((await stat(pyc)).isFile(), 'not swept twice in a day');
  // A day later (the stamp aged), they are.
  const dayAgo = new Date(Date.now() - 25 * 3600_000);
  await utimes(path.join(cache.root, '.evict-swept'), dayAgo, dayAgo);
  await cache.evict();
  assert.equal(await stat(pyc).catch(() => undefined), undefined);
});

test('the default cache directory follows XDG_CACHE_HOME', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/pycontainer');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'pycontainer'));
});

test('a cache directory that is a file is an input error naming the flag; a missing one is created', async () => {
  const cache = await freshCache(1 << 20);
  const file = path.join(cache.root, 'not-a-dir');
  await writeFile(file, 'x');
  await assert.rejects(openBlobCache(file, '--cache-dir'), (err: ConfigError) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.exitCode, 2);
    assert.equal(err.message, `--cache-dir ${file} is not a directory; name a directory (it is created when missing) or pass --no-cache`);
    return true;
  });
  await assert.rejects(openBlobCache(path.join(file, 'below'), 'build.cache_dir'), /^ConfigError: build\.cache_dir .* cannot be created \(ENOTDIR\)/);
  const created = await openBlobCache(path.join(cache.root, 'new', 'cache'), '--cache-dir');
  assert.ok((await stat(created.root)).isDirectory());
});

test("eviction removes a killed writer's temporary file but never a live one's, and leaves blobs in use", async () => {
  const cache = await freshCache(10);
  const old = await cache.put(Readable.from([Buffer.alloc(100, 'o')]));
  const recent = await cache.put(Readable.from([Buffer.alloc(100, 'r')]));
  const t = new Date(Date.now() - 3600_000);
  await utimes(cache.blobPath(old.digest), t, t);
  const dir = path.join(cache.root, 'blobs', 'sha256');
  const dead = `.tmp-${spawnSync(process.execPath, ['-e', '0']).pid}-0a0a`;
  const live = `.tmp-${process.pid}-0b0b`;
  for (const name of [dead, live]) {
    await writeFile(path.join(dir, name), 'partial');
    await utimes(path.join(dir, name), t, t);
  }
  await cache.evict();
  const left = await readdir(dir);
  assert.ok(left.includes(live), 'a live writer keeps its temporary file, however old');
  assert.ok(!left.includes(dead));
  assert.ok(!(await cache.has(old.digest)), 'an old blob goes');
  assert.ok(await cache.has(recent.digest), 'a blob used minutes ago may be about to be linked by another build: it stays');
});

test('eviction is skipped while the eviction lock is held (another build is evicting)', async () => {
  const cache = await freshCache(10);
  const blob = await cache.put(Readable.from([Buffer.alloc(100, 'o')]));
  const t = new Date(Date.now() - 3600_000);
  await utimes(cache.blobPath(blob.digest), t, t);
  const lock = await acquireLock(path.join(cache.root, '.evict.pycontainer-lock'), { what: cache.root });
  await cache.evict();
  assert.ok(await cache.has(blob.digest));
  await lock.release();
  await cache.evict();
  assert.ok(!(await cache.has(blob.digest)));
});
