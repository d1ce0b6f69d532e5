import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** The JSON schemas in schema/, the contracts of the configuration and the plan. */
export type SchemaName = 'pycontainer' | 'plan';

const cache = new Map<SchemaName, Record<string, unknown>>();
const validators = new Map<SchemaName, ValidateFunction>();

export function loadSchema(name: SchemaName): Record<string, unknown> {
  let schema = cache.get(name);
  if (!schema) {
    // dist/src/schemas.js → ../../schema; the schema directory ships with the package.
    schema = JSON.parse(readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
    cache.set(name, schema);
  }
  return schema;
}

/** A compiled validator (allErrors: every problem is reported at once). */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    validate = ajv.compile(loadSchema(name));
    validators.set(name, validate);
  }
  return validate;
}

export type { ErrorObject };
