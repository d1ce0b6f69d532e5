// A push straight from the layer cache (build --push with no output): the image it assembles in memory
// is byte for byte what apply writes into a layout (same manifest or index digest, same layers), a
// cache blob whose trust record no longer matches sends the push back through apply, and layer files go
// up through readFileBody's three reused buffers — the exact bytes, no buffer per chunk, a file of the
// wrong length refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, readlink, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { applyPlan } from '../../src/apply/apply.js';
import { assembleImage } from '../../src/apply/manifest.js';
import { resolveCachedImage } from '../../src/apply/push.js';
import { BlobCache } from '../../src/cache/store.js';
import { RegistryError } from '../../src/errors.js';
import { digestHex } from '../../src/oci/digest.js';
import { compilePlan } from '../../src/plan/compile.js';
import { readFileBody } from '../../src/registry/file-body.js';
import { findRepoRoot } from '../support/base-image.js';
import { tempDirs } from '../support/temp.js';

const root = findRepoRoot();
const tempDir = tempDirs('pycontainer-push-direct-');

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
  }
  return dir;
}

function plan(dir: string, platform: string[]): Promise<Plan> {
  return compilePlan({ env: {}, cache: null, cwd: root, context: dir, flags: { baseImage: 'oci:test/fixtures/stub-base:3.11', platform } });
}

describe('push from the cache', () => {
  for (const platforms of [['linux/amd64'], ['linux/amd64', 'linux/arm64/v8']]) {
    test(`the image assembled from the cache is the one apply writes (${platforms.join(', ')})`, async () => {
      const dir = await project({
        'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\n',
        'main.py': 'print("hi")\n',
        'data/weights.bin': randomBytes(2 * 1024 * 1024),
      });
      const p = await plan(dir, platforms);
      assert.deepEqual(p.layers.map((l) => l.name), ['assets', 'app']);
      const cache = new BlobCache(await tempDir());
      // Nothing in the cache yet: apply has to build.
      assert.equal(await resolveCachedImage(p, cache, new Map()), undefined);
      const applied = await applyPlan(p, { context: dir, output: join(await tempDir(), 'layout'), cache });

      const cached = await resolveCachedImage(p, cache, new Map());
      assert.ok(cached, 'every layer is a trusted cache file now');
      assert.equal(cached.image.top.desc.digest, applied.digest);
      assert.equal(cached.image.top.desc.mediaType, applied.mediaType);
      assert.equal(cached.image.top.desc.size, applied.size);
      assert.deepEqual(cached.images, applied.images);
      assert.deepEqual(cached.layers.map((l) => ({ ...l, cached: false })), applied.layers);
      // The bytes are the layout's: top, per-platform manifests and configs.
      const blob = (digest: string) => readFile(join(applied.output, 'blobs', 'sha256', digestHex(digest)));
      assert.deepEqual(cached.image.top.bytes, await blob(applied.digest));
      for (const m of cached.image.manifests) assert.deepEqual(m.bytes, await blob(m.desc.digest));
      for (const i of applied.images) assert.deepEqual(cached.image.blobs.get(i.config), { bytes: await blob(i.config) });
      // Layers go from the cache's files; diff_ids built by this process are reported as built.
      for (const l of applied.layers) assert.deepEqual(cached.image.blobs.get(l.digest), { path: cache.blobPath(l.digest) });
      const built = await resolveCachedImage(p, cache, new Map(), new Set([p.layers[1]!.diffId]));
      assert.deepEqual(built!.layers.map((l) => [l.name, l.cached]), [['assets', true], ['app', false]]);
    });
  }

  test('a layer found in the registry is pushed from there; a cache blob that changed since it was trusted is not pushed', async () => {
    const dir = await project({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\n', 'main.py': 'print("hi")\n', 'data/weights.bin': randomBytes(2 * 1024 * 1024) });
    const p = await plan(dir, ['linux/amd64']);
    const cache = new BlobCache(await tempDir());
    const applied = await applyPlan(p, { context: dir, output: join(await tempDir(), 'layout'), cache });
    const assets = applied.layers.find((l) => l.name === 'assets')!;

    // Rewritten in place (same size, new mtime): no longer vouched for, so apply must verify it.
    const path = cache.blobPath(assets.digest);
    const bytes = await readFile(path);
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path, bytes);
    assert.equal(await resolveCachedImage(p, cache, new Map()), undefined);

    // The same layer held by a registry: the push names the remote blob and has no file for it.
    const from = { registry: 'registry.example', repository: 'team/app' };
    const remote = new Map([[assets.diffId, { diffId: assets.diffId, digest: assets.digest, size: assets.size, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', from }]]);
    const viaRemote = await resolveCachedImage(p, cache, remote);
    assert.ok(viaRemote);
    assert.equal(viaRemote.image.top.desc.digest, applied.digest);
    assert.equal(viaRemote.image.blobs.has(assets.digest), false);
    assert.deepEqual(viaRemote.layers.find((l) => l.name === 'assets'), { ...assets, cached: true });
  });

  test('a config that does not hash to the plan: no image (apply names the problem)', async () => {
    const dir = await project({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\n', 'main.py': 'print("hi")\n' });
    const p = await plan(dir, ['linux/amd64']);
    const edited = structuredClone(p);
    edited.images[0]!.config.config = { ...edited.images[0]!.config.config, User: 'root' };
    assert.ok(assembleImage(p, new Map(), [{ digest: `sha256:${'a'.repeat(64)}`, size: 1 }]));
    assert.equal(assembleImage(edited, new Map(), [{ digest: `sha256:${'a'.repeat(64)}`, size: 1 }]), undefined);
  });
});

describe('readFileBody', () => {
  test('the exact bytes, in chunks of three reused buffers, with progress', async () => {
    const dir = await tempDir();
    for (const [size, chunkSize] of [[0, 16], [1, 16], [16, 16], [1000, 64], [1 << 20, 65536], [(1 << 20) + 7, 65536]] as const) {
      const data = randomBytes(size);
      const file = join(dir, `f-${size}-${chunkSize}`);
      await writeFile(file, data);
      const seen: Buffer[] = [];
      const buffers = new Set<ArrayBufferLike>();
      let progress = 0;
      // A consumer like undici's: done with each chunk before it asks for the next.
      for await (const chunk of readFileBody(file, size, { chunkSize, onBytes: (b) => (progress = b) })) {
        assert.ok(chunk.length > 0 && chunk.length <= chunkSize);
        buffers.add(chunk.buffer);
        seen.push(Buffer.from(chunk));
      }
      assert.deepEqual(Buffer.concat(seen), data, `size ${size}, chunks of ${chunkSize}`);
      assert.equal(progress, size);
      assert.ok(buffers.size <= 3, `${buffers.size} buffers for ${seen.length} chunks`);
    }
  });

  test('a file shorter or longer than the blob it should be is refused', async () => {
    const dir = await tempDir();
    const file = join(dir, 'blob');
    await writeFile(file, randomBytes(5000));
    const drain = async () => {
      for await (const _ of readFileBody(file, 5000, { chunkSize: 1024 })) void _;
    };
    await drain();
    await truncate(file, 4000);
    await assert.rejects(drain, (err: unknown) => err instanceof RegistryError && err.code === 'E_BLOB_SIZE' && /ended after 4000 of the 5000 bytes/.test(err.message));
    await appendFile(file, randomBytes(1500));
    await assert.rejects(drain, (err: unknown) => err instanceof RegistryError && err.code === 'E_BLOB_SIZE' && /longer than the 5000 bytes/.test(err.message));
  });

  test('a consumer that stops early closes the file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'blob');
    await writeFile(file, randomBytes(100_000));
    const openFiles = async () => (await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')))).filter((t) => t === file).length;
    let during = 0;
    for await (const _ of readFileBody(file, 100_000, { chunkSize: 1000 })) {
      void _;
      during = await openFiles();
      break;
    }
    assert.equal(during, 1);
    assert.equal(await openFiles(), 0);
  });
});
