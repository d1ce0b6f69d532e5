// compile_bytecode: the application's and the dependencies' .py files get unchecked-hash .pyc files
// that the image's Python loads (python -v says "code object from <pyc>" only for a cached module it
// did not compile), with the in-image path as co_filename; two builds give the same layers.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ensureBaseImage, findRepoRoot } from '../support/base-image.js';
import { runImage } from '../support/run-image.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { ensureDebianWheels } from '../support/wheels.js';
import { findHostInterpreter } from '../../src/python/bytecode.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-bytecode-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function pyc(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run('node', [cli, ...args], { env: { ...process.env, SOURCE_DATE_EPOCH: '', ...env }, allowFail: true });
}

const PROBE = `import sys, importlib.util, os
import mod, wheel
print("flag", sys.flags.dont_write_bytecode)
for m in (mod, wheel):
    print("cached", m.__spec__.cached, os.path.exists(m.__spec__.cached), importlib.util.cache_from_source(m.__file__) == m.__spec__.cached)
print("filename", mod.hello.__code__.co_filename)
`;

test('a compile_bytecode build: its .pyc files are loaded, carry image paths and are the same in two builds', async (t: TestContext) => {
  if (!needTools(t, ['umoci', 'runc', 'skopeo'], { root: true })) return;
  if (!findHostInterpreter('3.11')) return t.skip('no python3.11 on this machine');
  const base = await ensureBaseImage('plain');
  const wheel = (await ensureDebianWheels()).find((w) => w.name === 'wheel')!;
  const dir = path.join(tmp, 'app');
  await mkdir(path.join(dir, 'wheels'), { recursive: true });
  await cp(wheel.path, path.join(dir, 'wheels', wheel.filename));
  await writeFile(path.join(dir, 'pyproject.toml'), `[project]\nname = "bc-app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = ["wheel"]\n\n[tool.pycontainer]\ncompile_bytecode = true\ncmd = ["python", "probe.py"]\n`);
  await writeFile(path.join(dir, 'pylock.toml'), ['lock-version = "1.0"', 'created-by = "pycontainer tests"', '', '[[packages]]', `name = "wheel"`, `version = "${wheel.version}"`, `wheels = [{ name = "${wheel.filename}", path = "wheels/${wheel.filename}", size = ${wheel.size}, hashes = { sha256 = "${wheel.sha256}" } }]`, ''].join('\n'));
  await writeFile(path.join(dir, 'mod.py'), 'def hello():\n    return {"a", "b", "c"}\n');
  await writeFile(path.join(dir, 'probe.py'), PROBE);
  await writeFile(path.join(dir, 'broken.py'), 'print "python 2"\n');

  // 1: `plan` then `apply` of the committed plan with no cache (it compiles again); 2: `build` in one
  // process with no cache (plan compiles, apply takes the .pyc files from build's scratch store).
  const planFile = path.join(tmp, 'plan1.json');
  const cache1 = path.join(tmp, 'cache1');
  const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '-o', planFile], { XDG_CACHE_HOME: cache1 });
  assert.equal(planned.code, 0, planned.stderr);
  assert.match(planned.stderr, /broken\.py does not compile \(SyntaxError/);
  const applied = await pyc(['apply', planFile, '-C', dir, '-o', path.join(tmp, 'image1'), '--no-cache']);
  assert.equal(applied.code, 0, applied.stderr);
  const built = await pyc(['build', '-C', dir, '--base-image', base.ref, '-o', path.join(tmp, 'image2'), '--no-cache']);
  assert.equal(built.code, 0, built.stderr);
  const manifests: string[] = [];
  for (const n of [1, 2]) manifests.push(JSON.parse(await readFile(path.join(tmp, `image${n}`, 'index.json'), 'utf8')).manifests[0].digest);
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
  assert.equal(plan.python.bytecode?.cacheTag, 'cpython-311');
  assert.match(plan.python.bytecode!.compiler, /^3\.11\.\d+$/);
  const app = plan.layers.flatMap((l) => l.entries);
  assert.deepEqual(app.find((e) => e.path === 'app/__pycache__/mod.cpython-311.pyc')?.bytecodeOf, 'app/mod.py');
  assert.equal(app.find((e) => e.path === 'app/__pycache__/broken.cpython-311.pyc'), undefined, 'a file that does not compile has no .pyc');
  // Compiled in two ways from scratch: the same layers, config and manifest.
  assert.equal(manifests[0], manifests[1]);

  // What `plan` compiled is in its cache, where apply takes it from: a damaged entry is caught by the
  // plan's digests, not shipped.
  const kept: string[] = [];
  for (const shard of await readdir(path.join(cache1, 'pycontainer', 'bytecode'))) {
    for (const f of await readdir(path.join(cache1, 'pycontainer', 'bytecode', shard))) kept.push(path.join(cache1, 'pycontainer', 'bytecode', shard, f));
  }
  assert.ok(kept.length > 2, `plan kept its .pyc files (${kept.length})`);
  for (const f of kept) await appendFile(f, '# damaged');
  const damaged = await pyc(['apply', planFile, '-C', dir, '-o', path.join(tmp, 'image3')], { XDG_CACHE_HOME: cache1 });
  assert.notEqual(damaged.code, 0);
  assert.match(damaged.stderr, /app\/__pycache__\/mod\.cpython-311\.pyc: compiled bytecode differs from the plan/);

  const out = await runImage(path.join(tmp, 'image1'), '1.0.0', { args: ['python', '-v', 'probe.py'] });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^flag 1$/m);
  assert.match(out.stdout, /^cached \/app\/__pycache__\/mod\.cpython-311\.pyc True True$/m);
  assert.match(out.stdout, /^cached \/app\/\.venv\/lib\/python3\.11\/site-packages\/wheel\/__pycache__\/__init__\.cpython-311\.pyc True True$/m);
  assert.match(out.stdout, /^filename \/app\/mod\.py$/m);
  // -v names the .pyc a module's code object was read from; it says nothing like it for a compiled source.
  assert.match(out.stderr, /# code object from '\/app\/__pycache__\/mod\.cpython-311\.pyc'/);
  assert.match(out.stderr, /# code object from '\/app\/\.venv\/lib\/python3\.11\/site-packages\/wheel\/__pycache__\/__init__\.cpython-311\.pyc'/);
});
