// The layer writer's own guard: a member path that is not in normal form (absolute, "..", empty or "."
// segments) is refused before a byte is written, whatever produced the entries (an edited plan, a bug).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from '../../generated/plan.js';
import { ImageError } from '../../src/errors.js';
import { layerTar, memberPathProblem, type FileReader } from '../../src/oci/layer.js';
import { normalizeRelative } from '../../src/plan/assemble.js';

test('memberPathProblem accepts normal relative paths', () => {
  for (const ok of ['app', 'app/main.py', 'app/.venv/bin/python', 'a/..b/c..', 'home/nonroot/.cache', 'x/ü']) assert.equal(memberPathProblem(ok), undefined, ok);
});

test('memberPathProblem names what is wrong', () => {
  const cases: [string, string][] = [
    ['', 'it is empty'],
    ['/etc/passwd', 'it is absolute; members are relative to the image root'],
    ['app/../etc/passwd', 'it has a ".." segment and would leave the image root'],
    ['..', 'it has a ".." segment and would leave the image root'],
    ['../x', 'it has a ".." segment and would leave the image root'],
    ['app//main.py', 'it has an empty segment ("//" or a trailing "/")'],
    ['app/', 'it has an empty segment ("//" or a trailing "/")'],
    ['./app', 'it has a "." segment'],
    ['app/./x', 'it has a "." segment'],
    ['a\0b', 'it holds a NUL byte'],
  ];
  for (const [path, problem] of cases) assert.equal(memberPathProblem(path), problem, JSON.stringify(path));
});

const noFiles: FileReader = {
  stream: () => assert.fail('no file may be read'),
  read: () => assert.fail('no file may be read'),
};

test('layerTar refuses a member outside the root before writing anything', () => {
  const entries: Entry[] = [
    { path: 'app', type: 'dir', mode: '0755' },
    { path: 'app/../etc', type: 'dir', mode: '0755' },
    { path: 'app/../etc/passwd', type: 'file', mode: '0644', content: 'root::0:0::/:/bin/sh\n' },
  ];
  assert.throws(
    () => layerTar(entries, 0, noFiles, () => assert.fail('no file reported')),
    (err: unknown) =>
      err instanceof ImageError &&
      err.code === 'E_LAYER_PATH' &&
      err.exitCode === 2 &&
      err.message === 'layer member "app/../etc" refused: it has a ".." segment and would leave the image root; paths in a plan are normalized and stay inside the image',
  );
});

test('layerTar writes normal members as given', async () => {
  const entries: Entry[] = [
    { path: 'app', type: 'dir', mode: '0755' },
    { path: 'app/a.txt', type: 'file', mode: '0644', content: 'hi\n' },
  ];
  const chunks: Buffer[] = [];
  for await (const c of layerTar(entries, 0, noFiles, () => undefined)) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  assert.equal(tar.subarray(0, 4).toString(), 'app/');
  assert.equal(tar.subarray(512, 521).toString(), 'app/a.txt');
});

test('normalizeRelative: the form paths are compared and written in; ".." stays visible to be refused', () => {
  const cases: [string, string][] = [
    ['./instance/', 'instance'],
    ['a//b/./c', 'a/b/c'],
    ['a/../b', 'b'],
    ['.', '.'],
    ['./', '.'],
    ['a/..', '.'],
    ['../x', '../x'],
    ['a/../../x', '../x'],
    ['/abs', '/abs'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeRelative(input), expected, input);
});
