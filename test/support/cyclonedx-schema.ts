/**
 * The CycloneDX 1.6 JSON schema that @cyclonedx/cyclonedx-library ships (a dev dependency kept for
 * this), compiled with the two schemas it references under the names it references them by. The
 * formats it uses are checked loosely (ajv-formats is not a dependency).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { findRepoRoot } from './base-image.js';

export function cycloneDxValidator(): ValidateFunction {
  const dir = join(findRepoRoot(), 'node_modules', '@cyclonedx', 'cyclonedx-library', 'res', 'schema');
  const load = (name: string, id: string) => ({ ...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as object), $id: id });
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('iri-reference', /^\S+$/);
  ajv.addFormat('idn-email', /^\S+@\S+$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  ajv.addSchema(load('spdx.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json'));
  ajv.addSchema(load('jsf-0.82.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json'));
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/bom-1.6.schema.json'));
}
