// The plan memo (src/plan/memo.ts): a compile whose inputs are all unchanged returns the plan it
// memoized; any change to an input gives exactly the plan a compile without the memo gives.
//
// A hit is observed by marking the stored plan (a field no compile writes): a compile that returns the
// mark took the memo. After each change, the plan must carry no mark and equal a fresh compile's.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from '../../generated/plan.js';
import { BlobCache } from '../../src/cache/store.js';
import { compileProject, type CompileOptions } from '../../src/plan/compile.js';
import { jsonPieces, serializePlan } from '../../src/plan/file.js';
import { findRepoRoot } from '../support/base-image.js';
import { memoReason } from '../../src/plan/memo.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-memo-');

/** Longer than the memo's clock margin: files written before this are not racy for a compile after. */
const SETTLE_MS = 120;

const MARK = '"memoMark": true, ';

interface Setup {
  outer: string;
  context: string;
  cacheRoot: string;
}

async function project(): Promise<Setup> {
  const outer = await tempDir();
  const context = path.join(outer, 'app');
  await mkdir(path.join(context, 'src', 'app'), { recursive: true });
  await writeFile(path.join(context, 'pyproject.toml'), '[project]\nname = "app"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n\n[project.scripts]\napp = "app.cli:main"\n');
  await writeFile(path.join(context, 'src', 'app', '__init__.py'), '');
  await writeFile(path.join(context, 'src', 'app', 'cli.py'), 'def main():\n    print("hello")\n');
  await writeFile(path.join(context, 'src', 'app', 'data.txt'), 'one\n');
  await sleep(SETTLE_MS);
  return { outer, context, cacheRoot: path.join(outer, 'cache') };
}

function options(s: Setup, extra: Partial<CompileOptions> = {}): CompileOptions {
  return { context: s.context, env: { HOME: s.outer }, cache: new BlobCache(s.cacheRoot), flags: { baseImage: 'scratch' }, ...extra };
}

/** A compile with the memo, and whether it returned a marked (memoized) plan. */
async function compileMemo(s: Setup, extra: Partial<CompileOptions> = {}): Promise<{ plan: Plan; hit: boolean }> {
  const { plan } = await compileProject(options(s, extra));
  const marked = (plan as unknown as { memoMark?: boolean }).memoMark === true;
  return { plan, hit: marked };
}

/** The plan a compile without any cache gives: the truth the memo must match. */
async function compileFresh(s: Setup, extra: Partial<CompileOptions> = {}): Promise<Plan> {
  return (await compileProject({ ...options(s, extra), cache: null })).plan;
}

/** Marks every stored memo's plan, so that a compile that takes one is seen to. */
async function markMemos(s: Setup): Promise<number> {
  const dir = path.join(s.cacheRoot, 'derived', 'plan-memo');
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.json'));
  for (const n of names) {
    const file = path.join(dir, n);
    const text = await readFile(file, 'utf8');
    const nl = text.indexOf('\n');
    if (text.slice(nl + 1).startsWith(`{${MARK}`)) continue;
    await writeFile(file, `${text.slice(0, nl + 1)}{${MARK}${text.slice(nl + 2)}`);
  }
  return names.length;
}

/** Compiles (storing a memo), marks it, and checks that the next compile takes it. */
async function memoized(s: Setup, extra: Partial<CompileOptions> = {}): Promise<void> {
  await compileMemo(s, extra);
  assert.ok((await markMemos(s)) > 0, 'a memo was stored');
  assert.equal((await compileMemo(s, extra)).hit, true, 'nothing changed: the memo is taken');
}

/** After a change: no memo taken, and the plan is a fresh compile's, byte for byte. */
async function assertRecompiled(s: Setup, what: string, extra: Partial<CompileOptions> = {}): Promise<Plan> {
  const { plan, hit } = await compileMemo(s, extra);
  assert.equal(hit, false, `${what}: the memo must not be taken`);
  assert.equal(serializePlan(plan), serializePlan(await compileFresh(s, extra)), `${what}: the plan is a fresh compile's`);
  return plan;
}

test('plan memo: an unchanged project gives the memoized plan, byte for byte what a fresh compile gives', async () => {
  const s = await project();
  const first = await compileMemo(s);
  assert.equal(first.hit, false);
  const again = await compileProject(options(s));
  assert.equal(again.planText, undefined, 'kept as JSON.stringify gives it: no file form to offer');
  assert.equal(serializePlan(again.plan), serializePlan(await compileFresh(s)));
  await markMemos(s);
  assert.equal((await compileMemo(s)).hit, true);

  // A caller that writes the plan out (plan -o) has it kept, and given back, in the file form.
  const written = await compileProject(options(s, { planText: true, flags: { baseImage: 'scratch', workdir: '/app' } }));
  assert.equal(written.planText, serializePlan(written.plan));
  assert.equal(written.planText, serializePlan(await compileFresh(s, { flags: { baseImage: 'scratch', workdir: '/app' } })));
  await markMemos(s);
  const reread = await compileProject(options(s, { planText: true, flags: { baseImage: 'scratch', workdir: '/app' } }));
  assert.equal(reread.planText, written.planText!.replace('{', `{${MARK}`), 'a memoized plan comes with its text, as stored');
});

test('plan memo: every kind of change to the context is noticed', async () => {
  const s = await project();
  const file = path.join(s.context, 'src', 'app', 'cli.py');
  const changes: [string, () => Promise<void>][] = [
    [
      'a same-size edit with the mtime put back',
      async () => {
        const ref = `${file}.ref`;
        execFileSync('touch', ['-r', file, ref]);
        await writeFile(file, 'def main():\n    print("howdy")\n'.slice(0, (await lstat(file)).size));
        execFileSync('touch', ['-m', '-r', ref, file]);
        await rm(ref);
      },
    ],
    ['a new file in a subdirectory', () => writeFile(path.join(s.context, 'src', 'app', 'extra.py'), 'X = 1\n')],
    ['a file removed', () => rm(path.join(s.context, 'src', 'app', 'data.txt'))],
    ['a file renamed', () => rename(path.join(s.context, 'src', 'app', 'extra.py'), path.join(s.context, 'src', 'app', 'more.py'))],
    ['a chmod', () => chmod(file, 0o755)],
    ['a symlink added', () => symlink('cli.py', path.join(s.context, 'src', 'app', 'link.py'))],
    [
      'a symlink retargeted',
      async () => {
        await rm(path.join(s.context, 'src', 'app', 'link.py'));
        await symlink('__init__.py', path.join(s.context, 'src', 'app', 'link.py'));
      },
    ],
    ['pyproject.toml edited', () => writeFile(path.join(s.context, 'pyproject.toml'), '[project]\nname = "app"\nversion = "1.0.1"\nrequires-python = ">=3.11"\n\n[project.scripts]\napp = "app.cli:main"\n')],
    ['a .dockerignore added', () => writeFile(path.join(s.context, '.dockerignore'), 'src/app/data.txt\n')],
    ['a pycontainer.toml added', () => writeFile(path.join(s.context, 'pycontainer.toml'), '[build]\nworkdir = "/srv"\n')],
  ];
  await memoized(s);
  for (const [what, change] of changes) {
    await change();
    await sleep(SETTLE_MS);
    await assertRecompiled(s, what);
    await markMemos(s);
    assert.equal((await compileMemo(s)).hit, true, `after "${what}", the new plan is memoized`);
  }
});

test('plan memo: flags, options and the environment are part of the key', async () => {
  const s = await project();
  await memoized(s);
  await assertRecompiled(s, 'SOURCE_DATE_EPOCH set', { env: { HOME: s.outer, SOURCE_DATE_EPOCH: '1700000000' } });
  await assertRecompiled(s, 'another flag', { flags: { baseImage: 'scratch', workdir: '/srv' } });
  // `plan -o FILE` offers FILE's plan as pins; a scratch (or digest) base does not read them, so a
  // refreshed plan takes the memo (a base kept by its pins compares them: the e2e of plan --write).
  await compileMemo(s);
  await markMemos(s);
  const offered = { pins: await compileFresh(s) };
  const refreshed = await compileMemo(s, offered);
  assert.equal(refreshed.hit, true, 'pins a scratch base does not read do not matter');
  // Each flag set has a memo of its own (plan and build --push of one project do not evict each other);
  // the environment and the options share their flag set's.
  await compileMemo(s);
  await markMemos(s);
  assert.equal((await compileMemo(s)).hit, true);
  assert.equal((await compileMemo(s, { flags: { baseImage: 'scratch', workdir: '/srv' } })).hit, true);
});

test('plan memo: a workspace root appearing above the context, and its lock changing, are noticed', async () => {
  const s = await project();
  const before = (await compileFresh(s)).inputs;
  await memoized(s);
  await writeFile(path.join(s.outer, 'pyproject.toml'), '[project]\nname = "ws"\nversion = "0.0.0"\n\n[tool.uv.workspace]\nmembers = ["app"]\n');
  const lock = (extra: string) =>
    `version = 1\nrevision = 2\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["app", "ws"]\n\n[[package]]\nname = "app"\nversion = "1.0.0"\nsource = { editable = "app" }\n\n[[package]]\nname = "ws"\nversion = "0.0.0"\nsource = { virtual = "." }\n${extra}`;
  await writeFile(path.join(s.outer, 'uv.lock'), lock(''));
  await sleep(SETTLE_MS);
  const plan = await assertRecompiled(s, 'a uv workspace root above');
  assert.notDeepEqual(plan.inputs, before, 'the workspace lock is an input now');
  assert.ok(plan.inputs.some((i) => i.path === '../uv.lock'));
  await markMemos(s);
  assert.equal((await compileMemo(s)).hit, true, 'the workspace project is memoized too');
  await writeFile(path.join(s.outer, 'uv.lock'), lock('\n'));
  await sleep(SETTLE_MS);
  await assertRecompiled(s, 'the workspace lock edited');
});

test('plan memo: a file changed within the clock margin of the compile (racy) is never trusted', async () => {
  const s = await project();
  // A modification time in the future stands for "changed after the memo's compile began".
  const future = new Date(Date.now() + 60_000);
  await utimes(path.join(s.context, 'src', 'app', 'data.txt'), future, future);
  await sleep(SETTLE_MS);
  await compileMemo(s);
  assert.ok((await markMemos(s)) > 0);
  assert.equal((await compileMemo(s)).hit, false, 'a racy file: compiled again');
});

test('plan memo: a compile that ran git, or read files the key does not cover, is not memoized', async () => {
  const s = await project();
  await writeFile(path.join(s.context, 'pyproject.toml'), '[project]\nname = "app"\ndynamic = ["version"]\nrequires-python = ">=3.11"\n\n[build-system]\nrequires = ["setuptools", "setuptools-scm"]\nbuild-backend = "setuptools.build_meta"\n\n[tool.setuptools_scm]\n');
  await sleep(SETTLE_MS);
  await compileMemo(s);
  assert.equal(await markMemos(s), 0, 'a version from git is not memoized');

  const plan = await compileFresh(await project());
  const lockLayer = (lock: string, pkg: Partial<Plan['dependencies'] extends (infer D)[] | undefined ? D : never>['packages']) =>
    ({ ...plan, dependencies: [{ platform: 'linux/amd64', lock, source: 'lock', target: { python: '3.12', libc: 'glibc 2.36', tag: 'manylinux' }, mtime: 0, packages: pkg, layers: [] }] }) as Plan;
  const wheel = { name: 'idna', version: '3.10', filename: 'idna-3.10-py3-none-any.whl', sha256: 'a'.repeat(64), size: 1, requested: true };
  const did = { ranGit: false, baseFromNetworkOrLayout: false, bytecode: false, clock: false };
  assert.equal(memoReason(plan, did), undefined);
  assert.equal(memoReason(lockLayer('uv.lock', [{ ...wheel, url: 'https://files.example/idna-3.10-py3-none-any.whl' }]), did), undefined, 'wheels by URL and digest');
  assert.match(memoReason(lockLayer('uv.lock', [{ ...wheel, path: 'wheels/idna-3.10-py3-none-any.whl' }]), did)!, /local files/);
  assert.match(memoReason(lockLayer('poetry.lock', [{ ...wheel, url: 'https://files.example/x.whl' }]), did)!, /does not pin/);
  assert.match(memoReason({ ...lockLayer('requirements.txt', []), dependencies: [{ ...lockLayer('requirements.txt', []).dependencies![0]!, source: 'resolved' }] }, did)!, /resolved/);
  assert.match(memoReason(plan, { ...did, baseFromNetworkOrLayout: true })!, /base image/);
  assert.match(memoReason(plan, { ...did, bytecode: true })!, /compile_bytecode/);
  assert.match(memoReason(plan, { ...did, clock: true })!, /reproducible/);
});

test('plan memo: no cache, a dry run or a damaged memo stores or takes nothing', async () => {
  const s = await project();
  await compileProject({ ...options(s), dryRun: true });
  assert.equal(await markMemos(s), 0, 'a dry run writes no memo');
  await memoized(s);
  const dir = path.join(s.cacheRoot, 'derived', 'plan-memo');
  for (const n of await readdir(dir)) {
    const file = path.join(dir, n);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.length - 100));
  }
  const { plan, hit } = await compileMemo(s);
  assert.equal(hit, false, 'a truncated memo is a miss');
  assert.equal(serializePlan(plan), serializePlan(await compileFresh(s)));
});

test('a memo is written piecewise: jsonPieces gives JSON.stringify text, byte for byte', async () => {
  // Every example's golden plan (layers, entries, images, configs), and the shapes JSON.stringify treats
  // specially: undefined, functions and symbols dropped from objects and null in arrays, NaN and
  // infinities as null, a toJSON method, empty containers, non-ASCII and escaped strings.
  const samples: unknown[] = [];
  for (const name of await readdir(path.join(findRepoRoot(), 'examples'))) {
    samples.push(JSON.parse(await readFile(path.join(findRepoRoot(), 'examples', name, 'plan.json'), 'utf8')));
  }
  samples.push(
    { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t'), NaN, -Infinity, null], e: {}, f: [], g: { h: [{}], i: 'é\u2028"\\\n' } },
    [[], [[1, { j: new Date(0) }]], { k: { toJSON: () => 'custom' } }],
    'text',
    7,
    null,
  );
  for (const sample of samples) assert.equal([...jsonPieces(sample)].join(''), JSON.stringify(sample));
  // An entry (an object of primitives) is one piece: the pieces stay few and small.
  const plan = samples[0] as Plan;
  const pieces = [...jsonPieces(plan)];
  const entries = plan.layers.reduce((n, l) => n + l.entries.length, 0);
  assert.ok(pieces.length > entries, 'walked down to the entries');
  assert.ok(Math.max(...pieces.map((p) => p.length)) < JSON.stringify(plan.layers[0]!.entries).length, 'no piece holds a whole layer');
});
