// LayoutWriter: a new layout appears whole or not at all, a failed run into an existing layout leaves it
// byte for byte as it was, and temporary files are removed only when their writer no longer runs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { LayoutWriter, removeAbandonedSiblings } from '../../src/apply/layout.js';
import { sha256Digest } from '../../src/oci/digest.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'pyc-layout-'));
  dirs.push(d);
  return d;
}
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Writes one image (a config blob standing in for a manifest) and publishes it under `tag`. */
async function writeImage(writer: LayoutWriter, text: string, tag: string) {
  const desc = await writer.writeJsonBlob(text, 'application/vnd.oci.image.config.v1+json');
  const data = Buffer.from(`layer of ${text}`);
  await writer.writeBlobStream(Readable.from([data]), { digest: sha256Digest(data), size: data.length });
  await writer.publish(desc, [`app:${tag}`]);
  return desc;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[path.relative(dir, p)] = await readFile(p, 'utf8');
    }
  };
  await walk(dir);
  return out;
}

test('a new layout is written beside the output and appears only when finished', async () => {
  const parent = await scratch();
  const out = path.join(parent, 'image');
  const writer = await LayoutWriter.open(out);
  assert.ok(writer.fresh);
  await writeImage(writer, '{"a":1}', '1');
  await assert.rejects(readdir(out), 'not visible before finish');
  await writer.finish();
  assert.deepEqual((await readdir(parent)).sort(), ['image']);
  assert.deepEqual((await readdir(out)).sort(), ['blobs', 'index.json', 'oci-layout']);
});

test('a failed new layout leaves nothing: absent stays absent, an empty directory stays empty', async () => {
  const parent = await scratch();
  const writer = await LayoutWriter.open(path.join(parent, 'image'));
  await writeImage(writer, '{"a":1}', '1');
  await writer.abort();
  assert.deepEqual(await readdir(parent), []);
  await mkdir(path.join(parent, 'empty'));
  const again = await LayoutWriter.open(path.join(parent, 'empty'));
  await writeImage(again, '{"a":1}', '1');
  await again.abort();
  assert.deepEqual((await readdir(parent)).sort(), ['empty']);
  assert.deepEqual(await readdir(path.join(parent, 'empty')), []);
});

test('a failed run into an existing layout removes only the blobs it added', async () => {
  const parent = await scratch();
  const out = path.join(parent, 'image');
  const first = await LayoutWriter.open(out);
  await writeImage(first, '{"a":1}', '1');
  await first.finish();
  const before = await snapshot(out);
  const second = await LayoutWriter.open(out);
  assert.ok(!second.fresh);
  // Re-adds an existing blob (kept) and adds new ones (removed).
  await second.writeJsonBlob('{"a":1}', 'application/vnd.oci.image.config.v1+json');
  await second.writeJsonBlob('{"b":2}', 'application/vnd.oci.image.config.v1+json');
  const stray = second.tempPath();
  await writeFile(stray, 'half a blob');
  await second.abort();
  assert.deepEqual(await snapshot(out), before);
});

test("temporary files of a live process are kept, a dead one's are removed", async () => {
  const parent = await scratch();
  const out = path.join(parent, 'image');
  const first = await LayoutWriter.open(out);
  await writeImage(first, '{"a":1}', '1');
  await first.finish();
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  await new Promise((r) => sleeper.once('spawn', r));
  try {
    const blobs = path.join(out, 'blobs', 'sha256');
    const live = `.tmp-${sleeper.pid}-00aa11`;
    const dead = `.tmp-${deadPid()}-00bb22`;
    await writeFile(path.join(blobs, live), 'x');
    await writeFile(path.join(blobs, dead), 'x');
    await writeFile(path.join(out, `index.json.${deadPid()}-0c0c.tmp`), '{}');
    const liveSibling = path.join(parent, `.image.pycontainer-${sleeper.pid}-0d0d`);
    const deadSibling = path.join(parent, `.image.pycontainer-${deadPid()}-0e0e`);
    await mkdir(liveSibling);
    await mkdir(deadSibling);
    // The lock's temporary files (src/lock.ts): one a killed run left while it took the lock, one a live competitor is about to link.
    const liveLockTemp = `.image.pycontainer-lock.${sleeper.pid}-0a0a0a0a.tmp`;
    await writeFile(path.join(parent, liveLockTemp), '{}');
    await writeFile(path.join(parent, `.image.pycontainer-lock.${deadPid()}-0f0f0f0f.tmp`), '{}');
    await writeFile(path.join(parent, '.image.pycontainer-lock'), '{}');
    const second = await LayoutWriter.open(out);
    await writeImage(second, '{"a":2}', '1');
    await second.finish();
    const left = await readdir(blobs);
    assert.ok(left.includes(live), 'a live writer keeps its temporary file');
    assert.ok(!left.includes(dead));
    assert.ok(!(await readdir(out)).some((n) => n.endsWith('.tmp')));
    await removeAbandonedSiblings(out);
    assert.deepEqual((await readdir(parent)).sort(), ['.image.pycontainer-lock', liveLockTemp, path.basename(liveSibling), 'image'].sort());
  } finally {
    sleeper.kill('SIGKILL');
  }
});
