// Issue 10's bad inputs, each through the real CLI on a temporary project: `plan -o FILE` and `build -o
// DIR` must exit 2 with exactly one line on stderr that names the file and key or the flag, print no
// stack, and write nothing (no plan file, no output directory, the project as it was).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../support/cli.js';

const STUB = 'oci:test/fixtures/stub-base:3.11';
const PROJECT = '[project]\nname = "demo"\nversion = "1.0"\n';

interface Case {
  name: string;
  /** Files of the project; pyproject.toml defaults to PROJECT, main.py is always there. */
  files?: Record<string, string>;
  args?: string[];
  /** The start of the one stderr line after "error: " (file:line: key, or the flag). */
  where: string;
  /** What the line must also say: the rule broken. */
  says: string | RegExp;
}

const cases: Case[] = [
  // [project] values, validated as PEP 621 defines them.
  { name: '[project] name = 5', files: { 'pyproject.toml': '[project]\nname = 5\nversion = "1.0"\n' }, where: 'pyproject.toml:2: project.name:', says: 'must be a string, not number 5' },
  { name: 'an invalid version', files: { 'pyproject.toml': '[project]\nname = "demo"\nversion = "not a version!"\n' }, where: 'pyproject.toml:3: project.version:', says: 'not a valid PEP 440 version' },
  { name: 'scripts as a list', files: { 'pyproject.toml': `${PROJECT}scripts = ["demo:main"]\n` }, where: 'pyproject.toml:4: project.scripts:', says: 'must be a table, not an array' },
  { name: 'requires-python = ">=banana"', files: { 'pyproject.toml': `${PROJECT}requires-python = ">=banana"\n` }, where: 'pyproject.toml:4: project.requires-python:', says: 'not a valid PEP 440 version specifier' },
  { name: 'dependencies = "requests"', files: { 'pyproject.toml': `${PROJECT}dependencies = "requests"\n` }, where: 'pyproject.toml:4: project.dependencies:', says: 'must be an array, not string "requests"' },
  { name: 'a dependency that is not PEP 508', files: { 'pyproject.toml': `${PROJECT}dependencies = ["requests >= banana"]\n` }, where: 'pyproject.toml:4: project.dependencies.0:', says: 'is not a PEP 508 requirement' },
  { name: 'project = "hello"', files: { 'pyproject.toml': 'project = "hello"\n' }, where: 'pyproject.toml:1: project:', says: 'must be a table, not string "hello"' },
  { name: 'dynamic name', files: { 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\ndynamic = ["name"]\n' }, where: 'pyproject.toml:4: project.dynamic.0:', says: 'cannot be dynamic' },
  { name: '[tool.poetry] version', files: { 'pyproject.toml': '[tool.poetry]\nname = "demo"\nversion = "one"\n' }, where: 'pyproject.toml:3: tool.poetry.version:', says: 'not a valid PEP 440 version' },
  { name: 'an invalid version in setup.cfg', files: { 'pyproject.toml': '', 'setup.cfg': '[metadata]\nname = demo\nversion = not a version!\n' }, where: 'setup.cfg:', says: 'version "not a version!" is not a valid PEP 440 version' },
  // Configuration values.
  { name: 'entrypoint = [] in pycontainer.toml', files: { 'pycontainer.toml': '[build]\nentrypoint = []\n' }, where: 'pycontainer.toml:2: build.entrypoint:', says: 'is empty' },
  { name: 'entrypoint = [] in [tool.pycontainer]', files: { 'pyproject.toml': `${PROJECT}\n[tool.pycontainer]\nentrypoint = []\n` }, where: 'pyproject.toml:6: tool.pycontainer.entrypoint:', says: 'is empty' },
  // Tags, by the distribution reference grammar.
  { name: 'tag UPPER/Case:bad tag', args: ['-t', 'UPPER/Case:bad tag'], where: '--tag:', says: 'tag "bad tag" may only contain letters, digits' },
  { name: 'tag foo:bar:baz', args: ['-t', 'foo:bar:baz'], where: '--tag:', says: 'holds a second ":"' },
  { name: "tag ''", args: ['-t', ''], where: '--tag:', says: 'is empty' },
  { name: 'a 200-character tag', args: ['-t', `app:${'a'.repeat(200)}`], where: '--tag:', says: 'is 200 characters long, at most 128 are allowed' },
  { name: 'an upper-case repository in build.tags', files: { 'pycontainer.toml': '[build]\ntags = ["Org/App:1.0"]\n' }, where: 'pycontainer.toml:2: build.tags:', says: 'repository names must be lowercase' },
  { name: '--registry with an upper-case path', args: ['--registry', 'ghcr.io/Org/'], where: '--registry:', says: 'invalid image reference "ghcr.io/Org/demo:1.0": repository names must be lowercase' },
  { name: '[registry] url with an upper-case path', files: { 'pycontainer.toml': '[registry]\nurl = "ghcr.io/Org"\n' }, where: 'pycontainer.toml:2: registry.url:', says: 'repository names must be lowercase' },
  // Users: syntax first, then the base image's /etc/passwd and /etc/group.
  { name: "--user 'weird user'", args: ['--user', 'weird user'], where: '--user:', says: 'is not a user: give a name or a numeric uid' },
  { name: '--user :', args: ['--user', ':'], where: '--user:', says: 'is not a user' },
  { name: 'user = "a b" in pycontainer.toml', files: { 'pycontainer.toml': '[build]\nuser = "a b"\n' }, where: 'pycontainer.toml:2: build.user:', says: 'is not a user' },
  { name: '--user nosuchuser', args: ['--user', 'nosuchuser'], where: 'flag --user: build.user:', says: /user "nosuchuser" is not in base image .*\/etc\/passwd/ },
  { name: '--user 1:x', args: ['--user', '1:x'], where: 'flag --user: build.user:', says: /group "x" is not in base image .*\/etc\/group/ },
  // Paths: normalized, and refused when they leave their root.
  { name: '--workdir /app/../etc', args: ['--workdir', '/app/../etc'], where: '--workdir:', says: 'with no ".." segment' },
  { name: 'workdir = "/app/../etc"', files: { 'pycontainer.toml': '[build]\nworkdir = "/app/../etc"\n' }, where: 'pycontainer.toml:2: build.workdir:', says: 'with no ".." segment' },
  { name: '--workdir relative', args: ['--workdir', 'app'], where: '--workdir:', says: 'must be an absolute path' },
  { name: 'writable outside the workdir', files: { 'pycontainer.toml': '[build]\nwritable = ["data/../../etc"]\n' }, where: 'pycontainer.toml:2: build.writable:', says: 'is not inside the workdir' },
  { name: 'include_paths outside the context', files: { 'pycontainer.toml': '[build]\ninclude_paths = ["src/../../secret"]\n' }, where: 'pycontainer.toml:2: build.include_paths:', says: 'is outside the context' },
];

const temps: string[] = [];
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function project(files: Record<string, string>): Promise<{ dir: string; listing: string[] }> {
  const dir = await mkdtemp(join(os.tmpdir(), 'pycontainer-bad-'));
  temps.push(dir);
  for (const [path, text] of Object.entries({ 'pyproject.toml': PROJECT, 'main.py': 'print("hi")\n', ...files })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return { dir, listing: (await readdir(dir, { recursive: true })).sort() };
}

function assertRefused(r: { code: number; stdout: string; stderr: string }, c: Case): void {
  const shown = `exit ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout}`;
  assert.equal(r.code, 2, shown);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `exactly one line on stderr:\n${shown}`);
  const line = lines[0]!;
  assert.ok(!/^\s+at /m.test(r.stderr) && !/internal error/i.test(r.stderr), `no stack:\n${shown}`);
  assert.ok(line.startsWith(`error: ${c.where}`), `the line names ${JSON.stringify(c.where)}:\n${shown}`);
  if (typeof c.says === 'string') assert.ok(line.includes(c.says), `the line says ${JSON.stringify(c.says)}:\n${shown}`);
  else assert.match(line, c.says, shown);
}

describe('bad inputs are refused with one line, exit 2, nothing written', { concurrency: 2 }, () => {
  for (const [index, c] of cases.entries()) {
    test(c.name, async () => {
      const { dir, listing } = await project(c.files ?? {});
      const args = ['-C', dir, '--base-image', STUB, ...(c.args ?? [])];
      assertRefused(await runCli(['plan', ...args, '-o', join(dir, 'plan.json')]), c);
      // build writing a layout, or --dry-run, by turns: each CLI start costs a second of a shared CPU.
      const build = index % 2 === 0 ? ['build', ...args, '-o', `oci:${join(dir, 'out')}`] : ['build', '--dry-run', ...args];
      assertRefused(await runCli(build), c);
      assert.deepEqual((await readdir(dir, { recursive: true })).sort(), listing, 'nothing written into the project');
    });
  }
});
