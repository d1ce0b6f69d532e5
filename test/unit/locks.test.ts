// Lock readers: pylock.toml, uv.lock and hashed requirements files, read for one target environment
// into the common model, and every error they raise.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import type { IndexClient, IndexFile, IndexSources } from '../../src/python/index/index.js';
import { parseRequirement, pinnedVersion, type Lock } from '../../src/python/locks/model.js';
import { readLock, type ReadLockOptions } from '../../src/python/locks/read.js';
import { targetEnvironment } from '../../src/python/markers.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A temp context dir holding `files` (path → text). */
async function context(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pycontainer-locks-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** A distinct fake sha256 per label. */
const h = (label: string): string => createHash('sha256').update(label).digest('hex');

const amd64 = targetEnvironment('3.12.7', 'amd64');
const arm64 = targetEnvironment('3.12.7', 'arm64');

function opts(extra: Partial<ReadLockOptions> = {}): ReadLockOptions {
  return { env: amd64, projectName: 'app', ...extra };
}

const names = (lock: Lock | undefined): string[] => (lock?.packages ?? []).map((p) => `${p.name}==${p.version}`);

async function rejects(promise: Promise<unknown>, code: string, ...patterns: RegExp[]): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    for (const p of patterns) assert.match(err.message, p);
    return err;
  }
  assert.fail(`expected ${code}`);
}

// ---------------------------------------------------------------------------------------------------
// PEP 508

describe('requirements syntax', () => {
  test('parseRequirement reads names, extras, specifiers, URLs and markers', () => {
    assert.deepEqual(parseRequirement('Foo_Bar[Security, socks] (>= 1.0, < 2) ; python_version < "3.11"'), {
      name: 'foo-bar',
      extras: ['security', 'socks'],
      specifier: '>=1.0,<2',
      marker: 'python_version < "3.11"',
    });
    assert.deepEqual(parseRequirement('pkg @ https://x.example/pkg-1.0-py3-none-any.whl ; sys_platform == "linux"'), {
      name: 'pkg',
      extras: [],
      specifier: '',
      url: 'https://x.example/pkg-1.0-py3-none-any.whl',
      marker: 'sys_platform == "linux"',
    });
    assert.equal(parseRequirement('httpx').specifier, '');
    assert.throws(() => parseRequirement('-e .'));
    assert.throws(() => parseRequirement('pkg[extra'));
  });

  test('pinnedVersion accepts only one exact pin', () => {
    assert.equal(pinnedVersion('==1.2.3'), '1.2.3');
    assert.equal(pinnedVersion('===1.0-custom'), '1.0-custom');
    assert.equal(pinnedVersion('==1.*'), undefined);
    assert.equal(pinnedVersion('>=1'), undefined);
    assert.equal(pinnedVersion('==1,!=2'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------------
// pylock.toml

const PYLOCK = `
lock-version = "1.0"
environments = ["sys_platform == 'linux'", "sys_platform == 'darwin'"]
requires-python = ">=3.10"
extras = ["crypto"]
dependency-groups = ["dev", "docs"]
default-groups = ["docs"]
created-by = "test"

[[packages]]
name = "Requests"
version = "2.32.3"
index = "https://pypi.org/simple"
sdist = { name = "requests-2.32.3.tar.gz", url = "https://files.example/requests-2.32.3.tar.gz", size = 131218, hashes = { sha256 = "${h('requests-sdist')}" } }

[[packages.wheels]]
url = "https://files.example/requests-2.32.3-py3-none-any.whl"
size = 64928
hashes = { sha256 = "${h('requests-wheel').toUpperCase()}" }

[[packages]]
name = "cryptography"
version = "44.0.0"
marker = "'crypto' in extras"
wheels = [
  { name = "cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl", url = "https://files.example/c-x86.whl", hashes = { sha256 = "${h('c-x86')}" } },
  { name = "cryptography-44.0.0-cp39-abi3-manylinux_2_28_aarch64.whl", url = "https://files.example/c-arm.whl", hashes = { sha256 = "${h('c-arm')}" } },
]

[[packages]]
name = "pytest"
version = "8.3.4"
marker = "'dev' in dependency_groups"
wheels = [{ url = "https://files.example/pytest-8.3.4-py3-none-any.whl", hashes = { sha256 = "${h('pytest')}" } }]

[[packages]]
name = "sphinx"
version = "8.1.0"
marker = "'docs' in dependency_groups"
wheels = [{ url = "https://files.example/sphinx-8.1.0-py3-none-any.whl", hashes = { sha256 = "${h('sphinx')}" } }]

[[packages]]
name = "colorama"
version = "0.4.6"
marker = "sys_platform == 'win32'"
wheels = [{ url = "https://files.example/colorama-0.4.6-py2.py3-none-any.whl", hashes = { sha256 = "${h('colorama')}" } }]

[[packages]]
name = "tomli"
version = "2.0.1"
marker = "python_version < '3.11'"
wheels = [{ url = "https://files.example/tomli-2.0.1-py3-none-any.whl", hashes = { sha256 = "${h('tomli')}" } }]

[[packages]]
name = "local-wheel"
archive = { path = "wheels/local_wheel-1.0-py3-none-any.whl", hashes = { sha256 = "${h('local')}" } }

[[packages]]
name = "direct"
version = "3.0"
archive = { url = "https://user:pw@files.example/direct-3.0.tar.gz", hashes = { sha256 = "${h('direct')}" } }
`;

describe('pylock.toml', () => {
  test('default install: markers, default-groups, archives', async () => {
    const dir = await context({ 'pylock.toml': PYLOCK, 'uv.lock': 'version = 1', 'requirements.txt': 'x==1' });
    const lock = await readLock(dir, opts({ directNames: ['requests'] }));
    assert.equal(lock?.kind, 'pylock');
    assert.equal(lock?.path, 'pylock.toml');
    assert.deepEqual(names(lock), ['direct==3.0', 'local-wheel==1.0', 'requests==2.32.3', 'sphinx==8.1.0']);
    const requests = lock!.packages.find((p) => p.name === 'requests')!;
    assert.equal(requests.requested, true);
    assert.deepEqual(requests.wheels, [
      { filename: 'requests-2.32.3-py3-none-any.whl', url: 'https://files.example/requests-2.32.3-py3-none-any.whl', sha256: h('requests-wheel'), size: 64928 },
    ]);
    assert.deepEqual(requests.sdist, { filename: 'requests-2.32.3.tar.gz', url: 'https://files.example/requests-2.32.3.tar.gz', sha256: h('requests-sdist'), size: 131218 });
    assert.equal(requests.directUrl, undefined);
    const local = lock!.packages.find((p) => p.name === 'local-wheel')!;
    assert.deepEqual(local.wheels, [{ filename: 'local_wheel-1.0-py3-none-any.whl', path: 'wheels/local_wheel-1.0-py3-none-any.whl', sha256: h('local') }]);
    assert.equal(local.requested, false);
    const direct = lock!.packages.find((p) => p.name === 'direct')!;
    assert.equal(direct.directUrl, 'https://files.example/direct-3.0.tar.gz', 'no credentials');
    assert.equal(direct.sdist?.filename, 'direct-3.0.tar.gz');
  });

  test('extras and groups select marked packages; groups replace default-groups', async () => {
    const dir = await context({ 'pylock.toml': PYLOCK });
    const lock = await readLock(dir, opts({ extras: ['crypto'], groups: ['dev'] }));
    assert.deepEqual(names(lock), ['cryptography==44.0.0', 'direct==3.0', 'local-wheel==1.0', 'pytest==8.3.4', 'requests==2.32.3']);
    assert.equal(lock!.packages.find((p) => p.name === 'cryptography')!.wheels.length, 2);
    const old = await readLock(dir, opts({ env: targetEnvironment('3.10.4', 'arm64'), groups: [] }));
    assert.deepEqual(names(old), ['direct==3.0', 'local-wheel==1.0', 'requests==2.32.3', 'tomli==2.0.1']);
  });

  test('a named pylock.<name>.toml is found when it is the only one', async () => {
    const dir = await context({ 'pylock.prod.toml': PYLOCK, 'uv.lock': 'version = 1' });
    const lock = await readLock(dir, opts());
    assert.equal(lock?.path, 'pylock.prod.toml');
    const two = await context({ 'pylock.a.toml': PYLOCK, 'pylock.b.toml': PYLOCK });
    await rejects(readLock(two, opts()), 'E_LOCK', /pylock\.a\.toml, pylock\.b\.toml/);
    assert.equal((await readLock(two, opts({ lockFile: 'pylock.b.toml' })))?.path, 'pylock.b.toml');
  });

  test('errors', async () => {
    const write = async (text: string) => context({ 'pylock.toml': text });
    await rejects(readLock(await write(PYLOCK.replace('lock-version = "1.0"', 'lock-version = "2.0"')), opts()), 'E_LOCK', /pylock\.toml/, /"2\.0"/, /1\.x/);
    await rejects(readLock(await write(PYLOCK.replace('lock-version = "1.0"', '')), opts()), 'E_LOCK', /lock-version/);
    await rejects(readLock(await write(PYLOCK), opts({ env: targetEnvironment('3.9.1', 'amd64') })), 'E_LOCK', /requires-python/, /3\.9\.1/);
    await rejects(
      readLock(await write(PYLOCK.replace(`"sys_platform == 'linux'", `, '')), opts()),
      'E_LOCK',
      /environments/,
      /sys_platform == 'darwin'/,
    );
    await rejects(readLock(await write(PYLOCK), opts({ extras: ['nope'] })), 'E_LOCK', /extra "nope"/, /crypto/);
    await rejects(readLock(await write(PYLOCK), opts({ groups: ['test'] })), 'E_LOCK', /group "test"/);
    await rejects(
      readLock(await write(PYLOCK.replace(`hashes = { sha256 = "${h('sphinx')}" }`, 'hashes = { md5 = "x" }')), opts()),
      'E_NO_HASH',
      /pylock\.toml:\d+/,
      /"sphinx"/,
      /sha256/,
    );
    await rejects(
      readLock(await write(`${PYLOCK}\n[[packages]]\nname = "gitpkg"\nvcs = { type = "git", url = "https://g.example/x.git", commit-id = "abc" }\n`), opts()),
      'E_LOCK_UNSUPPORTED',
      /"gitpkg"/,
      /VCS/,
    );
    await rejects(
      readLock(await write(`${PYLOCK}\n[[packages]]\nname = "srcdir"\ndirectory = { path = "../lib" }\n`), opts()),
      'E_LOCK_UNSUPPORTED',
      /"srcdir"/,
      /directory/,
    );
    await rejects(readLock(await write(`${PYLOCK}\n[[packages]]\nname = "empty"\nversion = "1"\n`), opts()), 'E_LOCK', /"empty"/);
    const bad = await rejects(readLock(await write('lock-version = "1.0"\n[[packages]\nname = "x"\n'), opts()), 'E_LOCK', /^pylock\.toml:2:\d+: invalid TOML/);
    assert.ok(bad);
  });
});

// ---------------------------------------------------------------------------------------------------
// uv.lock

const wheel = (file: string, label = file) => `{ url = "https://files.example/${file}", hash = "sha256:${h(label)}", size = 10 }`;
const registry = (name: string, version: string, extra = '') => `
[[package]]
name = "${name}"
version = "${version}"
source = { registry = "https://pypi.org/simple" }
${extra}
wheels = [${wheel(`${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`)}]
`;

const UVLOCK = `
version = 1
revision = 2
requires-python = ">=3.11"
resolution-markers = ["sys_platform == 'darwin'", "sys_platform != 'darwin'"]

[manifest]
members = ["app", "lib", "tools"]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "lib" },
    { name = "httpx" },
    { name = "uvloop", marker = "sys_platform != 'win32'" },
    { name = "intel-openmp", marker = "platform_machine == 'x86_64'" },
    { name = "arm-compute", marker = "platform_machine == 'aarch64'" },
    { name = "appnope", marker = "sys_platform == 'darwin'" },
    { name = "numpy", version = "2.0.0", source = { registry = "https://pypi.org/simple" }, marker = "sys_platform == 'darwin'" },
    { name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" }, marker = "sys_platform != 'darwin'" },
    { name = "direct" },
]

[package.optional-dependencies]
fast = [{ name = "orjson" }]
cpu = []

[package.dev-dependencies]
dev = [{ name = "pytest" }]
lint = [{ name = "ruff", marker = "platform_machine == 'aarch64'" }]

[[package]]
name = "lib"
version = "0.2.0"
source = { editable = "packages/lib" }
dependencies = [
    { name = "anyio" },
    { name = "httpx", extra = ["http2"] },
    { name = "numpy" },
]

[[package]]
name = "tools"
version = "0.0.1"
source = { editable = "packages/tools" }
dependencies = [{ name = "click" }]

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "anyio" }, { name = "certifi" }]
sdist = { url = "https://files.example/httpx-0.28.1.tar.gz", hash = "sha256:${h('httpx-sdist')}", size = 99 }
wheels = [${wheel('httpx-0.28.1-py3-none-any.whl')}]

[package.optional-dependencies]
http2 = [{ name = "h2" }]
brotli = [{ name = "brotli" }]

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["sys_platform == 'darwin'"]
wheels = [${wheel('numpy-2.0.0-cp312-cp312-macosx_14_0_arm64.whl')}]

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["sys_platform != 'darwin'"]
wheels = [
    ${wheel('numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')},
    ${wheel('numpy-2.1.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl')},
    { url = "https://find-links.example/numpy-2.1.0-cp312-cp312-musllinux_1_2_x86_64.whl" },
]

[[package]]
name = "direct"
version = "1.0"
source = { url = "https://files.example/direct-1.0-py3-none-any.whl" }
wheels = [{ url = "https://files.example/direct-1.0-py3-none-any.whl", hash = "sha256:${h('direct')}" }]

[[package]]
name = "pytest"
version = "8.3.4"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "iniconfig" }, { name = "colorama", marker = "sys_platform == 'win32'" }]
wheels = [${wheel('pytest-8.3.4-py3-none-any.whl')}]
${registry('anyio', '4.8.0', `dependencies = [{ name = "sniffio", marker = "extra == 'extra-3-app-cpu'" }]`)}
${registry('sniffio', '1.3.1')}
${registry('certifi', '2024.12.14')}
${registry('h2', '4.1.0')}
${registry('brotli', '1.1.0')}
${registry('uvloop', '0.21.0')}
${registry('intel-openmp', '2025.0.0')}
${registry('arm-compute', '24.0')}
${registry('appnope', '0.1.4')}
${registry('orjson', '3.10.0')}
${registry('ruff', '0.9.0')}
${registry('iniconfig', '2.0.0')}
${registry('colorama', '0.4.6')}
${registry('click', '8.1.8')}
`;

describe('uv.lock', () => {
  test('amd64: the project closure over edges whose markers hold; members not installed', async () => {
    const dir = await context({ 'uv.lock': UVLOCK, 'requirements.txt': 'x==1' });
    const lock = await readLock(dir, opts());
    assert.equal(lock?.kind, 'uv');
    assert.deepEqual(names(lock), [
      'anyio==4.8.0',
      'certifi==2024.12.14',
      'direct==1.0',
      'h2==4.1.0',
      'httpx==0.28.1',
      'intel-openmp==2025.0.0',
      'numpy==2.1.0',
      'uvloop==0.21.0',
    ]);
    const byName = new Map(lock!.packages.map((p) => [p.name, p]));
    assert.equal(byName.get('httpx')!.requested, true);
    assert.equal(byName.get('anyio')!.requested, true, 'a workspace member depends on it');
    assert.equal(byName.get('certifi')!.requested, false);
    assert.equal(byName.get('h2')!.requested, false);
    assert.equal(byName.get('httpx')!.sdist?.sha256, h('httpx-sdist'));
    assert.equal(byName.get('numpy')!.wheels.length, 2, 'the unhashed find-links wheel is left out');
    assert.equal(byName.get('direct')!.directUrl, 'https://files.example/direct-1.0-py3-none-any.whl');
    assert.equal(byName.get('direct')!.wheels[0]!.sha256, h('direct'));
    assert.equal(byName.get('httpx')!.directUrl, undefined);
    assert.deepEqual(lock!.members, ['app', 'lib'], 'reached editable members; tools is not');
  });

  test('arm64 gives another closure; extras and groups add theirs', async () => {
    const dir = await context({ 'uv.lock': UVLOCK });
    const arm = await readLock(dir, opts({ env: arm64 }));
    assert.ok(names(arm).includes('arm-compute==24.0'));
    assert.ok(!names(arm).some((n) => n.startsWith('intel-openmp')));
    const full = await readLock(dir, opts({ env: arm64, extras: ['fast'], groups: ['dev', 'lint'] }));
    assert.deepEqual(names(full), [
      'anyio==4.8.0',
      'arm-compute==24.0',
      'certifi==2024.12.14',
      'direct==1.0',
      'h2==4.1.0',
      'httpx==0.28.1',
      'iniconfig==2.0.0',
      'numpy==2.1.0',
      'orjson==3.10.0',
      'pytest==8.3.4',
      'ruff==0.9.0',
      'uvloop==0.21.0',
    ]);
    const amdLint = await readLock(dir, opts({ groups: ['lint'] }));
    assert.ok(!names(amdLint).some((n) => n.startsWith('ruff')), 'ruff only on aarch64');
  });

  test("uv's conflict markers (extra == 'extra-<n>-<project>-<extra>') follow the requested extras", async () => {
    const dir = await context({ 'uv.lock': UVLOCK });
    assert.ok(!names(await readLock(dir, opts())).some((n) => n.startsWith('sniffio')));
    assert.ok(names(await readLock(dir, opts({ extras: ['cpu'] }))).includes('sniffio==1.3.1'));
  });

  test('a workspace member as the project', async () => {
    const dir = await context({ 'uv.lock': UVLOCK });
    const lock = await readLock(dir, opts({ projectName: 'tools' }));
    assert.deepEqual(names(lock), ['click==8.1.8']);
  });

  test('stale locks', async () => {
    const dir = await context({ 'uv.lock': UVLOCK });
    await rejects(
      readLock(dir, opts({ declared: ['lib', 'httpx>=0.27', 'rich>=13; python_version >= "3.8"'] })),
      'E_LOCK_STALE',
      /^uv\.lock does not lock "rich", which the project requires; run uv lock$/,
    );
    await rejects(readLock(dir, opts({ declared: ['httpx>=1.0'] })), 'E_LOCK_STALE', /uv\.lock locks "httpx" 0\.28\.1, but the project requires httpx>=1\.0/);
    const ok = await readLock(dir, opts({ declared: ['httpx>=0.27', 'pywin32; sys_platform == "win32"', 'app[fast]'] }));
    assert.equal(ok?.kind, 'uv');
    await rejects(readLock(dir, opts({ projectName: 'other' })), 'E_LOCK_STALE', /"other"/, /uv lock/);
  });

  test('errors', async () => {
    const write = async (text: string) => context({ 'uv.lock': text });
    await rejects(readLock(await write(UVLOCK.replace('version = 1\n', 'version = 2\n')), opts()), 'E_LOCK', /uv\.lock/, /version 2/, /version 1/);
    await rejects(readLock(await write(UVLOCK), opts({ env: targetEnvironment('3.10.2', 'amd64') })), 'E_LOCK', /requires-python/);
    await rejects(readLock(await write(UVLOCK), opts({ groups: ['docs'] })), 'E_LOCK', /group "docs"/, /dev, lint/);
    await rejects(readLock(await write(UVLOCK), opts({ extras: ['nope'] })), 'E_LOCK', /extra "nope"/);
    await rejects(
      readLock(await write(UVLOCK.replace('{ name = "direct" },', '{ name = "direct" },\n    { name = "gitdep" },') + '\n[[package]]\nname = "gitdep"\nversion = "0.1"\nsource = { git = "https://g.example/gitdep?rev=main#abc" }\n'), opts()),
      'E_LOCK_UNSUPPORTED',
      /uv\.lock:\d+/,
      /"gitdep"/,
      /git/,
    );
    await rejects(
      readLock(await write(UVLOCK.replace(`wheels = [${wheel('uvloop-0.21.0-py3-none-any.whl')}]`, 'wheels = [{ url = "https://files.example/uvloop-0.21.0-py3-none-any.whl" }]')), opts()),
      'E_NO_HASH',
      /"uvloop"/,
    );
    await rejects(readLock(await write(UVLOCK.replace('{ name = "direct" },', '{ name = "missing" },')), opts()), 'E_LOCK', /"missing"/, /uv lock/);
    await rejects(readLock(await write('version = 1\n[[package]\n'), opts()), 'E_LOCK', /^uv\.lock:2:\d+: invalid TOML/);
  });
});

// ---------------------------------------------------------------------------------------------------
// requirements files

function fakeIndex(files: Record<string, IndexFile[]>, seen?: (s: IndexSources) => void): (s: IndexSources) => IndexClient {
  return (sources) => {
    seen?.(sources);
    return { files: async (name: string) => files[name] ?? [] };
  };
}

const file = (filename: string, label: string, extra: Partial<IndexFile> = {}): IndexFile => ({
  filename,
  url: `https://files.example/${filename}`,
  sha256: h(label),
  yanked: false,
  ...extra,
});

const REQUIREMENTS = `# generated
--index-url https://\${IDX_USER}:\${IDX_TOKEN}@private.example/simple/
--extra-index-url https://pypi.org/simple
-f ./wheels
-r base.txt
-c constraints/pins.txt

requests==2.32.3 \\
    --hash=sha256:${h('requests-wheel')} \\
    --hash=sha256:${h('requests-sdist')}  # both files
urllib3 ; python_version >= "3.8" \\
    --hash=sha256:${h('urllib3')}
tomli==2.0.1 ; python_version < "3.11" --hash=sha256:${h('tomli')}
Pkg_With.Extras[socks]==1.0 --hash=sha256:${h('pkg')}
localpkg==0.5 --hash sha256:${h('localpkg')}
`;

const INDEX = {
  requests: [
    file('requests-2.32.3-py3-none-any.whl', 'requests-wheel'),
    file('requests-2.32.3.tar.gz', 'requests-sdist'),
    file('requests-2.32.3-py2-none-any.whl', 'some-other-hash'),
    file('requests-2.31.0-py3-none-any.whl', 'requests-wheel'),
    file('requests-2.32.3-py3-none-win32.whl', 'unhashed', { sha256: undefined }),
  ],
  urllib3: [file('urllib3-2.2.3-py3-none-any.whl', 'urllib3', { size: 126 })],
  certifi: [file('certifi-2024.8.30-py3-none-any.whl', 'certifi')],
  'pkg-with-extras': [file('pkg_with_extras-1.0-py3-none-any.whl', 'pkg')],
  localpkg: [],
} satisfies Record<string, IndexFile[]>;

describe('requirements files', () => {
  test('-r/-c, hashes, variables, markers, continuations; files filtered by hash', async () => {
    const dir = await context({
      'requirements.txt': REQUIREMENTS,
      'base.txt': `certifi==2024.8.30 --hash=sha256:${h('certifi')}\n`,
      'constraints/pins.txt': `urllib3==2.2.3\nidna==3.10 --hash=sha256:${h('idna')}\n-r more.txt\n`,
      'constraints/more.txt': 'charset-normalizer==3.4.0\n',
    });
    let sources: IndexSources | undefined;
    const index = {
      ...INDEX,
      localpkg: [{ filename: 'localpkg-0.5-py3-none-any.whl', url: `file://${dir}/wheels/localpkg-0.5-py3-none-any.whl`, sha256: h('localpkg'), yanked: false }],
    };
    const lock = await readLock(dir, opts({ index: fakeIndex(index, (s) => (sources = s)), environ: { IDX_USER: 'me', IDX_TOKEN: 'tok' }, directNames: ['Requests'] }));
    assert.equal(lock?.kind, 'requirements');
    assert.deepEqual(names(lock), ['certifi==2024.8.30', 'localpkg==0.5', 'pkg-with-extras==1.0', 'requests==2.32.3', 'urllib3==2.2.3']);
    assert.deepEqual(sources, {
      indexUrls: ['https://me:tok@private.example/simple/', 'https://pypi.org/simple'],
      findLinks: [path.join(dir, 'wheels')],
      noIndex: false,
    });
    const requests = lock!.packages.find((p) => p.name === 'requests')!;
    assert.deepEqual(requests.wheels.map((w) => w.filename), ['requests-2.32.3-py3-none-any.whl']);
    assert.equal(requests.sdist?.filename, 'requests-2.32.3.tar.gz');
    assert.equal(requests.requested, true);
    assert.equal(lock!.packages.find((p) => p.name === 'certifi')!.requested, false);
    assert.deepEqual(lock!.packages.find((p) => p.name === 'urllib3')!.wheels, [
      { filename: 'urllib3-2.2.3-py3-none-any.whl', url: 'https://files.example/urllib3-2.2.3-py3-none-any.whl', sha256: h('urllib3'), size: 126 },
    ]);
    assert.deepEqual(lock!.packages.find((p) => p.name === 'localpkg')!.wheels, [
      { filename: 'localpkg-0.5-py3-none-any.whl', path: 'wheels/localpkg-0.5-py3-none-any.whl', sha256: h('localpkg') },
    ]);

    const old = await readLock(dir, opts({ env: targetEnvironment('3.10.1', 'amd64'), index: fakeIndex({ ...index, tomli: [file('tomli-2.0.1-py3-none-any.whl', 'tomli')] }), environ: { IDX_USER: 'a', IDX_TOKEN: 'b' } }));
    assert.ok(names(old).includes('tomli==2.0.1'));
    assert.equal(old!.packages.every((p) => p.requested), true, 'pip marks every requirement as requested');
  });

  test('a direct URL requirement and a real find-links directory with --no-index', async () => {
    const whl = Buffer.from('not really a zip');
    const dir = await context({
      'reqs/prod.txt': `--no-index\n--find-links ../dist\nmylib==1.2.0 --hash=sha256:${createHash('sha256').update(whl).digest('hex')}\nother @ https://u:p@files.example/other-0.3-py3-none-any.whl --hash=sha256:${h('other')}\n`,
      'dist/mylib-1.2.0-py3-none-any.whl': whl,
      'dist/mylib-1.1.0-py3-none-any.whl': 'older',
    });
    const lock = await readLock(dir, opts({ requirementsFile: 'reqs/prod.txt' }));
    assert.equal(lock?.path, 'reqs/prod.txt');
    assert.deepEqual(lock?.packages, [
      { name: 'mylib', version: '1.2.0', requested: true, wheels: [{ filename: 'mylib-1.2.0-py3-none-any.whl', path: '../dist/mylib-1.2.0-py3-none-any.whl', sha256: createHash('sha256').update(whl).digest('hex'), size: whl.length }] },
      {
        name: 'other',
        version: '0.3',
        requested: true,
        wheels: [{ filename: 'other-0.3-py3-none-any.whl', url: 'https://files.example/other-0.3-py3-none-any.whl', sha256: h('other') }],
        directUrl: 'https://files.example/other-0.3-py3-none-any.whl',
      },
    ]);
  });

  test('no lock at all', async () => {
    assert.equal(await readLock(await context({ 'pyproject.toml': '' }), opts()), undefined);
  });

  test('errors', async () => {
    const run = async (text: string, extra: Partial<ReadLockOptions> = {}, files: Record<string, string> = {}) =>
      readLock(await context({ 'requirements.txt': text, ...files }), opts({ index: fakeIndex(INDEX), ...extra }));
    const unpinned = await rejects(run('flask>=3.0 --hash=sha256:' + h('f')), 'E_UNPINNED', /^requirements\.txt:1: /, /flask>=3\.0/, /uv lock/, /poetry lock/, /pip-compile --generate-hashes/, /pip freeze/, /include_deps = false/);
    assert.ok(unpinned);
    await rejects(run('# c\n\ncertifi==9.9\n'), 'E_NO_HASH', /^requirements\.txt:3: /, /certifi==9\.9/, /no file/);
    await rejects(run(`requests==2.32.3 --hash=sha512:${'ab'.repeat(64)}\n`), 'E_NO_HASH', /other algorithms/);
    // A bare name without hashes is not an error any more: the resolver takes it (see resolve-provider.test).
    assert.deepEqual((await run('-r base.txt\n', {}, { 'base.txt': 'six\n' }))?.resolve?.roots, [{ requirement: 'six', source: 'base.txt:1' }]);
    await rejects(run('--index-url https://${IDX_TOKEN}@x.example/simple\n', { environ: {} }), 'E_LOCK', /IDX_TOKEN/, /not set/);
    await rejects(
      run(`requests==2.32.3 --hash=sha256:${h('nothing-matches')}\n`),
      'E_HASH_MISMATCH',
      /"requests==2\.32\.3"/,
      /none of the/,
      new RegExp(`expected sha256:${h('nothing-matches')}, found sha256:${h('requests-wheel')} \\(requests-2\.32\.3-py3-none-any\.whl\\)`),
      new RegExp(`sha256:${h('requests-sdist')} \\(requests-2\.32\.3\.tar\.gz\\)`),
    );
    await rejects(run(`certifi==1.0 --hash=sha256:${h('certifi')}\n`), 'E_NO_HASH', /no file/);
    await rejects(run('-r missing.txt\n'), 'E_LOCK', /requirements\.txt:1/, /missing\.txt/);
    await rejects(run('-e ./lib\n'), 'E_LOCK_UNSUPPORTED', /editable/);
    await rejects(run('--frobnicate\n'), 'E_LOCK', /unknown option --frobnicate/);
    await rejects(run('./dist/x.whl\n'), 'E_LOCK', /name @ url/);
    await rejects(
      run(`-c c.txt\nurllib3==2.2.3 --hash=sha256:${h('urllib3')}\n`, {}, { 'c.txt': 'urllib3==2.0.0\n' }),
      'E_LOCK',
      /urllib3/,
      /c\.txt:1/,
    );
    await rejects(run(`requests==2.32.3 --hash=sha256:${h('requests-wheel')}\n`, { declared: ['requests', 'httpx'] }), 'E_LOCK_STALE', /requirements\.txt does not lock "httpx"/, /pip-compile/);
  });
});
