import { readFileSync } from 'node:fs';
import { valid as validVersion, validRange } from '@renovatebot/pep440';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseRequirement } from './python/locks/model.js';
import { parseMarker } from './python/markers.js';
import { PYCONTAINER_VERSION } from './version.js';

/**
 * The JSON schemas in schema/: the contracts of the configuration and the plan, and the part of
 * pyproject.toml we read ([project], Poetry 1's name and version).
 */
export type SchemaName = 'pycontainer' | 'plan' | 'pyproject-project';

const cache = new Map<SchemaName, Record<string, unknown>>();
const validators = new Map<SchemaName, ValidateFunction>();

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

/** PEP 508's name rule (the same as the core metadata's Name field). */
const PEP508_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/i;

/**
 * The string formats the schemas use that JSON Schema does not define: Python's own grammars, checked
 * by the same code that later reads the values (so what validates is what the build understands).
 */
export const FORMATS: Record<string, (value: string) => boolean> = {
  'pep508-name': (v) => PEP508_NAME.test(v),
  'pep440-version': (v) => validVersion(v) !== null,
  // An empty specifier allows every version; validRange('') says so too.
  'pep440-specifier': (v) => v.trim() === '' || validRange(v.replace(/\s+/g, '')),
  'pep508-requirement': (v) => {
    try {
      const req = parseRequirement(v);
      if (req.specifier !== '' && !validRange(req.specifier)) return false;
      if (req.marker !== undefined) parseMarker(req.marker);
      return true;
    } catch {
      return false;
    }
  },
};

/** A compiled validator (allErrors: every problem is reported at once). */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    for (const [format, check] of Object.entries(FORMATS)) ajv.addFormat(format, { type: 'string', validate: check });
    validate = ajv.compile(loadSchema(name));
    validators.set(name, validate);
  }
  return validate;
}

export type { ErrorObject };
