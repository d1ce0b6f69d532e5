/**
 * End-to-end check of the Debian-built Python base image fixture: the OCI
 * layout is well formed and the interpreter in it really runs (in a chroot).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, lstat, mkdtemp, open, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ensureBaseImage, ensureMultiArchBaseImage, type BaseVariant } from '../support/base-image.js';

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

// ---------------------------------------------------------------------------
// the two-platform (linux/amd64 + linux/arm64) plain image

/** ELF e_machine of a file: 62 = x86-64, 183 = AArch64. */
async function elfMachine(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(20);
    await fh.read(buf, 0, 20, 0);
    assert.equal(buf.subarray(0, 4).toString('latin1'), '\x7fELF', `${path} is not an ELF file`);
    return buf.readUInt16LE(18);
  } finally {
    await fh.close();
  }
}

const PY_CHECK = [
  'import sys, platform, ssl, sqlite3, json, hashlib, ctypes, zlib, lzma, bz2',
  'print("VERSION", sys.version.split()[0])',
  'print("MACHINE", platform.machine())',
].join('\n');
const CHROOT_ENV = { PATH: '/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

test('base image fixture: multi-arch (amd64 + arm64)', { timeout: 30 * 60_000 }, async (t) => {
  if (missingTools.length) {
    const why = `needs ${missingTools.join(', ')} (Debian/Ubuntu host with apt, dpkg and chroot)`;
    if (required) assert.fail(`PYCONTAINER_E2E=required but the base image fixture ${why}`);
    t.skip(why);
    return;
  }
  const foreign = spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).stdout.split(/\s+/);
  if (!isRoot && !foreign.includes('arm64')) {
    // As root the fixture adds the architecture itself; .ci/run does it up front.
    const why = 'needs the arm64 dpkg architecture (as root: dpkg --add-architecture arm64 && apt-get update)';
    if (required) assert.fail(`PYCONTAINER_E2E=required but the multi-arch base image ${why}`);
    t.skip(why);
    return;
  }

  const img = await ensureMultiArchBaseImage();
  assert.equal(img.ref, `oci:${img.layoutDir}:${img.tag}`);
  assert.match(img.pythonVersion, /^3\.11\.\d+$/);
  assert.equal(img.tag, '3.11-multi');
  assert.deepEqual(await ensureMultiArchBaseImage(), img);
  const plain = await ensureBaseImage('plain');

  // --- layout: index.json -> image index -> one manifest per platform
  const blobs = join(img.layoutDir, 'blobs', 'sha256');
  const blobPath = (d: Descriptor) => join(blobs, d.digest.replace(/^sha256:/, ''));
  assert.deepEqual(await readJson(join(img.layoutDir, 'oci-layout')), { imageLayoutVersion: '1.0.0' });
  for (const name of await readdir(blobs)) {
    assert.match(name, /^[0-9a-f]{64}$/, `stray file in blobs: ${name}`);
    assert.equal(await sha256File(join(blobs, name)), name, `blob ${name} does not match its name`);
  }
  const top = await readJson<{ schemaVersion: number; manifests: Descriptor[] }>(join(img.layoutDir, 'index.json'));
  assert.equal(top.schemaVersion, 2);
  assert.equal(top.manifests.length, 1);
  const indexDesc = top.manifests[0]!;
  assert.equal(indexDesc.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(indexDesc.annotations?.['org.opencontainers.image.ref.name'], img.tag);

  type PlatformDesc = Descriptor & { platform: { architecture: string; os: string; variant?: string } };
  const imageIndex = await readJson<{ schemaVersion: number; mediaType: string; manifests: PlatformDesc[] }>(
    blobPath(indexDesc),
  );
  assert.equal(imageIndex.schemaVersion, 2);
  assert.equal(imageIndex.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.deepEqual(
    imageIndex.manifests.map((m) => [m.mediaType, m.platform]),
    [
      ['application/vnd.oci.image.manifest.v1+json', { architecture: 'amd64', os: 'linux' }],
      ['application/vnd.oci.image.manifest.v1+json', { architecture: 'arm64', os: 'linux', variant: 'v8' }],
    ],
  );

  // The amd64 image is the plain one, blob for blob.
  const plainIndex = await readJson<{ manifests: Descriptor[] }>(join(plain.layoutDir, 'index.json'));
  const plainManifest = await readJson<{ layers: Descriptor[] }>(
    join(plain.layoutDir, 'blobs', 'sha256', plainIndex.manifests[0]!.digest.replace(/^sha256:/, '')),
  );

  const roots = new Map<string, string>();
  for (const desc of imageIndex.manifests) {
    const arch = desc.platform.architecture;
    const manifest = await readJson<{ schemaVersion: number; mediaType: string; config: Descriptor; layers: Descriptor[] }>(
      blobPath(desc),
    );
    assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(manifest.layers.length, 1);
    if (arch === 'amd64') {
      assert.equal(desc.digest, plainIndex.manifests[0]!.digest, 'amd64 manifest differs from the plain image');
      assert.deepEqual(
        manifest.layers.map((l) => l.digest),
        plainManifest.layers.map((l) => l.digest),
      );
    } else {
      assert.notEqual(manifest.layers[0]!.digest, plainManifest.layers[0]!.digest);
    }
    const config = await readJson<{
      architecture: string;
      variant?: string;
      os: string;
      created: string;
      config: { Env: string[]; Cmd: string[] };
      rootfs: { type: string; diff_ids: string[] };
    }>(blobPath(manifest.config));
    assert.equal(config.architecture, arch);
    assert.equal(config.variant, desc.platform.variant);
    assert.equal(config.os, 'linux');
    assert.equal(config.created, '1970-01-01T00:00:00Z');
    assert.deepEqual(config.config.Cmd, ['python3']);
    assert.ok(config.config.Env.includes('LANG=C.UTF-8'));
    assert.ok(config.config.Env.some((e) => /^PYTHON_VERSION=3\.11\.\d+$/.test(e)), config.config.Env.join(' '));
    assert.equal(config.rootfs.diff_ids.length, manifest.layers.length);

    const root = await mkdtemp(join(tmpdir(), `pycontainer-base-multi-${arch}-`));
    t.after(() => rm(root, { recursive: true, force: true }));
    for (const [i, l] of manifest.layers.entries()) {
      const gunzip = spawnSync('sh', ['-c', `gzip -dc '${blobPath(l)}' | sha256sum`], { encoding: 'utf8' });
      assert.equal(gunzip.status, 0, gunzip.stderr);
      assert.equal(`sha256:${gunzip.stdout.split(' ')[0]}`, config.rootfs.diff_ids[i], `${arch} layer ${i} diff_id`);
      const x = spawnSync('tar', ['-xzf', blobPath(l), '-C', root], { encoding: 'utf8' });
      assert.equal(x.status, 0, x.stderr);
    }
    roots.set(arch, root);
  }

  await t.test('both roots are built alike, for their architecture', async () => {
    for (const [arch, root] of roots) {
      assert.equal(await elfMachine(join(root, 'usr', 'bin', 'python3.11')), arch === 'amd64' ? 62 : 183, arch);
      for (const [link, target] of [
        ['bin', 'usr/bin'],
        ['lib', 'usr/lib'],
        ['usr/bin/python3', 'python3.11'],
        ['usr/local/bin/python', '/usr/bin/python3.11'],
        ['usr/local/bin/python3', '/usr/bin/python3.11'],
        ['etc/localtime', '/usr/share/zoneinfo/Etc/UTC'],
      ]) {
        assert.equal(await readlink(join(root, link!)), target, `${arch}: ${link}`);
      }
      for (const f of ['etc/passwd', 'etc/group', 'etc/nsswitch.conf', 'etc/ssl/certs/ca-certificates.crt']) {
        assert.ok((await lstat(join(root, f))).isFile(), `${arch}: ${f}`);
      }
      assert.equal((await lstat(join(root, 'tmp'))).mode & 0o7777, 0o1777, `${arch}: /tmp mode`);
      const triplet = arch === 'amd64' ? 'x86_64-linux-gnu' : 'aarch64-linux-gnu';
      assert.ok(existsSync(join(root, 'usr', 'lib', triplet, 'libc.so.6')), `${arch}: libc`);
      assert.ok(!existsSync(join(root, 'usr', 'lib', triplet, 'gconv')), `${arch}: gconv trimmed`);
      assert.ok(existsSync(join(root, 'usr', 'share', 'doc', 'libc6', 'copyright')), `${arch}: copyright kept`);
    }
  });

  await t.test('skopeo sees the index and both platforms', (tt) => {
    if (!onPath('skopeo')) {
      tt.skip('skopeo not installed');
      return;
    }
    const raw = spawnSync('skopeo', ['inspect', '--raw', img.ref], { encoding: 'utf8' });
    assert.equal(raw.status, 0, raw.stderr);
    assert.deepEqual(JSON.parse(raw.stdout), imageIndex);
    for (const arch of ['amd64', 'arm64']) {
      const r = spawnSync('skopeo', ['inspect', '--override-arch', arch, '--override-os', 'linux', img.ref], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const info = JSON.parse(r.stdout) as { Architecture: string; Os: string; Layers: string[] };
      assert.equal(info.Architecture, arch);
      assert.equal(info.Os, 'linux');
    }
  });

  await t.test('runs python in a chroot (amd64)', (tt) => {
    if (!isRoot) {
      tt.skip('chroot needs root');
      return;
    }
    if (process.arch !== 'x64') {
      tt.skip(`host is ${process.arch}`);
      return;
    }
    const r = spawnSync(findOnPath('chroot')!, [roots.get('amd64')!, '/usr/local/bin/python3', '-c', PY_CHECK], {
      encoding: 'utf8',
      env: CHROOT_ENV,
    });
    assert.equal(r.status, 0, `python failed in chroot: ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^VERSION ${img.pythonVersion.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(r.stdout, /^MACHINE x86_64$/m);
  });

  await t.test('runs python in a chroot (arm64, needs qemu)', async (tt) => {
    if (!isRoot) {
      tt.skip('chroot needs root');
      return;
    }
    // Natively on arm64, through a registered binfmt handler, or via a static qemu copied into the root.
    const binfmt = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
    const qemu = findOnPath('qemu-aarch64-static');
    if (process.arch !== 'arm64' && !binfmt && !qemu) {
      tt.skip('no way to run arm64 code here (no qemu-aarch64-static, no qemu-aarch64 binfmt handler)');
      return;
    }
    const root = roots.get('arm64')!;
    const argv = ['/usr/local/bin/python3', '-c', PY_CHECK];
    if (process.arch !== 'arm64' && !binfmt) {
      await copyFile(qemu!, join(root, 'qemu-aarch64-static'));
      argv.unshift('/qemu-aarch64-static');
    }
    const r = spawnSync(findOnPath('chroot')!, [root, ...argv], { encoding: 'utf8', env: CHROOT_ENV });
    assert.equal(r.status, 0, `python failed in arm64 chroot: ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^VERSION 3\.11\.\d+$/m);
    assert.match(r.stdout, /^MACHINE aarch64$/m);
  });
});

// ---------------------------------------------------------------------------
// the distroless-style image: the interpreter only at /usr/bin/python3.11, no shell, no /usr/local

test('base image fixture: distroless-style', { timeout: 30 * 60_000 }, async (t) => {
  if (missingTools.length) {
    const why = `needs ${missingTools.join(', ')} (Debian/Ubuntu host with apt, dpkg and chroot)`;
    if (required) assert.fail(`PYCONTAINER_E2E=required but the base image fixture ${why}`);
    t.skip(why);
    return;
  }
  const img = await ensureBaseImage('distroless');
  assert.equal(img.tag, '3.11-distroless');
  const blobs = join(img.layoutDir, 'blobs', 'sha256');
  const blobPath = (d: Descriptor) => join(blobs, d.digest.replace(/^sha256:/, ''));
  const index = await readJson<{ manifests: Descriptor[] }>(join(img.layoutDir, 'index.json'));
  const manifest = await readJson<{ config: Descriptor; layers: Descriptor[] }>(blobPath(index.manifests[0]!));
  const config = await readJson<{ config: { Env: string[]; Entrypoint?: string[]; Cmd?: string[] } }>(blobPath(manifest.config));
  assert.deepEqual(config.config.Entrypoint, ['/usr/bin/python3.11']);
  assert.equal(config.config.Cmd, undefined);
  assert.ok(!config.config.Env.some((e) => e.startsWith('PYTHON_VERSION=')), 'no PYTHON_VERSION: the interpreter must be found');

  const root = await mkdtemp(join(tmpdir(), 'pycontainer-base-distroless-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const l of manifest.layers) {
    const x = spawnSync('tar', ['-xzf', blobPath(l), '-C', root], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
  }
  assert.ok(!existsSync(join(root, 'usr', 'local')), 'no /usr/local');
  for (const sh of ['bin/sh', 'usr/bin/sh', 'usr/bin/dash', 'usr/bin/bash']) assert.ok(!existsSync(join(root, sh)), `no ${sh}`);
  assert.ok((await lstat(join(root, 'usr', 'bin', 'python3.11'))).isFile());
  assert.match(await readFile(join(root, 'etc', 'passwd'), 'utf8'), /^nonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin$/m);

  if (isRoot) {
    const r = spawnSync(findOnPath('chroot')!, [root, '/usr/bin/python3.11', '-c', 'import ssl, sqlite3, sys; print(sys.version.split()[0])'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(r.status, 0, `${r.error ?? ''}\n${r.stderr}`);
    assert.equal(r.stdout.trim(), img.pythonVersion);
  }
});
