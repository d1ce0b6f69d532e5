import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { extract, type Header, type Pack } from 'tar-stream';
import { ConfigError } from '../../src/errors.js';
import { wrapper } from '../../src/python/install/venv.js';
import { wheelsLayerTar, type WheelToInstall } from '../../src/python/install/wheel.js';
import { ZipFile } from '../../src/python/install/zip.js';
import { zipBytes, type ZipMember } from '../support/zip.js';
import { tempDirs } from '../support/temp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tempDir = tempDirs('pyc-wheel-');

const b64 = (data: Buffer | string) => createHash('sha256').update(data).digest('base64url');

interface WheelSpec {
  name: string;
  version: string;
  files: ZipMember[];
  entryPoints?: string;
  /** Rewrites RECORD rows before writing (to break it). */
  record?: (rows: string[]) => string[];
  distInfo?: string;
}

async function writeWheel(dir: string, spec: WheelSpec): Promise<string> {
  const stem = `${spec.name.replace(/-/g, '_')}-${spec.version}`;
  const distInfo = spec.distInfo ?? `${stem}.dist-info`;
  const files: ZipMember[] = [
    ...spec.files,
    { name: `${distInfo}/METADATA`, data: `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\n` },
    { name: `${distInfo}/WHEEL`, data: 'Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
  ];
  if (spec.entryPoints) files.push({ name: `${distInfo}/entry_points.txt`, data: spec.entryPoints });
  let rows = files.map((f) => `${f.name},sha256=${b64(f.data)},${Buffer.byteLength(f.data)}`);
  rows.push(`${distInfo}/RECORD,,`);
  if (spec.record) rows = spec.record(rows);
  files.push({ name: `${distInfo}/RECORD`, data: `${rows.join('\n')}\n` });
  const file = path.join(dir, `${stem}-py3-none-any.whl`);
  await writeFile(file, zipBytes(files));
  return file;
}

const demoSpec: WheelSpec = {
  name: 'demo-pkg',
  version: '1.0',
  files: [
    { name: 'demo_pkg/__init__.py', data: 'def main():\n    print("demo")\n\ndef gui():\n    pass\n' },
    { name: 'demo_pkg/run.sh', data: '#!/bin/sh\necho run\n', mode: 0o755, stored: true },
    { name: 'demo_pkg-1.0.data/scripts/demo-tool', data: '#!python -u\nprint("tool")\n' },
    { name: 'demo_pkg-1.0.data/scripts/plain.sh', data: '#!/bin/sh\necho plain\n' },
    { name: 'demo_pkg-1.0.data/scripts/other', data: '#!python3\nprint(3)\n' },
    { name: 'demo_pkg-1.0.data/data/share/demo/x.txt', data: 'data file\n' },
    { name: 'demo_pkg-1.0.data/headers/demo.h', data: '#define DEMO 1\n' },
    { name: 'demo_pkg-1.0.data/platlib/demo_ext.txt', data: 'platlib\n' },
  ],
  entryPoints: '[console_scripts]\ndemo = demo_pkg:main\n\n[gui_scripts]\ndemo-gui = demo_pkg:gui [extra]\n\n[other.group]\nx = y:z\n',
};

const target = { venv: '/app/.venv', pythonMinor: '3.11' };
const site = 'app/.venv/lib/python3.11/site-packages';

interface TarEntry {
  header: Header;
  body: Buffer;
}

async function readPack(pack: Pack): Promise<{ entries: TarEntry[]; sha256: string }> {
  const hash = createHash('sha256');
  const entries: TarEntry[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({ header, body: Buffer.concat(chunks) });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) {
    hash.update(chunk);
    ex.write(chunk);
  }
  ex.end(undefined);
  await done;
  return { entries, sha256: hash.digest('hex') };
}

function wheelError(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'E_WHEEL');
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  };
}

function checkReproducible(entries: TarEntry[], mtime: number): void {
  const names = entries.map((e) => e.header.name.replace(/\/$/, ''));
  const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual(names, sorted, 'sorted byte-wise');
  assert.equal(new Set(names).size, names.length, 'no duplicates');
  const seen = new Set<string>();
  for (const e of entries) {
    const name = e.header.name.replace(/\/$/, '');
    assert.ok(!name.startsWith('/'), name);
    const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
    if (parent) assert.ok(seen.has(parent), `parent of ${name} comes first`);
    seen.add(name);
    assert.equal(e.header.uid, 0);
    assert.equal(e.header.gid, 0);
    assert.equal(e.header.uname ?? '', '');
    assert.equal(e.header.gname ?? '', '');
    assert.equal(e.header.mtime!.getTime(), mtime * 1000);
    if (e.header.type === 'directory') assert.equal(e.header.mode, 0o755, name);
    else {
      assert.equal(e.header.type, 'file', name);
      assert.ok(e.header.mode === 0o644 || e.header.mode === 0o755, `${name} mode ${e.header.mode!.toString(8)}`);
    }
  }
}

/** RECORD rows (path → [hash, size]) checked against the tar's bodies. */
function checkRecord(entries: TarEntry[], distInfo: string): Map<string, string[]> {
  const byName = new Map(entries.map((e) => [e.header.name, e]));
  const record = byName.get(`${site}/${distInfo}/RECORD`);
  assert.ok(record, 'RECORD present');
  const rows = new Map<string, string[]>();
  for (const line of record.body.toString('utf8').trimEnd().split('\n')) {
    const [p, hash, size] = line.split(',');
    rows.set(p!, [hash!, size!]);
  }
  for (const [p, [hash, size]] of rows) {
    const full = path.posix.normalize(`${site}/${p}`);
    const e = byName.get(full);
    assert.ok(e, `RECORD lists ${p}, in the tar as ${full}`);
    if (p === `${distInfo}/RECORD`) {
      assert.deepEqual([hash, size], ['', '']);
      continue;
    }
    assert.equal(hash, `sha256=${b64(e.body)}`, p);
    assert.equal(size, String(e.body.length), p);
  }
  // ...and every installed file of this wheel is listed (files under site-packages not of other wheels are checked by callers).
  return rows;
}

test('a pure wheel installs as pypa/installer would: schemes, scripts, wrappers, dist-info, RECORD', async () => {
  const dir = await tempDir();
  const file = await writeWheel(dir, demoSpec);
  const mtime = 1700000000;
  const { entries } = await readPack(
    await wheelsLayerTar([{ file, name: 'demo-pkg', version: '1.0', requested: true, directUrl: { url: 'https://example.test/demo.whl', archiveHash: 'sha256=' + 'ab'.repeat(32) } }], target, mtime),
  );
  checkReproducible(entries, mtime);
  const byName = new Map(entries.map((e) => [e.header.name, e]));
  const files = entries.filter((e) => e.header.type === 'file').map((e) => `${e.header.name} ${e.header.mode!.toString(8)}`);
  const di = `${site}/demo_pkg-1.0.dist-info`;
  assert.deepEqual(files, [
    'app/.venv/bin/demo 755',
    'app/.venv/bin/demo-gui 755',
    'app/.venv/bin/demo-tool 755',
    'app/.venv/bin/other 755',
    'app/.venv/bin/plain.sh 755',
    'app/.venv/include/site/python3.11/demo-pkg/demo.h 644',
    `${site}/demo_ext.txt 644`,
    `${di}/INSTALLER 644`,
    `${di}/METADATA 644`,
    `${di}/RECORD 644`,
    `${di}/REQUESTED 644`,
    `${di}/WHEEL 644`,
    `${di}/direct_url.json 644`,
    `${di}/entry_points.txt 644`,
    `${site}/demo_pkg/__init__.py 644`,
    `${site}/demo_pkg/run.sh 755`,
    'app/.venv/share/demo/x.txt 644',
  ]);
  assert.ok(byName.has('app/'), 'root parent present');
  assert.equal(byName.get('app/.venv/bin/demo-tool')!.body.toString(), '#!/app/.venv/bin/python -u\nprint("tool")\n');
  assert.equal(byName.get('app/.venv/bin/plain.sh')!.body.toString(), '#!/bin/sh\necho plain\n');
  assert.equal(byName.get('app/.venv/bin/other')!.body.toString(), '#!python3\nprint(3)\n', 'only #!python and #!pythonw are rewritten');
  assert.equal(byName.get('app/.venv/bin/demo')!.body.toString(), wrapper('/app/.venv', { name: 'demo', module: 'demo_pkg', attr: 'main' }));
  assert.equal(byName.get('app/.venv/bin/demo-gui')!.body.toString(), wrapper('/app/.venv', { name: 'demo-gui', module: 'demo_pkg', attr: 'gui' }));
  assert.equal(byName.get(`${di}/INSTALLER`)!.body.toString(), 'pycontainer\n');
  assert.equal(byName.get(`${di}/REQUESTED`)!.body.length, 0);
  assert.deepEqual(JSON.parse(byName.get(`${di}/direct_url.json`)!.body.toString()), {
    archive_info: { hash: `sha256=${'ab'.repeat(32)}`, hashes: { sha256: 'ab'.repeat(32) } },
    url: 'https://example.test/demo.whl',
  });
  const rows = checkRecord(entries, 'demo_pkg-1.0.dist-info');
  assert.ok(rows.has('../../../bin/demo-tool'));
  assert.ok(rows.has('../../../include/site/python3.11/demo-pkg/demo.h'));
  assert.ok(rows.has('../../../share/demo/x.txt'));
  const installedFiles = entries.filter((e) => e.header.type === 'file').length;
  assert.equal(rows.size, installedFiles, 'RECORD lists every installed file, itself included');
});

test('REQUESTED only for requested wheels, direct_url.json only for direct URL installs', async () => {
  const dir = await tempDir();
  const file = await writeWheel(dir, demoSpec);
  const { entries } = await readPack(await wheelsLayerTar([{ file, name: 'demo-pkg', version: '1.0', requested: false }], target, 0));
  const names = entries.map((e) => e.header.name);
  assert.ok(!names.some((n) => n.endsWith('/REQUESTED') || n.endsWith('/direct_url.json')));
  const rows = checkRecord(entries, 'demo_pkg-1.0.dist-info');
  assert.ok(!rows.has('demo_pkg-1.0.dist-info/REQUESTED'));
  assert.equal(entries[0]!.header.mtime!.getTime(), 0);
});

test('the layer is deterministic: same bytes across runs and whatever the order of the wheels', async () => {
  const dir = await tempDir();
  const a = await writeWheel(dir, demoSpec);
  const b = await writeWheel(dir, { name: 'other', version: '2.0', files: [{ name: 'other.py', data: 'x = 1\n' }], entryPoints: '[console_scripts]\nother-cli = other:main\n' });
  const wheels: WheelToInstall[] = [
    { file: a, name: 'demo-pkg', version: '1.0', requested: true },
    { file: b, name: 'other', version: '2.0', requested: false },
  ];
  const first = await readPack(await wheelsLayerTar(wheels, target, 42));
  const again = await readPack(await wheelsLayerTar(wheels, target, 42));
  const reversed = await readPack(await wheelsLayerTar([...wheels].reverse(), target, 42));
  assert.equal(again.sha256, first.sha256);
  assert.equal(reversed.sha256, first.sha256);
  const later = await readPack(await wheelsLayerTar(wheels, target, 43));
  assert.notEqual(later.sha256, first.sha256, 'mtime is part of the bytes');
  checkReproducible(first.entries, 42);
});

test('a member that does not match its RECORD hash destroys the stream with an error naming wheel and file', async () => {
  const dir = await tempDir();
  const file = await writeWheel(dir, {
    ...demoSpec,
    record: (rows) => rows.map((r) => (r.startsWith('demo_pkg/__init__.py,') ? `demo_pkg/__init__.py,sha256=${b64('something else')},${r.split(',')[2]}` : r)),
  });
  const pack = await wheelsLayerTar([{ file, name: 'demo-pkg', version: '1.0', requested: true }], target, 0);
  await assert.rejects(readPack(pack), wheelError(/^demo_pkg-1\.0-py3-none-any\.whl: demo_pkg\/__init__\.py does not match its hash in RECORD/));

  // A script (rewritten, so read up front) with a wrong hash is refused before any byte is written.
  const script = await writeWheel(dir, {
    ...demoSpec,
    version: '1.1',
    files: demoSpec.files.map((f) => ({ ...f, name: f.name.replace('1.0.data', '1.1.data') })),
    record: (rows) => rows.map((r) => (r.includes('scripts/demo-tool,') ? r.replace(/sha256=[^,]+/, `sha256=${b64('x')}`) : r)),
  });
  await assert.rejects(wheelsLayerTar([{ file: script, name: 'demo-pkg', version: '1.1', requested: true }], target, 0), wheelError(/demo-tool does not match its hash in RECORD/));
});

test('a damaged zip member (CRC-32 mismatch) fails the stream with an error naming the wheel', async () => {
  const dir = await tempDir();
  const file = await writeWheel(dir, demoSpec);
  const bytes = await readFile(file);
  const at = bytes.indexOf('#!/bin/sh\necho run\n'); // the stored (uncompressed) member
  assert.ok(at > 0);
  bytes[at + 12] = 'X'.charCodeAt(0);
  await writeFile(file, bytes);
  const pack = await wheelsLayerTar([{ file, name: 'demo-pkg', version: '1.0', requested: true }], target, 0);
  await assert.rejects(readPack(pack), wheelError(/^demo_pkg-1\.0-py3-none-any\.whl: .*demo_pkg\/run\.sh/));
});

test('unsafe or inconsistent wheels are refused with one-line E_WHEEL errors', async () => {
  const dir = await tempDir();
  const install = (file: string, name = 'bad', version = '1.0') => wheelsLayerTar([{ file, name, version, requested: true }], target, 0);
  const cases: Array<[string, Partial<WheelSpec>, RegExp]> = [
    ['traversal', { files: [{ name: '../evil.py', data: 'x' }] }, /bad-1\.0-py3-none-any\.whl: "\.\.\/evil\.py" escapes/],
    ['traversal inside', { files: [{ name: 'pkg/../../../evil.py', data: 'x' }] }, /escapes/],
    ['absolute', { files: [{ name: '/etc/passwd', data: 'x' }] }, /is an absolute path/],
    ['other .data', { files: [{ name: 'other-1.0.data/scripts/x', data: 'x' }] }, /installs into other-1\.0\.data, which is not its own bad-1\.0\.data/],
    ['data escape', { files: [{ name: 'bad-1.0.data/data/../../x', data: 'x' }] }, /escapes/],
    ['unknown scheme', { files: [{ name: 'bad-1.0.data/weird/x', data: 'x' }] }, /unknown scheme "weird"/],
    ['not in RECORD', { files: [{ name: 'pkg.py', data: 'x' }], record: (rows) => rows.filter((r) => !r.startsWith('pkg.py,')) }, /pkg\.py is not listed in RECORD/],
    ['not in zip', { files: [{ name: 'pkg.py', data: 'x' }], record: (rows) => [...rows, `ghost.py,sha256=${b64('')},0`] }, /RECORD lists ghost\.py, which is not in the wheel/],
    ['no hash', { files: [{ name: 'pkg.py', data: 'x' }], record: (rows) => rows.map((r) => (r.startsWith('pkg.py,') ? 'pkg.py,,' : r)) }, /RECORD has no hash for pkg\.py/],
    ['wrong dist-info', { files: [{ name: 'pkg.py', data: 'x' }], distInfo: 'notbad-1.0.dist-info' }, /notbad-1\.0\.dist-info is not named for bad 1\.0/],
    ['bad entry point', { files: [{ name: 'pkg.py', data: 'x' }], entryPoints: '[console_scripts]\nx = os; import evil:main\n' }, /invalid object reference/],
    ['script name', { files: [{ name: 'pkg.py', data: 'x' }], entryPoints: '[console_scripts]\n../x = pkg:main\n' }, /invalid script name/],
    ['venv interpreter', { files: [{ name: 'bad-1.0.data/data/bin/python', data: 'x' }] }, /would replace the venv's \/app\/\.venv\/bin\/python/],
  ];
  for (const [label, spec, pattern] of cases) {
    const sub = path.join(dir, label.replace(/\W/g, '_'));
    await mkdir(sub);
    const file = await writeWheel(sub, { name: 'bad', version: '1.0', files: [], ...spec });
    await assert.rejects(install(file), wheelError(pattern), label);
  }
  // A wheel file that is not a zip.
  const junk = path.join(dir, 'junk-1.0-py3-none-any.whl');
  await writeFile(junk, 'not a zip at all, just text');
  await assert.rejects(install(junk, 'junk'), wheelError(/junk-1\.0-py3-none-any\.whl: not a valid zip/));
  // The name or version does not match the file.
  const good = await writeWheel(dir, { name: 'good', version: '1.0', files: [{ name: 'good.py', data: 'x' }] });
  await assert.rejects(install(good, 'good', '2.0'), wheelError(/does not match good 2\.0/));
});

test('two wheels writing the same path are refused, naming both', async () => {
  const dir = await tempDir();
  const a = await writeWheel(dir, { name: 'alpha', version: '1.0', files: [{ name: 'shared/mod.py', data: 'a' }] });
  const b = await writeWheel(dir, { name: 'beta', version: '1.0', files: [{ name: 'shared/mod.py', data: 'b' }] });
  const wheels = [
    { file: b, name: 'beta', version: '1.0', requested: true },
    { file: a, name: 'alpha', version: '1.0', requested: true },
  ];
  await assert.rejects(wheelsLayerTar(wheels, target, 0), wheelError(/^alpha-1\.0-py3-none-any\.whl and beta-1\.0-py3-none-any\.whl both install \/app\/\.venv\/lib\/python3\.11\/site-packages\/shared\/mod\.py$/));
  // A console script clashing with another wheel's script file.
  const c = await writeWheel(dir, { name: 'gamma', version: '1.0', files: [{ name: 'gamma-1.0.data/scripts/alpha', data: '#!/bin/sh\n' }] });
  const d = await writeWheel(dir, { name: 'delta', version: '1.0', files: [{ name: 'delta.py', data: '' }], entryPoints: '[console_scripts]\nalpha = delta:main\n' });
  await assert.rejects(
    wheelsLayerTar([{ file: c, name: 'gamma', version: '1.0', requested: true }, { file: d, name: 'delta', version: '1.0', requested: true }], target, 0),
    wheelError(/delta-1\.0-py3-none-any\.whl and gamma-1\.0-py3-none-any\.whl both install \/app\/\.venv\/bin\/alpha/),
  );
});

test('the zip reader reads zip64 archives (more than 65535 members, written by python3 zipfile)', { skip: !hasPython() && 'python3 is not available' }, async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'many.zip');
  execFileSync('python3', ['-c', `import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n  for i in range(70000): z.writestr(f'd/{i}.txt', str(i))`, file]);
  const zip = await ZipFile.open(file);
  assert.equal(zip.entries.length, 70000);
  const last = zip.entries[69999]!;
  assert.equal(last.name, 'd/69999.txt');
  assert.equal((await zip.read(last)).toString(), '69999');
});

// ---- real wheels (Debian's pip, setuptools, wheel) installed and used by the host's python ----

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}

const debianWheels = ['pip', 'setuptools', 'wheel'];

/** Debian's pip, setuptools and wheel wheels, cached under test/.cache/wheels/ (apt-get download + dpkg -x). */
async function realWheels(): Promise<string[] | string> {
  const cache = path.join(repo, 'test/.cache/wheels');
  await mkdir(cache, { recursive: true });
  const find = async () => {
    const names = await readdir(cache);
    return debianWheels.map((n) => names.find((f) => f.startsWith(`${n}-`) && f.endsWith('.whl')));
  };
  let found = await find();
  if (found.every(Boolean)) return found.map((f) => path.join(cache, f!));
  if (spawnSync('apt-get', ['--version']).status !== 0 || spawnSync('dpkg', ['--version']).status !== 0) return 'apt-get/dpkg are not available';
  const work = await tempDir();
  const dl = spawnSync('apt-get', ['download', 'python3-pip-whl', 'python3-setuptools-whl', 'python3-wheel-whl'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  if (dl.status !== 0) return `apt-get download failed: ${dl.stderr.trim().split('\n').pop()}`;
  for (const deb of (await readdir(work)).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg', ['-x', path.join(work, deb), path.join(work, 'x')]);
  const wheelsDir = path.join(work, 'x/usr/share/python-wheels');
  for (const f of await readdir(wheelsDir)) if (f.endsWith('.whl')) await copyFile(path.join(wheelsDir, f), path.join(cache, f));
  found = await find();
  if (!found.every(Boolean)) return 'the Debian packages did not hold the expected wheels';
  return found.map((f) => path.join(cache, f!));
}

test('real wheels (pip, setuptools, wheel) install into a venv the host python can use', { timeout: 300_000 }, async (t) => {
  if (!hasPython()) return t.skip('python3 is not available');
  const wheels = await realWheels();
  if (typeof wheels === 'string') return t.skip(wheels);
  const info = JSON.parse(
    execFileSync('python3', ['-c', 'import sys, json, platform; print(json.dumps([sys.executable, platform.python_version()]))'], { encoding: 'utf8' }),
  ) as [string, string];
  const [executable, fullVersion] = info;
  const minor = fullVersion.split('.').slice(0, 2).join('.');
  const toInstall: WheelToInstall[] = wheels.map((file) => {
    const [name, version] = path.basename(file).split('-') as [string, string];
    return { file, name, version, requested: name === 'pip' };
  });
  const venvTarget = { venv: '/app/.venv', pythonMinor: minor };
  const mtime = 1234567890;
  const { entries, sha256 } = await readPack(await wheelsLayerTar(toInstall, venvTarget, mtime));
  checkReproducible(entries, mtime);
  const again = await readPack(await wheelsLayerTar([...toInstall].reverse(), venvTarget, mtime));
  assert.equal(again.sha256, sha256, 'deterministic for real wheels too');

  const sitePkgs = `app/.venv/lib/python${minor}/site-packages`;
  const byName = new Map(entries.map((e) => [e.header.name, e]));
  const pipVersion = toInstall.find((w) => w.name === 'pip')!.version;
  const pipEntryPoints = byName.get(`${sitePkgs}/pip-${pipVersion}.dist-info/entry_points.txt`)!.body.toString();
  const pipScripts = [...pipEntryPoints.matchAll(/^(pip[\d.]*) = /gm)].map((m) => m[1]!);
  assert.ok(pipScripts.includes('pip') && pipScripts.includes('pip3'), pipScripts.join(' '));
  for (const s of pipScripts) {
    const e = byName.get(`app/.venv/bin/${s}`);
    assert.ok(e, `bin/${s}`);
    assert.equal(e.header.mode, 0o755);
    assert.equal(e.body.toString(), wrapper('/app/.venv', { name: s, module: 'pip._internal.cli.main', attr: 'main' }));
  }
  assert.ok(byName.has('app/.venv/bin/wheel'));
  assert.ok(byName.has(`${sitePkgs}/pip-${pipVersion}.dist-info/REQUESTED`));
  assert.ok(!entries.some((e) => e.header.name.startsWith(`${sitePkgs}/setuptools-`) && e.header.name.endsWith('/REQUESTED')));
  for (const w of toInstall) {
    const distInfo = `${w.name}-${w.version}.dist-info`;
    const rows = checkRecord(entries.map((e) => ({ ...e, header: { ...e.header, name: e.header.name.replace(sitePkgs, site) } })), distInfo);
    const zip = await ZipFile.open(w.file);
    const expected = zip.entries.filter((z) => !z.directory).length + 1 /* INSTALLER */ + (w.requested ? 1 : 0);
    const scripts = w.name === 'pip' ? pipScripts.length : w.name === 'wheel' ? 1 : 0;
    assert.equal(rows.size, expected + scripts, `RECORD of ${w.name}`);
  }

  // Extract with the system tar and run the host's python in the venv.
  const dir = await tempDir();
  const tarFile = path.join(dir, 'layer.tar');
  const chunks: Buffer[] = [];
  for await (const c of (await wheelsLayerTar(toInstall, venvTarget, mtime)) as unknown as AsyncIterable<Buffer>) chunks.push(c);
  await writeFile(tarFile, Buffer.concat(chunks));
  const root = path.join(dir, 'root');
  await mkdir(root);
  execFileSync('tar', ['-xf', tarFile, '-C', root]);
  const venv = path.join(root, 'app/.venv');
  await symlink(executable, path.join(venv, 'bin/python'));
  await writeFile(path.join(venv, 'pyvenv.cfg'), `home = ${path.dirname(executable)}\ninclude-system-site-packages = false\nversion = ${fullVersion}\n`);
  const python = path.join(venv, 'bin/python');
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1', PIP_NO_INPUT: '1' };
  delete env.PYTHONPATH;
  delete env.VIRTUAL_ENV;
  const run = (args: string[]) => execFileSync(python, args, { encoding: 'utf8', env, cwd: dir });

  assert.equal(run(['-c', "import importlib.metadata as m; print(m.version('pip'))"]).trim(), pipVersion);
  assert.match(run([path.join(venv, 'bin/pip'), '--version']), new RegExp(`^pip ${pipVersion.replace(/\./g, '\\.')} from ${venv.replace(/[.]/g, '\\.')}/lib/python${minor}/site-packages/pip`));
  const listed = JSON.parse(run(['-m', 'pip', 'list', '--format=json'])) as Array<{ name: string; version: string }>;
  assert.deepEqual(
    listed.map((p) => `${p.name.toLowerCase()} ${p.version}`).sort(),
    toInstall.map((w) => `${w.name} ${w.version}`).sort(),
  );
  // importlib.metadata resolves every RECORD path (bin/ ones included) to a file that exists.
  const missing = run(['-c', "import importlib.metadata as m\nfor d in ('pip','setuptools','wheel'):\n  for f in m.files(d):\n    p = f.locate()\n    if not p.exists(): print(p)"]).trim();
  assert.equal(missing, '');
  // pip reads our metadata: INSTALLER, REQUESTED (pip list --not-required would differ; show reports the installer).
  assert.match(run(['-m', 'pip', 'show', '-f', 'pip']), /Location: /);
  assert.equal((await readFile(path.join(venv, `lib/python${minor}/site-packages/pip-${pipVersion}.dist-info/INSTALLER`), 'utf8')), 'pycontainer\n');
  assert.ok(existsSync(path.join(venv, 'bin/pip3')));
});
