// Proves the e2e harness (test/support/) on images built without pycontainer:
// static C binaries packed by hand into an OCI layout.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { checkLayout, assertLayoutOk, MT } from '../support/layout-check.js';
import { ociImageToolValidate, runImage, skopeoInspect, startImage } from '../support/run-image.js';
import { findOnPath, needTools, run } from '../support/tools.js';

const HELLO_C = `#include <stdio.h>
int main(int argc, char **argv) {
  printf("hello from runc\\n");
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);
  return 0;
}
`;

const SERVER_C = `#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
  if (listen(s, 16) != 0) { perror("listen"); return 1; }
  printf("listening on %d\\n", port);
  fflush(stdout);
  const char *body = "hello over http\\n";
  char resp[256];
  int n = snprintf(resp, sizeof resp,
    "HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %zu\\r\\nConnection: close\\r\\n\\r\\n%s",
    strlen(body), body);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    char buf[4096];
    ssize_t r = read(c, buf, sizeof buf); /* one read is enough for a tiny GET */
    (void)r;
    ssize_t off = 0;
    while (off < n) { ssize_t w = write(c, resp + off, n - off); if (w <= 0) break; off += w; }
    shutdown(c, SHUT_WR);
    close(c);
  }
}
`;

interface FileSpec {
  name: string;
  content?: Buffer;
  mode?: number;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

async function tarOf(files: FileSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const f of files) {
    const header = {
      name: f.name,
      mode: f.mode ?? (f.type === 'directory' ? 0o755 : 0o644),
      uid: 0,
      gid: 0,
      mtime: new Date(0),
      type: f.type ?? 'file',
      ...(f.linkname ? { linkname: f.linkname } : {}),
    } as const;
    const isFile = f.type === 'file' || f.type === undefined;
    await new Promise<void>((resolve, reject) => {
      const cb = (e?: Error | null) => (e ? reject(e) : resolve());
      if (isFile) pack.entry(header, f.content ?? Buffer.alloc(0), cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function goArch(): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[process.arch] ?? process.arch;
}

interface LayoutSpec {
  tag: string;
  files: FileSpec[];
  cmd: string[];
  /** Corrupt config.rootfs.diff_ids[0] (for negative tests). */
  wrongDiffId?: boolean;
}

/** Writes a one-layer OCI image layout by hand; returns the blob digests. */
async function writeLayout(dir: string, spec: LayoutSpec): Promise<{ layer: string; diffId: string; config: string; manifest: string }> {
  await mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (b: Buffer) => {
    const d = sha256(b);
    await writeFile(path.join(dir, 'blobs', 'sha256', d.slice('sha256:'.length)), b);
    return { digest: d, size: b.length };
  };
  const tarBuf = await tarOf(spec.files);
  const diffId = sha256(tarBuf);
  const layer = await put(gzipSync(tarBuf));
  const config = {
    created: '1970-01-01T00:00:00Z',
    architecture: goArch(),
    os: 'linux',
    config: { Cmd: spec.cmd, Env: ['PATH=/usr/bin:/bin:/'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [spec.wrongDiffId ? sha256(Buffer.from('not the layer')) : diffId] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'harness.test.ts' }],
  };
  const configBlob = await put(Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, ...configBlob },
    layers: [{ mediaType: MT.ociLayerGzip, ...layer }],
  };
  const manifestBlob = await put(Buffer.from(JSON.stringify(manifest)));
  const index = {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [
      {
        mediaType: MT.ociManifest,
        ...manifestBlob,
        platform: { architecture: goArch(), os: 'linux' },
        annotations: { 'org.opencontainers.image.ref.name': spec.tag },
      },
    ],
  };
  await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { layer: layer.digest, diffId, config: configBlob.digest, manifest: manifestBlob.digest };
}

let work: string;
before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'pyc-harness-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Layout with tiny non-executable content: needs no external tool. */
async function plainLayout(name: string, opts: Partial<LayoutSpec> = {}) {
  const dir = path.join(work, name);
  const digests = await writeLayout(dir, {
    tag: 'v1',
    cmd: ['/hello'],
    files: [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/motd', content: Buffer.from('hi\n') },
      { name: 'hello', content: Buffer.from('#!/bin/false\n'), mode: 0o755 },
    ],
    ...opts,
  });
  return { dir, digests };
}

describe('layout checker (no external tools)', () => {
  test('accepts a well-formed hand-written layout', async () => {
    const { dir, digests } = await plainLayout('good');
    const report = await checkLayout(dir);
    assertLayoutOk(report);
    assert.equal(report.manifests.length, 1);
    const m = report.manifests[0]!;
    assert.equal(m.digest, digests.manifest);
    assert.equal(m.refName, 'v1');
    assert.equal(m.configDigest, digests.config);
    assert.deepEqual(m.platform, { architecture: goArch(), os: 'linux' });
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0]!.digest, digests.layer);
    assert.equal(m.layers[0]!.diffId, digests.diffId);
  });

  test('reports a corrupted blob in a copy of the layout', async () => {
    const { dir, digests } = await plainLayout('to-corrupt');
    const copy = path.join(work, 'corrupted');
    await cp(dir, copy, { recursive: true });
    const blob = path.join(copy, 'blobs', 'sha256', digests.layer.slice(7));
    const bytes = await readFile(blob);
    bytes[bytes.length - 5]! ^= 0xff; // inside the gzip trailer/data: same size, different digest
    await writeFile(blob, bytes);
    const report = await checkLayout(copy);
    assert.equal(report.ok, false);
    assert.ok(
      report.problems.some((p) => p.includes(digests.layer.slice(7)) && p.includes('hashes to')),
      report.problems.join('\n'),
    );
    assert.throws(() => assertLayoutOk(report), /problem/);
    // the original is untouched
    assertLayoutOk(await checkLayout(dir));
  });

  test('reports a diff_id mismatch', async () => {
    const { dir } = await plainLayout('bad-diffid', { wrongDiffId: true });
    const report = await checkLayout(dir);
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((p) => /diff_ids/.test(p) && /uncompressed/.test(p)), report.problems.join('\n'));
  });

  test('reports missing blobs, wrong sizes, media type mismatches, stray and temp files', async () => {
    const { dir, digests } = await plainLayout('messy');
    // stray blob + temp file + unexpected top-level file
    const stray = Buffer.from('stray');
    await writeFile(path.join(dir, 'blobs', 'sha256', sha256(stray).slice(7)), stray);
    await writeFile(path.join(dir, 'blobs', 'sha256', 'upload-1234.tmp'), 'x');
    await writeFile(path.join(dir, 'index.json.tmp'), '{}');
    // index: claim a wrong size and a docker media type for the manifest
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
    index.manifests[0].size += 1;
    index.manifests.push({ mediaType: MT.ociManifest, digest: sha256(Buffer.from('nope')), size: 4 });
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
    const report = await checkLayout(dir);
    const all = report.problems.join('\n');
    assert.equal(report.ok, false);
    assert.match(all, /stray blob blobs\/sha256\/[0-9a-f]{64}/);
    assert.match(all, /upload-1234\.tmp/);
    assert.match(all, /index\.json\.tmp/);
    assert.match(all, new RegExp(`${digests.manifest.slice(7)} is \\d+ bytes but the descriptor says`));
    assert.match(all, /is missing/);
  });

  test('reports unsafe tar paths and a manifest whose mediaType disagrees', async () => {
    const { dir } = await plainLayout('unsafe', {
      files: [
        { name: '/etc/passwd', content: Buffer.from('root:x:0:0::/:/bin/sh\n') },
        { name: 'a/../../escape', content: Buffer.from('x') },
        { name: 'ok', content: Buffer.from('x') },
      ],
    });
    let report = await checkLayout(dir);
    assert.match(report.problems.join('\n'), /"\/etc\/passwd" \(absolute path\)/);
    assert.match(report.problems.join('\n'), /"a\/\.\.\/\.\.\/escape" \('\.\.' component\)/);

    // Re-point index.json at the manifest with a different (Docker) media type.
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
    index.manifests[0].mediaType = MT.dockerManifest;
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
    report = await checkLayout(dir);
    assert.match(report.problems.join('\n'), /declares mediaType "application\/vnd\.oci\.image\.manifest\.v1\+json" but its descriptor says/);
  });

  test('zstd layers are noted, not failed', async () => {
    const { dir } = await plainLayout('zstd');
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
    const mdig: string = index.manifests[0].digest;
    const manifest = JSON.parse(await readFile(path.join(dir, 'blobs', 'sha256', mdig.slice(7)), 'utf8'));
    manifest.layers[0].mediaType = MT.ociLayerZstd; // content is gzip, but the checker cannot look inside zstd anyway
    const mb = Buffer.from(JSON.stringify(manifest));
    await rm(path.join(dir, 'blobs', 'sha256', mdig.slice(7)));
    await writeFile(path.join(dir, 'blobs', 'sha256', sha256(mb).slice(7)), mb);
    index.manifests[0].digest = sha256(mb);
    index.manifests[0].size = mb.length;
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
    const report = await checkLayout(dir);
    assertLayoutOk(report);
    assert.match(report.notes.join('\n'), /zstd is unsupported by the checker/);
  });
});

describe('harness on a real static binary image', () => {
  let layout: string;
  let digests: Awaited<ReturnType<typeof writeLayout>>;
  let built: Promise<void> | undefined;

  /** Compiles the C programs and writes the layout once, for all tests here. */
  function build(): Promise<void> {
    built ??= (async () => {
      const src = path.join(work, 'c');
      await mkdir(src, { recursive: true });
      await writeFile(path.join(src, 'hello.c'), HELLO_C);
      await writeFile(path.join(src, 'server.c'), SERVER_C);
      await run('gcc', ['-static', '-O2', '-o', path.join(src, 'hello'), path.join(src, 'hello.c')], { timeoutMs: 120_000 });
      await run('gcc', ['-static', '-O2', '-o', path.join(src, 'server'), path.join(src, 'server.c')], { timeoutMs: 120_000 });
      layout = path.join(work, 'static-image');
      digests = await writeLayout(layout, {
        tag: 'latest',
        cmd: ['/hello', 'default-arg'],
        files: [
          { name: 'hello', content: await readFile(path.join(src, 'hello')), mode: 0o755 },
          { name: 'server', content: await readFile(path.join(src, 'server')), mode: 0o755 },
          { name: 'etc/', type: 'directory' },
          { name: 'tmp/', type: 'directory', mode: 0o1777 },
        ],
      });
    })();
    return built;
  }

  test('checkLayout accepts it', async (t) => {
    if (!needTools(t, ['gcc'])) return;
    await build();
    const report = await checkLayout(layout);
    assertLayoutOk(report);
    assert.equal(report.manifests[0]!.layers[0]!.diffId, digests.diffId);
  });

  test('skopeo inspect shows the layer digests', async (t) => {
    if (!needTools(t, ['gcc', 'skopeo'])) return;
    await build();
    const info = await skopeoInspect(layout, 'latest');
    assert.equal(info.Digest, digests.manifest);
    assert.deepEqual(info.Layers, [digests.layer]);
    assert.equal(info.Os, 'linux');
  });

  test('oci-image-tool validates it', async (t) => {
    if (!needTools(t, ['gcc', 'oci-image-tool'])) return;
    await build();
    await ociImageToolValidate(layout, 'latest');
    await assert.rejects(ociImageToolValidate(layout, 'no-such-tag'));
  });

  test('runImage runs the default command and an args override', async (t) => {
    if (!needTools(t, ['gcc', 'umoci', 'runc'], { root: true })) return;
    await build();
    const r = await runImage(layout, 'latest', { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello from runc\nargv[0]=/hello\nargv[1]=default-arg\n');
    const r2 = await runImage(layout, 'latest', { args: ['/hello', 'a b', 'c'], env: ['X=1'] });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout, 'hello from runc\nargv[0]=/hello\nargv[1]=a b\nargv[2]=c\n');
    // a failing command reports its exit code instead of throwing
    const r3 = await runImage(layout, 'latest', { args: ['/does-not-exist'] });
    assert.notEqual(r3.code, 0);
  });

  test('runImage in parallel does not collide', async (t) => {
    if (!needTools(t, ['gcc', 'umoci', 'runc'], { root: true })) return;
    await build();
    const rs = await Promise.all([1, 2, 3].map((i) => runImage(layout, 'latest', { args: ['/hello', String(i)] })));
    rs.forEach((r, i) => assert.equal(r.stdout, `hello from runc\nargv[0]=/hello\nargv[1]=${i + 1}\n`, r.stderr));
  });

  test('startImage with its own network: HTTP from inside its namespace, no host port used', async (t) => {
    if (!needTools(t, ['gcc', 'umoci', 'runc', 'ip'], { root: true })) return;
    await build();
    // The same port in two containers at once: each has its own namespace.
    const port = 8000;
    const [a, b] = await Promise.all([1, 2].map(() => startImage(layout, 'latest', { args: ['/server', String(port)], ownNetwork: true })));
    let stopped = false;
    try {
      for (const started of [a!, b!]) {
        const res = await started.waitForHttp(port, '/', 30_000);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'hello over http\n');
        assert.match(started.output(), new RegExp(`listening on ${port}`));
      }
      const out = await a!.stop();
      stopped = true;
      assert.match(out.stdout, /listening on/);
      await assert.rejects(a!.http(port, '/'), /no HTTP response|ENOENT|netns|exit/i);
    } finally {
      if (!stopped) await a!.stop();
      await b!.stop();
    }
  });

  test('needTools skips for a tool that does not exist', (t) => {
    assert.equal(findOnPath('definitely-not-a-real-tool-xyz'), undefined);
    if (process.env.PYCONTAINER_E2E === 'required') return;
    // Use a subtest so the skip lands on it, not on this test.
    return t.test('inner', (inner) => {
      assert.equal(needTools(inner, ['definitely-not-a-real-tool-xyz']), false);
    });
  });
});
