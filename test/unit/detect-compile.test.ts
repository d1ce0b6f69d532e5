// Detection through compilePlan, on projects in temporary directories: a dynamic version read from a
// real git repository and its version file written into the app layer; the directory's name and
// "latest" with a warning when nothing declares them; the whole context as the app layer, never the
// plan file; a Procfile's PORT; warnings forwarded; a bad script value refused before anything is written.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ConfigError } from '../../src/errors.js';
import { compilePlan, type CompileOptions } from '../../src/plan/compile.js';
import { serializePlan } from '../../src/plan/file.js';

const temps: string[] = [];
after(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

async function project(files: Record<string, string>, name = 'proj'): Promise<string> {
  const parent = await mkdtemp(join(os.tmpdir(), 'pycontainer-detect-'));
  temps.push(parent);
  const dir = join(parent, name);
  await mkdir(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function plan(dir: string, options: Omit<CompileOptions, 'context'> = {}): Promise<{ plan: Plan; warnings: string[] }> {
  const warnings: string[] = [];
  const p = await compilePlan({ env: {}, cache: null, ...options, context: dir, flags: { baseImage: 'scratch', ...options.flags }, onWarning: (w) => warnings.push(w) });
  return { plan: p, warnings };
}

const paths = (p: Plan) => p.layers[0]!.entries.map((e) => e.path);

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

describe('detection in compilePlan', () => {
  test('a hatch-vcs project in a tagged git repository: version from git describe, _version.py written into the layer', async () => {
    const dir = await project({
      'pyproject.toml': [
        '[project]',
        'name = "vcs-app"',
        'dynamic = ["version"]',
        '[build-system]',
        'requires = ["hatchling", "hatch-vcs"]',
        'build-backend = "hatchling.build"',
        '[tool.hatch.version]',
        'source = "vcs"',
        '[tool.hatch.build.hooks.vcs]',
        'version-file = "src/vcs_app/_version.py"',
        '',
      ].join('\n'),
      '.gitignore': 'src/vcs_app/_version.py\n',
      'src/vcs_app/__init__.py': 'from ._version import __version__\n',
      'src/vcs_app/_version.py': "__version__ = 'stale, ignored by .gitignore'\n",
    });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'first');
    git(dir, 'tag', 'v1.2.0');
    const { plan: p, warnings } = await plan(dir);
    assert.equal(p.project.version, '1.2.0');
    assert.deepEqual(p.tags, ['vcs-app:1.2.0']);
    assert.equal(p.provenance['project.version'], 'git describe: v1.2.0');
    const entry = p.layers[0]!.entries.find((e) => e.path === 'app/src/vcs_app/_version.py');
    assert.ok(entry, paths(p).join('\n'));
    assert.match(entry.content ?? '', /^__version__ = version = '1\.2\.0'$/m);
    assert.equal(entry.size, Buffer.byteLength(entry.content!));
    assert.ok(!warnings.some((w) => w.startsWith('version')), warnings.join('\n'));

    git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    const later = (await plan(dir)).plan;
    assert.match(later.project.version, /^1\.2\.0\.post1\+g[0-9a-f]+$/);
    assert.match(later.tags[0]!, /^vcs-app:1\.2\.0\.post1-g[0-9a-f]+$/, 'the tag replaces + with -');
  });

  test('nothing declared: the directory\'s name, "latest" with a warning, the whole context minus the plan file', async () => {
    const dir = await project({ 'main.py': 'print("hi")\n', 'alembic.ini': '[alembic]\n', 'scripts/seed.py': '', '.env': 'SECRET=x\n' }, 'My_Service');
    const first = await plan(dir);
    assert.equal(first.plan.project.name, 'my-service');
    assert.equal(first.plan.project.version, 'latest');
    assert.deepEqual(first.plan.tags, ['my-service:latest']);
    assert.ok(first.warnings.some((w) => /^version: no version .*"latest"/.test(w)), first.warnings.join('\n'));
    for (const p of ['app/main.py', 'app/alembic.ini', 'app/scripts/seed.py']) assert.ok(paths(first.plan).includes(p), p);
    assert.ok(!paths(first.plan).includes('app/.env'));
    assert.deepEqual(first.plan.images[0]!.config.config?.Cmd, ['/app/.venv/bin/python', 'main.py']);

    // plan --write, then plan again (also with include_paths = ["."]): the plan file never goes in.
    await writeFile(join(dir, 'pycontainer.plan.json'), serializePlan(first.plan));
    const again = await plan(dir);
    assert.equal(serializePlan(again.plan), serializePlan(first.plan));
    await writeFile(join(dir, 'pycontainer.toml'), '[build]\ninclude_paths = ["."]\n');
    const explicit = await plan(dir);
    assert.ok(!paths(explicit.plan).some((p) => p.endsWith('.plan.json') || p.endsWith('pycontainer.toml')), paths(explicit.plan).join('\n'));
    assert.equal(explicit.plan.layers[0]!.diffId, first.plan.layers[0]!.diffId);
  });

  test('a Procfile web line runs with PORT set and exposed; Procfile is a plan input', async () => {
    const dir = await project({
      'pyproject.toml': '[project]\nname = "web"\nversion = "1.0"\ndependencies = ["flask", "gunicorn"]\n',
      'Procfile': 'web: gunicorn web:app --bind 0.0.0.0:$PORT\n',
      'web.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const { plan: p } = await plan(dir);
    const config = p.images[0]!.config.config!;
    assert.deepEqual(config.Cmd, ['gunicorn', 'web:app', '--bind', '0.0.0.0:8000']);
    assert.ok(config.Env?.includes('PORT=8000'), String(config.Env));
    assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), ['8000/tcp']);
    assert.ok(p.inputs.some((i) => i.path === 'Procfile'));
  });

  test('the development-server warning is forwarded, and dropped when the command is configured', async () => {
    const files = { 'pyproject.toml': '[project]\nname = "f"\nversion = "1"\ndependencies = ["flask"]\n', 'hello.py': 'from flask import Flask\napp = Flask(__name__)\n' };
    const dev = await plan(await project(files));
    assert.ok(dev.warnings.some((w) => w.includes("Flask's development server")), dev.warnings.join('\n'));
    const configured = await plan(await project({ ...files, 'pycontainer.toml': '[build]\ncmd = ["waitress-serve", "hello:app"]\n' }));
    assert.ok(!configured.warnings.some((w) => w.includes('development server')), configured.warnings.join('\n'));
  });

  test('a script value that is not module:attr stops the plan with one line naming the key', async () => {
    const dir = await project({
      'pyproject.toml': '[project]\nname = "api"\nversion = "1"\n[project.scripts]\nserve = "uvicorn app.main:app --host 0.0.0.0"\n',
      'app/__init__.py': '',
      'app/main.py': '',
    });
    await assert.rejects(plan(dir), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^pyproject\.toml: project\.scripts\.serve: /);
      return true;
    });
  });
});
