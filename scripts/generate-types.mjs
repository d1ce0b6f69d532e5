// Generates generated/*.ts from schema/*.json. `npm run generate`; test/unit/generated.test.ts fails when stale.
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';
import { replaceReference } from './config-reference.mjs';

const root = new URL('../', import.meta.url);
const banner = '/* Generated from schema/ by `npm run generate`. Do not edit. */';

export async function generate() {
  const out = {};
  for (const [schemaFile, typesFile] of [
    ['schema/pycontainer.schema.json', 'generated/config.ts'],
    ['schema/plan.schema.json', 'generated/plan.ts'],
  ]) {
    const schema = JSON.parse(await readFile(new URL(schemaFile, root), 'utf8'));
    out[typesFile] = await compile(schema, schema.title, {
      bannerComment: banner,
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      style: { singleQuote: true },
      cwd: new URL('schema/', root).pathname,
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(await generate())) {
    await writeFile(new URL(file, root), text);
    console.log(`wrote ${file}`);
  }
  const readme = new URL('README.md', root);
  await writeFile(readme, replaceReference(await readFile(readme, 'utf8')));
  console.log('wrote the configuration reference in README.md');
}
