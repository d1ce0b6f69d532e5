// Where apply writes: -o forms, empty paths refused, and a plan's own output kept inside its project.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { checkPlanOutput, outputTarget } from '../../src/cli/apply.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const planWith = (output: string) => ({ output }) as Plan;

test('-o takes oci:DIR, DIR and oci-archive:FILE relative to the working directory; the plan output is relative to the context', () => {
  assert.deepEqual(outputTarget('oci:out/img', planWith('x'), '/ctx', '/cwd'), { kind: 'layout', path: '/cwd/out/img' });
  assert.deepEqual(outputTarget('out/img', planWith('x'), '/ctx', '/cwd'), { kind: 'layout', path: '/cwd/out/img' });
  assert.deepEqual(outputTarget('oci-archive:img.tar', planWith('x'), '/ctx', '/cwd'), { kind: 'archive', path: '/cwd/img.tar' });
  assert.deepEqual(outputTarget(undefined, planWith('oci:dist/image'), '/ctx', '/cwd'), { kind: 'layout', path: '/ctx/dist/image' });
  assert.deepEqual(outputTarget(undefined, planWith('oci-archive:dist/image.tar'), '/ctx', '/cwd'), { kind: 'archive', path: '/ctx/dist/image.tar' });
});

test('an output with no path is refused instead of naming the working directory', () => {
  assert.throws(() => outputTarget('oci-archive:', planWith('x'), '/ctx', '/cwd'), /--output "oci-archive:" names no file; write oci-archive:FILE/);
  assert.throws(() => outputTarget('oci:', planWith('x'), '/ctx', '/cwd'), /--output "oci:" names no directory; write oci:DIR/);
  assert.throws(() => outputTarget('', planWith('x'), '/ctx', '/cwd'), /names no directory/);
  assert.throws(() => outputTarget(undefined, planWith('oci:'), '/ctx', '/cwd'), /the plan's output "oci:" names no directory/);
});

test("a plan's output must stay inside the project, also through symlinks", async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'pyc-output-'));
  dirs.push(root);
  const ctx = path.join(root, 'project');
  await mkdir(path.join(ctx, 'dist'), { recursive: true });
  await symlink(root, path.join(ctx, 'out'));
  await checkPlanOutput(planWith('oci:dist/image'), ctx, 'plan.json');
  await checkPlanOutput(planWith('build/new/image'), ctx, 'plan.json');
  const refused = async (output: string, why: RegExp) =>
    assert.rejects(checkPlanOutput(planWith(output), ctx, 'plan.json'), (err: Error & { code: string; exitCode: number }) => {
      assert.match(err.message, why);
      assert.match(err.message, /^plan\.json: output ".*" .*; a plan may only write inside its project directory: pass -o\/--output to write elsewhere$/);
      assert.equal(err.code, 'E_PLAN_OUTPUT');
      assert.equal(err.exitCode, 2);
      return true;
    });
  await refused('/etc/image', /is an absolute path/);
  await refused('oci:/srv/image', /is an absolute path/);
  await refused('../image', /is outside the project/);
  await refused('dist/../../image', /is outside the project/);
  await refused('.', /is outside the project/);
  await refused('out/image', /leads outside the project through a symlink/);
});
