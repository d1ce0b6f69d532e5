// Builds every example with the real CLI on a Debian-made Python base image, checks the layout with
// our own checker, skopeo and oci-image-tool, unpacks it with umoci and runs it with runc.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ensureBaseImage, findRepoRoot, type BaseImage } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { ociImageToolValidate, runImage, skopeoInspect, startImage } from '../support/run-image.js';
import { needTools, run } from '../support/tools.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const TOOLS = ['umoci', 'runc', 'skopeo', 'oci-image-tool', 'apt-get', 'dpkg'];

let tmp: string;
let cacheDir: string;
const bases: Partial<Record<'plain' | 'web', BaseImage>> = {};

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-examples-'));
  cacheDir = path.join(tmp, 'cache');
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function base(variant: 'plain' | 'web'): Promise<BaseImage> {
  return (bases[variant] ??= await ensureBaseImage(variant));
}

interface Built {
  plan: Plan;
  layout: string;
  tag: string;
  result: { digest: string; images: { platform: string; manifest: string; config: string }[]; layers: { diffId: string; digest: string; cached: boolean }[] };
}

/** `pycontainer plan` then `pycontainer apply`, as a user runs them. */
async function buildExample(context: string, baseImage: BaseImage, name: string, extra: string[] = [], cache = cacheDir): Promise<Built> {
  const planFile = path.join(tmp, `${name}.plan.json`);
  const layout = path.join(tmp, `${name}-image`);
  await run('node', [cli, 'plan', '-C', context, '--base-image', baseImage.ref, '-o', planFile, ...extra], { env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  const applied = await run('node', [cli, 'apply', planFile, '-C', context, '-o', layout, '--json', '--cache-dir', cache]);
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
  return { plan, layout, tag: plan.tags[0]!.split(':').pop()!, result: JSON.parse(applied.stdout) };
}

/** The checks every image gets: our layout checker, skopeo, oci-image-tool, and the plan's digests-to-be. */
async function checkImage(built: Built): Promise<void> {
  const report = await checkLayout(built.layout);
  assertLayoutOk(report);
  const inspect = await skopeoInspect(built.layout, built.tag);
  assert.equal(inspect.Digest, built.result.digest);
  await ociImageToolValidate(built.layout, built.tag);
  const image = built.plan.images[0]!;
  assert.equal(built.result.images[0]!.config, image.configDigest, 'config digest equals the plan');
  const manifest = report.manifests.find((m) => m.digest === built.result.digest)!;
  assert.equal(manifest.configDigest, image.configDigest);
  assert.deepEqual(
    manifest.layers.map((l) => l.diffId),
    image.config.rootfs.diff_ids,
    'the layers in the layout have the diff_ids the plan stated',
  );
}

function example(name: string): string {
  return path.join(repo, 'examples', name);
}

describe('examples build into images that run', { concurrency: false }, () => {
  test('hello-cli: console script, importlib.metadata, non-root user, args', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const built = await buildExample(example('hello-cli'), await base('plain'), 'hello-cli');
    await checkImage(built);
    const plain = await runImage(built.layout, built.tag);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, 'Hello, container! hello-cli 0.3.0 on Python 3.11\nrunning as uid 65532 in /app, HOME=/home/nonroot\n');
    const entrypoint = built.plan.images[0]!.config.config!.Entrypoint!;
    const withArgs = await runImage(built.layout, built.tag, { args: [...entrypoint, 'world'] });
    assert.match(withArgs.stdout, /^Hello, world! hello-cli 0\.3\.0/);
    // The script is on PATH by name, too.
    const byName = await runImage(built.layout, built.tag, { args: ['hello', 'PATH'] });
    assert.match(byName.stdout, /^Hello, PATH!/);
  });

  test('hello-cli as root when the config says so', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const built = await buildExample(example('hello-cli'), await base('plain'), 'hello-cli-root', ['--user', 'root']);
    const out = await runImage(built.layout, built.tag);
    assert.match(out.stdout, /running as uid 0 in \/app/);
  });

  test('flat-app: python -m app from __main__.py; .dockerignore respected', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const built = await buildExample(example('flat-app'), await base('plain'), 'flat-app');
    await checkImage(built);
    assert.ok(!built.plan.layers[0]!.entries.some((e) => e.path.includes('tests')), 'tests/ is excluded by .dockerignore');
    const out = await runImage(built.layout, built.tag);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, "flat-app says hi from Python 3.11.2 with args []\n");
  });

  for (const [name, port, body] of [
    ['fastapi-app', 8000, '{"message":"hello from fastapi-app"}'],
    ['flask-app', 5000, 'hello from flask-app\n'],
    ['django-app', 8000, 'hello from django-app\n'],
  ] as const) {
    test(`${name}: serves HTTP on the port the plan exposes`, async (t: TestContext) => {
      if (!needTools(t, TOOLS, { root: true })) return;
      const built = await buildExample(example(name), await base('web'), name);
      await checkImage(built);
      const exposed = Object.keys(built.plan.images[0]!.config.config!.ExposedPorts ?? {});
      assert.deepEqual(exposed, [`${port}/tcp`]);
      const server = await startImage(built.layout, built.tag, { ownNetwork: true });
      try {
        const res = await server.waitForHttp(port, '/', 60_000);
        assert.equal(res.status, 200);
        assert.equal(res.body, body);
      } finally {
        await server.stop();
      }
    });
  }

  test('two clean copies give the same image digest, with or without the cache', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const digests: string[] = [];
    for (const copy of ['copy-a', 'copy-b']) {
      const dir = path.join(tmp, copy, 'hello-cli');
      await cp(example('hello-cli'), dir, { recursive: true });
      const built = await buildExample(dir, await base('plain'), copy, [], path.join(tmp, 'copies-cache'));
      digests.push(built.result.digest);
      assert.equal(built.result.layers[0]!.cached, copy === 'copy-b', 'the second copy reuses the cached layer');
    }
    assert.equal(digests[0], digests[1]);
    const uncached = await run('node', [cli, 'build', '-C', example('hello-cli'), '--base-image', (await base('plain')).ref, '-o', path.join(tmp, 'nocache'), '--no-cache', '-q', '--json']);
    assert.equal(JSON.parse(uncached.stdout).digest, digests[0]);
  });

  test('two builds sharing a cache at once both succeed', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const shared = path.join(tmp, 'shared-cache');
    const b = await base('web');
    const runs = ['x', 'y'].map((n) =>
      run('node', [cli, 'build', '-C', example('django-app'), '--base-image', b.ref, '-o', path.join(tmp, `concurrent-${n}`), '--cache-dir', shared, '--json']),
    );
    const [x, y] = await Promise.all(runs);
    assert.equal(JSON.parse(x!.stdout).digest, JSON.parse(y!.stdout).digest);
    assertLayoutOk(await checkLayout(path.join(tmp, 'concurrent-x')));
    assertLayoutOk(await checkLayout(path.join(tmp, 'concurrent-y')));
  });

  test('apply killed at any point, then run again, leaves a valid layout', async (t: TestContext) => {
    if (!needTools(t, TOOLS, { root: true })) return;
    const b = await base('web');
    const planFile = path.join(tmp, 'kill.plan.json');
    await run('node', [cli, 'plan', '-C', example('flask-app'), '--base-image', b.ref, '-o', planFile]);
    const layout = path.join(tmp, 'kill-image');
    const expected = JSON.parse((await run('node', [cli, 'apply', planFile, '-C', example('flask-app'), '-o', path.join(tmp, 'kill-reference'), '--no-cache', '--json'])).stdout).digest;
    for (const delay of [40, 120, 200, 300, 450]) {
      await killAfter(['node', cli, 'apply', planFile, '-C', example('flask-app'), '-o', layout, '--no-cache', '-q'], delay);
      const again = await run('node', [cli, 'apply', planFile, '-C', example('flask-app'), '-o', layout, '--no-cache', '--json']);
      assert.equal(JSON.parse(again.stdout).digest, expected, `after a kill at ${delay} ms`);
      assertLayoutOk(await checkLayout(layout));
      await rm(layout, { recursive: true, force: true });
    }
  });
});

/** Starts a command and SIGKILLs it after `ms` (if it is still running). */
function killAfter(argv: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
