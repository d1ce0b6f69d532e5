// The stat cache (what lstat says → sha256), the layer key cache and blob trust: unchanged files are
// not read again by plan or apply, and every kind of change is still noticed.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyPlan } from '../../src/apply/apply.js';
import { layerKey } from '../../src/cache/layers.js';
import { parseStatCache, StatCache, stampOf } from '../../src/cache/stat.js';
import { BlobCache } from '../../src/cache/store.js';
import { contextReader } from '../../src/config/context.js';
import { PlanError } from '../../src/errors.js';
import { sha256Hex } from '../../src/oci/digest.js';
import type { FileReader } from '../../src/oci/layer.js';
import { compileProject, type CompileOptions } from '../../src/plan/compile.js';
import { serializePlan } from '../../src/plan/file.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-stat-');

/** Longer than the cache's clock margin: files written before this are not racy for a cache read after. */
const SETTLE_MS = 120;

/** Rewrites a file with same-size content and puts its mtime back, to the nanosecond (`touch -r`). */
async function editKeepingMtime(file: string, text: string): Promise<void> {
  const ref = `${file}.mtime-ref`;
  execFileSync('touch', ['-r', file, ref]);
  assert.equal(Buffer.byteLength(text), (await lstat(file)).size, 'a same-size edit');
  await writeFile(file, text);
  execFileSync('touch', ['-m', '-r', ref, file]);
  await rm(ref);
}

const stampAt = async (file: string) => stampOf(await lstat(file, { bigint: true }));

/** A cache (read after the files settled) that has hashed `file` and been written and read back. */
async function cacheKnowing(root: string, context: string, file: string, rel: string): Promise<StatCache> {
  await sleep(SETTLE_MS);
  const first = await StatCache.read(root, context);
  assert.equal(first.lookup(rel, await stampAt(file)), undefined, 'a new cache knows nothing');
  first.record(rel, await stampAt(file), sha256Hex(await readFile(file)));
  await first.write();
  const second = await StatCache.read(root, context);
  assert.equal(second.lookup(rel, await stampAt(file)), sha256Hex(await readFile(file)), 'an untouched file is vouched for');
  return second;
}

test('stat cache: a same-size edit with the mtime put back is noticed (ctime moves)', async () => {
  const dir = await tempDir('pyc-stat-');
  const file = path.join(dir, 'app.py');
  await writeFile(file, 'print("hi")\n');
  const before = await lstat(file, { bigint: true });
  const cache = await cacheKnowing(path.join(dir, '.cache'), dir, file, 'app.py');
  await editKeepingMtime(file, 'print("yo")\n');
  const after = await lstat(file, { bigint: true });
  assert.equal(after.mtimeNs, before.mtimeNs, 'the mtime is the old one');
  assert.equal(after.ino, before.ino);
  assert.equal(cache.lookup('app.py', stampOf(after)), undefined);
});

test('stat cache: a file replaced by another of the same size and mtime (new inode) is noticed', async () => {
  const dir = await tempDir('pyc-stat-');
  const file = path.join(dir, 'data.bin');
  await writeFile(file, 'AAAA');
  const before = await lstat(file, { bigint: true });
  const cache = await cacheKnowing(path.join(dir, '.cache'), dir, file, 'data.bin');
  const other = path.join(dir, 'data.new');
  await writeFile(other, 'BBBB');
  execFileSync('touch', ['-r', file, other]);
  await rename(other, file);
  const after = await lstat(file, { bigint: true });
  assert.notEqual(after.ino, before.ino);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeNs, before.mtimeNs);
  assert.equal(cache.lookup('data.bin', stampOf(after)), undefined);
});

test('stat cache: a permission change is noticed', async () => {
  const dir = await tempDir('pyc-stat-');
  const file = path.join(dir, 'run.sh');
  await writeFile(file, '#!/bin/sh\n');
  const cache = await cacheKnowing(path.join(dir, '.cache'), dir, file, 'run.sh');
  await chmod(file, 0o755);
  assert.equal(cache.lookup('run.sh', await stampAt(file)), undefined);
});

test('stat cache: a file changed after the cache began stamping (racy) is hashed again, then trusted', async () => {
  const dir = await tempDir('pyc-stat-');
  const root = path.join(dir, '.cache');
  const file = path.join(dir, 'racy.py');
  await writeFile(file, 'x = 1\n');
  await sleep(SETTLE_MS);
  const first = await StatCache.read(root, dir);
  // Written while this cache is in use: the same tick as its stamps, as far as the cache can tell.
  await writeFile(file, 'x = 2\n');
  const stamp = await stampAt(file);
  first.record('racy.py', stamp, sha256Hex('x = 2\n'));
  await first.write();
  // The next run starts after the change has settled: what it hashes, it trusts next time.
  await sleep(SETTLE_MS);
  const second = await StatCache.read(root, dir);
  assert.equal(second.lookup('racy.py', stamp), undefined, 'the identical stamp is not trusted');
  second.record('racy.py', stamp, sha256Hex('x = 2\n'));
  await second.write();
  const third = await StatCache.read(root, dir);
  assert.equal(third.lookup('racy.py', stamp), sha256Hex('x = 2\n'), 'hashed again after the change settled: trusted');
});

test('stat cache: a stamp from plain lstat numbers equals the one from BigInt nanoseconds (plan and apply agree)', async () => {
  const dir = await tempDir('pyc-stat-');
  const file = path.join(dir, 'a.py');
  await writeFile(file, 'x\n');
  // Nanoseconds that a double in milliseconds cannot hold exactly.
  await utimes(file, 1_700_000_000.123456789, 1_700_000_000.987654321);
  for (const p of [file, dir]) {
    const plain = stampOf(await lstat(p));
    const big = stampOf(await lstat(p, { bigint: true }));
    assert.deepEqual(plain, big);
  }
  const st = await lstat(file, { bigint: true });
  const [size, mtimeUs, ctimeUs] = stampOf(st).key.split(' ').map(Number);
  assert.equal(size, 2);
  assert.ok(Math.abs(mtimeUs! - Number(st.mtimeNs / 1000n)) <= 1, 'whole microseconds');
  assert.ok(Math.abs(ctimeUs! - Number(st.ctimeNs / 1000n)) <= 1);
});

test('stat cache: a damaged or foreign cache file is an empty cache; paths with any character round-trip', async () => {
  assert.equal(parseStatCache('something else\n').entries.size, 0);
  assert.equal(parseStatCache(`pycontainer-stat-cache 1 5\n${'a'.repeat(64)} 1 2 3 4 5 6 not-json\n`).entries.size, 0);
  // The body's sha256 is in the header: a line damaged in place (or a torn file) reads as no cache.
  const body = `${'a'.repeat(64)} 1 2 3 4 5 6 "x.py"\n`;
  assert.equal(parseStatCache(`pycontainer-stat-cache 3 5 ${sha256Hex(body)}\n${body}`).entries.size, 1);
  assert.equal(parseStatCache(`pycontainer-stat-cache 3 5 ${sha256Hex(body)}\n${body.replace('a', 'b')}`).entries.size, 0);
  assert.equal(parseStatCache(`pycontainer-stat-cache 3 5 ${sha256Hex(body)}\n${body.slice(0, -3)}`).entries.size, 0);
  // Version 2 stamped nanoseconds: its keys never equal version 3's, so it is read as no cache.
  assert.equal(parseStatCache(`pycontainer-stat-cache 2 5 ${sha256Hex(body)}\n${body}`).entries.size, 0);
  const dir = await tempDir('pyc-stat-');
  const root = path.join(dir, '.cache');
  const name = 'odd name\n"quoted" é.py';
  const file = path.join(dir, name);
  await writeFile(file, 'x\n');
  await cacheKnowing(root, dir, file, name);
  await mkdir(path.dirname(StatCache.pathFor(root, dir)), { recursive: true });
  await writeFile(StatCache.pathFor(root, dir), 'garbage');
  assert.equal((await StatCache.read(root, dir)).lookup(name, await stampAt(file)), undefined);
});

test('layer key: covers every entry field that changes the tar, and needs every file digest', () => {
  const e = { path: 'app/a.py', type: 'file' as const, mode: '0644', size: 2, sha256: 'a'.repeat(64), source: 'a.py' };
  const base = layerKey([e], 0);
  assert.ok(base);
  for (const changed of [{ ...e, mode: '0755' }, { ...e, sha256: 'b'.repeat(64) }, { ...e, size: 3 }, { ...e, path: 'app/b.py' }, { ...e, uid: 1 }]) {
    assert.notEqual(layerKey([changed], 0), base);
  }
  assert.notEqual(layerKey([e], 1), base, 'the mtime is in the key');
  assert.equal(layerKey([{ ...e, sha256: undefined }], 0), undefined);
});

test('layer key: the same bytes as hashing each entry as a JSON array line (keys recorded before stay valid)', async () => {
  const { createHash } = await import('node:crypto');
  const entries = [
    { path: 'app', type: 'dir' as const, mode: '0755' },
    { path: 'app/a "quoted"\\ \u0001 é 😀.py', type: 'file' as const, mode: '0644', size: 12, sha256: 'c'.repeat(64), source: 'a.py', uid: 1000, gid: 1000 },
    { path: 'app/gen.txt', type: 'file' as const, mode: '0644', size: 3, content: 'hi\n' },
    { path: 'app/l', type: 'symlink' as const, mode: '0777', target: '../x "y"' },
  ];
  const h = createHash('sha256').update('layerTar/1 tar-stream/3\u00007\u0000');
  for (const e of entries) {
    const content = 'content' in e && e.content !== undefined ? sha256Hex(e.content) : '';
    const f = e as { uid?: number; gid?: number; size?: number; sha256?: string; target?: string };
    h.update(`${JSON.stringify([e.path, e.type, e.mode, f.uid ?? 0, f.gid ?? 0, f.size ?? 0, f.sha256 ?? '', f.target ?? '', content])}\n`);
  }
  assert.equal(layerKey(entries, 7), h.digest('hex'));
});

/** A small project: a module, a data file, a pyproject, hello-world style. */
async function project(): Promise<string> {
  const dir = await tempDir('pyc-stat-proj-');
  await mkdir(path.join(dir, 'src', 'demo'), { recursive: true });
  await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\n\n[project.scripts]\ndemo = "demo.cli:main"\n');
  await writeFile(path.join(dir, 'src', 'demo', '__init__.py'), '');
  await writeFile(path.join(dir, 'src', 'demo', 'cli.py'), 'def main():\n    print("Hi")\n');
  await writeFile(path.join(dir, 'src', 'demo', 'model.bin'), Buffer.alloc(300 * 1024, 7)); // streamed, not read whole
  await sleep(SETTLE_MS);
  return dir;
}

/** contextReader, counting the files it reads. */
function countingReader(): { readerFor: (ctx: string) => FileReader; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readerFor: (ctx) => {
      const inner = contextReader(ctx);
      return {
        read: (e) => (reads.push(e.source!), inner.read(e)),
        stream: (e) => (reads.push(e.source!), inner.stream(e)),
      };
    },
  };
}

const planOptions = (context: string, extra: Partial<CompileOptions>): CompileOptions => ({ context, env: {}, flags: { baseImage: 'scratch' }, ...extra });

test('plan: identical with and without the stat cache; a warm plan reads no file', async () => {
  const dir = await project();
  const cache = new BlobCache(await tempDir('pyc-stat-cache-'));
  const uncached = serializePlan((await compileProject(planOptions(dir, { cache: null }))).plan);
  const cold = countingReader();
  assert.equal(serializePlan((await compileProject(planOptions(dir, { cache, readerFor: cold.readerFor }))).plan), uncached);
  assert.deepEqual(cold.reads.sort(), ['pyproject.toml', 'src/demo/__init__.py', 'src/demo/cli.py', 'src/demo/model.bin']);
  const warm = countingReader();
  assert.equal(serializePlan((await compileProject(planOptions(dir, { cache, readerFor: warm.readerFor }))).plan), uncached);
  assert.deepEqual(warm.reads, [], 'every digest and the diff_id came from the caches');

  // A same-size edit with the mtime put back: the warm plan notices, reads the layer, states the new digest.
  const cli = path.join(dir, 'src', 'demo', 'cli.py');
  await editKeepingMtime(cli, 'def main():\n    print("Yo")\n');
  const edited = countingReader();
  const plan = (await compileProject(planOptions(dir, { cache, readerFor: edited.readerFor }))).plan;
  assert.ok(edited.reads.includes('src/demo/cli.py'));
  const entry = plan.layers[0]!.entries.find((e) => e.source === 'src/demo/cli.py')!;
  assert.equal(entry.sha256, sha256Hex('def main():\n    print("Yo")\n'));
  assert.equal(serializePlan(plan), serializePlan((await compileProject(planOptions(dir, { cache: null }))).plan));
});

test('plan: use_cache = false and a dry run write no stat cache', async () => {
  const dir = await project();
  const root = await tempDir('pyc-stat-cache-');
  const cache = new BlobCache(root);
  await compileProject(planOptions(dir, { cache, dryRun: true, compressLayers: true }));
  await writeFile(path.join(dir, 'pycontainer.toml'), '[build]\nuse_cache = false\n');
  await sleep(SETTLE_MS);
  const off = countingReader();
  await compileProject(planOptions(dir, { cache, readerFor: off.readerFor }));
  await compileProject(planOptions(dir, { cache, readerFor: off.readerFor }));
  assert.equal(off.reads.filter((r) => r === 'src/demo/cli.py').length, 2, 'read by both plans');
  await assert.rejects(lstat(StatCache.pathFor(root, dir)), 'no stat cache written');
  await assert.rejects(lstat(path.join(root, 'blobs')), 'the dry run compressed nothing into the cache');
});

test('build then apply: one pass fills the cache, apply of the same plan reads no file, an edit is still refused', async () => {
  const dir = await project();
  const cache = new BlobCache(await tempDir('pyc-stat-cache-'));
  const out = await tempDir('pyc-stat-out-');
  const reads = countingReader();
  // build: compile compresses the layer it streams; apply takes it from the cache.
  const { plan, builtLayers } = await compileProject(planOptions(dir, { cache, compressLayers: true, readerFor: reads.readerFor }));
  assert.deepEqual([...builtLayers], [plan.layers[0]!.diffId]);
  const compiled = reads.reads.length;
  assert.equal(compiled, 4, 'each file of the layer read once');
  const built = await applyPlan(plan, { context: dir, output: path.join(out, 'a'), cache, builtLayers, readerFor: reads.readerFor });
  assert.equal(reads.reads.length, compiled, 'apply read no input again');
  assert.equal(built.layers[0]!.cached, false, 'built by this build, not an old cache entry');
  assert.equal(built.layers[0]!.diffId, plan.layers[0]!.diffId);
  // apply of the same plan elsewhere: from the cache, no input read.
  const again = await applyPlan(plan, { context: dir, output: path.join(out, 'b'), cache, readerFor: reads.readerFor });
  assert.equal(reads.reads.length, compiled);
  assert.equal(again.layers[0]!.cached, true);
  assert.equal(again.digest, built.digest);

  // A damaged cache blob (same size, rewritten) is no longer trusted: detected, dropped, rebuilt.
  const blob = cache.blobPath(again.layers[0]!.digest);
  const bytes = await readFile(blob);
  bytes[bytes.length - 9]! ^= 0xff;
  await rm(blob);
  await writeFile(blob, bytes);
  const rebuilt = await applyPlan(plan, { context: dir, output: path.join(out, 'c'), cache });
  assert.equal(rebuilt.layers[0]!.cached, false);
  assert.equal(rebuilt.digest, built.digest);

  // A same-size edit with the mtime put back: apply of the old plan re-hashes the file and refuses.
  const cli = path.join(dir, 'src', 'demo', 'cli.py');
  await editKeepingMtime(cli, 'def main():\n    print("Yo")\n');
  await assert.rejects(applyPlan(plan, { context: dir, output: path.join(out, 'd'), cache }), (err: PlanError) => {
    assert.equal(err.code, 'E_PLAN_STALE');
    assert.match(err.message, /src\/demo\/cli\.py changed/);
    return true;
  });
  // Re-planned: the edited file changes the application layer, which is rebuilt; nothing else is.
  const next = (await compileProject(planOptions(dir, { cache }))).plan;
  assert.notEqual(next.layers[0]!.diffId, plan.layers[0]!.diffId);
  const result = await applyPlan(next, { context: dir, output: path.join(out, 'a'), cache });
  assert.deepEqual(result.layers.map((l) => [l.name, l.cached]), [['app', false]]);
});

test('base layer scans are kept on disk by digest: a later plan does not open the layer again', async () => {
  const { pack } = await import('tar-stream');
  const { readRootfs } = await import('../../src/oci/rootfs.js');
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  })();
  p.entry({ name: 'etc/passwd', mode: 0o644 }, 'root:x:0:0:root:/root:/bin/sh\n');
  p.entry({ name: 'usr/bin/python3', type: 'symlink', linkname: 'python3.12' });
  p.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  const root = await tempDir('pyc-stat-scan-');
  // A digest of its own per run: the in-process scan cache must not answer for the disk.
  const digest = `sha256:${sha256Hex(`${tar.toString('hex')}${Date.now()}${Math.random()}`)}`;
  let opens = 0;
  const source = Object.assign(async () => (opens++, (await import('node:stream')).Readable.from([tar])), { digest });
  const first = await readRootfs([source], root);
  assert.equal(opens, 1);
  // Another process: read what the first one stored (a fresh digest → no in-process entry; same file).
  const other = `sha256:${sha256Hex(`${digest}-other`)}`;
  await writeFile(path.join(root, 'rootfs-scans', `${other.slice(7)}.json`), await readFile(path.join(root, 'rootfs-scans', `${digest.slice(7)}.json`)));
  const never = Object.assign(async () => {
    throw new Error('the stored scan should have been used');
  }, { digest: other });
  const second = await readRootfs([never], root);
  assert.deepEqual([...second.nodes].sort(), [...first.nodes].sort());
  assert.equal(second.readText('/etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  assert.equal(second.lstat('tmp')?.mode, 0o1777);
  assert.deepEqual(second.resolve('/usr/bin/python3'), first.resolve('/usr/bin/python3'));
});

test('build of the same project at another path: the layer the cache held is reported as cached', async () => {
  const { cp } = await import('node:fs/promises');
  const dir = await project();
  const copy = path.join(await tempDir('pyc-stat-copy-'), 'demo');
  await cp(dir, copy, { recursive: true });
  const cache = new BlobCache(await tempDir('pyc-stat-cache-'));
  const out = await tempDir('pyc-stat-out-');
  const first = await compileProject(planOptions(dir, { cache, compressLayers: true }));
  assert.equal(first.builtLayers.size, 1);
  const second = await compileProject(planOptions(copy, { cache, compressLayers: true }));
  assert.equal(second.builtLayers.size, 0, 'compressed again (another path: no stat cache), but the cache already had it');
  assert.equal(second.plan.layers[0]!.diffId, first.plan.layers[0]!.diffId);
  const result = await applyPlan(second.plan, { context: copy, output: out, cache, builtLayers: second.builtLayers });
  assert.equal(result.layers[0]!.cached, true);
});
