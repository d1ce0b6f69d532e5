// build.layers: application files cut into assets and code, dependencies into large-alone and
// name-hash groups with a cap, and what that buys: a `.py` edit changes only the code layer's diff_id,
// an upgrade only the layers holding the upgraded distribution; diff_ids of dependency layers come from
// the derived cache on a warm plan, and are the same as when built.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import type { Entry, Plan } from '../../generated/plan.js';
import { applyPlan } from '../../src/apply/apply.js';
import { BlobCache } from '../../src/cache/store.js';
import { validateConfig } from '../../src/config/validate.js';
import { contextReader } from '../../src/config/context.js';
import { sha256OfStream } from '../../src/oci/digest.js';
import { compilePlan, type CompileOptions } from '../../src/plan/compile.js';
import { layerChanges, planChanges, formatChanges } from '../../src/plan/diff.js';
import { explainPlan } from '../../src/plan/explain.js';
import { ASSET_GROUPS, assetGroupCount, bucketOf, DEFAULT_LAYERING, DEPENDENCY_GROUPS, groupDependencies, parseSize, resolveLayering, splitAppEntries, type DependencyInfo } from '../../src/plan/layers.js';
import { summarizePlan } from '../../src/plan/summary.js';
import { assembleMemberWheel } from '../../src/python/install/member-wheel.js';
import { packWheelsLayer, planWheelsLayer, wheelsLayerTar, type WheelToInstall } from '../../src/python/install/wheel.js';
import { findRepoRoot } from '../support/base-image.js';
import { tempDirs } from '../support/temp.js';

const root = findRepoRoot();
const STUB_BASE = 'oci:test/fixtures/stub-base:3.11';
const MiB = 1024 * 1024;

const tempDir = tempDirs('pycontainer-layers-');

async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
  }
}

function plan(dir: string, options: Omit<CompileOptions, 'context'> = {}): Promise<Plan> {
  return compilePlan({ env: {}, cache: null, cwd: root, ...options, context: dir, flags: { baseImage: 'scratch', ...options.flags } });
}

const PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n';

describe('build.layers settings', () => {
  test('sizes and the string and table forms', () => {
    assert.equal(parseSize('1MiB'), MiB);
    assert.equal(parseSize('1.5MB'), 1_500_000);
    assert.equal(parseSize('512 KiB'), 512 * 1024);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize(100), 100);
    assert.deepEqual(resolveLayering(undefined), DEFAULT_LAYERING);
    assert.equal(resolveLayering('single').strategy, 'single');
    assert.deepEqual(resolveLayering({ large_file: '4MiB', max: 8 }), { ...DEFAULT_LAYERING, largeFile: 4 * MiB, max: 8 });
  });

  test('the schema takes both forms and refuses a bad size, strategy or cap', () => {
    const file = { path: 'pycontainer.toml', text: '', sha256: '', data: {} };
    const ok = (layers: unknown) => validateConfig({ build: { layers } }, file as never, []).diagnostics;
    assert.deepEqual(ok('auto'), []);
    assert.deepEqual(ok({ strategy: 'single' }), []);
    assert.deepEqual(ok({ large_file: '2MiB', large_package: 10_000_000, max: 12 }), []);
    for (const bad of ['split', { large_file: 'huge' }, { max: 2 }, { max: 500 }, { biggest: 1 }]) {
      const problems = ok(bad);
      assert.ok(problems.length > 0, `${JSON.stringify(bad)} is refused`);
      assert.ok(problems.every((p) => /layers/.test(`${p.key ?? ''} ${p.message}`)), JSON.stringify(problems));
    }
  });
});

describe('application layers', () => {
  const file = (path: string, size: number, extra: Partial<Entry> = {}): Entry => ({ path, type: 'file', mode: '0644', size, source: path.replace(/^app\//, ''), ...extra });
  const entries: Entry[] = [
    { path: 'app', type: 'dir', mode: '01777' },
    { path: 'app/models', type: 'dir', mode: '0755', source: 'models', uid: 65532, gid: 65532 },
    file('app/models/weights.bin', 5 * MiB),
    file('app/main.py', 100),
    file('app/generated_big.py', 3 * MiB),
    file('app/small.json', 2000),
    { path: 'app/.venv/pyvenv.cfg', type: 'file', mode: '0644', size: 40, content: 'x'.repeat(40) },
  ];

  test('large files that are not code go below the code, with their directories as the full list has them', () => {
    const parts = splitAppEntries(entries, DEFAULT_LAYERING);
    assert.deepEqual(parts.map((p) => p.name), ['assets', 'app']);
    assert.deepEqual(parts[0]!.entries.map((e) => e.path), ['app', 'app/models', 'app/models/weights.bin']);
    assert.equal(parts[0]!.entries[1]!.uid, 65532, 'the directory keeps its owner in both layers');
    assert.deepEqual(parts[1]!.entries.map((e) => e.path), ['app', 'app/models', 'app/main.py', 'app/generated_big.py', 'app/small.json', 'app/.venv/pyvenv.cfg']);
    assert.match(parts[0]!.createdBy, /1 large project file/);
  });

  test('many large files: up to ASSET_GROUPS layers by a hash of the path; adding one changes only its group', () => {
    const many: Entry[] = [{ path: 'app', type: 'dir', mode: '01777' }, { path: 'app/data', type: 'dir', mode: '0755', source: 'data' }];
    for (let i = 0; i < 12; i++) many.push(file(`app/data/part-${i}.bin`, 2 * MiB));
    many.push(file('app/main.py', 100));
    const parts = splitAppEntries(many, DEFAULT_LAYERING);
    const groups = parts.slice(0, -1);
    assert.equal(parts.at(-1)!.name, 'app');
    assert.ok(groups.length > 1 && groups.length <= ASSET_GROUPS, `${groups.length} asset groups`);
    for (const g of groups) {
      assert.match(g.name, /^assets [1-4]$/);
      const n = Number(g.name.slice(-1)) - 1;
      const files = g.entries.filter((e) => e.type === 'file');
      assert.ok(files.every((f) => bucketOf(f.path, ASSET_GROUPS) === n), 'each file in the group its path hashes to');
      assert.deepEqual(g.entries.filter((e) => e.type === 'dir').map((e) => e.path), ['app', 'app/data'], 'with its parent directories');
      assert.match(g.createdBy, new RegExp(`group ${n + 1} of ${ASSET_GROUPS} by path hash`));
    }
    assert.deepEqual(groups.flatMap((g) => g.entries.filter((e) => e.type === 'file').map((e) => e.path)).sort(), many.filter((e) => e.path.endsWith('.bin')).map((e) => e.path).sort(), 'every large file once');
    // One more large file: every other group keeps exactly its entries (so its diff_id).
    const added = file('app/data/part-new.bin', 2 * MiB);
    const after = splitAppEntries([...many.slice(0, -1), added, many.at(-1)!], DEFAULT_LAYERING);
    const home = `assets ${bucketOf(added.path, ASSET_GROUPS) + 1}`;
    for (const g of after.slice(0, -1)) {
      if (g.name === home) continue;
      assert.deepEqual(g.entries, groups.find((x) => x.name === g.name)!.entries, `${g.name} unchanged`);
    }
    // A tight cap: fewer groups (it keeps a layer for the code and one for dependencies).
    assert.equal(splitAppEntries(many, resolveLayering({ max: 3 })).length, 2);
    assert.equal(assetGroupCount(resolveLayering({ max: 4 })), 2);
  });

  test('compile: several asset groups and the code layer, hashed two streams at a time; a failed read fails it with its own error', async () => {
    const dir = await tempDir();
    const files: Record<string, string | Buffer> = { 'pyproject.toml': PYPROJECT, 'main.py': 'print("hi")\n' };
    for (let i = 0; i < 8; i++) files[`data/part-${i}.bin`] = randomBytes(MiB + i);
    await writeTree(dir, files);
    const first = await plan(dir);
    const names = first.layers.map((l) => l.name);
    assert.ok(names.length > 2, `${names.join(', ')}: more than one asset group`);
    assert.equal(names.at(-1), 'app');
    assert.deepEqual(names.slice(0, -1), [...names.slice(0, -1)].sort(), 'asset groups in their order');
    // Each layer's diff_id is that of its entries alone, whichever stream hashed it.
    const again = await plan(dir);
    assert.deepEqual(again.layers.map((l) => l.diffId), first.layers.map((l) => l.diffId));
    for (const layer of first.layers) {
      for (const e of layer.entries.filter((x) => x.type === 'file' && x.source?.startsWith('data/'))) {
        assert.equal(e.sha256, createHash('sha256').update(files[e.source!] as Buffer).digest('hex'), e.path);
      }
    }
    // One asset file cannot be read: the compile fails with that error, not another.
    const bad = 'data/part-5.bin';
    await assert.rejects(
      plan(dir, {
        readerFor: (context) => {
          const real = contextReader(context);
          const refuse = (e: Entry) => e.source === bad;
          return {
            ...real,
            stream: (e) => (refuse(e) ? Readable.from((async function* () { throw new Error(`cannot read ${bad}`); })()) : real.stream(e)),
            chunks: (e, pool) => (refuse(e) ? (async function* () { throw new Error(`cannot read ${bad}`); })() : real.chunks!(e, pool)),
          };
        },
      }),
      new RegExp(`cannot read ${bad}`),
    );
  });

  test('"single", a higher threshold, or no large file: one app layer, as before', () => {
    for (const layering of [resolveLayering('single'), resolveLayering({ large_file: '8MiB' })]) {
      const parts = splitAppEntries(entries, layering);
      assert.deepEqual(parts.map((p) => p.name), ['app']);
      assert.equal(parts[0]!.entries, entries);
    }
  });

  test('plan: a .py edit changes only the code layer; the assets layer keeps its diff_id', async () => {
    const dir = await tempDir();
    const weights = randomBytes(2 * MiB);
    await writeTree(dir, { 'pyproject.toml': PYPROJECT, 'main.py': 'print("hi")\n', 'util.py': 'X = 1\n', 'data/weights.bin': weights, 'data/labels.txt': 'a\nb\n' });
    const before = await plan(dir);
    assert.deepEqual(before.layers.map((l) => l.name), ['assets', 'app']);
    const [assets, app] = before.layers;
    assert.deepEqual(assets!.entries.filter((e) => e.type === 'file').map((e) => e.path), ['app/data/weights.bin']);
    assert.ok(!app!.entries.some((e) => e.path === 'app/data/weights.bin'));
    assert.ok(app!.entries.some((e) => e.path === 'app/data/labels.txt'), 'small data stays with the code');
    // The image config lists both, assets first, and history says why.
    const history = before.images[0]!.config.history as { created_by?: string }[];
    assert.deepEqual(before.images[0]!.config.rootfs.diff_ids.slice(-2), [assets!.diffId, app!.diffId]);
    assert.match(history.at(-2)!.created_by!, /large project file/);

    await writeFile(join(dir, 'util.py'), 'X = 2\n');
    const after = await plan(dir);
    assert.equal(after.layers[0]!.diffId, assets!.diffId, 'assets unchanged');
    assert.notEqual(after.layers[1]!.diffId, app!.diffId, 'code layer changed');
    // Apply with a cache: the second build takes the assets layer from the cache and builds only the code.
    const cache = new BlobCache(await tempDir());
    const out = await tempDir();
    await writeFile(join(dir, 'util.py'), 'X = 1\n');
    const first = await applyPlan(before, { context: dir, output: join(out, 'a'), cache });
    assert.deepEqual(first.layers.map((l) => [l.name, l.cached]), [['assets', false], ['app', false]]);
    await writeFile(join(dir, 'util.py'), 'X = 2\n');
    const second = await applyPlan(after, { context: dir, output: join(out, 'b'), cache });
    assert.deepEqual(second.layers.map((l) => [l.name, l.cached]), [['assets', true], ['app', false]]);
    assert.deepEqual(second.layers.map((l) => l.diffId), after.layers.map((l) => l.diffId));
    const changes = planChanges(before, after);
    assert.deepEqual(changes.filter((c) => c.section === 'layers').map((c) => [c.kind, c.subject]), [['changed', 'app']]);
    assert.match(formatChanges(changes, { color: false }), /^layers:\n {2}~ app sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…/m);
    assert.match(explainPlan(after), /^build\.layers +assets, app +default$/m);

    // layers = "single": today's shape, one app layer holding everything.
    await writeFile(join(dir, 'pycontainer.toml'), '[build]\nlayers = "single"\n');
    const single = await plan(dir);
    assert.deepEqual(single.layers.map((l) => l.name), ['app']);
    assert.ok(single.layers[0]!.entries.some((e) => e.path === 'app/data/weights.bin'));
    assert.match(explainPlan(single), /^build\.layers +app +pycontainer\.toml:2$/m);
  });
});

describe('dependency grouping', () => {
  const dep = (name: string, mb: number, local = false): DependencyInfo => ({ name, version: '1.0', installedSize: mb * MiB, ...(local ? { local } : {}) });
  const small = ['attrs', 'certifi', 'click', 'idna', 'jinja2', 'markupsafe', 'packaging', 'six', 'urllib3', 'wheel'].map((n) => dep(n, 1));

  test('large ones alone, small ones by name hash, members apart, in a stable order', () => {
    const groups = groupDependencies([...small, dep('torch', 700), dep('numpy', 40), dep('mylib', 0.1, true)], DEFAULT_LAYERING, 18);
    assert.deepEqual(groups.slice(0, 2).map((g) => [g.name, g.packages]), [['deps numpy', ['numpy']], ['deps torch', ['torch']]]);
    assert.deepEqual(groups.at(-1), { name: 'deps local', why: 'workspace members mylib 1.0: apart, they change with the project', packages: ['mylib'] });
    const grouped = groups.slice(2, -1);
    assert.ok(grouped.length <= DEPENDENCY_GROUPS);
    for (const g of grouped) {
      const n = Number(/^deps group (\d)$/.exec(g.name)![1]) - 1;
      assert.ok(g.packages.every((p) => bucketOf(p, DEPENDENCY_GROUPS) === n), `${g.name} holds its hash bucket`);
      assert.deepEqual(g.packages, [...g.packages].sort());
    }
    assert.deepEqual(grouped.flatMap((g) => g.packages).sort(), small.map((d) => d.name));
    // The input order does not matter.
    assert.deepEqual(groupDependencies([...small].reverse().concat(dep('numpy', 40), dep('torch', 700), dep('mylib', 0.1, true)), DEFAULT_LAYERING, 18), groups);
  });

  test('adding or removing a small package changes only its group', () => {
    const base = groupDependencies(small, DEFAULT_LAYERING, 18);
    const added = groupDependencies([...small, dep('requests', 1)], DEFAULT_LAYERING, 18);
    const removed = groupDependencies(small.filter((d) => d.name !== 'six'), DEFAULT_LAYERING, 18);
    const differing = (a: typeof base, b: typeof base) => {
      const key = (g: (typeof base)[number]) => `${g.name}:${g.packages.join(',')}`;
      const bs = new Set(b.map(key));
      return a.filter((g) => !bs.has(key(g))).map((g) => g.name);
    };
    assert.deepEqual(differing(added, base), [`deps group ${bucketOf('requests', DEPENDENCY_GROUPS) + 1}`]);
    assert.deepEqual(differing(base, removed), [`deps group ${bucketOf('six', DEPENDENCY_GROUPS) + 1}`]);
  });

  test('the cap: the smallest large distributions join their groups first, and never more layers than the budget', () => {
    const large = Array.from({ length: 30 }, (_, i) => dep(`big${String(i).padStart(2, '0')}`, 21 + i));
    for (const budget of [1, 2, 3, 5, 10, 18]) {
      const groups = groupDependencies([...small, ...large, dep('member', 1, true)], DEFAULT_LAYERING, budget);
      assert.ok(groups.length <= budget, `${groups.length} layers for a budget of ${budget}`);
      assert.equal(groups.flatMap((g) => g.packages).length, small.length + large.length + 1, 'every package in one layer');
      const alone = groups.filter((g) => g.packages.length === 1 && g.name.startsWith('deps big')).map((g) => g.packages[0]!);
      const largest = [...large].sort((a, b) => b.installedSize - a.installedSize).slice(0, alone.length).map((d) => d.name).sort();
      assert.deepEqual(alone, largest, `budget ${budget}: the largest keep their own layers`);
    }
    // The default cap with the application's two layers: at most 20 of ours.
    const many = groupDependencies([...small, ...large], DEFAULT_LAYERING, DEFAULT_LAYERING.max - 2);
    assert.equal(many.length, DEFAULT_LAYERING.max - 2);
  });

  test('"single": one layer of everything', () => {
    const groups = groupDependencies([...small, dep('torch', 700), dep('mylib', 0.1, true)], resolveLayering('single'), 18);
    assert.deepEqual(groups.map((g) => [g.name, g.packages.length]), [['deps', 12]]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Wheels: a layer of a subset is the subset planned alone; plans with real wheels and a lock.

async function memberWheel(dir: string, name: string, version: string, files: Record<string, Buffer | string>): Promise<{ file: string; filename: string; sha256: string }> {
  const built = assembleMemberWheel(name, version, Object.entries(files).map(([archivePath, data]) => ({ archivePath, source: archivePath, data: Buffer.from(data) })));
  const file = join(dir, built.filename);
  await mkdir(dir, { recursive: true });
  await writeFile(file, built.data);
  return { file, filename: built.filename, sha256: createHash('sha256').update(built.data).digest('hex') };
}

describe('dependency layers', () => {
  test('packing part of a plan gives the bytes of that part planned alone', async () => {
    const dir = await tempDir();
    const a = await memberWheel(dir, 'alpha', '1.0', { 'alpha/__init__.py': 'A = 1\n' });
    const b = await memberWheel(dir, 'beta', '2.0', { 'beta/__init__.py': 'B = 2\n', 'beta/data.bin': randomBytes(5000) });
    const wheels: WheelToInstall[] = [
      { file: a.file, filename: a.filename, name: 'alpha', version: '1.0', requested: true },
      { file: b.file, filename: b.filename, name: 'beta', version: '2.0', requested: false },
    ];
    const target = { venv: '/app/.venv', pythonMinor: '3.11' };
    const whole = await planWheelsLayer(wheels, target);
    const part = await sha256OfStream(packWheelsLayer(whole, 0, new Set(['beta'])) as unknown as AsyncIterable<Buffer>);
    const alone = await sha256OfStream((await wheelsLayerTar([wheels[1]!], target, 0)) as unknown as AsyncIterable<Buffer>);
    assert.deepEqual(part, alone);
    const all = await sha256OfStream(packWheelsLayer(whole, 0) as unknown as AsyncIterable<Buffer>);
    assert.deepEqual(all, await sha256OfStream((await wheelsLayerTar(wheels, target, 0)) as unknown as AsyncIterable<Buffer>));
    assert.notEqual(all.hex, part.hex);
  });

  /** A project with local wheels in a pylock.toml: `big` installs 2 MiB (alone with large_package = 1MiB), the rest are small. */
  async function lockedProject(dir: string, versions: Record<string, string>, layers = '{ large_package = "1MiB" }'): Promise<void> {
    const lines = ['lock-version = "1.0"', 'created-by = "test"', ''];
    for (const [name, version] of Object.entries(versions)) {
      const files: Record<string, Buffer | string> = { [`${name}/__init__.py`]: `VERSION = "${version}"\n` };
      // Deterministic content, so the same version is the same wheel.
      if (name === 'big') files['big/blob.bin'] = Buffer.alloc(2 * MiB, version);
      const w = await memberWheel(join(dir, 'wheels'), name, version, files);
      lines.push('[[packages]]', `name = "${name}"`, `version = "${version}"`, `wheels = [{ name = "${w.filename}", path = "wheels/${w.filename}", hashes = { sha256 = "${w.sha256}" } }]`, '');
    }
    await writeTree(dir, {
      'pyproject.toml': `[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = [${Object.keys(versions).map((n) => `"${n}"`).join(', ')}]\n\n[tool.pycontainer]\nlayers = ${layers}\n`,
      'pylock.toml': lines.join('\n'),
      'main.py': 'print("hi")\n',
      '.dockerignore': 'wheels/\n',
    });
  }

  const NAMES = ['big', 'aiosignal', 'blinker', 'colorama', 'frozenlist', 'itsdangerous', 'multidict', 'yarl'];

  test('an upgrade changes only the layers holding the upgraded distribution; a warm plan takes diff_ids from the cache', async () => {
    const dir = await tempDir();
    const versions = Object.fromEntries(NAMES.map((n) => [n, '1.0']));
    await lockedProject(dir, versions);
    const cacheDir = await tempDir();
    const withCache = { flags: { baseImage: STUB_BASE }, cache: new BlobCache(cacheDir) };
    const cold = await plan(dir, withCache);
    const deps = cold.dependencies![0]!;
    assert.equal(deps.layers[0]!.name, 'deps big');
    assert.match(deps.layers[0]!.createdBy, /^pycontainer: dependency big 1\.0, 2\.\d MB installed: a layer of its own \(pylock\.toml\)$/);
    assert.ok(deps.layers.length >= 2 && deps.layers.length <= 1 + 4);
    assert.deepEqual(deps.layers.flatMap((l) => l.packages).sort(), [...NAMES].sort());
    // The image config lists every dependency layer, in order, below the app.
    assert.deepEqual(cold.images[0]!.config.rootfs.diff_ids.slice(-1 - deps.layers.length, -1), deps.layers.map((l) => l.diffId));
    assert.match(summarizePlan(cold), /^ {6}deps big +big \(tar 2\.\d MB, sha256:/m);

    // Warm: the same plan, and the derived cache was used (its entries exist), no cache: the same plan too.
    const kinds = await readdir(join(cacheDir, 'derived'));
    assert.deepEqual(kinds.sort(), ['deps-layer', 'deps-listing', 'wheel-size']);
    assert.equal((await readdir(join(cacheDir, 'derived', 'deps-layer'))).length, deps.layers.length);
    assert.deepEqual(await plan(dir, withCache), cold);
    assert.deepEqual(await plan(dir, { flags: { baseImage: STUB_BASE } }), cold, '--no-cache recomputes the same numbers');

    // A cached number that is wrong would be served: prove the warm plan reads it (so it does not rebuild).
    const [record] = await readdir(join(cacheDir, 'derived', 'deps-layer'));
    const forged = `sha256:${'e'.repeat(64)}`;
    await writeFile(join(cacheDir, 'derived', 'deps-layer', record!), JSON.stringify({ diffId: forged, size: 1 }));
    assert.ok((await plan(dir, withCache)).dependencies![0]!.layers.some((l) => l.diffId === forged), 'a warm plan takes the cached diff_id');
    await rm(join(cacheDir, 'derived'), { recursive: true });

    // Upgrade one small package: only its group's layer changes.
    const upgraded = 'multidict';
    await lockedProject(dir, { ...versions, [upgraded]: '1.1' });
    const after = await plan(dir, withCache);
    const changed = layerChanges(deps.layers, after.dependencies![0]!.layers);
    assert.equal(changed.length, 1, JSON.stringify(changed));
    assert.equal(changed[0]!.subject, `deps group ${bucketOf(upgraded, DEPENDENCY_GROUPS) + 1}`);
    const text = formatChanges(planChanges(cold, after), { color: false });
    assert.match(text, /^ {2}~ multidict 1\.0 → 1\.1$/m);
    assert.match(text, new RegExp(`^ {2}~ deps group \\d sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…`, 'm'));

    // Apply builds what the plan states, layer by layer; after the upgrade only the changed group is built.
    const blobs = new BlobCache(await tempDir());
    const out = await tempDir();
    await lockedProject(dir, versions);
    const applied = await applyPlan(cold, { context: dir, output: join(out, 'a'), cache: blobs });
    assert.deepEqual(applied.layers.filter((l) => l.name.startsWith('deps')).map((l) => [l.name, l.diffId, l.cached]), deps.layers.map((l) => [`${l.name} linux/amd64`, l.diffId, false]));
    await lockedProject(dir, { ...versions, [upgraded]: '1.1' });
    const again = await applyPlan(after, { context: dir, output: join(out, 'b'), cache: blobs });
    assert.deepEqual(
      again.layers.filter((l) => !l.cached).map((l) => l.name),
      [`${changed[0]!.subject} linux/amd64`, 'app'],
      'only the upgraded group is built, and the app layer (it holds pylock.toml, which changed)',
    );

    // Upgrade the large one: only its own layer changes.
    await lockedProject(dir, { ...versions, big: '2.0' });
    const bigUp = await plan(dir, withCache);
    assert.deepEqual(layerChanges(deps.layers, bigUp.dependencies![0]!.layers).map((c) => c.subject), ['deps big']);

    // layers = "single": one dependency layer, as before.
    await lockedProject(dir, versions, '"single"');
    const single = await plan(dir, withCache);
    assert.deepEqual(single.dependencies![0]!.layers.map((l) => [l.name, l.packages.length]), [['deps', NAMES.length]]);
    assert.equal(single.dependencies![0]!.layers[0]!.createdBy, 'pycontainer: locked dependencies in the venv (pylock.toml)');
    assert.deepEqual(single.layers.map((l) => l.name), ['app']);
  });
});
