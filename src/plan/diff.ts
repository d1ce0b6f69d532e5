import { createTwoFilesPatch } from 'diff';
import type { DependencyLayer, Entry, Image, LockedWheel, Plan } from '../../generated/plan.js';
import { normalizeName } from '../config/detect.js';
import { compareVersions, isValidVersion } from '../python/version.js';
import { serializePlan } from './file.js';
import { formatBytes } from './summary.js';

/**
 * Semantic differences between two plans: what a reviewer wants to know before reading the JSON diff
 * (base image moved, a dependency upgraded, files changed, the config changed). Pure.
 */

/** The groups a change belongs to, in the order the summary shows them. */
export type ChangeSection =
  | 'plan'
  | 'project'
  | 'base'
  | 'python'
  | 'platforms'
  | 'dependencies'
  | 'files'
  | 'layers'
  | 'config'
  | 'tags'
  | 'annotations'
  | 'output'
  | 'inputs';

const SECTION_ORDER: ChangeSection[] = ['plan', 'project', 'base', 'python', 'platforms', 'dependencies', 'files', 'layers', 'config', 'tags', 'annotations', 'output', 'inputs'];

export interface PlanChange {
  section: ChangeSection;
  kind: 'added' | 'removed' | 'changed';
  /** What changed: a package name, a path in the image, a config field (`Env PATH`, `User`), a tag, `ref`, `digest`. */
  subject: string;
  /** The platform the change applies to; absent when it applies to every platform (or the plan has one). */
  platform?: string;
  /** The old value, shown (absent for additions); a layer's diff_id. */
  before?: string;
  /** The new value, shown (absent for removals). */
  after?: string;
  /** Files and layers: sizes in bytes before and after. */
  sizeBefore?: number;
  sizeAfter?: number;
  /** Dependencies: the direction of a version change; `wheel` when only the wheel file changed. */
  version?: 'upgraded' | 'downgraded' | 'wheel';
  /** Base digest and manifest changes: the base reference (the new plan's). */
  ref?: string;
}

/** Every semantic change from plan `a` to plan `b`, grouped by section and sorted within it. */
export function planChanges(a: Plan, b: Plan): PlanChange[] {
  const out: PlanChange[] = [];
  const push = (c: PlanChange) => out.push(c);

  // The plan itself and the project.
  if (a.pycontainerVersion !== b.pycontainerVersion) push({ section: 'plan', kind: 'changed', subject: 'pycontainer', before: a.pycontainerVersion, after: b.pycontainerVersion });
  if (a.project.name !== b.project.name) push({ section: 'project', kind: 'changed', subject: 'name', before: a.project.name, after: b.project.name });
  if (a.project.version !== b.project.version) push({ section: 'project', kind: 'changed', subject: 'version', before: a.project.version, after: b.project.version });

  // Base image: its reference and the digest it is pinned to.
  if (a.base.ref !== b.base.ref) {
    push({ section: 'base', kind: 'changed', subject: 'ref', before: a.base.ref, after: b.base.ref });
  }
  if ((a.base.digest ?? '') !== (b.base.digest ?? '')) {
    push({ section: 'base', kind: 'changed', subject: 'digest', ref: b.base.ref, ...opt('before', a.base.digest), ...opt('after', b.base.digest) });
  } else {
    // Same index digest but a platform's manifest differs (a single-manifest base re-pinned per platform).
    for (const platform of common(a.platforms, b.platforms)) {
      const ma = a.base.images.find((i) => i.platform === platform)?.manifest?.digest;
      const mb = b.base.images.find((i) => i.platform === platform)?.manifest?.digest;
      if (ma !== mb) push({ section: 'base', kind: 'changed', subject: 'manifest', ref: b.base.ref, platform, ...opt('before', ma), ...opt('after', mb) });
    }
  }
  if (a.python.version !== b.python.version) push({ section: 'python', kind: 'changed', subject: 'version', before: a.python.version, after: b.python.version });
  if (a.python.interpreter !== b.python.interpreter) push({ section: 'python', kind: 'changed', subject: 'interpreter', before: a.python.interpreter, after: b.python.interpreter });
  if (a.python.venv !== b.python.venv) push({ section: 'python', kind: 'changed', subject: 'venv', before: a.python.venv, after: b.python.venv });

  // Platforms.
  for (const p of minus(b.platforms, a.platforms)) push({ section: 'platforms', kind: 'added', subject: p });
  for (const p of minus(a.platforms, b.platforms)) push({ section: 'platforms', kind: 'removed', subject: p });

  // Dependencies per platform (shared changes are shown once), then files, then the image config.
  const shared = common(a.platforms, b.platforms);
  out.push(...collapsePlatforms(shared, (platform) => dependencyChanges(depLayer(a, platform), depLayer(b, platform))));
  out.push(...fileChanges(a, b));
  // The layers those changes rebuild: what a push will upload.
  out.push(...layerChanges(a.layers, b.layers));
  out.push(...collapsePlatforms(shared, (platform) => layerChanges(depLayer(a, platform)?.layers ?? [], depLayer(b, platform)?.layers ?? [])));
  out.push(...collapsePlatforms(shared, (platform) => configChanges(image(a, platform), image(b, platform))));

  // Tags, annotations, output, inputs.
  for (const t of minus(b.tags, a.tags)) push({ section: 'tags', kind: 'added', subject: t });
  for (const t of minus(a.tags, b.tags)) push({ section: 'tags', kind: 'removed', subject: t });
  // The base annotations repeat the base change shown above: leave those out.
  const baseAnnotation = (k: string) => k === 'org.opencontainers.image.base.digest' || k === 'org.opencontainers.image.base.name';
  out.push(...mapChanges('annotations', '', a.annotations, b.annotations).filter((c) => !baseAnnotation(c.subject) || c.kind !== 'changed'));
  if (a.output !== b.output) push({ section: 'output', kind: 'changed', subject: 'output', before: a.output, after: b.output });
  const inputsA = new Map(a.inputs.map((i) => [i.path, i.sha256]));
  const inputsB = new Map(b.inputs.map((i) => [i.path, i.sha256]));
  for (const [path, sha] of inputsB) {
    if (!inputsA.has(path)) push({ section: 'inputs', kind: 'added', subject: path });
    else if (inputsA.get(path) !== sha) push({ section: 'inputs', kind: 'changed', subject: path });
  }
  for (const path of inputsA.keys()) if (!inputsB.has(path)) push({ section: 'inputs', kind: 'removed', subject: path });

  // Whatever else differs (layer include/exclude lists, history, sizes) is in the unified diff.
  if (out.length === 0 && serializePlan(a) !== serializePlan(b)) push({ section: 'plan', kind: 'changed', subject: 'other' });
  return out.map((c, i) => ({ c, i })).sort((x, y) => SECTION_ORDER.indexOf(x.c.section) - SECTION_ORDER.indexOf(y.c.section) || x.i - y.i).map((x) => x.c);
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function minus(xs: string[], ys: string[]): string[] {
  const set = new Set(ys);
  return [...new Set(xs)].filter((x) => !set.has(x)).sort();
}

function common(xs: string[], ys: string[]): string[] {
  const set = new Set(ys);
  return [...new Set(xs)].filter((x) => set.has(x)).sort();
}

function depLayer(plan: Plan, platform: string): DependencyLayer | undefined {
  return plan.dependencies?.find((d) => d.platform === platform);
}

function image(plan: Plan, platform: string): Image | undefined {
  return plan.images.find((i) => i.platform === platform);
}

/**
 * Runs a per-platform comparison over the platforms both plans have. A change found identically on
 * every platform is reported once, without a platform; the others carry theirs.
 */
function collapsePlatforms(platforms: string[], compare: (platform: string) => PlanChange[]): PlanChange[] {
  const per = platforms.map((p) => ({ platform: p, changes: compare(p) }));
  const key = (c: PlanChange) => JSON.stringify([c.section, c.kind, c.subject, c.before, c.after, c.sizeBefore, c.sizeAfter, c.version]);
  const counts = new Map<string, number>();
  for (const { changes } of per) for (const k of new Set(changes.map(key))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const out: PlanChange[] = [];
  const emitted = new Set<string>();
  for (const { platform, changes } of per) {
    for (const c of changes) {
      const k = key(c);
      if (counts.get(k) === platforms.length) {
        if (!emitted.has(k)) out.push(c);
        emitted.add(k);
      } else out.push({ ...c, platform });
    }
  }
  return out;
}

/** Packages added, removed, upgraded, downgraded, or installed from another wheel file. */
export function dependencyChanges(a: DependencyLayer | undefined, b: DependencyLayer | undefined): PlanChange[] {
  const out: PlanChange[] = [];
  const byName = (d: DependencyLayer | undefined) => new Map<string, LockedWheel>((d?.packages ?? []).map((p) => [normalizeName(p.name), p]));
  const pa = byName(a);
  const pb = byName(b);
  if (a && b && a.lock !== b.lock) out.push({ section: 'dependencies', kind: 'changed', subject: 'lock', before: a.lock, after: b.lock });
  for (const name of [...new Set([...pa.keys(), ...pb.keys()])].sort()) {
    const x = pa.get(name);
    const y = pb.get(name);
    if (!x && y) out.push({ section: 'dependencies', kind: 'added', subject: y.name, after: y.version });
    else if (x && !y) out.push({ section: 'dependencies', kind: 'removed', subject: x.name, before: x.version });
    else if (x && y) {
      if (x.version !== y.version) {
        out.push({ section: 'dependencies', kind: 'changed', subject: y.name, before: x.version, after: y.version, version: direction(x.version, y.version) });
      } else if (x.filename !== y.filename || x.sha256 !== y.sha256) {
        out.push({
          section: 'dependencies',
          kind: 'changed',
          subject: y.name,
          before: x.filename === y.filename ? `${x.filename} sha256:${x.sha256.slice(0, 12)}…` : x.filename,
          after: x.filename === y.filename ? `sha256:${y.sha256.slice(0, 12)}…` : y.filename,
          version: 'wheel',
        });
      }
    }
  }
  return out;
}

/**
 * Layers (application, or one platform's dependency layers) added, removed, or with another diff_id,
 * by name, in the new plan's order: `~ deps numpy sha256:… → sha256:…` is what a rebuild and push redo.
 */
export function layerChanges(a: { name: string; diffId: string; size: number }[], b: { name: string; diffId: string; size: number }[]): PlanChange[] {
  const before = new Map(a.map((l) => [l.name, l]));
  const after = new Map(b.map((l) => [l.name, l]));
  const out: PlanChange[] = [];
  for (const l of b) {
    const old = before.get(l.name);
    if (!old) out.push({ section: 'layers', kind: 'added', subject: l.name, after: l.diffId, sizeAfter: l.size });
    else if (old.diffId !== l.diffId) out.push({ section: 'layers', kind: 'changed', subject: l.name, before: old.diffId, after: l.diffId, sizeBefore: old.size, sizeAfter: l.size });
  }
  for (const l of a) if (!after.has(l.name)) out.push({ section: 'layers', kind: 'removed', subject: l.name, before: l.diffId, sizeBefore: l.size });
  return out;
}

function direction(before: string, after: string): 'upgraded' | 'downgraded' {
  if (isValidVersion(before) && isValidVersion(after)) return compareVersions(before, after) <= 0 ? 'upgraded' : 'downgraded';
  return before <= after ? 'upgraded' : 'downgraded';
}

/**
 * Files in the layers pycontainer builds: files copied from the context and generated ones (venv
 * files, wrappers), keyed by their path in the image. Directories only count when added or removed.
 */
export function fileChanges(a: Plan, b: Plan): PlanChange[] {
  const entries = (plan: Plan) => {
    const map = new Map<string, Entry>();
    for (const layer of plan.layers) for (const e of layer.entries) map.set(e.path, e);
    return map;
  };
  const ea = entries(a);
  const eb = entries(b);
  const out: PlanChange[] = [];
  for (const path of [...new Set([...ea.keys(), ...eb.keys()])].sort()) {
    const x = ea.get(path);
    const y = eb.get(path);
    if (!x && y) {
      if (y.type === 'dir') continue;
      out.push({ section: 'files', kind: 'added', subject: path, ...(y.size !== undefined ? { sizeAfter: y.size } : {}), ...(y.type === 'symlink' ? { after: `→ ${y.target ?? ''}` } : {}) });
    } else if (x && !y) {
      if (x.type === 'dir') continue;
      out.push({ section: 'files', kind: 'removed', subject: path, ...(x.size !== undefined ? { sizeBefore: x.size } : {}), ...(x.type === 'symlink' ? { before: `→ ${x.target ?? ''}` } : {}) });
    } else if (x && y) {
      if (x.type !== y.type) {
        out.push({ section: 'files', kind: 'changed', subject: path, before: x.type, after: y.type });
        continue;
      }
      const what: string[] = [];
      if (x.type === 'symlink' && x.target !== y.target) what.push(`→ ${x.target ?? ''}`, `→ ${y.target ?? ''}`);
      const contentChanged = x.sha256 !== y.sha256 || x.content !== y.content || x.size !== y.size;
      const modeChanged = x.mode !== y.mode || (x.uid ?? 0) !== (y.uid ?? 0) || (x.gid ?? 0) !== (y.gid ?? 0);
      if (x.type === 'dir' && !modeChanged) continue;
      if (!contentChanged && !modeChanged && what.length === 0) continue;
      const change: PlanChange = { section: 'files', kind: 'changed', subject: path };
      if (contentChanged && x.type === 'file') {
        if (x.size !== undefined) change.sizeBefore = x.size;
        if (y.size !== undefined) change.sizeAfter = y.size;
      }
      if (what.length) {
        change.before = what[0]!;
        change.after = what[1]!;
      } else if (modeChanged) {
        change.before = owner(x);
        change.after = owner(y);
      }
      out.push(change);
    }
  }
  return out;
}

function owner(e: Entry): string {
  return `mode ${e.mode}${e.uid || e.gid ? ` ${e.uid ?? 0}:${e.gid ?? 0}` : ''}`;
}

/** The image config fields a reviewer cares about: Env per variable, Entrypoint, Cmd, User, WorkingDir, ports, labels. */
export function configChanges(a: Image | undefined, b: Image | undefined): PlanChange[] {
  const ca = a?.config.config ?? {};
  const cb = b?.config.config ?? {};
  const out: PlanChange[] = [];
  out.push(...mapChanges('config', 'Env ', envMap(ca.Env), envMap(cb.Env)));
  for (const field of ['Entrypoint', 'Cmd'] as const) {
    const x = ca[field];
    const y = cb[field];
    if (JSON.stringify(x ?? null) !== JSON.stringify(y ?? null)) {
      out.push({ section: 'config', kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', subject: field, ...opt('before', x && JSON.stringify(x)), ...opt('after', y && JSON.stringify(y)) });
    }
  }
  for (const field of ['User', 'WorkingDir'] as const) {
    const x = ca[field];
    const y = cb[field];
    if (x !== y) out.push({ section: 'config', kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', subject: field, ...opt('before', x), ...opt('after', y) });
  }
  const portsA = Object.keys(ca.ExposedPorts ?? {});
  const portsB = Object.keys(cb.ExposedPorts ?? {});
  for (const p of minus(portsB, portsA)) out.push({ section: 'config', kind: 'added', subject: `ExposedPorts ${p}` });
  for (const p of minus(portsA, portsB)) out.push({ section: 'config', kind: 'removed', subject: `ExposedPorts ${p}` });
  out.push(...mapChanges('config', 'Labels ', ca.Labels ?? {}, cb.Labels ?? {}));
  return out;
}

function envMap(env: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of env ?? []) {
    const eq = item.indexOf('=');
    if (eq === -1) out[item] = '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function mapChanges(section: ChangeSection, prefix: string, a: Record<string, string>, b: Record<string, string>): PlanChange[] {
  const out: PlanChange[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    out.push({ section, kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', subject: `${prefix}${k}`, ...opt('before', x), ...opt('after', y) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

const ANSI = { bold: '\x1b[1m', green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${ANSI.reset}` : text;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const SIGN_COLOR = { added: ANSI.green, removed: ANSI.red, changed: ANSI.yellow } as const;

/** `sha256:0123456789ab…` */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '(none)';
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(digest);
  return m && m[2]!.length > 12 ? `${m[1]}:${m[2]!.slice(0, 12)}…` : digest;
}

const SECTION_TITLE: Record<ChangeSection, string> = {
  plan: 'plan',
  project: 'project',
  base: 'base',
  python: 'python',
  platforms: 'platforms',
  dependencies: 'dependencies',
  files: 'files',
  layers: 'layers',
  config: 'config',
  tags: 'tags',
  annotations: 'annotations',
  output: 'output',
  inputs: 'inputs',
};

/**
 * The human summary: one line per change under a bold header per group (and platform, where a change
 * is not shared by every platform), then a totals line. `no changes` when there are none.
 */
export function formatChanges(changes: PlanChange[], options: { color: boolean }): string {
  const { color } = options;
  if (changes.length === 0) return 'no changes\n';
  const lines: string[] = [];
  const base = changes.filter((c) => c.section === 'base');
  // One line for the base image: `base: REF sha256:aaa… → sha256:bbb…`.
  const ref = base.find((c) => c.subject === 'ref');
  const digest = base.find((c) => c.subject === 'digest');
  if (ref || digest) {
    const refText = ref ? `${ref.before} → ${ref.after}` : undefined;
    const digestText = digest ? `${shortDigest(digest.before)} → ${shortDigest(digest.after)}` : undefined;
    const text = ref && digest ? `${refText} (${digestText})` : ref ? refText! : `${digest!.ref} ${digestText}`;
    lines.push(`${paint('base:', ANSI.bold, color)} ${paint(text, ANSI.yellow, color)}`);
  }
  for (const c of base.filter((x) => x.subject === 'manifest')) {
    lines.push(`${paint(`base (${c.platform}):`, ANSI.bold, color)} ${paint(`manifest ${shortDigest(c.before)} → ${shortDigest(c.after)}`, ANSI.yellow, color)}`);
  }
  // Scalar sections as one line each.
  for (const c of changes.filter((x) => x.section === 'plan' || x.section === 'project' || x.section === 'python' || x.section === 'output')) {
    if (c.subject === 'other') {
      lines.push(`${paint('plan:', ANSI.bold, color)} ${paint('other fields differ (see the unified diff)', ANSI.yellow, color)}`);
      continue;
    }
    const label = c.section === 'output' ? 'output' : `${SECTION_TITLE[c.section]} ${c.subject}`;
    lines.push(`${paint(`${label}:`, ANSI.bold, color)} ${paint(`${c.before} → ${c.after}`, ANSI.yellow, color)}`);
  }
  // Listed sections: a header, then one line per item.
  const listed: ChangeSection[] = ['platforms', 'dependencies', 'files', 'layers', 'config', 'tags', 'annotations', 'inputs'];
  for (const section of listed) {
    const group = changes.filter((c) => c.section === section);
    const platforms = [...new Set(group.map((c) => c.platform ?? ''))].sort();
    for (const platform of platforms) {
      const items = group.filter((c) => (c.platform ?? '') === platform);
      lines.push(paint(`${SECTION_TITLE[section]}${platform ? ` (${platform})` : ''}:`, ANSI.bold, color));
      for (const c of items) lines.push(`  ${paint(`${SIGN[c.kind]} ${changeText(c)}`, SIGN_COLOR[c.kind], color)}`);
    }
  }
  lines.push(paint(totals(changes), ANSI.bold, color));
  return `${lines.join('\n')}\n`;
}

function changeText(c: PlanChange): string {
  switch (c.section) {
    case 'dependencies':
      if (c.kind === 'added') return `${c.subject} ${c.after}`;
      if (c.kind === 'removed') return `${c.subject} ${c.before}`;
      if (c.subject === 'lock' && !c.version) return `lock ${c.before} → ${c.after}`;
      return `${c.subject} ${c.before} → ${c.after}`;
    case 'files': {
      if (c.kind === 'added') return `${c.subject}${c.sizeAfter !== undefined ? ` (${formatBytes(c.sizeAfter)})` : ''}${c.after ? ` ${c.after}` : ''}`;
      if (c.kind === 'removed') return `${c.subject}${c.sizeBefore !== undefined ? ` (${formatBytes(c.sizeBefore)})` : ''}${c.before ? ` ${c.before}` : ''}`;
      const parts: string[] = [c.subject];
      if (c.sizeBefore !== undefined && c.sizeAfter !== undefined) {
        parts.push(c.sizeBefore === c.sizeAfter ? `(${formatBytes(c.sizeAfter)}, content changed)` : `${formatBytes(c.sizeBefore)} → ${formatBytes(c.sizeAfter)}`);
      } else if (c.before === undefined) parts.push('(content changed)');
      if (c.before !== undefined) parts.push(`${c.before} → ${c.after}`);
      return parts.join(' ');
    }
    case 'layers':
      if (c.kind === 'added') return `${c.subject} ${shortDigest(c.after)} (${formatBytes(c.sizeAfter ?? 0)})`;
      if (c.kind === 'removed') return `${c.subject} ${shortDigest(c.before)} (${formatBytes(c.sizeBefore ?? 0)})`;
      return `${c.subject} ${shortDigest(c.before)} → ${shortDigest(c.after)} (${formatBytes(c.sizeAfter ?? 0)})`;
    case 'config':
    case 'annotations':
      if (c.subject.startsWith('ExposedPorts ')) return c.subject;
      if (c.kind === 'added') return `${c.subject}${c.subject.startsWith('Env ') ? '=' : ' '}${c.after ?? ''}`.trimEnd();
      if (c.kind === 'removed') return `${c.subject}${c.subject.startsWith('Env ') ? '=' : ' '}${c.before ?? ''}`.trimEnd();
      return `${c.subject}: ${shortValue(c.before)} → ${shortValue(c.after)}`;
    case 'inputs':
      return c.kind === 'changed' ? `${c.subject} (content changed)` : c.subject;
    default:
      return c.before !== undefined && c.after !== undefined ? `${c.subject}: ${c.before} → ${c.after}` : c.subject;
  }
}

/** Digests are shortened in values; everything else is shown as is. */
function shortValue(v: string | undefined): string {
  return v !== undefined && /^[a-z0-9]+:[0-9a-f]{32,}$/.test(v) ? shortDigest(v) : (v ?? '');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `3 files changed, 1 dependency upgraded, base image updated`. */
export function totals(changes: PlanChange[]): string {
  if (changes.length === 0) return 'no changes';
  const parts: string[] = [];
  const of = (section: ChangeSection) => changes.filter((c) => c.section === section);
  const files = of('files');
  const fc = files.filter((c) => c.kind === 'changed').length;
  const fa = files.filter((c) => c.kind === 'added').length;
  const fr = files.filter((c) => c.kind === 'removed').length;
  if (fc) parts.push(`${plural(fc, 'file')} changed`);
  if (fa) parts.push(`${plural(fa, 'file')} added`);
  if (fr) parts.push(`${plural(fr, 'file')} removed`);
  // Packages count once however many platforms they change on.
  const deps = of('dependencies').filter((c) => !(c.subject === 'lock' && !c.version));
  const count = (pred: (c: PlanChange) => boolean) => new Set(deps.filter(pred).map((c) => normalizeName(c.subject))).size;
  const counts: [number, string][] = [
    [count((c) => c.version === 'upgraded'), 'upgraded'],
    [count((c) => c.version === 'downgraded'), 'downgraded'],
    [count((c) => c.kind === 'added'), 'added'],
    [count((c) => c.kind === 'removed'), 'removed'],
    [count((c) => c.version === 'wheel'), 'with another wheel'],
  ];
  for (const [n, what] of counts) if (n) parts.push(`${plural(n, 'dependency', 'dependencies')} ${what}`);
  if (of('dependencies').some((c) => c.subject === 'lock' && !c.version)) parts.push('lock file changed');
  const base = of('base');
  if (base.some((c) => c.subject === 'ref')) parts.push('base image changed');
  else if (base.length) parts.push('base image updated');
  if (of('python').some((c) => c.subject === 'version')) parts.push('python version changed');
  const platforms = of('platforms');
  const pa = platforms.filter((c) => c.kind === 'added').length;
  const pr = platforms.filter((c) => c.kind === 'removed').length;
  if (pa) parts.push(`${plural(pa, 'platform')} added`);
  if (pr) parts.push(`${plural(pr, 'platform')} removed`);
  const config = [...new Set(of('config').map((c) => c.subject.split(' ')[0]!))];
  if (config.length) parts.push(`config changed (${config.join(', ')})`);
  if (of('tags').length) parts.push('tags changed');
  if (of('annotations').length) parts.push('annotations changed');
  if (of('output').length) parts.push('output changed');
  if (of('inputs').length) parts.push(`${plural(of('inputs').length, 'input file')} changed`);
  if (of('project').length) parts.push('project changed');
  // Layers follow from the changes above; alone (build.layers changed), they are the news.
  if (parts.length === 0 && of('layers').length) parts.push(`${plural(new Set(of('layers').map((c) => c.subject)).size, 'layer')} changed`);
  if (of('plan').some((c) => c.subject === 'pycontainer')) parts.push('written by another pycontainer');
  return parts.join(', ') || 'plans differ';
}

/**
 * A unified diff of the two plans in their canonical form (serializePlan), empty when they are
 * identical. Colored: additions green, removals red, hunk headers cyan, file headers bold.
 */
export function unifiedPlanDiff(a: Plan, b: Plan, options: { color: boolean; labelA: string; labelB: string }): string {
  const textA = serializePlan(a);
  const textB = serializePlan(b);
  if (textA === textB) return '';
  const patch = createTwoFilesPatch(options.labelA, options.labelB, textA, textB, undefined, undefined, { context: 3 });
  // Drop the `====` separator line createTwoFilesPatch starts with.
  const lines = patch.split('\n').filter((l, i) => !(i === 0 && /^=+$/.test(l)));
  if (lines[lines.length - 1] === '') lines.pop();
  const shown = lines.map((line) => {
    if (!options.color) return line;
    if (line.startsWith('---') || line.startsWith('+++')) return paint(line, ANSI.bold, true);
    if (line.startsWith('@@')) return paint(line, ANSI.cyan, true);
    if (line.startsWith('+')) return paint(line, ANSI.green, true);
    if (line.startsWith('-')) return paint(line, ANSI.red, true);
    return line;
  });
  return `${shown.join('\n')}\n`;
}
