// Generates generated/validators.ts from schema/*.json: ajv's standalone validation code, compiled once
// here instead of at every start of the CLI (compiling the three schemas cost ~0.3 s of each `plan`).
// `npm run generate`; test/unit/generated-validators.test.ts fails when the file is stale.
//
// The options are the ones src/schemas.ts used to compile with at run time (allErrors; verbose, for the
// offending value in each error), so the errors are the same objects. The Python formats (pep508-name,
// ...) are looked up by name in FORMATS (src/schema-formats.ts) when the module loads; annotations
// (title, description, examples, default) are dropped from the copies of the schemas the code embeds
// (verbose errors point at them): they do not take part in validation.
import { readFile, writeFile } from 'node:fs/promises';
import { Ajv, _ } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

const root = new URL('../', import.meta.url);
const banner = '/* Generated from schema/ by `npm run generate` (scripts/generate-validators.mjs). Do not edit. */';

/** Export name → schema file. */
const SCHEMAS = {
  pycontainer: 'schema/pycontainer.schema.json',
  plan: 'schema/plan.schema.json',
  pyprojectProject: 'schema/pyproject-project.schema.json',
};

/** Keywords that describe and never constrain (draft-07's annotations, and editors' extensions). */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment', 'markdownDescription', 'x-taplo', 'x-intellij-html-description']);
/** Keywords whose value maps names to subschemas: the names are data, not keywords. */
const NAMED_SUBSCHEMAS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is data, copied as it is. */
const LITERALS = new Set(['enum', 'const', 'required']);

/** A copy of a schema without its annotations. */
export function stripAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(stripAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (LITERALS.has(key)) out[key] = value;
    else if (NAMED_SUBSCHEMAS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripAnnotations(sub)]));
    } else out[key] = stripAnnotations(value);
  }
  return out;
}

/** The custom formats the schemas name (values of "format"), sorted. */
function formatNames(schemas) {
  const names = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'format' && typeof value === 'string') names.add(value);
        else visit(value);
      }
    }
  };
  visit(schemas);
  return [...names].sort();
}

/**
 * verbose puts three things in each error: data (the offending value, which the messages quote),
 * schema and parentSchema (the parts of the embedded schema copies the error came from, which nothing
 * reads). Without the last two, most of those copies are unused: each `const schemaN = {...}` that no
 * code refers to any more goes too (enum values and the like still refer to theirs). A quarter of the
 * code, which every command that validates reads and compiles at start. Error objects are on one line,
 * in the order ajv writes them: {..., schema: X, parentSchema: Y, data: Z} or {..., data}.
 */
function dropSchemaReferences(code) {
  let out = code.replace(/,schema:(?:(?!,parentSchema:).)*,parentSchema:(?:(?!,data[:}]).)*,data(?=[:}])/g, ',data');
  if (/parentSchema:/.test(out)) throw new Error('generated validators: an error object is not in the form dropSchemaReferences expects');
  for (;;) {
    const unused = [...out.matchAll(/^const (schema\d+) = .*;$/gm)].map((m) => m[1]).filter((name) => !new RegExp(`\\b${name}\\b(?! = )`).test(out));
    if (unused.length === 0) return out;
    for (const name of unused) out = out.replace(new RegExp(`^const ${name} = .*;\n`, 'm'), '');
  }
}

/** The text of generated/validators.ts. */
export async function generateValidators() {
  const schemas = {};
  for (const [name, file] of Object.entries(SCHEMAS)) schemas[name] = stripAnnotations(JSON.parse(await readFile(new URL(file, root), 'utf8')));
  const formats = formatNames(Object.values(schemas));
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true, esm: true, lines: true, formats: _`formats` } });
  // Placeholders: the generated code calls formats[NAME](value), for strings, from src/schema-formats.ts.
  for (const format of formats) ajv.addFormat(format, () => true);
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
  let code = standalone.default(ajv, Object.fromEntries(Object.keys(SCHEMAS).map((name) => [name, name])));
  // ajv's runtime helper for minLength/maxLength (counts code points): an ES import, not require().
  code = code.replaceAll('require("ajv/dist/runtime/ucs2length").default', 'ucs2length');
  if (/\brequire\(/.test(code)) throw new Error(`generated validators call require(): ${code.match(/require\([^)]*\)/)[0]}; import it like ucs2length`);
  code = code.replace(/^"use strict";\n?/, '');
  code = dropSchemaReferences(code);
  return [
    banner,
    '// @ts-nocheck',
    "import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';",
    "import { FORMATS as formats } from '../src/schema-formats.js';",
    '',
    'const ucs2length = ucs2lengthModule.default;',
    `/** The formats this code calls. */`,
    `export const FORMAT_NAMES = ${JSON.stringify(formats)};`,
    code.trimEnd(),
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('generated/validators.ts', root), await generateValidators());
  console.log('wrote generated/validators.ts');
}
