// Detection, one detector at a time (pure: DetectInput in, Detection out): project metadata from
// [project], Poetry 1, setup.cfg and setup.py; versions from git describe; the python version; include
// paths and import roots; the framework detectors; the command's precedence (Procfile > declared web
// framework > console script > __main__.py > main.py); generated version files. Fixtures follow the
// shapes of real projects (Flask's tutorial, uv's FastAPI example, a Procfile, setuptools' setup.cfg).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContextFile } from '../../src/config/context.js';
import { compareBytes } from '../../src/config/context.js';
import {
  detectCommand,
  detectImportRoots,
  detectIncludePaths,
  detectionCandidates,
  detectProject,
  detectPythonVersion,
  detectVersionFiles,
  moduleName,
  needsGitVersion,
  parseIni,
  parseProcfileWeb,
  parseProjectMetadata,
  procfileCommand,
  renderVersionFile,
  satisfiesMinor,
  versionFromGitDescribe,
  versionTuple,
  type DetectInput,
  type ProjectMetadata,
} from '../../src/config/detect.js';
import { compileIgnore, ignorePatterns, isIgnored } from '../../src/config/ignore.js';
import { ConfigError } from '../../src/errors.js';

/** A context listing (with parent directories) and the texts of its files. */
function tree(spec: Record<string, string>): { files: ContextFile[]; texts: Record<string, string> } {
  const files = new Map<string, ContextFile>();
  for (const [path, text] of Object.entries(spec)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      files.set(dir, { path: dir, type: 'dir', size: 0, executable: true });
    }
    files.set(path, { path, type: 'file', size: Buffer.byteLength(text), executable: false });
  }
  return { files: [...files.values()].sort((a, b) => compareBytes(a.path, b.path)), texts: { ...spec } };
}

function detect(spec: Record<string, string>, pyproject?: Record<string, unknown>, extra: Partial<DetectInput> & { includePaths?: string[] } = {}) {
  const { files, texts } = tree(spec);
  const { includePaths, ...rest } = extra;
  const input: DetectInput = { files, texts, venv: '/app/.venv', ...(pyproject ? { pyproject } : {}), ...rest };
  return detectProject(input, includePaths);
}

function meta(overrides: Partial<ProjectMetadata> = {}): ProjectMetadata {
  return { name: 'demo', version: '1.0.0', scripts: [], guiScripts: [], dependencies: [], knownPackages: [], ...overrides };
}

const PY = '/app/.venv/bin/python';

// ---------------------------------------------------------------------------------------------------

describe('detection: project metadata', () => {
  test('[project]: the name normalized, known packages from pyproject, requirements and locks', () => {
    const { project } = parseProjectMetadata({
      pyproject: {
        project: {
          name: 'My_Project',
          version: '2.0',
          'requires-python': '>=3.12',
          dependencies: ['Flask>=2', 'gunicorn[gevent]; python_version>"3"'],
          scripts: { 'my-project': 'my_project.cli:main [extra]', other: 'x.y' },
        },
      },
      texts: {
        'requirements.txt': '# c\n-r base.txt\nSQLAlchemy==2.0\n',
        'uv.lock': 'version = 1\n[[package]]\nname = "uvicorn"\n[[package]]\nname = "my-project"\n',
        'pdm.lock': '[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "anyio"\nversion = "4.4.0"\n',
      },
    });
    assert.equal(project.name, 'my-project');
    assert.equal(project.version, '2.0');
    assert.equal(project.requiresPython, '>=3.12');
    assert.deepEqual(project.dependencies, ['Flask>=2', 'gunicorn[gevent]; python_version>"3"']);
    assert.deepEqual(project.knownPackages, ['anyio', 'flask', 'gunicorn', 'sqlalchemy', 'uvicorn']);
    assert.deepEqual(project.scripts, [
      { name: 'my-project', module: 'my_project.cli', attr: 'main' },
      { name: 'other', module: 'x.y' },
    ]);
  });

  test('fastapi[standard] brings uvicorn and the FastAPI CLI', () => {
    const { project } = parseProjectMetadata({ pyproject: { project: { name: 'a', version: '1', dependencies: ['fastapi[standard]>=0.112'] } }, texts: {} });
    assert.deepEqual(project.knownPackages, ['fastapi', 'fastapi-cli', 'uvicorn']);
  });

  test('Poetry 1: name, version, dependencies as names with extras and markers, scripts in both forms', () => {
    const { project, nameWhy } = parseProjectMetadata({
      pyproject: {
        tool: {
          poetry: {
            name: 'poetry-demo',
            version: '0.4.1',
            description: 'demo',
            dependencies: {
              python: '^3.10',
              fastapi: '^0.110.0',
              uvicorn: { version: '^0.29', extras: ['standard'] },
              pywin32: { version: '306', markers: "sys_platform == 'win32'" },
              redis: { version: '^5', optional: true },
              httpx: [{ version: '^0.27', python: '>=3.10' }],
            },
            scripts: { serve: 'poetry_demo.cli:serve', other: { callable: 'poetry_demo.cli:other' } },
          },
        },
      },
      texts: {},
    });
    assert.equal(nameWhy, '[tool.poetry]');
    assert.equal(project.name, 'poetry-demo');
    assert.equal(project.version, '0.4.1');
    assert.equal(project.requiresPython, '>=3.10');
    assert.deepEqual(project.dependencies, ['fastapi', 'httpx', "pywin32; sys_platform == 'win32'", 'uvicorn[standard]']);
    assert.deepEqual(project.scripts, [
      { name: 'serve', module: 'poetry_demo.cli', attr: 'serve' },
      { name: 'other', module: 'poetry_demo.cli', attr: 'other' },
    ]);
  });

  test('setup.cfg: [metadata], [options] install_requires and python_requires, console_scripts', () => {
    const cfg = [
      '[metadata]',
      'name = legacy-tool',
      'version = 3.1.4',
      'description = An old-style project',
      '',
      '[options]',
      'packages = find:',
      'python_requires = >=3.9',
      'install_requires =',
      '    requests>=2.28',
      '    click  # the CLI',
      "    importlib-metadata; python_version<'3.10'",
      '',
      '[options.entry_points]',
      'console_scripts =',
      '    legacy-tool = legacy_tool.__main__:main',
      '',
    ].join('\n');
    const { project, nameWhy, versionWhy } = parseProjectMetadata({ texts: { 'setup.cfg': cfg } });
    assert.equal(project.name, 'legacy-tool');
    assert.equal(project.version, '3.1.4');
    assert.equal(project.requiresPython, '>=3.9');
    assert.equal(project.description, 'An old-style project');
    assert.deepEqual(project.dependencies, ['requests>=2.28', 'click', "importlib-metadata; python_version<'3.10'"]);
    assert.deepEqual(project.scripts, [{ name: 'legacy-tool', module: 'legacy_tool.__main__', attr: 'main' }]);
    assert.equal(nameWhy, 'setup.cfg');
    assert.equal(versionWhy, 'setup.cfg');
    assert.deepEqual(parseIni('[a]\nk = v\n  more\n; c\n[b]\nx: 1\n'), { a: { k: 'v\nmore' }, b: { x: '1' } });
  });

  test('setup.cfg: `version = attr:` is computed at build time, so it comes from git', () => {
    const texts = { 'setup.cfg': '[metadata]\nname = x\nversion = attr: x.__version__\n' };
    assert.equal(needsGitVersion({ texts }), true);
    assert.equal(parseProjectMetadata({ texts, gitDescribe: 'v2.0.0' }).project.version, '2.0.0');
  });

  test('setup.py: plain literals are read, computed values are not', () => {
    const setupPy = [
      'from setuptools import setup, find_packages',
      '',
      'setup(',
      '    name="oldapp",',
      "    version='1.2.0',",
      "    python_requires='>=3.8',",
      '    packages=find_packages(),',
      '    install_requires=[',
      '        "flask>=2",  # web',
      "        'gunicorn',",
      '    ],',
      "    entry_points={'console_scripts': ['oldapp=oldapp.cli:main']},",
      ')',
    ].join('\n');
    const { project } = parseProjectMetadata({ texts: { 'setup.py': setupPy } });
    assert.equal(project.name, 'oldapp');
    assert.equal(project.version, '1.2.0');
    assert.equal(project.requiresPython, '>=3.8');
    assert.deepEqual(project.dependencies, ['flask>=2', 'gunicorn']);
    assert.deepEqual(project.scripts, [{ name: 'oldapp', module: 'oldapp.cli', attr: 'main' }]);

    const computed = 'setup(name="x", version=get_version(), install_requires=read_requirements())\n';
    const d = parseProjectMetadata({ texts: { 'setup.py': computed } });
    assert.deepEqual(d.project.dependencies, [], 'a computed list is not guessed');
    assert.equal(needsGitVersion({ texts: { 'setup.py': computed } }), true);
    assert.equal(needsGitVersion({ texts: { 'setup.py': 'setup(name="x", use_scm_version=True)\n' } }), true);
  });

  test('[project] wins over [tool.poetry], setup.cfg and setup.py', () => {
    const { project } = parseProjectMetadata({
      pyproject: { project: { name: 'new', version: '2' }, tool: { poetry: { name: 'old', version: '1' } } },
      texts: { 'setup.cfg': '[metadata]\nname = older\nversion = 0.1\n' },
    });
    assert.equal(project.name, 'new');
    assert.equal(project.version, '2');
  });

  test('no name anywhere: the context directory\'s name, normalized; no version and no git: latest with a warning', () => {
    const r = parseProjectMetadata({ texts: {}, contextName: 'My Cool_App' });
    assert.equal(r.project.name, 'my-cool-app');
    assert.match(r.nameWhy, /context directory/);
    assert.equal(r.project.version, 'latest');
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /^version: no version .* "latest"/);
    assert.equal(parseProjectMetadata({ texts: {} }).project.name, 'app', 'no directory name either');
  });

  test('dynamic version: git describe, else latest with a warning, never 0.0.0', () => {
    const pyproject = { project: { name: 'vcs', dynamic: ['version'] }, tool: { hatch: { version: { source: 'vcs' } } } };
    assert.equal(needsGitVersion({ pyproject, texts: {} }), true);
    assert.equal(needsGitVersion({ pyproject: { project: { name: 'x', version: '1' } }, texts: {} }), false);
    const tagged = parseProjectMetadata({ pyproject, texts: {}, gitDescribe: 'v1.4.0-3-g1a2b3c4' });
    assert.equal(tagged.project.version, '1.4.0.post3+g1a2b3c4');
    assert.equal(tagged.versionWhy, 'git describe: v1.4.0-3-g1a2b3c4');
    assert.deepEqual(tagged.warnings, []);
    const none = parseProjectMetadata({ pyproject, texts: {} });
    assert.equal(none.project.version, 'latest');
    assert.match(none.warnings[0]!, /computes its version at build time/);
    const untagged = parseProjectMetadata({ pyproject, texts: {}, gitDescribe: '1a2b3c4' });
    assert.equal(untagged.project.version, '0.0.0+g1a2b3c4');
    assert.match(untagged.warnings[0]!, /no tag/);
  });

  test('poetry-dynamic-versioning: the placeholder version is not the version', () => {
    const pyproject = { tool: { poetry: { name: 'p', version: '0.0.0' }, 'poetry-dynamic-versioning': { enable: true } } };
    assert.equal(needsGitVersion({ pyproject, texts: {} }), true);
    assert.equal(parseProjectMetadata({ pyproject, texts: {}, gitDescribe: 'v0.9.1' }).project.version, '0.9.1');
  });

  test('versionFromGitDescribe', () => {
    const v = (d: string) => versionFromGitDescribe(d).version;
    assert.equal(v('v1.2.3'), '1.2.3');
    assert.equal(v('1.2.3'), '1.2.3');
    assert.equal(v('v1.2.3-4-gabc1234'), '1.2.3.post4+gabc1234');
    assert.equal(v('v2.0.0rc1'), '2.0.0rc1');
    assert.equal(v('v2.0.0-rc.1-2-gdeadbee'), '2.0.0rc1.post2+gdeadbee');
    assert.equal(v('release-2024.1'), '2024.1');
    assert.equal(v('abc1234'), '0.0.0+gabc1234');
    assert.equal(versionFromGitDescribe('abc1234').untagged, true);
    assert.equal(versionFromGitDescribe('v1.0').untagged, false);
    // Tag-safe once `+` becomes `-` (the tag rule): only [A-Za-z0-9_.-] remain.
    for (const d of ['v1.2.3-4-gabc1234', 'abc1234', 'release-2024.1']) assert.match(v(d).replace(/\+/g, '-'), /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
  });

  test('a script value that is not module:attr is an error naming the key (exit 2)', () => {
    const bad = () => parseProjectMetadata({ pyproject: { project: { name: 'api', version: '1', scripts: { serve: 'uvicorn app.main:app --host 0.0.0.0' } } }, texts: {} });
    assert.throws(bad, (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, 'E_SCRIPT');
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^pyproject\.toml: project\.scripts\.serve: "uvicorn app\.main:app --host 0\.0\.0\.0" is not an entry point \(module:function\)/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    assert.throws(() => detect({}, { project: { name: 'api', version: '1', scripts: { serve: 'python -m app' } } }), /project\.scripts\.serve/);
    assert.throws(() => parseProjectMetadata({ texts: { 'setup.cfg': '[options.entry_points]\nconsole_scripts =\n    run = ./run.sh\n' } }), /^ConfigError: setup\.cfg: \[options\.entry_points\] console_scripts run: /);
    assert.throws(() => parseProjectMetadata({ pyproject: { tool: { poetry: { name: 'p', version: '1', scripts: { x: 'a b' } } } }, texts: {} }), /tool\.poetry\.scripts\.x/);
  });
});

describe('detection: include paths, import roots, candidates', () => {
  test('the default is the whole context', () => {
    const { files } = tree({ 'app/main.py': '', 'alembic.ini': '', 'scripts/seed.py': '' });
    const found = detectIncludePaths(files);
    assert.deepEqual(found.value, ['.']);
    assert.match(found.why, /whole context/);
    assert.deepEqual(detect({ 'app/main.py': '' }).includePaths.value, ['.']);
    assert.deepEqual(detect({ 'app/main.py': '' }, undefined, { includePaths: ['app'] }).includePaths, { value: ['app'], why: 'configured' });
  });

  test('import roots: src layout (tests beside it do not add the root), flat layout, both', () => {
    const src = tree({ 'src/pkg/__init__.py': '', 'tests/test_pkg.py': '', 'setup.py': '', 'pyproject.toml': '' });
    assert.deepEqual(detectImportRoots(['.'], src.files), ['src']);
    const flat = tree({ 'pkg/__init__.py': '', 'pyproject.toml': '' });
    assert.deepEqual(detectImportRoots(['.'], flat.files), ['']);
    const both = tree({ 'src/pkg/__init__.py': '', 'manage.py': '' });
    assert.deepEqual(detectImportRoots(['.'], both.files), ['src', '']);
    assert.deepEqual(detectImportRoots(['src'], both.files), ['src'], 'include_paths narrows what counts');
    assert.deepEqual(detectImportRoots(['.'], tree({ 'README.md': '' }).files), ['']);
    // Only a top-level package or module (not tooling, tests or a deeper __init__.py) makes the root a root beside src.
    const tooling = { 'src/pkg/__init__.py': '', 'conftest.py': '', 'tests/__init__.py': '', 'docs/__init__.py': '', 'data/sub/__init__.py': '', 'notes.txt': '' };
    assert.deepEqual(detectImportRoots(['.'], tree(tooling).files), ['src']);
    assert.deepEqual(detectImportRoots(['.'], tree({ ...tooling, 'lib/__init__.py': '' }).files), ['src', '']);
    assert.deepEqual(detectImportRoots(['.'], tree({ ...tooling, 'run.py': '' }).files), ['src', '']);
    assert.deepEqual(detectImportRoots(['src', 'conftest.py'], tree({ ...tooling, 'lib/__init__.py': '' }).files), ['src']);
  });

  test('moduleName', () => {
    assert.equal(moduleName('src/pkg/api.py', ['src']), 'pkg.api');
    assert.equal(moduleName('src/pkg/__init__.py', ['src']), 'pkg');
    assert.equal(moduleName('src/pkg/sub/__init__.py', ['src', '']), 'pkg.sub');
    assert.equal(moduleName('hello.py', ['']), 'hello');
    assert.equal(moduleName('app/main.py', ['']), 'app.main');
    assert.equal(moduleName('srcfoo/x.py', ['src']), undefined);
    assert.equal(moduleName('srcfoo/x.py', ['src', '']), 'srcfoo.x');
    assert.equal(moduleName('my-dir/x.py', ['']), undefined);
    assert.equal(moduleName('pkg/data.json', ['']), undefined);
    assert.equal(moduleName('src/__init__.py', ['src']), undefined);
  });

  test('candidates: conventional places first, tests/docs/migrations skipped, include_paths respected', () => {
    const { files } = tree({
      'app/zz.py': '',
      'app/main.py': '',
      'app/tests/test_x.py': '',
      'tests/test_y.py': '',
      'other/main.py': '',
      'main.py': '',
      'blog/migrations/0001_initial.py': '',
      'src/svc/main.py': '',
    });
    const all = detectionCandidates(files, ['.']);
    assert.deepEqual(all.slice(0, 3), ['app/main.py', 'main.py', 'src/svc/main.py']);
    assert.ok(!all.some((p) => /tests?\/|migrations/.test(p)), all.join());
    assert.deepEqual(detectionCandidates(files, ['app', 'tests']), ['app/main.py', 'app/zz.py']);
    assert.equal(detectionCandidates(files, ['.'], 2).length, 2, 'bounded');
  });

  test('candidates: by rank (conventional place, telling name, depth), then path; the bound cuts within a rank', () => {
    const spec: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      spec[`pkg/sub_${String(29 - i).padStart(2, '0')}/mod.py`] = '';
      spec[`pkg/sub_${String(i).padStart(2, '0')}/__init__.py`] = '';
      spec[`pkg/m${i}.py`] = '';
    }
    Object.assign(spec, { 'pkg/Zed.py': '', 'pkg/élan.py': '', 'wsgi.py': '', 'app/api.py': '', 'streamlit_app.py': '', 'src/x/main.py': '', 'docs/conf.py': '', 'examples/e.py': '' });
    const { files } = tree(spec);
    const candidates = detectionCandidates(files, ['.']);
    assert.deepEqual(candidates.slice(0, 4), ['app/api.py', 'src/x/main.py', 'streamlit_app.py', 'wsgi.py']);
    // Same rank: code-unit order, as `<` sorts ('Z' before 'm', 'm' before 'é').
    const flat = candidates.filter((p) => /^pkg\/[^/]+$/.test(p));
    assert.deepEqual(flat, [...flat].sort((a, b) => (a < b ? -1 : 1)));
    assert.equal(flat[0], 'pkg/Zed.py');
    assert.equal(flat.at(-1), 'pkg/élan.py');
    assert.ok(candidates.indexOf('pkg/sub_05/__init__.py') < candidates.indexOf('pkg/m1.py'), 'a telling name outranks depth');
    assert.ok(!candidates.includes('docs/conf.py') && !candidates.includes('examples/e.py'));
    assert.equal(candidates.length, files.filter((f) => f.type === 'file').length - 2);
    for (const limit of [0, 1, 3, 10, 37, 70]) assert.deepEqual(detectionCandidates(files, ['.'], limit), candidates.slice(0, limit), `limit ${limit}`);
  });
});

describe('detection: framework detectors', () => {
  const fw = (spec: Record<string, string>, dependencies: string[] = [], extra: Record<string, unknown> = {}) =>
    detect(spec, { project: { name: 'svc', version: '1', dependencies }, ...extra });

  test('FastAPI app object, with uvicorn declared', () => {
    const d = fw({ 'app/__init__.py': '', 'app/main.py': 'from fastapi import FastAPI\n\napi = FastAPI(title="x")\n' }, ['fastapi', 'uvicorn']);
    assert.deepEqual(d.framework, { name: 'fastapi', target: 'app.main:api', server: 'uvicorn', port: 8000, file: 'app/main.py' });
    assert.deepEqual(d.command?.value, { cmd: [PY, '-m', 'uvicorn', 'app.main:api', '--host', '0.0.0.0', '--port', '8000'] });
    assert.deepEqual(d.ports, { value: ['8000/tcp'], why: 'fastapi (uvicorn)' });
    assert.deepEqual(d.commandWarnings, []);
    const src = fw({ 'src/svc/__init__.py': '', 'src/svc/server.py': 'import fastapi\napp: fastapi.FastAPI = fastapi.FastAPI()\n' }, ['fastapi']);
    assert.equal(src.framework?.target, 'svc.server:app');
    assert.match(src.commandWarnings[0]!, /uvicorn, which is not among the project's dependencies: add uvicorn \(or fastapi\[standard\]\)/);
  });

  test('FastAPI built by a factory: `app = get_application()` and `def create_app()` (uvicorn --factory)', () => {
    const called = fw(
      {
        'app/__init__.py': '',
        'app/main.py': 'from app.core.setup import get_application\n\napp = get_application()\n',
        'app/core/__init__.py': '',
        'app/core/setup.py': 'from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    application = FastAPI()\n    return application\n',
      },
      ['fastapi>=0.110', 'uvicorn'],
    );
    assert.equal(called.framework?.target, 'app.main:app');
    assert.equal(called.framework?.factory, undefined);
    const factory = fw({ 'main.py': 'from fastapi import FastAPI\n\ndef create_app():\n    app = FastAPI()\n    return app\n' }, ['fastapi', 'uvicorn']);
    assert.equal(factory.framework?.factory, true);
    assert.deepEqual(factory.command?.value, { cmd: [PY, '-m', 'uvicorn', 'main:create_app', '--factory', '--host', '0.0.0.0', '--port', '8000'] });
    const router = fw({ 'app/__init__.py': '', 'app/routes.py': 'from fastapi import APIRouter\n\napp = APIRouter()\n' }, ['fastapi']);
    assert.equal(router.framework, undefined, 'a router is not an app');
  });

  test('[tool.fastapi] entrypoint is the author\'s word', () => {
    const d = fw({ 'backend/__init__.py': '', 'backend/api.py': '' }, ['fastapi[standard]'], { tool: { fastapi: { entrypoint: 'backend.api:make' } } });
    assert.equal(d.framework?.target, 'backend.api:make');
    assert.equal(d.framework?.file, 'pyproject.toml');
    assert.deepEqual(d.commandWarnings, [], 'fastapi[standard] brings uvicorn');
  });

  test('Starlette', () => {
    const d = fw({ 'app.py': 'from starlette.applications import Starlette\n\napp = Starlette(routes=[])\n' }, ['starlette', 'uvicorn']);
    assert.equal(d.framework?.name, 'starlette');
    assert.deepEqual(d.command?.value, { cmd: [PY, '-m', 'uvicorn', 'app:app', '--host', '0.0.0.0', '--port', '8000'] });
  });

  test('Flask instance: the development server with a warning, gunicorn when declared or locked', () => {
    const spec = { 'hello.py': 'from flask import Flask\n\napp = Flask(__name__)\n' };
    const dev = fw(spec, ['flask']);
    assert.deepEqual(dev.framework, { name: 'flask', target: 'hello:app', server: 'flask', port: 5000, file: 'hello.py' });
    assert.deepEqual(dev.command?.value, { cmd: [PY, '-m', 'flask', '--app', 'hello:app', 'run', '--host', '0.0.0.0', '--port', '5000'] });
    assert.equal(dev.commandWarnings.length, 1);
    assert.match(dev.commandWarnings[0]!, /^flask app hello:app runs on Flask's development server \(flask run\), which is not meant for production: add gunicorn .* or set build\.cmd$/);
    const prod = detect({ ...spec, 'uv.lock': 'version = 1\n[[package]]\nname = "gunicorn"\n' }, { project: { name: 'svc', version: '1', dependencies: ['flask'] } });
    assert.deepEqual(prod.framework, { name: 'flask', target: 'hello:app', server: 'gunicorn', port: 8000, file: 'hello.py' });
    assert.deepEqual(prod.command?.value, { cmd: [PY, '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'hello:app'] });
    assert.deepEqual(prod.commandWarnings, []);
  });

  test("Flask's tutorial: create_app() in the flaskr package's __init__.py", () => {
    const init = [
      'import os',
      '',
      'from flask import Flask',
      '',
      '',
      'def create_app(test_config=None):',
      '    app = Flask(__name__, instance_relative_config=True)',
      '    app.config.from_mapping(SECRET_KEY="dev")',
      '    return app',
      '',
    ].join('\n');
    const d = fw({ 'flaskr/__init__.py': init, 'flaskr/db.py': 'import sqlite3\n', 'flaskr/templates/base.html': '', 'tests/conftest.py': 'from flaskr import create_app\n' }, ['flask']);
    assert.equal(d.framework?.target, 'flaskr:create_app()');
    assert.equal(d.framework?.factory, true);
    assert.deepEqual(d.command?.value, { cmd: [PY, '-m', 'flask', '--app', 'flaskr:create_app()', 'run', '--host', '0.0.0.0', '--port', '5000'] });
    const wsgi = fw({ 'flaskr/__init__.py': init, 'wsgi.py': 'from flaskr import create_app\n\napp = create_app()\n' }, ['flask']);
    assert.equal(wsgi.framework?.target, 'wsgi:app', 'a module-level app built by the factory (wsgi.py ranks before __init__.py)');
    const blueprint = fw({ 'views.py': 'from flask import Blueprint\n\napp = Blueprint("x", __name__)\n' }, ['flask']);
    assert.equal(blueprint.framework, undefined, 'a blueprint is not an app');
    const gunicorn = fw({ 'flaskr/__init__.py': init }, ['flask', 'gunicorn']);
    assert.deepEqual(gunicorn.command?.value, { cmd: [PY, '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'flaskr:create_app()'] });
  });

  test('Django from manage.py: runserver with a warning, gunicorn when locked, split settings', () => {
    const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n';
    const spec = { 'manage.py': manage, 'mysite/__init__.py': '', 'mysite/settings.py': '', 'mysite/wsgi.py': 'application = None\n', 'db.sqlite3': '' };
    const dev = fw(spec, ['django']);
    assert.deepEqual(dev.framework, { name: 'django', target: 'mysite.wsgi:application', server: 'django-runserver', port: 8000, file: 'manage.py' });
    assert.deepEqual(dev.command?.value, { cmd: [PY, 'manage.py', 'runserver', '--noreload', '0.0.0.0:8000'] });
    assert.match(dev.commandWarnings[0]!, /^django project mysite runs on manage.py runserver, Django's development server/);
    const prod = detect({ ...spec, 'requirements.txt': 'Django==5.0\ngunicorn==22.0\n' }, { project: { name: 'site1' } });
    assert.deepEqual(prod.command?.value, { cmd: [PY, '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'mysite.wsgi:application'] });
    const split = fw(
      {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n',
        'config/__init__.py': '',
        'config/wsgi.py': 'application = None\n',
        'config/settings/__init__.py': '',
        'config/settings/production.py': '',
      },
      ['django', 'gunicorn'],
    );
    assert.equal(split.framework?.target, 'config.wsgi:application');
  });

  test('Streamlit: streamlit run on 8501, listening outside the container', () => {
    const d = fw({ 'streamlit_app.py': 'import streamlit as st\n\nst.title("hi")\n', 'utils.py': '' }, ['streamlit']);
    assert.equal(d.framework?.name, 'streamlit');
    assert.deepEqual(d.command?.value, {
      cmd: [PY, '-m', 'streamlit', 'run', 'streamlit_app.py', '--server.port', '8501', '--server.address', '0.0.0.0', '--server.headless', 'true'],
    });
    assert.deepEqual(d.ports.value, ['8501/tcp']);
  });

  test('Gradio: python X.py on 7860 with GRADIO_SERVER_NAME=0.0.0.0', () => {
    const d = fw({ 'app.py': 'import gradio as gr\n\ndemo = gr.Interface(fn=str.upper, inputs="text", outputs="text")\ndemo.launch()\n' }, ['gradio']);
    assert.deepEqual(d.command?.value, { cmd: [PY, 'app.py'] });
    assert.deepEqual(d.ports.value, ['7860/tcp']);
    assert.deepEqual(d.env, { GRADIO_SERVER_NAME: '0.0.0.0' });
  });

  test('no framework in plain code, in code that only mentions one, or in tests', () => {
    assert.equal(fw({ 'main.py': 'print("hi")\n' }).framework, undefined);
    assert.equal(fw({ 'main.py': '# we might use flask some day\nx = 1\n' }).framework, undefined);
    assert.equal(fw({ 'tests/test_app.py': 'from flask import Flask\napp = Flask(__name__)\n', 'main.py': '' }).framework, undefined);
  });
});

describe('detection: the command, strongest evidence first', () => {
  const full = {
    'Procfile': 'release: python manage.py migrate\nweb: gunicorn web:app --bind 0.0.0.0:$PORT --workers 2\n',
    'web.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'pkg/__init__.py': '',
    'pkg/__main__.py': '',
    'main.py': '',
  };
  const withScript = { project: { name: 'pkg', version: '1', dependencies: ['flask', 'gunicorn'], scripts: { pkg: 'pkg.cli:main' } } };

  test('Procfile > declared web framework > console script > __main__.py > main.py', () => {
    const procfile = detect(full, withScript);
    assert.deepEqual(procfile.command, {
      value: { cmd: ['gunicorn', 'web:app', '--bind', '0.0.0.0:8000', '--workers', '2'] },
      why: 'Procfile web: gunicorn web:app --bind 0.0.0.0:$PORT --workers 2',
    });
    assert.deepEqual(procfile.env, { PORT: '8000' });
    assert.deepEqual(procfile.ports.value, ['8000/tcp']);

    const { Procfile: _p, ...noProcfile } = full;
    const web = detect(noProcfile, withScript);
    assert.deepEqual(web.command?.value, { cmd: [PY, '-m', 'gunicorn', '--bind', '0.0.0.0:8000', 'web:app'] });
    assert.deepEqual(web.env, {});

    const cli = detect(noProcfile, { project: { name: 'pkg', version: '1', scripts: { pkg: 'pkg.cli:main' } } });
    assert.deepEqual(cli.command?.value, { entrypoint: ['/app/.venv/bin/pkg'] }, 'no framework declared: the script wins over an app found in code');

    const undeclared = detect(noProcfile, { project: { name: 'pkg', version: '1' } });
    assert.equal(undeclared.framework?.name, 'flask', 'an app in code still runs when nothing else says what to run');

    const { 'web.py': _w, ...noWeb } = noProcfile;
    const main = detect(noWeb, { project: { name: 'pkg', version: '1' } });
    assert.deepEqual(main.command, { value: { cmd: [PY, '-m', 'pkg'] }, why: 'pkg/__main__.py' });
    assert.deepEqual(main.ports.value, []);

    const { 'pkg/__main__.py': _m, ...onlyMainPy } = noWeb;
    assert.deepEqual(detect(onlyMainPy, { project: { name: 'pkg', version: '1' } }).command?.value, { cmd: [PY, 'main.py'] });
    assert.deepEqual(detect({ 'app.py': 'print(1)\n' }).command?.value, { cmd: [PY, 'app.py'] });
    assert.equal(detect({ 'util.py': '' }).command, undefined);
  });

  test("uv's FastAPI example: a `hello` script beside the app, and the image runs the app", () => {
    const d = detect(
      {
        'app/__init__.py': 'def hello() -> str:\n    return "Hello from uv-fastapi-example!"\n',
        'app/main.py': 'from fastapi import Depends, FastAPI\n\nfrom .routers import items, users\n\napp = FastAPI()\n',
        'app/routers/__init__.py': '',
        'app/routers/items.py': 'from fastapi import APIRouter\n\nrouter = APIRouter()\n',
      },
      { project: { name: 'uv-fastapi-example', version: '0.1.0', dependencies: ['fastapi[standard]'], scripts: { hello: 'app:hello' } } },
    );
    assert.deepEqual(d.command?.value, { cmd: [PY, '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000'] });
    assert.equal(d.command?.why, 'fastapi app in app/main.py');
  });

  test('a CLI keeps its console script: the one named like the project, else the first', () => {
    const d = detect(
      { 'src/my_tool/__init__.py': '', 'src/my_tool/cli.py': '' },
      { project: { name: 'my-tool', version: '1', dependencies: ['click'], scripts: { helper: 'my_tool.helper:run', my_tool: 'my_tool.cli:main' } } },
    );
    assert.deepEqual(d.command, { value: { entrypoint: ['/app/.venv/bin/my_tool'] }, why: '[project.scripts] my_tool = "my_tool.cli:main"' });
    const first = detectCommand({ project: meta({ scripts: [{ name: 'b', module: 'x', attr: 'y' }, { name: 'a', module: 'x', attr: 'z' }] }), files: [], importRoots: [''], includePaths: ['.'], venv: '/v' });
    assert.deepEqual(first.command?.value, { entrypoint: ['/v/bin/b'] });
  });

  test('__main__.py: the package named like the project wins, then the shallowest', () => {
    const found = detect(
      { 'src/aaa/__init__.py': '', 'src/aaa/__main__.py': '', 'src/my_proj/__init__.py': '', 'src/my_proj/__main__.py': '' },
      { project: { name: 'My.Proj', version: '1' } },
    );
    assert.deepEqual(found.command?.value, { cmd: [PY, '-m', 'my_proj'] });
    const shallow = detect({ 'a/__init__.py': '', 'a/b/__init__.py': '', 'a/b/__main__.py': '', 'z/__init__.py': '', 'z/__main__.py': '' }, { project: { name: 'other', version: '1' } });
    assert.deepEqual(shallow.command?.value, { cmd: [PY, '-m', 'z'] });
  });

  test('Procfile lines: exec form for plain words, a shell for the rest, $PORT and ${PORT:-N}', () => {
    assert.equal(parseProcfileWeb('worker: celery -A proj worker\nweb:   uvicorn app.main:app  \n'), 'uvicorn app.main:app');
    assert.equal(parseProcfileWeb('worker: celery -A proj worker\n'), undefined);
    assert.deepEqual(procfileCommand('uvicorn app.main:app --host 0.0.0.0 --port ${PORT}'), {
      cmd: ['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000'],
      port: 8000,
      env: { PORT: '8000' },
    });
    assert.deepEqual(procfileCommand('gunicorn app:app -b 0.0.0.0:${PORT:-5000}'), { cmd: ['gunicorn', 'app:app', '-b', '0.0.0.0:5000'], port: 5000, env: { PORT: '5000' } });
    assert.deepEqual(procfileCommand('python manage.py migrate && gunicorn mysite.wsgi --log-file -'), {
      cmd: ['/bin/sh', '-c', 'python manage.py migrate && gunicorn mysite.wsgi --log-file -'],
      env: {},
    });
    assert.deepEqual(procfileCommand('gunicorn app:app --bind 0.0.0.0:5000'), { cmd: ['gunicorn', 'app:app', '--bind', '0.0.0.0:5000'], port: 5000, env: {} });
    assert.deepEqual(procfileCommand('bin/start "$APP_MODE"').cmd, ['/bin/sh', '-c', 'bin/start "$APP_MODE"']);
  });
});

describe('detection: generated version files', () => {
  const hatch = (version: string | undefined) => ({
    project: { name: 'vcs-app', ...(version ? { version } : { dynamic: ['version'] }) },
    tool: { hatch: { version: { source: 'vcs' }, build: { hooks: { vcs: { 'version-file': 'src/vcs_app/_version.py' } } } } },
  });

  test('a missing hatch-vcs version file is written from the version, in the app layer', () => {
    const d = detect({ 'src/vcs_app/__init__.py': 'from ._version import __version__\n' }, hatch(undefined), { gitDescribe: 'v1.2.0' });
    assert.equal(d.project.version, '1.2.0');
    assert.equal(d.generatedFiles.length, 1);
    assert.equal(d.generatedFiles[0]!.path, 'src/vcs_app/_version.py');
    assert.match(d.generatedFiles[0]!.content, /^__version__ = version = '1\.2\.0'$/m);
    assert.match(d.generatedFiles[0]!.content, /^__version_tuple__ = version_tuple = \(1, 2, 0\)$/m);
    assert.deepEqual(d.warnings, []);
  });

  test('present in the context, or outside include_paths: nothing generated', () => {
    assert.deepEqual(detect({ 'src/vcs_app/__init__.py': '', 'src/vcs_app/_version.py': 'x' }, hatch(undefined), { gitDescribe: 'v1' }).generatedFiles, []);
    assert.deepEqual(detect({ 'src/vcs_app/__init__.py': '', 'other.py': '' }, hatch(undefined), { gitDescribe: 'v1', includePaths: ['other.py'] }).generatedFiles, []);
  });

  test('with no version at all the file still makes imports work, and a warning names it', () => {
    const d = detect({ 'src/vcs_app/__init__.py': '' }, hatch(undefined));
    assert.equal(d.project.version, 'latest');
    assert.match(d.generatedFiles[0]!.content, /'0\.0\.0\+unknown'/);
    assert.ok(d.warnings.some((w) => w.startsWith('src/vcs_app/_version.py: hatch-vcs writes it at build time')), d.warnings.join('\n'));
  });

  test('setuptools-scm: version_file and write_to, with the project\'s template', () => {
    const d = detect(
      { 'pkg/__init__.py': '' },
      { project: { name: 'pkg', dynamic: ['version'] }, tool: { setuptools_scm: { write_to: 'pkg/version.py', write_to_template: 'VERSION = "{version}"\n' } } },
      { gitDescribe: 'v0.3.0-2-gabcdef0' },
    );
    assert.deepEqual(d.generatedFiles.map((g) => [g.path, g.content]), [['pkg/version.py', 'VERSION = "0.3.0.post2+gabcdef0"\n']]);
    assert.equal(versionTuple('0.3.0.post2+gabcdef0'), "(0, 3, 0, 'post2', 'gabcdef0')");
    assert.equal(versionTuple('7'), '(7,)');
    assert.match(renderVersionFile('1.0', 'setuptools-scm'), /setuptools-scm writes it at build time/);
    assert.deepEqual(detectVersionFiles({ tool: { setuptools_scm: { version_file: '../escape.py' } } }, [], ['.'], '1').generated, [], 'never outside the context');
  });
});

describe('ignore defaults for the whole-context app layer', () => {
  test('.env files, the plan file and pycontainer.toml stay out; code, data and config the app reads go in', () => {
    const rules = compileIgnore(ignorePatterns({}));
    for (const p of ['.env', '.env.production', 'config/.env.local', 'pycontainer.plan.json', 'sub/pycontainer.plan.json', 'pycontainer.toml', '.git/HEAD', '.venv/bin/python', 'node_modules/x/index.js']) {
      assert.ok(isIgnored(rules, p, false), `${p} should be ignored`);
    }
    for (const p of ['alembic.ini', 'scripts/seed.py', 'search.db', 'docker/uwsgi.ini', 'logs/.keep', 'pkg/pycontainer.toml', 'environment.py']) {
      assert.ok(!isIgnored(rules, p, false), `${p} should be kept`);
    }
  });
});

describe('detectProject: python version', () => {
  test('from requires-python of whichever source declares it', () => {
    assert.equal(detect({ 'setup.cfg': '[metadata]\nname = x\nversion = 1\n[options]\npython_requires = >=3.12\n' }).pythonVersion?.value, '3.12');
    assert.equal(detect({}, { tool: { poetry: { name: 'x', version: '1', dependencies: { python: '^3.11' } } } }).pythonVersion?.value, '3.11');
    assert.equal(detectPythonVersion(meta(), {}), undefined);
  });
});
describe('detection: python version', () => {
  test('satisfiesMinor', () => {
    const cases: [string, string, boolean][] = [
      ['3.11', '>=3.11', true],
      ['3.10', '>=3.11', false],
      ['3.14', '>=3.11', true],
      ['3.12', '~=3.12', true],
      ['3.13', '~=3.12', true],
      ['3.11', '~=3.12', false],
      ['3.12', '~=3.12.1', true],
      ['3.13', '~=3.12.1', false],
      ['3.13', '==3.13.*', true],
      ['3.12', '==3.13.*', false],
      ['3.11', '>=3.8,<3.12', true],
      ['3.8', '>=3.8,<3.12', true],
      ['3.12', '>=3.8,<3.12', false],
      ['3.7', '>=3.8,<3.12', false],
      ['3.11', '>= 3.8, < 3.12', true],
      ['3.12', '!=3.12.*', false],
      ['3.11', '==3.11', true],
      ['3.11', '<=3.11', true],
      ['3.12', '<=3.11', false],
      ['3.11', '>3.11', true], // 3.11.1 > 3.11
    ];
    for (const [minor, spec, want] of cases) assert.equal(satisfiesMinor(minor, spec), want, `${minor} ${spec}`);
  });

  test('detectPythonVersion picks the oldest supported minor that satisfies requires-python', () => {
    const v = (spec: string) => detectPythonVersion(meta({ requiresPython: spec }), {})?.value;
    assert.equal(v('>=3.11'), '3.11');
    assert.equal(v('>=3.8'), '3.11');
    assert.equal(v('~=3.12'), '3.12');
    assert.equal(v('==3.13.*'), '3.13');
    assert.equal(v('>=3.8,<3.12'), '3.11');
    assert.equal(v('>=3.8,<3.11'), '3.10');
    assert.equal(v('<3'), undefined);
    const found = detectPythonVersion(meta({ requiresPython: '>=3.12' }), {});
    assert.match(found!.why, />=3\.12/);
    assert.equal(detectPythonVersion(meta(), {}), undefined);
  });

  test('.python-version wins over requires-python', () => {
    assert.deepEqual(detectPythonVersion(meta({ requiresPython: '>=3.11' }), { '.python-version': '# pinned\n3.12.4\n' }), {
      value: '3.12',
      why: '.python-version says 3.12.4',
    });
    assert.equal(detectPythonVersion(meta(), { '.python-version': 'cpython-3.13.1\n' })?.value, '3.13');
    assert.equal(detectPythonVersion(meta({ requiresPython: '>=3.12' }), { '.python-version': 'pypy\n' })?.value, '3.12');
  });

});

