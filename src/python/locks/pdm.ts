/**
 * pdm.lock, lock_version 4.x: [metadata] (groups, content_hash), [[package]] entries with PEP 508
 * `dependencies` strings, `groups`, `marker`, `requires_python` and `files` ({file|url, hash}). A
 * package locked with extras is an entry of its own (`extras = [...]`) that depends on the plain one.
 * The packages for one target are the closure of the project's dependencies (default, plus the groups
 * asked for: dev/test only when named) over the edges whose markers hold. Files without a URL are found
 * on the project's [[tool.pdm.source]] (or the default index) by the dispatcher. Pure.
 *
 * The content_hash is not checked: PDM's algorithm changed across releases (overrides vs resolution,
 * how dependency groups are merged), and a false "stale" would block good builds; a lock that misses a
 * declared dependency is still refused by the dispatcher's staleness check.
 */
import type { TomlFile } from '../../config/read.js';
import { ConfigError } from '../../errors.js';
import { normalizeName } from '../tags.js';
import { satisfies } from '../version.js';
import {
  basenameOf,
  byFilename,
  isTable,
  lockFailer,
  markerHolds,
  parseRequirement,
  sha256OfHash,
  stripUserinfo,
  type LocalMember,
  type LockContext,
  type LockedFile,
  type LockedPackage,
  type LockFail,
  type Requirement,
  type Table,
} from './model.js';

export interface PdmLockOptions extends LockContext {
  /** pyproject.toml's data: the root dependencies, groups, extras and sources. */
  pyproject: Record<string, unknown>;
  /** Normalized names the caller knows to be direct dependencies (→ `requested`). */
  direct?: Set<string>;
  /** `${VAR}` in source URLs (PDM expands them). Default: process.env. */
  environ?: NodeJS.ProcessEnv;
}

interface Node {
  index: number;
  name: string;
  version: string;
  /** Normalized, sorted: the extras this entry was locked with. */
  extras: string[];
  raw: Table;
  dependencies: Requirement[];
}

export function parsePdmLock(file: TomlFile, opts: PdmLockOptions): { packages: LockedPackage[]; localMembers: LocalMember[] } {
  const src = file.path;
  const data = file.data;
  const fail = lockFailer(file);
  const metadata = isTable(data.metadata) ? data.metadata : fail('metadata', 'missing: the lock file is incomplete; run pdm lock');
  const lockVersion = metadata.lock_version;
  if (typeof lockVersion !== 'string' || !/^4(\.\d+)*$/.test(lockVersion)) {
    fail('metadata.lock_version', `${lockVersion === undefined ? 'missing' : `"${String(lockVersion)}" is not supported`}: pycontainer reads pdm.lock 4.x; run pdm lock with PDM 2.8 or later`);
  }
  const env = opts.env;
  const lockedGroups = Array.isArray(metadata.groups) ? metadata.groups.map((g) => normalizeName(String(g))) : ['default'];
  const groupsAsked = (opts.groups ?? []).map(normalizeName).filter((g) => g !== 'default');
  for (const g of groupsAsked) {
    if (!lockedGroups.includes(g)) fail('metadata.groups', `the lock has no group "${g}" (it has: ${lockedGroups.join(', ')}); run pdm lock -G ${g}, or fix build.dependency_groups`);
  }

  const rawPackages = data.package ?? [];
  if (!Array.isArray(rawPackages)) return fail('package', 'expected an array of tables ([[package]])');
  const nodes: Node[] = rawPackages.map((raw: unknown, i: number) => {
    if (!isTable(raw) || typeof raw.name !== 'string') return fail(`package[${i}].name`, 'missing or not a string');
    const name = normalizeName(raw.name);
    if (typeof raw.version !== 'string') return fail('version', `"${name}" has no version`, name);
    const deps = Array.isArray(raw.dependencies) ? raw.dependencies : [];
    const dependencies = deps.map((d: unknown) => {
      try {
        return parseRequirement(String(d));
      } catch (err) {
        return fail('dependencies', `"${name}": invalid requirement ${JSON.stringify(d)}: ${(err as Error).message}`, name);
      }
    });
    const extras = Array.isArray(raw.extras) ? raw.extras.map((e) => normalizeName(String(e))).sort() : [];
    return { index: i, name, version: raw.version, extras, raw, dependencies };
  });
  const byName = new Map<string, Node[]>();
  for (const n of nodes) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);

  /** The entries an edge reaches: the plain package, plus the entry locked with its extras (or each single extra's). */
  const resolve = (req: Requirement, from: string): Node[] => {
    let candidates = byName.get(req.name) ?? [];
    if (req.specifier) {
      const fit = candidates.filter((c) => {
        try {
          return satisfies(c.version, req.specifier, { prereleases: true });
        } catch {
          return true;
        }
      });
      if (fit.length > 0 || candidates.length > 1) candidates = fit;
    }
    const versions = [...new Set(candidates.map((c) => c.version))];
    if (versions.length > 1) {
      const fit = candidates.filter((c) => typeof c.raw.marker !== 'string' || markerHolds(c.raw.marker, { env }, src, c.name, [], []));
      if (fit.length > 0) candidates = fit;
    }
    const plain = candidates.filter((c) => c.extras.length === 0);
    if (plain.length === 0 && candidates.length === 0) {
      return fail('package', `${from} depends on "${req.name}", which the lock does not contain; run pdm lock`, undefined, 'E_LOCK_STALE');
    }
    const chosenVersions = [...new Set(candidates.map((c) => c.version))];
    if (chosenVersions.length > 1) fail('package', `"${req.name}" is locked at ${chosenVersions.join(', ')} and the target matches more than one`, req.name);
    const out = plain.slice(0, 1);
    const wanted = [...req.extras].sort();
    if (wanted.length > 0) {
      const exact = candidates.find((c) => c.extras.join(',') === wanted.join(','));
      if (exact) out.push(exact);
      else for (const e of wanted) {
        const one = candidates.find((c) => c.extras.length === 1 && c.extras[0] === e);
        if (one) out.push(one);
      }
    }
    if (out.length === 0) out.push(candidates[0]!);
    return out;
  };

  const root = rootRequirements(opts.pyproject, opts.extras ?? [], groupsAsked, src);
  const requested = new Set<string>([...(opts.direct ?? []), ...root.map((r) => r.name)]);
  const reached = new Map<number, Node>();
  const queue: { req: Requirement; from: string }[] = root.map((req) => ({ req, from: 'pyproject.toml' }));
  const rootExtras = (opts.extras ?? []).map(normalizeName);
  while (queue.length > 0) {
    const { req, from } = queue.shift()!;
    if (req.marker !== undefined && !markerHolds(req.marker, { env }, src, req.name, from === 'pyproject.toml' ? rootExtras : [], [])) continue;
    for (const node of resolve(req, from)) {
      if (reached.has(node.index)) continue;
      reached.set(node.index, node);
      for (const dep of node.dependencies) queue.push({ req: dep, from: `"${node.name}"` });
    }
  }

  const environ = opts.environ ?? process.env;
  const indexUrls = pdmIndexUrls(opts.pyproject, environ);
  const out = new Map<string, LockedPackage>();
  const localMembers = new Map<string, LocalMember>();
  for (const node of [...reached.values()].sort((a, b) => a.index - b.index)) {
    if (typeof node.raw.path === 'string' && !/\.(whl|tar\.gz|zip)$/.test(node.raw.path)) {
      // A path dependency (a monorepo sibling): installed from its source, like a uv workspace member.
      localMembers.set(node.name, { name: node.name, version: node.version, directory: node.raw.path.replace(/\\/g, '/') });
      continue;
    }
    if (node.extras.length > 0 && (byName.get(node.name) ?? []).some((c) => c.extras.length === 0 && c.version === node.version)) continue;
    const pkg = toPackage(node, requested.has(node.name), fail);
    if (indexUrls && pkg.wheels.concat(pkg.sdist ? [pkg.sdist] : []).some((f) => !f.url && !f.path)) pkg.indexUrls = indexUrls;
    const prior = out.get(pkg.name);
    if (prior && prior.version !== pkg.version) fail('package', `"${pkg.name}" is reached at both ${prior.version} and ${pkg.version} for the target`, pkg.name);
    out.set(pkg.name, pkg);
  }
  return { packages: [...out.values()], localMembers: [...localMembers.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** [project].dependencies, the asked extras, and the asked groups ([dependency-groups], [tool.pdm.dev-dependencies]). */
function rootRequirements(pyproject: Record<string, unknown>, extrasAsked: string[], groups: string[], src: string): Requirement[] {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const pdm = isTable(tool.pdm) ? tool.pdm : {};
  const parse = (list: unknown, where: string): Requirement[] =>
    (Array.isArray(list) ? list : [])
      .filter((x) => typeof x === 'string')
      .map((text) => {
        try {
          return parseRequirement(text as string);
        } catch (err) {
          throw new ConfigError('E_LOCK', `pyproject.toml: ${where}: invalid requirement ${JSON.stringify(text)}: ${(err as Error).message}`);
        }
      });
  const out = parse(project.dependencies, 'project.dependencies');
  const optional = isTable(project['optional-dependencies']) ? new Map(Object.entries(project['optional-dependencies']).map(([k, v]) => [normalizeName(k), v])) : new Map<string, unknown>();
  const named = new Map<string, unknown[]>();
  for (const table of [pyproject['dependency-groups'], pdm['dev-dependencies']]) {
    if (!isTable(table)) continue;
    for (const [g, list] of Object.entries(table)) named.set(normalizeName(g), [...(named.get(normalizeName(g)) ?? []), ...(Array.isArray(list) ? list : [])]);
  }
  for (const e of extrasAsked.map(normalizeName)) {
    if (!optional.has(e)) throw new ConfigError('E_LOCK', `${src}: pyproject.toml has no extra "${e}" (it has: ${[...optional.keys()].join(', ') || 'none'}); fix build.extras`);
    out.push(...parse(optional.get(e), `project.optional-dependencies.${e}`));
  }
  for (const g of groups) {
    // PDM locks optional-dependencies as groups too.
    const list = named.get(g) ?? optional.get(g);
    if (list === undefined) throw new ConfigError('E_LOCK', `${src}: pyproject.toml has no dependency group "${g}"; fix build.dependency_groups`);
    out.push(...parse(list, `dependency group ${g}`));
  }
  return out;
}

/** The project's [[tool.pdm.source]] indexes (`${VAR}` expanded), with PyPI unless a source named pypi replaces it. */
function pdmIndexUrls(pyproject: Record<string, unknown>, environ: NodeJS.ProcessEnv): string[] | undefined {
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const pdm = isTable(tool.pdm) ? tool.pdm : {};
  const sources = Array.isArray(pdm.source) ? pdm.source.filter(isTable) : [];
  const indexes = sources.filter((s) => typeof s.url === 'string' && (s.type === undefined || s.type === 'index'));
  if (indexes.length === 0) return undefined;
  const expand = (url: string): string => url.replace(/\$\{([A-Za-z0-9_]+)\}/g, (all, v: string) => environ[v] ?? all);
  const urls = indexes.map((s) => expand(s.url as string));
  const replacesPypi = indexes.some((s) => s.name === 'pypi');
  return replacesPypi ? urls : [...urls, environ.PIP_INDEX_URL || 'https://pypi.org/simple/'];
}

function toPackage(node: Node, requested: boolean, fail: LockFail): LockedPackage {
  const { name, raw } = node;
  if (typeof raw.git === 'string') fail('git', `"${name}" comes from git (${stripUserinfo(raw.git)}), which pycontainer cannot install (it builds nothing); publish a wheel and lock it`, name, 'E_LOCK_UNSUPPORTED');
  const pkg: LockedPackage = { name, version: node.version, requested, wheels: [] };
  const packageUrl = typeof raw.url === 'string' ? raw.url : undefined;
  const packagePath = typeof raw.path === 'string' ? raw.path : undefined;
  let unhashed = 0;
  for (const f of Array.isArray(raw.files) ? raw.files : []) {
    if (!isTable(f)) continue;
    const url = typeof f.url === 'string' ? f.url : undefined;
    const filename = typeof f.file === 'string' ? f.file : url !== undefined ? basenameOf(url) : undefined;
    if (filename === undefined) continue;
    const sha256 = sha256OfHash(f.hash);
    if (!sha256) {
      unhashed++;
      continue;
    }
    const file: LockedFile = { filename, sha256 };
    if (url !== undefined) file.url = stripUserinfo(url);
    else if (packageUrl !== undefined && basenameOf(packageUrl) === filename) file.url = stripUserinfo(packageUrl);
    else if (packagePath !== undefined && basenameOf(packagePath) === filename) file.path = packagePath.replace(/\\/g, '/');
    if (filename.endsWith('.whl')) pkg.wheels.push(file);
    else if (!pkg.sdist || filename < pkg.sdist.filename) pkg.sdist = file;
  }
  if (packageUrl !== undefined) pkg.directUrl = stripUserinfo(packageUrl);
  if (pkg.wheels.length === 0 && !pkg.sdist) {
    if (unhashed > 0) fail('files', `"${name}" ${node.version}: no file has a sha256 hash`, name, 'E_NO_HASH');
    fail('files', `"${name}" ${node.version} lists no files; run pdm lock`, name);
  }
  pkg.wheels.sort(byFilename);
  return pkg;
}
