// What the image's user can do, as the plan states it: the workdir writable (sticky) with the code
// root-owned, build.writable paths owned by the runtime user, passwd entries, and plans refused when
// the image would not start or names a user the base does not have. Planned on the stub base.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ConfigError, PlanError } from '../../src/errors.js';
import { compilePlan } from '../../src/plan/compile.js';
import { findRepoRoot } from '../support/base-image.js';

const STUB = `oci:${join(findRepoRoot(), 'test', 'fixtures', 'stub-base')}:3.11`;
const temps: string[] = [];
after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function planOf(files: Record<string, string>, flags: Record<string, unknown> = {}): Promise<Plan> {
  const dir = await mkdtemp(join(os.tmpdir(), 'pycontainer-user-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return compilePlan({ context: dir, env: {}, cache: null, flags: { baseImage: STUB, ...flags } });
}

const PROJECT = { 'pyproject.toml': '[project]\nname = "w"\nversion = "1"\n', 'main.py': 'print(1)\n', 'data/seed.txt': 'x\n' };
const entry = (plan: Plan, path: string) => plan.layers[0]!.entries.find((e) => e.path === path);

describe('the runtime user and what it may write', () => {
  test('the workdir is 01777 and root-owned; code stays root-owned 0644; the default user gets passwd and group entries', async () => {
    const plan = await planOf(PROJECT);
    assert.deepEqual(entry(plan, 'app'), { path: 'app', type: 'dir', mode: '01777' });
    const main = entry(plan, 'app/main.py')!;
    assert.equal(main.mode, '0644');
    assert.equal(main.uid, undefined);
    assert.match(entry(plan, 'etc/passwd')!.content!, /\nnonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin\n$/);
    assert.match(entry(plan, 'etc/group')!.content!, /\nnonroot:x:65532:\n$/);
    assert.deepEqual(entry(plan, 'home/nonroot'), { path: 'home/nonroot', type: 'dir', mode: '0755', uid: 65532, gid: 65532 });
    assert.equal(plan.images[0]!.config.config!.User, '65532:65532');
  });

  test('build.writable: existing paths handed over recursively, missing directories created, a missing file gets its directories', async () => {
    const plan = await planOf({ ...PROJECT, 'pycontainer.toml': '[build]\ninclude_paths = ["."]\nwritable = ["data", "instance", "db.sqlite3", "logs/app.log"]\n' });
    const owned = (p: string) => [entry(plan, p)?.uid, entry(plan, p)?.gid];
    assert.deepEqual(owned('app/data'), [65532, 65532]);
    assert.deepEqual(owned('app/data/seed.txt'), [65532, 65532]);
    assert.deepEqual(entry(plan, 'app/instance'), { path: 'app/instance', type: 'dir', mode: '0755', uid: 65532, gid: 65532 });
    assert.equal(entry(plan, 'app/db.sqlite3'), undefined, 'a file is left for the app to create in the writable workdir');
    assert.deepEqual(owned('app/logs'), [65532, 65532]);
    assert.equal(entry(plan, 'app/logs/app.log'), undefined);
    assert.deepEqual(owned('app/main.py'), [undefined, undefined]);
  });

  test('as root nothing changes owner; a writable path outside the workdir is a config error', async () => {
    const plan = await planOf({ ...PROJECT, 'pycontainer.toml': '[build]\ninclude_paths = ["."]\nuser = "root"\nwritable = ["data"]\n' });
    assert.equal(entry(plan, 'app/data')!.uid, undefined);
    assert.equal(entry(plan, 'etc/passwd'), undefined);
    await assert.rejects(planOf({ ...PROJECT, 'pycontainer.toml': '[build]\nwritable = ["../etc"]\n' }), (e: unknown) => e instanceof ConfigError && /build\.writable: "\.\.\/etc" is not inside the workdir/.test(e.message));
  });

  test('a named user the base does not have, and a command that is not in the image, are refused in one line', async () => {
    await assert.rejects(
      planOf({ ...PROJECT, 'pycontainer.toml': '[build]\nuser = "www-data"\n' }),
      (e: unknown) => e instanceof ConfigError && e.code === 'E_USER' && /user "www-data" is not in base image .*\/etc\/passwd \(it has root, nobody\)/.test(e.message) && !e.message.includes('\n'),
    );
    await assert.rejects(
      planOf({ ...PROJECT, 'pycontainer.toml': '[build]\nentrypoint = ["/app/.venv/bin/foo"]\n' }),
      (e: unknown) => e instanceof PlanError && e.code === 'E_WOULD_NOT_START' && e.exitCode === 2 && /^the image would not start: entrypoint \/app\/\.venv\/bin\/foo does not exist in the image; set build\.entrypoint/.test(e.message),
    );
    // A numeric user needs no entry.
    const plan = await planOf({ ...PROJECT, 'pycontainer.toml': '[build]\ninclude_paths = ["."]\nuser = "1234:1234"\nwritable = ["data"]\n' });
    assert.equal(entry(plan, 'app/data')!.uid, 1234);
  });
});
