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

// One string grown by concatenation (V8 joins the pieces once, when the file is written) and plain
// loops: a plan lists every file of the project, and building it with map/join/every at each level
// made writing the benchmark project's plan (10,000 files) take as long as reading its file tree.
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

function stringify(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = `[\n${inner}${stringify(value[0], inner)}`;
    for (let i = 1; i < value.length; i++) out += `,\n${inner}${stringify(value[i], inner)}`;
    return `${out}\n${indent}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let count = 0;
  let scalars = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    keys[count++] = key;
    if (v !== null && typeof v === 'object') scalars = false;
  }
  keys.length = count;
  if (count === 0) return '{}';
  if (scalars) {
    let out = `{ ${quoteKey(keys[0]!)}: ${JSON.stringify(obj[keys[0]!])}`;
    for (let i = 1; i < count; i++) out += `, ${quoteKey(keys[i]!)}: ${JSON.stringify(obj[keys[i]!])}`;
    return `${out} }`;
  }
  let out = `{\n${inner}${quoteKey(keys[0]!)}: ${stringify(obj[keys[0]!], inner)}`;
  for (let i = 1; i < count; i++) out += `,\n${inner}${quoteKey(keys[i]!)}: ${stringify(obj[keys[i]!], inner)}`;
  return `${out}\n${indent}}`;
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
  return parsePlan(await readPlanText(path), path);
}

/** A plan file's text, or the error that says how to make one. */
async function readPlanText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new PlanError('E_PLAN_READ', `${path}: cannot read the plan file; make one with \`pycontainer plan -o ${path}\``);
  }
}

/**
 * The committed plan as a source of pins (base digests, dependency versions), without its application
 * layers: their file lists are most of a plan's text, and parsing and validating them (then keeping
 * them alive through a whole compile) cost a warm `plan` more than anything the pins save. The list
 * is cut from the text when it is in serializePlan's form (its top-level `"layers"` array opens and
 * closes at two spaces of indentation, and no JSON string holds a raw newline); otherwise the whole
 * plan is read. The result has `layers: []`: use it for pins only, never to apply or compare.
 */
export async function readPlanPins(path: string): Promise<Plan> {
  const text = await readPlanText(path);
  const opening = '\n  "layers": [\n';
  const start = text.indexOf(opening);
  const end = start === -1 ? -1 : text.indexOf('\n  ]', start + opening.length);
  if (end !== -1) {
    try {
      return parsePlan(`${text.slice(0, start)}\n  "layers": []${text.slice(end + 4)}`, path);
    } catch {
      // Not in our form after all: the whole plan below says what is wrong with it, if anything.
    }
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

/** Writes the plan atomically; a file that already holds exactly this plan is left be (a warm `plan -o` rewrites nothing). */
export async function writePlan(path: string, plan: Plan): Promise<void> {
  const text = serializePlan(plan);
  if ((await readFile(path, 'utf8').catch(() => undefined)) === text) return;
  await writeFileAtomic(path, text);
}
