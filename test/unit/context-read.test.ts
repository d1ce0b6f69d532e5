// Small context files are read with direct system calls and no fstat when the listing gave their size
// (src/config/read.ts readKnownSizeFileSync). A file that changed between the listing and the read —
// grew, shrank, turned into a symlink, a FIFO or a directory, went away — must give what the careful
// read gave before: its current bytes (the caller then sees another size or digest and says the file
// changed) or the same one-line refusal. And build, which compiles and applies in one process, reads
// each file once and does not check the context a second time.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Entry } from '../../generated/plan.js';
import { applyPlan } from '../../src/apply/apply.js';
import { build, type BuildEvent } from '../../src/build.js';
import { contextReader } from '../../src/config/context.js';
import { ConfigError, PlanError } from '../../src/errors.js';
import type { FileReader } from '../../src/oci/layer.js';
import { compileProject } from '../../src/plan/compile.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-read-');

const entry = (source: string, size: number): Entry => ({ path: `app/${source}`, type: 'file', mode: '0644', size, source });

test('a small file read by its listed size: changes since the listing read as before', async () => {
  const dir = await tempDir('pyc-read-');
  const reader = contextReader(dir);
  await writeFile(path.join(dir, 'same.py'), 'x = 1\n');
  assert.equal(reader.readSync!(entry('same.py', 6)).toString(), 'x = 1\n');
  // Grew or shrank: the bytes as they are now (the caller compares size and digest with the plan).
  await writeFile(path.join(dir, 'grew.py'), 'x = 1\n# and more\n');
  assert.equal(reader.readSync!(entry('grew.py', 6)).toString(), 'x = 1\n# and more\n');
  await writeFile(path.join(dir, 'shrank.py'), 'x\n');
  assert.equal(reader.readSync!(entry('shrank.py', 6)).toString(), 'x\n');
  // Turned into a symlink to a file: followed, as the careful read did.
  await writeFile(path.join(dir, 'target.py'), 'y = 2\n');
  await symlink('target.py', path.join(dir, 'linked.py'));
  assert.equal(reader.readSync!(entry('linked.py', 6)).toString(), 'y = 2\n');
  // A FIFO (also behind a symlink, also where an empty file was), a directory: refused by type.
  execFileSync('mkfifo', [path.join(dir, 'fifo.py')]);
  await symlink('fifo.py', path.join(dir, 'to-fifo.py'));
  await mkdir(path.join(dir, 'dir.py'));
  for (const [name, size, what] of [
    ['fifo.py', 6, 'a FIFO \\(named pipe\\)'],
    ['fifo.py', 0, 'a FIFO \\(named pipe\\)'],
    ['to-fifo.py', 6, 'a FIFO \\(named pipe\\)'],
    ['dir.py', 6, 'a directory'],
  ] as const) {
    assert.throws(
      () => reader.readSync!(entry(name, size)),
      (err: unknown) => err instanceof ConfigError && err.code === 'E_SPECIAL_FILE' && new RegExp(`^${name.replace('.', '\\.')}: is ${what}, not a regular file`).test(err.message),
      `${name} (${size} bytes planned)`,
    );
  }
  // Gone: the system's error, as before.
  assert.throws(() => reader.readSync!(entry('missing.py', 6)), /ENOENT/);
});

/** A project with a few modules, settled (not racy for the stat cache). */
async function project(): Promise<string> {
  const dir = await tempDir('pyc-read-proj-');
  await mkdir(path.join(dir, 'src', 'demo'), { recursive: true });
  await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\n\n[project.scripts]\ndemo = "demo.cli:main"\n');
  await writeFile(path.join(dir, 'src', 'demo', '__init__.py'), '');
  await writeFile(path.join(dir, 'src', 'demo', 'cli.py'), 'def main():\n    print("Hi")\n');
  await writeFile(path.join(dir, 'src', 'demo', 'util.py'), 'X = 1\n');
  await sleep(120);
  return dir;
}

/** The context's reader, but `change` runs on `file` just before it is first read: a change between listing and reading. */
function racingReader(file: string, change: () => Promise<void> | void): (ctx: string) => FileReader {
  return (ctx) => {
    const inner = contextReader(ctx);
    let done = false;
    const before = async (e: Entry) => {
      if (!done && e.source === file) {
        done = true;
        await change();
      }
    };
    return { read: async (e) => (await before(e), inner.read(e)), stream: (e) => inner.stream(e) };
  };
}

test('apply: a file that grows or turns into a FIFO between the listing and the read is refused as before', async () => {
  const dir = await project();
  const { plan } = await compileProject({ context: dir, env: {}, flags: { baseImage: 'scratch' }, cache: null });
  const cli = path.join(dir, 'src', 'demo', 'cli.py');
  const out = await tempDir('pyc-read-out-');
  await assert.rejects(
    applyPlan(plan, { context: dir, output: path.join(out, 'a'), readerFor: racingReader('src/demo/cli.py', () => appendFile(cli, '# grown\n')) }),
    (err: unknown) => err instanceof PlanError && err.code === 'E_PLAN_STALE' && /src\/demo\/cli\.py changed/.test(err.message),
  );
  await writeFile(cli, 'def main():\n    print("Hi")\n');
  await assert.rejects(
    applyPlan(plan, {
      context: dir,
      output: path.join(out, 'b'),
      readerFor: racingReader('src/demo/cli.py', async () => {
        await unlink(cli);
        execFileSync('mkfifo', [cli]);
      }),
    }),
    (err: unknown) => err instanceof ConfigError && err.code === 'E_SPECIAL_FILE' && /^src\/demo\/cli\.py: is a FIFO/.test(err.message),
  );
});

test('build: each file read once, the context not checked a second time; a rebuild with nothing changed reads none', async () => {
  const dir = await project();
  const cacheDir = await tempDir('pyc-read-cache-');
  const out = await tempDir('pyc-read-out-');
  const reads: string[] = [];
  const events: BuildEvent[] = [];
  const readerFor = (ctx: string): FileReader => {
    const inner = contextReader(ctx);
    return { read: (e) => (reads.push(e.source!), inner.read(e)), stream: (e) => (reads.push(e.source!), inner.stream(e)) };
  };
  const options = { context: dir, env: {}, flags: { baseImage: 'scratch' }, output: path.join(out, 'image'), cacheDir, readerFor, onEvent: (e: BuildEvent) => events.push(e) };
  const first = await build(options);
  assert.deepEqual(reads.sort(), ['src/demo/__init__.py', 'src/demo/cli.py', 'src/demo/util.py', 'pyproject.toml'].sort());
  assert.equal(first.image!.layers[0]!.cached, false, 'built by this build');
  assert.ok(!events.some((e) => e.kind === 'check'), 'apply did not check the context again');
  reads.length = 0;
  await sleep(120);
  const again = await build(options);
  assert.deepEqual(reads, [], 'nothing read: the stat cache and the layer key answered');
  assert.equal(again.image!.digest, first.image!.digest);
  // An edit: the layer is read and rebuilt, each file once.
  await writeFile(path.join(dir, 'src', 'demo', 'util.py'), 'X = 2\n');
  await sleep(120);
  const edited = await build(options);
  assert.deepEqual(reads.sort(), ['src/demo/__init__.py', 'src/demo/cli.py', 'src/demo/util.py', 'pyproject.toml'].sort());
  assert.notEqual(edited.image!.digest, first.image!.digest);
  assert.equal(edited.image!.layers[0]!.cached, false);
});

test('layerTar reading straight into its chunks: a file grown or shrunk since the listing is reported with its real bytes', async () => {
  const { layerTar } = await import('../../src/oci/layer.js');
  const dir = await tempDir('pyc-read-');
  await writeFile(path.join(dir, 'grew.py'), 'x = 1\n# and more\n');
  await writeFile(path.join(dir, 'shrank.py'), 'x\n');
  await writeFile(path.join(dir, 'same.py'), 'x = 1\n');
  const reported = new Map<string, number>();
  const chunks: Buffer[] = [];
  const entries = [entry('grew.py', 6), entry('same.py', 6), entry('shrank.py', 6)];
  for await (const c of layerTar(entries, 0, contextReader(dir), (f) => reported.set(f.entry.source!, f.size))) chunks.push(c as Buffer);
  assert.deepEqual(Object.fromEntries(reported), { 'grew.py': 17, 'same.py': 6, 'shrank.py': 2 });
  const tar = Buffer.concat(chunks);
  assert.equal(tar.subarray(512, 529).toString(), 'x = 1\n# and more\n', 'the grown body follows its header');
  assert.equal(tar.length, 512 * 6 + 1024, 'three members of one block each, and the end');
});
