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
  return `${planSerializer()(plan, '')}\n`;
}

/**
 * JSON.stringify(value)'s text, as a sequence of pieces (their concatenation is that text, byte for
 * byte): objects and arrays are walked, and an object whose values are all primitives (a layer entry)
 * is one piece. For plain data, which a plan is; a value with a toJSON method is left to JSON.stringify.
 * Lets a large plan be written out without its whole text in memory.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i) yield ',';
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* jsonPieces(item);
    }
    yield ']';
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.every((k) => record[k] === null || typeof record[k] !== 'object')) {
    yield JSON.stringify(record);
    return;
  }
  yield '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(item);
  }
  yield '}';
}

/** A node of the key-order trie: objects whose keys came in this order share their sorted keys. */
interface KeyOrder {
  next: Map<string, KeyOrder>;
  sorted?: { keys: string[]; quoted: string[] };
}

/** A string as JSON, without JSON.stringify's call for the common string that needs no escaping. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;
function scalarJson(value: unknown): string {
  return typeof value === 'string' && !NEEDS_ESCAPING.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * One string grown by concatenation (V8 joins the pieces once, when the file is written) and plain
 * loops: a plan lists every file of the project. A plan's thousands of entries come in a handful of
 * key orders: each order is sorted (and its keys quoted) once, found again through a trie of the
 * keys as Object.keys gives them (no string built per object to look it up).
 */
function planSerializer(): (value: unknown, indent: string) => string {
  const orders: KeyOrder = { next: new Map() };
  const sortedKeys = (obj: object): { keys: string[]; quoted: string[] } => {
    const keys = Object.keys(obj);
    let node = orders;
    for (const key of keys) {
      let child = node.next.get(key);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(key, child);
      }
      node = child;
    }
    if (node.sorted === undefined) {
      const sorted = keys.sort();
      node.sorted = { keys: sorted, quoted: sorted.map((k) => JSON.stringify(k)) };
    }
    return node.sorted;
  };
  const stringify = (value: unknown, indent: string): string => {
    if (value === null || typeof value !== 'object') return scalarJson(value);
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      let out = `[\n${inner}${stringify(value[0], inner)}`;
      for (let i = 1; i < value.length; i++) out += `,\n${inner}${stringify(value[i], inner)}`;
      return `${out}\n${indent}]`;
    }
    const obj = value as Record<string, unknown>;
    const { keys, quoted } = sortedKeys(obj);
    let count = 0;
    let scalars = true;
    for (const key of keys) {
      const v = obj[key];
      if (v === undefined) continue;
      count++;
      if (v !== null && typeof v === 'object') scalars = false;
    }
    if (count === 0) return '{}';
    let out = '';
    let first = true;
    if (scalars) {
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]!];
        if (v === undefined) continue;
        out += `${first ? '{ ' : ', '}${quoted[i]!}: ${scalarJson(v)}`;
        first = false;
      }
      return `${out} }`;
    }
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]!];
      if (v === undefined) continue;
      out += `${first ? '{\n' : ',\n'}${inner}${quoted[i]!}: ${stringify(v, inner)}`;
      first = false;
    }
    return `${out}\n${indent}}`;
  };
  return stringify;
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
  return parsePlan((await readPlanBytes(path)).toString('utf8'), path);
}

/** A plan file's bytes, or the error that says how to make one. */
async function readPlanBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new PlanError('E_PLAN_READ', `${path}: cannot read the plan file; make one with \`pycontainer plan -o ${path}\``);
  }
}

/**
 * The committed plan as a source of pins (base digests, dependency versions), without its application
 * layers: their file lists are most of a plan's text, and decoding, parsing and validating them (then
 * keeping them alive through a whole compile) cost a warm `plan` more than anything the pins save. The
 * list is cut from the bytes, and only the rest decoded, when it is in serializePlan's form (its
 * top-level `"layers"` array opens and closes at two spaces of indentation, and no JSON string holds a
 * raw newline); otherwise the whole plan is read. The result has `layers: []`: use it for pins only,
 * never to apply or compare.
 */
export async function readPlanPins(path: string): Promise<Plan> {
  const bytes = await readPlanBytes(path);
  const opening = '\n  "layers": [\n';
  const closing = '\n  ]';
  // ASCII markers: their byte offsets are character boundaries of the UTF-8 text.
  const start = bytes.indexOf(opening);
  const end = start === -1 ? -1 : bytes.indexOf(closing, start + opening.length);
  if (end !== -1) {
    try {
      return parsePlan(`${bytes.toString('utf8', 0, start)}\n  "layers": []${bytes.toString('utf8', end + closing.length)}`, path);
    } catch {
      // Not in our form after all: the whole plan below says what is wrong with it, if anything.
    }
  }
  return parsePlan(bytes.toString('utf8'), path);
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

/** Writes the plan (`text`: serializePlan's, when the caller has it) atomically; a file that already holds exactly this plan is left be (a warm `plan -o` rewrites nothing). */
export async function writePlan(path: string, plan: Plan, text = serializePlan(plan)): Promise<void> {
  // Compared as bytes: the old file is not decoded into a string of its own.
  const bytes = Buffer.from(text, 'utf8');
  if ((await readFile(path).catch(() => undefined))?.equals(bytes)) return;
  await writeFileAtomic(path, bytes);
}
