// Dependencies without pip: locks → wheels for the target → a venv layer, with real wheels (Debian's pip,
// setuptools and wheel, and a C extension compiled here), from a find-links directory and from a
// PEP 691 index on loopback; the images run under runc and pip reads the dist-info we wrote.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ensureBaseImage, ensureMultiArchBaseImage, findRepoRoot } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { runImage } from '../support/run-image.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { parse as parseToml } from 'smol-toml';
import { poetryContentHash } from '../../src/python/locks/poetry.js';
import { buildExtensionWheel, buildPureSdist, ensureDebianWheels, serveIndex, type WheelFile } from '../support/wheels.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-deps-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function pyc(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run('node', [cli, ...args], { env: { ...process.env, SOURCE_DATE_EPOCH: '', ...env }, allowFail: true });
}

const MAIN = `import importlib.metadata as m
import fastsum
print("fastsum says", fastsum.add(2, 3))
print("pip", m.version("pip"), "setuptools", m.version("setuptools"), "wheel", m.version("wheel"))
`;

function pylock(wheels: WheelFile[], opts: { sha?: (w: WheelFile) => string; where?: (w: WheelFile) => string } = {}): string {
  const lines = ['lock-version = "1.0"', 'created-by = "pycontainer tests"', 'requires-python = ">=3.11"', ''];
  for (const w of [...wheels].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push('[[packages]]', `name = "${w.name}"`, `version = "${w.version}"`, `wheels = [{ name = "${w.filename}", ${opts.where ? opts.where(w) : `path = "wheels/${w.filename}"`}, size = ${w.size}, hashes = { sha256 = "${opts.sha ? opts.sha(w) : w.sha256}" } }]`, '');
  }
  return lines.join('\n');
}

/** A project depending on pip, setuptools, wheel and fastsum, with the wheels in wheels/. */
async function project(name: string, wheels: WheelFile[], lock: string | undefined, extra: Record<string, string> = {}): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(path.join(dir, 'wheels'), { recursive: true });
  for (const w of wheels) await cp(w.path, path.join(dir, 'wheels', w.filename));
  await writeFile(
    path.join(dir, 'pyproject.toml'),
    `[project]\nname = "${name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = [${[...new Set(wheels.map((w) => `"${w.name}"`))].join(', ')}]\n`,
  );
  await writeFile(path.join(dir, 'main.py'), MAIN);
  if (lock !== undefined) await writeFile(path.join(dir, 'pylock.toml'), lock);
  for (const [file, text] of Object.entries(extra)) await writeFile(path.join(dir, file), text);
  return dir;
}

describe('dependencies', { concurrency: false }, () => {
  let debian: WheelFile[] = [];
  let fastsum: WheelFile;
  let fastsumArm: WheelFile;
  const TOOLS = ['apt-get', 'dpkg', 'gcc', 'python3', 'umoci', 'runc', 'skopeo'];

  before(async () => {
    try {
      debian = await ensureDebianWheels();
      fastsum = await buildExtensionWheel(path.join(tmp, 'built'), 'x86_64');
      fastsumArm = await buildExtensionWheel(path.join(tmp, 'built'), 'aarch64');
    } catch {
      // The tests below report the missing tools.
    }
  });

  test('a pylock.toml with local wheels: the venv layer runs pip, wheel and a C extension', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const wheels = [...debian, fastsum];
    const dir = await project('locked-app', wheels, pylock(wheels));
    const planFile = path.join(tmp, 'locked.plan.json');
    const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '-o', planFile]);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    const deps = plan.dependencies![0]!;
    assert.equal(deps.lock, 'pylock.toml');
    assert.equal(deps.target.libc, 'glibc 2.36', 'the C library comes from the base image');
    assert.deepEqual(deps.packages.map((p) => `${p.name} ${p.version}`), wheels.map((w) => `${w.name} ${w.version}`).sort());
    assert.equal(deps.packages.find((p) => p.name === 'fastsum')!.tag, 'cp311-cp311-manylinux_2_17_x86_64');
    const diffIds = plan.images[0]!.config.rootfs.diff_ids;
    const ours = [...deps.layers, ...plan.layers].map((l) => l.diffId);
    assert.deepEqual(diffIds.slice(-ours.length), ours, 'the dependency layers sit below the application layers');

    const layout = path.join(tmp, 'locked-image');
    const cache = path.join(tmp, 'locked-cache');
    const applied = JSON.parse((await pyc(['apply', planFile, '-C', dir, '-o', layout, '--cache-dir', cache, '--json'])).stdout);
    assertLayoutOk(await checkLayout(layout));
    const tag = '1.0.0';
    const main = await runImage(layout, tag);
    assert.equal(main.code, 0, main.stderr);
    const v = (n: string) => debian.find((w) => w.name === n)!.version;
    assert.equal(main.stdout, `fastsum says 5\npip ${v('pip')} setuptools ${v('setuptools')} wheel ${v('wheel')}\n`);
    const pipVersion = await runImage(layout, tag, { args: ['pip', '--version'] });
    assert.equal(pipVersion.stdout, `pip ${v('pip')} from /app/.venv/lib/python3.11/site-packages/pip (python 3.11)\n`);
    const pipList = await runImage(layout, tag, { args: ['pip', 'list', '--disable-pip-version-check'] });
    for (const w of wheels) assert.match(pipList.stdout, new RegExp(`^${w.name}\\s+${w.version.replace(/\./g, '\\.')}\\s*$`, 'm'), `pip list shows ${w.name}`);
    const wheelVersion = await runImage(layout, tag, { args: ['wheel', 'version'] });
    assert.equal(wheelVersion.stdout, `wheel ${v('wheel')}\n`);

    // An application change rebuilds only the application layer.
    await writeFile(path.join(dir, 'main.py'), `${MAIN}print("changed")\n`);
    const again = JSON.parse((await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '--cache-dir', cache, '--json'])).stdout);
    const depsLayer = again.layers.find((l: { name: string }) => l.name.startsWith('deps'));
    assert.equal(depsLayer.cached, true);
    assert.equal(depsLayer.digest, applied.layers.find((l: { name: string }) => l.name.startsWith('deps')).digest);
  });

  test('a hashed requirements.txt resolved against a PEP 691 index on loopback', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const wheels = [...debian, fastsum];
    const index = await serveIndex(wheels);
    try {
      const requirements = [`--index-url ${index.url}`, ...wheels.map((w) => `${w.name}==${w.version} --hash=sha256:${w.sha256}`)].join('\n');
      const dir = await project('req-app', [], undefined, { 'requirements.txt': `${requirements}\n` });
      await writeFile(path.join(dir, 'pyproject.toml'), `[project]\nname = "req-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n`);
      const layout = path.join(tmp, 'req-image');
      const built = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '--no-cache', '--json']);
      assert.equal(built.code, 0, built.stderr);
      assert.ok(index.requests.some((r) => r.startsWith('GET /simple/pip/')), 'the index was asked');
      const out = await runImage(layout, '1.0.0');
      assert.match(out.stdout, /^fastsum says 5\n/);
    } finally {
      await index.stop();
    }
  });

  test('a uv.lock: the dependency graph walked from the project, wheels from the index URLs it names', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const wheels = [...debian, fastsum];
    const index = await serveIndex(wheels);
    try {
      const registry = index.url.replace(/\/$/, '');
      const filesUrl = index.url.replace(/simple\/$/, 'files/');
      const dir = await project('uv-app', [], undefined);
      // The project depends on fastsum and pip; pip pulls in setuptools and wheel only on linux (an edge marker),
      // and a dev group pins something that must not be installed.
      const pkg = (w: WheelFile, deps: string[] = []) =>
        `[[package]]\nname = "${w.name}"\nversion = "${w.version}"\nsource = { registry = "${registry}" }\n${deps.length ? `dependencies = [${deps.join(', ')}]\n` : ''}wheels = [{ url = "${filesUrl}${w.filename}", hash = "sha256:${w.sha256}", size = ${w.size} }]\n`;
      const by = (n: string) => wheels.find((w) => w.name === n)!;
      const lock = [
        'version = 1',
        'requires-python = ">=3.11"',
        '',
        '[[package]]\nname = "uv-app"\nversion = "1.0.0"\nsource = { editable = "." }\ndependencies = [{ name = "fastsum" }, { name = "pip" }]\n\n[package.dev-dependencies]\ndev = [{ name = "wheel", marker = "sys_platform == \'darwin\'" }]\n',
        pkg(by('fastsum')),
        pkg(by('pip'), ['{ name = "setuptools", marker = "sys_platform == \'linux\'" }', '{ name = "wheel", marker = "sys_platform == \'linux\'" }']),
        pkg(by('setuptools')),
        pkg(by('wheel')),
      ].join('\n');
      await writeFile(path.join(dir, 'uv.lock'), lock);
      await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "uv-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["fastsum", "pip"]\n');
      const layout = path.join(tmp, 'uv-image');
      const built = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '--no-cache', '--json']);
      assert.equal(built.code, 0, built.stderr);
      const out = await runImage(layout, '1.0.0');
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /^fastsum says 5\npip /);
      const pipList = await runImage(layout, '1.0.0', { args: ['pip', 'list', '--disable-pip-version-check'] });
      for (const n of ['pip', 'setuptools', 'wheel', 'fastsum']) assert.match(pipList.stdout, new RegExp(`^${n}\\s`, 'm'));
      // REQUESTED marks the project's direct dependencies only.
      const requested = await runImage(layout, '1.0.0', { args: ['python', '-c', 'import importlib.metadata as m; print(sorted(d.metadata["Name"] for d in m.distributions() if d.read_text("REQUESTED") is not None))'] });
      assert.equal(requested.stdout.trim(), "['fastsum', 'pip']");
    } finally {
      await index.stop();
    }
  });

  test('one multi-platform plan picks the x86_64 wheel for amd64 and the aarch64 wheel for arm64', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'gcc', 'python3'], { root: true })) return;
    const multi = await ensureMultiArchBaseImage();
    const wheels = [...debian, fastsum, fastsumArm];
    const dir = await project('multi-app', wheels, pylock([...debian]) + pylockPackage('fastsum', '1.0', [fastsum, fastsumArm]));
    const planFile = path.join(tmp, 'multi.plan.json');
    const planned = await pyc(['plan', '-C', dir, '--base-image', multi.ref, '--platform', 'linux/amd64,linux/arm64', '-o', planFile]);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    const pick = (platform: string) => plan.dependencies!.find((d) => d.platform === platform)!.packages.find((p) => p.name === 'fastsum')!.filename;
    assert.equal(pick('linux/amd64'), fastsum.filename);
    assert.equal(pick('linux/arm64/v8'), fastsumArm.filename, 'the base lists arm64 as v8, and so does the plan');
    const [amd, arm] = ['linux/amd64', 'linux/arm64/v8'].map((p) => plan.dependencies!.find((d) => d.platform === p)!.layers.map((l) => l.diffId).join());
    assert.notEqual(amd, arm, 'per-platform dependency layers');
  });

  test('a package locked only as an sdist is built with the host pip, recorded in the plan, and runs', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const dir = path.join(tmp, 'sdist-app');
    const sdist = await buildPureSdist(path.join(dir, 'dists'), 'shout', '1.0');
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "sdist-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["shout"]\n');
    await writeFile(path.join(dir, 'main.py'), 'import shout\nprint(shout.shout("built from an sdist"))\n');
    await writeFile(
      path.join(dir, 'pylock.toml'),
      `lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "shout"\nversion = "1.0"\nsdist = { name = "${sdist.filename}", path = "dists/${sdist.filename}", size = ${sdist.size}, hashes = { sha256 = "${sdist.sha256}" } }\n`,
    );
    // The host has setuptools but no wheel package and no network: give pip both without build isolation.
    const wheelWhl = debian.find((w) => w.name === 'wheel')!.path;
    const env = { PYTHONPATH: wheelWhl, PIP_NO_BUILD_ISOLATION: '0' };
    const planFile = path.join(tmp, 'sdist.plan.json');
    const cache = path.join(tmp, 'sdist-cache');
    const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '-o', planFile], env);
    assert.equal(planned.code, 0, planned.stderr);
    const pkg = (JSON.parse(await readFile(planFile, 'utf8')) as Plan).dependencies![0]!.packages[0]!;
    assert.equal(pkg.filename, 'shout-1.0-py3-none-any.whl');
    assert.deepEqual(pkg.sdist, { filename: sdist.filename, path: `dists/${sdist.filename}`, sha256: sdist.sha256 });
    const layout = path.join(tmp, 'sdist-image');
    const applied = await pyc(['apply', planFile, '-C', dir, '-o', layout, '--cache-dir', cache, '--json'], env);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await runImage(layout, '1.0.0')).stdout, 'BUILT FROM AN SDIST!\n');

    // Without a host Python (or uv) the same lock is a clear error.
    const noPython = await run(process.execPath, [cli, 'plan', '-C', dir, '--base-image', base.ref], { env: { PATH: '/nonexistent', HOME: tmp }, allowFail: true });
    assert.equal(noPython.code, 2);
    assert.match(noPython.stderr, /shout 1\.0 is published only as a source distribution \(shout-1\.0\.tar\.gz\), and building it needs a host Python with pip, or uv, on PATH/);
  });

  test('without a lock, an existing .venv is the last resort: copied with a warning, scripts rewritten', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const dir = path.join(tmp, 'venv-app');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "venv-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["wheel"]\n');
    await writeFile(path.join(dir, 'main.py'), 'import importlib.metadata as m\nprint("wheel", m.version("wheel"))\n');
    await run('python3', ['-m', 'venv', '--without-pip', path.join(dir, '.venv')]);
    // Install into it with the host's pip, offline, from Debian's wheel file.
    const wheelWhl = debian.find((w) => w.name === 'wheel')!;
    const site = (await run('python3', ['-c', 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")'])).stdout.trim();
    await run('python3', ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-deps', '--disable-pip-version-check', '--target', path.join(dir, '.venv', 'lib', site, 'site-packages'), wheelWhl.path]);
    const layout = path.join(tmp, 'venv-image');
    // Resolution comes first; with no index reachable, the venv is the last resort.
    const noIndex = { PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', PIP_CONFIG_FILE: os.devNull };
    const built = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '--no-cache', '--json'], noIndex);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, /warning: no lock found: copying 1 packages from \.venv as a last resort/);
    assert.equal((await runImage(layout, '1.0.0')).stdout, `wheel ${wheelWhl.version}\n`);
    assert.equal((await runImage(layout, '1.0.0', { args: ['wheel', 'version'] })).stdout, `wheel ${wheelWhl.version}\n`, 'the console script points at the image venv');

    // A venv made with another Python is still used, with a warning that says so.
    const cfg = path.join(dir, '.venv', 'pyvenv.cfg');
    await writeFile(cfg, (await readFile(cfg, 'utf8')).replace(/^version\s*=.*$/m, 'version = 3.12.1'));
    const other = await pyc(['plan', '-C', dir, '--base-image', base.ref], noIndex);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /\.venv was made with Python 3\.12\.1, the image has 3\.11: packages may not import/);
  });

  test('pip freeze (pins without hashes) resolved on a PEP 691 index: the plan records the index\'s sha256', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const wheels = [...debian, fastsum];
    const index = await serveIndex(wheels);
    try {
      const dir = await project('freeze-app', [], undefined, { 'requirements.txt': `${wheels.map((w) => `${w.name}==${w.version}`).join('\n')}\n` });
      const planFile = path.join(tmp, 'freeze-plan.json');
      const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '-o', planFile], { PIP_INDEX_URL: index.url });
      assert.equal(planned.code, 0, planned.stderr);
      const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
      const pkgs = plan.dependencies![0]!.packages;
      assert.deepEqual(pkgs.map((p) => `${p.name} ${p.sha256}`).sort(), wheels.map((w) => `${w.name} ${w.sha256}`).sort());
      const layout = path.join(tmp, 'freeze-image');
      const applied = await pyc(['apply', planFile, '-C', dir, '-o', layout, '--no-cache']);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match((await runImage(layout, '1.0.0')).stdout, /^fastsum says 5\n/);
    } finally {
      await index.stop();
    }
  });

  test('a poetry.lock 2.1 names files, not URLs: found on the index by name, content-hash checked', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const wheels = [...debian, fastsum];
    const index = await serveIndex(wheels);
    try {
      const dir = await project('poetry-app', [], undefined);
      const pyproject = `[project]\nname = "poetry-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["fastsum", "pip (>=20)"]\n\n[tool.poetry.group.dev.dependencies]\nwheel = "*"\n`;
      await writeFile(path.join(dir, 'pyproject.toml'), pyproject);
      const by = (n: string) => wheels.find((w) => w.name === n)!;
      const pkg = (w: WheelFile, groups: string, deps = '') =>
        `[[package]]\nname = "${w.name}"\nversion = "${w.version}"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\ngroups = [${groups}]\nfiles = [\n    {file = "${w.filename}", hash = "sha256:${w.sha256}"},\n]\n${deps}`;
      const lock = [
        '# This file is automatically @generated by Poetry 2.0.1 and should not be changed by hand.\n',
        pkg(by('fastsum'), '"main"'),
        pkg(by('pip'), '"main"', '\n[package.dependencies]\nsetuptools = {version = "*", markers = "sys_platform == \\"linux\\""}\n'),
        pkg(by('setuptools'), '"main"'),
        pkg(by('wheel'), '"dev"'),
        `[metadata]\nlock-version = "2.1"\npython-versions = ">=3.11"\ncontent-hash = "${poetryContentHash(parseToml(pyproject) as Record<string, unknown>)}"\n`,
      ].join('\n');
      await writeFile(path.join(dir, 'poetry.lock'), lock);
      const layout = path.join(tmp, 'poetry-image');
      const built = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', layout, '--no-cache', '--json'], { PIP_INDEX_URL: index.url });
      assert.equal(built.code, 0, built.stderr);
      const pipList = await runImage(layout, '1.0.0', { args: ['pip', 'list', '--disable-pip-version-check'] });
      for (const n of ['pip', 'setuptools', 'fastsum']) assert.match(pipList.stdout, new RegExp(`^${n}\\s`, 'm'));
      assert.doesNotMatch(pipList.stdout, /^wheel\s/m, 'the dev group is not installed');

      // pyproject.toml changes without `poetry lock`: refused like `poetry check --lock`.
      await writeFile(path.join(dir, 'pyproject.toml'), pyproject.replace('"pip (>=20)"', '"pip (>=21)"'));
      const stale = await pyc(['plan', '-C', dir, '--base-image', base.ref], { PIP_INDEX_URL: index.url });
      assert.equal(stale.code, 2, stale.stderr);
      assert.equal(stale.stderr.trim(), 'error: poetry.lock: content-hash does not match pyproject.toml; run poetry lock');
    } finally {
      await index.stop();
    }
  });

  test('a uv workspace member: the root\'s uv.lock one level up (../uv.lock), a member it needs installed from source; changes make the plan stale', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const base = await ensureBaseImage('plain');
    const root = path.join(tmp, 'workspace');
    const member = path.join(root, 'api');
    await mkdir(path.join(root, 'wheels'), { recursive: true });
    await mkdir(member, { recursive: true });
    const wheels = [...debian, fastsum];
    for (const w of wheels) await cp(w.path, path.join(root, 'wheels', w.filename));
    await writeFile(path.join(root, 'pyproject.toml'), '[project]\nname = "workspace"\nversion = "0"\nrequires-python = ">=3.11"\n\n[tool.uv.workspace]\nmembers = ["api", "libs/*"]\n');
    await writeFile(path.join(member, 'pyproject.toml'), '[project]\nname = "api"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["fastsum", "pip", "setuptools", "wheel", "greet"]\n');
    await writeFile(path.join(member, 'main.py'), `import greet\nprint(greet.hello())\n${MAIN}`);
    // A second member the api depends on, installed from its source (src layout).
    await mkdir(path.join(root, 'libs', 'greet', 'src', 'greet'), { recursive: true });
    await writeFile(path.join(root, 'libs', 'greet', 'pyproject.toml'), '[project]\nname = "greet"\nversion = "0.1.0"\n');
    await writeFile(path.join(root, 'libs', 'greet', 'src', 'greet', '__init__.py'), 'def hello():\n    return "hello from a workspace member"\n');
    const pkg = (w: WheelFile) => `[[package]]\nname = "${w.name}"\nversion = "${w.version}"\nsource = { path = "wheels/${w.filename}" }\nwheels = [{ filename = "${w.filename}", hash = "sha256:${w.sha256}", size = ${w.size} }]\n`;
    const lock = [
      'version = 1\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["api", "workspace"]\n',
      `[[package]]\nname = "api"\nversion = "1.0.0"\nsource = { editable = "api" }\ndependencies = [${[...wheels.map((w) => w.name), 'greet'].map((n) => `{ name = "${n}" }`).join(', ')}]\n`,
      '[[package]]\nname = "greet"\nversion = "0.1.0"\nsource = { editable = "libs/greet" }\n',
      '[[package]]\nname = "workspace"\nversion = "0"\nsource = { virtual = "." }\n',
      ...wheels.map(pkg),
    ].join('\n');
    await writeFile(path.join(root, 'uv.lock'), lock);
    const planFile = path.join(tmp, 'workspace-plan.json');
    const planned = await pyc(['plan', '-C', member, '--base-image', base.ref, '-o', planFile]);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    assert.equal(plan.dependencies![0]!.lock, '../uv.lock');
    assert.ok(plan.inputs.some((i) => i.path === '../uv.lock'), 'the lock is an input');
    const layout = path.join(tmp, 'workspace-image');
    const applied = await pyc(['apply', planFile, '-C', member, '-o', layout, '--no-cache']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match((await runImage(layout, '1.0.0')).stdout, /^hello from a workspace member\nfastsum says 5\n/);
    const greet = plan.dependencies![0]!.packages.find((p) => p.name === 'greet')!;
    assert.deepEqual(greet.member, { directory: '../libs/greet', files: [{ path: 'src/greet/__init__.py', sha256: greet.member!.files[0]!.sha256, size: 56 }] });
    const pipShow = await runImage(layout, '1.0.0', { args: ['pip', 'show', 'greet', '--disable-pip-version-check'] });
    assert.match(pipShow.stdout, /^Version: 0\.1\.0$/m);
    // A member's source changes after planning: apply refuses the plan.
    await writeFile(path.join(root, 'libs', 'greet', 'src', 'greet', '__init__.py'), 'def hello():\n    return "changed"\n');
    const memberStale = await pyc(['apply', planFile, '-C', member, '-o', path.join(tmp, 'workspace-member-stale'), '--no-cache']);
    assert.notEqual(memberStale.code, 0);
    assert.match(memberStale.stderr, /stale: \.\.\/libs\/greet\/src\/greet\/__init__\.py changed/);
    await writeFile(path.join(root, 'uv.lock'), `${lock}\n# edited\n`);
    const stale = await pyc(['apply', planFile, '-C', member, '-o', path.join(tmp, 'workspace-stale'), '--no-cache']);
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /stale: \.\.\/uv\.lock changed/);
  });

  test('never without its dependencies: no lock and no index fails naming them and the ways out; include_deps = false builds with a warning', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'gcc', 'python3'])) return;
    const base = await ensureBaseImage('plain');
    const dir = await project('unlocked-app', [], undefined);
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "unlocked-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["flask>=3", "gunicorn", "sqlalchemy", "alembic", "redis", "celery", "httpx"]\n');
    // Without a lock they are resolved; with the index unreachable that fails with exit 69 (try again later).
    const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', path.join(tmp, 'unlocked-image'), '--no-cache'], { PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', PIP_CONFIG_FILE: os.devNull });
    assert.equal(res.code, 69, res.stderr);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /pyproject\.toml: the dependencies \(alembic, celery, flask, gunicorn and 3 more\) could not be resolved for linux\/amd64: could not reach 127\.0\.0\.1:9/);
    assert.match(res.stderr, /make a lock \(uv lock, pip-compile\), or set include_deps = false/);
    const without = await pyc(['plan', '-C', dir, '--base-image', base.ref, '--no-include-deps']);
    assert.equal(without.code, 0, without.stderr);
    assert.match(without.stderr, /warning: the project depends on alembic, .* not installed: include_deps is false/);
  });

  test('an index that cannot be reached: exit 69, the host named, no credentials', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'gcc', 'python3'])) return;
    const base = await ensureBaseImage('plain');
    const dir = await project('offline-app', [], undefined, { 'requirements.txt': '--index-url http://user:pa55@127.0.0.1:9/simple/\npip==24.0\n' });
    const res = await pyc(['plan', '-C', dir, '--base-image', base.ref]);
    assert.equal(res.code, 69, res.stderr);
    assert.match(res.stderr, /could not reach 127\.0\.0\.1:9/);
    assert.doesNotMatch(res.stderr, /pa55|user:/);
  });

  describe('bad input: a clear error, exit 2, nothing written', () => {
    const cases: [string, () => Promise<{ dir: string; base?: string }>, RegExp][] = [
      ['a hash mismatch', async () => ({ dir: await project('bad-hash', [...debian], pylock(debian, { sha: (w) => (w.name === 'pip' ? '0'.repeat(64) : w.sha256) })) }), /pip-.*\.whl: sha256 [0-9a-f]{64} .* does not match the lock's 0{64}/],
      ['no wheel for the target', async () => ({ dir: await project('no-wheel', [fastsumArm], pylock([]) + pylockPackage('fastsum', '1.0', [fastsumArm])) }), /fastsum 1\.0 has no wheel for linux\/amd64 \(glibc 2\.36, Python 3\.11\.2\): it has fastsum-1\.0-cp311-cp311-manylinux_2_17_aarch64/],
      ['a malformed lock', async () => ({ dir: await project('bad-lock', [], 'lock-version = "1.0"\n[[packages]\nname = "x"\n') }), /pylock\.toml:2:\d+: /],
      ['a lock out of date with pyproject.toml', async () => {
        const dir = await project('stale-lock', [...debian], pylock(debian.filter((w) => w.name !== 'wheel')));
        return { dir };
      }, /does not lock "wheel", which the project requires/],
    ];
    for (const [what, setup, message] of cases) {
      test(what, async (t: TestContext) => {
        if (!needTools(t, ['apt-get', 'dpkg', 'gcc', 'python3'])) return;
        const base = await ensureBaseImage('plain');
        const { dir } = await setup();
        const out = path.join(tmp, `${path.basename(dir)}-image`);
        const res = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', out, '--no-cache']);
        assert.equal(res.code, 2, res.stderr);
        assert.match(res.stderr, message);
        assert.equal(res.stderr.trim().split('\n').length, 1, `one line: ${res.stderr}`);
        await assert.rejects(readFile(path.join(out, 'index.json')), 'nothing written');
      });
    }
  });
});

function pylockPackage(name: string, version: string, wheels: WheelFile[]): string {
  const list = wheels.map((w) => `{ name = "${w.filename}", path = "wheels/${w.filename}", size = ${w.size}, hashes = { sha256 = "${w.sha256}" } }`).join(', ');
  return `[[packages]]\nname = "${name}"\nversion = "${version}"\nwheels = [${list}]\n\n`;
}
