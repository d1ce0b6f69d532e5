// Issue 9, "Done means": projects shaped like real ones, with lock files (a uv workspace built from a member with the
// lock one level up, Poetry 2 with an app factory, PDM with Flask's tutorial layout, a script beside a web app, a
// CLI), built with nothing but --base-image on the plain Debian base, run with runc as the image's default user.
// Web images must answer HTTP with the app's own output; the plan must list the locked packages and no dev ones.
// Split from real-projects-requirements.test.ts so node's runner can run the two files in parallel.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { checkWheelsInstall } from '../support/framework-wheels.js';
import {
  buildRealProject,
  closure,
  exposedPort,
  lockedNames,
  realProjectsHarness,
  withServer,
  writeCli,
  writePdmFlaskr,
  writePoetry1Report,
  writePoetryApi,
  writeScriptAndWeb,
  writeUvWorkspace,
} from '../support/real-projects.js';
import { runImage } from '../support/run-image.js';

const TOOLS = ['apt-get', 'apt-cache', 'dpkg', 'python3', 'umoci', 'runc'];
const DEV_ONLY = ['iniconfig', 'packaging', 'pluggy', 'pytest'];

const real = realProjectsHarness('pyc-real-locks-', TOOLS);

/** The packages an image of these direct dependencies gets on Linux (no Windows-only colorama). */
function expected(...roots: string[]): string[] {
  return closure(roots, { linux: true });
}

function assertNoDevPackages(names: string[]): void {
  for (const dev of [...DEV_ONLY, 'colorama']) assert.ok(!names.includes(dev), `${dev} (dev group or Windows-only) is not installed: ${names.join(', ')}`);
}

describe('real projects with lock files', { concurrency: 2 }, () => {
  test('the framework wheels install with pip and import', async (t) => {
    if (!real.ready(t)) return;
    const frameworks = real.house!.wheels.filter((w) => ['flask', 'fastapi', 'django', 'gunicorn', 'uvicorn', 'markupsafe'].includes(w.name));
    assert.equal(frameworks.length, 6);
    assert.match(real.house!.wheels.find((w) => w.name === 'markupsafe')!.filename, /^markupsafe-2\.1\.2-cp311-cp311-manylinux_2_36_x86_64\.whl$/, 'a wheel with a C extension is tagged for the platform');
    await checkWheelsInstall(real.house!.wheels.filter((w) => !w.filename.includes('aarch64') && w.name !== 'setuptools').map((w) => w.path));
  });

  test('uv workspace: -C backend uses ../uv.lock, installs the shared member, serves FastAPI', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeUvWorkspace(path.join(real.tmp, 'acme'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'uv-workspace');
    const deps = built.plan.dependencies?.[0];
    assert.ok(deps, 'the plan has a dependency layer');
    assert.equal(deps.lock, '../uv.lock', 'the workspace lock, relative to the context');
    assert.ok(built.plan.inputs.some((i) => i.path === '../uv.lock'), 'the lock is a plan input (staleness)');
    const names = lockedNames(built.plan);
    assert.deepEqual(names.filter((n) => n !== 'shared'), expected('fastapi', 'uvicorn'));
    assertNoDevPackages(names);
    assert.match(built.command, /uvicorn|fastapi/);
    assert.match(built.command, /app\.main:app/);
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      const res = await get('/');
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(JSON.parse(res.body), { message: 'hello workspace, from the shared library', user: 'nonroot' });
    });
    // The lock above the context is an input like any other: changing it makes the saved plan stale.
    await appendFile(path.join(context, '..', 'uv.lock'), '\n');
    const stale = await runCli(['apply', built.planFile, '-C', context, '-o', path.join(real.tmp, 'uv-workspace-stale-image')]);
    assert.notEqual(stale.code, 0, 'a plan whose workspace lock changed is refused');
    assert.match(stale.stderr, /\.\.\/uv\.lock changed/);
  });

  test('Poetry 2 FastAPI factory app: main group only, whole context minus .gitignore, logs/ created at start', async (t) => {
    if (!real.ready(t)) return;
    const context = await writePoetryApi(path.join(real.tmp, 'poetry-api'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'poetry-api');
    assert.equal(built.plan.dependencies?.[0]?.lock, 'poetry.lock');
    const names = lockedNames(built.plan).filter((n) => n !== 'poetry-api');
    assert.deepEqual(names, expected('fastapi', 'uvicorn'));
    assertNoDevPackages(names);
    assert.match(built.command, /app\.main:app/);
    const files = built.plan.layers.flatMap((l) => l.entries.map((e) => e.path));
    assert.ok(files.some((f) => f.endsWith('settings.ini')), 'files outside the package ship (settings.ini)');
    assert.ok(!files.some((f) => f.includes('logs/')), 'logs/ is in .gitignore');
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      for (const logged of [1, 2]) {
        const res = await get('/items/42');
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(JSON.parse(res.body), { item_id: 42, project: 'Poetry Items API', logged });
      }
    });
  });

  test('PDM Flask tutorial app: create_app() under gunicorn, sqlite in instance/, dev group left out', async (t) => {
    if (!real.ready(t)) return;
    const context = await writePdmFlaskr(path.join(real.tmp, 'flaskr'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'flaskr');
    assert.equal(built.plan.dependencies?.[0]?.lock, 'pdm.lock');
    const names = lockedNames(built.plan).filter((n) => n !== 'flaskr');
    assert.deepEqual(names, expected('flask', 'gunicorn'));
    assertNoDevPackages(names);
    assert.match(built.command, /gunicorn/, 'the production server the lock has');
    assert.match(built.command, /flaskr/);
    const files = built.plan.layers.flatMap((l) => l.entries.map((e) => e.path));
    assert.ok(files.some((f) => f.endsWith('flaskr/templates/index.html')), 'templates ship');
    assert.ok(!files.some((f) => f.endsWith('.pdm-python')), '.pdm-python (a host path) is in .gitignore');
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      for (const n of [1, 2]) {
        const res = await get('/');
        assert.equal(res.status, 200, res.body);
        assert.equal(res.body, `<p>flaskr: visit ${n} by nonroot</p>`);
      }
    });
  });

  test('a [project.scripts] entry beside a FastAPI app: the image serves the app, the script stays', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeScriptAndWeb(path.join(real.tmp, 'greeter-api'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'greeter-api');
    assert.deepEqual(lockedNames(built.plan).filter((n) => n !== 'greeter-api'), expected('fastapi', 'uvicorn'));
    assert.match(built.command, /greeter_api\.main:app/);
    assert.doesNotMatch(built.command, /(^|\/)hello$/, 'not the console script');
    const port = exposedPort(built.config);
    await withServer(built, port, async (get) => {
      const res = await get('/');
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(JSON.parse(res.body), { message: 'greeter-api is serving' });
    });
    const hello = await runImage(built.layout, built.tag, { args: ['hello'] });
    assert.equal(hello.code, 0, hello.stderr);
    assert.equal(hello.stdout, 'Hello from greeter-api!\n');
  });

  test('Poetry 1.x: [tool.poetry] dependencies, lock-version 2.0 without groups, dev group left out', async (t) => {
    if (!real.ready(t)) return;
    const context = await writePoetry1Report(path.join(real.tmp, 'poetry1-report'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'poetry1-report');
    assert.equal(built.plan.dependencies?.[0]?.lock, 'poetry.lock');
    assert.deepEqual(lockedNames(built.plan), ['click']);
    const out = await runImage(built.layout, built.tag);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'report: click 8.1.3\n');
  });

  test('a CLI with a console script and no web framework keeps its script as the entrypoint', async (t) => {
    if (!real.ready(t)) return;
    const context = await writeCli(path.join(real.tmp, 'wordcount'), real.house!);
    const built = await buildRealProject(context, real.baseRef, real.tmp, 'wordcount');
    assert.deepEqual(lockedNames(built.plan).filter((n) => n !== 'wordcount'), ['click']);
    assert.match((built.config.Entrypoint ?? []).join(' '), /wordcount$/);
    assert.deepEqual(Object.keys(built.config.ExposedPorts ?? {}), [], 'a CLI exposes no port');
    const plain = await runImage(built.layout, built.tag);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, '9 words (wordcount 0.4.0, click 8.1.3)\n');
    const withArgs = await runImage(built.layout, built.tag, { args: [...built.config.Entrypoint!, 'hello container world'] });
    assert.equal(withArgs.stdout, '3 words (wordcount 0.4.0, click 8.1.3)\n');
  });
});
