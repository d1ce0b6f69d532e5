// Writes schema/pyproject.schema.json from schema/pycontainer.schema.json: a schema for a whole
// pyproject.toml that checks only [tool.pycontainer] (with the configuration schema) and accepts
// every other table as it is — for Taplo's `[[rule]] include = ["pyproject.toml"]`. Self-contained
// because Taplo cannot follow a relative $ref into a sibling file: the configuration schema sits
// under tool.pycontainer, its definitions at the top, where its "#/definitions/…" refs find them.
//
// Usage: node scripts/pyproject-schema.mjs [--check]   (--check: exit 1 if the file is out of date)
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const config = JSON.parse(readFileSync(new URL('schema/pycontainer.schema.json', root), 'utf8'));
const { $schema, $id, definitions, title, description, ...table } = config;
const wrapper = {
  $schema,
  $id: $id.replace('pycontainer.schema.json', 'pyproject.schema.json'),
  title: 'pyproject.toml ([tool.pycontainer] only)',
  description: `Validates [tool.pycontainer] in pyproject.toml with pycontainer's configuration schema and accepts the rest of the file. Generated from pycontainer.schema.json by scripts/pyproject-schema.mjs.`,
  type: 'object',
  properties: {
    tool: {
      type: 'object',
      properties: { pycontainer: { title, description, ...table } },
    },
  },
  definitions,
};
const text = `${JSON.stringify(wrapper, null, 2)}\n`;
const target = new URL('schema/pyproject.schema.json', root);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('schema/pyproject.schema.json is out of date: run node scripts/pyproject-schema.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
