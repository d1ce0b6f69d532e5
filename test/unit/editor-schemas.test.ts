// Editor schemas as an editor uses them: Taplo (the engine of Even Better TOML) checks a project that
// has pycontainer in node_modules, with the README's .taplo.toml recipe for pyproject.toml and the
// `#:schema` line `pycontainer init` writes. Offline: every schema is a local file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PLAN_SCHEMA_ID } from '../../src/plan/assemble.js';
import { publishedSchemaUrl } from '../../src/schemas.js';
import { PYCONTAINER_VERSION } from '../../src/version.js';
import { findRepoRoot } from '../support/base-image.js';
import { runCli } from '../support/cli.js';
import { run } from '../support/tools.js';

const root = findRepoRoot();
const taplo = join(root, 'node_modules', '.bin', 'taplo');
let tmp: string;

before(async () => {
  tmp = await mkdtemp(join(os.tmpdir(), 'pyc-taplo-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The recipe README gives for pyproject.toml (kept in step with README by the readme check below). */
const TAPLO_RECIPE = `[[rule]]
include = ["pyproject.toml"]
schema.path = "./node_modules/pycontainer/schema/pyproject.schema.json"
`;

/** A project directory with pycontainer "installed" in node_modules and the README's .taplo.toml. */
async function project(name: string, pyproject: string): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(join(dir, 'src', 'app'), { recursive: true });
  await mkdir(join(dir, 'node_modules'));
  await symlink(root, join(dir, 'node_modules', 'pycontainer'));
  await writeFile(join(dir, '.taplo.toml'), TAPLO_RECIPE);
  await writeFile(join(dir, 'pyproject.toml'), pyproject);
  await writeFile(join(dir, 'src', 'app', '__main__.py'), 'print("hi")\n');
  return dir;
}

/** `taplo check FILES` in the project, as an editor would see it (the .taplo.toml there is read). */
function taploCheck(dir: string, files: string[]) {
  return run(taplo, ['check', ...files], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, allowFail: true });
}

test('README recipe: [tool.pycontainer] is validated, the rest of pyproject.toml is not; init writes a #:schema Taplo follows', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes(TAPLO_RECIPE), 'README shows the recipe this test checks');

  const good = await project('good', '[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n\n[tool.ruff]\nline-length = 100\n\n[tool.pycontainer.build]\nbase_image = "python:3.12-slim"\nexposed_ports = [8000]\n');
  const init = await runCli(['init', '-C', good]);
  assert.equal(init.code, 0, init.stderr);
  const config = await readFile(join(good, 'pycontainer.toml'), 'utf8');
  assert.equal(config.split('\n')[0], '#:schema node_modules/pycontainer/schema/pycontainer.schema.json');
  const ok = await taploCheck(good, ['pyproject.toml', 'pycontainer.toml']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);

  const bad = await project('bad', '[project]\nname = "app"\n\n[tool.pycontainer.build]\nbase_imag = "python:3.12-slim"\n');
  const failed = await taploCheck(bad, ['pyproject.toml']);
  assert.notEqual(failed.code, 0);
  assert.match(failed.stdout + failed.stderr, /'base_imag' was unexpected/);
  assert.match(failed.stdout + failed.stderr, /pyproject\.toml:5/);
  assert.doesNotMatch(failed.stdout + failed.stderr, /'project'|'tool' were unexpected/);

  // The #:schema line init wrote is what validates pycontainer.toml (no rule names that file).
  await writeFile(join(good, 'pycontainer.toml'), config.replace(/^\[build\]$/m, '[build]\nworkdri = "/srv"'));
  const typo = await taploCheck(good, ['pycontainer.toml']);
  assert.notEqual(typo.code, 0);
  assert.match(typo.stdout + typo.stderr, /'workdri' was unexpected/);
});

test('schema URLs name the published package (npm CDN), not an invented domain', async () => {
  assert.equal(PLAN_SCHEMA_ID, `https://unpkg.com/pycontainer@${PYCONTAINER_VERSION}/schema/plan.schema.json`);
  assert.equal(publishedSchemaUrl('pycontainer'), `https://unpkg.com/pycontainer@${PYCONTAINER_VERSION}/schema/pycontainer.schema.json`);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string; files: string[] };
  assert.equal(pkg.name, 'pycontainer');
  assert.ok(pkg.files.includes('schema'), 'the npm package ships schema/, which the CDN serves');
  for (const name of ['pycontainer', 'plan', 'pyproject-project', 'pyproject']) {
    const schema = JSON.parse(await readFile(join(root, 'schema', `${name}.schema.json`), 'utf8')) as { $id: string };
    assert.equal(schema.$id, `https://unpkg.com/pycontainer/schema/${name}.schema.json`);
  }
  // The pyproject wrapper is generated from the configuration schema and must not drift from it.
  execFileSync(process.execPath, [join(root, 'scripts', 'pyproject-schema.mjs'), '--check'], { stdio: 'pipe' });
});
