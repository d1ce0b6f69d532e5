// linux/arm64 as the base's index spells it (variant v8, as Docker Hub's official images list it): the
// image index we write, to a layout and to a registry, lists arm64 with variant v8, its config says v8,
// and the base's non-root User is kept. Built on an edited copy of the tiny stub base (no Debian base,
// no wheels), so this file costs a few seconds; skopeo and oci-image-tool read the results.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { writeEditedStubBase } from '../support/edited-base.js';
import { startRegistry } from '../support/registry.js';
import { ociImageToolValidate } from '../support/run-image.js';
import { runCli } from '../support/cli.js';
import { needTools, run } from '../support/tools.js';

let tmp: string;
let project: string;
let base: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-variant-'));
  project = path.join(tmp, 'app');
  await mkdir(project);
  await writeFile(path.join(project, 'pyproject.toml'), '[project]\nname = "variant-app"\nversion = "1.0"\n');
  await writeFile(path.join(project, 'main.py'), 'print("hi")\n');
  base = await writeEditedStubBase(path.join(tmp, 'base'), { config: (c) => void (c.config.User = 'nobody') });
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

type Index = { mediaType: string; manifests: { digest: string; platform: { os: string; architecture: string; variant?: string } }[] };
const platforms = (index: Index) => index.manifests.map((m) => m.platform).sort((a, b) => a.architecture.localeCompare(b.architecture));
const EXPECTED = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

/** skopeo's view of one platform's config (it chooses from the index as a runtime on that machine would). */
async function configFor(transport: string, flags: string[], arch: string, variant?: string): Promise<{ architecture: string; variant?: string; config: { User?: string } }> {
  const choose = ['--override-os', 'linux', '--override-arch', arch, ...(variant ? ['--override-variant', variant] : [])];
  return JSON.parse((await run('skopeo', [...choose, 'inspect', '--config', ...flags, transport])).stdout);
}

describe('arm64 keeps the variant v8 of its base', { concurrency: false }, () => {
  test('an OCI layout: the index entry and the config say v8; oci-image-tool validates it', async (t: TestContext) => {
    if (!needTools(t, ['skopeo', 'oci-image-tool'])) return;
    const layout = path.join(tmp, 'layout');
    const built = await runCli(['build', '-C', project, '--base-image', base, '--platform', 'linux/amd64,linux/arm64', '-t', 'variant-app:1', '-o', layout, '--no-cache', '--json']);
    assert.equal(built.code, 0, built.stderr);
    const index = JSON.parse((await run('skopeo', ['inspect', '--raw', `oci:${layout}:1`])).stdout) as Index;
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(platforms(index), EXPECTED);
    const arm = await configFor(`oci:${layout}:1`, [], 'arm64', 'v8');
    assert.equal(arm.architecture, 'arm64');
    assert.equal(arm.variant, 'v8');
    assert.equal(arm.config.User, 'nobody', "the base's non-root User is kept");
    // A runtime that asks for arm64 with no variant gets the same image.
    assert.deepEqual(await configFor(`oci:${layout}:1`, [], 'arm64'), arm);
    const amd = await configFor(`oci:${layout}:1`, [], 'amd64');
    assert.equal(amd.variant, undefined);
    assert.equal(amd.config.User, 'nobody');
    await ociImageToolValidate(layout, '1');

    // The other spelling of the platform gives the same plan, so the same image.
    const [a, b] = [path.join(tmp, 'a.json'), path.join(tmp, 'b.json')];
    for (const [file, platform] of [[a, 'linux/arm64,linux/amd64'], [b, 'linux/amd64,linux/arm64/v8']] as const) {
      const planned = await runCli(['plan', '-C', project, '--base-image', base, '--platform', platform, '-t', 'variant-app:1', '-o', file]);
      assert.equal(planned.code, 0, planned.stderr);
    }
    assert.equal(await readFile(b, 'utf8'), await readFile(a, 'utf8'));
    const top = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    assert.equal(top.manifests[0]!.digest, JSON.parse(built.stdout).digest, 'the layout holds the index the build reported');
  });

  test('a registry: the base pulled from it and the pushed index both list arm64/v8', async (t: TestContext) => {
    if (!needTools(t, ['docker-registry', 'skopeo'])) return;
    const reg = await startRegistry('plain');
    try {
      await run('skopeo', ['copy', '--quiet', '--all', '--preserve-digests', ...reg.skopeoDest, base, `docker://${reg.host}/stub/python:3.11`]);
      const ref = `${reg.host}/variant/app:1`;
      const built = await runCli(['build', '-C', project, '--base-image', `${reg.host}/stub/python:3.11`, '--platform', 'linux/amd64,linux/arm64/v8', '-t', ref, '--push', '--json', '--no-cache']);
      assert.equal(built.code, 0, built.stderr);
      const index = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${ref}`])).stdout) as Index;
      assert.deepEqual(platforms(index), EXPECTED);
      const arm = await configFor(`docker://${ref}`, reg.skopeoFlags, 'arm64', 'v8');
      assert.deepEqual([arm.architecture, arm.variant, arm.config.User], ['arm64', 'v8', 'nobody']);
    } finally {
      await reg.stop();
    }
  });
});
