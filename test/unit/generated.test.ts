// generated/ holds the TypeScript types of schema/*.json; a schema change without `npm run generate`
// must fail here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { findRepoRoot } from '../support/base-image.js';

test('generated/ equals the output of scripts/generate-types.mjs', async () => {
  const root = findRepoRoot();
  const { generate } = (await import(pathToFileURL(join(root, 'scripts', 'generate-types.mjs')).href)) as {
    generate(): Promise<Record<string, string>>;
  };
  const out = await generate();
  assert.deepEqual(Object.keys(out).sort(), ['generated/config.ts', 'generated/plan.ts']);
  for (const [file, text] of Object.entries(out)) {
    assert.ok(text.includes('Generated from schema/'), `${file}: banner`);
    const committed = await readFile(join(root, file), 'utf8');
    assert.equal(committed, text, `${file} is stale: run \`npm run generate\``);
  }
});

test('the generated types name every property of the schemas', async () => {
  const root = findRepoRoot();
  const config = JSON.parse(await readFile(join(root, 'schema', 'pycontainer.schema.json'), 'utf8')) as {
    definitions: Record<string, { properties: Record<string, unknown> }>;
  };
  const types = await readFile(join(root, 'generated', 'config.ts'), 'utf8');
  for (const def of Object.values(config.definitions)) {
    for (const key of Object.keys(def.properties)) assert.match(types, new RegExp(`\\b${key}\\?:`), key);
  }
});

test('every configuration key has a title, a description and examples (editor hovers and completion)', async () => {
  const schema = JSON.parse(await readFile(join(findRepoRoot(), 'schema', 'pycontainer.schema.json'), 'utf8')) as {
    definitions: Record<string, { properties: Record<string, { title?: string; description?: string; examples?: unknown[] }> }>;
  };
  for (const [table, def] of Object.entries(schema.definitions)) {
    for (const [key, prop] of Object.entries(def.properties)) {
      assert.ok(prop.title && prop.description && prop.examples?.length, `${table}.${key} lacks a title, description or examples`);
    }
  }
});
