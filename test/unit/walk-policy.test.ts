// The context walk changes the working directory only when the process says it may (the CLI does):
// a program that imports pycontainer keeps its working directory untouched, even during a walk.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { walkContext } from '../../src/config/context.js';
import { compileIgnore } from '../../src/config/ignore.js';
import { letWalkChangeDirectory } from '../../src/config/walk-policy.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs('pycontainer-walk-policy-');

test('the walk calls chdir only after letWalkChangeDirectory, with the same listing either way', async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'pkg'));
  await writeFile(path.join(dir, 'pkg', 'mod.py'), 'x = 1\n');
  await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "p"\n');
  const calls: string[] = [];
  const chdir = process.chdir.bind(process);
  process.chdir = (to: string) => {
    calls.push(to);
    chdir(to);
  };
  try {
    const asLibrary = await walkContext(dir, compileIgnore([]));
    assert.deepEqual(calls, [], 'a library call leaves the working directory alone');
    letWalkChangeDirectory();
    const asCli = await walkContext(dir, compileIgnore([]));
    assert.ok(calls.length >= 2, 'the CLI walk steps into directories');
    assert.deepEqual(asCli, asLibrary);
  } finally {
    process.chdir = chdir;
  }
});
