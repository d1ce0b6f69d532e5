// Project files that are not regular files are refused by type before they are read (a FIFO used to
// hang the build forever); context file names that are not UTF-8 are refused with the name escaped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { escapeName, readTexts, walkContext } from '../../src/config/context.js';
import { compileIgnore } from '../../src/config/ignore.js';
import { readRegularFile, readTomlFile } from '../../src/config/read.js';
import { ConfigError } from '../../src/errors.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmpdir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'pyc-special-'));
  dirs.push(d);
  return d;
}

const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

/** Fails the test instead of hanging it when a read blocks. */
function soon<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('blocked: the read waited for a writer')), 3000).unref())]);
}

test('a FIFO named pyproject.toml is refused by type, at once, naming it', async () => {
  const dir = await tmpdir();
  mkfifo(path.join(dir, 'pyproject.toml'));
  await assert.rejects(soon(readTomlFile(path.join(dir, 'pyproject.toml'), 'pyproject.toml')), (err: ConfigError) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'E_SPECIAL_FILE');
    assert.equal(err.message, 'pyproject.toml: is a FIFO (named pipe), not a regular file; refusing to read it (replace it with a file or leave it out of the project)');
    return true;
  });
});

test('a symlink to a FIFO, a directory and a device are refused too; a regular file reads', async () => {
  const dir = await tmpdir();
  mkfifo(path.join(dir, 'fifo'));
  execFileSync('ln', ['-s', 'fifo', path.join(dir, 'requirements.txt')]);
  await assert.rejects(soon(readRegularFile(path.join(dir, 'requirements.txt'), 'requirements.txt')), /^ConfigError: requirements\.txt: is a FIFO/);
  await mkdir(path.join(dir, 'uv.lock'));
  await assert.rejects(soon(readRegularFile(path.join(dir, 'uv.lock'), 'uv.lock')), /uv\.lock: is a directory/);
  await assert.rejects(soon(readRegularFile('/dev/zero', 'x.txt')), /x\.txt: is a device/);
  await writeFile(path.join(dir, 'ok.txt'), 'fine\n');
  assert.equal((await readRegularFile(path.join(dir, 'ok.txt'), 'ok.txt')).toString(), 'fine\n');
});

test('detection reads skip a FIFO instead of blocking on it', async () => {
  const dir = await tmpdir();
  mkfifo(path.join(dir, 'Procfile'));
  await writeFile(path.join(dir, 'main.py'), 'print(1)\n');
  assert.deepEqual(await soon(readTexts(dir, ['Procfile', 'main.py'])), { 'main.py': 'print(1)\n' });
});

test('a context file name that is not UTF-8 is refused, escaped; an ignored one is left out', async () => {
  const dir = await tmpdir();
  await writeFile(path.join(dir, 'app.py'), 'x = 1\n');
  await mkdir(path.join(dir, 'data'));
  await writeFile(Buffer.concat([Buffer.from(`${dir}/data/caf`), Buffer.from([0xe9]), Buffer.from('.bin')]), 'latin-1 name');
  await assert.rejects(walkContext(dir, compileIgnore([])), (err: ConfigError) => {
    assert.equal(err.code, 'E_CONTEXT_NAME');
    assert.equal(err.message, "data/caf\\xe9.bin: the file name is not valid UTF-8, which an image's file list cannot carry; rename it, or list it in .dockerignore");
    return true;
  });
  const files = await walkContext(dir, compileIgnore(['**/*.bin']));
  assert.deepEqual(files.map((f) => f.path), ['app.py', 'data']);
  assert.equal(escapeName(Buffer.from([0x61, 0x5c, 0x0a, 0xff])), 'a\\x5c\\x0a\\xff');
});

test('URL passwords: literal ones are secrets, ${VARIABLE} references and ssh user names are not', async () => {
  const { hasUrlPassword } = await import('../../src/plan/compile.js');
  assert.equal(hasUrlPassword('--index-url https://bob:hunter2@pypi.example/simple\n'), true);
  assert.equal(hasUrlPassword('--extra-index-url https://ghp_abc123@pypi.example/simple\n'), true, 'a token as user info');
  assert.equal(hasUrlPassword('[global]\nindex-url = https://:tok@pypi.example/simple\n'), true);
  assert.equal(hasUrlPassword('--index-url https://${USER}:${PASSWORD}@pypi.example/simple\n'), false);
  assert.equal(hasUrlPassword('--index-url https://${TOKEN}@pypi.example/simple\n'), false);
  assert.equal(hasUrlPassword('pkg @ git+ssh://git@github.com/o/r.git\nrequests==2.32.3\n'), false);
  assert.equal(hasUrlPassword('--index-url https://pypi.example/simple\n'), false);
});
