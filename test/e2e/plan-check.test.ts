// Plans as lock files: `plan --write` commits, `plan --check` gates CI on every kind of input change
// (a file edit, a new file, a lock change, the base tag moving in a real registry, a config change),
// `--locked` refuses pin changes, `--upgrade-base` takes a moved tag on purpose, and `apply` builds the
// committed plan.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { pushBaseImage, startRegistry, type TestRegistry } from '../support/registry.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { buildPureWheel, type WheelFile } from '../support/wheels.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
let tmp: string;
let reg: TestRegistry | undefined;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-check-'));
});
after(async () => {
  await reg?.stop();
  await rm(tmp, { recursive: true, force: true });
});

function pyc(dir: string, args: string[]): Promise<RunResult> {
  return run('node', [cli, ...args, '-C', dir], { env: { ...process.env, SOURCE_DATE_EPOCH: '', NO_COLOR: '1' }, allowFail: true });
}

function lockFor(w: WheelFile): string {
  return `lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "${w.name}"\nversion = "${w.version}"\nwheels = [{ name = "${w.filename}", path = "wheels/${w.filename}", size = ${w.size}, hashes = { sha256 = "${w.sha256}" } }]\n`;
}

test('plan --write, then --check after each kind of change; --locked; --upgrade-base; apply', async (t: TestContext) => {
  if (!needTools(t, ['docker-registry', 'skopeo', 'python3', 'apt-get', 'dpkg'])) return;
  reg = await startRegistry('plain');
  await pushBaseImage(reg, 'plain', 'library/python', '3.11');
  const dir = path.join(tmp, 'project');
  await cp(path.join(repo, 'examples/hello-cli'), dir, { recursive: true });
  const v1 = await buildPureWheel(path.join(dir, 'wheels'), 'greet', '1.0');
  const v2 = await buildPureWheel(path.join(dir, 'wheels'), 'greet', '1.1');
  await writeFile(path.join(dir, 'pyproject.toml'), (await readFile(path.join(dir, 'pyproject.toml'), 'utf8')).replace('dependencies = []', 'dependencies = ["greet"]'));
  await writeFile(path.join(dir, 'pylock.toml'), lockFor(v1));
  await writeFile(path.join(dir, 'pycontainer.toml'), `[build]\nbase_image = "${reg.host}/library/python:3.11"\n`);

  const written = await pyc(dir, ['plan', '--write']);
  assert.equal(written.code, 0, written.stderr);
  const check = async () => pyc(dir, ['plan', '--check']);
  const clean = await check();
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /pycontainer\.plan\.json is up to date/);

  const expectDrift = async (why: string, ...patterns: RegExp[]) => {
    const r = await check();
    assert.equal(r.code, 1, `${why}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /is out of date/);
    for (const p of patterns) assert.match(r.stdout, p, why);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colors with NO_COLOR');
    return r.stdout;
  };

  // A file edit.
  const cliPy = path.join(dir, 'src/hello_cli/cli.py');
  const original = await readFile(cliPy, 'utf8');
  await appendFile(cliPy, '# edited\n');
  await expectDrift('file edit', /app\/src\/hello_cli\/cli\.py/, /^\+.*"size": \d+/m);
  await writeFile(cliPy, original);
  assert.equal((await check()).code, 0, 'reverting the edit makes the plan current again');

  // A new file.
  await writeFile(path.join(dir, 'src/hello_cli/extra.py'), 'X = 1\n');
  await expectDrift('new file', /\+ .*app\/src\/hello_cli\/extra\.py/);
  await rm(path.join(dir, 'src/hello_cli/extra.py'));

  // A lock change: greet 1.0 → 1.1. --locked refuses it; the diff names the upgrade.
  await writeFile(path.join(dir, 'pylock.toml'), lockFor(v2));
  const upgraded = await expectDrift('lock change', /greet 1\.0 → 1\.1/);
  t.diagnostic(`diff for a wheel upgrade:\n${upgraded}`);
  const locked = await pyc(dir, ['plan', '--locked']);
  assert.equal(locked.code, 1, locked.stderr);
  assert.match(locked.stderr, /--locked: the plan would change \d+ pins? of .*pycontainer\.plan\.json/);
  assert.match(locked.stderr, /\+ linux\/amd64 greet 1\.1 /);
  await writeFile(path.join(dir, 'pylock.toml'), lockFor(v1));

  // A config change.
  await appendFile(path.join(dir, 'pycontainer.toml'), '\n[build.env]\nLOG_LEVEL = "debug"\n');
  await expectDrift('config change', /LOG_LEVEL=debug/);
  await writeFile(path.join(dir, 'pycontainer.toml'), `[build]\nbase_image = "${reg.host}/library/python:3.11"\n`);
  assert.equal((await check()).code, 0);

  // The base tag moves in the registry: --check notices; plan --write keeps the pin; --upgrade-base takes it.
  const committed = JSON.parse(await readFile(path.join(dir, 'pycontainer.plan.json'), 'utf8'));
  const moved = await pushBaseImage(reg, 'web', 'library/python', '3.11');
  assert.notEqual(moved, committed.base.digest);
  const drift = await expectDrift('base tag moved', new RegExp(`${committed.base.digest.slice(0, 19)}.*→.*${moved.slice(0, 19)}`), /--upgrade-base/);
  t.diagnostic(`diff for a base image update:\n${drift}`);
  assert.equal((await pyc(dir, ['plan', '--write'])).code, 0);
  assert.equal(JSON.parse(await readFile(path.join(dir, 'pycontainer.plan.json'), 'utf8')).base.digest, committed.base.digest, 'plan --write keeps the pinned digest');
  assert.equal((await pyc(dir, ['plan', '--write', '--upgrade-base'])).code, 0);
  assert.equal(JSON.parse(await readFile(path.join(dir, 'pycontainer.plan.json'), 'utf8')).base.digest, moved);
  assert.equal((await check()).code, 0);

  // apply builds the committed plan (the default plan file).
  const applied = await pyc(dir, ['apply', '--json', '-o', path.join(tmp, 'image'), '--no-cache']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(JSON.parse(applied.stdout).images[0].config, JSON.parse(await readFile(path.join(dir, 'pycontainer.plan.json'), 'utf8')).images[0].configDigest);

  // Errors are exit 2, distinct from "differs" (1).
  const broken = await pyc(dir, ['plan', '--check', '--platform', 'linux/nope']);
  assert.equal(broken.code, 2);
});

test('a re-plan that keeps the base from the committed plan follows that plan: a moved tag is taken only with --upgrade-base', async (t: TestContext) => {
  if (!needTools(t, ['docker-registry', 'skopeo', 'python3', 'apt-get', 'dpkg'])) return;
  reg ??= await startRegistry('plain');
  const first = await pushBaseImage(reg, 'plain', 'library/python', 'memo');
  const dir = path.join(tmp, 'kept');
  await cp(path.join(repo, 'examples/hello-cli'), dir, { recursive: true });
  await writeFile(path.join(dir, 'pycontainer.toml'), `[build]\nbase_image = "${reg.host}/library/python:memo"\n`);
  const planFile = path.join(dir, 'pycontainer.plan.json');
  const write = async (...flags: string[]) => {
    const r = await pyc(dir, ['plan', '--write', ...flags]);
    assert.equal(r.code, 0, r.stderr);
    return readFile(planFile, 'utf8');
  };
  // Resolved once by tag; then kept by the pins of the plan file, the same bytes each time (the second
  // re-plan is the one a memo of the first could answer).
  const resolved = await write();
  assert.equal(JSON.parse(resolved).base.digest, first);
  assert.equal(await write(), resolved);
  assert.equal(await write(), resolved);
  // The tag moves: the kept pin holds; --upgrade-base takes the new digest, and is then kept in turn.
  const moved = await pushBaseImage(reg, 'web', 'library/python', 'memo');
  assert.notEqual(moved, first);
  assert.equal(await write(), resolved, 'plan --write keeps the pin');
  assert.equal(JSON.parse(await write('--upgrade-base')).base.digest, moved);
  assert.equal(JSON.parse(await write()).base.digest, moved, 'the new pin is kept');
  // The plan file put back by hand (git checkout): its pin is what a re-plan keeps.
  await writeFile(planFile, resolved);
  assert.equal(JSON.parse(await write()).base.digest, first);
});
