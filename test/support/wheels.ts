// Real wheels for dependency tests: Debian's pip, setuptools and wheel wheels (python3-*-whl), a C
// extension wheel compiled here with gcc, and a PEP 691 / PEP 503 simple index on loopback serving them.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { findRepoRoot } from './base-image.js';
import { run } from './tools.js';

export interface WheelFile {
  /** Normalized project name. */
  name: string;
  version: string;
  filename: string;
  path: string;
  sha256: string;
  size: number;
}

async function describe(file: string): Promise<WheelFile> {
  const filename = path.basename(file);
  const [dist, version] = filename.split('-');
  const bytes = await readFile(file);
  return {
    name: dist!.toLowerCase().replace(/[-_.]+/g, '-'),
    version: version!,
    filename,
    path: file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  };
}

/** Name, version, sha256 and size of a wheel file (the name and version from its file name). */
export function describeWheel(file: string): Promise<WheelFile> {
  return describe(file);
}

/** pip, setuptools and wheel as Debian ships them (/usr/share/python-wheels), cached in test/.cache/wheels. */
export async function ensureDebianWheels(): Promise<WheelFile[]> {
  const root = path.join(findRepoRoot(), 'test', '.cache', 'wheels');
  const done = path.join(root, 'debian');
  if (!existsSync(done)) {
    await mkdir(root, { recursive: true });
    const work = await mkdtemp(path.join(root, '.tmp-'));
    try {
      await run('apt-get', ['download', 'python3-pip-whl', 'python3-setuptools-whl', 'python3-wheel-whl'], { cwd: work, timeoutMs: 300_000 });
      for (const deb of (await readdir(work)).filter((f) => f.endsWith('.deb'))) await run('dpkg', ['-x', path.join(work, deb), path.join(work, 'root')]);
      await mkdir(path.join(work, 'out'));
      for (const whl of await readdir(path.join(work, 'root/usr/share/python-wheels'))) {
        await rename(path.join(work, 'root/usr/share/python-wheels', whl), path.join(work, 'out', whl));
      }
      await rename(path.join(work, 'out'), done).catch(() => undefined); // another process won: fine
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const files = (await readdir(done)).filter((f) => f.endsWith('.whl')).sort();
  return Promise.all(files.map((f) => describe(path.join(done, f))));
}

const EXTENSION_C = `#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *add(PyObject *self, PyObject *args) {
  long a, b;
  if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
  return PyLong_FromLong(a + b);
}
static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "Add two integers in C."}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastsum", NULL, -1, methods};
PyMODINIT_FUNC PyInit_fastsum(void) { return PyModule_Create(&module); }
`;

/**
 * A wheel with a compiled C extension, `fastsum 1.0`, tagged cp311-cp311-manylinux_2_17_<machine>.
 * x86_64 is compiled with gcc against the host's Python 3.11 headers and runs in the Debian base;
 * aarch64 (no cross compiler here) carries a placeholder library: it serves wheel selection only.
 */
export async function buildExtensionWheel(outDir: string, machine: 'x86_64' | 'aarch64'): Promise<WheelFile> {
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(path.join(outDir, '.build-'));
  try {
    const soName = `fastsum.cpython-311-${machine}-linux-gnu.so`;
    if (machine === 'x86_64') {
      const includes = (await run('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["include"])'])).stdout.trim();
      await writeFile(path.join(work, 'fastsum.c'), EXTENSION_C);
      await run('gcc', ['-shared', '-fPIC', '-O2', `-I${includes}`, '-o', path.join(work, soName), path.join(work, 'fastsum.c')]);
    } else {
      await writeFile(path.join(work, soName), 'placeholder: an aarch64 build would go here\n');
    }
    const tag = `cp311-cp311-manylinux_2_17_${machine}`;
    const [wheel] = await writeWheels(outDir, [
      {
        filename: `fastsum-1.0-${tag}.manylinux2014_${machine}.whl`,
        distInfo: 'fastsum-1.0.dist-info',
        members: {
          [soName]: await readFile(path.join(work, soName)),
          'fastsum-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: fastsum\nVersion: 1.0\n',
          'fastsum-1.0.dist-info/WHEEL': `Wheel-Version: 1.0\nGenerator: pycontainer-tests\nRoot-Is-Purelib: false\nTag: ${tag}\n`,
        },
      },
    ]);
    return wheel!;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface SimpleIndex {
  url: string; // http://127.0.0.1:<port>/simple/
  requests: string[];
  stop(): Promise<void>;
}

/** A PEP 691 JSON index (PEP 503 HTML for clients that ask for it) on loopback serving `wheels`. */
export async function serveIndex(wheels: WheelFile[]): Promise<SimpleIndex> {
  const requests: string[] = [];
  const byName = new Map<string, WheelFile[]>();
  for (const w of wheels) byName.set(w.name, [...(byName.get(w.name) ?? []), w]);
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const project = /^\/simple\/([^/]+)\/$/.exec(url);
    const file = /^\/files\/([^/]+)$/.exec(url);
    if (project) {
      const files = byName.get(project[1]!) ?? [];
      if (!files.length) return void res.writeHead(404).end();
      if ((req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json')) {
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
        res.end(JSON.stringify({ meta: { 'api-version': '1.1' }, name: project[1], files: files.map((f) => ({ filename: f.filename, url: `../../files/${f.filename}`, hashes: { sha256: f.sha256 }, size: f.size })) }));
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!DOCTYPE html><html><body>${files.map((f) => `<a href="../../files/${f.filename}#sha256=${f.sha256}">${f.filename}</a>`).join('\n')}</body></html>`);
      }
      return;
    }
    const match = file && wheels.find((w) => w.filename === decodeURIComponent(file[1]!));
    if (match) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': match.size });
      res.end(await readFile(match.path));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A wheel's content: its members besides RECORD, which writeWheels adds (every member with its sha256 and size). */
interface WheelContent {
  filename: string;
  distInfo: string;
  members: Record<string, string | Buffer>;
}

// Python's zipfile writes the archives (deflated, 1980-01-01, rw-r--r--): our reader meets a zip it did not write.
const WRITE_WHEELS = `
import base64, hashlib, json, sys, zipfile
for wheel in json.load(sys.stdin):
  members = {name: base64.b64decode(data) for name, data in wheel['members']}
  record = []
  for name, data in members.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    record.append('%s,sha256=%s,%d' % (name, digest, len(data)))
  record.append(wheel['distInfo'] + '/RECORD,,')
  members[wheel['distInfo'] + '/RECORD'] = ('\\n'.join(record) + '\\n').encode()
  with zipfile.ZipFile(wheel['out'], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in members.items():
      info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
      info.external_attr = 0o644 << 16
      z.writestr(info, data, zipfile.ZIP_DEFLATED)
`;

/** Writes `wheels` into `outDir` in one python3 run. */
async function writeWheels(outDir: string, wheels: WheelContent[]): Promise<WheelFile[]> {
  await mkdir(outDir, { recursive: true });
  const input = wheels.map((w) => ({
    out: path.join(outDir, w.filename),
    distInfo: w.distInfo,
    members: Object.entries(w.members).map(([name, data]) => [name, Buffer.from(data).toString('base64')]),
  }));
  await run('python3', ['-c', WRITE_WHEELS], { input: JSON.stringify(input) });
  return Promise.all(wheels.map((w) => describe(path.join(outDir, w.filename))));
}

export interface PureWheelSpec {
  name: string;
  version: string;
  /** Requires-Dist lines of its METADATA. */
  requires?: string[];
}

/**
 * Pure-Python wheels `<name>-<version>-py3-none-any.whl`, each with one module that knows its version
 * (`VERSION`, `hello()`), written in one python3 run.
 */
export function buildPureWheels(outDir: string, specs: PureWheelSpec[]): Promise<WheelFile[]> {
  return writeWheels(
    outDir,
    specs.map(({ name, version, requires = [] }) => {
      const mod = name.replace(/-/g, '_');
      const distInfo = `${mod}-${version}.dist-info`;
      return {
        filename: `${mod}-${version}-py3-none-any.whl`,
        distInfo,
        members: {
          [`${mod}.py`]: `VERSION = '${version}'\ndef hello():\n    return "hello from ${mod} " + VERSION\n`,
          [`${distInfo}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${requires.map((r) => `Requires-Dist: ${r}\n`).join('')}`,
          [`${distInfo}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: pycontainer-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
        },
      };
    }),
  );
}

/** One pure-Python wheel (see buildPureWheels). */
export async function buildPureWheel(outDir: string, name: string, version: string): Promise<WheelFile> {
  return (await buildPureWheels(outDir, [{ name, version }]))[0]!;
}

/** A pure-Python source distribution `<name>-<version>.tar.gz` (setup.py, one module), made with the host's setuptools. */
export async function buildPureSdist(outDir: string, name: string, version: string): Promise<WheelFile> {
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(path.join(outDir, '.sdist-'));
  try {
    await writeFile(path.join(work, 'setup.py'), `from setuptools import setup\nsetup(name="${name}", version="${version}", py_modules=["${name}"])\n`);
    await writeFile(path.join(work, `${name}.py`), 'def shout(s):\n    return s.upper() + "!"\n');
    await writeFile(path.join(work, 'README.md'), `${name}\n`);
    await run('python3', ['setup.py', '-q', 'sdist', '--formats=gztar', '--dist-dir', outDir], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: '315532800' } });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const file = path.join(outDir, `${name}-${version}.tar.gz`);
  const bytes = await readFile(file);
  return { name, version, filename: path.basename(file), path: file, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}
