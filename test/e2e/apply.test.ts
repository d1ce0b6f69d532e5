// apply against real files: stale plans are refused before anything is published, reruns over an
// existing layout leave no stray blobs, several platforms give an index sharing the app layer.
// Needs no external tools: the layouts are checked by our own independent checker.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { findRepoRoot } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { needTools, run } from '../support/tools.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const stubBase = `oci:${path.join(repo, 'test', 'fixtures', 'stub-base')}:3.11`;
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-apply-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function copyExample(name: string, as: string): Promise<string> {
  const dir = path.join(tmp, as);
  await cp(path.join(repo, 'examples', name), dir, { recursive: true });
  return dir;
}

async function plan(context: string, file: string, extra: string[] = []): Promise<Plan> {
  await run('node', [cli, 'plan', '-C', context, '--base-image', stubBase, '-o', file, ...extra]);
  return JSON.parse(await readFile(file, 'utf8')) as Plan;
}

async function apply(planFile: string, context: string, output: string) {
  return run('node', [cli, 'apply', planFile, '-C', context, '-o', output, '--no-cache', '--json'], { allowFail: true });
}

describe('stale plans are refused, naming what changed', () => {
  const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['an edited file', (d) => appendFile(path.join(d, 'src/hello_cli/cli.py'), '# edit\n'), /src\/hello_cli\/cli\.py changed/],
    ['a new file', (d) => writeFile(path.join(d, 'src/hello_cli/extra.py'), 'x = 1\n'), /src\/hello_cli\/extra\.py was added/],
    ['a removed file', (d) => rm(path.join(d, 'src/hello_cli/__init__.py')), /src\/hello_cli\/__init__\.py was removed/],
    ['a changed pyproject.toml', (d) => appendFile(path.join(d, 'pyproject.toml'), '\n# touched\n'), /pyproject\.toml changed/],
    ['a new lock file', (d) => writeFile(path.join(d, 'requirements.txt'), 'rich==13.7.1\n'), /requirements\.txt was added/],
    ['a changed .dockerignore', (d) => writeFile(path.join(d, '.dockerignore'), '*.md\n'), /\.dockerignore/],
  ];
  for (const [what, change, message] of cases) {
    test(what, async () => {
      const dir = await copyExample('hello-cli', `stale-${what.replace(/\W+/g, '-')}`);
      const planFile = path.join(tmp, `${path.basename(dir)}.json`);
      await plan(dir, planFile);
      await change(dir);
      const out = path.join(tmp, `${path.basename(dir)}-image`);
      const res = await apply(planFile, dir, out);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, /the plan is stale/);
      assert.match(res.stderr, message);
      assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
      await assert.rejects(readdir(out), 'nothing was written');
    });
  }

  test('an edit after the check, while the file streams, still stops apply before publishing', async () => {
    // Same size, different bytes: the listing check passes and only the streaming hash can catch it.
    const dir = await copyExample('hello-cli', 'stale-same-size');
    const planFile = path.join(tmp, 'stale-same-size.json');
    await plan(dir, planFile);
    const file = path.join(dir, 'src/hello_cli/cli.py');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('Hi', 'Yo'));
    const out = path.join(tmp, 'stale-same-size-image');
    const res = await apply(planFile, dir, out);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /src\/hello_cli\/cli\.py changed/);
    await assert.rejects(readFile(path.join(out, 'index.json')), 'no index.json was published');
  });
});

test('a plan of another format version is refused with both versions named', async () => {
  const dir = await copyExample('hello-cli', 'format');
  const planFile = path.join(tmp, 'format.json');
  const p = await plan(dir, planFile);
  await writeFile(planFile, JSON.stringify({ ...p, formatVersion: 99, pycontainerVersion: '9.0.0' }));
  const res = await apply(planFile, dir, path.join(tmp, 'format-image'));
  assert.equal(res.code, 2);
  assert.match(res.stderr, /plan format 99 \(written by pycontainer 9\.0\.0\) cannot be applied by pycontainer \S+, which reads format 1/);
});

test('several platforms give an index; the app layer is shared, base layers are per platform', async () => {
  const dir = await copyExample('fastapi-app', 'multi');
  const planFile = path.join(tmp, 'multi.json');
  const p = await plan(dir, planFile, ['--platform', 'linux/amd64,linux/arm64']);
  const out = path.join(tmp, 'multi-image');
  const res = await apply(planFile, dir, out);
  assert.equal(res.code, 0, res.stderr);
  const result = JSON.parse(res.stdout);
  assert.equal(result.mediaType, 'application/vnd.oci.image.index.v1+json');
  const report = await checkLayout(out);
  assertLayoutOk(report);
  const platforms = report.manifests.filter((m) => m.platform).map((m) => [m.platform!.os, m.platform!.architecture, m.platform!.variant].filter(Boolean).join('/')).sort();
  assert.deepEqual(platforms, ['linux/amd64', 'linux/arm64/v8']);
  const appLayers = report.manifests.filter((m) => m.platform).map((m) => m.layers.at(-1)!.digest);
  assert.equal(new Set(appLayers).size, 1, 'one app layer blob for both platforms');
  const baseLayers = report.manifests.filter((m) => m.platform).map((m) => m.layers[0]!.digest);
  assert.equal(new Set(baseLayers).size, 2, 'each platform has its own base layer');
  for (const [i, image] of p.images.entries()) assert.equal(result.images[i].config, image.configDigest);
});

test('applying over an existing layout replaces the tag and leaves no stray blobs', async () => {
  const dir = await copyExample('flat-app', 'rerun');
  const out = path.join(tmp, 'rerun-image');
  const planFile = path.join(tmp, 'rerun.json');
  await plan(dir, planFile);
  const first = JSON.parse((await apply(planFile, dir, out)).stdout);
  await appendFile(path.join(dir, 'app/report.py'), '# v2\n');
  await plan(dir, planFile);
  const second = JSON.parse((await apply(planFile, dir, out)).stdout);
  assert.notEqual(first.digest, second.digest);
  const report = await checkLayout(out);
  assertLayoutOk(report); // reports stray blobs and temporary files as problems
  const index = JSON.parse(await readFile(path.join(out, 'index.json'), 'utf8'));
  assert.equal(index.manifests.length, 1);
  assert.equal(index.manifests[0].digest, second.digest);
});

test('--output oci-archive:FILE writes one OCI archive that skopeo reads, and nothing else', async (t) => {
  const dir = await copyExample('flat-app', 'archive');
  const file = path.join(tmp, 'archive-out', 'image.tar');
  const res = await run('node', [cli, 'build', '-C', dir, '--base-image', stubBase, '-o', `oci-archive:${file}`, '--no-cache', '--json']);
  const result = JSON.parse(res.stdout);
  assert.equal(result.output, file);
  assert.deepEqual(await readdir(path.dirname(file)), ['image.tar'], 'no staging layout or temp file is left');
  const listing = (await run('tar', ['-tf', file])).stdout.split('\n');
  assert.ok(listing.includes('index.json') && listing.includes('oci-layout'));
  if (!needTools(t, ['skopeo'])) return;
  const inspect = JSON.parse((await run('skopeo', ['inspect', `oci-archive:${file}:1.0.0`])).stdout);
  assert.equal(inspect.Digest, result.digest);
});

test('a cached layer is not served for an edited file: the stale plan is refused before the cache is used', async () => {
  const dir = await copyExample('hello-cli', 'cache-stale');
  const planFile = path.join(tmp, 'cache-stale.json');
  const cache = path.join(tmp, 'cache-stale-cache');
  await plan(dir, planFile);
  const applyCached = (out: string) => run('node', [cli, 'apply', planFile, '-C', dir, '-o', path.join(tmp, out), '--cache-dir', cache, '--json'], { allowFail: true });
  const first = await applyCached('cache-stale-1');
  assert.equal(first.code, 0, first.stderr);
  // Same size, other bytes: only re-hashing the files can tell.
  const file = path.join(dir, 'src/hello_cli/cli.py');
  await writeFile(file, (await readFile(file, 'utf8')).replace('Hi', 'Yo'));
  const second = await applyCached('cache-stale-2');
  assert.equal(second.code, 2);
  assert.match(second.stderr, /the plan is stale: src\/hello_cli\/cli\.py changed/);
  // Re-planned, the edited project gets a new layer, not the cached one.
  await plan(dir, planFile);
  const third = JSON.parse((await applyCached('cache-stale-3')).stdout);
  assert.equal(third.layers[0].cached, false);
  assert.notEqual(third.layers[0].digest, JSON.parse(first.stdout).layers[0].digest);
});

test('a plan written by another pycontainer version of the same format applies', async () => {
  const dir = await copyExample('flat-app', 'other-version');
  const planFile = path.join(tmp, 'other-version.json');
  const p = await plan(dir, planFile);
  await writeFile(planFile, JSON.stringify({ ...p, pycontainerVersion: '0.0.1-other' }));
  const res = await apply(planFile, dir, path.join(tmp, 'other-version-image'));
  assert.equal(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).images[0].config, p.images[0]!.configDigest);
});

/** Every file below `dir` with its bytes, to compare a layout before and after a failed apply. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(path.relative(dir, p), (await readFile(p)).toString('base64'));
    }
  };
  await walk(dir);
  return out;
}

describe('a failed apply leaves the output as it was', () => {
  /** A plan whose base (a copy of the stub base) lost a layer after planning: apply fails after writing the app layer. */
  async function brokenBasePlan(as: string, extra: string[] = []): Promise<{ dir: string; planFile: string }> {
    const dir = await copyExample('hello-cli', as);
    const baseDir = path.join(tmp, `${as}-base`);
    await cp(path.join(repo, 'test', 'fixtures', 'stub-base'), baseDir, { recursive: true });
    const planFile = path.join(tmp, `${as}.json`);
    await run('node', [cli, 'plan', '-C', dir, '--base-image', `oci:${baseDir}:3.11`, '-o', planFile, ...extra]);
    const p = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    await rm(path.join(baseDir, 'blobs', 'sha256', p.base.images[0]!.layers[0]!.digest.slice(7)));
    return { dir, planFile };
  }

  test('into an absent directory: it stays absent, nothing is left beside it', async () => {
    const { dir, planFile } = await brokenBasePlan('fail-absent');
    const parent = path.join(tmp, 'fail-absent-out');
    await mkdir(parent);
    const res = await apply(planFile, dir, path.join(parent, 'image'));
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /^error: base image oci:.*: layer sha256:[0-9a-f]{64} is missing/);
    assert.doesNotMatch(res.stderr, /^\s+at /m);
    assert.deepEqual(await readdir(parent), [], 'no layout, no temporary directory, no lock');
  });

  test('into an existing layout: index.json and every blob are as before', async () => {
    const out = path.join(tmp, 'fail-existing-image');
    const other = await copyExample('flat-app', 'fail-existing-first');
    const firstPlan = path.join(tmp, 'fail-existing-first.json');
    await plan(other, firstPlan);
    assert.equal((await apply(firstPlan, other, out)).code, 0);
    const before = await snapshot(out);
    // Another platform: its base layer is not in the layout yet, so apply must fetch it, and fails.
    const { dir, planFile } = await brokenBasePlan('fail-existing', ['--platform', 'linux/arm64']);
    const res = await apply(planFile, dir, out);
    assert.equal(res.code, 2, res.stderr);
    assert.deepEqual(await snapshot(out), before);
    assertLayoutOk(await checkLayout(out));
  });
});

describe('outputs refused in one line, exit 2, nothing written', () => {
  test('-o oci-archive: with no path', async () => {
    const dir = await copyExample('flat-app', 'empty-archive');
    const cwd = path.join(tmp, 'empty-archive-cwd');
    await mkdir(cwd);
    const res = await run('node', [cli, 'build', '-C', dir, '--base-image', stubBase, '-o', 'oci-archive:', '--no-cache'], { cwd, allowFail: true });
    assert.equal(res.code, 2);
    assert.equal(res.stderr, 'error: --output "oci-archive:" names no file; write oci-archive:FILE, e.g. oci-archive:dist/image.tar\n');
    assert.deepEqual(await readdir(cwd), []);
  });

  test('--cache-dir naming a file', async () => {
    const dir = await copyExample('flat-app', 'cache-file');
    const file = path.join(tmp, 'cache-file.txt');
    await writeFile(file, 'not a cache');
    const out = path.join(tmp, 'cache-file-image');
    const res = await run('node', [cli, 'build', '-C', dir, '--base-image', stubBase, '-o', out, '--cache-dir', file], { allowFail: true });
    assert.equal(res.code, 2);
    assert.equal(res.stderr, `error: --cache-dir ${file} is not a directory; name a directory (it is created when missing) or pass --no-cache\n`);
    await assert.rejects(readdir(out));
  });

  for (const [what, edit, why] of [
    ['an absolute path', (t: string) => path.join(t, 'elsewhere-abs'), 'is an absolute path'],
    ['a path leaving the project', () => '../elsewhere-rel', 'is outside the project'],
    ['oci: and a path leaving the project', () => 'oci:dist/../../elsewhere-oci', 'is outside the project'],
  ] as const) {
    test(`a plan whose output was edited to ${what}`, async () => {
      const dir = await copyExample('flat-app', `edited-${what.replace(/\W+/g, '-')}`);
      const planFile = path.join(dir, 'pycontainer.plan.json');
      const p = await plan(dir, planFile);
      const output = edit(tmp);
      await writeFile(planFile, JSON.stringify({ ...p, output }));
      const before = await readdir(tmp);
      const res = await run('node', [cli, 'apply', '-C', dir, '--no-cache'], { allowFail: true });
      assert.equal(res.code, 2, res.stderr);
      assert.equal(
        res.stderr,
        `error: pycontainer.plan.json: output "${output}" ${why}; a plan may only write inside its project directory: pass -o/--output to write elsewhere\n`,
      );
      assert.deepEqual(await readdir(tmp), before, 'nothing written beside the project');
    });
  }

  test('a plan output leading out of the project through a symlink', async () => {
    const dir = await copyExample('flat-app', 'edited-symlink');
    const planFile = path.join(dir, 'pycontainer.plan.json');
    const p = await plan(dir, planFile);
    await run('ln', ['-s', tmp, path.join(dir, 'escape')]);
    await writeFile(planFile, JSON.stringify({ ...p, output: 'escape/symlinked-image' }));
    const res = await run('node', [cli, 'apply', '-C', dir, '--no-cache'], { allowFail: true });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /output "escape\/symlinked-image" leads outside the project through a symlink; .* pass -o\/--output/);
    await assert.rejects(readdir(path.join(tmp, 'symlinked-image')));
  });

  test('the plan output inside the project, and -o anywhere, still apply', async () => {
    const dir = await copyExample('flat-app', 'edited-ok');
    const planFile = path.join(dir, 'pycontainer.plan.json');
    const p = await plan(dir, planFile);
    await writeFile(planFile, JSON.stringify({ ...p, output: 'oci:build/image' }));
    const inside = await run('node', [cli, 'apply', '-C', dir, '--no-cache', '-q'], { allowFail: true });
    assert.equal(inside.code, 0, inside.stderr);
    assertLayoutOk(await checkLayout(path.join(dir, 'build', 'image')));
    const elsewhere = path.join(tmp, 'edited-ok-elsewhere');
    const res = await run('node', [cli, 'apply', '-C', dir, '--no-cache', '-q', '-o', elsewhere], { allowFail: true });
    assert.equal(res.code, 0, res.stderr);
    assertLayoutOk(await checkLayout(elsewhere));
  });
});
