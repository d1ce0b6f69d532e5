import type { PycontainerConfig } from '../../generated/config.js';
import type { Diagnostic } from '../errors.js';
import { loadSchema, schemaValidator, type ErrorObject, type SchemaName } from '../schemas.js';
import type { ConfigSource } from './merge.js';
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
 * Validates the pyproject.toml tables pycontainer reads — `[project]` as the pyproject.toml
 * specification (PEP 621) defines it, and Poetry 1's `[tool.poetry]` name and version — against
 * schema/pyproject-project.schema.json. A value the build would misread (`name = 5`, a version that is
 * not PEP 440, `scripts` as a list, `dependencies` as a string) is an error naming its line and key.
 */
export function validatePyproject(file: TomlFile): Diagnostic[] {
  const validate = schemaValidator('pyproject-project');
  const diagnostics: Diagnostic[] = [];
  if (!validate(file.data)) diagnostics.push(...collapse(validate.errors ?? []).map((e) => toDiagnostic(e, file, [], 'pyproject-project')));
  // "A build back-end MUST raise an error if the metadata specifies a field statically as well as
  // lists it in dynamic": which one would the build use?
  const project = file.data.project;
  const dynamic = isTable(project) ? project.dynamic : undefined;
  if (isTable(project) && Array.isArray(dynamic)) {
    for (const key of dynamic as unknown[]) {
      if (typeof key === 'string' && key !== 'name' && key in project) {
        const line = locateKey(file.text, ['project', key]);
        diagnostics.push({ source: file.path, key: `project.${key}`, ...(line ? { line } : {}), message: `is set here and also listed in project.dynamic; remove one of the two` });
      }
    }
  }
  return dedupe(diagnostics);
}

/**
 * Flag values through the same schema as the files' (`--user 'weird user'` fails where `user = "weird
 * user"` does), each problem naming the flag. Flags already refused while being read are not here.
 */
export function validateFlags(source: ConfigSource): Diagnostic[] {
  const validate = schemaValidator('pycontainer');
  if (validate(source.config)) return [];
  const names = source.flagNames ?? {};
  return dedupe(
    collapse(validate.errors ?? []).map((e) => {
      const d = toDiagnostic(e, undefined, []);
      const flag = names[d.key ?? ''] ?? names[(d.key ?? '').split('.').slice(0, 2).join('.')];
      return { source: flag ?? 'flag', message: d.message };
    }),
  );
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

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDiagnostic(error: ErrorObject, file: TomlFile | undefined, prefix: string[], schema: SchemaName = 'pycontainer'): Diagnostic {
  const path = error.instancePath.split('/').slice(1).map(unescapePointer);
  let message: string;
  let keyPath = path;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      keyPath = [...path, extra];
      message = unknownKeyMessage(extra, path, schema);
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
      if (path[0] === 'project' && path[1] === 'dynamic') {
        message = `${JSON.stringify(valueAt(error))} cannot be dynamic: list only keys of [project] other than name (the name is always static)`;
        break;
      }
      message = `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'format':
      message = `${JSON.stringify(valueAt(error))} ${formatHint((error.params as { format: string }).format)}`;
      break;
    case 'minLength':
      message = (error.params as { limit: number }).limit === 1
        ? `is empty${path.includes('tags') ? ': give an image reference, e.g. "app:1.0"' : ''}`
        : (error.message ?? 'is too short');
      break;
    case 'minItems':
      message = path[path.length - 1] === 'entrypoint'
        ? 'is empty: give the program and its arguments, e.g. ["python", "-m", "app"], or leave entrypoint out to use the detected command'
        : `needs at least ${(error.params as { limit: number }).limit} item(s)`;
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
  const line = file ? locateKey(file.text, full) : undefined;
  return { source: file?.path ?? 'flag', key: full.join('.'), ...(line ? { line } : {}), message };
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

/** What a value of a Python format must look like, for the message. */
function formatHint(format: string): string {
  switch (format) {
    case 'pep508-name':
      return 'is not a valid project name (PEP 508: letters, digits, ".", "_" and "-", starting and ending with a letter or digit)';
    case 'pep440-version':
      return 'is not a valid PEP 440 version, e.g. "1.0", "2.1.0rc1" or "0.3.post1"';
    case 'pep440-specifier':
      return 'is not a valid PEP 440 version specifier, e.g. ">=3.10" or ">=3.9,<4"';
    case 'pep508-requirement':
      return 'is not a PEP 508 requirement, e.g. "requests>=2.31" or "uvicorn[standard]; sys_platform == \'linux\'"';
    default:
      return `is not a valid ${format}`;
  }
}

function patternHint(path: string[]): string {
  const key = path[path.length - 1];
  if (key === 'workdir') return 'must be an absolute path inside the image with no ".." segment, e.g. "/app"';
  if (key === 'user') return 'is not a user: give a name or a numeric uid, optionally followed by ":" and a group name or gid, e.g. "app", "1000" or "1000:1000"';
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
  if (path[0] === 'project' && path[1] === 'readme') return 'give the file name, or a table with file or text (and content-type)';
  if (path[0] === 'project' && path[1] === 'license') return 'give an SPDX expression like "MIT", or a table with file or text';
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
function unknownKeyMessage(key: string, path: string[], schema: SchemaName): string {
  if (schema === 'pyproject-project') {
    const known = Object.keys((loadSchema(schema) as { definitions: { project: { properties: Record<string, unknown> } } }).definitions.project.properties);
    const best = closest(key, known);
    return `unknown key "${key}": the pyproject.toml specification allows no other keys in [project]${best ? `; did you mean "${best}"?` : '; tool settings belong under [tool.NAME]'}`;
  }
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
