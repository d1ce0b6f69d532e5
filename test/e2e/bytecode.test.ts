// compile_bytecode: the application's and the dependencies' .py files get unchecked-hash .pyc files
// that the image's Python loads (python -v says "code object from <pyc>" only for a cached module it
// did not compile), with the in-image path as co_filename; two builds give the same layers.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

  const plans: Plan[] = [];
  const manifests: string[] = [];
  for (const n of [1, 2]) {
    const layout = path.join(tmp, `image${n}`);
    const planFile = path.join(tmp, `plan${n}.json`);
    // A cache of its own each time: the second build compiles everything again.
    const planned = await pyc(['plan', '-C', dir, '--base-image', base.ref, '-o', planFile], { XDG_CACHE_HOME: path.join(tmp, `cache${n}`) });
    assert.equal(planned.code, 0, planned.stderr);
    if (n === 1) assert.match(planned.stderr, /broken\.py does not compile \(SyntaxError/);
    const applied = await pyc(['apply', planFile, '-C', dir, '-o', layout, '--no-cache']);
    assert.equal(applied.code, 0, applied.stderr);
    plans.push(JSON.parse(await readFile(planFile, 'utf8')) as Plan);
    manifests.push(JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')).manifests[0].digest);
  }
  const [plan] = plans as [Plan];
  assert.equal(plan.python.bytecode?.cacheTag, 'cpython-311');
  assert.match(plan.python.bytecode!.compiler, /^3\.11\.\d+$/);
  const app = plan.layers.flatMap((l) => l.entries);
  assert.deepEqual(app.find((e) => e.path === 'app/__pycache__/mod.cpython-311.pyc')?.bytecodeOf, 'app/mod.py');
  assert.equal(app.find((e) => e.path === 'app/__pycache__/broken.cpython-311.pyc'), undefined, 'a file that does not compile has no .pyc');
  // Built twice from scratch (no cache): the same layers, config and manifest.
  assert.deepEqual(plans[1]!.images[0]!.config.rootfs, plan.images[0]!.config.rootfs);
  assert.equal(manifests[0], manifests[1]);

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
