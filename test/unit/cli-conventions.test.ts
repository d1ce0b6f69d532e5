// The command line as a new user meets it: output piped into head, colors only on terminals, push
// progress in bytes and percent, --no-progress, --dry-run that writes nothing (the cache included),
// plan --cache-dir, apply of a plan run from another directory, docker-archive targets.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { outputTarget } from '../../src/apply/target.js';
import { dockerRepoTag } from '../../src/apply/archive.js';
import { applyPlan } from '../../src/build.js';
import { colorEnabled } from '../../src/cli/base.js';
import { progressMode, progressReporter, PushTally } from '../../src/cli/progress.js';
import { findRepoRoot } from '../support/base-image.js';
import { runCli } from '../support/cli.js';
import { buildPureWheel, serveIndex } from '../support/wheels.js';
import { tempDirs } from '../support/temp.js';

const root = findRepoRoot();
const STUB = `oci:${join(root, 'test/fixtures/stub-base')}:3.11`;

const tempDir = tempDirs('pycontainer-conv-');

async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir();
  const all = { 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0"\n', 'main.py': 'print("hi")\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Every file below `dir` (relative), sorted. */
async function listTree(dir: string): Promise<string[]> {
  return ((await readdir(dir, { recursive: true })) as string[]).sort();
}

describe('output piped into a reader that stops early', () => {
  test('plan --json | head -1 ends quietly with 0, no EPIPE stack', async () => {
    const files: Record<string, string> = {};
    // A plan of ~0.5 MB: far more than a pipe buffer, so writes go on after the reader has left.
    for (let i = 0; i < 3000; i++) files[`pkg/module_${i}.py`] = `x = ${i}\n`;
    const dir = await project(files);
    const child = spawn(process.execPath, [join(root, 'bin/pycontainer.js'), 'plan', '-C', dir, '--base-image', STUB, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(b.toString())));
    child.stdout.destroy(); // what head does after its first line
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.match(first, /^\{/);
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});

describe('colors', () => {
  test('only on a terminal; NO_COLOR turns them off, FORCE_COLOR on', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    assert.equal(colorEnabled(tty, {}), true);
    assert.equal(colorEnabled(pipe, {}), false);
    assert.equal(colorEnabled(tty, { TERM: 'dumb' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled(tty, { FORCE_COLOR: '0' }), false);
  });

  test('help piped to a file or pager has no ANSI escapes; FORCE_COLOR=1 brings them back', async () => {
    const plain = await runCli(['build', '--help'], { env: { FORCE_COLOR: undefined, NO_COLOR: undefined } });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /Plan and apply in one step/);
    assert.ok(!plain.stdout.includes('\x1b['), plain.stdout);
    const forced = await runCli(['build', '--help'], { env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    assert.ok(forced.stdout.includes('\x1b['), 'FORCE_COLOR=1 colors even a pipe');
    const none = await runCli(['build', '--help'], { env: { FORCE_COLOR: undefined, NO_COLOR: '1' } });
    assert.ok(!none.stdout.includes('\x1b['));
  });

  test('a build piped to a log has no escapes in its progress lines', async () => {
    const dir = await project();
    const r = await runCli(['build', '-C', dir, '--base-image', STUB, '--no-cache', '-o', join(await tempDir(), 'out')], { env: { FORCE_COLOR: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^layer app: building/m);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('\x1b'), r.stderr);
  });
});

describe('progress', () => {
  /** A fake terminal that records what is written. */
  function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
    let out = '';
    const stream = { isTTY: true, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    return { stream, text: () => out };
  }

  test('a push on a terminal shows bytes and percent per blob and overall, no raw JSON', () => {
    const t = terminal();
    const report = progressReporter(t.stream, 'live', { redrawEveryMs: 0 });
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    const c = `sha256:${'c'.repeat(64)}`;
    report({ kind: 'push-blob', digest: c, size: 1000, outcome: 'exists' });
    report({ kind: 'push-blob', digest: a, size: 4_000_000, outcome: 'started' });
    report({ kind: 'push-blob', digest: b, size: 1_000_000, outcome: 'started' });
    report({ kind: 'push-progress', digest: b, bytes: 500_000, size: 1_000_000 });
    report({ kind: 'push-blob', digest: b, size: 1_000_000, outcome: 'uploaded' });
    // The screen now: the blob in flight is gone (b is done, a has not sent a byte), the total row says 2 of 3.
    const screen = t.text();
    assert.ok(!/\{"uploaded"/.test(screen), screen);
    assert.match(screen, /push {3}bbbbbbbbbbbb {2}50% \[#{10} {10}\] 500 kB of 1\.0 MB/);
    assert.match(screen, /push {3}2\/3 blobs, 1\.0 MB of 5\.0 MB \(20%\), 1 already there/);
  });

  test('the tally counts finished blobs whole and retried uploads from their last report', () => {
    const tally = new PushTally();
    tally.add({ kind: 'push-blob', digest: 'sha256:1', size: 200, outcome: 'started' });
    tally.add({ kind: 'push-progress', digest: 'sha256:1', bytes: 150, size: 200 });
    tally.add({ kind: 'push-progress', digest: 'sha256:1', bytes: 50, size: 200 }); // a new upload session
    tally.add({ kind: 'push-blob', digest: 'sha256:2', size: 100, outcome: 'mounted' });
    assert.equal(tally.summary(), '1/2 blobs, 150 B of 300 B (50%), 1 mounted');
    assert.deepEqual(tally.uploading(), [['sha256:1', { bytes: 50, size: 200, outcome: 'started' }]]);
  });

  test('without a terminal: lines, not redraws; --quiet/--json/--no-progress: none', () => {
    assert.equal(progressMode({ isTTY: false }, false, {}), 'plain');
    assert.equal(progressMode({ isTTY: true }, false, {}), 'live');
    assert.equal(progressMode({ isTTY: true }, false, { CI: 'true' }), 'plain');
    assert.equal(progressMode({ isTTY: true }, true, {}), 'quiet');
    let out = '';
    const report = progressReporter({ isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream, 'plain');
    report({ kind: 'push-progress', digest: 'sha256:1', bytes: 5, size: 10 });
    report({ kind: 'push-blob', digest: 'sha256:1', size: 10, outcome: 'uploaded' });
    assert.equal(out, 'blob sha256:1 (10 B) uploaded\n');
  });

  test('--no-progress (the original tool\'s flag) prints only the digest', async () => {
    const dir = await project();
    const r = await runCli(['build', '-C', dir, '--base-image', STUB, '--no-cache', '--no-progress', '-o', join(await tempDir(), 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  });
});

describe('--dry-run writes nothing, the cache included', () => {
  test('build --dry-run of a project with a locked wheel to download leaves the cache and the project as they were', async (t) => {
    const dir = await project();
    const wheel = await buildPureWheel(await tempDir(), 'tinydep', '1.0');
    const index = await serveIndex([wheel]);
    t.after(() => index.stop());
    const url = new URL(`../files/${wheel.filename}`, index.url).href;
    await writeFile(join(dir, 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["tinydep"]\n');
    await writeFile(
      join(dir, 'pylock.toml'),
      `lock-version = "1.0"\ncreated-by = "tests"\nrequires-python = ">=3.11"\n\n[[packages]]\nname = "tinydep"\nversion = "1.0"\nwheels = [{ name = "${wheel.filename}", url = "${url}", size = ${wheel.size}, hashes = { sha256 = "${wheel.sha256}" } }]\n`,
    );
    const before = await listTree(dir);
    const home = await tempDir();
    const flagged = join(home, 'flagged');
    const env = { XDG_CACHE_HOME: join(home, 'xdg'), HOME: home };
    await mkdir(env.XDG_CACHE_HOME);
    // The default cache and a --cache-dir that does not exist yet: neither is created nor written.
    for (const args of [[], ['--cache-dir', flagged]]) {
      const r = await runCli(['build', '-C', dir, '--base-image', STUB, '--platform', 'linux/amd64', '--dry-run', ...args], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /deps +1 wheels, .* from pylock.toml/);
    }
    assert.deepEqual(await listTree(home), ['xdg'], 'no cache written');
    assert.deepEqual(await listTree(dir), before, 'nothing written in the project');
    // The same plan without --dry-run does store the wheel: the test above could fail.
    const r = await runCli(['plan', '-C', dir, '--base-image', STUB, '--platform', 'linux/amd64', '--cache-dir', flagged], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await listTree(flagged)).includes(join('blobs/sha256', wheel.sha256)), 'plan --cache-dir stores the wheel');
  });

  test('plan --cache-dir naming a file is an input error naming the flag', async () => {
    const dir = await project();
    const file = join(dir, 'not-a-dir');
    await writeFile(file, '');
    const r = await runCli(['plan', '-C', dir, '--base-image', STUB, '--cache-dir', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: --cache-dir ${file} is not a directory; name a directory (it is created when missing) or pass --no-cache\n`);
  });
});

describe('apply PLAN from another directory', () => {
  test("the plan's own project is found from where the plan lies; elsewhere it says to pass -C", async () => {
    const dir = await project();
    const elsewhere = await tempDir();
    const planned = await runCli(['plan', '-C', dir, '--base-image', STUB, '--write']);
    assert.equal(planned.code, 0, planned.stderr);
    const applied = await runCli(['apply', join(dir, 'pycontainer.plan.json'), '-q'], { cwd: elsewhere });
    assert.equal(applied.code, 0, applied.stderr);
    assert.ok((await stat(join(dir, 'dist/image/index.json'))).isFile(), 'written to the project\'s output');
    assert.deepEqual(await readdir(elsewhere), [], 'nothing where apply ran');
    // A plan in a build/ directory below the project: found by going up.
    await mkdir(join(dir, 'build'));
    await rename(join(dir, 'pycontainer.plan.json'), join(dir, 'build/plan.json'));
    const below = await runCli(['apply', join(dir, 'build/plan.json'), '--json', '-o', join(elsewhere, 'img')], { cwd: elsewhere });
    assert.equal(below.code, 0, below.stderr);
    // A plan copied away from its project, applied away from it too: the message says what to do.
    const away = join(elsewhere, 'plan.json');
    await rename(join(dir, 'build/plan.json'), away);
    const lost = await runCli(['apply', away], { cwd: elsewhere });
    assert.equal(lost.code, 2);
    assert.equal(lost.stderr, `error: ${away}: cannot find the project it was made in (no directory above the plan, nor ${elsewhere}, has its pyproject.toml); pass -C DIR, the project directory\n`);
    const told = await runCli(['apply', away, '-C', dir, '-q'], { cwd: elsewhere });
    assert.equal(told.code, 0, told.stderr);
  });
});

describe('docker-archive targets', () => {
  const plan = (platforms: string[]) => ({ output: 'oci:dist/image', tags: ['app:1'], images: platforms.map((platform) => ({ platform })) }) as unknown as Plan;

  test('docker-archive:FILE is parsed like oci-archive:FILE; a daemon is not a target', () => {
    assert.deepEqual(outputTarget('docker-archive:img.tar', plan([]), '/ctx', '/cwd'), { kind: 'docker-archive', path: '/cwd/img.tar' });
    assert.throws(() => outputTarget('docker-archive:', plan([]), '/ctx', '/cwd'), /--output "docker-archive:" names no file; write docker-archive:FILE, e.g. docker-archive:dist\/image.tar/);
    assert.throws(() => outputTarget('docker-daemon:app:1', plan([]), '/ctx', '/cwd'), /write docker-archive:FILE and run `docker load -i FILE`/);
  });

  test('a plan for two platforms is refused before anything is written, naming --platform', async () => {
    const dir = await tempDir();
    await assert.rejects(
      applyPlan(plan(['linux/amd64', 'linux/arm64']), { context: dir, output: `docker-archive:${join(dir, 'x.tar')}`, cacheDir: false }),
      (err: Error & { code: string; exitCode: number }) => {
        assert.equal(err.message, `docker-archive:${join(dir, 'x.tar')} holds one platform and the plan has linux/amd64, linux/arm64; plan for one with --platform (e.g. --platform linux/amd64), or write oci-archive:FILE`);
        assert.equal(err.exitCode, 2);
        return true;
      },
    );
    assert.deepEqual(await readdir(dir), []);
  });

  test('tags load under the names docker shows', () => {
    assert.equal(dockerRepoTag('app:1'), 'app:1');
    assert.equal(dockerRepoTag('docker.io/library/app:1'), 'app:1');
    assert.equal(dockerRepoTag('you/app'), 'you/app:latest');
    assert.equal(dockerRepoTag('ghcr.io/org/app:2.0'), 'ghcr.io/org/app:2.0');
    assert.equal(dockerRepoTag(`ghcr.io/org/app@sha256:${'a'.repeat(64)}`), undefined);
  });
});
