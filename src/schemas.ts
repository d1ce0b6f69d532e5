import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as generated from '../generated/validators.js';
import { FORMATS } from './schema-formats.js';
import { PYCONTAINER_VERSION } from './version.js';

/**
 * The JSON schemas in schema/: the contracts of the configuration and the plan, and the part of
 * pyproject.toml we read ([project], Poetry 1's name and version).
 */
export type SchemaName = 'pycontainer' | 'plan' | 'pyproject-project';

const cache = new Map<SchemaName, Record<string, unknown>>();
/**
 * Where schema/NAME.schema.json lies: the schema directory ships with the package, two levels above
 * this module both as compiled (dist/src/schemas.js) and bundled (dist/bundle/pycontainer.mjs).
 */
export function schemaFileUrl(name: SchemaName): URL {
  return new URL(`../../schema/${name}.schema.json`, import.meta.url);
}

/**
 * Where the published package serves schema/NAME.schema.json: the npm CDN's copy of this very version
 * (unpkg serves every file of every published npm version), so an editor or validator that follows
 * the URL gets the schema this pycontainer wrote against.
 */
export function publishedSchemaUrl(name: SchemaName): string {
  return `https://unpkg.com/pycontainer@${PYCONTAINER_VERSION}/schema/${name}.schema.json`;
}

export function loadSchema(name: SchemaName): Record<string, unknown> {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaFileUrl(name), 'utf8')) as Record<string, unknown>;
    cache.set(name, schema);
  }
  return schema;
}

/**
 * A validator of the schema (allErrors: every problem is reported at once; verbose: each error carries
 * the offending value): ajv's standalone code, generated from schema/ by `npm run generate`, because
 * compiling the schemas at every start cost ~0.3 s. Looked up at the call: the generated module and
 * this one import each other's dependencies (the formats read requirements and markers).
 */
export function schemaValidator(name: SchemaName): ValidateFunction {
  const validate = name === 'pyproject-project' ? generated.pyprojectProject : generated[name];
  return validate as unknown as ValidateFunction;
}

export { FORMATS };
export type { ErrorObject };
