import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Entry, LockedWheel } from '../../../generated/plan.js';
import { ConfigError } from '../../errors.js';
import { sha256Hex } from '../../oci/digest.js';
import { sitePackages, wrapper } from './venv.js';
import { parseEntryPoints } from './wheel.js';
import { linuxMachine } from '../tags.js';

/** A virtual environment found in the project (the last resort for dependencies, without a lock). */
export interface ExistingVenv {
  /** `.venv` or `venv`, relative to the context. */
  dir: string;
  /** Its site-packages, relative to the context. */
  sitePackages: string;
  /** The Python it was made with, from pyvenv.cfg. */
  pythonVersion?: string;
}

/** `.venv` or `venv` with a pyvenv.cfg and one lib/python3.X/site-packages. */
export async function findExistingVenv(context: string): Promise<ExistingVenv | undefined> {
  for (const dir of ['.venv', 'venv']) {
    let cfg: string;
    try {
      cfg = await readFile(join(context, dir, 'pyvenv.cfg'), 'utf8');
    } catch {
      continue;
    }
    const lib = await readdir(join(context, dir, 'lib')).catch(() => [] as string[]);
    const py = lib.filter((n) => /^python3\.\d+$/.test(n)).sort();
    if (py.length !== 1) continue;
    const version = /^\s*(?:version|version_info)\s*=\s*([0-9.]+)/m.exec(cfg)?.[1];
    return { dir, sitePackages: `${dir}/lib/${py[0]}/site-packages`, ...(version ? { pythonVersion: version } : {}) };
  }
  return undefined;
}

/**
 * The files of an existing venv's site-packages as dependency-layer entries under the image's venv,
 * console scripts regenerated for the image's interpreter (the venv's own have host shebangs), the
 * distributions found, and warnings about what cannot be known to fit the target.
 */
export async function existingVenvLayer(
  context: string,
  found: ExistingVenv,
  target: { venv: string; pythonMinor: string; architecture: string },
): Promise<{ entries: Entry[]; packages: LockedWheel[]; warnings: string[] }> {
  const site = sitePackages(target.venv, target.pythonMinor).replace(/^\/+/, '');
  const entries: Entry[] = [];
  const packages: LockedWheel[] = [];
  const warnings: string[] = [];
  const foreign: string[] = [];
  const machine = linuxMachine(target.architecture);
  const abi = `cpython-${target.pythonMinor.replace('.', '')}`;
  async function walk(rel: string): Promise<void> {
    for (const name of (await readdir(join(context, found.sitePackages, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (name === '__pycache__' || name.endsWith('.pyc')) continue;
      const source = `${found.sitePackages}/${path}`;
      const st = await lstat(join(context, source));
      if (st.isDirectory()) {
        entries.push({ path: `${site}/${path}`, type: 'dir', mode: '0755', source });
        await walk(path);
      } else if (st.isSymbolicLink()) {
        const target = await readlink(join(context, source));
        const resolved = posix.normalize(posix.join(posix.dirname(path), target));
        if (target.startsWith('/') || resolved.startsWith('..')) warnings.push(`${source} links outside the venv and is left out`);
        else entries.push({ path: `${site}/${path}`, type: 'symlink', mode: '0777', target, source });
      } else if (st.isFile()) {
        entries.push({ path: `${site}/${path}`, type: 'file', mode: st.mode & 0o111 ? '0755' : '0644', size: st.size, source });
        const so = /\.(cpython-\d+)-([a-z0-9_]+)-linux-gnu\.so$/.exec(name);
        if (so && (so[1] !== abi || so[2] !== machine)) foreign.push(path);
      }
    }
  }
  await walk('');
  // Distributions, and console scripts rewritten for the image's interpreter.
  for (const distInfo of entries.filter((e) => e.type === 'dir' && /^[^/]+\.dist-info$/.test(e.path.slice(site.length + 1)))) {
    const dir = join(context, distInfo.source!);
    const metadata = await readFile(join(dir, 'METADATA'), 'utf8').catch(() => '');
    const name = /^Name:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
    const version = /^Version:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
    if (!name || !version) continue;
    const record = await readFile(join(dir, 'RECORD')).catch(() => Buffer.alloc(0));
    packages.push({
      name: name.toLowerCase().replace(/[-_.]+/g, '-'),
      version,
      filename: distInfo.path.slice(site.length + 1),
      sha256: sha256Hex(record),
      size: record.length,
      requested: false,
    });
    const entryPoints = await readFile(join(dir, 'entry_points.txt'), 'utf8').catch(() => undefined);
    if (entryPoints === undefined) continue;
    const groups = parseEntryPoints(entryPoints, (what) => {
      throw new ConfigError('E_VENV', `${distInfo.source}/entry_points.txt: ${what}`);
    });
    for (const script of [...(groups.get('console_scripts') ?? []), ...(groups.get('gui_scripts') ?? [])]) {
      const content = wrapper(target.venv, script);
      entries.push({ path: `${target.venv.replace(/^\/+/, '')}/bin/${script.name}`, type: 'file', mode: '0755', size: Buffer.byteLength(content), sha256: sha256Hex(content), content });
    }
  }
  const minor = found.pythonVersion?.split('.').slice(0, 2).join('.');
  if (minor && minor !== target.pythonMinor) warnings.push(`${found.dir} was made with Python ${found.pythonVersion}, the image has ${target.pythonMinor}: packages may not import`);
  if (foreign.length) warnings.push(`${found.dir} holds ${foreign.length} compiled module${foreign.length === 1 ? '' : 's'} built for another Python or machine than ${abi}-${machine} (e.g. ${foreign[0]}): they will not load in the image`);
  packages.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { entries, packages, warnings };
}
