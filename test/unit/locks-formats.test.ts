// Lock readers for real projects' shapes: poetry.lock 1.1 and 2.1, pdm.lock 4.5, a uv workspace whose
// lock is one level up, and pip-freeze requirements resolved on an in-memory index. Fixtures are in
// test/fixtures/locks/ (their hashes are sha256 of each file's name; the Poetry content-hashes were
// computed with Python's json.dumps, as Poetry does).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'smol-toml';
import { ConfigError } from '../../src/errors.js';
import { assembleMemberWheel, readMemberSources } from '../../src/python/install/member-wheel.js';
import type { IndexClient, IndexFile, IndexSources } from '../../src/python/index/index.js';
import { pythonJsonDumps, type Lock } from '../../src/python/locks/model.js';
import { poetryAllows, poetryContentHash } from '../../src/python/locks/poetry.js';
import { findUvWorkspaceRoot, matchesWorkspaceGlob, readLock, type ReadLockOptions } from '../../src/python/locks/read.js';
import { targetEnvironment } from '../../src/python/markers.js';
import { findRepoRoot } from '../support/base-image.js';

const fixtures = path.join(findRepoRoot(), 'test', 'fixtures', 'locks');
const h = (label: string): string => createHash('sha256').update(label).digest('hex');
const py312 = targetEnvironment('3.12.7', 'amd64');
const py310arm = targetEnvironment('3.10.4', 'arm64');
const names = (lock: Lock | undefined): string[] => (lock?.packages ?? []).map((p) => `${p.name}==${p.version}`);

const temps: string[] = [];
after(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});
async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pycontainer-lockfmt-'));
  temps.push(dir);
  await cp(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

async function pyproject(dir: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path.join(dir, 'pyproject.toml'), 'utf8')) as Record<string, unknown>;
}

/** An index that lists every file a test asks for, at `${root}/files/NAME`, with the sha256 the fixtures use. */
function fakeIndex(files: Record<string, string[]>, seen: IndexSources[] = [], hashOf: (f: string) => string | undefined = h): (s: IndexSources) => IndexClient {
  return (sources) => {
    seen.push(sources);
    const root = sources.indexUrls[0]!.replace(/\/\/[^@/]*@/, '//').replace(/\/simple\/?$/, '');
    return {
      files: async (name: string): Promise<IndexFile[]> =>
        (files[name] ?? []).map((filename) => {
          const sha256 = hashOf(filename);
          return { filename, url: `${root}/files/${filename}`, ...(sha256 ? { sha256 } : {}), yanked: false };
        }),
    };
  };
}

/** Every file the fixture lock names, listed by project. */
async function indexOfLock(lockPath: string): Promise<Record<string, string[]>> {
  const text = await readFile(lockPath, 'utf8');
  const out: Record<string, string[]> = {};
  let current: string | undefined;
  let metadataFiles = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) metadataFiles = line === '[metadata.files]';
    const pkg = /^name = "([^"]+)"/.exec(line);
    if (pkg) current = pkg[1]!.toLowerCase().replace(/[-_.]+/g, '-');
    const legacy = /^"?([A-Za-z0-9_.-]+)"? = \[$/.exec(line);
    if (legacy && metadataFiles) current = legacy[1]!.toLowerCase().replace(/[-_.]+/g, '-');
    const file = /\{file = "([^"]+)"/.exec(line);
    if (file && current) (out[current] ??= []).push(file[1]!);
  }
  return out;
}

async function rejects(promise: Promise<unknown>, code: string, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.code, code, err.message);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------

describe("Python's json.dumps and Poetry's content-hash", () => {
  test('json.dumps(sort_keys=True): separators, key order, ensure_ascii', () => {
    assert.equal(pythonJsonDumps({ b: [1, 'x'], a: { d: true, c: null } }), '{"a": {"c": null, "d": true}, "b": [1, "x"]}');
    assert.equal(pythonJsonDumps('é "q" \\ \n \u0001 😀'), '"\\u00e9 \\"q\\" \\\\ \\n \\u0001 \\ud83d\\ude00"');
    assert.equal(pythonJsonDumps(1.5), '1.5');
    assert.equal(pythonJsonDumps(2n), '2');
  });

  test('the fixtures carry the hash Poetry computes for their pyproject.toml', async () => {
    for (const name of ['poetry1', 'poetry2']) {
      const dir = path.join(fixtures, name);
      const lock = parse(await readFile(path.join(dir, 'poetry.lock'), 'utf8')) as { metadata: Record<string, string> };
      assert.equal(poetryContentHash(await pyproject(dir)), lock.metadata['content-hash'], name);
    }
  });

  test('a Poetry 1 pyproject without [project]: legacy keys are hashed as null when missing', () => {
    const data = { tool: { poetry: { name: 'x', dependencies: { python: '^3.9' } } } };
    const expected = createHash('sha256').update('{"dependencies": {"python": "^3.9"}, "dev-dependencies": null, "extras": null, "source": null}').digest('hex');
    assert.equal(poetryContentHash(data), expected);
  });

  test('Poetry constraints: caret, tilde, wildcards, alternatives', () => {
    assert.ok(poetryAllows('2.2.3', '^2.2'));
    assert.ok(!poetryAllows('3.0.0', '^2.2'));
    assert.ok(poetryAllows('0.2.9', '^0.2.3'));
    assert.ok(!poetryAllows('0.3.0', '^0.2.3'));
    assert.ok(poetryAllows('1.2.9', '~1.2.3'));
    assert.ok(!poetryAllows('1.3.0', '~1.2.3'));
    assert.ok(poetryAllows('9.9', '*'));
    assert.ok(poetryAllows('2.0.2', '>=1.7.4,<1.8 || >2.0.1,<2.1.0'));
    assert.ok(!poetryAllows('2.0.1', '>=1.7.4,<1.8 || >2.0.1,<2.1.0'));
    assert.ok(poetryAllows('3.12.7', '>=3.9 <4'));
  });
});

describe('poetry.lock 2.1 (Poetry 2, [project] dependencies)', () => {
  const base = (extra: Partial<ReadLockOptions> = {}) => async () => {
    const dir = path.join(fixtures, 'poetry2');
    const seen: IndexSources[] = [];
    const index = fakeIndex(await indexOfLock(path.join(dir, 'poetry.lock')), seen);
    const lock = await readLock(dir, { env: py312, projectName: 'shop-api', pyproject: await pyproject(dir), index, environ: {}, ...extra });
    return { lock, seen };
  };

  test('main only: the closure for the target; dev, prod, extras and other platforms left out', async () => {
    const { lock } = await base()();
    assert.equal(lock?.kind, 'poetry');
    assert.equal(lock?.path, 'poetry.lock');
    assert.deepEqual(names(lock), [
      'annotated-types==0.7.0',
      'anyio==4.7.0',
      'click==8.1.7',
      'fastapi==0.115.6',
      'h11==0.14.0',
      'httptools==0.6.4',
      'idna==3.10',
      'pydantic==2.10.3',
      'pydantic-core==2.27.1',
      'sniffio==1.3.1',
      'starlette==0.41.3',
      'typing-extensions==4.12.2',
      'uvicorn==0.32.1',
      'uvloop==0.21.0',
    ]);
    const byName = new Map(lock!.packages.map((p) => [p.name, p]));
    assert.equal(byName.get('fastapi')!.requested, true);
    assert.equal(byName.get('starlette')!.requested, false);
    // Files come with their index URL, found by file name; the hash is the lock's.
    assert.deepEqual(byName.get('idna')!.wheels, [{ filename: 'idna-3.10-py3-none-any.whl', sha256: h('idna-3.10-py3-none-any.whl'), url: 'https://pypi.org/files/idna-3.10-py3-none-any.whl' }]);
    assert.equal(byName.get('idna')!.sdist?.filename, 'idna-3.10.tar.gz');
    assert.equal(byName.get('pydantic-core')!.wheels.length, 3, 'every wheel is a candidate; the caller picks by tags');
  });

  test('python 3.10 on arm64: the markers for older Pythons hold', async () => {
    const { lock } = await base({ env: py310arm })();
    for (const n of ['exceptiongroup==1.2.2', 'tomli==2.2.1']) assert.ok(names(lock).includes(n), n);
  });

  test('groups and extras: prod (from its private source) and postgres; dev stays out unless named', async () => {
    const { lock, seen } = await base({ groups: ['prod'], extras: ['postgres'], environ: { POETRY_HTTP_BASIC_CORP_USERNAME: 'ci', POETRY_HTTP_BASIC_CORP_PASSWORD: 's3cret' } })();
    const n = names(lock);
    for (const want of ['gunicorn==23.0.0', 'packaging==24.2', 'psycopg==3.2.3']) assert.ok(n.includes(want), want);
    for (const not of ['pytest==8.3.4', 'tzdata==2024.2', 'iniconfig==2.0.0']) assert.ok(!n.includes(not), not);
    const gunicorn = lock!.packages.find((p) => p.name === 'gunicorn')!;
    assert.equal(gunicorn.wheels[0]!.url, 'https://pypi.corp.example/files/gunicorn-23.0.0-py3-none-any.whl');
    assert.ok(seen.some((s) => s.indexUrls[0] === 'https://ci:s3cret@pypi.corp.example/simple/'), 'the source gets its POETRY_HTTP_BASIC_* credentials');
    assert.ok(!JSON.stringify(lock).includes('s3cret'), 'no credentials in the model');
    const dev = await base({ groups: ['dev'] })();
    assert.ok(names(dev.lock).includes('pytest==8.3.4'));
  });

  test('PIP_INDEX_URL replaces PyPI for files without a source', async () => {
    const { lock, seen } = await base({ environ: { PIP_INDEX_URL: 'https://mirror.example/simple' } })();
    assert.ok(seen.every((s) => s.indexUrls[0] === 'https://mirror.example/simple'));
    assert.match(lock!.packages[0]!.wheels[0]!.url!, /^https:\/\/mirror\.example\/files\//);
  });

  test('a stale content-hash fails like poetry check --lock', async () => {
    const dir = await copyFixture('poetry2');
    const file = path.join(dir, 'pyproject.toml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"rich', '"rich').replace('dependencies = [\n', 'dependencies = [\n    "rich (>=13)",\n'));
    await rejects(readLock(dir, { env: py312, projectName: 'shop-api', pyproject: await pyproject(dir), index: fakeIndex({}) }), 'E_LOCK_STALE', /^poetry\.lock: content-hash does not match pyproject\.toml; run poetry lock$/);
  });

  test('an unknown group, a hash the index contradicts, a file the index lacks', async () => {
    await rejects(base({ groups: ['docs'] })(), 'E_LOCK', /no dependency group "docs"/, /build\.dependency_groups/);
    const dir = path.join(fixtures, 'poetry2');
    const all = await indexOfLock(path.join(dir, 'poetry.lock'));
    const wrong = fakeIndex(all, [], (f) => (f.startsWith('idna-') ? h('tampered') : h(f)));
    await rejects(readLock(dir, { env: py312, projectName: 'shop-api', pyproject: await pyproject(dir), index: wrong, environ: {} }), 'E_DIST_HASH', /"idna" 3\.10/, new RegExp(h('tampered')), new RegExp(h('idna-3.10-py3-none-any.whl')));
    const missing = fakeIndex({ ...all, sniffio: [] });
    await rejects(readLock(dir, { env: py312, projectName: 'shop-api', pyproject: await pyproject(dir), index: missing, environ: {} }), 'E_LOCK', /"sniffio" 1\.3\.1: none of its locked files is on the index https:\/\/pypi\.org\/simple\//);
  });
});

describe('poetry.lock 1.1 (Poetry 1, [tool.poetry.dependencies], [metadata.files])', () => {
  const read = async (extra: Partial<ReadLockOptions> = {}) => {
    const dir = path.join(fixtures, 'poetry1');
    return readLock(dir, { env: py312, projectName: 'blog', pyproject: await pyproject(dir), index: fakeIndex(await indexOfLock(path.join(dir, 'poetry.lock'))), environ: {}, ...extra });
  };

  test('caret constraints, python-restricted and optional dependencies, dev-dependencies left out', async () => {
    const lock = await read();
    assert.deepEqual(names(lock), ['click==8.1.3', 'flask==2.2.3', 'itsdangerous==2.1.2', 'jinja2==3.1.2', 'markupsafe==2.1.2', 'werkzeug==2.2.3']);
    const markupsafe = lock!.packages.find((p) => p.name === 'markupsafe')!;
    assert.deepEqual(markupsafe.wheels.map((w) => w.filename), [
      'MarkupSafe-2.1.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
      'MarkupSafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    ]);
  });

  test('the dotenv extra, Python 3.9 and the dev group add theirs', async () => {
    const lock = await read({ env: targetEnvironment('3.9.18', 'amd64'), extras: ['dotenv'], groups: ['dev'] });
    for (const n of ['python-dotenv==1.0.0', 'importlib-metadata==6.0.0', 'zipp==3.13.0', 'pytest==7.2.1', 'iniconfig==2.0.0']) assert.ok(names(lock).includes(n), n);
  });

  test('a path dependency (a monorepo sibling) is a local member, installed from its directory', async () => {
    const dir = await copyFixture('poetry1');
    const pyprojectFile = path.join(dir, 'pyproject.toml');
    await writeFile(pyprojectFile, (await readFile(pyprojectFile, 'utf8')).replace('Flask = "^2.2"\n', 'Flask = "^2.2"\ncommon = {path = "../common", develop = true}\n'));
    const data = await pyproject(dir);
    const lockFile = path.join(dir, 'poetry.lock');
    const lockText = (await readFile(lockFile, 'utf8'))
      .replace(/content-hash = "[0-9a-f]+"/, `content-hash = "${poetryContentHash(data)}"`)
      .replace('[extras]', '[[package]]\nname = "common"\nversion = "0.1.0"\ndescription = ""\ncategory = "main"\noptional = false\npython-versions = "^3.9"\ndevelop = true\n\n[package.dependencies]\nitsdangerous = ">=2"\n\n[package.source]\ntype = "directory"\nurl = "../common"\n\n[extras]');
    await writeFile(lockFile, lockText);
    const lock = await readLock(dir, { env: py312, projectName: 'blog', pyproject: data, index: fakeIndex(await indexOfLock(path.join(fixtures, 'poetry1', 'poetry.lock'))), environ: {} });
    assert.deepEqual(lock?.localMembers, [{ name: 'common', version: '0.1.0', directory: '../common' }]);
    assert.ok(!names(lock).includes('common==0.1.0'), 'not a wheel to download');
    assert.ok(names(lock).includes('itsdangerous==2.1.2'), "the member's own dependencies are walked");
  });

  test('a lock that misses a declared dependency is stale', async () => {
    await rejects(read({ declared: ['flask>=2.2', 'requests>=2'] }), 'E_LOCK_STALE', /poetry\.lock does not lock "requests"/, /run poetry lock/);
  });
});

describe('pdm.lock 4.5', () => {
  const read = async (extra: Partial<ReadLockOptions> = {}) => {
    const dir = path.join(fixtures, 'pdm');
    const seen: IndexSources[] = [];
    const lock = await readLock(dir, {
      env: py312,
      projectName: 'weather-cli',
      pyproject: await pyproject(dir),
      index: fakeIndex(await indexOfLock(path.join(dir, 'pdm.lock')), seen),
      environ: { PDM_USER: 'me', PDM_TOKEN: 'tok' },
      ...extra,
    });
    return { lock, seen };
  };

  test('the default group with an extras entry (httpx[http2]); dev left out; markers for the target', async () => {
    const { lock, seen } = await read();
    assert.equal(lock?.kind, 'pdm');
    assert.deepEqual(names(lock), [
      'anyio==4.7.0',
      'certifi==2024.12.14',
      'h11==0.14.0',
      'h2==4.1.0',
      'hpack==4.0.0',
      'httpcore==1.0.7',
      'httpx==0.28.1',
      'hyperframe==6.0.1',
      'idna==3.10',
      'markdown-it-py==3.0.0',
      'mdurl==0.1.2',
      'pygments==2.18.0',
      'rich==13.9.4',
      'sniffio==1.3.1',
      'typing-extensions==4.12.2',
    ]);
    assert.deepEqual(seen[0]!.indexUrls, ['https://me:tok@pypi.internal.example/simple', 'https://pypi.org/simple/'], '[[tool.pdm.source]] with ${VAR}s expanded, then PyPI');
    assert.equal(lock!.packages.find((p) => p.name === 'httpx')!.requested, true);
    assert.equal(lock!.packages.find((p) => p.name === 'h2')!.requested, false);
  });

  test('python 3.13 drops typing-extensions; the dev group adds pytest', async () => {
    const { lock } = await read({ env: targetEnvironment('3.13.1', 'amd64'), groups: ['dev'] });
    assert.ok(!names(lock).includes('typing-extensions==4.12.2'));
    assert.ok(names(lock).includes('pytest==8.3.4'));
    await rejects(read({ groups: ['docs'] }), 'E_LOCK', /no group "docs"/);
  });
});

describe('uv workspace: the lock one level up', () => {
  test('workspace globs: *, **, exact, exclude', () => {
    assert.ok(matchesWorkspaceGlob('packages/*', 'packages/shared'));
    assert.ok(!matchesWorkspaceGlob('packages/*', 'packages/a/b'));
    assert.ok(matchesWorkspaceGlob('libs/**', 'libs/a/b'));
    assert.ok(matchesWorkspaceGlob('./backend/', 'backend'));
  });

  test('the root is found from a member; an excluded or unlisted directory has none', async () => {
    const ws = path.join(fixtures, 'uv-workspace');
    assert.equal(await findUvWorkspaceRoot(path.join(ws, 'backend')), ws);
    assert.equal(await findUvWorkspaceRoot(path.join(ws, 'packages', 'shared')), ws);
    assert.equal(await findUvWorkspaceRoot(path.join(ws, 'packages', 'legacy')), undefined);
  });

  test("a member's closure from the root's uv.lock: path relative to the context, members it needs named", async () => {
    const ws = path.join(fixtures, 'uv-workspace');
    const lock = await readLock(path.join(ws, 'backend'), { env: py312, projectName: 'backend', declared: ['shared', 'sniffio>=1.3'] });
    assert.equal(lock?.kind, 'uv');
    assert.equal(lock?.path, '../uv.lock');
    assert.deepEqual(names(lock), ['idna==3.10', 'sniffio==1.3.1']);
    assert.deepEqual(lock?.localMembers, [{ name: 'shared', version: '0.2.0', directory: 'packages/shared' }]);
    const shared = await readLock(path.join(ws, 'packages', 'shared'), { env: py312, projectName: 'shared' });
    assert.equal(shared?.path, '../../uv.lock');
    assert.deepEqual(names(shared), ['idna==3.10']);
    assert.equal(shared?.localMembers, undefined);
    assert.equal(await readLock(path.join(ws, 'packages', 'legacy'), { env: py312, projectName: 'legacy' }), undefined);
  });

  test("a member's code is packed into a wheel that is a function of its files", async () => {
    const dir = path.join(fixtures, 'uv-workspace', 'packages', 'shared');
    const files = await readMemberSources(dir, 'shared', '../packages/shared');
    assert.deepEqual(files.map((f) => [f.archivePath, f.source]), [['shared/__init__.py', 'src/shared/__init__.py']]);
    const a = assembleMemberWheel('shared', '0.2.0', files);
    const b = assembleMemberWheel('shared', '0.2.0', await readMemberSources(dir, 'shared', '../packages/shared'));
    assert.equal(a.filename, 'shared-0.2.0-py3-none-any.whl');
    assert.ok(a.data.equals(b.data), 'the same files give the same bytes');
    const zip = a.data.toString('latin1');
    for (const name of ['shared/__init__.py', 'shared-0.2.0.dist-info/METADATA', 'shared-0.2.0.dist-info/WHEEL', 'shared-0.2.0.dist-info/RECORD']) assert.ok(zip.includes(name), name);
    const changed = assembleMemberWheel('shared', '0.2.0', [{ ...files[0]!, data: Buffer.from('def greet():\n    return "hi"\n') }]);
    assert.ok(!changed.data.equals(a.data));
    await rejects(readMemberSources(path.join(fixtures, 'uv-workspace', 'packages', 'legacy'), 'legacy', '../packages/legacy'), 'E_WORKSPACE_MEMBER', /"legacy" has no importable code/, /uv build --package legacy/);
  });
});

describe('pip freeze: pins without hashes, resolved on the index', () => {
  const INDEX: Record<string, string[]> = {
    blinker: ['blinker-1.9.0-py3-none-any.whl', 'blinker-1.9.0.tar.gz', 'blinker-1.8.2-py3-none-any.whl'],
    click: ['click-8.1.8-py3-none-any.whl', 'click-8.1.8.tar.gz'],
    flask: ['flask-3.1.0-py3-none-any.whl', 'flask-3.1.0.tar.gz'],
    gunicorn: ['gunicorn-23.0.0-py3-none-any.whl'],
    itsdangerous: ['itsdangerous-2.2.0-py3-none-any.whl'],
    jinja2: ['jinja2-3.1.5-py3-none-any.whl'],
    markupsafe: ['MarkupSafe-3.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'MarkupSafe-3.0.2-cp313-cp313-win_amd64.whl', 'markupsafe-3.0.2.tar.gz'],
    packaging: ['packaging-24.2-py3-none-any.whl'],
    werkzeug: ['werkzeug-3.1.3-py3-none-any.whl'],
  };

  test('every == pin gets the files of that version with the sha256 the index states', async () => {
    const lock = await readLock(path.join(fixtures, 'pip-freeze'), { env: py312, projectName: 'app', index: fakeIndex(INDEX), environ: {} });
    assert.equal(lock?.kind, 'requirements');
    assert.deepEqual(names(lock), ['blinker==1.9.0', 'click==8.1.8', 'flask==3.1.0', 'gunicorn==23.0.0', 'itsdangerous==2.2.0', 'jinja2==3.1.5', 'markupsafe==3.0.2', 'packaging==24.2', 'werkzeug==3.1.3']);
    const blinker = lock!.packages.find((p) => p.name === 'blinker')!;
    assert.deepEqual(blinker.wheels, [{ filename: 'blinker-1.9.0-py3-none-any.whl', sha256: h('blinker-1.9.0-py3-none-any.whl'), url: 'https://pypi.org/files/blinker-1.9.0-py3-none-any.whl' }]);
    assert.equal(lock!.packages.find((p) => p.name === 'markupsafe')!.wheels.length, 2);
  });

  test('an index that states no sha256, or no file of the pinned version, is an error naming file:line', async () => {
    const dir = path.join(fixtures, 'pip-freeze');
    await rejects(readLock(dir, { env: py312, projectName: 'app', index: fakeIndex(INDEX, [], () => undefined), environ: {} }), 'E_NO_HASH', /^requirements\.txt:2: "blinker==1\.9\.0"/, /no sha256/);
    await rejects(readLock(dir, { env: py312, projectName: 'app', index: fakeIndex({ ...INDEX, flask: ['flask-3.0.0-py3-none-any.whl'] }), environ: {} }), 'E_NO_HASH', /requirements\.txt:4: "flask==3\.1\.0": the index lists no file for it/);
  });

  test('`-e .` (the project itself, which the app layer carries) is skipped; another editable is not', async () => {
    const dir = await copyFixture('pip-freeze');
    await writeFile(path.join(dir, 'requirements.txt'), '-e .\nflask==3.1.0\n');
    const lock = await readLock(dir, { env: py312, projectName: 'app', index: fakeIndex(INDEX), environ: {} });
    assert.deepEqual(names(lock), ['flask==3.1.0']);
    await writeFile(path.join(dir, 'requirements.txt'), '-e ../lib\nflask==3.1.0\n');
    await rejects(readLock(dir, { env: py312, projectName: 'app', index: fakeIndex(INDEX), environ: {} }), 'E_LOCK_UNSUPPORTED', /editable/);
  });

  test('a range or a bare name is not a lock: the file is handed to the resolver, every line with where it is', async () => {
    const dir = await copyFixture('pip-freeze');
    await writeFile(path.join(dir, 'requirements.txt'), 'flask==3.1.0\nrequests>=2\n');
    const lock = await readLock(dir, { env: py312, projectName: 'app', index: fakeIndex(INDEX), environ: { PIP_CONFIG_FILE: os.devNull } });
    assert.deepEqual(lock?.packages, []);
    assert.deepEqual(lock?.resolve?.roots, [
      { requirement: 'flask==3.1.0', source: 'requirements.txt:1' },
      { requirement: 'requests>=2', source: 'requirements.txt:2' },
    ]);
    assert.deepEqual(lock?.resolve?.sources.indexUrls, ['https://pypi.org/simple/']);
  });
});
