/**
 * End-to-end check of the Debian-built Python base image fixture: the OCI
 * layout is well formed and the interpreter in it really runs (in a chroot).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ensureBaseImage, type BaseVariant } from '../support/base-image.js';

function findOnPath(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}
const onPath = (cmd: string): boolean => findOnPath(cmd) !== undefined;

const required = process.env.PYCONTAINER_E2E === 'required';
const missingTools = ['apt-get', 'apt-cache', 'dpkg', 'chroot', 'tar', 'gzip'].filter((t) => !onPath(t));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const STDLIB_MODULES = [
  'ssl',
  'sqlite3',
  'json',
  'hashlib',
  'ctypes',
  'uuid',
  'zlib',
  'lzma',
  'bz2',
  'readline',
  'http.server',
  'email',
  'asyncio',
];
const WEB_MODULES = ['flask', 'django', 'fastapi', 'uvicorn'];

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

for (const variant of ['plain', 'web'] as BaseVariant[]) {
  test(`base image fixture: ${variant}`, { timeout: 30 * 60_000 }, async (t) => {
    if (missingTools.length) {
      const why = `needs ${missingTools.join(', ')} (Debian/Ubuntu host with apt, dpkg and chroot)`;
      if (required) assert.fail(`PYCONTAINER_E2E=required but the base image fixture ${why}`);
      t.skip(why);
      return;
    }

    const img = await ensureBaseImage(variant);
    assert.equal(img.ref, `oci:${img.layoutDir}:${img.tag}`);
    assert.match(img.pythonVersion, /^3\.11\.\d+$/);
    assert.equal(img.tag, variant === 'plain' ? '3.11' : '3.11-web');

    // Cached second call is fast and returns the same thing.
    const again = await ensureBaseImage(variant);
    assert.deepEqual(again, img);

    // --- layout structure
    const blobs = join(img.layoutDir, 'blobs', 'sha256');
    assert.deepEqual(await readJson(join(img.layoutDir, 'oci-layout')), { imageLayoutVersion: '1.0.0' });
    const index = await readJson<{ schemaVersion: number; manifests: Descriptor[] }>(
      join(img.layoutDir, 'index.json'),
    );
    assert.equal(index.schemaVersion, 2);
    assert.equal(index.manifests.length, 1);
    const desc = index.manifests[0]!;
    assert.equal(desc.annotations?.['org.opencontainers.image.ref.name'], img.tag);
    assert.equal(desc.mediaType, 'application/vnd.oci.image.manifest.v1+json');

    for (const name of await readdir(blobs)) {
      assert.match(name, /^[0-9a-f]{64}$/, `stray file in blobs: ${name}`);
      assert.equal(await sha256File(join(blobs, name)), name, `blob ${name} does not match its name`);
    }

    const blobPath = (d: Descriptor) => join(blobs, d.digest.replace(/^sha256:/, ''));
    const manifest = await readJson<{
      schemaVersion: number;
      mediaType: string;
      config: Descriptor;
      layers: Descriptor[];
    }>(blobPath(desc));
    assert.equal(manifest.schemaVersion, 2);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(manifest.layers.length, variant === 'plain' ? 1 : 2);
    for (const l of manifest.layers) assert.equal(l.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');

    const config = await readJson<{
      architecture: string;
      os: string;
      created: string;
      config: { Env: string[]; Cmd: string[] };
      rootfs: { type: string; diff_ids: string[] };
      history: unknown[];
    }>(blobPath(manifest.config));
    assert.equal(config.os, 'linux');
    assert.equal(config.created, '1970-01-01T00:00:00Z');
    assert.deepEqual(config.config.Cmd, ['python3']);
    assert.ok(config.config.Env.includes(`PYTHON_VERSION=${img.pythonVersion}`));
    assert.ok(config.config.Env.includes('LANG=C.UTF-8'));
    assert.equal(config.rootfs.type, 'layers');
    assert.equal(config.rootfs.diff_ids.length, manifest.layers.length);
    assert.equal(config.history.length, manifest.layers.length);

    // --- unpack the layers and run the interpreter
    const root = await mkdtemp(join(tmpdir(), `pycontainer-base-${variant}-`));
    t.after(() => rm(root, { recursive: true, force: true }));
    for (const [i, l] of manifest.layers.entries()) {
      // diff_id = sha256 of the uncompressed tar
      const gunzip = spawnSync('sh', ['-c', `gzip -dc '${blobPath(l)}' | sha256sum`], { encoding: 'utf8' });
      assert.equal(gunzip.status, 0, gunzip.stderr);
      assert.equal(`sha256:${gunzip.stdout.split(' ')[0]}`, config.rootfs.diff_ids[i]);
      const x = spawnSync('tar', ['-xzf', blobPath(l), '-C', root], { encoding: 'utf8' });
      assert.equal(x.status, 0, x.stderr);
    }

    await t.test('runs python in a chroot', (tt) => {
      if (!isRoot) {
        tt.skip('chroot needs root');
        return;
      }
      const modules = [...STDLIB_MODULES, ...(variant === 'web' ? WEB_MODULES : [])];
      const script = [
        'import sys, importlib',
        `mods = ${JSON.stringify(modules)}`,
        'for m in mods: importlib.import_module(m)',
        'import ssl, sqlite3',
        'print("VERSION", sys.version.split()[0])',
        'print("OPENSSL", ssl.OPENSSL_VERSION)',
        'print("SQLITE", sqlite3.sqlite_version)',
        'print("IMPORTED", ",".join(mods))',
        variant === 'web'
          ? 'import flask, django, fastapi, uvicorn; print("WEB", flask.__version__ if hasattr(flask, "__version__") else "?", django.get_version(), fastapi.__version__, uvicorn.__version__)'
          : 'pass',
      ].join('\n');
      const chroot = findOnPath('chroot')!;
      // The interpreter gets a minimal environment, like a container would.
      const env = { PATH: '/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
      const r = spawnSync(chroot, [root, '/usr/local/bin/python3', '-c', script], {
        encoding: 'utf8',
        env,
      });
      assert.equal(r.status, 0, `python failed in chroot: ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^VERSION ${img.pythonVersion.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(r.stdout, /^OPENSSL OpenSSL 3\./m);
      assert.match(r.stdout, new RegExp(`^IMPORTED ${modules.join(',').replace(/\./g, '\\.')}$`, 'm'));
      if (variant === 'web') assert.match(r.stdout, /^WEB \S+ \d+\.\d+/m);

      // The official-image conveniences.
      const who = spawnSync(
        chroot,
        [
          root,
          '/usr/local/bin/python',
          '-c',
          'import pwd, os; print(pwd.getpwuid(0).pw_name, pwd.getpwuid(65534).pw_name, oct(os.stat("/tmp").st_mode & 0o7777))',
        ],
        { encoding: 'utf8', env },
      );
      assert.equal(who.status, 0, `${who.error ?? ''}\n${who.stderr}`);
      assert.equal(who.stdout.trim(), 'root nobody 0o1777');
    });

    await t.test('skopeo accepts the layout', (tt) => {
      if (!onPath('skopeo')) {
        tt.skip('skopeo not installed');
        return;
      }
      const r = spawnSync('skopeo', ['inspect', img.ref], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const info = JSON.parse(r.stdout) as { Layers: string[]; Architecture: string };
      assert.deepEqual(
        info.Layers,
        manifest.layers.map((l) => l.digest),
      );
    });

    await t.test('umoci unpacks the layout', async (tt) => {
      if (!onPath('umoci') || !isRoot) {
        tt.skip(!isRoot ? 'umoci unpack without --rootless needs root' : 'umoci not installed');
        return;
      }
      const dir = await mkdtemp(join(tmpdir(), `pycontainer-umoci-${variant}-`));
      try {
        const r = spawnSync('umoci', ['unpack', '--image', `${img.layoutDir}:${img.tag}`, join(dir, 'bundle')], {
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        assert.ok(existsSync(join(dir, 'bundle', 'rootfs', 'usr', 'bin', 'python3.11')));
        assert.ok(existsSync(join(dir, 'bundle', 'config.json')));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
