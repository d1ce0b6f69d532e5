// The context listing (src/config/context.ts walkContext) stats names relative to the directory it
// lists, by changing the working directory into each one. Whatever happens, the process's working
// directory is the same afterwards; in a worker thread (no chdir) and with the working directory
// gone, it lists with absolute paths; every way gives the same listing.
import assert from 'node:assert/strict';
import { mkdir, rmdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { walkContext, type ContextFile } from '../../src/config/context.js';
import { letWalkChangeDirectory } from '../../src/config/walk-policy.js';
import { compileIgnore, ignorePatterns } from '../../src/config/ignore.js';
import { ConfigError } from '../../src/errors.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-walk-');

/** A small project: nested packages, an ignored cache, an executable, a symlink, names that sort apart by bytes. */
async function makeProject(): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'src/pkg/sub'), { recursive: true });
  await mkdir(path.join(dir, 'src/pkg/__pycache__'));
  await mkdir(path.join(dir, 'src/pkg-extra'));
  await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "p"\n');
  await writeFile(path.join(dir, 'src/pkg/__init__.py'), '');
  await writeFile(path.join(dir, 'src/pkg/sub/mod.py'), 'x = 1\n');
  await writeFile(path.join(dir, 'src/pkg/__pycache__/mod.cpython-312.pyc'), 'junk');
  await writeFile(path.join(dir, 'src/pkg-extra/é.py'), 'y = 2\n');
  await writeFile(path.join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(path.join(dir, 'debug.log'), 'log\n');
  await symlink('src/pkg/sub/mod.py', path.join(dir, 'link.py'));
  return dir;
}

// As the CLI does: this process lets the walk change directories (a worker's fresh module does not,
// and chdir would throw there anyway).
letWalkChangeDirectory();

const rules = () => compileIgnore(ignorePatterns({ gitignore: '*.log\n' }));
const summary = (files: ContextFile[]) => files.map((f) => `${f.path} ${f.type} ${f.size} ${f.executable} ${f.target ?? ''} ${f.stamp ? 'stamped' : ''}`.trim());

test('walkContext: the listing, sorted by bytes, and the working directory as it was', async () => {
  const dir = await makeProject();
  const cwd = process.cwd();
  const files = await walkContext(dir, rules());
  assert.equal(process.cwd(), cwd);
  assert.deepEqual(summary(files), [
    'link.py symlink 0 false src/pkg/sub/mod.py',
    'pyproject.toml file 21 false  stamped',
    'run.sh file 10 true  stamped',
    'src dir 0 true',
    'src/pkg dir 0 true',
    // '-' (0x2d) sorts before '/' (0x2f): the listing is in byte order, not directory by directory.
    'src/pkg-extra dir 0 true',
    'src/pkg-extra/é.py file 6 false  stamped',
    'src/pkg/__init__.py file 0 false  stamped',
    'src/pkg/sub dir 0 true',
    'src/pkg/sub/mod.py file 6 false  stamped',
  ]);
  // A negated rule: every rule on the whole path, ignored directories entered; the same answer here.
  const negated = await walkContext(dir, compileIgnore(ignorePatterns({ gitignore: '*.log\n!keep.log\n' })));
  assert.deepEqual(summary(negated), summary(files));
  assert.equal(process.cwd(), cwd);
});

test('walkContext: after a refusal the working directory is as it was', async () => {
  const dir = await makeProject();
  await writeFile(Buffer.concat([Buffer.from(`${dir}/src/pkg/sub/caf`), Buffer.from([0xe9]), Buffer.from('.py')]), 'latin-1 name');
  const cwd = process.cwd();
  await assert.rejects(walkContext(dir, rules()), (err: ConfigError) => err.code === 'E_CONTEXT_NAME');
  assert.equal(process.cwd(), cwd);
});

test('walkContext: in a worker thread (no chdir there) and with the working directory gone, the same listing', async () => {
  const dir = await makeProject();
  const expected = summary(await walkContext(dir, rules()));
  const stamps = (await walkContext(dir, rules())).map((f) => f.stamp?.key ?? '');
  // A worker: the compiled test module's sibling source, imported there.
  const contextUrl = new URL('../../src/config/context.js', import.meta.url).href;
  const ignoreUrl = new URL('../../src/config/ignore.js', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { walkContext } = await import(workerData.contextUrl);
      const { compileIgnore, ignorePatterns } = await import(workerData.ignoreUrl);
      const files = await walkContext(workerData.dir, compileIgnore(ignorePatterns({ gitignore: '*.log\\n' })));
      parentPort.postMessage(files);
    })().catch((err) => parentPort.postMessage({ error: String(err) }));`;
  const fromWorker = await new Promise<ContextFile[] | { error: string }>((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { dir, contextUrl, ignoreUrl } });
    worker.once('message', (m) => {
      resolve(m as ContextFile[] | { error: string });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  assert.ok(Array.isArray(fromWorker), JSON.stringify(fromWorker));
  assert.deepEqual(summary(fromWorker), expected);
  assert.deepEqual(fromWorker.map((f) => f.stamp?.key ?? ''), stamps);

  // The working directory removed under the process: process.cwd() fails, absolute paths still work.
  const home = process.cwd();
  const gone = await tempDir('pycontainer-walk-gone-');
  process.chdir(gone);
  try {
    await rmdir(gone);
    assert.throws(() => process.cwd());
    assert.deepEqual(summary(await walkContext(dir, rules())), expected);
  } finally {
    process.chdir(home);
  }
});
