// A base image's non-root User is kept unless the project configures one (as a Dockerfile FROM keeps
// it); a root User gives way to our non-root default. Planned on edited copies of the stub base.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { compilePlan } from '../../src/plan/compile.js';
import { writeEditedStubBase } from '../support/edited-base.js';

const temps: string[] = [];
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));
async function temp(): Promise<string> {
  const dir = await mkdtemp(join(os.tmpdir(), 'pycontainer-base-user-'));
  temps.push(dir);
  return dir;
}

async function planOn(base: string, files: Record<string, string> = {}, flags: Record<string, unknown> = {}): Promise<Plan> {
  const dir = await temp();
  const all = { 'pyproject.toml': '[project]\nname = "u"\nversion = "1"\n', 'main.py': 'print(1)\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return compilePlan({ context: dir, env: {}, cache: null, flags: { baseImage: base, platform: ['linux/amd64,linux/arm64'], ...flags } });
}

const withUser = async (user: string) => writeEditedStubBase(join(await temp(), 'base'), { config: (c) => void (c.config.User = user) });
const userOf = (plan: Plan) => plan.images.map((i) => i.config.config?.User);

describe("a base image's User", () => {
  test('a non-root User of the base is kept, on every platform, with no passwd entries of ours', async () => {
    const plan = await planOn(await withUser('nobody'));
    assert.deepEqual(userOf(plan), ['nobody', 'nobody']);
    assert.equal(plan.layers[0]!.entries.find((e) => e.path === 'etc/passwd'), undefined);
    // The code stays root-owned; the workdir is writable for whoever runs it.
    assert.equal(plan.layers[0]!.entries.find((e) => e.path === 'app/main.py')?.uid, undefined);
  });

  test('a numeric one too', async () => {
    assert.deepEqual(userOf(await planOn(await withUser('1000:1000'))), ['1000:1000', '1000:1000']);
  });

  test('a configured user wins over the base\'s: the flag, pycontainer.toml', async () => {
    const base = await withUser('nobody');
    assert.deepEqual(userOf(await planOn(base, {}, { user: 'root' })), ['root', 'root']);
    assert.deepEqual(userOf(await planOn(base, { 'pycontainer.toml': '[build]\nuser = "4242:4242"\n' })), ['4242:4242', '4242:4242']);
  });

  test('a root User of the base (root, 0, 0:0) gives our non-root default', async () => {
    for (const user of ['root', '0', '0:0']) {
      assert.deepEqual(userOf(await planOn(await withUser(user))), ['65532:65532', '65532:65532'], user);
    }
  });
});
