// Renders the configuration reference in README.md from schema/pycontainer.schema.json, between the
// config-reference markers. `npm run generate` rewrites it; test/unit/readme.test.ts fails when stale.
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
export const START = '<!-- config-reference:start (generated from schema/pycontainer.schema.json by `npm run generate`) -->';
export const END = '<!-- config-reference:end -->';

function typeOf(prop) {
  if (prop.anyOf) return prop.anyOf.map(typeOf).join(' \\| ');
  if (prop.enum) return prop.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (prop.type === 'array') return `array of ${prop.items?.anyOf ? 'integer \\| string' : prop.items?.type ?? 'any'}`;
  if (prop.type === 'object') return 'table of strings';
  return prop.type;
}

export function renderConfigReference() {
  const schema = JSON.parse(readFileSync(new URL('schema/pycontainer.schema.json', root), 'utf8'));
  const lines = [START, ''];
  for (const [table, def] of Object.entries(schema.definitions)) {
    lines.push(`#### \`[${table}]\` (pyproject.toml: \`[tool.pycontainer.${table}]\`)`, '', def.description, '');
    lines.push('| key | type | default | description |', '| --- | --- | --- | --- |');
    for (const [key, prop] of Object.entries(def.properties)) {
      const dflt = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
      lines.push(`| \`${key}\` | ${typeOf(prop)} | ${dflt} | ${prop.description.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

export function replaceReference(readme) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error('README.md has no config-reference markers');
  return readme.slice(0, start) + renderConfigReference() + readme.slice(end + END.length);
}
