/**
 * pylock.toml (PEP 751): the packages to install for one target, chosen by each package's marker
 * (with the `extras` and `dependency_groups` marker variables), after checking lock-version,
 * requires-python and environments. Pure: takes the parsed file.
 */
import type { TomlFile } from '../../config/read.js';
import {
  basenameOf,
  byFilename,
  isTable,
  lockFailer,
  markerHolds,
  parseSdistFilename,
  SHA256,
  stripUserinfo,
  type LockContext,
  type LockedFile,
  type LockedPackage,
  type Table,
} from './model.js';
import { normalizeName, parseWheelFilename } from '../tags.js';
import { satisfies } from '../version.js';

export interface PylockOptions extends LockContext {
  /** Normalized names of the project's direct dependencies (→ `requested`); undefined: none known. */
  direct?: Set<string>;
}

export function parsePylock(file: TomlFile, opts: PylockOptions): LockedPackage[] {
  const src = file.path;
  const data = file.data;
  const fail = lockFailer(file);
  const stringList = (key: string): string[] | undefined => {
    const v = data[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(key, 'expected an array of strings');
    return v as string[];
  };

  // lock-version: 1.x only.
  const lockVersion = data['lock-version'];
  if (typeof lockVersion !== 'string') fail('lock-version', 'missing or not a string');
  if (!/^1(\.\d+)*$/.test(lockVersion as string)) {
    fail('lock-version', `lock-version "${lockVersion as string}" is not supported: pycontainer reads lock-version 1.x`);
  }

  const env = opts.env;
  const requiresPython = data['requires-python'];
  if (requiresPython !== undefined) {
    if (typeof requiresPython !== 'string') fail('requires-python', 'expected a string');
    let ok: boolean;
    try {
      ok = satisfies(env.python_full_version, requiresPython as string, { prereleases: true });
    } catch (err) {
      return fail('requires-python', (err as Error).message);
    }
    if (!ok) fail('requires-python', `"${requiresPython as string}" excludes the target Python ${env.python_full_version}`);
  }

  const environments = stringList('environments');
  if (environments && environments.length > 0) {
    const matches = environments.some((m) => markerHolds(m, { env }, src, 'environments', [], []));
    if (!matches) {
      fail(
        'environments',
        `none matches the target (python ${env.python_full_version}, ${env.sys_platform} ${env.platform_machine}): ${environments.map((m) => JSON.stringify(m)).join(', ')}`,
      );
    }
  }

  // Extras and groups: the ones asked for must be in the lock; no groups asked → default-groups.
  const lockExtras = (stringList('extras') ?? []).map(normalizeName);
  const lockGroups = (stringList('dependency-groups') ?? []).map(normalizeName);
  const extras = (opts.extras ?? []).map(normalizeName);
  for (const e of extras) {
    if (!lockExtras.includes(e)) fail('extras', `the lock has no extra "${e}" (it has: ${lockExtras.join(', ') || 'none'})`);
  }
  let groups: string[];
  if (opts.groups !== undefined) {
    groups = opts.groups.map(normalizeName);
    for (const g of groups) {
      if (!lockGroups.includes(g)) fail('dependency-groups', `the lock has no dependency group "${g}" (it has: ${lockGroups.join(', ') || 'none'})`);
    }
  } else {
    groups = (stringList('default-groups') ?? []).map(normalizeName);
  }

  const packages = data.packages;
  if (packages === undefined) return [];
  if (!Array.isArray(packages)) return fail('packages', 'expected an array of tables ([[packages]])');

  const selected = new Map<string, LockedPackage>();
  packages.forEach((raw: unknown, i: number) => {
    if (!isTable(raw)) fail(`packages[${i}]`, 'expected a table');
    const p = raw as Table;
    if (typeof p.name !== 'string' || p.name === '') fail(`packages[${i}].name`, 'missing or not a string');
    const name = normalizeName(p.name as string);
    const key = (k: string): string => `packages[${i}].${k}`;
    if (p.marker !== undefined) {
      if (typeof p.marker !== 'string') fail(key('marker'), 'expected a string', name);
      if (!markerHolds(p.marker as string, { env }, src, name, extras, groups)) return;
    }
    if (p.version !== undefined && typeof p.version !== 'string') fail(key('version'), 'expected a string', name);

    const fileOf = (t: unknown, k: string): LockedFile => {
      if (!isTable(t)) fail(key(k), 'expected a table', name);
      const f = t as Table;
      for (const s of ['name', 'url', 'path'] as const) {
        if (f[s] !== undefined && typeof f[s] !== 'string') fail(key(`${k}.${s}`), 'expected a string', name);
      }
      const url = f.url as string | undefined;
      const filePath = f.path as string | undefined;
      if (url === undefined && filePath === undefined) fail(key(k), 'needs url or path', name);
      const filename = (f.name as string | undefined) ?? basenameOf(url ?? filePath!);
      const hashes = f.hashes;
      if (!isTable(hashes)) return fail(key(`${k}.hashes`), `"${name}": ${filename} has no hashes`, name, 'E_NO_HASH');
      const sha = hashes.sha256;
      if (typeof sha !== 'string') return fail(key(`${k}.hashes`), `"${name}": ${filename} has no sha256 hash`, name, 'E_NO_HASH');
      if (!SHA256.test(sha.toLowerCase())) fail(key(`${k}.hashes.sha256`), `"${name}": not a sha256 hex digest`, name);
      const out: LockedFile = { filename, sha256: sha.toLowerCase() };
      if (url !== undefined) out.url = stripUserinfo(url);
      if (filePath !== undefined) out.path = filePath.replace(/\\/g, '/');
      if (f.size !== undefined) {
        if (typeof f.size !== 'number' && typeof f.size !== 'bigint') fail(key(`${k}.size`), 'expected an integer', name);
        out.size = Number(f.size);
      }
      return out;
    };

    if (p.vcs !== undefined) {
      fail(key('vcs'), `"${name}" comes from a VCS checkout, which pycontainer cannot install (it builds nothing); lock a wheel or sdist instead`, name, 'E_LOCK_UNSUPPORTED');
    }
    if (p.directory !== undefined) {
      fail(key('directory'), `"${name}" comes from a local directory, which pycontainer cannot install (it builds nothing); lock a wheel instead`, name, 'E_LOCK_UNSUPPORTED');
    }
    const pkg: LockedPackage = { name, version: (p.version as string | undefined) ?? '', requested: opts.direct?.has(name) ?? false, wheels: [] };
    if (p.archive !== undefined) {
      const file = fileOf(p.archive, 'archive');
      if (file.filename.endsWith('.whl')) pkg.wheels.push(file);
      else pkg.sdist = file;
      if (file.url !== undefined) pkg.directUrl = file.url;
    } else {
      if (p.wheels !== undefined) {
        if (!Array.isArray(p.wheels)) fail(key('wheels'), 'expected an array of tables', name);
        (p.wheels as unknown[]).forEach((w, j) => pkg.wheels.push(fileOf(w, `wheels[${j}]`)));
      }
      if (p.sdist !== undefined) pkg.sdist = fileOf(p.sdist, 'sdist');
      if (pkg.wheels.length === 0 && !pkg.sdist) fail(key('wheels'), `"${name}" has no wheels, sdist, archive, vcs or directory`, name);
    }
    pkg.wheels.sort(byFilename);
    if (pkg.version === '') pkg.version = versionFromFiles(pkg) ?? fail(key('version'), `"${name}": version missing and not in the file names`, name);

    const prior = selected.get(name);
    if (prior) {
      fail(key('marker'), `"${name}" is selected twice for the target (${prior.version} and ${pkg.version}): their markers overlap`, name);
    }
    selected.set(name, pkg);
  });
  return [...selected.values()];
}

function versionFromFiles(pkg: LockedPackage): string | undefined {
  for (const w of pkg.wheels) {
    try {
      return parseWheelFilename(w.filename).version;
    } catch {
      // try the next
    }
  }
  return pkg.sdist ? parseSdistFilename(pkg.sdist.filename)?.version : undefined;
}
