/**
 * uv.lock: a graph, not a list. The packages for one target are the closure of the project's
 * dependencies (plus its requested extras and dependency groups) over the edges whose markers hold for
 * the target; the project and workspace members (editable/virtual sources) are walked through but not
 * installed as wheels. Where a package is locked at several versions (resolution-markers), the edge's
 * version, or else the package's resolution-markers, pick one. Pure: takes the parsed file.
 */
import path from 'node:path';
import type { TomlFile } from '../../config/read.js';
import {
  basenameOf,
  byFilename,
  isTable,
  lockError,
  lockFailer,
  markerHolds,
  sha256OfHash,
  stripUserinfo,
  type LocalMember,
  type LockContext,
  type LockedFile,
  type LockedPackage,
  type LockFail,
  type Table,
} from './model.js';
import { normalizeName } from '../tags.js';
import { satisfies } from '../version.js';

export interface UvLockOptions extends LockContext {
  projectName: string;
  /** Normalized names the caller knows to be direct dependencies (added to the project's own edges). */
  direct?: Set<string>;
}

interface Edge {
  name: string;
  version?: string;
  source?: string;
  marker?: string;
  extras: string[];
}

interface Node {
  index: number;
  name: string;
  version: string;
  raw: Table;
  source: Table;
  /** Editable, virtual or a directory: the project or a workspace member, never installed as a wheel. */
  local: boolean;
  resolutionMarkers: string[];
  dependencies: Edge[];
  optional: Map<string, Edge[]>;
  groups: Map<string, Edge[]>;
}

export interface UvLockSelection {
  packages: LockedPackage[];
  /** Normalized names of the editable/virtual packages reached (the project, workspace members): locked, not installed as wheels. */
  members: string[];
  /** Those other than the project with code to install from their directory (editable or directory sources). */
  localMembers: LocalMember[];
}

export function parseUvLock(file: TomlFile, opts: UvLockOptions): UvLockSelection {
  const src = file.path;
  const data = file.data;
  const fail = lockFailer(file);

  const version = data.version;
  if (version === undefined) fail('version', 'missing');
  if (Number(version) !== 1) fail('version', `uv.lock version ${String(version)} is not supported: pycontainer reads version 1`);

  const env = opts.env;
  const requiresPython = data['requires-python'];
  if (typeof requiresPython === 'string') {
    let ok: boolean;
    try {
      ok = satisfies(env.python_full_version, requiresPython, { prereleases: true });
    } catch (err) {
      return fail('requires-python', (err as Error).message);
    }
    if (!ok) fail('requires-python', `"${requiresPython}" excludes the target Python ${env.python_full_version}`);
  }

  const rawPackages = data.package ?? [];
  if (!Array.isArray(rawPackages)) return fail('package', 'expected an array of tables ([[package]])');

  const edgesOf = (v: unknown, key: string, pkg: string): Edge[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) return fail(key, 'expected an array', pkg);
    return v.map((e: unknown, j: number) => {
      if (!isTable(e) || typeof e.name !== 'string') return fail(`${key}[${j}]`, 'expected { name = "..." }', pkg);
      const edge: Edge = { name: normalizeName(e.name), extras: [] };
      if (typeof e.version === 'string') edge.version = e.version;
      if (isTable(e.source)) edge.source = sourceKey(e.source);
      if (e.marker !== undefined) {
        if (typeof e.marker !== 'string') fail(`${key}[${j}].marker`, 'expected a string', pkg);
        edge.marker = e.marker as string;
      }
      if (e.extra !== undefined) {
        const extras = Array.isArray(e.extra) ? e.extra : [e.extra];
        if (extras.some((x) => typeof x !== 'string')) fail(`${key}[${j}].extra`, 'expected an array of strings', pkg);
        edge.extras = (extras as string[]).map(normalizeName);
      }
      return edge;
    });
  };
  const groupTable = (v: unknown, key: string, pkg: string): Map<string, Edge[]> => {
    const out = new Map<string, Edge[]>();
    if (v === undefined) return out;
    if (!isTable(v)) return fail(key, 'expected a table', pkg);
    for (const [k, list] of Object.entries(v)) out.set(normalizeName(k), edgesOf(list, `${key}.${k}`, pkg));
    return out;
  };

  const nodes: Node[] = rawPackages.map((raw: unknown, i: number) => {
    if (!isTable(raw) || typeof raw.name !== 'string') return fail(`package[${i}].name`, 'missing or not a string');
    const name = normalizeName(raw.name);
    const source = isTable(raw.source) ? raw.source : {};
    const markers = raw['resolution-markers'];
    return {
      index: i,
      name,
      version: typeof raw.version === 'string' ? raw.version : '',
      raw,
      source,
      local: 'editable' in source || 'virtual' in source || 'directory' in source,
      resolutionMarkers: Array.isArray(markers) ? markers.filter((m): m is string => typeof m === 'string') : [],
      dependencies: edgesOf(raw.dependencies, 'dependencies', name),
      optional: groupTable(raw['optional-dependencies'], 'optional-dependencies', name),
      groups: groupTable(raw['dev-dependencies'], 'dev-dependencies', name),
    };
  });
  const byName = new Map<string, Node[]>();
  for (const n of nodes) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);

  const projectName = normalizeName(opts.projectName);
  const root = (byName.get(projectName) ?? []).find((n) => n.local);
  if (!root) {
    throw lockError('E_LOCK_STALE', { source: src, message: `uv.lock does not lock the project "${projectName}"; run uv lock` });
  }

  const resolve = (edge: Edge, from: Node): Node => {
    let candidates = byName.get(edge.name) ?? [];
    if (edge.version !== undefined) candidates = candidates.filter((c) => c.version === edge.version);
    if (edge.source !== undefined && candidates.length > 1) candidates = candidates.filter((c) => sourceKey(c.source) === edge.source);
    if (candidates.length > 1) {
      const matching = candidates.filter(
        (c) => c.resolutionMarkers.length === 0 || c.resolutionMarkers.some((m) => markerHolds(m, { env }, src, c.name, [], [])),
      );
      if (matching.length > 0) candidates = matching;
    }
    if (candidates.length === 0) {
      return fail('dependencies', `"${from.name}" depends on "${edge.name}"${edge.version ? ` ${edge.version}` : ''}, which the lock does not contain; run uv lock`, from.name);
    }
    if (candidates.length > 1) {
      return fail(
        'resolution-markers',
        `"${edge.name}" is locked at ${candidates.map((c) => c.version).join(', ')} and the target matches more than one`,
        edge.name,
      );
    }
    return candidates[0]!;
  };

  // Walk: a node is visited once per set of active extras.
  const extras = (opts.extras ?? []).map(normalizeName);
  const groups = (opts.groups ?? []).map(normalizeName);
  for (const e of extras) {
    if (!root.optional.has(e)) fail('optional-dependencies', `project "${projectName}" has no extra "${e}" in the lock (it has: ${[...root.optional.keys()].join(', ') || 'none'})`, projectName);
  }
  for (const g of groups) {
    if (!root.groups.has(g)) fail('dev-dependencies', `project "${projectName}" has no dependency group "${g}" in the lock (it has: ${[...root.groups.keys()].join(', ') || 'none'})`, projectName);
  }

  // uv writes markers for conflicting extras/groups as `extra == 'extra-<len>-<project>-<extra>'` (or
  // `group-...`), on any edge of the graph: the project's requested ones hold everywhere.
  const conflictTokens = [
    ...extras.map((e) => `extra-${projectName.length}-${projectName}-${e}`),
    ...groups.map((g) => `group-${projectName.length}-${projectName}-${g}`),
  ];
  const seen = new Set<string>();
  const reached = new Map<number, Node>();
  const requested = new Set<string>(opts.direct ?? []);
  const queue: { node: Node; extras: string[] }[] = [{ node: root, extras }];
  while (queue.length > 0) {
    const { node, extras: active } = queue.shift()!;
    const key = `${node.index}[${[...active].sort().join(',')}]`;
    if (seen.has(key)) continue;
    seen.add(key);
    reached.set(node.index, node);
    const isRoot = node === root;
    const activeGroups = isRoot ? groups : [];
    const edges = [...node.dependencies];
    for (const e of active) edges.push(...(node.optional.get(e) ?? []));
    for (const g of activeGroups) edges.push(...(node.groups.get(g) ?? []));
    for (const edge of edges) {
      if (edge.marker !== undefined && !markerHolds(edge.marker, { env }, src, edge.name, [...active, ...conflictTokens], activeGroups)) continue;
      const target = resolve(edge, node);
      if (node.local) requested.add(target.name);
      queue.push({ node: target, extras: edge.extras });
    }
  }

  const out = new Map<string, LockedPackage>();
  for (const node of [...reached.values()].sort((a, b) => a.index - b.index)) {
    if (node.local) continue;
    const pkg = toPackage(node, requested.has(node.name), fail);
    const prior = out.get(pkg.name);
    if (prior && prior.version !== pkg.version) {
      fail('resolution-markers', `"${pkg.name}" is reached at both ${prior.version} and ${pkg.version} for the target`, pkg.name);
    }
    out.set(pkg.name, pkg);
  }
  const members = [...new Set([...reached.values()].filter((n) => n.local).map((n) => n.name))].sort();
  const localMembers = new Map<string, LocalMember>();
  for (const n of reached.values()) {
    if (!n.local || n === root) continue;
    const dir = typeof n.source.editable === 'string' ? n.source.editable : typeof n.source.directory === 'string' ? n.source.directory : undefined;
    if (dir !== undefined) localMembers.set(n.name, { name: n.name, version: n.version, directory: dir.replace(/\\/g, '/') });
  }
  return { packages: [...out.values()], members, localMembers: [...localMembers.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** A stable string for a source table, to compare an edge's source with a package's. */
function sourceKey(source: Table): string {
  return JSON.stringify(Object.entries(source).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const isUrl = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s);

function toPackage(node: Node, requested: boolean, fail: LockFail): LockedPackage {
  const { name, source, raw } = node;
  if (node.version === '') fail('version', `"${name}" has no version`, name);
  const unsupported = (what: string): never =>
    fail('source', `"${name}" comes from ${what}, which pycontainer cannot install (it builds nothing); lock a wheel instead`, name, 'E_LOCK_UNSUPPORTED');
  if ('git' in source) unsupported(`git (${stripUserinfo(String(source.git))})`);
  if ('directory' in source) unsupported(`a local directory (${String(source.directory)})`);

  const registry = typeof source.registry === 'string' ? source.registry : undefined;
  const pathSource = typeof source.path === 'string' ? source.path : undefined;
  const urlSource = typeof source.url === 'string' ? source.url : undefined;
  if (registry === undefined && pathSource === undefined && urlSource === undefined) {
    fail('source', `"${name}" has no source uv can install from (${JSON.stringify(Object.keys(source))})`, name);
  }
  /** Paths in a local registry's wheel entries are relative to the registry directory. */
  const base = registry !== undefined && !isUrl(registry) ? registry : undefined;

  let unhashed = 0;
  const fileOf = (t: unknown, key: string, fallback?: string): LockedFile | undefined => {
    if (!isTable(t)) return fail(key, 'expected a table', name);
    const url = typeof t.url === 'string' ? t.url : undefined;
    let filePath = typeof t.path === 'string' ? t.path : undefined;
    if (filePath !== undefined && base !== undefined) filePath = path.posix.join(base.replace(/\\/g, '/'), filePath.replace(/\\/g, '/'));
    const given = url ?? filePath ?? fallback;
    const filename = typeof t.filename === 'string' ? t.filename : given !== undefined ? basenameOf(given) : undefined;
    if (filename === undefined) return fail(key, 'needs url, path or filename', name);
    if (t.hash === undefined) {
      unhashed++;
      return undefined;
    }
    const sha256 = sha256OfHash(t.hash);
    if (!sha256) {
      unhashed++;
      return undefined;
    }
    const out: LockedFile = { filename, sha256 };
    if (url !== undefined) out.url = stripUserinfo(url);
    else if (filePath !== undefined) out.path = filePath.replace(/\\/g, '/');
    else if (urlSource !== undefined) out.url = stripUserinfo(urlSource);
    else if (pathSource !== undefined) out.path = pathSource.replace(/\\/g, '/');
    if (typeof t.size === 'number' || typeof t.size === 'bigint') out.size = Number(t.size);
    return out;
  };

  const pkg: LockedPackage = { name, version: node.version, requested, wheels: [] };
  const wheels = raw.wheels ?? [];
  if (!Array.isArray(wheels)) return fail('wheels', 'expected an array', name);
  wheels.forEach((w: unknown, j: number) => {
    const f = fileOf(w, `wheels[${j}]`, urlSource ?? pathSource);
    if (f) pkg.wheels.push(f);
  });
  if (raw.sdist !== undefined) {
    const f = fileOf(raw.sdist, 'sdist', urlSource ?? pathSource);
    if (f) pkg.sdist = f;
  }
  if (pkg.wheels.length === 0 && !pkg.sdist) {
    if (unhashed > 0) fail('wheels', `"${name}" ${node.version}: no file has a sha256 hash`, name, 'E_NO_HASH');
    fail('wheels', `"${name}" ${node.version} has no wheels or sdist`, name);
  }
  pkg.wheels.sort(byFilename);
  if (urlSource !== undefined) pkg.directUrl = stripUserinfo(urlSource);
  return pkg;
}
