import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { parseRequirement } from '../../src/python/locks/model.js';
import { evaluateMarker, targetEnvironment, type MarkerEnvironment } from '../../src/python/markers.js';
import { resolve } from '../../src/python/resolve/resolver.js';
import type { ResolveOptions, Resolution } from '../../src/python/resolve/types.js';
import { normalizeName } from '../../src/python/tags.js';
import { satisfies } from '../../src/python/version.js';
import { MemoryIndex, type MemoryPackages } from '../support/memory-index.js';

const amd64 = targetEnvironment('3.11.4', 'amd64');
const arm64 = targetEnvironment('3.11.4', 'arm64');

function roots(...lines: string[]): ResolveOptions['roots'] {
  return lines.map((requirement, i) => ({ requirement, source: `requirements.txt:${i + 1}` }));
}

function options(rootLines: string[], extra: Partial<ResolveOptions> = {}): ResolveOptions {
  return { roots: roots(...rootLines), env: amd64, pythonVersion: '3.11.4', ...extra };
}

/** name → version of a resolution. */
function pins(r: Resolution): Record<string, string> {
  return Object.fromEntries(r.packages.map((p) => [p.name, p.version]));
}

/**
 * Checks a resolution against the index independently of the resolver: every root and every applicable
 * Requires-Dist of every chosen version (extras included) is met by the chosen versions.
 */
function assertConsistent(index: MemoryPackages, opts: ResolveOptions, r: Resolution): void {
  const chosen = new Map(r.packages.map((p) => [p.name, p]));
  const check = (line: string, env: MarkerEnvironment, extras: string[], who: string): void => {
    const req = parseRequirement(line);
    if (req.marker !== undefined && !evaluateMarker(req.marker, env, extras)) return;
    const got = chosen.get(req.name);
    assert.ok(got, `${who} needs ${line} but ${req.name} is not in the resolution`);
    assert.ok(satisfies(got.version, req.specifier, { prereleases: true }), `${who} needs ${line}, got ${got.version}`);
    for (const e of req.extras) assert.ok(got.extras.includes(e), `${who} needs extra ${e} of ${req.name}`);
  };
  for (const root of opts.roots) check(root.requirement, opts.env, [], root.source);
  for (const p of r.packages) {
    const entry = Object.entries(index).find(([name]) => normalizeName(name) === p.name)?.[1];
    const release = entry?.[p.version];
    assert.ok(release !== undefined, `${p.name} ${p.version} is not on the index`);
    const deps = Array.isArray(release) ? release : (release.requiresDist ?? []);
    for (const line of deps) {
      if (parseRequirement(line).name === p.name) continue;
      check(line, opts.env, p.extras, `${p.name} ${p.version}`);
    }
  }
}

async function resolveChecked(index: MemoryPackages, opts: ResolveOptions): Promise<Resolution> {
  const r = await resolve(new MemoryIndex(index), opts);
  assertConsistent(index, opts, r);
  return r;
}

async function resolutionError(index: MemoryPackages, opts: ResolveOptions): Promise<ConfigError> {
  try {
    const r = await resolve(new MemoryIndex(index), opts);
    assert.fail(`expected a resolution error, got ${JSON.stringify(pins(r))}`);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
}

test('diamond: two parents narrow a shared dependency to the newest version both accept', async () => {
  const index: MemoryPackages = {
    a: { '1.0': ['c>=1.5'] },
    b: { '1.0': ['c<3'] },
    c: { '1.0': [], '2.0': [], '3.0': [] },
  };
  const opts = options(['a', 'b']);
  const r = await resolveChecked(index, opts);
  assert.deepEqual(r.packages, [
    { name: 'a', version: '1.0', extras: [], requiredBy: ['requirements.txt:1'] },
    { name: 'b', version: '1.0', extras: [], requiredBy: ['requirements.txt:2'] },
    { name: 'c', version: '2.0', extras: [], requiredBy: ['a', 'b'] },
  ]);
});

test('a conflict found below a decision backjumps to that decision and tries an older version', async () => {
  // a is decided first (fewer versions than b): a 2.0 pulls c, whose e<2 clashes with every b.
  const index: MemoryPackages = {
    a: { '1.0': [], '2.0': ['c'] },
    b: { '1.0': ['e>=2'], '2.0': ['e>=2'], '3.0': ['e>=2'] },
    c: { '1.0': ['e<2'] },
    e: { '1.0': [], '2.0': [], '2.1': [] },
  };
  const opts = options(['a', 'b']);
  const provider = new MemoryIndex(index);
  const r = await resolve(provider, opts);
  assertConsistent(index, opts, r);
  assert.deepEqual(pins(r), { a: '1.0', b: '3.0', e: '2.1' });
  assert.ok(provider.metadataCalls.includes('a==2.0'), 'a 2.0 was tried first');
});

test('extras add their dependencies; extras from different parents give one version with the union', async () => {
  const index: MemoryPackages = {
    web: {
      '1.0': ['core', 'socks; extra == "proxy"'],
      '2.0': ['core', 'socks; extra == "proxy"', 'brotli>=1; extra == "speed"', 'never; extra == "unused"'],
    },
    core: { '1.0': [] },
    socks: { '1.0': [] },
    brotli: { '1.0': [], '1.1': [] },
    never: { '1.0': [] },
    tool: { '1.0': ['web[speed]>=1'] },
  };
  const one = await resolveChecked(index, options(['web[proxy]']));
  assert.deepEqual(pins(one), { core: '1.0', socks: '1.0', web: '2.0' });
  assert.deepEqual(one.packages.find((p) => p.name === 'web')?.extras, ['proxy']);

  const both = await resolveChecked(index, options(['web[proxy]', 'tool']));
  assert.deepEqual(pins(both), { brotli: '1.1', core: '1.0', socks: '1.0', tool: '1.0', web: '2.0' });
  const web = both.packages.find((p) => p.name === 'web')!;
  assert.deepEqual(web.extras, ['proxy', 'speed']);
  assert.deepEqual(web.requiredBy, ['requirements.txt:1', 'tool']);
  assert.deepEqual(both.packages.find((p) => p.name === 'brotli')?.requiredBy, ['web']);
});

test('real Requires-Dist lines: extras spelled differently, markers that combine extra with the platform', async () => {
  // As requests 2.32.3 and uvicorn 0.30 state them in their METADATA.
  const index: MemoryPackages = {
    requests: {
      '2.32.3': [
        'charset-normalizer<4,>=2',
        'idna<4,>=2.5',
        'urllib3<3,>=1.21.1',
        'certifi>=2017.4.17',
        'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
        'chardet<6,>=3.0.2; extra == "use-chardet-on-py3"',
      ],
    },
    'charset-normalizer': { '3.3.2': [] },
    idna: { '3.7': [], '3.8': [] },
    urllib3: { '1.26.19': [], '2.2.2': [] },
    certifi: { '2024.7.4': [] },
    pysocks: { '1.5.7': [], '1.7.1': [] },
    chardet: { '5.2.0': [] },
    uvicorn: {
      '0.30.1': [
        'click>=7.0',
        'h11>=0.8',
        'uvloop!=0.15.0,!=0.15.1,>=0.14.0; (sys_platform != "win32" and (sys_platform != "cygwin" and platform_python_implementation != "PyPy")) and extra == "standard"',
        'colorama>=0.4; sys_platform == "win32" and extra == "standard"',
      ],
    },
    click: { '8.1.7': [] },
    h11: { '0.14.0': [] },
    uvloop: { '0.15.1': [], '0.19.0': [] },
    colorama: { '0.4.6': [] },
  };
  const opts = options(['requests[SOCKS,use_chardet_on_py3]>=2.31', 'uvicorn[standard]', 'urllib3<2']);
  const r = await resolveChecked(index, opts);
  assert.deepEqual(pins(r), {
    certifi: '2024.7.4',
    chardet: '5.2.0',
    'charset-normalizer': '3.3.2',
    click: '8.1.7',
    h11: '0.14.0',
    idna: '3.8',
    pysocks: '1.7.1',
    requests: '2.32.3',
    urllib3: '1.26.19',
    uvicorn: '0.30.1',
    uvloop: '0.19.0',
  });
  assert.deepEqual(r.packages.find((p) => p.name === 'requests')?.extras, ['socks', 'use-chardet-on-py3']);
  assert.deepEqual(r.packages.find((p) => p.name === 'urllib3')?.requiredBy, ['requests', 'requirements.txt:3']);
});

test('markers are evaluated for the target: a dependency for x86_64 is dropped on an arm64 target', async () => {
  const index: MemoryPackages = {
    app: { '1.0': ['fastjson; platform_machine == "x86_64"', 'winonly; sys_platform == "win32"', 'old; python_version < "3.8"', 'new; python_version >= "3.10"'] },
    fastjson: { '1.0': [] },
    winonly: { '1.0': [] },
    old: { '1.0': [] },
    new: { '1.0': [] },
    hostonly: { '1.0': [] },
  };
  const onAmd = await resolveChecked(index, options(['app', 'hostonly; platform_machine == "x86_64"']));
  assert.deepEqual(Object.keys(pins(onAmd)), ['app', 'fastjson', 'hostonly', 'new']);
  const armOpts = options(['app', 'hostonly; platform_machine == "x86_64"'], { env: arm64 });
  const onArm = await resolveChecked(index, armOpts);
  assert.deepEqual(Object.keys(pins(onArm)), ['app', 'new']);
});

test('requires-python excludes the newest versions, from the index or from the metadata', async () => {
  const index: MemoryPackages = {
    lib: {
      '1.0': [],
      '2.0': [],
      '2.5': { metadataRequiresPython: '>=3.12' },
      '3.0': { requiresPython: '>=3.12' },
    },
  };
  const provider = new MemoryIndex(index);
  const r = await resolve(provider, options(['lib']));
  assert.deepEqual(pins(r), { lib: '2.0' });
  assert.ok(!provider.metadataCalls.includes('lib==3.0'), 'the index already ruled 3.0 out');
  assert.ok(provider.metadataCalls.includes('lib==2.5'), "2.5 is ruled out by its metadata's Requires-Python");
  const on312 = await resolve(new MemoryIndex(index), { ...options(['lib']), pythonVersion: '3.12.1', env: targetEnvironment('3.12.1', 'amd64') });
  assert.deepEqual(pins(on312), { lib: '3.0' });

  const err = await resolutionError(index, options(['lib>=2.5']));
  assert.equal(
    err.message,
    'because requirements.txt:1 wants lib>=2.5, lib 2.5 requires Python >=3.12 (the target has 3.11.4) and lib 3.0 requires Python >=3.12 (the target has 3.11.4), the requirements cannot be satisfied; relax one of them',
  );
  const direct = await resolutionError(index, options(['lib>=3']));
  assert.equal(
    direct.message,
    `requirements.txt:1: the versions of 'lib' that match ">=3" require another Python (3.0: Requires-Python >=3.12; the target has 3.11.4); relax the requirement or use a base image with another Python`,
  );
});

test('yanked releases are skipped unless pinned with ==', async () => {
  const index: MemoryPackages = {
    lib: { '1.0': [], '1.1': [], '1.2': { yanked: 'broken wheel' } },
    user: { '1.0': ['lib>=1'] },
  };
  assert.deepEqual(pins(await resolveChecked(index, options(['lib']))), { lib: '1.1' });
  const err = await resolutionError(index, options(['lib>=1.2']));
  assert.match(err.message, /^requirements\.txt:1: no version of 'lib' matches ">=1\.2"/);
  assert.deepEqual(pins(await resolveChecked(index, options(['lib==1.2']))), { lib: '1.2' });
  assert.deepEqual(pins(await resolveChecked(index, options(['lib===1.2']))), { lib: '1.2' });
  // The root's pin lets the yanked version satisfy another package's range too.
  assert.deepEqual(pins(await resolveChecked(index, options(['user', 'lib==1.2']))), { lib: '1.2', user: '1.0' });
  // A dependency's own == pin takes it as well.
  const pinned: MemoryPackages = { ...index, tool: { '1.0': ['lib==1.2'] } };
  assert.deepEqual(pins(await resolveChecked(pinned, options(['tool']))), { lib: '1.2', tool: '1.0' });
});

test('pre-releases: only when asked, when a specifier names one, or when nothing else fits', async () => {
  const index: MemoryPackages = {
    lib: { '1.0': [], '2.0b1': [], '2.0rc1': [] },
    edge: { '0.1a1': [], '0.1a2': [] },
    user: { '1.0': ['edge'] },
  };
  assert.deepEqual(pins(await resolveChecked(index, options(['lib']))), { lib: '1.0' });
  assert.deepEqual(pins(await resolveChecked(index, options(['lib'], { prereleases: 'allow' }))), { lib: '2.0rc1' });
  assert.deepEqual(pins(await resolveChecked(index, options(['lib>=2.0b1']))), { lib: '2.0rc1' });
  assert.deepEqual(pins(await resolveChecked(index, options(['lib==2.0b1']))), { lib: '2.0b1' });
  // Only pre-releases satisfy >1.0: necessary, so taken (also for a dependency of a dependency).
  assert.deepEqual(pins(await resolveChecked(index, options(['lib>1.0']))), { lib: '2.0rc1' });
  assert.deepEqual(pins(await resolveChecked(index, options(['user']))), { edge: '0.1a2', user: '1.0' });
  // A constraint that names a pre-release opens the package's pre-releases to the plain requirement.
  assert.deepEqual(pins(await resolveChecked(index, options(['lib'], { constraints: [{ requirement: 'lib>=2.0b1', source: 'constraints.txt:1' }] }))), { lib: '2.0rc1' });
  const err = await resolutionError(index, options(['lib>1.0'], { prereleases: 'disallow' }));
  assert.match(err.message, /^requirements\.txt:1: no version of 'lib' matches ">1\.0" for Python 3\.11 \(linux\/amd64\)/);
});

test('an unsatisfiable set explains itself as a chain of the requirements involved', async () => {
  const index: MemoryPackages = {
    a: { '1.0': [], '2.0': ['b<1'], '2.1': ['b<1'] },
    b: { '0.9': [], '1.0': [], '1.1': [] },
  };
  const err = await resolutionError(index, options(['a>=2', 'b>=1']));
  assert.equal(err.code, 'E_RESOLUTION');
  assert.equal(err.exitCode, 2);
  assert.equal(
    err.message,
    'because requirements.txt:1 wants a>=2, a>=2.0 depends on b<1 and requirements.txt:2 wants b>=1, the requirements cannot be satisfied; relax one of them',
  );
  assert.ok(!err.message.includes('\n'));
});

test('a deeper conflict names each step and puts the whole proof in the details', async () => {
  const index: MemoryPackages = {
    app: { '1.0': ['web>=2', 'db'] },
    web: { '2.0': ['json>=3'], '2.1': ['json>=3'] },
    db: { '1.0': ['json<3'], '1.1': ['json<3'] },
    json: { '2.0': [], '3.0': [] },
  };
  const err = await resolutionError(index, options(['app']));
  assert.equal(
    err.message,
    'because requirements.txt:1 wants app, app 1.0 depends on db, db depends on json<3, app 1.0 depends on web>=2 and web depends on json>=3, the requirements cannot be satisfied; relax one of them',
  );
  assert.ok(err.details.length >= 2, err.details.join('\n'));
  assert.match(err.details[err.details.length - 1]!, /the requirements cannot be satisfied$/);
});

test('a package the index does not know is named with the root that wants it', async () => {
  const index: MemoryPackages = { a: { '1.0': [] }, b: { '1.0': [] } };
  const err = await resolutionError(index, options(['a', 'b>=1', 'nosuch']));
  assert.equal(err.message, "requirements.txt:3: no versions of 'nosuch' on the index for Python 3.11 (linux/amd64)");
  const deep = await resolutionError({ a: { '1.0': ['ghost>=1'] } }, options(['a']));
  assert.equal(
    deep.message,
    'because requirements.txt:1 wants a and a 1.0 depends on ghost>=1, which has no versions on the index for Python 3.11 (linux/amd64), the requirements cannot be satisfied; relax one of them',
  );
});

test('preferences are kept while they fit and dropped when they do not', async () => {
  const index: MemoryPackages = {
    a: { '1.0': ['b'], '2.0': ['b'], '3.0': ['b>=2'] },
    b: { '1.0': [], '2.0': [] },
  };
  const preferences = new Map([['A', '2.0'], ['b', '1.0']]);
  assert.deepEqual(pins(await resolveChecked(index, options(['a'], { preferences }))), { a: '2.0', b: '1.0' });
  // a>=3 drops a's preference, and a 3.0 needs b>=2, which drops b's.
  assert.deepEqual(pins(await resolveChecked(index, options(['a>=3'], { preferences }))), { a: '3.0', b: '2.0' });
  // A preference for a version that does not exist is ignored.
  assert.deepEqual(pins(await resolveChecked(index, options(['a'], { preferences: new Map([['a', '9.9']]) }))), { a: '3.0', b: '2.0' });
});

test('constraints restrict the versions of packages that appear and never add packages', async () => {
  const index: MemoryPackages = {
    a: { '1.0': ['b'], '2.0': ['b>=2'] },
    b: { '1.0': [], '2.0': [] },
    unused: { '1.0': [] },
  };
  const constraints = [
    { requirement: 'b<2', source: 'constraints.txt:1' },
    { requirement: 'unused==1.0', source: 'constraints.txt:2' },
  ];
  const provider = new MemoryIndex(index);
  const r = await resolve(provider, options(['a'], { constraints }));
  assert.deepEqual(pins(r), { a: '1.0', b: '1.0' });
  assert.ok(!provider.versionCalls.includes('unused'), 'a constraint alone does not even look the package up');
  const err = await resolutionError(index, options(['a', 'b>=2'], { constraints }));
  assert.equal(err.message, 'because requirements.txt:2 wants b>=2 and constraints.txt:1 constrains b<2, the requirements cannot be satisfied; relax one of them');
});

test('PEP 440 specifiers: ~=, != with a wildcard, ===, local versions, names normalized', async () => {
  const index: MemoryPackages = {
    'Zope.Interface': { '1.2.0': [], '1.2.5': [], '1.3.0': [], '2.0': [] },
    torch: { '2.1.0': [], '2.1.0+cpu': [] },
  };
  assert.deepEqual(pins(await resolveChecked(index, options(['zope-interface~=1.2.0']))), { 'zope-interface': '1.2.5' });
  assert.deepEqual(pins(await resolveChecked(index, options(['zope_interface!=2.*,!=1.3.*']))), { 'zope-interface': '1.2.5' });
  assert.deepEqual(pins(await resolveChecked(index, options(['ZOPE.INTERFACE===1.2.0']))), { 'zope-interface': '1.2.0' });
  assert.deepEqual(pins(await resolveChecked(index, options(['torch==2.1.0+cpu']))), { torch: '2.1.0+cpu' });
});

test('the provider is told which versions come next before the resolver asks for their metadata', async () => {
  const provider = new MemoryIndex({
    a: { '1.0': ['b>=1', 'c'] },
    b: { '1.0': [], '2.0': [] },
    c: { '0.5': [], '0.9': [] },
  });
  const r = await resolve(provider, options(['a'], { preferences: new Map([['c', '0.5']]) }));
  assert.deepEqual(pins(r), { a: '1.0', b: '2.0', c: '0.5' });
  assert.deepEqual(provider.prefetched, ['a==1.0', 'b==2.0', 'c==0.5']);
  assert.deepEqual([...provider.metadataCalls].sort(), ['a==1.0', 'b==2.0', 'c==0.5']);
});

test('no requirements resolve to nothing; requirements whose markers do not hold are ignored', async () => {
  assert.deepEqual(await resolve(new MemoryIndex({}), options([])), { packages: [] });
  const provider = new MemoryIndex({});
  assert.deepEqual(await resolve(provider, options(['pywin32; sys_platform == "win32"'])), { packages: [] });
  assert.deepEqual(provider.versionCalls, []);
});

test('direct URL requirements are refused with the source named', async () => {
  const err = await resolutionError({}, options(['a @ https://user:secret@example.com/a-1.0-py3-none-any.whl']));
  assert.equal(err.code, 'E_REQUIREMENT');
  assert.match(err.message, /^requirements\.txt:1: 'a @ https:\/\/example\.com\/a-1\.0-py3-none-any\.whl' is a direct URL requirement/);
  assert.ok(!err.message.includes('secret'));
});

/** A layered synthetic graph: 60 packages, ranges between layers, a few versions that conflict. */
function syntheticIndex(): MemoryPackages {
  const index: MemoryPackages = {};
  const layers = 6;
  const width = 10;
  for (let layer = 0; layer < layers; layer++) {
    for (let k = 0; k < width; k++) {
      const name = `p${layer}-${k}`;
      const releases: Record<string, string[]> = {};
      for (let v = 1; v <= 8; v++) {
        const deps: string[] = [];
        if (layer + 1 < layers) {
          for (const j of [k, (k + 3) % width, (k * 7 + v) % width]) {
            const dep = `p${layer + 1}-${j}`;
            // Newest versions of every third package want the next layer's newest major, which other
            // parents exclude: a few backtracks before a consistent set.
            const spec = v >= 7 && k % 3 === 0 ? '>=7' : v >= 4 ? `>=${v - 3},<${v + 2}` : '';
            if (!deps.some((d) => d.startsWith(`${dep}`))) deps.push(`${dep}${spec}`);
          }
        }
        if (layer === 2 && k === 5 && v >= 6) deps.push('p5-0<3');
        releases[`${v}.0`] = deps;
      }
      index[name] = releases;
    }
  }
  return index;
}

test('a 60-package synthetic graph resolves to a consistent set', async () => {
  const index = syntheticIndex();
  const opts = options(Array.from({ length: 10 }, (_, k) => `p0-${k}`));
  const provider = new MemoryIndex(index);
  const r = await resolve(provider, opts);
  assertConsistent(index, opts, r);
  assert.equal(r.packages.length, 60);
  assert.ok(provider.prefetched.length > 0, 'the provider was told what to prefetch');
});

test('the same inputs give the same resolution whatever order the provider answers in', async () => {
  const index = syntheticIndex();
  const opts = options(Array.from({ length: 10 }, (_, k) => `p0-${k}`));
  const first = await resolve(new MemoryIndex(index, 1), opts);
  for (const seed of [2, 1234567]) {
    assert.deepEqual(await resolve(new MemoryIndex(index, seed), opts), first);
  }
  const rootsReversed = { ...opts, roots: [...opts.roots].reverse() };
  assert.deepEqual(pins(await resolve(new MemoryIndex(index, 7), rootsReversed)), pins(first));
});

test('requiredBy names root sources and the parents whose requirements apply on the target', async () => {
  const index: MemoryPackages = {
    app: { '1.0': ['util', 'colors; sys_platform == "win32"'] },
    cli: { '1.0': ['util>=1', 'colors'] },
    util: { '1.0': [] },
    colors: { '1.0': [] },
  };
  const r = await resolveChecked(index, { ...options(['app']), roots: [
    { requirement: 'app', source: 'pyproject.toml [project.dependencies]' },
    { requirement: 'cli', source: 'pyproject.toml [project.optional-dependencies] cli' },
    { requirement: 'util>=1', source: 'requirements.txt:4' },
  ] });
  assert.deepEqual(Object.fromEntries(r.packages.map((p) => [p.name, p.requiredBy])), {
    app: ['pyproject.toml [project.dependencies]'],
    cli: ['pyproject.toml [project.optional-dependencies] cli'],
    colors: ['cli'],
    util: ['app', 'cli', 'requirements.txt:4'],
  });
});

test('on small random indexes the resolver finds a solution exactly when exhaustive search does', async () => {
  let seed = 20261129;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const names = ['a', 'b', 'c', 'd'];
  const versions = ['1.0', '2.0', '3.0'];
  const randomSpec = (): string => {
    const v = versions[random(3)]!;
    return ['', `>=${v}`, `<${v}`, `==${v}`, `!=${v}`][random(5)]!;
  };
  let solvable = 0;
  for (let round = 0; round < 150; round++) {
    const index: MemoryPackages = {};
    for (const [k, name] of names.entries()) {
      index[name] = Object.fromEntries(
        versions.map((v) => [v, names.slice(k + 1).filter(() => random(3) === 0).map((dep) => `${dep}${randomSpec()}`)]),
      );
    }
    const rootLines = names.filter(() => random(2) === 0).map((n) => `${n}${randomSpec()}`);
    if (rootLines.length === 0) rootLines.push('a');
    // Exhaustive: every package absent or at one of its versions.
    const matching = new Map<string, { name: string; versions: Set<string> }>();
    const holds = (line: string, chosen: Map<string, string>): boolean => {
      let m = matching.get(line);
      if (m === undefined) {
        const req = parseRequirement(line);
        m = { name: req.name, versions: new Set(versions.filter((v) => satisfies(v, req.specifier))) };
        matching.set(line, m);
      }
      const v = chosen.get(m.name);
      return v !== undefined && m.versions.has(v);
    };
    let exists = false;
    for (let code = 0; code < 4 ** names.length && !exists; code++) {
      const chosen = new Map<string, string>();
      names.forEach((n, i) => {
        const pick = Math.floor(code / 4 ** i) % 4;
        if (pick > 0) chosen.set(n, versions[pick - 1]!);
      });
      exists =
        rootLines.every((l) => holds(l, chosen)) &&
        [...chosen].every(([n, v]) => (index[n]![v] as string[]).every((l) => holds(l, chosen)));
    }
    const opts = options(rootLines);
    try {
      const r = await resolve(new MemoryIndex(index), opts);
      assert.ok(exists, `round ${round}: resolved ${JSON.stringify(pins(r))} but exhaustive search found nothing`);
      assertConsistent(index, opts, r);
      solvable++;
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      assert.ok(err instanceof ConfigError && err.code === 'E_RESOLUTION', String(err));
      assert.ok(!exists, `round ${round}: ${JSON.stringify({ index, rootLines })} has a solution but: ${err.message}`);
    }
  }
  assert.ok(solvable > 20 && solvable < 130, `a mix of solvable and unsolvable cases (${solvable} solvable)`);
});
