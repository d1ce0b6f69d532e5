// The layer tar (layerTar, through tar-stream): GNU tar reads every kind of member a layer holds
// (directories, files of every padding case, streamed large files, symlinks, long and non-ASCII names
// and targets, owners, odd modes and times) as written; a file whose size changes while it streams
// fails the stream with an error that says so; paths sort in UTF-8 byte order.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import type { Entry } from '../../generated/plan.js';
import { contextReader } from '../../src/config/context.js';
import { compareUtf8, layerTar, type FileReader } from '../../src/oci/layer.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Deterministic bytes of a given length (not all zeros: padding must not hide an offset error). */
function bytesOf(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

/** A reader over in-memory files, by entry.source. */
function memoryReader(files: Map<string, Buffer>): FileReader {
  const get = (e: Entry) => files.get(e.source!) ?? assert.fail(`no file ${e.source}`);
  return {
    read: async (e) => get(e),
    readSync: (e) => get(e),
    // Several chunks, so a streamed member is written piecewise.
    stream: (e) => Readable.from(chunksOf(get(e), 100_000)),
  };
}

function chunksOf(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

async function layerBytes(entries: Entry[], mtime: number, reader: FileReader, reported?: Map<string, { sha256: string; size: number }>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of layerTar(entries, mtime, reader, (f) => reported?.set(f.entry.path, f))) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Every kind of member a layer holds, with the sizes around block boundaries and the big-file threshold. */
function variedEntries(): { entries: Entry[]; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const entries: Entry[] = [{ path: 'app', type: 'dir', mode: '0755' }];
  const file = (p: string, size: number, extra: Partial<Entry> = {}) => {
    files.set(p, bytesOf(size, files.size + 1));
    entries.push({ path: `app/${p}`, type: 'file', mode: '0644', size, source: p, ...extra });
  };
  for (const size of [0, 1, 511, 512, 513, 1024, 4095, 4096, 4097, 65_535, 65_536, 100_000, 256 * 1024]) file(`f${size}.bin`, size);
  file('run.sh', 20, { mode: '0755' });
  file('owned.txt', 7, { uid: 1000, gid: 1001 });
  file('huge-owner.txt', 3, { uid: 0o7777777, gid: 70000 });
  file('setuid', 5, { mode: '4755' });
  file('nomode', 5, { mode: '0000' });
  file('big.bin', 256 * 1024 + 1); // streamed
  file('big-even.bin', 3 * 512 * 1024); // streamed, no padding
  entries.push({ path: 'app/gen.txt', type: 'file', mode: '0644', size: 6, content: 'é gen\n' });
  entries.push({ path: 'app/link', type: 'symlink', mode: '0777', target: 'f1.bin' });
  entries.push({ path: 'app/link-ü', type: 'symlink', mode: '0777', target: 'zü' });
  entries.push({ path: 'app/link-far', type: 'symlink', mode: '0777', target: `${'../'.repeat(40)}x` }); // target > 100 bytes: pax
  entries.push({ path: 'app/link-utf8-target', type: 'symlink', mode: '0777', target: `${'ü'.repeat(49)}` }); // 98 bytes, stored raw
  entries.push({ path: 'app/dir-no-mode', type: 'dir', mode: '0000' });
  // Names: exactly 100 bytes; splittable into prefix + name; a segment too long (pax); non-ASCII (pax).
  const deep = `app/${'d'.repeat(60)}/${'e'.repeat(60)}`;
  entries.push({ path: deep, type: 'dir', mode: '0755' });
  file(`${'n'.repeat(92)}.txt`, 10); // "app/" and 96 bytes: a name of exactly 100 bytes
  file('deep-mod.py', 33, { path: `${deep}/mod.py` }); // 130 bytes: split into prefix and name
  file(`${'x'.repeat(120)}.py`, 12); // one segment over 100 bytes: pax
  file(`ünï/çødé.py`, 9); // non-ASCII: pax
  file(`${'p'.repeat(150)}/${'q'.repeat(20)}.py`, 4); // prefix ≤ 155
  file(`${'p'.repeat(80)}/${'r'.repeat(80)}/${'s'.repeat(20)}.py`, 4); // prefix over 155: pax
  // A pax record whose length crosses a power of ten (the length counts its own digits).
  file(`${'ü'.repeat(43)}`, 1);
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return { entries, files };
}

test('GNU tar reads the layer: names, link targets and contents as written', async () => {
  const { entries, files } = variedEntries();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyc-tar-'));
  dirs.push(dir);
  const file = path.join(dir, 'layer.tar');
  const reported = new Map<string, { sha256: string; size: number }>();
  await writeFile(file, await layerBytes(entries, 0, memoryReader(files), reported));
  // Every copied file and its digest is reported (generated contents are not).
  assert.equal(reported.size, files.size);
  for (const [p, f] of reported) assert.equal(f.sha256, createHash('sha256').update(files.get(entries.find((e) => e.path === p)!.source!)!).digest('hex'), p);
  const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.deepEqual(listed, entries.map((e) => (e.type === 'dir' ? `${e.path}/` : e.path)));
  const long = entries.find((e) => e.path.endsWith('.py') && e.path.includes('x'.repeat(120)))!;
  assert.ok(execFileSync('tar', ['-xOf', file, long.path]).equals(files.get(long.source!)!));
  const verbose = execFileSync('tar', ['-tvf', file, 'app/link-far'], { encoding: 'utf8' });
  assert.match(verbose, new RegExp(`app/link-far -> ${'\\.\\./'.repeat(40)}x`));
});

test('layerTar: a streamed file that grew or shrank since it was listed fails the stream, saying so', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyc-tar-'));
  dirs.push(dir);
  const planned = 300 * 1024;
  for (const [name, actual] of [
    ['grew.bin', planned + 10],
    ['shrank.bin', planned - 10],
  ] as const) {
    await writeFile(path.join(dir, name), bytesOf(actual, 3));
    const entries: Entry[] = [{ path: name, type: 'file', mode: '0644', size: planned, source: name }];
    await assert.rejects(layerBytes(entries, 0, contextReader(dir)), (err: Error) => {
      assert.match(err.message, new RegExp(`^${name.replace('.', '\\.')}: its size changed while it was read \\(planned ${planned} bytes, found ${actual > planned ? 'more' : actual}\\)$`));
      return true;
    });
  }
});

test('compareUtf8 orders strings as their UTF-8 bytes do (surrogate pairs, U+E000–U+FFFF, prefixes)', () => {
  const pieces = ['', 'a', 'b', 'Z', '/', '.', 'é', 'ü', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffef', '\uffff', '😀', '𝄞', '\u{10ffff}', 'aa', 'a/b'];
  const strings: string[] = [];
  for (const x of pieces) for (const y of pieces) strings.push(x + y);
  const sign = (n: number) => Math.sign(n);
  for (const a of strings) {
    for (const b of strings) assert.equal(sign(compareUtf8(a, b)), sign(Buffer.compare(Buffer.from(a), Buffer.from(b))), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});
