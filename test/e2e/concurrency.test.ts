// Concurrent writers of one output: real `pycontainer build` processes into one OCI layout (sharing one
// cache), repeated for several rounds. Every process either succeeds — and its tag then names its image,
// whole — or says in one line that the layout is busy; the layout is valid after every round (our own
// checker, and skopeo reads every tag). A build killed with SIGKILL leaves a lock that the next build
// takes over, also while that next build was already waiting for it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { needTools, run, type RunResult } from '../support/tools.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const stubBase = `oci:${path.join(repo, 'test', 'fixtures', 'stub-base')}:3.11`;
const BUSY = /^error: another pycontainer \(pid \d+\) is writing (\S+); wait for it or choose another --output\n$/;
let tmp: string;
let project: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-concurrency-'));
  project = path.join(tmp, 'hello-cli');
  await cp(path.join(repo, 'examples', 'hello-cli'), project, { recursive: true });
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** One build into `layout`, its image told apart from the others' by an env var and its tag. */
function build(layout: string, name: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return run('node', [cli, 'build', '-C', project, '--base-image', stubBase, '-o', layout, '--cache-dir', path.join(tmp, 'cache'), '--tag', `app:${name}`, '--env', `WHO=${name}`, '--json'], {
    env,
    allowFail: true,
    timeoutMs: 300_000,
  });
}

/**
 * Checks one round: each process exited 0 (and its tag names its digest) or said the layout is busy
 * (exit 75, one line, no stack); the layout is valid and skopeo reads every tag.
 */
async function checkRound(t: TestContext, layout: string, names: string[], results: RunResult[]): Promise<number> {
  let ok = 0;
  const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  const byTag = new Map(index.manifests.map((m) => [m.annotations['org.opencontainers.image.ref.name'], m.digest]));
  for (const [i, res] of results.entries()) {
    if (res.code === 0) {
      ok++;
      const digest = (JSON.parse(res.stdout) as { digest: string }).digest;
      assert.equal(byTag.get(names[i]!), digest, `${names[i]}: its tag names the image it built`);
    } else {
      assert.equal(res.code, 75, `${names[i]} exited ${res.code}: ${res.stderr}`);
      assert.match(res.stderr, BUSY);
      assert.equal(BUSY.exec(res.stderr)![1], layout);
    }
  }
  assertLayoutOk(await checkLayout(layout));
  if (needTools(t, ['skopeo'])) {
    for (const [tag, digest] of byTag) {
      const inspect = JSON.parse((await run('skopeo', ['inspect', `oci:${layout}:${tag}`])).stdout) as { Digest: string };
      assert.equal(inspect.Digest, digest, `skopeo reads ${tag}`);
    }
  }
  const leftovers = (await readdir(path.dirname(layout))).filter((n) => n.startsWith(`.${path.basename(layout)}.`));
  assert.deepEqual(leftovers, [], 'no lock or temporary sibling is left');
  return ok;
}

describe('concurrent builds into one layout', { concurrency: false }, () => {
  for (const writers of [2, 4]) {
    test(`${writers} builds at once, 3 rounds: they take turns, every image is whole`, async (t) => {
      const layout = path.join(tmp, `layout-${writers}`);
      for (let round = 0; round < 3; round++) {
        const names = Array.from({ length: writers }, (_, i) => `w${writers}-p${i}`);
        const results = await Promise.all(names.map((n) => build(layout, n)));
        const ok = await checkRound(t, layout, names, results);
        // The default wait (minutes) covers a few short builds: all of them get their turn.
        assert.equal(ok, writers, `round ${round}: ${results.map((r) => r.stderr).join('\n')}`);
      }
      const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: unknown[] };
      assert.equal(index.manifests.length, writers, 'one entry per tag, replaced in later rounds');
    });
  }

  test('without waiting (PYCONTAINER_LOCK_WAIT=0), the others fail fast saying the layout is busy', async (t) => {
    const layout = path.join(tmp, 'layout-nowait');
    for (let round = 0; round < 3; round++) {
      const names = Array.from({ length: 4 }, (_, i) => `nowait-p${i}`);
      const results = await Promise.all(names.map((n) => build(layout, n, { ...process.env, PYCONTAINER_LOCK_WAIT: '0' })));
      const ok = await checkRound(t, layout, names, results);
      assert.ok(ok >= 1, `round ${round}: someone got the layout`);
    }
  });

  test('a layout held by another live pycontainer: busy at once without waiting, built once the holder is gone', async (t) => {
    const layout = path.join(tmp, 'layout-held');
    // A live process stands in for a pycontainer that holds the lock (its file names it).
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((r) => holder.once('spawn', r));
    try {
      await writeFile(path.join(tmp, '.layout-held.pycontainer-lock'), JSON.stringify({ pid: holder.pid, host: os.hostname(), started: Date.now() }));
      const busy = await build(layout, 'held', { ...process.env, PYCONTAINER_LOCK_WAIT: '0' });
      assert.equal(busy.code, 75);
      assert.equal(busy.stderr, `error: another pycontainer (pid ${holder.pid}) is writing ${layout}; wait for it or choose another --output\n`);
      await assert.rejects(readdir(layout), 'nothing written');
      const waiter = spawn('node', [cli, 'build', '-C', project, '--base-image', stubBase, '-o', layout, '--no-cache', '--tag', 'app:held', '--json'], {
        env: { ...process.env, PYCONTAINER_LOCK_WAIT: '240' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      waiter.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
      const exited = new Promise<number | null>((r) => waiter.once('close', r));
      // It says once that it waits, and waits while the holder lives.
      await new Promise<void>((resolve) => {
        waiter.stderr!.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes('waiting for')) resolve();
        });
      });
      assert.equal(stderr, `waiting for another pycontainer (pid ${holder.pid}) writing ${layout}\n`);
      await new Promise((r) => setTimeout(r, 1000));
      await assert.rejects(readdir(layout), 'nothing written while the holder lives');
      holder.kill('SIGKILL');
      const res = { code: (await exited) ?? -1, stdout, stderr };
      assert.equal(res.code, 0, res.stderr);
      await checkRound(t, layout, ['held'], [res]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('a build killed mid-write leaves a lock the next build takes over, also one already waiting', async (t) => {
    const layout = path.join(tmp, 'layout-kill');
    for (const delay of [300, 700, 1200, 2000]) {
      const killed = spawn('node', [cli, 'build', '-C', project, '--base-image', stubBase, '-o', layout, '--no-cache', '--tag', 'app:killed', '-q'], { stdio: 'ignore' });
      // Listen from the start: a build that finishes before the kill must not leave this pending.
      const gone = new Promise((r) => killed.once('exit', r));
      await new Promise((r) => setTimeout(r, delay / 2));
      // This one may find the layout locked by the doomed build and wait for it.
      const waiting = build(layout, 'next');
      await new Promise((r) => setTimeout(r, delay / 2));
      killed.kill('SIGKILL');
      await gone;
      const res = await waiting;
      assert.equal(res.code, 0, `after a kill at ${delay} ms: ${res.stderr}`);
      await checkRound(t, layout, ['next'], [res]);
    }
  });
});
