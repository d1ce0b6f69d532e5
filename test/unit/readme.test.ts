// README.md's configuration reference is generated from the schema; it must not go stale.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { findRepoRoot } from '../support/base-image.js';

test('the configuration reference in README.md matches schema/pycontainer.schema.json', async () => {
  const root = findRepoRoot();
  const { replaceReference } = (await import(pathToFileURL(path.join(root, 'scripts', 'config-reference.mjs')).href)) as {
    replaceReference(readme: string): string;
  };
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  assert.equal(readme, replaceReference(readme), 'README.md is stale: run `npm run generate`');
  // Every key of the schema appears in the README.
  const schema = JSON.parse(await readFile(path.join(root, 'schema', 'pycontainer.schema.json'), 'utf8')) as {
    definitions: Record<string, { properties: Record<string, unknown> }>;
  };
  for (const def of Object.values(schema.definitions)) for (const key of Object.keys(def.properties)) assert.ok(readme.includes(`| \`${key}\` |`), key);
});
