// Pure configuration logic: TOML reading, schema validation with diagnostics, merging of sources,
// ignore rules, the generated venv files and the OCI helpers the plan relies on.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { describe, test } from 'node:test';
import type { Entry } from '../../generated/plan.js';
import { symlinkStaysInside } from '../../src/config/context.js';
import type { ProjectMetadata } from '../../src/config/detect.js';
import { childIgnoreMatcher, compileIgnore, compileRule, DEFAULT_IGNORES, gitignoreToAnchored, ignorePatterns, isIgnored, type IgnoreRule } from '../../src/config/ignore.js';
import { flagsToSource, mergeConfig, type ConfigSource, type MergedConfig } from '../../src/config/merge.js';
import { resolveTags } from '../../src/config/tags.js';
import { isDiagnostic, locateKey, parseTomlFile, type TomlFile } from '../../src/config/read.js';
import { closest, validateConfig, validateFlags, validatePyproject as validatePyprojectTables } from '../../src/config/validate.js';
import { formatDiagnostic, throwIfDiagnostics, ConfigError, type Diagnostic } from '../../src/errors.js';
import { assembleImageConfig, canonicalJson, isoTime, mergeEnv, type BaseConfig, type ImageConfigInput } from '../../src/oci/image.js';
import { formatPlatform, parsePlatform, platformMatches } from '../../src/oci/platform.js';
import { sitePackages, venvEntries, wrapper, type VenvInput } from '../../src/python/install/venv.js';

// ---------------------------------------------------------------------------------------------------
// helpers

function toml(text: string, path = 'pycontainer.toml'): TomlFile {
  const parsed = parseTomlFile(text, path);
  if (isDiagnostic(parsed)) assert.fail(`test TOML does not parse: ${formatDiagnostic(parsed)}`);
  return parsed;
}

/** Validates pycontainer.toml text (root tables). */
function validateToml(text: string): Diagnostic[] {
  const file = toml(text);
  return validateConfig(file.data, file, []).diagnostics;
}

/** Validates pyproject.toml text ([tool.pycontainer]). */
function validatePyproject(text: string): Diagnostic[] {
  const file = toml(text, 'pyproject.toml');
  const table = (file.data.tool as Record<string, unknown>).pycontainer;
  return validateConfig(table, file, ['tool', 'pycontainer']).diagnostics;
}

function fileSource(file: TomlFile, prefix: string[]): ConfigSource {
  let table: unknown = file.data;
  for (const p of prefix) table = (table as Record<string, unknown>)[p];
  const file2 = validateConfig(table, file, prefix);
  assert.deepEqual(file2.diagnostics, [], 'the test config must be valid');
  return { label: file.path, file, prefix, config: file2.config! };
}

function meta(overrides: Partial<ProjectMetadata> = {}): ProjectMetadata {
  return { name: 'demo', version: '1.0.0', scripts: [], guiScripts: [], dependencies: [], knownPackages: [], ...overrides };
}

// ---------------------------------------------------------------------------------------------------

describe('parseTomlFile', () => {
  test('parses valid TOML and records text and digest', () => {
    const text = '[build]\nworkdir = "/srv"\n';
    const file = toml(text);
    assert.deepEqual(JSON.parse(JSON.stringify(file.data)), { build: { workdir: '/srv' } });
    assert.equal(file.path, 'pycontainer.toml');
    assert.equal(file.text, text);
    assert.equal(file.sha256, createHash('sha256').update(text).digest('hex'));
  });

  test('malformed TOML gives a one-line diagnostic with line and column', () => {
    const d = parseTomlFile('[build]\nworkdir = "/app"\nuser = = "x"\n', 'pycontainer.toml');
    assert.ok(isDiagnostic(d));
    assert.equal(d.source, 'pycontainer.toml');
    assert.equal(d.line, 3);
    assert.equal(typeof d.column, 'number');
    assert.ok(d.column! >= 1 && d.column! <= 12, `column ${d.column}`);
    assert.match(d.message, /^invalid TOML: /);
    assert.ok(!d.message.includes('\n'), 'one line');
    assert.match(formatDiagnostic(d), /^pycontainer\.toml:3:\d+: invalid TOML: /);
  });

  test('an unterminated string is located on its line', () => {
    const d = parseTomlFile('[build]\nworkdir = "/app\n', 'x/pycontainer.toml');
    assert.ok(isDiagnostic(d));
    assert.equal(d.source, 'x/pycontainer.toml');
    assert.equal(d.line, 2);
    assert.ok(d.column !== undefined);
  });

  test('a duplicate key is a diagnostic, not an exception', () => {
    const d = parseTomlFile('[build]\nuser = "a"\nuser = "b"\n', 'pycontainer.toml');
    assert.ok(isDiagnostic(d));
    assert.equal(d.line, 3);
  });
});

describe('locateKey', () => {
  const text = [
    '[project]', // 1
    'name = "x"', // 2
    '', // 3
    '[tool.pycontainer.build]', // 4
    'workdir = "/srv"', // 5
    'env = { A = "1", B = "2" }', // 6
    'labels.team = "core"', // 7
    '', // 8
    '[tool.pycontainer.registry]', // 9
    'url = "ghcr.io/x"', // 10
    '"insecure" = true', // 11
  ].join('\n');

  test('keys under a [table] header', () => {
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'build', 'workdir']), 5);
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'registry', 'url']), 10);
    assert.equal(locateKey(text, ['project', 'name']), 2);
  });

  test('quoted keys', () => {
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'registry', 'insecure']), 11);
  });

  test('dotted keys', () => {
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'build', 'labels', 'team']), 7);
    assert.equal(locateKey('[tool.pycontainer]\nbuild.workdir = "/x"\n', ['tool', 'pycontainer', 'build', 'workdir']), 2);
  });

  test('a key inside an inline table is found on the inline table line', () => {
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'build', 'env', 'B']), 6);
    assert.equal(locateKey('[tool.pycontainer]\nbuild = { workdri = "/x" }\n', ['tool', 'pycontainer', 'build', 'workdri']), 2);
  });

  test('a key absent from the text is undefined', () => {
    assert.equal(locateKey(text, ['tool', 'pycontainer', 'build', 'user']), undefined);
    assert.equal(locateKey('', ['build']), undefined);
  });

  test('a commented-out key is not found', () => {
    assert.equal(locateKey('[build]\n# workdir = "/x"\n', ['build', 'workdir']), undefined);
  });

  test('a table named in a header is located at its header', () => {
    assert.equal(locateKey('[bulid]\nworkdir = "/x"\n', ['bulid']), 1);
    assert.equal(locateKey('[build.env]\nFOO = "1"\n', ['build', 'env']), 1);
  });
});

describe('validateConfig', () => {
  test('a valid configuration has no diagnostics and is returned', () => {
    const file = toml('[build]\nworkdir = "/srv"\nexposed_ports = [8000, "53/udp"]\nplatforms = ["linux/amd64", "linux/arm64/v8"]\n[build.env]\nA = "1"\n[registry]\nurl = "ghcr.io/x"\nusername = "me"\n');
    const { config, diagnostics } = validateConfig(file.data, file, []);
    assert.deepEqual(diagnostics, []);
    assert.equal(config?.build?.workdir, '/srv');
    assert.deepEqual({ ...(config?.registry as object) }, { url: 'ghcr.io/x', username: 'me' });
  });

  test('unknown key with a suggestion, the full key path and the line (pycontainer.toml)', () => {
    const ds = validateToml('[build]\nuser = "1000"\nworkdri = "/srv"\n');
    assert.equal(ds.length, 1);
    assert.deepEqual(ds[0], {
      source: 'pycontainer.toml',
      key: 'build.workdri',
      line: 3,
      message: 'unknown key "workdri"; did you mean "workdir"?',
    });
  });

  test('unknown key in [tool.pycontainer] names the full pyproject key path', () => {
    const ds = validatePyproject('[project]\nname = "x"\n\n[tool.pycontainer.build]\nworkdri = "/srv"\n');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.source, 'pyproject.toml');
    assert.equal(ds[0]!.key, 'tool.pycontainer.build.workdri');
    assert.equal(ds[0]!.line, 5);
    assert.equal(ds[0]!.message, 'unknown key "workdri"; did you mean "workdir"?');
    assert.equal(formatDiagnostic(ds[0]!), 'pyproject.toml:5: tool.pycontainer.build.workdri: unknown key "workdri"; did you mean "workdir"?');
  });

  test('unknown top-level table gets a suggestion too', () => {
    const ds = validateToml('[bulid]\nworkdir = "/x"\n');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.key, 'bulid');
    assert.equal(ds[0]!.message, 'unknown key "bulid"; did you mean "build"?');
  });

  test('unknown key far from every known key lists the known keys', () => {
    const ds = validateToml('[registry]\nzzzzzzzzzz = 1\n');
    assert.equal(ds.length, 1);
    assert.match(ds[0]!.message, /^unknown key "zzzzzzzzzz"; known keys: url, username, insecure$/);
  });

  test('wrong type names the expected type and the value', () => {
    const ds = validateToml('[build]\ninclude_deps = "yes"\n');
    assert.deepEqual(ds, [{ source: 'pycontainer.toml', key: 'build.include_deps', line: 2, message: 'must be true or false, not string "yes"' }]);
    const arr = validateToml('[build]\ncmd = "python main.py"\n');
    assert.equal(arr[0]!.key, 'build.cmd');
    assert.equal(arr[0]!.message, 'must be an array, not string "python main.py"');
  });

  test('relative workdir, and a workdir with a ".." segment', () => {
    const message = (v: string) => `${JSON.stringify(v)} must be an absolute path inside the image with no ".." segment, e.g. "/app"`;
    assert.deepEqual(validateToml('[build]\nworkdir = "app"\n'), [{ source: 'pycontainer.toml', key: 'build.workdir', line: 2, message: message('app') }]);
    for (const bad of ['/app/../etc', '/..', '/../x', '/a/..']) {
      assert.deepEqual(validateToml(`[build]\nworkdir = "${bad}"\n`), [{ source: 'pycontainer.toml', key: 'build.workdir', line: 2, message: message(bad) }], bad);
    }
    for (const good of ['/', '/app', '/srv/my..app', '/a/.hidden', '//srv/./x/']) assert.deepEqual(validateToml(`[build]\nworkdir = "${good}"\n`), [], good);
  });

  test('entrypoint must not be empty; cmd may be (it clears the base image\'s Cmd)', () => {
    assert.deepEqual(validateToml('[build]\nentrypoint = []\n'), [
      { source: 'pycontainer.toml', key: 'build.entrypoint', line: 2, message: 'is empty: give the program and its arguments, e.g. ["python", "-m", "app"], or leave entrypoint out to use the detected command' },
    ]);
    assert.equal(validateToml('[build]\nentrypoint = [""]\n')[0]?.key, 'build.entrypoint.0');
    assert.deepEqual(validateToml('[build]\ncmd = []\n'), []);
  });

  test('user: a name or uid, then optionally ":" and a group name or gid', () => {
    for (const good of ['root', '1000', '1000:1000', 'app:app', 'app:100', '100:app', '_svc', 'user.name-1', 'machine$']) {
      assert.deepEqual(validateToml(`[build]\nuser = "${good}"\n`), [], good);
    }
    for (const bad of ['weird user', ':', '1000:', ':1000', 'a:b:c', '-x', '1x:2', 'app:', 'é']) {
      const ds = validateToml(`[build]\nuser = "${bad}"\n`);
      assert.equal(ds.length, 1, bad);
      assert.equal(ds[0]!.key, 'build.user', bad);
      assert.equal(ds[0]!.message, `${JSON.stringify(bad)} is not a user: give a name or a numeric uid, optionally followed by ":" and a group name or gid, e.g. "app", "1000" or "1000:1000"`);
    }
  });

  test('flags go through the same schema and name the flag', () => {
    const { source } = flagsToSource({ user: 'weird user', tag: [''] });
    assert.deepEqual(
      validateFlags(source).map((d) => `${d.source}: ${d.message}`).sort(),
      ['--tag: is empty: give an image reference, e.g. "app:1.0"', '--user: "weird user" is not a user: give a name or a numeric uid, optionally followed by ":" and a group name or gid, e.g. "app", "1000" or "1000:1000"'],
    );
    assert.deepEqual(validateFlags(flagsToSource({ user: '1000:1000', tag: ['app:1'], workdir: '/srv' }).source), []);
  });

  test('bad platform pattern, in platform and in platforms', () => {
    const one = validateToml('[build]\nplatform = "linux"\n');
    assert.equal(one.length, 1);
    assert.equal(one[0]!.key, 'build.platform');
    assert.match(one[0]!.message, /"linux" is not a platform: use os\/arch\[\/variant\]/);
    const many = validateToml('[build]\nplatforms = ["linux/amd64", "Linux/AMD64"]\n');
    assert.equal(many.length, 1);
    assert.equal(many[0]!.key, 'build.platforms.1');
    assert.equal(many[0]!.line, 2);
    assert.match(many[0]!.message, /"Linux\/AMD64" is not a platform/);
  });

  test('bad exposed ports: out of range, wrong protocol', () => {
    const ds = validateToml('[build]\nexposed_ports = [8000, 0, 70000, "80/xyz", "8080/tcp"]\n');
    assert.deepEqual(
      ds.map((d) => d.key),
      ['build.exposed_ports.1', 'build.exposed_ports.2', 'build.exposed_ports.3'],
    );
    for (const d of ds) assert.match(d.message, /is not valid here: use a port number 1-65535 or a string like "8080\/tcp"/);
    assert.match(ds[1]!.message, /^70000 /);
  });

  test('a port string above 65535 is rejected', () => {
    const ds = validateToml('[build]\nexposed_ports = ["99999/tcp", "0/tcp"]\n');
    assert.equal(ds.length, 2);
  });

  test('registry.password gives the "secrets do not belong" message without echoing the secret', () => {
    const ds = validateToml('[registry]\nurl = "ghcr.io/x"\npassword = "hunter2"\n');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.key, 'registry.password');
    assert.equal(ds[0]!.line, 3);
    assert.match(ds[0]!.message, /^secrets do not belong in configuration files/);
    assert.match(ds[0]!.message, /REGISTRY_PASSWORD/);
    assert.ok(!JSON.stringify(ds).includes('hunter2'));
    const token = validatePyproject('[tool.pycontainer.registry]\ntoken = "abc"\n');
    assert.equal(token[0]!.key, 'tool.pycontainer.registry.token');
    assert.match(token[0]!.message, /^secrets do not belong/);
  });

  test('several problems are reported at once, each with its line', () => {
    const ds = validateToml(
      ['[build]', 'workdir = "app"', 'include_deps = "yes"', 'workdri = "/x"', 'exposed_ports = [0]', '[registry]', 'password = "p"'].join('\n'),
    );
    const byKey = Object.fromEntries(ds.map((d) => [d.key, d.line]));
    assert.deepEqual(byKey, {
      'build.workdir': 2,
      'build.include_deps': 3,
      'build.workdri': 4,
      'build.exposed_ports.0': 5,
      'registry.password': 7,
    });
    assert.throws(
      () => throwIfDiagnostics(ds),
      (err: unknown) => err instanceof ConfigError && err.message === '5 problems in the configuration' && err.details.length === 5,
    );
  });

  test('invalid env variable names are reported under build.env', () => {
    const ds = validateToml('[build.env]\n"1BAD" = "x"\n');
    assert.ok(ds.length >= 1);
    assert.ok(ds.every((d) => d.key?.startsWith('build.env')));
    assert.ok(ds.some((d) => /"1BAD" is not a valid environment variable name/.test(d.message)));
  });

  test('one invalid env name gives one diagnostic', () => {
    const ds = validateToml('[build.env]\n"1BAD" = "x"\n');
    assert.equal(ds.length, 1);
  });

  test('env values of the wrong type are not echoed (they may be secrets)', () => {
    const ds = validateToml('[build.env]\nAPI_TOKEN = 123456789\n');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.key, 'build.env.API_TOKEN');
    assert.ok(!ds[0]!.message.includes('123456789'), ds[0]!.message);
  });

  test('closest() accepts small typos and dash/underscore spelling, rejects unrelated words', () => {
    assert.equal(closest('workdri', ['workdir', 'user']), 'workdir');
    assert.equal(closest('include-deps', ['include_deps', 'include_paths']), 'include_deps');
    assert.equal(closest('BASE_IMAGE', ['base_image']), 'base_image');
    assert.equal(closest('color', ['workdir', 'user']), undefined);
  });
});

describe('validatePyproject: [project] as PEP 621 defines it, [tool.poetry] name and version', () => {
  const check = (text: string) => validatePyprojectTables(toml(text, 'pyproject.toml')).map(formatDiagnostic);
  const project = (lines: string) => check(`[project]\nname = "demo"\nversion = "1.0"\n${lines}\n`);

  test('a complete, valid [project] table passes', () => {
    const text = [
      '[project]',
      'name = "my_app.core"',
      'version = "2.1.0rc1.post2+local.7"',
      'description = "d"',
      'readme = { file = "README.md", content-type = "text/markdown" }',
      'requires-python = ">=3.9, <4"',
      'license = "MIT OR Apache-2.0"',
      'license-files = ["LICENSE*"]',
      'authors = [{ name = "A", email = "a@example.com" }]',
      'keywords = ["k"]',
      'classifiers = ["Programming Language :: Python"]',
      'dependencies = ["requests>=2.31", "uvicorn[standard]; sys_platform == \'linux\'", "pkg @ https://example.com/pkg.whl", "attrs (>=22)"]',
      '[project.optional-dependencies]',
      'dev = ["pytest"]',
      '[project.scripts]',
      'app = "my_app.cli:main"',
      '[project.gui-scripts]',
      'gui = "my_app.gui:run"',
      '[project.entry-points."my.group"]',
      'x = "my_app:x"',
      '[project.urls]',
      'Homepage = "https://example.com"',
      '[tool.other]',
      'anything = [1, "two"]',
    ].join('\n');
    assert.deepEqual(check(text), []);
    assert.deepEqual(check('[project]\nname = "demo"\ndynamic = ["version", "dependencies"]\n'), []);
    assert.deepEqual(check('[tool.black]\nline-length = 100\n'), []);
  });

  test('each bad value is one diagnostic naming the line and the key', () => {
    assert.deepEqual(check('[project]\nname = 5\n'), ['pyproject.toml:2: project.name: must be a string, not number 5']);
    assert.deepEqual(check('[project]\nname = "-bad-"\n'), [
      'pyproject.toml:2: project.name: "-bad-" is not a valid project name (PEP 508: letters, digits, ".", "_" and "-", starting and ending with a letter or digit)',
    ]);
    assert.deepEqual(check('[project]\nname = "demo"\nversion = "not a version!"\n'), [
      'pyproject.toml:3: project.version: "not a version!" is not a valid PEP 440 version, e.g. "1.0", "2.1.0rc1" or "0.3.post1"',
    ]);
    assert.deepEqual(project('scripts = ["a"]'), ['pyproject.toml:4: project.scripts: must be a table, not an array']);
    assert.deepEqual(project('[project.scripts]\napp = 1'), ['pyproject.toml:5: project.scripts.app: must be a string, not number 1']);
    assert.deepEqual(project('gui-scripts = "x"'), ['pyproject.toml:4: project.gui-scripts: must be a table, not string "x"']);
    assert.deepEqual(project('requires-python = ">=banana"'), [
      'pyproject.toml:4: project.requires-python: ">=banana" is not a valid PEP 440 version specifier, e.g. ">=3.10" or ">=3.9,<4"',
    ]);
    assert.deepEqual(project('dependencies = "requests"'), ['pyproject.toml:4: project.dependencies: must be an array, not string "requests"']);
    assert.deepEqual(check('project = "hello"\n'), ['pyproject.toml:1: project: must be a table, not string "hello"']);
  });

  test('dependencies are PEP 508 requirements: name, extras, specifier, marker', () => {
    const bad = ['requests >= banana', 'requests; os_name =', '==1.0', 'foo[bar', 'requests @'];
    for (const b of bad) {
      const out = project(`dependencies = [${JSON.stringify(b)}]`);
      assert.equal(out.length, 1, b);
      assert.match(out[0]!, /^pyproject\.toml:4: project\.dependencies\.0: .* is not a PEP 508 requirement/, b);
    }
    assert.match(project('[project.optional-dependencies]\ndev = ["pytest>>1"]')[0]!, /project\.optional-dependencies\.dev\.0: "pytest>>1" is not a PEP 508 requirement/);
  });

  test('unknown keys: the specification allows no others in [project]', () => {
    assert.deepEqual(project('dependecies = []'), [
      'pyproject.toml:4: project.dependecies: unknown key "dependecies": the pyproject.toml specification allows no other keys in [project]; did you mean "dependencies"?',
    ]);
  });

  test('dynamic: known keys only, never name, never also set statically', () => {
    assert.deepEqual(check('[project]\nname = "demo"\ndynamic = ["versoin"]\n'), [
      'pyproject.toml:3: project.dynamic.0: "versoin" cannot be dynamic: list only keys of [project] other than name (the name is always static)',
    ]);
    assert.deepEqual(project('dynamic = ["version"]'), ['pyproject.toml:3: project.version: is set here and also listed in project.dynamic; remove one of the two']);
  });

  test('[tool.poetry]: name and version checked lightly, the rest left to Poetry', () => {
    assert.deepEqual(check('[tool.poetry]\nname = "demo"\nversion = "0.1.0"\n[tool.poetry.dependencies]\npython = "^3.11"\n[tool.poetry.scripts]\nx = { callable = "a:b" }\n'), []);
    assert.deepEqual(check('[tool.poetry]\nname = ["demo"]\nversion = "one"\n'), [
      'pyproject.toml:2: tool.poetry.name: must be a string, not an array',
      'pyproject.toml:3: tool.poetry.version: "one" is not a valid PEP 440 version, e.g. "1.0", "2.1.0rc1" or "0.3.post1"',
    ]);
  });
});

describe('mergeConfig and flagsToSource', () => {
  const pycontainerToml = toml(
    ['[build]', 'workdir = "/toml"', 'user = "1000"', 'platform = "linux/arm64"', '', '[build.env]', 'A = "toml"', 'B = "toml"', '', '[build.labels]', 'team = "toml"'].join('\n'),
  );
  const pyproject = toml(
    [
      '[project]',
      'name = "x"',
      '',
      '[tool.pycontainer.build]',
      'workdir = "/py"',
      'user = "2000"',
      'include_deps = true',
      'env = { A = "py", C = "py" }',
      'labels = { team = "py", owner = "py" }',
      'tag = "x:py"',
      '',
      '[tool.pycontainer.registry]',
      'url = "ghcr.io/py"',
    ].join('\n'),
    'pyproject.toml',
  );
  const tomlSource = fileSource(pycontainerToml, []);
  const pySource = fileSource(pyproject, ['tool', 'pycontainer']);

  test('flags > pycontainer.toml > [tool.pycontainer], with provenance', () => {
    const { source, diagnostics } = flagsToSource({ workdir: '/flag', env: ['A=flag', 'D=flag=with=equals'] });
    assert.deepEqual(diagnostics, []);
    const merged = mergeConfig([source, tomlSource, pySource]);
    assert.equal(merged.build.workdir, '/flag');
    assert.equal(merged.provenance['build.workdir'], 'flag --workdir');
    assert.equal(merged.build.user, '1000');
    assert.equal(merged.provenance['build.user'], 'pycontainer.toml:3');
    assert.equal(merged.build.include_deps, true);
    assert.equal(merged.provenance['build.include_deps'], 'pyproject.toml:7');
    assert.deepEqual(merged.build.platforms, ['linux/arm64']);
    assert.equal(merged.provenance['build.platforms'], 'pycontainer.toml:4');
    assert.deepEqual(merged.build.tags, ['x:py']);
    assert.equal(merged.provenance['build.tags'], 'pyproject.toml:10');
    assert.equal(merged.registry.url, 'ghcr.io/py');
    assert.equal(merged.provenance['registry.url'], 'pyproject.toml:13');
  });

  test('env and labels merge per key', () => {
    const { source } = flagsToSource({ env: ['A=flag'] });
    const merged = mergeConfig([source, tomlSource, pySource]);
    assert.deepEqual(merged.build.env, { A: 'flag', B: 'toml', C: 'py' });
    assert.equal(merged.provenance['build.env.A'], 'flag --env');
    assert.equal(merged.provenance['build.env.B'], 'pycontainer.toml:8');
    assert.equal(merged.provenance['build.env.C'], 'pyproject.toml:8');
    assert.deepEqual(merged.build.labels, { team: 'toml', owner: 'py' });
    assert.equal(merged.provenance['build.labels.team'], 'pycontainer.toml:11');
    assert.equal(merged.provenance['build.labels.owner'], 'pyproject.toml:9');
  });

  test('without flags the file values win in order', () => {
    const merged = mergeConfig([flagsToSource({}).source, tomlSource, pySource]);
    assert.equal(merged.build.workdir, '/toml');
    assert.equal(merged.provenance['build.workdir'], 'pycontainer.toml:2');
    const onlyPy = mergeConfig([pySource]);
    assert.equal(onlyPy.build.workdir, '/py');
    assert.equal(onlyPy.provenance['build.workdir'], 'pyproject.toml:5');
  });

  test('an unset setting stays undefined and has no provenance', () => {
    const merged = mergeConfig([flagsToSource({}).source, tomlSource]);
    assert.equal(merged.build.base_image, undefined);
    assert.equal(merged.provenance['build.base_image'], undefined);
  });

  test('flags: platforms split on commas and normalized, other flags carried through', () => {
    const { source, diagnostics } = flagsToSource({
      platform: ['linux/amd64,linux/aarch64', ' linux/arm/v7 '],
      baseImage: 'scratch',
      tag: ['a:1', 'b:2'],
      includeDeps: false,
      user: 'root',
    });
    assert.deepEqual(diagnostics, []);
    const merged = mergeConfig([source]);
    assert.deepEqual(merged.build.platforms, ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    assert.equal(merged.provenance['build.platforms'], 'flag --platform');
    assert.equal(merged.build.base_image, 'scratch');
    assert.equal(merged.provenance['build.base_image'], 'flag --base-image');
    assert.deepEqual(merged.build.tags, ['a:1', 'b:2']);
    assert.equal(merged.provenance['build.tags'], 'flag --tag');
    assert.equal(merged.build.include_deps, false);
    assert.equal(merged.build.user, 'root');
  });

  test('invalid --platform values become diagnostics', () => {
    const { diagnostics } = flagsToSource({ platform: ['linux/amd64,foo', 'windows/amd64', 'linux/sparc'] });
    assert.equal(diagnostics.length, 3);
    assert.ok(diagnostics.every((d) => d.source === '--platform'));
    assert.match(diagnostics[0]!.message, /invalid platform "foo": expected os\/arch/);
    assert.match(diagnostics[1]!.message, /only linux/);
    assert.match(diagnostics[2]!.message, /unknown architecture "sparc"/);
  });

  test('invalid --env values become diagnostics that never echo the value', () => {
    const { source, diagnostics } = flagsToSource({ env: ['bad key=hunter2', '=s3cret', '1X=topsecret', 'OK=fine'] });
    assert.equal(diagnostics.length, 3);
    assert.ok(diagnostics.every((d) => d.source === '--env'));
    const text = diagnostics.map(formatDiagnostic).join('\n');
    for (const secret of ['hunter2', 's3cret', 'topsecret']) assert.ok(!text.includes(secret), `${secret} echoed in: ${text}`);
    assert.match(diagnostics[0]!.message, /"bad key=…" is not KEY=VALUE/);
    assert.deepEqual(mergeConfig([source]).build.env, { OK: 'fine' });
  });

  test('an --env item without "=" is not echoed either', () => {
    const { diagnostics } = flagsToSource({ env: ['API_KEY:s3cr3t'] });
    assert.equal(diagnostics.length, 1);
    assert.ok(!diagnostics[0]!.message.includes('s3cr3t'), diagnostics[0]!.message);
  });

  test('a relative --workdir is a diagnostic', () => {
    const { source, diagnostics } = flagsToSource({ workdir: 'app' });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.source, '--workdir');
    assert.match(diagnostics[0]!.message, /"app" must be an absolute path/);
    assert.equal(mergeConfig([source]).build.workdir, undefined);
  });
});


// ---------------------------------------------------------------------------------------------------
// pycontainer-build's configuration (the Python tool this one replaces), as its README, its Poetry
// plugin's README and its FastAPI example write it: flat keys under [tool.pycontainer], a registry
// string, its own key names in pycontainer.toml [build], [registry] url as a full repository.

describe("pycontainer-build's configuration", () => {
  // Shaped like its FastAPI example's pyproject.toml and its Poetry plugin's configuration reference.
  const poetryStyle = [
    '[project]', //                                         1
    'name = "shop-api"', //                                 2
    'version = "2.3.0"', //                                 3
    '', //                                                  4
    '[tool.pycontainer]', //                                5
    'tag = "shop-api:latest"', //                           6
    'base_image = "python:3.12-slim"', //                   7
    'registry = "ghcr.io/acme/shop-api"', //                8
    'include_deps = true', //                               9
    'push = false', //                                      10
    'sbom = "spdx"', //                                     11
    'verbose = true', //                                    12
    'no_cache = true', //                                   13
    '', //                                                  14
    '[tool.pycontainer.env]', //                            15
    'ENV = "production"', //                                16
    'PORT = "8080"', //                                     17
    '', //                                                  18
    '[tool.pycontainer.labels]', //                         19
    'maintainer = "ops@acme.example"', //                   20
    'org.opencontainers.image.source = "https://git.acme.example/shop"', // 21
  ].join('\n');

  // Shaped like its README's pycontainer.toml, with the [build] names its BuildConfig accepts.
  const readmeStyle = [
    '[build]', //                                           1
    'base_image = "python:3.11-slim"', //                   2
    'workdir = "/srv"', //                                  3
    'include_deps = true', //                               4
    'reproducible = true', //                               5
    'output_dir = "out/image"', //                          6
    'use_cache = false', //                                 7
    'requirements_file = "requirements/prod.txt"', //      8
    'generate_sbom = true', //                              9
    'max_cache_size_mb = 2000', //                          10
    'context_dir = "."', //                                 11
    'platform = "linux/arm64"', //                          12
    '', //                                                  13
    '[build.labels]', //                                    14
    'version = "1.0.0"', //                                 15
    '', //                                                  16
    '[build.env]', //                                       17
    'DEBUG = "false"', //                                   18
    '', //                                                  19
    '[registry]', //                                        20
    'url = "ghcr.io/acme/shop-api"', //                     21
  ].join('\n');

  test('flat keys under [tool.pycontainer] validate and merge like [tool.pycontainer.build], with their lines', () => {
    assert.deepEqual(validatePyproject(poetryStyle), []);
    const merged = mergeConfig([fileSource(toml(poetryStyle, 'pyproject.toml'), ['tool', 'pycontainer'])]);
    assert.deepEqual(merged.build.tags, ['shop-api:latest']);
    assert.equal(merged.provenance['build.tags'], 'pyproject.toml:6');
    assert.equal(merged.build.base_image, 'python:3.12-slim');
    assert.equal(merged.provenance['build.base_image'], 'pyproject.toml:7');
    assert.equal(merged.registry.url, 'ghcr.io/acme/shop-api');
    assert.equal(merged.provenance['registry.url'], 'pyproject.toml:8');
    assert.equal(merged.build.include_deps, true);
    assert.equal(merged.build.push, false);
    assert.equal(merged.build.sbom, 'spdx');
    assert.equal(merged.build.verbose, true);
    assert.equal(merged.build.cache, false, 'no_cache = true is cache = false');
    assert.equal(merged.provenance['build.cache'], 'pyproject.toml:13');
    assert.deepEqual(merged.build.env, { ENV: 'production', PORT: '8080' });
    assert.equal(merged.provenance['build.env.PORT'], 'pyproject.toml:17');
    // An unquoted dotted key is a nested table in TOML: read as the dotted label name.
    assert.deepEqual(merged.build.labels, { maintainer: 'ops@acme.example', 'org.opencontainers.image.source': 'https://git.acme.example/shop' });
    assert.equal(merged.provenance['build.labels.org.opencontainers.image.source'], 'pyproject.toml:21');
    assert.deepEqual(merged.notices, []);
  });

  test("[tool.pycontainer] tag = \"x\" is the same setting as [tool.pycontainer.build] tag = \"x\"", () => {
    const flat = mergeConfig([fileSource(toml('[tool.pycontainer]\ntag = "x:1"\nworkdir = "/w"\n', 'pyproject.toml'), ['tool', 'pycontainer'])]);
    const nested = mergeConfig([fileSource(toml('[tool.pycontainer.build]\ntag = "x:1"\nworkdir = "/w"\n', 'pyproject.toml'), ['tool', 'pycontainer'])]);
    assert.deepEqual(flat.build, nested.build);
    assert.deepEqual(flat.provenance, { 'build.tags': 'pyproject.toml:2', 'build.workdir': 'pyproject.toml:3' });
    assert.deepEqual(nested.provenance, { 'build.tags': 'pyproject.toml:2', 'build.workdir': 'pyproject.toml:3' });
  });

  test("pycontainer.toml [build] with pycontainer-build's key names maps onto ours", () => {
    assert.deepEqual(validateToml(readmeStyle), []);
    const merged = mergeConfig([fileSource(toml(readmeStyle), [])]);
    assert.equal(merged.build.output, 'out/image');
    assert.equal(merged.provenance['build.output'], 'pycontainer.toml:6');
    assert.equal(merged.build.cache, false);
    assert.equal(merged.provenance['build.cache'], 'pycontainer.toml:7');
    assert.equal(merged.build.requirements, 'requirements/prod.txt');
    assert.equal(merged.provenance['build.requirements'], 'pycontainer.toml:8');
    assert.equal(merged.build.sbom, 'spdx', 'generate_sbom = true is spdx, its default format');
    assert.deepEqual(merged.build.platforms, ['linux/arm64']);
    assert.equal(merged.provenance['build.platforms'], 'pycontainer.toml:12');
    assert.equal(merged.registry.url, 'ghcr.io/acme/shop-api');
    assert.equal(merged.provenance['registry.url'], 'pycontainer.toml:21');
    for (const gone of ['output_dir', 'use_cache', 'requirements_file', 'generate_sbom', 'max_cache_size_mb', 'context_dir']) {
      assert.ok(!(gone in merged.build), `${gone} is read into our name, not kept`);
    }
    assert.deepEqual(merged.notices, ['pycontainer.toml:10: build.max_cache_size_mb is not used: the cache keeps itself under a fixed 4 GiB, least recently used first']);
  });

  test('a flag still beats a flat key, and a flat key in pycontainer.toml beats pyproject.toml', () => {
    const py = fileSource(toml(poetryStyle, 'pyproject.toml'), ['tool', 'pycontainer']);
    const pc = fileSource(toml('base_image = "python:3.13-slim"\n'), []);
    const merged = mergeConfig([flagsToSource({ tag: ['cli:1'] }).source, pc, py]);
    assert.deepEqual(merged.build.tags, ['cli:1']);
    assert.equal(merged.provenance['build.tags'], 'flag --tag');
    assert.equal(merged.build.base_image, 'python:3.13-slim');
    assert.equal(merged.provenance['build.base_image'], 'pycontainer.toml:1');
  });

  test('the same setting flat and under build is an error naming both places', () => {
    const ds = validatePyproject('[tool.pycontainer]\ntag = "a:1"\n\n[tool.pycontainer.build]\ntag = "b:1"\n');
    assert.equal(ds.length, 1);
    assert.equal(formatDiagnostic(ds[0]!), 'pyproject.toml:2: tool.pycontainer.tag: also set as tool.pycontainer.build.tag (line 5); keep one of them');
  });

  test('the same setting under two names (ours and the original) is an error naming both', () => {
    assert.deepEqual(validateToml('[build]\noutput = "a"\noutput_dir = "b"\n').map(formatDiagnostic), [
      'pycontainer.toml:2: build.output: also set as build.output_dir (line 3); keep one of them',
    ]);
    assert.deepEqual(validatePyproject('[tool.pycontainer]\nno_cache = true\n[tool.pycontainer.build]\ncache = true\n').map(formatDiagnostic), [
      'pyproject.toml:2: tool.pycontainer.no_cache: also set as tool.pycontainer.build.cache (line 4); keep one of them',
    ]);
    // tag and tags are two settings (they fold into one list), not a conflict.
    assert.deepEqual(validatePyproject('[tool.pycontainer]\ntag = "a:1"\ntags = ["a:2"]\n'), []);
  });

  test('unknown flat keys still get "did you mean"', () => {
    const ds = validatePyproject('[tool.pycontainer]\nbase_imgae = "python:3.12-slim"\n');
    assert.equal(formatDiagnostic(ds[0]!), 'pyproject.toml:2: tool.pycontainer.base_imgae: unknown key "base_imgae"; did you mean "base_image"?');
    assert.match(formatDiagnostic(validatePyproject('[tool.pycontainer]\nrequirement_file = "r.txt"\n')[0]!), /did you mean "requirements_file"\?/);
  });

  test('wrong values in the original spelling name the key and what to write', () => {
    assert.deepEqual(validatePyproject('[tool.pycontainer]\nregistry = 5\n').map(formatDiagnostic), [
      'pyproject.toml:2: tool.pycontainer.registry: 5 is not valid here: use a [registry] table or the registry url as a string',
    ]);
    assert.deepEqual(validatePyproject('[tool.pycontainer.labels]\nmaintainer = "a"\norg.team = 3\n').map(formatDiagnostic), [
      'pyproject.toml:3: tool.pycontainer.labels.org.team: 3 is not valid here: a label value must be a string',
    ]);
    assert.deepEqual(validateToml('[build]\ngenerate_sbom = "xml"\n').map(formatDiagnostic), [
      'pycontainer.toml:2: build.generate_sbom: "xml" is not valid here: use "spdx", "cyclonedx" or true',
    ]);
    assert.deepEqual(validateToml('[build]\ncontext_dir = "backend"\n').map(formatDiagnostic), [
      'pycontainer.toml:2: build.context_dir: pycontainer takes the context from --context (-C), not from the configuration: remove context_dir (or set it to ".")',
    ]);
    // A [registry] table keeps its own messages (unknown key, secrets).
    assert.deepEqual(validatePyproject('[tool.pycontainer.registry]\nurl = "ghcr.io/a/b"\nurll = "x"\n').map(formatDiagnostic), [
      'pyproject.toml:3: tool.pycontainer.registry.urll: unknown key "urll"; did you mean "url"?',
    ]);
  });

  test('generate_sbom = false asks for no SBOM', () => {
    const merged = mergeConfig([fileSource(toml('[build]\ngenerate_sbom = false\n'), [])]);
    assert.equal(merged.build.sbom, undefined);
  });
});

describe('resolveTags: the tags and how the registry url is read', () => {
  const project = { name: 'shop-api', version: '2.3.0' };
  /** A merged configuration as mergeConfig gives it: tags and a url with their provenance. */
  function resolve(opts: { tags?: string[]; url?: string; flag?: boolean }, p = project) {
    const merged: MergedConfig = { build: {}, registry: {}, provenance: {}, notices: [] };
    if (opts.tags) {
      merged.build.tags = opts.tags;
      merged.provenance['build.tags'] = 'pyproject.toml:6';
    }
    if (opts.url !== undefined) {
      merged.registry.url = opts.url;
      merged.provenance['registry.url'] = opts.flag ? 'flag --registry' : 'pycontainer.toml:21';
    }
    return resolveTags(merged, p);
  }

  test('no registry: the configured tags, or name:version', () => {
    assert.deepEqual(resolve({}).tags, ['shop-api:2.3.0']);
    assert.equal(resolve({}).provenance['build.tags'], 'default (project name and version)');
    assert.deepEqual(resolve({ tags: ['a:1', 'a:1', 'b'] }).tags, ['a:1', 'b']);
    assert.deepEqual(resolve({}, { name: 'x', version: '1.0+local' }).tags, ['x:1.0-local'], 'a tag cannot hold "+"');
  });

  test("the original README: [registry] url = a full repository and the default tag → url:version, no notice", () => {
    const r = resolve({ url: 'ghcr.io/acme/shop-api' });
    assert.deepEqual(r.tags, ['ghcr.io/acme/shop-api:2.3.0']);
    assert.equal(r.provenance['registry.url'], 'pycontainer.toml:21; read as the full repository (ghcr.io/acme/shop-api:<tag>)');
    assert.deepEqual(r.notices, []);
    assert.deepEqual(r.diagnostics, []);
  });

  test('a bare tag ("1.0", "latest") is a tag of the url repository', () => {
    const r = resolve({ url: 'ghcr.io/acme/shop', tags: ['1.0', 'latest', 'v2'] });
    assert.deepEqual(r.tags, ['ghcr.io/acme/shop:1.0', 'ghcr.io/acme/shop:latest', 'ghcr.io/acme/shop:v2']);
    assert.deepEqual(r.notices, []);
  });

  test("the original cross-platform README: url ghcr.io/myorg/myapp with --tag myapp:latest → ghcr.io/myorg/myapp:latest", () => {
    const r = resolve({ url: 'ghcr.io/myorg/myapp', tags: ['myapp:latest', 'myapp:arm64'] });
    assert.deepEqual(r.tags, ['ghcr.io/myorg/myapp:latest', 'ghcr.io/myorg/myapp:arm64']);
    assert.match(r.provenance['registry.url']!, /read as the full repository/);
    assert.deepEqual(resolve({ url: 'ghcr.io/acme/shop', tags: ['acme/shop:1'] }).tags, ['ghcr.io/acme/shop:1'], 'the url ends with the tag\'s name');
  });

  test('tags with a name of their own make the url a prefix', () => {
    const r = resolve({ url: 'ghcr.io/acme', tags: ['shop-api:1.0', 'ghcr.io/other/x:1'] });
    assert.deepEqual(r.tags, ['ghcr.io/acme/shop-api:1.0', 'ghcr.io/other/x:1'], 'a tag that names a registry is kept');
    assert.equal(r.provenance['registry.url'], 'pycontainer.toml:21; read as a prefix (ghcr.io/acme/<name>:<tag>)');
    assert.deepEqual(r.notices, []);
  });

  test('a url ending with "/" is a prefix, whatever the tags', () => {
    const r = resolve({ url: 'ghcr.io/acme/' });
    assert.deepEqual(r.tags, ['ghcr.io/acme/shop-api:2.3.0']);
    assert.equal(r.provenance['registry.url'], 'pycontainer.toml:21; read as a prefix (ghcr.io/acme/<name>:<tag>)');
    assert.deepEqual(r.notices, []);
  });

  test('a url without a path is always a prefix', () => {
    const r = resolve({ url: 'https://localhost:5000/' });
    assert.deepEqual(r.tags, ['localhost:5000/shop-api:2.3.0']);
    assert.equal(r.provenance['registry.url'], 'pycontainer.toml:21; read as a registry prefix (localhost:5000/<name>:<tag>)');
    assert.deepEqual(resolve({ url: 'ghcr.io', tags: ['a/b:1', 'quay.io/c/d:2'] }).tags, ['ghcr.io/a/b:1', 'quay.io/c/d:2']);
  });

  test('a guess is said in one line with the other way to write it', () => {
    const byDefault = resolve({ url: 'ghcr.io/acme' });
    assert.deepEqual(byDefault.tags, ['ghcr.io/acme:2.3.0']);
    assert.equal(byDefault.notices.length, 1);
    assert.equal(
      byDefault.notices[0],
      'registry url "ghcr.io/acme" (pycontainer.toml:21) is read as the image\'s full repository: it is tagged ghcr.io/acme:2.3.0; for ghcr.io/acme/shop-api:2.3.0 end the url with "/" (ghcr.io/acme/), which makes it a prefix',
    );
    const bareName = resolve({ url: 'ghcr.io/acme/shop', tags: ['stable'] });
    assert.deepEqual(bareName.tags, ['ghcr.io/acme/shop:stable']);
    assert.deepEqual(bareName.notices, ['tag "stable" is read as a tag of registry url "ghcr.io/acme/shop" (ghcr.io/acme/shop:stable); for the repository ghcr.io/acme/shop/stable write "stable:latest"']);
  });

  test('tags that read the url both ways are an error', () => {
    const r = resolve({ url: 'ghcr.io/acme/shop', tags: ['1.0', 'web:1.0'] });
    assert.equal(r.diagnostics.length, 1);
    assert.equal(
      formatDiagnostic(r.diagnostics[0]!),
      'pycontainer.toml:21: registry.url: "ghcr.io/acme/shop" would be the full repository for tag "1.0" but a prefix for tag "web:1.0": write the tags as full references, or give them all a name of their own',
    );
  });

  test('--registry with a tag is the full reference, as in the original; dropped tags are said', () => {
    const r = resolve({ url: 'ghcr.io/acme/shop:v1', flag: true });
    assert.deepEqual(r.tags, ['ghcr.io/acme/shop:v1']);
    assert.equal(r.provenance['registry.url'], "flag --registry; read as the image's full reference");
    assert.deepEqual(r.notices, []);
    const dropping = resolve({ url: 'localhost:5000/shop:v1', flag: true, tags: ['shop:dev'] });
    assert.deepEqual(dropping.tags, ['localhost:5000/shop:v1']);
    assert.deepEqual(dropping.notices, ['--registry "localhost:5000/shop:v1" is a full reference: the image is tagged localhost:5000/shop:v1 only, not shop:dev (pyproject.toml:6)']);
  });

  test('--registry with a path reads like the url; a digest is refused', () => {
    assert.deepEqual(resolve({ url: 'localhost:5000/team/shop-api', flag: true }).tags, ['localhost:5000/team/shop-api:2.3.0']);
    const r = resolve({ url: 'ghcr.io/acme/shop@sha256:' + 'a'.repeat(64), flag: true });
    assert.equal(formatDiagnostic(r.diagnostics[0]!), `--registry: "ghcr.io/acme/shop@sha256:${'a'.repeat(64)}" names a digest; give a repository (ghcr.io/org/app) or a reference with a tag (ghcr.io/org/app:1.0)`);
  });
});

describe('ignore patterns (compiled regexes)', () => {
  const rx = (pattern: string) => compileRule(pattern, 'test')!;
  test('defaults and gitignore names become **/name and match at any depth', () => {
    const r = rx('**/__pycache__');
    assert.equal(r.negate, false);
    assert.ok(r.regex.test('__pycache__'));
    assert.ok(r.regex.test('src/pkg/__pycache__/x.pyc'));
    assert.ok(!r.regex.test('src/pkg/__pycache__x'));
  });
  test('anchored patterns, globs, dir-only and negation flags', () => {
    assert.ok(rx('*.log').regex.test('x.log'));
    assert.ok(!rx('*.log').regex.test('a/x.log'));
    assert.ok(rx('docs/**/*.png').regex.test('docs/x/y/a.png'));
    assert.ok(rx('docs/**/*.png').regex.test('docs/a.png'));
    assert.ok(!rx('docs/**/*.png').regex.test('src/docs/a.png'));
    assert.ok(rx('file?.txt').regex.test('file1.txt'));
    assert.ok(!rx('file?.txt').regex.test('file/.txt'));
    assert.ok(rx('x[!a].md').regex.test('xb.md'));
    assert.ok(!rx('x[!a].md').regex.test('xa.md'));
    assert.ok(rx('tests').regex.test('tests/test_a.py'), 'a match on a directory covers what is below it');
    assert.equal(rx('out/').dirOnly, true);
    assert.equal(rx('!keep.log').negate, true);
    assert.ok(rx('/abs').regex.test('abs'));
    assert.ok(rx('./dot').regex.test('dot'));
    assert.ok(rx('\\#notes').regex.test('#notes'));
  });
});

describe('ignore rules', () => {
  const git = (text: string) => compileIgnore(ignorePatterns({ gitignore: text }));
  const docker = (text: string) => compileIgnore(ignorePatterns({ dockerignore: text }));
  const ig = (rules: IgnoreRule[], path: string, isDir = false) => isIgnored(rules, path, isDir);

  test('gitignore: a pattern without an inner slash matches at any depth', () => {
    const rules = git('*.log\nsecrets.txt\n');
    assert.ok(ig(rules, 'x.log'));
    assert.ok(ig(rules, 'a/b/x.log'));
    assert.ok(ig(rules, 'deep/secrets.txt'));
    assert.ok(!ig(rules, 'x.logs'));
    assert.ok(!ig(rules, 'a/x.log.txt'));
  });

  test('gitignore: an inner or leading slash anchors at the root', () => {
    const rules = git('docs/site\n/local.cfg\n');
    assert.ok(ig(rules, 'docs/site', true));
    assert.ok(ig(rules, 'docs/site/x.html'));
    assert.ok(!ig(rules, 'src/docs/site', true));
    assert.ok(ig(rules, 'local.cfg'));
    assert.ok(!ig(rules, 'pkg/local.cfg'));
  });

  test('gitignore lines are recorded in the anchored form', () => {
    assert.deepEqual(gitignoreToAnchored('# c\n\n*.log\n/top\nout/\ndocs/site\n!keep.log\n\\#hash\n'), [
      '**/*.log',
      'top',
      '**/out/',
      'docs/site',
      '!**/keep.log',
      '**/#hash',
    ]);
  });

  test('dockerignore: every pattern is anchored at the context root', () => {
    const rules = docker('*.log\ntests\n/abs\n./dot\n');
    assert.ok(ig(rules, 'x.log'));
    assert.ok(!ig(rules, 'a/x.log'));
    assert.ok(ig(rules, 'tests', true));
    assert.ok(ig(rules, 'tests/test_a.py'));
    assert.ok(!ig(rules, 'pkg/tests/test_a.py'));
    assert.ok(ig(rules, 'abs'));
    assert.ok(ig(rules, 'dot'));
    assert.ok(!ig(rules, 'x/dot'));
  });

  test('** spans directories', () => {
    const rules = docker('**/*.log\ndocs/**/*.png\nout/**\n');
    assert.ok(ig(rules, 'x.log'));
    assert.ok(ig(rules, 'a/b/c/x.log'));
    assert.ok(ig(rules, 'docs/a.png'));
    assert.ok(ig(rules, 'docs/x/y/a.png'));
    assert.ok(!ig(rules, 'src/docs/a.png'));
    assert.ok(ig(rules, 'out/x/y'));
    assert.ok(!ig(rules, 'out', true), 'out/** matches what is inside out, not out itself');
    const g = git('a/**/b\n');
    assert.ok(ig(g, 'a/b'));
    assert.ok(ig(g, 'a/x/y/b'));
    assert.ok(!ig(g, 'c/a/b'));
  });

  test('? and character classes stay within one path segment', () => {
    const rules = git('file?.txt\nlog[0-9].txt\nx[!a].md\n');
    assert.ok(ig(rules, 'file1.txt'));
    assert.ok(!ig(rules, 'file12.txt'));
    assert.ok(!ig(rules, 'file/.txt'));
    assert.ok(ig(rules, 'log7.txt'));
    assert.ok(!ig(rules, 'logx.txt'));
    assert.ok(ig(rules, 'xb.md'));
    assert.ok(!ig(rules, 'xa.md'));
  });

  test('dir-only patterns match directories and their contents, not files of that name', () => {
    const rules = git('out/\n');
    assert.ok(ig(rules, 'out', true));
    assert.ok(ig(rules, 'out/a.txt'));
    assert.ok(ig(rules, 'pkg/out/a.txt'));
    assert.ok(!ig(rules, 'out', false), 'a file named out is kept');
    assert.ok(!ig(rules, 'pkg/out', false));
  });

  test('negation re-includes; the last matching rule wins', () => {
    const rules = git('*.log\n!keep.log\n');
    assert.ok(ig(rules, 'a.log'));
    assert.ok(!ig(rules, 'keep.log'));
    assert.ok(!ig(rules, 'sub/keep.log'));
    const again = git('*.log\n!keep.log\nsub/*.log\n');
    assert.ok(ig(again, 'sub/keep.log'));
    assert.ok(!ig(again, 'keep.log'));
  });

  test('sources apply in order: defaults, .gitignore, .dockerignore, build.exclude', () => {
    const patterns = ignorePatterns({ gitignore: '*.md\n', dockerignore: '!README.md\n', exclude: ['docs/'], extra: ['dist/image'] });
    assert.deepEqual(patterns.slice(-4), ['**/*.md', '!README.md', 'docs/', 'dist/image']);
    const rules = compileIgnore(patterns);
    assert.ok(ig(rules, 'CHANGES.md'));
    assert.ok(!ig(rules, 'README.md'), '.dockerignore re-includes what .gitignore left out');
    assert.ok(ig(rules, 'docs/x.txt'));
    const undo = compileIgnore(ignorePatterns({ dockerignore: '!.env\n' }));
    assert.ok(!ig(undo, '.env'), 'a project can re-include a default');
  });

  test('dockerignore negation re-includes a file below an excluded directory (Docker semantics)', () => {
    const rules = docker('docs\n!docs/keep.md\n');
    assert.ok(ig(rules, 'docs/a.md'));
    assert.ok(!ig(rules, 'docs/keep.md'));
  });

  test('gitignore cannot re-include a file whose parent directory is excluded',  { todo: 'git semantics: "It is not possible to re-include a file if a parent directory of that file is excluded"; with a .gitignore of "out/" + "!out/keep.txt" isIgnored re-includes out/keep.txt (git keeps it ignored)' }, () => {
    const rules = git('out/\n!out/keep.txt\n');
    assert.ok(ig(rules, 'out/keep.txt'));
  });

  test('comments, blank lines and escaped # are handled', () => {
    const rules = docker('# a comment\n\n\\#notes\n');
    assert.ok(ig(rules, '#notes'));
    assert.ok(!ig(rules, 'a comment'));
    assert.equal(compileRule('/', 'x'), undefined);
    assert.equal(compileRule('.', 'x'), undefined);
  });

  test('the defaults leave out VCS, venvs, caches, builds and .env, and keep source files', () => {
    const rules = compileIgnore(ignorePatterns({}));
    for (const name of ['.git', '.venv', '__pycache__', 'dist', 'node_modules', '.pytest_cache']) assert.ok(DEFAULT_IGNORES.includes(name), name);
    for (const dir of ['.git', '.venv', '__pycache__', 'dist', 'node_modules', '.pytest_cache', 'src/pkg/__pycache__']) {
      assert.ok(ig(rules, dir, true), `${dir} should be ignored`);
      assert.ok(ig(rules, `${dir}/x`), `${dir}/x should be ignored`);
    }
    for (const file of ['.env', '.env.local', '.envrc', 'a.pyc', 'pkg/a.pyc', 'pkg/mod.pyo', 'config/.env', 'pycontainer.plan.json']) assert.ok(ig(rules, file), `${file} should be ignored`);
    for (const keep of ['src/pkg/__init__.py', 'app/main.py', 'pyproject.toml', 'environment.py', 'requirements.txt', 'distutils_helper.py', 'templates/index.html']) {
      assert.ok(!ig(rules, keep), `${keep} should be kept`);
    }
  });

  test('defaults do not drop a subpackage named build or dist', () => {
    const rules = compileIgnore(ignorePatterns({}));
    assert.ok(ig(rules, 'build', true));
    assert.ok(!ig(rules, 'src/pkg/build/__init__.py'));
    assert.ok(!ig(rules, 'pkg/dist/__init__.py'));
  });

  test('symlinkStaysInside', () => {
    assert.ok(symlinkStaysInside('pkg/link', '../main.py'));
    assert.ok(symlinkStaysInside('pkg/link', 'data/x'));
    assert.ok(!symlinkStaysInside('pkg/link', '../../outside'));
    assert.ok(!symlinkStaysInside('link', '..'));
    assert.ok(!symlinkStaysInside('pkg/link', '/etc/passwd'));
    assert.ok(!symlinkStaysInside('pkg/link', 'a/../../../x'));
  });
});

describe('childIgnoreMatcher (the context walk\'s shortcut)', () => {
  test('gives isIgnored\'s answer for every path whose parent directories are not ignored', () => {
    const rules = compileIgnore(
      ignorePatterns({
        gitignore: '*.log\nlogs/\nsecrets.txt\n/root-only.txt\ndocs/**/*.png\nweird[ab].md\n**/deep/**/x\nfile?.txt\n\\#notes\ntmp/\n',
        dockerignore: 'tests/fixtures\n*.bak\ncache*/\n',
        exclude: ['data/*.bin', '**/nested/keep'],
      }),
    );
    const matcher = childIgnoreMatcher(rules)!;
    assert.ok(matcher, 'no rule negates');
    const names = ['a', 'x.log', 'logs', 'secrets.txt', 'root-only.txt', 'docs', 'p.png', 'weirda.md', 'weirdc.md', 'deep', 'x', 'file1.txt', '#notes', 'tmp',
      'tests', 'fixtures', 'y.bak', 'cache1', 'data', 'd.bin', 'nested', 'keep', '.git', '__pycache__', 'm.pyc', '.env.local', 'dist', 'build', 'venv', 'pycontainer.toml', 'src', 'app.egg-info'];
    let compared = 0;
    // Every path of up to three names, entered only through directories isIgnored keeps (as the walk does).
    const visit = (parent: string, depth: number) => {
      for (const name of names) {
        const path = parent ? `${parent}/${name}` : name;
        for (const isDir of [false, true]) {
          assert.equal(matcher(path, name, isDir), isIgnored(rules, path, isDir), `${path} (${isDir ? 'directory' : 'file'})`);
          compared++;
        }
        if (depth < 3 && !isIgnored(rules, path, true)) visit(path, depth + 1);
      }
    };
    visit('', 1);
    assert.ok(compared > 10_000);
  });
  test('is not offered when a rule negates (a parent\'s match can be undone below it)', () => {
    assert.equal(childIgnoreMatcher(compileIgnore(ignorePatterns({ dockerignore: 'out\n!out/keep.txt\n' }))), undefined);
  });
});

describe('venv files', () => {
  const project = meta({
    name: 'hello-cli',
    version: '0.3.0',
    description: 'A\n  multi-line summary',
    requiresPython: '>=3.11',
    dependencies: ['click>=8'],
    scripts: [
      { name: 'hello', module: 'hello_cli.cli', attr: 'main' },
      { name: 'hello-obj', module: 'hello_cli.app', attr: 'cli.run' },
    ],
    guiScripts: [{ name: 'hello-gui', module: 'hello_cli.gui', attr: 'start' }],
  });
  const input: VenvInput = {
    venv: '/app/.venv',
    workdir: '/app',
    pythonMinor: '3.12',
    pythonVersion: '3.12.7',
    interpreter: '/usr/local/bin/python3',
    project,
    importRoots: ['src', ''],
  };
  const entries = venvEntries(input);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const site = 'app/.venv/lib/python3.12/site-packages';
  const distInfo = `${site}/hello_cli-0.3.0.dist-info`;

  test('the wrapper for pkg.mod:func is what installers write', () => {
    assert.equal(
      wrapper('/app/.venv', { name: 'hello', module: 'hello_cli.cli', attr: 'main' }),
      [
        '#!/app/.venv/bin/python',
        'import re',
        'import sys',
        'from hello_cli.cli import main',
        'if __name__ == "__main__":',
        '    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])',
        '    sys.exit(main())',
        '',
      ].join('\n'),
    );
  });

  test('the wrapper for pkg.mod:obj.attr imports obj and calls obj.attr()', () => {
    const text = wrapper('/srv/.venv', { name: 'x', module: 'pkg.mod', attr: 'obj.attr' });
    const lines = text.split('\n');
    assert.equal(lines[0], '#!/srv/.venv/bin/python');
    assert.ok(lines.includes('from pkg.mod import obj'));
    assert.ok(lines.includes('    sys.exit(obj.attr())'));
  });

  test('venv layout: pyvenv.cfg, interpreter links, scripts on PATH', () => {
    assert.equal(sitePackages('/app/.venv', '3.12'), '/app/.venv/lib/python3.12/site-packages');
    assert.equal(
      byPath.get('app/.venv/pyvenv.cfg')?.content,
      'home = /usr/local/bin\ninclude-system-site-packages = true\nversion = 3.12.7\nexecutable = /usr/local/bin/python3\n',
    );
    assert.deepEqual(byPath.get('app/.venv/bin/python'), { path: 'app/.venv/bin/python', type: 'symlink', mode: '0777', target: '/usr/local/bin/python3' });
    assert.equal(byPath.get('app/.venv/bin/python3.12')?.target, 'python');
    for (const s of ['hello', 'hello-obj', 'hello-gui']) {
      const e = byPath.get(`app/.venv/bin/${s}`);
      assert.equal(e?.type, 'file', s);
      assert.equal(e?.mode, '0755', s);
    }
    assert.equal(byPath.get(`${site}/hello_cli.pth`)?.content, '/app/src\n/app\n');
    assert.equal(
      byPath.get(`${distInfo}/METADATA`)?.content,
      'Metadata-Version: 2.1\nName: hello-cli\nVersion: 0.3.0\nSummary: A multi-line summary\nRequires-Python: >=3.11\nRequires-Dist: click>=8\n',
    );
    assert.equal(byPath.get(`${distInfo}/INSTALLER`)?.content, 'pycontainer\n');
    assert.equal(
      byPath.get(`${distInfo}/entry_points.txt`)?.content,
      '[console_scripts]\nhello = hello_cli.cli:main\nhello-obj = hello_cli.app:cli.run\n\n[gui_scripts]\nhello-gui = hello_cli.gui:start\n',
    );
  });

  test('every generated file states its size and sha256', () => {
    for (const e of entries.filter((x) => x.type === 'file')) {
      const bytes = Buffer.from(e.content!, 'utf8');
      assert.equal(e.size, bytes.length, e.path);
      assert.equal(e.sha256, createHash('sha256').update(bytes).digest('hex'), e.path);
    }
  });

  test('RECORD lists every installed file with urlsafe-base64 sha256 and size, and itself with empty fields', () => {
    const record = byPath.get(`${distInfo}/RECORD`)!;
    const lines = record.content!.trimEnd().split('\n');
    assert.ok(record.content!.endsWith('\n'));
    const listed = new Map<string, string>();
    for (const line of lines) {
      const [rel, hash, size, ...rest] = line.split(',');
      assert.equal(rest.length, 0, line);
      const abs = posix.normalize(posix.join(site, rel!));
      listed.set(abs, line);
      if (abs === record.path) {
        assert.equal(line, 'hello_cli-0.3.0.dist-info/RECORD,,');
        continue;
      }
      const e = byPath.get(abs);
      assert.ok(e, `RECORD names ${rel}, which is not generated`);
      const bytes = Buffer.from(e.content!, 'utf8');
      assert.match(hash!, /^sha256=[A-Za-z0-9_-]+$/, 'urlsafe base64 without padding');
      assert.equal(hash, `sha256=${createHash('sha256').update(bytes).digest('base64url')}`, rel);
      assert.equal(Number(size), bytes.length, rel);
    }
    const installed = entries.filter((e) => e.type === 'file' && e.path !== 'app/.venv/pyvenv.cfg').map((e) => e.path);
    assert.deepEqual([...listed.keys()].sort(), [...installed].sort());
    assert.ok(lines.includes(`../../../bin/hello,sha256=${createHash('sha256').update(byPath.get('app/.venv/bin/hello')!.content!).digest('base64url')},${byPath.get('app/.venv/bin/hello')!.size}`));
    assert.deepEqual(lines, [...lines].sort(), 'sorted');
  });

  test('a project without scripts has no entry_points.txt', () => {
    const plain = venvEntries({ ...input, project: meta({ name: 'plain' }) });
    assert.ok(!plain.some((e: Entry) => e.path.endsWith('entry_points.txt')));
    assert.ok(plain.some((e: Entry) => e.path.endsWith('plain-1.0.0.dist-info/RECORD')));
  });
});

describe('OCI helpers', () => {
  test('parsePlatform / formatPlatform', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform(' linux/aarch64 '), { os: 'linux', architecture: 'arm64' });
    for (const bad of ['linux', 'linux/', '/amd64', 'linux/amd64/v1/x', 'linux//amd64', 'linux/sparc', 'plan9/amd64', 'windows/amd64']) {
      const p = parsePlatform(bad);
      assert.ok('error' in p, bad);
      assert.match(p.error, new RegExp(`invalid platform "${bad.replace(/[/.]/g, '\\$&')}"`));
    }
    assert.equal(formatPlatform({ os: 'linux', architecture: 'amd64' }), 'linux/amd64');
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7');
    for (const text of ['linux/amd64', 'linux/arm/v6', 'linux/s390x']) {
      const p = parsePlatform(text);
      assert.ok(!('error' in p));
      assert.equal(formatPlatform(p), text);
    }
  });

  test('platformMatches treats arm64 and arm64/v8 as the same', () => {
    assert.ok(platformMatches({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }));
    assert.ok(platformMatches({ os: 'linux', architecture: 'arm' }, { os: 'linux', architecture: 'arm', variant: 'v7' }));
    assert.ok(!platformMatches({ os: 'linux', architecture: 'arm', variant: 'v6' }, { os: 'linux', architecture: 'arm', variant: 'v7' }));
    assert.ok(!platformMatches({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }));
  });

  const baseInput = (settings: Partial<ImageConfigInput['settings']>, baseConfig: BaseConfig = {}): ImageConfigInput => ({
    platform: { os: 'linux', architecture: 'amd64' },
    base: {
      config: { Env: ['PATH=/usr/local/bin:/usr/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.12.1'], Cmd: ['python3'], Labels: { maintainer: 'base', keep: 'base' }, ExposedPorts: { '9000/tcp': {} }, ...baseConfig },
      diffIds: ['sha256:b1', 'sha256:b2'],
      history: [{ created: '2020-01-01T00:00:00Z', created_by: 'base step' }],
    },
    settings: { env: {}, workingDir: '/app', exposedPorts: [], labels: {}, ...settings },
    layers: [{ diffId: 'sha256:ours', createdBy: 'our layer' }],
    created: '1970-01-01T00:00:00Z',
  });

  test('assembleImageConfig: Env keeps the base order, overrides values, appends new names sorted', () => {
    const cfg = assembleImageConfig(baseInput({ env: { PATH: '/app/.venv/bin:/usr/local/bin:/usr/bin', ZED: 'z', ALPHA: 'a', LANG: 'en_US.UTF-8' } }));
    assert.deepEqual(cfg.config?.Env, ['PATH=/app/.venv/bin:/usr/local/bin:/usr/bin', 'LANG=en_US.UTF-8', 'PYTHON_VERSION=3.12.1', 'ALPHA=a', 'ZED=z']);
    assert.deepEqual(mergeEnv(['A=1', 'B=2'], { B: 'x=y' }), ['A=1', 'B=x=y']);
  });

  test('assembleImageConfig: our entrypoint resets the base Cmd, as a Dockerfile ENTRYPOINT does', () => {
    const cfg = assembleImageConfig(baseInput({ entrypoint: ['/app/.venv/bin/hello'] }, { Entrypoint: ['/docker-entrypoint.sh'] }));
    assert.deepEqual(cfg.config?.Entrypoint, ['/app/.venv/bin/hello']);
    assert.equal(cfg.config?.Cmd, undefined);
    const both = assembleImageConfig(baseInput({ entrypoint: ['/e'], cmd: ['--flag'] }));
    assert.deepEqual(both.config?.Entrypoint, ['/e']);
    assert.deepEqual(both.config?.Cmd, ['--flag']);
  });

  test('assembleImageConfig: Cmd alone keeps the base Entrypoint; nothing keeps both', () => {
    const cmdOnly = assembleImageConfig(baseInput({ cmd: ['serve'] }, { Entrypoint: ['/docker-entrypoint.sh'] }));
    assert.deepEqual(cmdOnly.config?.Entrypoint, ['/docker-entrypoint.sh']);
    assert.deepEqual(cmdOnly.config?.Cmd, ['serve']);
    const neither = assembleImageConfig(baseInput({}, { Entrypoint: ['/e'] }));
    assert.deepEqual(neither.config?.Entrypoint, ['/e']);
    assert.deepEqual(neither.config?.Cmd, ['python3']);
    const nullEntrypoint = assembleImageConfig(baseInput({ cmd: ['x'] }, { Entrypoint: null }));
    assert.equal(nullEntrypoint.config?.Entrypoint, undefined);
  });

  test('assembleImageConfig: labels and ports merge, user and working dir are ours', () => {
    const cfg = assembleImageConfig(baseInput({ labels: { keep: 'ours', title: 't' }, exposedPorts: ['8000/tcp', '9000/tcp'], user: '65532:65532', workingDir: '/srv' }, { User: 'base', StopSignal: 'SIGINT' }));
    assert.deepEqual(cfg.config?.Labels, { keep: 'ours', maintainer: 'base', title: 't' });
    assert.deepEqual(cfg.config?.ExposedPorts, { '8000/tcp': {}, '9000/tcp': {} });
    assert.equal(cfg.config?.User, '65532:65532');
    assert.equal(cfg.config?.WorkingDir, '/srv');
    assert.equal((cfg.config as Record<string, unknown>).StopSignal, 'SIGINT');
    const baseUser = assembleImageConfig(baseInput({}, { User: 'app' }));
    assert.equal(baseUser.config?.User, 'app');
  });

  test('assembleImageConfig: diff_ids are the base then ours, history is appended', () => {
    const cfg = assembleImageConfig({ ...baseInput({}), platform: { os: 'linux', architecture: 'arm', variant: 'v7' } });
    assert.deepEqual(cfg.rootfs, { type: 'layers', diff_ids: ['sha256:b1', 'sha256:b2', 'sha256:ours'] });
    assert.deepEqual(cfg.history, [
      { created: '2020-01-01T00:00:00Z', created_by: 'base step' },
      { comment: 'pycontainer', created: '1970-01-01T00:00:00Z', created_by: 'our layer' },
    ]);
    assert.equal(cfg.architecture, 'arm');
    assert.equal(cfg.variant, 'v7');
    assert.equal(cfg.os, 'linux');
    assert.equal(cfg.created, '1970-01-01T00:00:00Z');
  });

  test('assembleImageConfig without a base', () => {
    const input = baseInput({ cmd: ['x'], env: { B: '2', A: '1' } });
    delete input.base;
    const cfg = assembleImageConfig(input);
    assert.deepEqual(cfg.config?.Env, ['A=1', 'B=2']);
    assert.deepEqual(cfg.rootfs.diff_ids, ['sha256:ours']);
    assert.equal(cfg.history?.length, 1);
    assert.equal(cfg.config?.Labels, undefined);
    assert.equal(cfg.config?.ExposedPorts, undefined);
  });

  test('canonicalJson sorts keys at every level, keeps array order, drops undefined, no white space', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, 'A': null }), '{"A":null,"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson([{ b: 1, a: 2 }, 'x']), '[{"a":2,"b":1},"x"]');
    assert.equal(canonicalJson({ 'é': 1, e: 2, Z: 3 }), '{"Z":3,"e":2,"é":1}');
  });

  test('isoTime', () => {
    assert.equal(isoTime(0), '1970-01-01T00:00:00Z');
    assert.equal(isoTime(1700000000), '2023-11-14T22:13:20Z');
  });
});
