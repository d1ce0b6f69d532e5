import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { evaluateMarker, formatMarker, parseMarker, targetEnvironment, type MarkerEnvironment } from '../../src/python/markers.js';
import { compareVersions, isValidVersion, satisfies } from '../../src/python/version.js';

const linux311 = targetEnvironment('3.11.2', 'amd64');

/** A second environment, to check that evaluation follows the environment and not constants. */
const other: MarkerEnvironment = {
  implementation_name: 'pypy',
  implementation_version: '7.3.15',
  os_name: 'nt',
  platform_machine: 'AMD64',
  platform_python_implementation: 'PyPy',
  platform_release: '10',
  platform_system: 'Windows',
  platform_version: '10.0.19041',
  python_full_version: '3.9.18',
  python_version: '3.9',
  sys_platform: 'win32',
};

test('targetEnvironment describes CPython on Linux for the OCI architecture', () => {
  assert.deepEqual(linux311, {
    implementation_name: 'cpython',
    implementation_version: '3.11.2',
    os_name: 'posix',
    platform_machine: 'x86_64',
    platform_python_implementation: 'CPython',
    platform_release: '',
    platform_system: 'Linux',
    platform_version: '',
    python_full_version: '3.11.2',
    python_version: '3.11',
    sys_platform: 'linux',
  });
  const machines: [string, string][] = [
    ['amd64', 'x86_64'], ['arm64', 'aarch64'], ['arm64/v8', 'aarch64'], ['arm', 'armv7l'], ['arm/v7', 'armv7l'], ['arm/v6', 'armv6l'],
    ['386', 'i686'], ['ppc64le', 'ppc64le'], ['s390x', 's390x'], ['riscv64', 'riscv64'],
  ];
  for (const [arch, machine] of machines) assert.equal(targetEnvironment('3.12.1', arch).platform_machine, machine, arch);
  assert.equal(targetEnvironment('3.13.0rc1', 'amd64').python_version, '3.13');
  assert.throws(() => targetEnvironment('3.12.1', 'mips64le'), (e: unknown) => e instanceof ConfigError && e.code === 'E_TARGET' && /mips64le/.test(e.message));
  assert.throws(() => targetEnvironment('2.7.18', 'amd64'), (e: unknown) => e instanceof ConfigError && e.code === 'E_TARGET');
  assert.throws(() => targetEnvironment('latest', 'amd64'), (e: unknown) => e instanceof ConfigError && /latest/.test(e.message));
});

/** marker, expected on linux311, expected on `other` */
const table: [string, boolean, boolean][] = [
  // classic vectors: each variable against its own value
  ['os_name == "posix"', true, false],
  ["os_name == 'nt'", false, true],
  ['sys_platform == "linux"', true, false],
  ['sys_platform != "linux"', false, true],
  ['platform_machine == "x86_64"', true, false],
  ['platform_system == "Linux"', true, false],
  ['platform_python_implementation == "CPython"', true, false],
  ['implementation_name == "cpython"', true, false],
  ['implementation_version >= "3.11"', true, true],
  ['platform_version == "10.0.19041"', false, true],
  ['platform_release == "10"', false, true],
  // version comparisons (PEP 440, not string order)
  ['python_version >= "2.7"', true, true],
  ['python_version > "3.7"', true, true],
  ['python_version > "3.10"', true, false],
  ['python_version < "3"', false, false],
  ['python_version < "3.10"', false, true],
  ['python_version == "3.11"', true, false],
  ['python_version == "3.11.0"', true, false],
  ['python_version != "3.11"', false, true],
  ['python_version ~= "3.9"', true, true],
  ['python_version ~= "3.9.0"', false, true],
  ['python_version == "3.*"', true, true],
  ['python_version == "3.11.*"', true, false],
  ['python_version != "3.11.*"', false, true],
  ['python_version === "3.11"', true, false],
  ['python_full_version >= "3.11.0rc1"', true, false],
  ['python_full_version == "3.11.2"', true, false],
  ['python_full_version < "3.11.3"', true, true],
  ['python_full_version >= "3.9.18"', true, true],
  ['python_full_version < "3.9.18"', false, false],
  ['python_full_version <= "3.9.18"', false, true],
  // literal on the left, variable on the right
  ['"3.7" < python_version', true, true],
  ['"3.10" <= python_version', true, false],
  ['"posix" == os_name', true, false],
  // string operators and fallbacks
  ["'linux' in sys_platform", true, false],
  ["'lin' in sys_platform", true, false],
  ["'win' in sys_platform", false, true],
  ["'win' not in sys_platform", true, false],
  ['"3.1" in python_version', true, false],
  ['platform_machine in "x86_64 aarch64"', true, false],
  ['platform_machine not in "x86_64 aarch64"', false, true],
  ['platform_release >= "5"', false, true],
  ['os_name < "pos"', false, true],
  ['"a" == "a"', true, true],
  ['"a" != "b"', true, true],
  // and/or, precedence and grouping
  ['os_name == "posix" and python_version < "3"', false, false],
  ['os_name == "posix" and python_version >= "3"', true, false],
  ['os_name == "posix" or python_version >= "3"', true, true],
  ['os_name == "nt" or sys_platform == "linux"', true, true],
  ['os_name == "nt" or os_name == "posix" and python_version < "3"', false, true],
  ['(os_name == "nt" or os_name == "posix") and python_version < "3"', false, false],
  ['os_name == "posix" and python_version < "3" or sys_platform == "win32"', false, true],
  ['os_name == "posix" and (python_version < "3" or sys_platform == "linux")', true, false],
  ['((python_version >= "3.10"))', true, false],
  ['python_version >= "3.10" and python_version < "4" and platform_machine == "x86_64"', true, false],
  // quoting, spacing and old spellings
  ["python_version>'3.7'and os_name=='posix'", true, false],
  ['  os_name  ==  "posix"  ', true, false],
  ['os.name == "posix"', true, false],
  ['sys.platform == "win32"', false, true],
  ['platform.machine == "x86_64"', true, false],
  ['python_implementation == "PyPy"', false, true],
];

test('parse and evaluate: table', () => {
  for (const [marker, onLinux, onOther] of table) {
    assert.equal(evaluateMarker(marker, linux311), onLinux, `${marker} on linux311`);
    assert.equal(evaluateMarker(parseMarker(marker), other), onOther, `${marker} on other`);
  }
});

test('extra is compared after name normalization, once per requested extra', () => {
  const cases: [string, string[], boolean][] = [
    ['extra == "Foo_Bar"', ['foo-bar'], true],
    ['extra == "foo-bar"', ['Foo.Bar'], true],
    ['extra == "foo__bar"', ['FOO-BAR'], true],
    ['extra == "foo"', [], false],
    ['extra == "foo"', ['bar'], false],
    ['extra == "foo"', ['bar', 'foo'], true],
    ['"foo" == extra', ['foo'], true],
    ['extra == "a" and extra == "b"', ['a', 'b'], false],
    ['extra == "a" or extra == "b"', ['b'], true],
    ['python_version >= "3" and extra == "socks"', ['socks'], true],
    ['python_version < "3" and extra == "socks"', ['socks'], false],
    ['extra != "foo"', [], true],
  ];
  for (const [marker, extras, expected] of cases) {
    assert.equal(evaluateMarker(marker, linux311, extras), expected, `${marker} with [${extras.join(', ')}]`);
  }
});

test('PEP 751 extras and dependency_groups are sets tested with in / not in', () => {
  assert.equal(evaluateMarker("'cli' in extras", linux311, ['CLI']), true);
  assert.equal(evaluateMarker("'cli' in extras", linux311, []), false);
  assert.equal(evaluateMarker("'cli' not in extras", linux311, []), true);
  assert.equal(evaluateMarker('"Foo_Bar" in extras', linux311, ['foo.bar']), true);
  assert.equal(evaluateMarker("'dev' in dependency_groups", linux311, [], ['dev']), true);
  assert.equal(evaluateMarker("'dev' in dependency_groups", linux311, ['dev'], []), false);
  assert.equal(evaluateMarker("'test' in dependency_groups or 'docs' in dependency_groups", linux311, [], ['docs']), true);
  assert.equal(evaluateMarker("'test' in dependency_groups and sys_platform == 'win32'", linux311, [], ['test']), false);
  // the name is not a substring test
  assert.equal(evaluateMarker("'de' in dependency_groups", linux311, [], ['dev']), false);
});

test('the AST keeps precedence: and binds tighter than or', () => {
  assert.deepEqual(parseMarker('os_name == "a" or os_name == "b" and python_version < "3"'), {
    type: 'or',
    left: { type: 'compare', left: { type: 'variable', name: 'os_name' }, op: '==', right: { type: 'string', value: 'a' } },
    right: {
      type: 'and',
      left: { type: 'compare', left: { type: 'variable', name: 'os_name' }, op: '==', right: { type: 'string', value: 'b' } },
      right: { type: 'compare', left: { type: 'variable', name: 'python_version' }, op: '<', right: { type: 'string', value: '3' } },
    },
  });
  assert.deepEqual(parseMarker("'x' not in os.name"), {
    type: 'compare',
    left: { type: 'string', value: 'x' },
    op: 'not in',
    right: { type: 'variable', name: 'os_name' },
  });
  const grouped = parseMarker("(os_name == 'a' or os_name == 'b') and python_version < '3'");
  assert.equal(formatMarker(grouped), '(os_name == "a" or os_name == "b") and python_version < "3"');
  assert.deepEqual(parseMarker(formatMarker(grouped)), grouped);
  assert.equal(formatMarker(parseMarker(`'it"s' in os_name`)), `'it"s' in os_name`);
});

test('parse errors name the marker and the column', () => {
  const cases: [string, RegExp, number][] = [
    ['', /expected a marker variable or a quoted string, found end of marker/, 1],
    ['foo == "1"', /unknown marker variable "foo"/, 1],
    ['python_version >= "3" and pyton_version < "4"', /unknown marker variable "pyton_version"/, 27],
    ['python_version', /expected a comparison operator, found end of marker/, 15],
    ['python_version = "3"', /unknown operator "= "/, 16],
    ['python_version <> "3"', /expected a marker variable or a quoted string, found '>'/, 17],
    ['python_version >= "3', /unterminated string/, 19],
    ['python_version >= 3.7', /unexpected character "3"/, 19],
    ['(os_name == "posix"', /expected '\)' to close the '\(' at column 1, found end of marker/, 20],
    ['os_name == "posix")', /expected 'and', 'or' or the end of the marker, found '\)'/, 19],
    ['os_name == "posix" and', /expected a marker variable or a quoted string, found end of marker/, 23],
    ['os_name == "posix" os_name == "nt"', /expected 'and', 'or' or the end of the marker/, 20],
    ['os_name not "posix"', /expected 'not in'/, 9],
    ['os_name == "a" && os_name == "b"', /unexpected character "&"/, 16],
    ["extras == 'cli'", /extras can only be used as 'name' in extras/, 1],
    ["'cli' == extras", /extras can only be compared with 'in' or 'not in'/, 7],
    ["os_name in dependency_groups", /expected a quoted name before 'in dependency_groups'/, 1],
  ];
  for (const [text, pattern, column] of cases) {
    assert.throws(
      () => parseMarker(text),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, text);
        assert.equal(e.code, 'E_MARKER');
        assert.match(e.message, pattern, text);
        assert.ok(e.message.includes(JSON.stringify(text)), `message names the marker: ${e.message}`);
        assert.ok(e.message.endsWith(`at column ${column}`), `${text}: ${e.message}`);
        assert.ok(!e.message.includes('\n'));
        assert.deepEqual(e.details, [text, `${' '.repeat(column - 1)}^`]);
        return true;
      },
    );
  }
  assert.throws(() => evaluateMarker('nope == "1"', linux311), (e: unknown) => e instanceof ConfigError && e.code === 'E_MARKER');
});

test('comparisons that need versions fail at evaluation', () => {
  for (const marker of ['os_name ~= "posix"', 'python_version ~= "3"', 'sys_platform ~= "1.0"']) {
    assert.throws(
      () => evaluateMarker(marker, linux311),
      (e: unknown) => e instanceof ConfigError && e.code === 'E_MARKER' && e.message.includes(JSON.stringify(marker)),
      marker,
    );
  }
});

test('version wrappers', () => {
  assert.equal(isValidVersion('1.0'), true);
  assert.equal(isValidVersion('1!2.0.post1.dev3+local.7'), true);
  assert.equal(isValidVersion('5.15.0-91-generic'), false);
  assert.equal(isValidVersion(' 1.0'), false);
  assert.equal(isValidVersion(''), false);
  assert.equal(compareVersions('1.0', '1.0.0'), 0);
  assert.equal(compareVersions('1.0a1', '1.0'), -1);
  assert.equal(compareVersions('1.0.post1', '1.0'), 1);
  assert.equal(compareVersions('1.10', '1.9'), 1);
  assert.equal(compareVersions('1!0.1', '2.0'), 1);
  assert.equal(compareVersions('1.0.dev1', '1.0a1'), -1);
  assert.throws(() => compareVersions('abc', '1.0'), (e: unknown) => e instanceof ConfigError && e.code === 'E_VERSION' && /"abc"/.test(e.message));
  assert.equal(satisfies('1.5', '>=1.0,<2'), true);
  assert.equal(satisfies('2.0', '>=1.0, <2'), false);
  assert.equal(satisfies('3.11.2', '~=3.11'), true);
  assert.equal(satisfies('3.11.2', '==3.11.*'), true);
  assert.equal(satisfies('1.0', ''), true);
  assert.equal(satisfies('2.0b1', '>=1.0'), false);
  assert.equal(satisfies('2.0b1', '>=1.0', { prereleases: true }), true);
  assert.equal(satisfies('foo', '===foo'), true);
  assert.throws(() => satisfies('1.0', '>>1'), (e: unknown) => e instanceof ConfigError && e.code === 'E_SPECIFIER' && /">>1"/.test(e.message));
  assert.throws(() => satisfies('x.y', '>=1'), (e: unknown) => e instanceof ConfigError && e.code === 'E_VERSION');
});
