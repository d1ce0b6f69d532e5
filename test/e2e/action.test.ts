// The GitHub Action run as GitHub runs it: action.yml is read, its composite steps' `run:` scripts are
// executed with bash, `${{ inputs.* }}` / `${{ github.* }}` substituted and the variables a runner sets
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, GITHUB_EVENT_NAME, GITHUB_ACTOR, RUNNER_TEMP).
// One TLS registry with basic auth stands in for ghcr.io: login-registry points the token at it.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { e2eRequired, needTools, run } from '../support/tools.js';

const repo = findRepoRoot();
let tmp: string;
let reg: TestRegistry | undefined;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-action-'));
});
after(async () => {
  await reg?.stop();
  await rm(tmp, { recursive: true, force: true });
});

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; shell: string; run: string; env?: Record<string, string> }[] };
}

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses $GITHUB_OUTPUT: NAME=VALUE lines and NAME<<DELIM ... DELIM blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      assert.ok(end > i, `unterminated ${heredoc[1]} in GITHUB_OUTPUT`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

async function runAction(action: ActionYaml, inputs: Record<string, string>, github: Record<string, string>, workspace: string, name: string): Promise<ActionRun> {
  const dir = path.join(tmp, name);
  await mkdir(dir);
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary') };
  await writeFile(files.GITHUB_OUTPUT, '');
  await writeFile(files.GITHUB_STEP_SUMMARY, '');
  const values: Record<string, string> = {};
  for (const [key, spec] of Object.entries(action.inputs)) values[key] = inputs[key] ?? spec.default ?? '';
  const expression = (text: string) =>
    text.replace(/\$\{\{\s*(inputs|github)\.([\w-]+)\s*\}\}/g, (_, scope: string, key: string) => {
      const table = scope === 'inputs' ? values : github;
      assert.ok(key in table, `action.yml uses ${scope}.${key}`);
      return table[key]!;
    });
  for (const value of Object.values(action.inputs)) if (value.default) value.default = expression(value.default);
  for (const key of Object.keys(values)) values[key] = expression(values[key]!);
  let last: ActionRun | undefined;
  for (const step of action.runs.steps) {
    assert.equal(step.shell, 'bash');
    const env: NodeJS.ProcessEnv = { ...process.env, ...reg?.env, ...files, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: dir, GITHUB_ACTOR: github.actor!, GITHUB_EVENT_NAME: github.event_name!, DOCKER_CONFIG: path.join(tmp, 'docker'), XDG_CACHE_HOME: path.join(tmp, 'cache'), SOURCE_DATE_EPOCH: '' };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expression(v);
    const r = await run('bash', ['-e', '-c', expression(step.run)], { cwd: workspace, env, allowFail: true });
    last = { code: r.code, stdout: r.stdout, stderr: r.stderr, outputs: {}, summary: '' };
    if (r.code !== 0) break;
  }
  const stepOutputs = parseOutputFile(await readFile(files.GITHUB_OUTPUT, 'utf8'));
  const outputs: Record<string, string> = {};
  for (const [key, spec] of Object.entries(action.outputs)) {
    const ref = /steps\.pycontainer\.outputs\.([\w-]+)/.exec(spec.value)?.[1];
    if (ref && ref in stepOutputs) outputs[key] = stepOutputs[ref]!;
  }
  return { ...last!, outputs, summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

test('action.yml: plan summary, PR diff, push with the token, outputs; plan: check fails a stale plan', async (t: TestContext) => {
  if (!needTools(t, ['docker-registry', 'skopeo', 'python3', 'openssl', 'htpasswd'])) return;
  // action.yml is read the way a YAML reader reads it: Debian's python3 with python3-yaml (.ci/run installs it).
  const yamlPython = '/usr/bin/python3';
  if ((await run(yamlPython, ['-c', 'import yaml'], { allowFail: true }).catch(() => ({ code: 1 }))).code !== 0) {
    const reason = `needs ${yamlPython} with the yaml module (apt-get install python3-yaml)`;
    if (e2eRequired()) throw new Error(`${reason}; PYCONTAINER_E2E=required is set, so this is a failure`);
    t.skip(`${reason}; set PYCONTAINER_E2E=required to fail instead`);
    return;
  }
  const action = JSON.parse(
    (await run(yamlPython, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path.join(repo, 'action.yml')])).stdout,
  ) as ActionYaml;
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(Object.keys(action.outputs).sort(), ['digest', 'image', 'plan-summary']);
  for (const input of ['context', 'tags', 'push', 'platforms', 'plan', 'sbom']) assert.ok(input in action.inputs, input);

  reg = await startRegistry('tls-basic');
  const workspace = path.join(tmp, 'workspace');
  await cp(path.join(repo, 'examples/hello-cli'), path.join(workspace, 'app'), { recursive: true });
  await writeFile(path.join(workspace, 'app', 'pycontainer.toml'), '[build]\nbase_image = "scratch"\n');
  const cli = path.join(repo, 'bin', 'pycontainer.js');
  const wrote = await run('node', [cli, 'plan', '--write', '-C', path.join(workspace, 'app')], { env: { ...process.env, SOURCE_DATE_EPOCH: '' }, allowFail: true });
  assert.equal(wrote.code, 0, wrote.stderr);
  // The pull request bumps the version: the committed plan is now stale.
  const pyproject = path.join(workspace, 'app', 'pyproject.toml');
  await writeFile(pyproject, (await readFile(pyproject, 'utf8')).replace('version = "0.3.0"', 'version = "0.4.0"'));

  const github = { action_path: repo, token: reg.password!, actor: reg.username!, event_name: 'pull_request' };
  const tag = `${reg.host}/acme/hello:pr-1`;
  const pushed = await runAction(action, { context: 'app', tags: `${tag}, ${reg.host}/acme/hello:latest`, push: 'true', 'login-registry': reg.host }, github, workspace, 'push');
  assert.equal(pushed.code, 0, pushed.stdout + pushed.stderr);
  assert.ok(pushed.stdout.includes(`::add-mask::${reg.password}`), 'the token is masked before use');
  assert.ok(!pushed.summary.includes(reg.password!) && !Object.values(pushed.outputs).join('\n').includes(reg.password!));

  const digest = pushed.outputs.digest!;
  assert.match(digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(pushed.outputs.image, `${reg.host}/acme/hello@${digest}`);
  const inspected = JSON.parse((await run('skopeo', ['inspect', ...reg.skopeoFlags, `docker://${tag}`], {})).stdout) as { Digest: string };
  assert.equal(inspected.Digest, digest);

  assert.match(pushed.outputs['plan-summary']!, /^hello-cli 0\.4\.0 → .*acme\/hello:pr-1/);
  assert.match(pushed.outputs['plan-summary']!, /\n {2}base {7}scratch\n/);
  assert.ok(pushed.summary.includes(pushed.outputs['plan-summary']!), 'the job summary carries the plan summary');
  assert.match(pushed.summary, /### Changes against the committed plan/);
  assert.match(pushed.summary, /project version: 0\.3\.0 → 0\.4\.0/);
  assert.ok(pushed.summary.includes(`${reg.host}/acme/hello@${digest}`));

  // plan: check on the same stale plan fails before anything is built, and the summary says why.
  const checked = await runAction(action, { context: 'app', tags: tag, plan: 'check' }, { ...github, event_name: 'push' }, workspace, 'check');
  assert.equal(checked.code, 1, checked.stdout + checked.stderr);
  assert.match(checked.stdout, /::error file=app\/pycontainer\.plan\.json::the committed plan is stale/);
  assert.match(checked.summary, /### The committed plan is stale/);
  assert.doesNotMatch(checked.summary, /Changes against the committed plan/, 'no PR diff outside pull requests');
  assert.equal(checked.outputs.digest, undefined);
});
