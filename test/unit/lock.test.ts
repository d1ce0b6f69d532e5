// Output locks: one owner at a time, stale owners (dead pid, reused pid, silent other host) taken over,
// exactly one winner when several takers find the same stale lock.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { EXIT } from '../../src/errors.js';
import { acquireLock, FOREIGN_STALE_MS, judgeLock, outputLockPath, parseLockOwner, tryAcquireLock } from '../../src/lock.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'pyc-lock-'));
  dirs.push(d);
  return d;
}

/** The pid of a process that has exited (and so runs no more). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

test('the lock file holds pid, host and start time; anything else is not an owner', () => {
  assert.deepEqual(parseLockOwner('{"pid":42,"host":"h","started":1000}\n'), { pid: 42, host: 'h', started: 1000 });
  assert.equal(parseLockOwner(''), undefined);
  assert.equal(parseLockOwner('{"pid":"42","host":"h","started":1}'), undefined);
  assert.equal(parseLockOwner('{"pid":0,"host":"h","started":1}'), undefined);
  assert.equal(parseLockOwner('not json'), undefined);
});

test('a lock is stale when its pid is gone or reused here, or it went unrefreshed on another host', () => {
  const owner = { pid: 42, host: 'here', started: 1_000_000 };
  assert.equal(judgeLock(owner, 0, 'here', { running: true, startedMs: 999_000 }), 'held');
  assert.equal(judgeLock(owner, 0, 'here', { running: true }), 'held', 'start unknown: trust the pid');
  assert.equal(judgeLock(owner, 0, 'here', { running: false }), 'stale');
  assert.equal(judgeLock(owner, 0, 'here', { running: true, startedMs: 1_060_000 }), 'stale', 'the pid now belongs to a later process');
  assert.equal(judgeLock({ ...owner, host: 'other' }, 60_000, 'here', undefined), 'held');
  assert.equal(judgeLock({ ...owner, host: 'other' }, FOREIGN_STALE_MS + 1, 'here', undefined), 'stale');
  assert.equal(judgeLock(undefined, 1000, 'here', undefined), 'held', 'being written right now');
  assert.equal(judgeLock(undefined, 60_000, 'here', undefined), 'stale', 'left empty by a killed process');
});

test('a second writer fails fast with one line naming the holder and the output, exit 75', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  const held = await acquireLock(file, { what: '/out/image' });
  const owner = parseLockOwner(await readFile(file, 'utf8'));
  assert.deepEqual({ pid: owner?.pid, host: owner?.host }, { pid: process.pid, host: hostname() });
  await assert.rejects(acquireLock(file, { what: '/out/image', waitMs: 0 }), (err: Error & { exitCode: number; code: string }) => {
    assert.equal(err.message, `another pycontainer (pid ${process.pid}) is writing /out/image; wait for it or choose another --output`);
    assert.equal(err.exitCode, EXIT.busy);
    assert.equal(err.code, 'E_OUTPUT_BUSY');
    return true;
  });
  await held.release();
  await assert.rejects(stat(file), 'released: the file is gone');
  const again = await acquireLock(file, { what: '/out/image' });
  await again.release();
});

test('a waiting writer gets the lock when the holder releases it, and says once that it waits', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  const held = await acquireLock(file, { what: 'out' });
  setTimeout(() => void held.release(), 300);
  const waits: number[] = [];
  const start = Date.now();
  const second = await acquireLock(file, { what: 'out', waitMs: 10_000, onWait: (o) => waits.push(o.pid) });
  assert.ok(Date.now() - start >= 250, 'it waited');
  assert.deepEqual(waits, [process.pid]);
  await second.release();
});

test('a lock whose process is gone is taken over', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  await writeFile(file, JSON.stringify({ pid: deadPid(), host: hostname(), started: Date.now() - 1000 }));
  const lock = await acquireLock(file, { what: 'out', waitMs: 0 });
  assert.equal(parseLockOwner(await readFile(file, 'utf8'))?.pid, process.pid);
  await lock.release();
});

test('a lock held by another live process is respected until that process dies', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  await writeFile(file, JSON.stringify({ pid: child.pid, host: hostname(), started: Date.now() }));
  await assert.rejects(acquireLock(file, { what: 'out', waitMs: 200 }), /another pycontainer \(pid \d+\) is writing out/);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  const lock = await acquireLock(file, { what: 'out', waitMs: 0 });
  await lock.release();
});

test('a lock from another host is taken over only after it went unrefreshed for a while', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  await writeFile(file, JSON.stringify({ pid: 1, host: 'build-box-7', started: Date.now() }));
  await assert.rejects(acquireLock(file, { what: 'out', waitMs: 0 }), /another pycontainer \(pid 1 on build-box-7\) is writing out/);
  const old = new Date(Date.now() - FOREIGN_STALE_MS - 60_000);
  await utimes(file, old, old);
  const lock = await acquireLock(file, { what: 'out', waitMs: 0 });
  await lock.release();
});

test('several takers of one stale lock: exactly one wins', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  for (let round = 0; round < 5; round++) {
    await writeFile(file, JSON.stringify({ pid: deadPid(), host: hostname(), started: Date.now() - 1000 }));
    const results = await Promise.all(Array.from({ length: 8 }, () => tryAcquireLock(file)));
    const winners = results.filter((r) => r !== undefined);
    assert.equal(winners.length, 1, `round ${round}`);
    await winners[0]!.release();
  }
});

test('release leaves a lock that is no longer ours', async () => {
  const dir = await scratch();
  const file = path.join(dir, 'image.lock');
  const lock = await acquireLock(file, { what: 'out' });
  const other = JSON.stringify({ pid: 1, host: 'elsewhere', started: 5 });
  await writeFile(file, other);
  await lock.release();
  assert.equal(await readFile(file, 'utf8'), other);
});

test("an output's lock is a hidden sibling, so it exists before the output does", () => {
  assert.equal(outputLockPath('/w/dist/image'), '/w/dist/.image.pycontainer-lock');
  assert.equal(outputLockPath('/w/out/image.tar'), '/w/out/.image.tar.pycontainer-lock');
});
