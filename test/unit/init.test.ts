// `pycontainer init`: the pycontainer.toml it writes parses, validates against the schema, keeps the
// detected entry point, and is never written over without --force. Also `pycontainer schema`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'smol-toml';
import { schemaReference } from '../../src/cli/init.js';
import { readInitDetection, renderInitConfig } from '../../src/config/init.js';
import { parseTomlFile, isDiagnostic } from '../../src/config/read.js';
import { validateConfig } from '../../src/config/validate.js';
import { compilePlan } from '../../src/plan/compile.js';
import { PYCONTAINER_VERSION } from '../../src/version.js';
import { findRepoRoot } from '../support/base-image.js';
import { runCli as runPycontainer } from '../support/cli.js';

const root = findRepoRoot();
const STUB = `oci:${root}/test/fixtures/stub-base:3.11`;
const SCHEMA_ID = `https://unpkg.com/pycontainer@${PYCONTAINER_VERSION}/schema/pycontainer.schema.json`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return runPycontainer(args);
}

const temps: string[] = [];
after(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of an example project in a temporary directory, without its pycontainer.toml if any. */
async function copyExample(name: string): Promise<string> {
  const dir = await mkdtemp(join(os.tmpdir(), `pycontainer-init-${name}-`));
  temps.push(dir);
  await cp(join(root, 'examples', name), dir, { recursive: true });
  await rm(join(dir, 'pycontainer.toml'), { force: true });
  return dir;
}

/** Parses with smol-toml and validates with the schema, as compile does; returns the data. */
function assertValidConfig(text: string): Record<string, unknown> {
  assert.doesNotThrow(() => parse(text), 'smol-toml parses the file');
  const file = parseTomlFile(text, 'pycontainer.toml');
  assert.ok(!isDiagnostic(file), JSON.stringify(file));
  const { config, diagnostics } = validateConfig(file.data, file, []);
  assert.deepEqual(diagnostics, []);
  assert.ok(config);
  return file.data;
}

function compile(dir: string) {
  return compilePlan({ context: dir, cwd: root, env: {}, cache: null, flags: { baseImage: STUB } });
}

describe('pycontainer init', () => {
  for (const [name, expect] of [
    ['hello-cli', { key: 'entrypoint', why: '# detected: [project.scripts] hello = "hello_cli.cli:main"', ports: undefined }],
    ['fastapi-app', { key: 'cmd', why: '# detected: fastapi app in app/main.py', ports: [8000] }],
  ] as const) {
    test(`${name}: a commented pycontainer.toml that validates and keeps the detected command`, async () => {
      const dir = await copyExample(name);
      const without = await compile(dir);
      const r = await runCli(['init', '-C', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /wrote .*pycontainer\.toml/);
      const text = await readFile(join(dir, 'pycontainer.toml'), 'utf8');
      const lines = text.split('\n');
      // The temp copy is outside the package: the schema by its URL.
      assert.equal(lines[0], `#:schema ${SCHEMA_ID}`);
      assert.ok(lines.includes('[build]'), text);
      assert.ok(lines.includes(expect.why), text);
      assert.ok(lines.includes('# base image: detected python 3.11 from requires-python ">=3.11"; the default is python:3.11-slim'), text);
      assert.ok(lines.includes('# base_image = "python:3.11-slim"'), text);
      for (const commented of ['# workdir = "/app"', '# user = "65532:65532"', '# platforms = ["linux/amd64"]', '# output = "dist/image"', '# [build.env]', '# [build.labels]']) {
        assert.ok(lines.includes(commented), `missing ${commented}:\n${text}`);
      }
      const data = assertValidConfig(text);
      const build = data.build as Record<string, unknown>;
      // The default (the whole context) stays a comment.
      assert.equal(build.include_paths, undefined);
      assert.deepEqual(without.layers[0]!.include, ['.']);
      assert.equal(build.base_image, undefined, 'the base image stays a comment');
      assert.deepEqual(build.exposed_ports, expect.ports);

      // The plan with the file runs the same command as without it.
      const withFile = await compile(dir);
      const cfg = (p: typeof without) => p.images[0]!.config.config;
      assert.deepEqual(cfg(withFile).Entrypoint, cfg(without).Entrypoint);
      assert.deepEqual(cfg(withFile).Cmd, cfg(without).Cmd);
      assert.ok(cfg(without)[expect.key === 'cmd' ? 'Cmd' : 'Entrypoint']?.length);
      assert.deepEqual(cfg(withFile).ExposedPorts, cfg(without).ExposedPorts);
      assert.deepEqual(withFile.layers[0]!.entries, without.layers[0]!.entries);
      assert.match(withFile.provenance[`build.${expect.key}`] ?? '', /^pycontainer\.toml:\d+$/);
    });
  }

  test('refuses to overwrite without --force, naming the file and the flag; --force replaces it', async () => {
    const dir = await copyExample('hello-cli');
    await writeFile(join(dir, 'pycontainer.toml'), '[build]\nworkdir = "/srv"\n');
    const refused = await runCli(['init', '-C', dir]);
    assert.equal(refused.code, 2);
    assert.ok(refused.stderr.startsWith('error: '), refused.stderr);
    assert.ok(refused.stderr.includes(join(dir, 'pycontainer.toml')), refused.stderr);
    assert.ok(refused.stderr.includes('--force'), refused.stderr);
    assert.equal(await readFile(join(dir, 'pycontainer.toml'), 'utf8'), '[build]\nworkdir = "/srv"\n');
    const forced = await runCli(['init', '-C', dir, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assertValidConfig(await readFile(join(dir, 'pycontainer.toml'), 'utf8'));
  });

  test('a project with nothing detected still gets a valid file', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'pycontainer-init-empty-'));
    temps.push(dir);
    await writeFile(join(dir, 'README.md'), 'nothing here\n');
    const text = renderInitConfig({ detection: await readInitDetection(dir), schemaRef: SCHEMA_ID });
    const data = assertValidConfig(text);
    assert.deepEqual(JSON.parse(JSON.stringify(data)), { build: {} });
    assert.match(text, /^# no entry point detected/m);
    assert.match(text, /^# base_image = "python:3\.13-slim"$/m);
  });

  test('a missing context is an error', async () => {
    const r = await runCli(['init', '-C', join(os.tmpdir(), 'pycontainer-init-no-such-dir')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not exist/);
  });

  test('the #:schema reference: relative when it travels with the project, else the URL', () => {
    const schema = join(root, 'schema', 'pycontainer.schema.json');
    assert.equal(schemaReference(join(root, 'examples', 'hello-cli'), schema), '../../schema/pycontainer.schema.json');
    assert.equal(schemaReference('/home/me/proj', '/home/me/proj/node_modules/pycontainer/schema/pycontainer.schema.json'), 'node_modules/pycontainer/schema/pycontainer.schema.json');
    assert.equal(schemaReference('/home/me/proj', '/usr/lib/node_modules/pycontainer/schema/pycontainer.schema.json', () => false), SCHEMA_ID);
    // A global (or pip) install, but the project has pycontainer in node_modules: that copy.
    assert.equal(schemaReference('/home/me/proj', '/usr/lib/node_modules/pycontainer/schema/pycontainer.schema.json', (p) => p === '/home/me/proj/node_modules/pycontainer/schema/pycontainer.schema.json'), 'node_modules/pycontainer/schema/pycontainer.schema.json');
    // The default is this package's own schema file.
    assert.equal(schemaReference(join(root, 'examples', 'fastapi-app')), '../../schema/pycontainer.schema.json');
  });
});

describe('pycontainer schema', () => {
  test('config (the default) and plan, pretty, with a trailing newline', async () => {
    const config = await runCli(['schema']);
    assert.equal(config.code, 0, config.stderr);
    assert.equal(config.stdout, `${JSON.stringify(JSON.parse(readFileSync(join(root, 'schema/pycontainer.schema.json'), 'utf8')), null, 2)}\n`);
    assert.equal((await runCli(['schema', 'config'])).stdout, config.stdout);
    const plan = await runCli(['schema', 'plan']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal((JSON.parse(plan.stdout) as { $id: string }).$id, 'https://unpkg.com/pycontainer/schema/plan.schema.json');
    assert.ok(plan.stdout.endsWith('}\n'));
  });

  test('an unknown name is a usage error naming the valid ones', async () => {
    const r = await runCli(['schema', 'lock']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*"lock".*config, plan/);
    assert.equal(r.stdout, '');
  });
});
