// generated/validators.ts is ajv's standalone code for schema/*.json, so the CLI compiles no schema when
// it starts. A schema change without `npm run generate` must fail here, and the generated code must
// report the same errors as ajv compiling the full schema at run time (what the CLI did before).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { FORMAT_NAMES } from '../../generated/validators.js';
import { FORMATS } from '../../src/schema-formats.js';
import { loadSchema, schemaValidator, type SchemaName } from '../../src/schemas.js';
import { findRepoRoot } from '../support/base-image.js';

test('generated/validators.ts equals the output of scripts/generate-validators.mjs', async () => {
  const root = findRepoRoot();
  const { generateValidators } = (await import(pathToFileURL(join(root, 'scripts', 'generate-validators.mjs')).href)) as {
    generateValidators(): Promise<string>;
  };
  const text = await generateValidators();
  assert.match(text, /Generated from schema\//);
  assert.equal(await readFile(join(root, 'generated', 'validators.ts'), 'utf8'), text, 'generated/validators.ts is stale: run `npm run generate`');
});

test('every format the generated code calls is defined', () => {
  assert.deepEqual([...FORMAT_NAMES].sort(), Object.keys(FORMATS).sort());
});

/** What the CLI compiled at every start before: the full schema, the same options. */
function compiledAtRunTime(name: SchemaName) {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  for (const [format, check] of Object.entries(FORMATS)) ajv.addFormat(format, { type: 'string', validate: check });
  return ajv.compile(loadSchema(name));
}

/** The parts of an error the CLI reads (schema and parentSchema are the embedded copies). */
function comparable(errors: ErrorObject[] | null | undefined) {
  return (errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params, message: e.message, propertyName: e.propertyName, data: e.data }));
}

describe('the generated validators report what the schema compiled at run time reports', async () => {
  const plan = JSON.parse(await readFile(join(findRepoRoot(), 'examples', 'flat-app', 'plan.json'), 'utf8')) as Record<string, unknown>;
  const cases: [SchemaName, string, unknown][] = [
    ['pycontainer', 'valid', { build: { base_image: 'python:3.12-slim', tag: 'app:1', env: { A: '1' }, exposed_ports: [8080, '53/udp'] }, registry: { url: 'ghcr.io' } }],
    ['pycontainer', 'valid: flat keys', { base_image: 'python:3.12-slim', workdir: '/app', user: '1000:1000' }],
    [
      'pycontainer',
      'many problems',
      {
        build: { base_imag: 'x', workdir: 'relative', user: 'weird user', tag: '', env: { 'BAD NAME': 1 }, exposed_ports: [0, 'x'], entrypoint: [], labels: { a: 5 }, platform: 'amd64' },
        registry: 7,
        extra: true,
      },
    ],
    ['pycontainer', 'anyOf and enums', { build: { generate_sbom: 'xml', compile_bytecode: 'yes', layers: 5, cache_from: [''] }, registry: { url: 5, insecure: 'no' } }],
    ['pyproject-project', 'valid', { project: { name: 'app', version: '1.0', dependencies: ['requests>=2.31', "uvicorn[standard]; sys_platform == 'linux'"], 'requires-python': '>=3.10' } }],
    ['pyproject-project', 'invalid', { project: { name: '-bad-', version: 'one', dependencies: 'requests', scripts: ['a'], dynamic: ['name'], 'requires-python': '>=>3', readme: 5, licence: 'MIT' } }],
    ['plan', 'valid', plan],
    ['plan', 'invalid', { ...plan, layers: 'none', platforms: [{}], extra: 1 }],
  ];
  for (const [schema, label, data] of cases) {
    test(`${schema}: ${label}`, () => {
      const generated = schemaValidator(schema);
      const reference = compiledAtRunTime(schema);
      const valid = reference(data);
      assert.equal(generated(data), valid);
      assert.deepEqual(comparable(generated.errors), comparable(reference.errors));
      if (label.startsWith('valid')) assert.equal(valid, true, JSON.stringify(reference.errors));
      else assert.ok((reference.errors ?? []).length > 0);
    });
  }
});
