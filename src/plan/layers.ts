/**
 * How the image's own layers are cut (build.layers), so that a change rebuilds and re-pushes little:
 * large project files that are not code (data, models, assets) in a layer below the code, each large
 * dependency alone, the small ones in a few groups by a hash of their name (adding, removing or
 * upgrading one changes only its group), workspace members (which change with the code) apart, and a
 * cap on the count. Pure: the grouping is a function of names, sizes and the settings, never of the
 * order things were found in or of what the cache holds.
 */
import { createHash } from 'node:crypto';
import type { Layers } from '../../generated/config.js';
import type { Entry } from '../../generated/plan.js';
import { formatBytes } from './summary.js';

export interface Layering {
  strategy: 'auto' | 'single';
  /** Project files of this many bytes or more that are not code go in the assets layer. */
  largeFile: number;
  /** Distributions of this installed size or more get a layer of their own. */
  largePackage: number;
  /** The most layers pycontainer adds per platform (dependency and application layers). */
  max: number;
}

export const DEFAULT_LAYERING: Layering = { strategy: 'auto', largeFile: 1024 ** 2, largePackage: 20 * 1024 ** 2, max: 20 };

/** Small distributions share this many layers (fewer when the cap leaves less room). */
export const DEPENDENCY_GROUPS = 4;

/**
 * Large project files (assets) share this many layers, by a hash of their path (fewer when the cap
 * leaves less room): a changed model or data file rebuilds and re-pushes its group, not all of them,
 * and the groups upload and download side by side (registries and runtimes move several blobs at once).
 */
export const ASSET_GROUPS = 4;

/** How many asset groups the cap leaves room for: it keeps at least one layer for the code and one for dependencies. */
export function assetGroupCount(layering: Layering): number {
  return Math.max(1, Math.min(ASSET_GROUPS, layering.max - 2));
}

/** Python source stays in the code layer however large it is: it changes with the code. */
const CODE_FILE = /\.(py|pyi|pyw|pyx|pxd)$/i;

export const APP_LAYER = 'app';
export const ASSETS_LAYER = 'assets';

/** build.layers as written (a strategy name or a table) with the defaults filled in. Sizes are validated by the schema. */
export function resolveLayering(value: Layers | undefined): Layering {
  if (value === undefined) return { ...DEFAULT_LAYERING };
  if (typeof value === 'string') return { ...DEFAULT_LAYERING, strategy: value };
  return {
    strategy: value.strategy ?? DEFAULT_LAYERING.strategy,
    largeFile: value.large_file === undefined ? DEFAULT_LAYERING.largeFile : parseSize(value.large_file),
    largePackage: value.large_package === undefined ? DEFAULT_LAYERING.largePackage : parseSize(value.large_package),
    max: value.max ?? DEFAULT_LAYERING.max,
  };
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `1MiB` → 1048576, `1.5MB` → 1500000, `4096` or 4096 → 4096 (bytes, rounded down). */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return Math.floor(value);
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  const unit = UNITS[(m?.[2] || 'b').toLowerCase()];
  if (!m || unit === undefined) throw new Error(`not a size: ${JSON.stringify(value)}`);
  return Math.floor(Number(m[1]) * unit);
}

/** `auto (assets ≥ 1.0 MB, own layer ≥ 21 MB, at most 20 layers)` or `single`: for explain and summaries. */
export function describeLayering(l: Layering): string {
  if (l.strategy === 'single') return 'single';
  return `auto (assets ≥ ${formatBytes(l.largeFile)}, own layer ≥ ${formatBytes(l.largePackage)}, at most ${l.max} layers)`;
}

/** One application layer's entries and why it exists. */
export interface AppLayerPart {
  name: string;
  createdBy: string;
  entries: Entry[];
}

export const APP_LAYER_CREATED_BY = 'pycontainer: project files and venv entry points';

/**
 * The application entries cut into layers, lowest first: with "auto", copied files of largeFile bytes
 * or more that are not Python source go in the assets layers, up to ASSET_GROUPS of them by a hash of
 * the file's path (`assets` when they all fall in one group; `assets N` when several), each with the
 * parent directories of its files as the full list has them, so all layers agree on every directory's
 * mode and owner; everything else — code, small files, generated venv files, the workdir — in `app`,
 * last, so a `.py` edit rebuilds only that one. With no such file, or "single", one `app` layer.
 * Entries keep their order.
 */
export function splitAppEntries(entries: Entry[], layering: Layering): AppLayerPart[] {
  const isAsset = (e: Entry) => layering.strategy === 'auto' && e.type === 'file' && e.source !== undefined && e.content === undefined && (e.size ?? 0) >= layering.largeFile && !CODE_FILE.test(e.path);
  const assets = entries.filter(isAsset);
  if (assets.length === 0) return [{ name: APP_LAYER, createdBy: APP_LAYER_CREATED_BY, entries }];
  const groups = assetGroupCount(layering);
  const byGroup = new Map<number, Entry[]>();
  for (const a of assets) {
    const g = bucketOf(a.path, groups);
    const list = byGroup.get(g);
    if (list) list.push(a);
    else byGroup.set(g, [a]);
  }
  const parts: AppLayerPart[] = [];
  for (const g of [...byGroup.keys()].sort((x, y) => x - y)) {
    const files = byGroup.get(g)!;
    const parents = new Set<string>();
    for (const a of files) {
      const segments = a.path.split('/');
      for (let i = 1; i < segments.length; i++) parents.add(segments.slice(0, i).join('/'));
    }
    const paths = new Set(files.map((a) => a.path));
    const bytes = files.reduce((n, a) => n + (a.size ?? 0), 0);
    const grouped = byGroup.size > 1 ? `, group ${g + 1} of ${groups} by path hash` : '';
    parts.push({
      name: byGroup.size > 1 ? `${ASSETS_LAYER} ${g + 1}` : ASSETS_LAYER,
      createdBy: `pycontainer: ${files.length} large project file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)}; each ${formatBytes(layering.largeFile)} or more, not code)${grouped}, below the code so a code change leaves them be`,
      entries: entries.filter((e) => paths.has(e.path) || (e.type === 'dir' && parents.has(e.path))),
    });
  }
  const assetPaths = new Set(assets.map((a) => a.path));
  parts.push({ name: APP_LAYER, createdBy: APP_LAYER_CREATED_BY, entries: entries.filter((e) => !assetPaths.has(e.path)) });
  return parts;
}

/** A distribution as the grouping sees it. */
export interface DependencyInfo {
  /** Normalized name. */
  name: string;
  version: string;
  /** Bytes it installs (the wheel's members, uncompressed). */
  installedSize: number;
  /** A workspace member or local path dependency: changes with the project's code. */
  local?: boolean;
}

/** A dependency layer to be: its name, what it holds and why (for created_by). */
export interface DependencyGroup {
  name: string;
  why: string;
  /** Normalized names, sorted. */
  packages: string[];
}

/** Which of the `buckets` groups a small distribution belongs to: a hash of its name, so that it never moves. */
export function bucketOf(name: string, buckets: number): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) % buckets;
}

/**
 * The dependency layers of one platform, lowest first: each distribution of largePackage or more
 * alone (by name), then the others in up to DEPENDENCY_GROUPS groups by name hash, then workspace
 * members. At most `budget` layers: when there are more, the smallest large distributions join their
 * groups first; if the groups alone are too many, they fold into fewer (by the same hash). Pure.
 */
export function groupDependencies(deps: DependencyInfo[], layering: Layering, budget: number): DependencyGroup[] {
  const sorted = [...deps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) return [];
  if (layering.strategy === 'single') return [{ name: 'deps', why: describeMembers('dependencies', sorted), packages: sorted.map((d) => d.name) }];
  const room = Math.max(1, budget);
  const local = sorted.filter((d) => d.local);
  const remote = sorted.filter((d) => !d.local);
  // Folding: with no room for the groups, fewer of them (and the members with them as a last resort).
  const localApart = local.length > 0 && room >= 2;
  const buckets = Math.max(1, Math.min(DEPENDENCY_GROUPS, room - (localApart ? 1 : 0)));
  const large = remote.filter((d) => d.installedSize >= layering.largePackage);
  const used = (alone: DependencyInfo[]) => {
    const rest = remote.filter((d) => !alone.includes(d));
    const groups = new Set(rest.map((d) => bucketOf(d.name, buckets)));
    if (local.length && !localApart) groups.add(0);
    return alone.length + groups.size + (localApart ? 1 : 0);
  };
  // The smallest first out of their own layer (ties by name, so the choice is stable).
  const alone = [...large].sort((a, b) => b.installedSize - a.installedSize || (a.name < b.name ? -1 : 1));
  while (alone.length && used(alone) > room) alone.pop();
  const out: DependencyGroup[] = [];
  for (const d of [...alone].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push({ name: `deps ${d.name}`, why: `dependency ${d.name} ${d.version}, ${formatBytes(d.installedSize)} installed: a layer of its own`, packages: [d.name] });
  }
  const grouped = new Map<number, DependencyInfo[]>();
  for (const d of remote) {
    if (alone.includes(d)) continue;
    const b = bucketOf(d.name, buckets);
    const list = grouped.get(b);
    if (list) list.push(d);
    else grouped.set(b, [d]);
  }
  if (local.length && !localApart) grouped.set(0, [...(grouped.get(0) ?? []), ...local].sort((a, b) => (a.name < b.name ? -1 : 1)));
  for (const b of [...grouped.keys()].sort((x, y) => x - y)) {
    const members = grouped.get(b)!;
    out.push({ name: `deps group ${b + 1}`, why: `${describeMembers('dependencies', members)}: group ${b + 1} of ${buckets} by name hash`, packages: members.map((d) => d.name) });
  }
  if (localApart) out.push({ name: 'deps local', why: `${describeMembers('workspace members', local)}: apart, they change with the project`, packages: local.map((d) => d.name) });
  return out;
}

/** `dependencies a 1.0, b 2.0 and 12 more`. */
function describeMembers(what: string, deps: DependencyInfo[]): string {
  const shown = deps.slice(0, 6).map((d) => `${d.name} ${d.version}`);
  return `${what} ${shown.join(', ')}${deps.length > shown.length ? ` and ${deps.length - shown.length} more` : ''}`;
}
