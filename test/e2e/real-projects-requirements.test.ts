// Issue 9, "Done means": projects without a lock file of a tool (a `pip freeze` requirements.txt, a Django project,
// a Procfile) resolved against a PEP 691 index on loopback, built with nothing but --base-image on the plain Debian
// base and run with runc as the default user; and the bad inputs that must stop a build with one line naming the
// file and the fix, exit 2, nothing written. Split from real-projects-locks.test.ts to run in parallel with it.
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import {
  FLASK_GUNICORN,
  buildRealProject,
  closure,
  exposedPort,
  lockedNames,
  realProjectsHarness,
  withServer,
  writeBadScript,
  writeDjangoSite,
  writeFreezeFlask,
  writeNoLock,
  writePdmFlaskr,
  writePoetryApi,
  writeProcfileApp,
  writeUvWorkspace,
} from '../support/real-projects.js';
import { runImage } from '../support/run-image.js';

const TOOLS = ['apt-get', 'apt-cache', 'dpkg', 'python3', 'umoci', 'runc'];

const real = realProjectsHarness('pyc-real-reqs-', TOOLS);

describe('real projects with pinned requirements', { concurrency: 2 }, () => {
  test('pip freeze requirements.txt (no hashes) from PIP_INDEX_URL: gunicorn serves app.py, code read-only, workdir writable', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeFreezeFlask(path.join(real.tmp, 'hello-freeze'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'hello-freeze', { PIP_INDEX_URL: real.house!.indexUrl });
    assert.equal(built.plan.dependencies?.[0]?.lock, 'requirements.txt');
    assert.deepEqual(lockedNames(built.plan), FLASK_GUNICORN);
    for (const p of built.plan.dependencies![0]!.packages) {
      const w = real.house!.wheels.find((x) => x.filename === p.filename);
      assert.ok(w, `${p.filename} is one of the index's files`);
      assert.equal(p.sha256, w.sha256, `the sha256 of ${p.filename} comes from the index`);
    }
    assert.match(built.plan.tags[0]!, /(^|\/)hello-freeze:/, 'with no [project], the name is the directory name');
    assert.match(built.command, /gunicorn/);
    assert.match(built.command, /app:app/);
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      const res = await get('/');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, 'hello from a pip freeze app on gunicorn/20.1.0\n');
    });
    // As the default user: the code cannot be changed, new files can be created in the workdir, the user has a name.
    const probe = [
      'import getpass, os',
      'try:\n    open("app.py", "a").close()\n    print("app.py writable")\nexcept PermissionError:\n    print("app.py read-only")',
      'open("scratch.txt", "w").write("ok")',
      'print("created scratch.txt as", getpass.getuser(), os.getuid(), os.path.expanduser("~"))',
    ].join('\n');
    const out = await runImage(built.layout, built.tag, { args: ['python', '-c', probe] });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^app\.py read-only\ncreated scratch\.txt as nonroot 65532 \/\S+\n$/);
  });

  test('Django project: sqlite next to manage.py written by a view, runserver with a warning', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeDjangoSite(path.join(real.tmp, 'mysite'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'mysite');
    assert.deepEqual(lockedNames(built.plan), closure(['django'], { linux: true }));
    assert.match(built.command, /manage\.py runserver/);
    assert.match(built.warnings, /warning:.*development server/i, 'says the dev server is all there is, and how to change it');
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      for (const n of [1, 2]) {
        const res = await get('/polls/');
        assert.equal(res.status, 200, res.body);
        assert.equal(res.body, `polls: hit ${n}, stored in db.sqlite3\n`);
      }
    });
  });

  test('Procfile: the web: line runs (gunicorn on $PORT), not the worker', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeProcfileApp(path.join(real.tmp, 'procfile-app'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'procfile-app');
    assert.deepEqual(lockedNames(built.plan), FLASK_GUNICORN);
    assert.match(built.command, /gunicorn app:app/);
    assert.doesNotMatch(built.command, /worker\.py/);
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      const res = await get('/');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, 'hello from the Procfile web process on gunicorn/20.1.0\n');
    });
  });
});

describe('real projects: bad input is one line naming the file and the fix, exit 2, nothing written', { concurrency: 2 }, () => {
  const cases: [string, (dir: string) => Promise<{ context: string; env?: Record<string, string> }>, RegExp[]][] = [
    [
      'a lock that misses a declared dependency',
      async (dir) => ({ context: await writePdmFlaskr(dir, real.house!, { omit: ['gunicorn', 'setuptools'] }) }),
      [/pdm\.lock/, /gunicorn/, /pdm lock/],
    ],
    [
      'a workspace uv.lock (one level up) that misses a declared dependency',
      async (dir) => ({ context: await writeUvWorkspace(dir, real.house!, { omit: ['uvicorn'] }) }),
      [/uv\.lock/, /uvicorn/, /uv lock/],
    ],
    [
      'a poetry.lock whose content-hash no longer matches pyproject.toml',
      async (dir) => ({ context: await writePoetryApi(dir, real.house!, { stale: true }) }),
      [/poetry\.lock/, /pyproject\.toml/, /poetry lock/],
    ],
    [
      'a pin with no wheel for the target',
      async (dir) => ({ context: await writeFreezeFlask(dir, real.house!, { extraPins: ['fastsum==1.0'] }), env: { PIP_INDEX_URL: real.house!.indexUrl } }),
      [/requirements\.txt/, /fastsum 1\.0/, /linux\/amd64/],
    ],
    ['a [project.scripts] value that is not module:attr', async (dir) => ({ context: await writeBadScript(dir) }), [/pyproject\.toml/, /project\.scripts/, /serve/, /module:/]],
    [
      'a project that declares dependencies, has no lock, and an index without them',
      async (dir) => ({ context: await writeNoLock(dir), env: { PIP_INDEX_URL: real.house!.indexUrl.replace(/\/simple\/$/, '/empty/'), PIP_CONFIG_FILE: os.devNull } }),
      [/pyproject\.toml/, /flask/, /lock/, /include_deps = false/],
    ],
  ];
  for (const [what, setup, messages] of cases) {
    test(what, async (t) => {
      if (!real.ready(t, ['apt-get', 'apt-cache', 'dpkg', 'python3'])) return;
      const dir = path.join(real.tmp, `bad-${what.replace(/\W+/g, '-')}`);
      const { context, env } = await setup(dir);
      const out = path.join(real.tmp, `${path.basename(dir)}-image`);
      const res = await runCli(['build', '-C', context, '--base-image', real.baseRef, '-o', out, '--no-cache'], { env });
      assert.equal(res.code, 2, `exit 2 (bad input), got ${res.code}: ${res.stderr}`);
      assert.equal(res.stderr.trim().split('\n').length, 1, `one line: ${res.stderr}`);
      for (const m of messages) assert.match(res.stderr, m);
      await assert.rejects(access(out), 'nothing written');
    });
  }
});
