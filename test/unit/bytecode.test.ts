import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { extract } from 'tar-stream';
import type { Entry } from '../../generated/plan.js';
import { bytecodeEntries } from '../../src/plan/assemble.js';
import { BytecodeCache, BytecodeCompiler, bytecodeKey, cachePathOf, cacheTagOf, findHostInterpreter, LazyCompiler, strictCompile } from '../../src/python/bytecode.js';
import { layerTar } from '../../src/oci/layer.js';

const python = findHostInterpreter('3.11');
const needsPython = { skip: !python && 'no python3.11 on this machine' };
let compiler: BytecodeCompiler | undefined;
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-bytecode-'));
  if (python) compiler = await BytecodeCompiler.start('3.11');
});
after(async () => {
  await compiler?.close();
  await rm(tmp, { recursive: true, force: true });
});

test('.pyc paths: __pycache__ beside the source, named with the cache tag', () => {
  assert.equal(cacheTagOf('3.11'), 'cpython-311');
  assert.equal(cacheTagOf('3.13'), 'cpython-313');
  assert.equal(cachePathOf('app/pkg/mod.py', 'cpython-311'), 'app/pkg/__pycache__/mod.cpython-311.pyc');
  assert.equal(cachePathOf('main.py', 'cpython-312'), '__pycache__/main.cpython-312.pyc');
  assert.equal(cachePathOf('app/pkg/mod.pyi', 'cpython-311'), undefined);
  assert.equal(cachePathOf('app/data.txt', 'cpython-311'), undefined);
  assert.equal(cachePathOf('app/.py', 'cpython-311'), undefined);
});

test('bytecodeEntries: one .pyc per Python file, none for a .pyc already listed, directories or symlinks', () => {
  const entries: Entry[] = [
    { path: 'app', type: 'dir', mode: '0755' },
    { path: 'app/a.py', type: 'file', mode: '0755', source: 'a.py' },
    { path: 'app/b.py', type: 'symlink', mode: '0777', target: 'a.py' },
    { path: 'app/c.py', type: 'file', mode: '0644', source: 'c.py' },
    { path: 'app/__pycache__/c.cpython-311.pyc', type: 'file', mode: '0644', source: '__pycache__/c.cpython-311.pyc' },
    { path: 'app/gen.py', type: 'file', mode: '0644', content: 'x = 1\n' },
  ];
  assert.deepEqual(bytecodeEntries(entries, 'cpython-311'), [
    { path: 'app/__pycache__/a.cpython-311.pyc', type: 'file', mode: '0644', bytecodeOf: 'app/a.py' },
    { path: 'app/__pycache__/gen.cpython-311.pyc', type: 'file', mode: '0644', bytecodeOf: 'app/gen.py' },
  ]);
});

/** What the host interpreter makes of a .pyc: PEP 552 flags, whether the hash is the source's, co_filename, what it runs. */
function inspectPyc(pyc: Buffer, source: Buffer): { magic: boolean; flags: number; hash: boolean; filename: string; value: string } {
  const pycFile = path.join(tmp, `x${Math.random().toString(16).slice(2)}.pyc`);
  const sourceFile = `${pycFile}.py`;
  const script = `import sys, marshal, struct, importlib.util
d = open(sys.argv[1], 'rb').read(); s = open(sys.argv[2], 'rb').read()
code = marshal.loads(d[16:]); ns = {}; exec(code, ns)
print(d[:4] == importlib.util.MAGIC_NUMBER, struct.unpack('<I', d[4:8])[0], d[8:16] == importlib.util.source_hash(s), code.co_filename, repr(ns.get('VALUE')), sep='|')`;
  writeFileSync(pycFile, pyc);
  writeFileSync(sourceFile, source);
  const out = execFileSync(python!, ['-c', script, pycFile, sourceFile], { encoding: 'utf8' }).trim().split('|');
  return { magic: out[0] === 'True', flags: Number(out[1]), hash: out[2] === 'True', filename: out[3]!, value: out[4]! };
}

test('the compiler writes unchecked-hash .pyc files (PEP 552) with the image path as co_filename', needsPython, async () => {
  const source = Buffer.from('# -*- coding: utf-8 -*-\nVALUE = sorted({"é", "b", "a"})\n');
  const r = await compiler!.compile('/app/pkg/mod.py', source);
  assert.ok('pyc' in r);
  const seen = inspectPyc(r.pyc, source);
  assert.deepEqual(seen, { magic: true, flags: 0b01, hash: true, filename: '/app/pkg/mod.py', value: "['a', 'b', 'é']" });
  assert.match(compiler!.info.version, /^3\.11\.\d+$/);
  assert.equal(compiler!.info.cacheTag, 'cpython-311');
});

test('the same source gives the same bytes whatever was compiled before, and in another process', needsPython, async () => {
  const source = Buffer.from('import os\nNAMES = {"alpha", "beta", "gamma"}\ndef f(x, name="name"):\n    return x in ("q", 1.5, None) or name in NAMES\nclass K:\n    attr = "K"\n');
  const first = await compiler!.compile('/app/m.py', source);
  for (let i = 0; i < 30; i++) await compiler!.compile(`/app/o${i}.py`, Buffer.from(`NAME${i} = "name"\nclass K${i}:\n    def f(self): return "alpha${i}"\n`));
  const again = await compiler!.compile('/app/m.py', source);
  const other = await BytecodeCompiler.start('3.11');
  try {
    const fresh = await other.compile('/app/m.py', source);
    assert.ok('pyc' in first && 'pyc' in again && 'pyc' in fresh);
    assert.ok(first.pyc.equals(again.pyc), 'same process, after other files');
    assert.ok(first.pyc.equals(fresh.pyc), 'another process');
  } finally {
    await other.close();
  }
});

test('a file that does not compile is reported, and the compiler goes on', needsPython, async () => {
  const bad = await compiler!.compile('/app/py2.py', Buffer.from('print "hello"\n'));
  assert.ok('error' in bad && /^SyntaxError: /.test(bad.error));
  await assert.rejects(strictCompile(compiler!)('/app/py2.py', Buffer.from('print "hello"\n')), /app\/py2\.py no longer compiles \(SyntaxError/);
  const good = await compiler!.compile('/app/ok.py', Buffer.from('x = 1\n'));
  assert.ok('pyc' in good);
});

test('layerTar writes a .pyc entry from its source entry in the same layer, compiled on the way', needsPython, async () => {
  await writeFile(path.join(tmp, 'mod.py'), 'VALUE = 42\n');
  const entries: Entry[] = [
    { path: 'app', type: 'dir', mode: '0755' },
    { path: 'app/__pycache__', type: 'dir', mode: '0755' },
    { path: 'app/__pycache__/mod.cpython-311.pyc', type: 'file', mode: '0644', bytecodeOf: 'app/mod.py' },
    { path: 'app/mod.py', type: 'file', mode: '0644', source: 'mod.py', size: 11 },
  ];
  const reader = {
    read: (e: Entry) => readFile(path.join(tmp, e.source!)),
    stream: () => {
      throw new Error('small files only');
    },
  };
  const seen = new Map<string, string>();
  const pack = layerTar(entries, 0, reader, (f) => seen.set(f.entry.path, f.sha256), strictCompile(compiler!));
  const bodies = new Map<string, Buffer>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        bodies.set(h.name, Buffer.concat(chunks));
        next();
      });
    });
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  pack.pipe(ex);
  await done;
  const pyc = bodies.get('app/__pycache__/mod.cpython-311.pyc')!;
  assert.deepEqual(inspectPyc(pyc, Buffer.from('VALUE = 42\n')), { magic: true, flags: 1, hash: true, filename: '/app/mod.py', value: '42' });
  assert.ok(seen.has('app/__pycache__/mod.cpython-311.pyc'), 'its digest is reported like a file');
  // Without a compiler the layer cannot be written.
  const refused = layerTar(entries, 0, reader, () => undefined);
  await assert.rejects(async () => {
    for await (const _ of refused as AsyncIterable<Buffer>) void _;
  }, /needs a compiler/);
});

test('no interpreter of the minor version: one line naming compile_bytecode and how to get one, exit 2', async () => {
  const env = { PATH: tmp, PYENV_ROOT: path.join(tmp, 'no-pyenv'), HOME: tmp };
  assert.equal(findHostInterpreter('3.99', env), undefined);
  await assert.rejects(BytecodeCompiler.start('3.99', env, 'pyproject.toml: build.compile_bytecode'), (err: Error & { code?: string; exitCode?: number }) => {
    assert.equal(err.code, 'E_NO_COMPILER');
    assert.equal(err.exitCode, 2);
    assert.doesNotMatch(err.message, /\n/);
    assert.match(err.message, /^pyproject\.toml: build\.compile_bytecode: compiling bytecode needs Python 3\.99 .*uv python install 3\.99/);
    return true;
  });
});

test('a pyenv version directory is found when nothing on PATH has the minor', async () => {
  const root = path.join(tmp, 'pyenv');
  const bin = path.join(root, 'versions', '3.98.1', 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(bin, 'python3.98'), '#!/bin/sh\n', { mode: 0o755 });
  assert.equal(findHostInterpreter('3.98', { PATH: tmp, PYENV_ROOT: root }), path.join(bin, 'python3.98'));
});

/** A .pyc-shaped stand-in (16-byte header, unchecked-hash flags): what the cache holds, told apart from anything compiled. */
function fakePyc(marker: string): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(0b01, 4);
  return Buffer.concat([head, Buffer.from(marker)]);
}

test('bytecodeKey: one key per module path, source bytes, compiler version and cache tag', () => {
  const info = { version: '3.11.9', cacheTag: 'cpython-311' };
  const source = Buffer.from('x = 1\n');
  const key = bytecodeKey('/app/m.py', source, info);
  assert.match(key, /^[a-f0-9]{64}$/);
  assert.equal(bytecodeKey('/app/m.py', Buffer.from('x = 1\n'), { ...info }), key, 'the same inputs, the same key');
  const others = [
    bytecodeKey('/app/n.py', source, info), // co_filename differs
    bytecodeKey('/app/m.py', Buffer.from('x = 2\n'), info),
    bytecodeKey('/app/m.py', source, { ...info, version: '3.11.10' }),
    bytecodeKey('/app/m.py', source, { ...info, cacheTag: 'cpython-312' }),
  ];
  assert.equal(new Set([key, ...others]).size, 5);
});

test('BytecodeCache: a scratch store is made on the first write and removed by close; a damaged entry is a miss', async () => {
  const scratch = BytecodeCache.scratch();
  const key = 'a'.repeat(64);
  assert.equal(await scratch.read(key), undefined);
  await scratch.write(key, fakePyc('one'));
  assert.deepEqual(await scratch.read(key), fakePyc('one'));
  const dirs = (await readdir(os.tmpdir())).filter((d) => d.startsWith('pycontainer-bytecode-'));
  const mine = [];
  for (const d of dirs) if (await access(path.join(os.tmpdir(), d, 'aa', `${key}.pyc`)).then(() => true, () => false)) mine.push(d);
  assert.equal(mine.length, 1, 'one scratch directory holds the entry');
  await scratch.close();
  await assert.rejects(access(path.join(os.tmpdir(), mine[0]!)), /ENOENT/);

  const root = path.join(tmp, 'cache-root');
  const kept = BytecodeCache.in(root);
  await kept.write(key, fakePyc('two'));
  await kept.close();
  assert.deepEqual(await BytecodeCache.in(root).read(key), fakePyc('two'), "a cache directory's store outlives close");
  // Not a .pyc of ours (a truncated or foreign file): a miss, compiled again.
  await writeFile(path.join(root, 'bytecode', 'aa', `${key}.pyc`), Buffer.from('truncated'));
  assert.equal(await kept.read(key), undefined);
});

test('a compiler with a cache keeps what it compiles and answers from the cache after', needsPython, async () => {
  const cache = BytecodeCache.in(path.join(tmp, 'compiler-cache'));
  const withCache = await BytecodeCompiler.start('3.11', process.env, 'test', cache);
  try {
    const source = Buffer.from('VALUE = "cached"\n');
    const first = await withCache.compile('/app/c.py', source);
    assert.ok('pyc' in first);
    const key = bytecodeKey('/app/c.py', source, withCache.info);
    assert.deepEqual(await cache.read(key), first.pyc, 'kept under its key');
    // An entry planted under the key is what the next compile answers: nothing is compiled again.
    await cache.write(key, fakePyc('planted'));
    assert.deepEqual(await withCache.compile('/app/c.py', source), { pyc: fakePyc('planted') });
    // A source that does not compile is not kept.
    const bad = Buffer.from('print "py2"\n');
    assert.ok('error' in (await withCache.compile('/app/bad.py', bad)));
    assert.equal(await cache.read(bytecodeKey('/app/bad.py', bad, withCache.info)), undefined);
  } finally {
    await withCache.close();
  }
});

test("apply's compiler takes the plan's compiler's bytecode from the cache and starts no interpreter for it", async () => {
  const cache = BytecodeCache.in(path.join(tmp, 'apply-cache'));
  const planned = { compiler: '3.99.1', cacheTag: 'cpython-399' };
  const source = Buffer.from('x = 1\n');
  await cache.write(bytecodeKey('/app/m.py', source, { version: planned.compiler, cacheTag: planned.cacheTag }), fakePyc('from plan'));
  // No Python 3.99 anywhere: only what the cache lacks would need one.
  const env = { PATH: tmp, PYENV_ROOT: path.join(tmp, 'no-pyenv'), HOME: tmp };
  const lazy = new LazyCompiler('3.99', planned, env, cache);
  try {
    assert.deepEqual(await strictCompile(lazy)('/app/m.py', source), fakePyc('from plan'));
    assert.equal(lazy.differs(), undefined);
    await assert.rejects(lazy.compile('/app/other.py', source), /E_NO_COMPILER|needs Python 3\.99/);
  } finally {
    await lazy.close();
  }
});
