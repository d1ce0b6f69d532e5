/**
 * Helpers for the wheel-install scenarios of `npm run bench`: `pycontainer wheel install`
 * (wheelsLayerTar writing one tar, run by install-wheels.js) next to `pip install --target` of the
 * same wheel files (pip writing a tree). What they install: Debian's pip, setuptools and wheel
 * wheels, and the fastsum C extension wheel when gcc can build it for the host's Python.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { buildExtensionWheel, ensureDebianWheels, type WheelFile } from '../support/wheels.js';
import { findOnPath, run } from '../support/tools.js';

export interface WheelSetup {
  /** The host interpreter itself (sys.executable), not a shim such as pyenv's, so pip's runs time pip. */
  python: string;
  /** major.minor of the host python, e.g. '3.11'. */
  pythonMinor: string;
  pipVersion: string;
  wheels: WheelFile[];
  /** What became of the fastsum extension wheel (built, or why not). */
  extension: string;
}

/** The setup for the wheel scenarios, or why they are skipped. `extDir`: where to build fastsum. */
export async function prepareWheels(extDir: string): Promise<WheelSetup | { skipped: string }> {
  const missing = ['apt-get', 'dpkg'].filter((cmd) => !findOnPath(cmd));
  if (missing.length) return { skipped: `${missing.join(' and ')} not on PATH (needed for Debian's wheels)` };
  const probe = await run('python3', ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'], { allowFail: true }).catch(
    (err: Error) => ({ code: -1, stdout: '', stderr: err.message }),
  );
  if (probe.code !== 0) return { skipped: `python3 does not run: ${probe.stderr.trim().split('\n').pop()}` };
  const [python, pythonMinor] = probe.stdout.trim().split('\n');
  if (!python || !pythonMinor) return { skipped: `python3 printed ${JSON.stringify(probe.stdout)}` };
  const pip = await run(python, ['-m', 'pip', '--version'], { allowFail: true });
  if (pip.code !== 0) return { skipped: `the host has no \`python3 -m pip\` (${pip.stderr.trim().split('\n').pop()})` };
  const pipVersion = pip.stdout.trim().split(/\s+/)[1] ?? '?';

  let wheels: WheelFile[];
  try {
    wheels = await ensureDebianWheels();
  } catch (err) {
    return { skipped: `Debian's wheels could not be fetched: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!wheels.length) return { skipped: "no Debian wheels found" };

  // buildExtensionWheel tags the wheel cp311 (its .so is compiled against the host's headers): pip
  // would refuse it for any other interpreter, so it is only used with a host 3.11.
  let extension: string;
  if (!findOnPath('gcc')) extension = 'not built (no gcc)';
  else if (pythonMinor !== '3.11') extension = `not used (its wheel is tagged cp311, the host python is ${pythonMinor})`;
  else {
    try {
      const ext = await buildExtensionWheel(extDir, 'x86_64');
      wheels = [...wheels, ext];
      extension = `built with gcc: ${ext.filename}`;
    } catch (err) {
      extension = `not built (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return { python, pythonMinor, pipVersion, wheels, extension };
}

export interface TarStats {
  bytes: number;
  entries: number;
  files: number;
  sha256: string;
  /** Regular files and symlinks, by path (no leading '/'). */
  paths: string[];
}

/** Size, sha256 and entries of a tar file (read after the timed run). */
export async function tarStats(file: string): Promise<TarStats> {
  const hash = createHash('sha256');
  const st = await stat(file);
  await pipeline(
    createReadStream(file),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done();
      },
    }),
  );
  let entries = 0;
  const paths: string[] = [];
  const ex = extract();
  const counted = (async () => {
    for await (const entry of ex) {
      entries++;
      if (entry.header.type === 'file' || entry.header.type === 'symlink') paths.push(entry.header.name.replace(/^\.?\//, ''));
      entry.resume();
    }
  })();
  await Promise.all([pipeline(createReadStream(file), ex), counted]);
  return { bytes: st.size, entries, files: paths.length, sha256: hash.digest('hex'), paths };
}

export interface TreeStats {
  files: number;
  dirs: number;
  bytes: number;
  /** Regular files and symlinks, relative to the tree's root. */
  paths: string[];
}

/** What pip wrote: files (and symlinks), directories and bytes under `dir`. */
export async function treeStats(dir: string): Promise<TreeStats> {
  const out: TreeStats = { files: 0, dirs: 0, bytes: 0, paths: [] };
  for (const d of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // Node 20's Dirent: parentPath from 20.12, path before.
    const parent = (d as unknown as { parentPath?: string; path: string }).parentPath ?? (d as unknown as { path: string }).path;
    const full = join(parent, d.name);
    if (d.isDirectory()) out.dirs++;
    else {
      out.files++;
      out.paths.push(relative(dir, full));
      if (d.isFile()) out.bytes += (await stat(full)).size;
    }
  }
  return out;
}

/**
 * The installed files both agree on: the tar's site-packages against pip's --target tree (where
 * scripts go to bin/, which the venv layer puts in <venv>/bin). Returns paths only one of them has.
 */
export function compareInstalls(tar: TarStats, tree: TreeStats, venv: string, pythonMinor: string): { onlyTar: string[]; onlyPip: string[] } {
  const site = `${venv.replace(/^\//, '')}/lib/python${pythonMinor}/site-packages/`;
  const fromTar = new Set(tar.paths.filter((p) => p.startsWith(site)).map((p) => p.slice(site.length)));
  const fromPip = new Set(tree.paths.filter((p) => !p.startsWith('bin/')));
  return {
    onlyTar: [...fromTar].filter((p) => !fromPip.has(p)).sort(),
    onlyPip: [...fromPip].filter((p) => !fromTar.has(p)).sort(),
  };
}
