import type { PycontainerConfig } from '../../generated/config.js';
import type { Diagnostic } from '../errors.js';
import { loadSchema, schemaValidator, type ErrorObject } from '../schemas.js';
import { findDuplicateSettings } from './normalize.js';
import { locateKey, type TomlFile } from './read.js';

/**
 * Validates one configuration table (pycontainer.toml's root, or pyproject.toml's [tool.pycontainer])
 * against schema/pycontainer.schema.json. Every problem becomes a Diagnostic naming the file, the full
 * key path and, where it can be found, the line.
 */
export function validateConfig(
  data: unknown,
  file: TomlFile,
  keyPrefix: string[],
): { config?: PycontainerConfig; diagnostics: Diagnostic[] } {
  const validate = schemaValidator('pycontainer');
  // The same setting twice (flat and under [build], or under pycontainer-build's name and ours).
  const duplicates = findDuplicateSettings(data, file, keyPrefix);
  if (validate(data) && duplicates.length === 0) return { config: data as PycontainerConfig, diagnostics: [] };
  const diagnostics = collapse(validate.errors ?? []).map((e) => toDiagnostic(e, file, keyPrefix));
  return { diagnostics: dedupe([...diagnostics, ...duplicates]) };
}

/**
 * anyOf failures produce one error per branch. For a table (`registry`: a table or a string; a label:
 * a string or a table of dotted parts) the table branch is the one meant: keep its errors, which name
 * the key. Otherwise keep the summary only.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const tablePaths = new Set(anyOfs.filter((e) => isTable(e.data)).map((e) => e.instancePath));
  const summaryPaths = new Set(anyOfs.filter((e) => !isTable(e.data)).map((e) => e.instancePath));
  return errors.filter((e) => {
    if (e.keyword === 'propertyNames') return false; // a vague summary beside the error that names the property
    if (tablePaths.has(e.instancePath)) return e.keyword !== 'anyOf' && e.keyword !== 'type';
    return e.keyword === 'anyOf' || !summaryPaths.has(e.instancePath);
  });
}

function isTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDiagnostic(error: ErrorObject, file: TomlFile, prefix: string[]): Diagnostic {
  const path = error.instancePath.split('/').slice(1).map(unescapePointer);
  let message: string;
  let keyPath = path;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      keyPath = [...path, extra];
      message = unknownKeyMessage(extra, path);
      break;
    }
    case 'type':
      // Values under env may be secrets: name their type only.
      message = `must be ${article((error.params as { type: string }).type)}, not ${path.includes('env') ? typeName(valueAt(error)) : describe(valueAt(error))}`;
      break;
    case 'enum':
      if (path[path.length - 1] === 'context_dir') {
        message = 'pycontainer takes the context from --context (-C), not from the configuration: remove context_dir (or set it to ".")';
        break;
      }
      message = `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'pattern':
      if (error.propertyName !== undefined) {
        keyPath = [...path, error.propertyName];
        message = `"${error.propertyName}" ${patternHint(path)}`;
      } else message = `${JSON.stringify(valueAt(error))} ${patternHint(path)}`;
      break;
    case 'anyOf':
      message = `${JSON.stringify(valueAt(error))} is not valid here: ${anyOfHint(path)}`;
      break;
    case 'propertyNames':
      message = `invalid name: ${error.message ?? ''}`;
      break;
    default:
      message = error.message ?? 'is invalid';
  }
  const full = [...prefix, ...keyPath];
  const line = locateKey(file.text, full);
  return { source: file.path, key: full.join('.'), ...(line ? { line } : {}), message };
}

function valueAt(error: ErrorObject): unknown {
  return error.data;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a table';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a table';
  return `a ${typeof value}`;
}

function article(type: string): string {
  const names: Record<string, string> = { array: 'an array', object: 'a table', boolean: 'true or false', integer: 'an integer' };
  return names[type] ?? `a ${type}`;
}

function patternHint(path: string[]): string {
  const key = path[path.length - 1];
  if (key === 'workdir') return 'must be an absolute path, e.g. "/app"';
  if (key === 'platform' || path.includes('platforms')) return 'is not a platform: use os/arch[/variant], e.g. "linux/amd64"';
  if (path.includes('exposed_ports')) return 'is not a port: use a number or "8080/tcp"';
  if (path.includes('env')) return 'is not a valid environment variable name';
  return 'has the wrong form';
}

function anyOfHint(path: string[]): string {
  if (path.includes('exposed_ports')) return 'use a port number 1-65535 or a string like "8080/tcp"';
  if (path.includes('labels')) return 'a label value must be a string';
  if (path[0] === 'registry') return 'use a [registry] table or the registry url as a string';
  if (path.includes('generate_sbom')) return 'use "spdx", "cyclonedx" or true';
  return 'see the schema';
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.key}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "unknown key" with the closest known key, from the schema at that path. */
function unknownKeyMessage(key: string, path: string[]): string {
  if (path[0] === 'registry' && /^(password|token|secret)$/i.test(key)) {
    return `secrets do not belong in configuration files: give the password through REGISTRY_PASSWORD, --password-stdin or a docker credential helper`;
  }
  const known = knownKeys(path);
  const best = closest(key, known);
  const hint = best ? `did you mean "${best}"?` : known.length ? `known keys: ${known.join(', ')}` : '';
  return `unknown key "${key}"${hint ? `; ${hint}` : ''}`;
}

function knownKeys(path: string[]): string[] {
  const schema = loadSchema('pycontainer') as { properties: Record<string, unknown>; definitions: Record<string, { properties: Record<string, unknown> }> };
  if (path.length === 0) return Object.keys(schema.properties);
  const def = schema.definitions[path[0]!];
  return path.length === 1 && def ? Object.keys(def.properties) : [];
}

/** The known key nearest to `key` by edit distance, if it is near enough to be a typo. */
export function closest(key: string, candidates: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = norm(c) === norm(key) ? 0 : editDistance(norm(key), norm(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
