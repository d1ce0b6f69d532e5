/**
 * Writes test/fixtures/stub-base: a tiny two-platform "Python base" for plan tests. Its layer has what
 * the planner looks for in a real one (a python3.11 executable under /usr/bin with the official
 * images' /usr/local/bin links, /etc/passwd and /etc/group), but the interpreter is a placeholder:
 * plans made on it are never run. Deterministic: `node dist/test/support/stub-base.js` rewrites the
 * same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findRepoRoot } from './base-image.js';
import { tarOf, type TarItem } from './tar.js';

function layerItems(arch: string): TarItem[] {
  return [
    { name: 'bin', type: 'symlink', mode: 0o777, target: 'usr/bin' },
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/group', type: 'file', mode: 0o644, body: 'root:x:0:\nnogroup:x:65534:\n' },
    { name: 'etc/os-release', type: 'file', mode: 0o644, body: `PRETTY_NAME="stub python base (${arch})"\n` },
    { name: 'etc/passwd', type: 'file', mode: 0o644, body: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' },
    { name: 'usr/', type: 'directory', mode: 0o755 },
    { name: 'usr/bin/', type: 'directory', mode: 0o755 },
    { name: 'usr/bin/python3', type: 'symlink', mode: 0o777, target: 'python3.11' },
    { name: 'usr/bin/python3.11', type: 'file', mode: 0o755, body: 'stub interpreter: plans only\n' },
    { name: 'usr/local/', type: 'directory', mode: 0o755 },
    { name: 'usr/local/bin/', type: 'directory', mode: 0o755 },
    { name: 'usr/local/bin/python3', type: 'symlink', mode: 0o777, target: '/usr/bin/python3.11' },
    { name: 'usr/local/bin/python3.11', type: 'symlink', mode: 0o777, target: '/usr/bin/python3.11' },
  ];
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export async function writeStubBase(dir: string): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  await rm(dir, { recursive: true, force: true });
  await mkdir(blobs, { recursive: true });
  const put = async (data: Buffer | string) => {
    const hex = sha(data);
    await writeFile(join(blobs, hex), data);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
  };
  const manifests = [];
  for (const [arch, variant] of [['amd64', undefined], ['arm64', 'v8']] as const) {
    const tar = await tarOf(layerItems(arch));
    const layer = await put(gzipSync(tar, { level: 9 }));
    const config = await put(
      JSON.stringify({
        architecture: arch,
        os: 'linux',
        ...(variant ? { variant } : {}),
        created: '1970-01-01T00:00:00Z',
        config: { Env: ['PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.11.2'], Cmd: ['python3'] },
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] },
        history: [{ created: '1970-01-01T00:00:00Z', created_by: 'stub base for pycontainer tests' }],
      }),
    );
    const manifest = await put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform: { architecture: arch, os: 'linux', ...(variant ? { variant } : {}) } });
  }
  const index = await put(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...index, annotations: { 'org.opencontainers.image.ref.name': '3.11' } }] }),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return index.digest;
}

if (process.argv[1]?.endsWith('stub-base.js')) {
  writeStubBase(join(findRepoRoot(), 'test', 'fixtures', 'stub-base')).then((d) => console.log(d));
}
