import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Plan } from '../../generated/plan.js';
import { PlanError } from '../errors.js';
import { schemaValidator } from '../schemas.js';
import { PLAN_FORMAT_VERSION, PYCONTAINER_VERSION } from '../version.js';

/** The default plan file name: what `apply` reads and `plan --offline` refreshes when no file is named. */
export const DEFAULT_PLAN_FILE = 'pycontainer.plan.json';

/**
 * The plan's file form: keys sorted at every level, two-space indentation, and every object whose
 * values are all scalars on one line — one file per line, so plans diff and merge well in git.
 * Ends with a newline. The only serializer of plans.
 */
export function serializePlan(plan: Plan): string {
  return `${stringify(plan, '')}\n`;
}

function stringify(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  if (keys.length === 0) return '{}';
  const obj = value as Record<string, unknown>;
  if (keys.every((k) => obj[k] === null || typeof obj[k] !== 'object')) {
    return `{ ${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(obj[k])}`).join(', ')} }`;
  }
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(obj[k], inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * Parses and validates a plan. A plan of another format version is refused with both versions named;
 * one that does not match the schema is refused with the first problems.
 */
export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PlanError('E_PLAN_JSON', `${source}: not a plan: invalid JSON (${(err as Error).message})`);
  }
  const head = data as { kind?: unknown; formatVersion?: unknown; pycontainerVersion?: unknown };
  if (typeof data !== 'object' || data === null || head.kind !== 'pycontainer.plan') {
    throw new PlanError('E_PLAN_KIND', `${source}: not a pycontainer plan (no "kind": "pycontainer.plan"); make one with \`pycontainer plan -o ${source}\``);
  }
  if (head.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new PlanError(
      'E_PLAN_VERSION',
      `${source}: plan format ${String(head.formatVersion)} (written by pycontainer ${String(head.pycontainerVersion)}) cannot be applied by pycontainer ${PYCONTAINER_VERSION}, which reads format ${PLAN_FORMAT_VERSION}; re-run \`pycontainer plan\` with this version`,
    );
  }
  const validate = schemaValidator('plan');
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${source}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new PlanError('E_PLAN_SCHEMA', `${source}: the plan does not match schema/plan.schema.json`, { details: problems });
  }
  return data as Plan;
}

export async function readPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PlanError('E_PLAN_READ', `${path}: cannot read the plan file; make one with \`pycontainer plan -o ${path}\``);
  }
  return parsePlan(text, path);
}

/** Writes a file atomically: a temporary name in the same directory, then rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writePlan(path: string, plan: Plan): Promise<void> {
  await writeFileAtomic(path, serializePlan(plan));
}
