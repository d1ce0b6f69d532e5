import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { compatibleTags, parseWheelFilename, platformTag, platformTags, selectWheel, targetArchitecture, type Target } from '../../src/python/tags.js';

const glibc236: Target = { pythonVersion: '3.11.2', architecture: 'amd64', libc: { kind: 'glibc', version: [2, 36] } };
const arm236: Target = { ...glibc236, architecture: 'arm64' };
const musl12: Target = { pythonVersion: '3.12', architecture: 'amd64', libc: { kind: 'musl', version: [1, 2] } };

/** manylinux_2_N for N from `from` down to `to`, with the legacy aliases after 2_17, 2_12 and 2_5. */
function manylinux(from: number, to: number, arch: string): string[] {
  const out: string[] = [];
  const legacy: Record<number, string> = { 17: 'manylinux2014', 12: 'manylinux2010', 5: 'manylinux1' };
  for (let n = from; n >= to; n--) {
    out.push(`manylinux_2_${n}_${arch}`);
    if (legacy[n]) out.push(`${legacy[n]}_${arch}`);
  }
  return out;
}

test('platform tags for glibc x86_64 go down to manylinux1, then linux_x86_64', () => {
  const plats = platformTags(glibc236);
  assert.deepEqual(plats, [...manylinux(36, 5, 'x86_64'), 'linux_x86_64']);
  assert.equal(plats.length, 36);
  assert.deepEqual(plats.slice(18, 22), ['manylinux_2_18_x86_64', 'manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'manylinux_2_16_x86_64']);
  assert.equal(platformTag(glibc236), 'manylinux_2_36_x86_64');
  assert.equal(platformTag({ ...glibc236, architecture: '386' }), 'manylinux_2_36_i686');
  assert.equal(platformTags({ ...glibc236, architecture: '386' }).at(-2), 'manylinux1_i686');
});

test('compatibleTags for CPython 3.11, glibc 2.36, x86_64: exact head and order', () => {
  const tags = compatibleTags(glibc236);
  assert.deepEqual(tags.slice(0, 8), [
    'cp311-cp311-manylinux_2_36_x86_64',
    'cp311-cp311-manylinux_2_35_x86_64',
    'cp311-cp311-manylinux_2_34_x86_64',
    'cp311-cp311-manylinux_2_33_x86_64',
    'cp311-cp311-manylinux_2_32_x86_64',
    'cp311-cp311-manylinux_2_31_x86_64',
    'cp311-cp311-manylinux_2_30_x86_64',
    'cp311-cp311-manylinux_2_29_x86_64',
  ]);
  const plats = platformTags(glibc236);
  const p = plats.length;
  assert.deepEqual(tags.slice(0, p), plats.map((x) => `cp311-cp311-${x}`));
  assert.deepEqual(tags.slice(p, 2 * p), plats.map((x) => `cp311-abi3-${x}`));
  assert.deepEqual(tags.slice(2 * p, 3 * p), plats.map((x) => `cp311-none-${x}`));
  assert.deepEqual(tags.slice(3 * p, 4 * p), plats.map((x) => `cp310-abi3-${x}`));
  assert.equal(tags[3 * p + 9 * p - 1], 'cp32-abi3-linux_x86_64');
  const pyStart = 12 * p;
  assert.deepEqual(tags.slice(pyStart, pyStart + p), plats.map((x) => `py311-none-${x}`));
  assert.deepEqual(tags.slice(pyStart + p, pyStart + 2 * p), plats.map((x) => `py3-none-${x}`));
  assert.deepEqual(tags.slice(pyStart + 2 * p, pyStart + 3 * p), plats.map((x) => `py310-none-${x}`));
  assert.deepEqual(tags.slice(-14), [
    'cp311-none-any', 'py311-none-any', 'py3-none-any', 'py310-none-any', 'py39-none-any', 'py38-none-any', 'py37-none-any',
    'py36-none-any', 'py35-none-any', 'py34-none-any', 'py33-none-any', 'py32-none-any', 'py31-none-any', 'py30-none-any',
  ]);
  // 3 × 36 for cp311, 9 older abi3 minors × 36, 13 py interpreters × 36, 14 "any"
  assert.equal(tags.length, 914);
  assert.equal(new Set(tags).size, tags.length);

  // positions of landmarks
  assert.equal(tags.indexOf('cp311-cp311-manylinux2014_x86_64'), 20);
  assert.equal(tags.indexOf('cp311-cp311-linux_x86_64'), 35);
  assert.equal(tags.indexOf('cp311-abi3-manylinux_2_36_x86_64'), 36);
  assert.equal(tags.indexOf('cp311-abi3-manylinux2014_x86_64'), 56);
  assert.ok(tags.indexOf('cp311-none-linux_x86_64') < tags.indexOf('cp310-abi3-manylinux_2_36_x86_64'));
  assert.ok(tags.indexOf('cp39-abi3-manylinux2014_x86_64') < tags.indexOf('cp38-abi3-manylinux_2_36_x86_64'));
  assert.ok(tags.indexOf('cp32-abi3-linux_x86_64') < tags.indexOf('py311-none-manylinux_2_36_x86_64'));
  assert.ok(tags.indexOf('py30-none-linux_x86_64') < tags.indexOf('cp311-none-any'));
  for (const absent of ['cp312-cp312-manylinux_2_36_x86_64', 'cp311-cp311-manylinux_2_37_x86_64', 'cp31-abi3-linux_x86_64',
    'cp311-cp311-musllinux_1_2_x86_64', 'cp311-cp311-manylinux_2_4_x86_64', 'cp311-cp311-manylinux_2_36_aarch64', 'py2-none-any']) {
    assert.ok(!tags.includes(absent), absent);
  }
});

test('compatibleTags for aarch64 starts manylinux at 2_17 with no 2010/1 aliases', () => {
  const plats = platformTags(arm236);
  assert.deepEqual(plats, [...manylinux(36, 17, 'aarch64'), 'linux_aarch64']);
  const tags = compatibleTags(arm236);
  assert.equal(tags[0], 'cp311-cp311-manylinux_2_36_aarch64');
  assert.ok(tags.includes('cp311-abi3-manylinux2014_aarch64'));
  assert.ok(!tags.some((t) => t.includes('manylinux2010') || t.includes('manylinux1_') || t.includes('x86_64')));
  assert.deepEqual(platformTags({ ...arm236, architecture: 'arm/v7', libc: { kind: 'glibc', version: [2, 17] } }), ['manylinux_2_17_armv7l', 'manylinux2014_armv7l', 'linux_armv7l']);
  assert.deepEqual(platformTags({ ...arm236, architecture: 'ppc64le', libc: { kind: 'glibc', version: [2, 16] } }), ['linux_ppc64le']);
  assert.equal(platformTag({ ...arm236, architecture: 's390x' }), 'manylinux_2_36_s390x');
  assert.equal(platformTag({ ...arm236, architecture: 'riscv64' }), 'manylinux_2_36_riscv64');
});

test('compatibleTags for musl', () => {
  assert.deepEqual(platformTags(musl12), ['musllinux_1_2_x86_64', 'musllinux_1_1_x86_64', 'musllinux_1_0_x86_64', 'linux_x86_64']);
  assert.equal(platformTag(musl12), 'musllinux_1_2_x86_64');
  const tags = compatibleTags(musl12);
  assert.deepEqual(tags.slice(0, 6), [
    'cp312-cp312-musllinux_1_2_x86_64',
    'cp312-cp312-musllinux_1_1_x86_64',
    'cp312-cp312-musllinux_1_0_x86_64',
    'cp312-cp312-linux_x86_64',
    'cp312-abi3-musllinux_1_2_x86_64',
    'cp312-abi3-musllinux_1_1_x86_64',
  ]);
  assert.ok(!tags.some((t) => t.includes('manylinux')));
  assert.equal(tags.length, 4 * 3 + 10 * 4 + 14 * 4 + 15);
  assert.equal(platformTag({ ...musl12, architecture: 'arm64', libc: { kind: 'musl', version: [1, 1] } }), 'musllinux_1_1_aarch64');
});

test('invalid targets are ConfigErrors', () => {
  const bad: [Target, RegExp][] = [
    [{ ...glibc236, architecture: 'sparc' }, /"sparc"/],
    [{ ...glibc236, pythonVersion: '2.7' }, /"2\.7"/],
    [{ ...glibc236, pythonVersion: 'three' }, /"three"/],
    [{ ...glibc236, libc: { kind: 'glibc', version: [3, 1] } }, /glibc version 3\.1/],
    [{ ...glibc236, libc: { kind: 'uclibc' as 'glibc', version: [1, 0] } }, /"uclibc"/],
  ];
  for (const [target, pattern] of bad) {
    assert.throws(() => compatibleTags(target), (e: unknown) => e instanceof ConfigError && e.code === 'E_TARGET' && pattern.test(e.message));
  }
});

test('parseWheelFilename', () => {
  assert.deepEqual(parseWheelFilename('requests-2.31.0-py3-none-any.whl'), {
    name: 'requests', version: '2.31.0', tags: ['py3-none-any'], filename: 'requests-2.31.0-py3-none-any.whl',
  });
  assert.deepEqual(parseWheelFilename('six-1.16.0-py2.py3-none-any.whl').tags, ['py2-none-any', 'py3-none-any']);
  const withBuild = parseWheelFilename('Foo_Bar.baz-1.0.post1-12abc-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
  assert.equal(withBuild.name, 'foo-bar-baz');
  assert.equal(withBuild.version, '1.0.post1');
  assert.equal(withBuild.build, '12abc');
  assert.deepEqual(withBuild.tags, ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-cp311-manylinux2014_x86_64']);
  assert.equal('build' in parseWheelFilename('a-1-py3-none-any.whl'), false);
  assert.deepEqual(parseWheelFilename('x-1.0-CP311.cp312-ABI3-Any.whl').tags, ['cp311-abi3-any', 'cp312-abi3-any']);
  assert.deepEqual(
    parseWheelFilename('numpy-1.26.4-cp311-cp311-musllinux_1_1_aarch64.manylinux_2_17_aarch64.whl').tags,
    ['cp311-cp311-musllinux_1_1_aarch64', 'cp311-cp311-manylinux_2_17_aarch64'],
  );
  assert.equal(parseWheelFilename('pkg-1.0+local.1-py3-none-any.whl').version, '1.0+local.1');
  assert.equal(parseWheelFilename('a_b-1!2.0rc1-py3-none-any.whl').name, 'a-b');

  const invalid: [string, RegExp][] = [
    ['requests-2.31.0-py3-none-any.tar.gz', /does not end with \.whl/],
    ['requests-2.31.0-py3-none.whl', /expected 5 or 6 dash-separated parts, found 4/],
    ['a-b-c-1.0-1-py3-none-any.whl', /found 8/],
    ['foo__bar-1.0-py3-none-any.whl', /invalid project name "foo__bar"/],
    ['foo bar-1.0-py3-none-any.whl', /invalid project name/],
    ['foo-notaversion-py3-none-any.whl', /invalid version "notaversion"/],
    ['foo-1.0-abc-py3-none-any.whl', /build tag "abc" must start with a digit/],
    ['foo-1.0--py3-none-any.whl', /empty part/],
    ['foo-1.0-py3-none-any+x.whl', /invalid compatibility tag/],
    ['foo-1.0-py3..py2-none-any.whl', /invalid compatibility tag/],
  ];
  for (const [filename, pattern] of invalid) {
    assert.throws(
      () => parseWheelFilename(filename),
      (e: unknown) =>
        e instanceof ConfigError && e.code === 'E_WHEEL_NAME' && pattern.test(e.message) && e.message.includes(JSON.stringify(filename)),
      filename,
    );
  }
});

test('selectWheel picks the best-ranked compatible wheel', () => {
  const w = (filename: string) => ({ filename, url: `https://files.example/${filename}` });
  const cp = w('pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
  const abi3 = w('pkg-1.0-cp38-abi3-manylinux_2_28_x86_64.whl');
  const pure = w('pkg-1.0-py3-none-any.whl');
  const tooNew = w('pkg-1.0-cp311-cp311-manylinux_2_38_x86_64.whl');
  const arm = w('pkg-1.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl');
  const musl = w('pkg-1.0-cp311-cp311-musllinux_1_1_x86_64.whl');
  const cp312 = w('pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl');

  assert.deepEqual(selectWheel([pure, abi3, cp, tooNew, arm], glibc236), { wheel: cp, tag: 'cp311-cp311-manylinux_2_17_x86_64' });
  assert.deepEqual(selectWheel([pure, abi3, tooNew], glibc236), { wheel: abi3, tag: 'cp38-abi3-manylinux_2_28_x86_64' });
  assert.deepEqual(selectWheel([pure, tooNew, musl, cp312], glibc236), { wheel: pure, tag: 'py3-none-any' });
  assert.equal(selectWheel([tooNew, arm, musl, cp312], glibc236), undefined);
  assert.equal(selectWheel([], glibc236), undefined);
  assert.deepEqual(selectWheel([tooNew], { ...glibc236, libc: { kind: 'glibc', version: [2, 38] } }), { wheel: tooNew, tag: 'cp311-cp311-manylinux_2_38_x86_64' });

  assert.deepEqual(selectWheel([cp, arm, pure], arm236), { wheel: arm, tag: 'cp311-cp311-manylinux_2_17_aarch64' });
  assert.deepEqual(selectWheel([cp, pure, musl], { ...glibc236, libc: { kind: 'musl', version: [1, 2] } }), { wheel: musl, tag: 'cp311-cp311-musllinux_1_1_x86_64' });

  // a newer manylinux beats an older one; the wheel's best tag counts
  const m228 = w('pkg-1.0-cp311-cp311-manylinux_2_28_x86_64.whl');
  assert.equal(selectWheel([cp, m228], glibc236)?.wheel, m228);
  // ties: the higher build number wins, then the first given
  const b2 = w('pkg-1.0-2-py3-none-any.whl');
  const b10 = w('pkg-1.0-10-py3-none-any.whl');
  assert.equal(selectWheel([pure, b10, b2], glibc236)?.wheel, b10);
  assert.equal(selectWheel([b2, pure], glibc236)?.wheel, b2);
  const again = w('pkg-1.0-py2.py3-none-any.whl');
  assert.equal(selectWheel([pure, again], glibc236)?.wheel, pure);
  // names that do not parse are skipped
  assert.equal(selectWheel([w('garbage.whl'), pure], glibc236)?.wheel, pure);
});

test('an arm/v6 target takes armv6l wheels, never armv7l ones (the variant reaches the tags)', () => {
  const w = (filename: string) => ({ filename });
  const v6 = w('pkg-1.0-cp311-cp311-linux_armv6l.whl');
  const v7 = w('pkg-1.0-cp311-cp311-manylinux_2_17_armv7l.whl');
  const pure = w('pkg-1.0-py3-none-any.whl');
  const target = (platform: { architecture: string; variant?: string }): Target => ({
    pythonVersion: '3.11.2',
    architecture: targetArchitecture(platform),
    libc: { kind: 'glibc', version: [2, 36] },
  });
  assert.equal(targetArchitecture({ architecture: 'arm', variant: 'v6' }), 'arm/v6');
  assert.equal(targetArchitecture({ architecture: 'amd64' }), 'amd64');
  assert.equal(selectWheel([v7, v6, pure], target({ architecture: 'arm', variant: 'v6' }))?.wheel, v6);
  assert.equal(selectWheel([v7, pure], target({ architecture: 'arm', variant: 'v6' }))?.wheel, pure);
  assert.equal(selectWheel([v6, v7, pure], target({ architecture: 'arm', variant: 'v7' }))?.wheel, v7);
  assert.equal(selectWheel([v6, v7, pure], target({ architecture: 'arm' }))?.wheel, v7);
  assert.equal(selectWheel([pure], target({ architecture: 'arm64', variant: 'v8' }))?.wheel, pure);
});
