// A lock's local distribution files (`path = ...`) are verified by sha256 once; after that a stat
// cache in the cache directory vouches for them until they are touched (size, times, inode, mode).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobCache } from '../../src/cache/store.js';
import { DistributionStore } from '../../src/python/index/download.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pyc-local-wheels-');

/** Longer than the stat cache's clock margin (50 ms): files written before are not racy after. */
const SETTLE_MS = 120;

test('a local wheel is hashed once, then vouched for by its stamp until it is touched', async () => {
  const dir = await tempDir();
  const cache = new BlobCache(await tempDir());
  const data = 'wheel bytes, version 1';
  await writeFile(path.join(dir, 'w.whl'), data);
  const file = { filename: 'w.whl', path: 'w.whl', sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
  await sleep(SETTLE_MS);
  const fetchOnce = async () => {
    const store = await DistributionStore.open(cache);
    try {
      assert.equal(await store.fetch(file, dir), path.join(dir, 'w.whl'));
      return store.vouched;
    } finally {
      await store.close();
    }
  };
  assert.equal(await fetchOnce(), 0, 'hashed the first time');
  assert.equal(await fetchOnce(), 1, 'vouched the second time');

  // A same-size edit with the mtime put back: the ctime moved, so it is hashed and refused.
  const wheel = path.join(dir, 'w.whl');
  execFileSync('touch', ['-r', wheel, `${wheel}.ref`]);
  await writeFile(wheel, 'wheel bytes, version 2');
  execFileSync('touch', ['-m', '-r', `${wheel}.ref`, wheel]);
  await sleep(SETTLE_MS);
  await assert.rejects(fetchOnce(), /w\.whl: sha256 [0-9a-f]{64} \(22 bytes\) does not match the lock's/);

  // The right bytes in a new file (another inode) moved into place: hashed again, then vouched.
  await writeFile(`${wheel}.new`, data);
  await rename(`${wheel}.new`, wheel);
  await sleep(SETTLE_MS);
  assert.equal(await fetchOnce(), 0);
  assert.equal(await fetchOnce(), 1);
  // A permission change is a touch too.
  await chmod(wheel, 0o600);
  await sleep(SETTLE_MS);
  assert.equal(await fetchOnce(), 0);

  // No cache directory: nothing is kept, every fetch hashes.
  const temporary = await DistributionStore.open(undefined);
  await temporary.fetch(file, dir);
  await temporary.fetch(file, dir);
  assert.equal(temporary.vouched, 0);
  await temporary.close();

  await rm(wheel);
  await assert.rejects(fetchOnce(), /the lock names w\.whl, which does not exist/);
});
