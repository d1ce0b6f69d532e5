/**
 * A workspace member (or local path dependency) installed from its source directory: its importable
 * code (a `src/` layout, or a package directory named after the project, or a module) is packed into
 * a pure-Python wheel that is a function of the files alone (stored entries, fixed times, sorted), so
 * the plan can state its sha256 and apply can rebuild it and notice any change. No build backend runs:
 * generated files (a hatch-vcs `_version.py`) and compiled extensions are out of reach.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { escapeDistName } from './venv.js';
import { crc32 } from './zip.js';

export interface MemberFile {
  /** Path inside the wheel (and site-packages), `/`-separated. */
  archivePath: string;
  /** Relative to the member's directory, `/`-separated. */
  source: string;
  data: Buffer;
}

const SKIP_DIR = new Set(['__pycache__', '.git', '.venv', 'venv', 'node_modules', 'tests', 'test', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'build', 'dist']);

/** The importable files of a member: `src/*` when there is a src/, else the package named after the project, else `<name>.py`. */
export async function readMemberSources(memberDir: string, name: string, shown: string): Promise<MemberFile[]> {
  const out: MemberFile[] = [];
  const walk = async (abs: string, archive: string, source: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) {
        if (SKIP_DIR.has(e.name) || e.name.startsWith('.') || e.name.endsWith('.egg-info')) continue;
        await walk(path.join(abs, e.name), `${archive}${e.name}/`, `${source}${e.name}/`);
      } else if (e.isFile() && !/\.(pyc|pyo)$/.test(e.name)) {
        out.push({ archivePath: `${archive}${e.name}`, source: `${source}${e.name}`, data: await readFile(path.join(abs, e.name)) });
      }
    }
  };
  const list = async (dir: string) => {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
  };
  const src = await list(path.join(memberDir, 'src'));
  const pkg = escapeDistName(name);
  if (src) {
    for (const e of src.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !SKIP_DIR.has(e.name) && !e.name.endsWith('.egg-info') && !e.name.startsWith('.')) await walk(path.join(memberDir, 'src', e.name), `${e.name}/`, `src/${e.name}/`);
      else if (e.isFile() && e.name.endsWith('.py')) out.push({ archivePath: e.name, source: `src/${e.name}`, data: await readFile(path.join(memberDir, 'src', e.name)) });
    }
  } else {
    const top = (await list(memberDir)) ?? [];
    const dir = top.find((e) => e.isDirectory() && escapeDistName(e.name) === pkg);
    const mod = top.find((e) => e.isFile() && e.name.endsWith('.py') && escapeDistName(e.name.slice(0, -3)) === pkg);
    if (dir) await walk(path.join(memberDir, dir.name), `${dir.name}/`, `${dir.name}/`);
    else if (mod) out.push({ archivePath: mod.name, source: mod.name, data: await readFile(path.join(memberDir, mod.name)) });
  }
  if (!out.some((f) => f.archivePath.endsWith('.py'))) {
    throw new ConfigError(
      'E_WORKSPACE_MEMBER',
      `${shown}: workspace member "${name}" has no importable code pycontainer can find (src/<package>/, ${pkg}/ or ${pkg}.py); build it into a wheel (uv build --package ${name}) and depend on that file`,
    );
  }
  return out;
}

const b64 = (digest: Buffer): string => digest.toString('base64url');

/** A wheel of the member's files with METADATA, WHEEL and RECORD: the same files give the same bytes. */
export function assembleMemberWheel(name: string, version: string, files: MemberFile[]): { filename: string; data: Buffer } {
  const dist = `${escapeDistName(name)}-${version}`;
  const distInfo = `${dist}.dist-info`;
  const members: { name: string; data: Buffer }[] = files.map((f) => ({ name: f.archivePath, data: f.data }));
  members.push({ name: `${distInfo}/METADATA`, data: Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`) });
  members.push({ name: `${distInfo}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: pycontainer (workspace member)\nRoot-Is-Purelib: true\nTag: py3-none-any\n') });
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const record = members.map((m) => `${m.name},sha256=${b64(createHash('sha256').update(m.data).digest())},${m.data.length}`);
  record.push(`${distInfo}/RECORD,,`);
  members.push({ name: `${distInfo}/RECORD`, data: Buffer.from(`${record.join('\n')}\n`) });
  return { filename: `${dist}-py3-none-any.whl`, data: storedZip(members) };
}

/** The fields a local header (at 4) and a central directory header (at 6) share, in the same order. */
function writeSharedFields(header: Buffer, at: number, crc: number, size: number, nameLength: number): void {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(0, at + 4); // stored
  header.writeUInt16LE(0, at + 6); // 00:00
  header.writeUInt16LE((1 << 5) | 1, at + 8); // 1980-01-01
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14); // compressed: the same
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** A zip of stored (uncompressed) entries, 1980-01-01 00:00, no extra fields. */
function storedZip(members: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const crc = crc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, crc, m.data.length, name.length);
    locals.push(local, name, m.data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(0x031e, 4); // made by: unix, 3.0
    writeSharedFields(dir, 6, crc, m.data.length, name.length);
    dir.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + m.data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
