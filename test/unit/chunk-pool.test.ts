// Read buffers lent to a layer's tar and given back by its last consumer (src/oci/chunk-pool.ts): only
// the very view lent comes back, and a one-pass build that reuses them writes the same layer bytes as
// an apply that reads every file again, and the files are in them whole.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { applyPlan } from '../../src/apply/apply.js';
import { BlobCache } from '../../src/cache/store.js';
import { contextReader } from '../../src/config/context.js';
import { ChunkPool } from '../../src/oci/chunk-pool.js';
import type { FileReader } from '../../src/oci/layer.js';
import { compileProject } from '../../src/plan/compile.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-pool-');

test('a pool takes back only the view it lent, whole', () => {
  const pool = new ChunkPool(64, 2);
  const a = pool.take();
  const lent = pool.lend(a, 40);
  assert.equal(lent.length, 40);
  pool.give(Buffer.from(lent)); // a copy: not ours
  pool.give(lent.subarray(0, 20)); // part of it: its other part may still be in use
  pool.give(lent.subarray(10)); // another part
  assert.notEqual(pool.take().buffer, a.buffer, 'nothing came back');
  pool.give(lent);
  assert.equal(pool.take().buffer, a.buffer, 'the lent view came back');
  // Given back once: a second give of the same view does not put it in the pool twice.
  const b = pool.take();
  const lentB = pool.lend(b, 64);
  pool.give(lentB);
  pool.give(lentB);
  assert.equal(pool.take().buffer, b.buffer);
  assert.notEqual(pool.take().buffer, b.buffer, 'handed out once only');
});

test('a one-pass build reading large files into reused buffers writes the layers an apply reading the files again writes', async () => {
  const dir = await tempDir('pyc-pool-proj-');
  await mkdir(path.join(dir, 'src', 'demo', 'data'), { recursive: true });
  await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\n\n[project.scripts]\ndemo = "demo.cli:main"\n');
  await writeFile(path.join(dir, 'src', 'demo', '__init__.py'), '');
  await writeFile(path.join(dir, 'src', 'demo', 'cli.py'), 'def main():\n    print("Hi")\n');
  // Two data files of many read chunks each, every chunk different (a counter and a hash per 64 bytes).
  const data = (seed: string, bytes: number) => {
    const out = Buffer.alloc(bytes);
    for (let o = 0; o < bytes; o += 32) createHash('sha256').update(`${seed}${o}`).digest().copy(out, o);
    return out;
  };
  const files = { 'weights.bin': data('w', 6 * 1024 * 1024 + 123), 'table.bin': data('t', 5 * 1024 * 1024) };
  for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, 'src', 'demo', 'data', name), bytes);
  await sleep(120);

  // The context reader, noting the buffers its chunks were read into.
  const memories = new Set<ArrayBufferLike>();
  let chunks = 0;
  const readerFor = (ctx: string): FileReader => {
    const inner = contextReader(ctx);
    return {
      ...inner,
      chunks: async function* (entry, pool) {
        for await (const chunk of inner.chunks!(entry, pool)) {
          memories.add(chunk.buffer);
          chunks++;
          yield chunk;
        }
      },
    };
  };
  const cache = new BlobCache(await tempDir('pyc-pool-cache-'));
  const { plan, builtLayers } = await compileProject({ context: dir, env: {}, flags: { baseImage: 'scratch' }, cache, compressLayers: true, readerFor });
  assert.ok(chunks >= 40, `${chunks} chunks read`);
  assert.ok(memories.size < chunks / 2, `${chunks} chunks in ${memories.size} buffers: they were reused`);
  const assets = plan.layers.filter((l) => l.name.startsWith('assets'));
  assert.ok(assets.length >= 1 && assets.every((l) => builtLayers.has(l.diffId)), 'the assets were compressed in the one pass');

  // apply without that cache reads every file again: the same layers, byte for byte.
  const fresh = await applyPlan(plan, { context: dir, output: path.join(await tempDir('pyc-pool-out-'), 'image'), cache: new BlobCache(await tempDir('pyc-pool-cache2-')) });
  const oneFresh = await applyPlan(plan, { context: dir, output: path.join(await tempDir('pyc-pool-out-'), 'image'), cache });
  assert.deepEqual(oneFresh.layers.map((l) => l.digest), fresh.layers.map((l) => l.digest));
  assert.ok(oneFresh.layers.filter((l) => l.cached).length >= assets.length, 'the one-pass blobs were used');
  // And each data file is in an assets blob, whole: its bytes follow its tar header.
  const tars = await Promise.all(assets.map(async (layer) => gunzipSync(await readFile(cache.blobPath(oneFresh.layers.find((l) => l.diffId === layer.diffId)!.digest)))));
  for (const [name, bytes] of Object.entries(files)) {
    const tar = tars.find((t) => t.includes(`src/demo/data/${name}`));
    assert.ok(tar, `${name} is in an assets layer`);
    const header = tar.indexOf(`src/demo/data/${name}`);
    const body = header - (header % 512) + 512;
    assert.ok(tar.subarray(body, body + bytes.length).equals(bytes), `${name}: its bytes`);
  }
});
