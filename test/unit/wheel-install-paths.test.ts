// The wheel installer's fast paths against their general ones: the zip reader's (small members read
// whole, large ones streamed), the RECORD CSV reader's (no quotes: plain splits; quotes: the general
// parser), and bytecode compiled ahead of the tar writer (answers land on their own modules).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { extract } from 'tar-stream';
import { BytecodeCompiler, findHostInterpreter } from '../../src/python/bytecode.js';
import { assembleMemberWheel } from '../../src/python/install/member-wheel.js';
import { packWheelsLayer, parseCsv, planWheelsLayer } from '../../src/python/install/wheel.js';
import { SMALL_MEMBER, ZipFile, ZipFormatError, ZipReader } from '../../src/python/install/zip.js';
import { zipBytes } from '../support/zip.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pyc-zip-');

async function streamed(reader: ZipReader, entry: ZipFile['entries'][number]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of reader.stream(entry)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function zipOf(members: Parameters<typeof zipBytes>[0]): Promise<{ file: string; zip: ZipFile }> {
  const file = path.join(await tempDir(), 'a.zip');
  await writeFile(file, zipBytes(members));
  return { file, zip: await ZipFile.open(file) };
}

test('small members are read whole and large ones streamed, through one reader, with the same bytes', async () => {
  const text = 'def f(x):\n    return x\n'.repeat(200);
  const large = Buffer.concat([randomBytes(SMALL_MEMBER), Buffer.alloc(SMALL_MEMBER, 'a')]);
  const { zip } = await zipOf([
    { name: 'pkg/mod.py', data: text },
    { name: 'pkg/stored.txt', data: 'stored\n', stored: true },
    { name: 'pkg/empty.py', data: '' },
    { name: 'pkg/big.so', data: large },
  ]);
  const [mod, stored, empty, big] = zip.entries;
  assert.ok(ZipReader.isSmall(mod!) && ZipReader.isSmall(stored!) && ZipReader.isSmall(empty!));
  assert.ok(!ZipReader.isSmall(big!), 'over SMALL_MEMBER: streamed');
  const reader = zip.reader();
  assert.equal(reader.readSmall(mod!).toString(), text);
  assert.equal(reader.readSmall(stored!).toString(), 'stored\n');
  assert.equal(reader.readSmall(empty!).length, 0);
  assert.ok((await streamed(reader, big!)).equals(large));
  assert.equal((await streamed(reader, mod!)).toString(), text, 'a small member streams too');
  assert.throws(() => reader.readSmall(big!), ZipFormatError);
  reader.close();
  assert.throws(() => reader.readSmall(mod!), /closed/);
  // ZipFile.read opens a reader of its own, for either size.
  assert.ok((await zip.read(big!)).equals(large));
  assert.equal((await zip.read(mod!)).toString(), text);
});

test('damage is refused on both paths: CRC-32, sizes, the local header', async () => {
  const small = 'print("hello")\n'.repeat(10);
  const large = randomBytes(SMALL_MEMBER + 4096);
  const { file } = await zipOf([
    { name: 'a.py', data: small, stored: true },
    { name: 'b.bin', data: large, stored: true },
  ]);
  const good = await readFile(file);
  const damaged = async (edit: (bytes: Buffer) => void): Promise<{ reader: ZipReader; zip: ZipFile }> => {
    const bytes = Buffer.from(good);
    edit(bytes);
    const f = path.join(await tempDir(), 'd.zip');
    await writeFile(f, bytes);
    const zip = await ZipFile.open(f);
    return { zip, reader: zip.reader() };
  };
  // A flipped data byte: CRC-32 mismatch.
  {
    const { zip, reader } = await damaged((b) => {
      b[b.indexOf('hello') + 1] ^= 0x20;
      b[b.indexOf(large.subarray(0, 64)) + 100] ^= 0xff;
    });
    assert.throws(() => reader.readSmall(zip.entries[0]!), /a\.py: CRC-32 mismatch/);
    await assert.rejects(streamed(reader, zip.entries[1]!), /b\.bin: CRC-32 mismatch/);
    reader.close();
  }
  // The local header names another member.
  {
    const { zip, reader } = await damaged((b) => {
      b[30] = 'x'.charCodeAt(0);
    });
    assert.throws(() => reader.readSmall(zip.entries[0]!), /a\.py: local header names x\.py/);
    await assert.rejects(streamed(reader, zip.entries[0]!), /a\.py: local header names x\.py/);
    reader.close();
  }
  // A deflated member that inflates to more than its directory entry says.
  const bomb = Buffer.alloc(100_000, 'z');
  const { file: bombFile } = await zipOf([{ name: 'bomb.txt', data: bomb }]);
  const bytes = await readFile(bombFile);
  const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bytes.writeUInt32LE(1000, central + 24); // uncompressed size in the central directory
  await writeFile(bombFile, bytes);
  const zip = await ZipFile.open(bombFile);
  const reader = zip.reader();
  assert.throws(() => reader.readSmall(zip.entries[0]!), /bomb\.txt: more data than its stated size/);
  await assert.rejects(streamed(reader, zip.entries[0]!), /bomb\.txt: more data than its stated size/);
  reader.close();
});

test('a local extra field longer than the reader guesses (python3 zipfile) is read past', { skip: spawnSync('python3', ['--version']).status !== 0 && 'python3 is not available' }, async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'extra.zip');
  // An unknown extra block (id 0xcafe) of 300 bytes, in the local and the central header.
  execFileSync('python3', [
    '-c',
    `import sys, struct, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for i in range(3):
        info = zipfile.ZipInfo('pkg/m%d.py' % i, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.extra = struct.pack('<HH', 0xcafe, 300) + bytes(300)
        z.writestr(info, ('x = %d\\n' % i) * 50)`,
    file,
  ]);
  const zip = await ZipFile.open(file);
  const reader = zip.reader();
  for (const [i, entry] of zip.entries.entries()) assert.equal(reader.readSmall(entry).toString(), `x = ${i}\n`.repeat(50));
  reader.close();
});

test('RECORD rows: the plain-split path and the quoting parser agree', () => {
  const plain = 'a/b.py,sha256=AAA,12\r\nc.py,sha256=BBB,3\n\npkg-1.0.dist-info/RECORD,,\rlast,x,1';
  const expected = [
    ['a/b.py', 'sha256=AAA', '12'],
    ['c.py', 'sha256=BBB', '3'],
    ['pkg-1.0.dist-info/RECORD', '', ''],
    ['last', 'x', '1'],
  ];
  assert.deepEqual(parseCsv(plain), expected);
  // The same rows with one quoted field take the general parser: the same answer, the quote undone.
  assert.deepEqual(parseCsv(plain.replace('c.py', '"c.py"')), expected);
  assert.deepEqual(parseCsv('"a,b.py",sha256=X,1\n"say ""hi"".txt",,\n'), [
    ['a,b.py', 'sha256=X', '1'],
    ['say "hi".txt', '', ''],
  ]);
  assert.deepEqual(parseCsv(''), []);
  assert.deepEqual(parseCsv(',\n'), [['', '']]);
});

test('bytecode compiled ahead of the tar writer: each .pyc holds the answer for its own module, in tar order; one that does not compile is left out', async () => {
  const dir = await tempDir();
  const modules: Record<string, string> = {};
  for (let i = 0; i < 150; i++) modules[`pkg/m${String(i).padStart(3, '0')}.py`] = `X = ${i}\n`;
  modules['pkg/broken.py'] = 'def (\n';
  const built = assembleMemberWheel('pkg', '1.0', Object.entries(modules).map(([archivePath, data]) => ({ archivePath, source: archivePath, data: Buffer.from(data) })));
  const file = path.join(dir, built.filename);
  await writeFile(file, built.data);
  let inFlight = 0;
  let most = 0;
  // A compiler that answers after a random delay (out of order) with the path and source it was given.
  const compile = async (p: string, source: Buffer) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await sleep(Math.random() * 3);
    inFlight--;
    return source.toString().startsWith('def (') ? { error: 'SyntaxError' } : { pyc: Buffer.from(`${p}|${source.toString()}`) };
  };
  const plan = await planWheelsLayer([{ file, name: 'pkg', version: '1.0', requested: true }], { venv: '/app/.venv', pythonMinor: '3.11', bytecode: { cacheTag: 'cpython-311', compile } });
  const pycs: [string, string][] = [];
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      if (header.name.endsWith('.pyc')) pycs.push([header.name, Buffer.concat(chunks).toString()]);
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => ex.on('finish', () => resolve()).on('error', reject));
  packWheelsLayer(plan, 0).pipe(ex);
  await done;
  const site = 'app/.venv/lib/python3.11/site-packages';
  assert.equal(pycs.length, 150, 'every module but the broken one');
  for (const [name, body] of pycs) {
    const m = /^(.*)\/__pycache__\/(m\d{3})\.cpython-311\.pyc$/.exec(name)!;
    assert.ok(m, name);
    assert.equal(body, `/${m[1]}/${m[2]}.py|X = ${Number(m[2]!.slice(1))}\n`);
  }
  assert.deepEqual(pycs.map(([n]) => n), pycs.map(([n]) => n).sort(), 'in tar order');
  assert.ok(pycs[0]![0].startsWith(`${site}/pkg/__pycache__/`));
  assert.ok(most > 1, `several modules were compiling at once (${most})`);
});

test('many modules compiled at once (a second compiler process joins): the bytes of one at a time', { skip: !findHostInterpreter('3.11') && 'no python3.11 on this machine' }, async () => {
  const sources = Array.from({ length: 60 }, (_, i) => [`/app/pkg/m${i}.py`, Buffer.from(`def f(x):\n    return x * ${i} + len("${'s'.repeat(i)}")\nK = frozenset({${i}, 'a', 'b'})\n`)] as const);
  const together = await BytecodeCompiler.start('3.11');
  const alone = await BytecodeCompiler.start('3.11');
  try {
    const at = await Promise.all(sources.map(([p, src]) => together.compile(p, src)));
    for (const [i, [p, src]] of sources.entries()) assert.deepEqual(at[i], await alone.compile(p, src), p);
  } finally {
    await together.close();
    await alone.close();
  }
});
