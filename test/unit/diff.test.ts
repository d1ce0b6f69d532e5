// `pycontainer diff`: the semantic changes between two plans (planChanges, formatChanges), the unified
// diff of their canonical form, and the command as a user runs it (exit codes like diff(1), no colors
// when piped). Also `plan --explain`'s renderer (explainPlan).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { DependencyLayer, LockedWheel, Plan } from '../../generated/plan.js';
import { compilePlan } from '../../src/plan/compile.js';
import { formatChanges, planChanges, shortDigest, totals, unifiedPlanDiff } from '../../src/plan/diff.js';
import { formatBytes } from '../../src/plan/summary.js';
import { explainPlan } from '../../src/plan/explain.js';
import { parsePlan, serializePlan, writePlan } from '../../src/plan/file.js';
import { findRepoRoot } from '../support/base-image.js';
import { runCli as runPycontainer } from '../support/cli.js';
import { tempDirs } from '../support/temp.js';

const root = findRepoRoot();
const STUB = `oci:${root}/test/fixtures/stub-base:3.11`;
const ANSI = /\x1b\[/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runPycontainer(args, { ...options, env: { XDG_CACHE_HOME: join(os.tmpdir(), 'pycontainer-diff-test-cache'), ...options.env } });
}

const tempDir = tempDirs('pycontainer-diff-');

async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function compile(dir: string): Promise<Plan> {
  return compilePlan({ context: dir, cwd: root, env: {}, cache: null, flags: { baseImage: STUB } });
}

const PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n';

function wheel(name: string, version: string): LockedWheel {
  const sha256 = Buffer.from(`${name}-${version}`).toString('hex').padEnd(64, '0').slice(0, 64);
  return { name, version, filename: `${name}-${version}-py3-none-any.whl`, url: `https://files.example/${name}-${version}-py3-none-any.whl`, sha256, size: 1000, requested: true };
}

function depLayer(platform: string, packages: LockedWheel[]): DependencyLayer {
  return {
    platform,
    lock: 'uv.lock',
    target: { python: '3.11', libc: 'glibc 2.36', tag: 'manylinux_2_36_x86_64' },
    mtime: 0,
    packages,
    layers: [{ name: 'deps', createdBy: 'pycontainer: dependencies from uv.lock', diffId: `sha256:${'1'.repeat(64)}`, size: 4096, packages: packages.map((p) => p.name) }],
  };
}

function clone(plan: Plan): Plan {
  return JSON.parse(JSON.stringify(plan)) as Plan;
}

describe('pycontainer diff', () => {
  let planA: Plan;
  let planB: Plan;
  let depsA: Plan;
  let depsB: Plan;
  let dirA: string;
  let files: Record<string, string>;

  before(async () => {
    dirA = await project({ 'pyproject.toml': PYPROJECT, 'main.py': 'print("hi")\n', 'util.py': 'X = 1\n' });
    const dirB = await project({ 'pyproject.toml': PYPROJECT, 'main.py': 'print("hello, world")\n', 'extra.py': 'Y = 2\n' + '#'.repeat(1200) + '\n' });
    planA = await compile(dirA);
    planB = await compile(dirB);
    // A fake dependency upgrade and a new base digest, by editing plan objects.
    depsA = clone(planA);
    depsA.dependencies = [depLayer('linux/amd64', [wheel('certifi', '2024.2.2'), wheel('idna', '3.6'), wheel('urllib3', '2.2.1')])];
    depsB = clone(depsA);
    depsB.dependencies = [depLayer('linux/amd64', [wheel('certifi', '2024.2.2'), wheel('requests', '2.32.3'), wheel('urllib3', '2.2.2')])];
    depsB.base.digest = `sha256:${'b'.repeat(64)}`;
    depsB.annotations['org.opencontainers.image.base.digest'] = depsB.base.digest;
    const out = await tempDir();
    files = { a: join(out, 'a.json'), b: join(out, 'b.json'), depsA: join(out, 'deps-a.json'), depsB: join(out, 'deps-b.json') };
    await writePlan(files.a!, planA);
    await writePlan(files.b!, planB);
    await writePlan(files.depsA!, depsA);
    await writePlan(files.depsB!, depsB);
  });

  test('planChanges: files added, removed and changed, with sizes; generated venv files count', () => {
    const changes = planChanges(planA, planB);
    const files = changes.filter((c) => c.section === 'files');
    assert.deepEqual(
      files.map((c) => [c.kind, c.subject]),
      [
        ['added', 'app/extra.py'],
        ['changed', 'app/main.py'],
        ['removed', 'app/util.py'],
      ],
    );
    const main = files.find((c) => c.subject === 'app/main.py')!;
    assert.equal(main.sizeBefore, 12);
    assert.equal(main.sizeAfter, 22);
    const text = formatChanges(changes, { color: false });
    assert.match(text, /^files:$/m);
    assert.match(text, /^ {2}\+ app\/extra\.py \(1\.2 kB\)$/m);
    assert.match(text, /^ {2}~ app\/main\.py 12 B → 22 B$/m);
    assert.match(text, /^ {2}- app\/util\.py \(6 B\)$/m);
    assert.match(text, /^1 file changed, 1 file added, 1 file removed$/m);

    // A generated file (venv) whose content changes is a changed file too.
    const edited = clone(planA);
    const venvFile = edited.layers[0]!.entries.find((e) => e.content !== undefined)!;
    venvFile.content = `${venvFile.content}# edited\n`;
    venvFile.size = (venvFile.size ?? 0) + 9;
    venvFile.sha256 = 'f'.repeat(64);
    assert.deepEqual(
      planChanges(planA, edited).map((c) => [c.section, c.kind, c.subject]),
      [['files', 'changed', venvFile.path]],
    );
  });

  test('planChanges: dependency upgrade, addition, removal, and a base digest change', () => {
    const changes = planChanges(depsA, depsB);
    const deps = changes.filter((c) => c.section === 'dependencies');
    assert.deepEqual(
      deps.map((c) => [c.kind, c.subject, c.before, c.after, c.version]),
      [
        ['removed', 'idna', '3.6', undefined, undefined],
        ['added', 'requests', undefined, '2.32.3', undefined],
        ['changed', 'urllib3', '2.2.1', '2.2.2', 'upgraded'],
      ],
    );
    const base = changes.filter((c) => c.section === 'base');
    assert.deepEqual(base.map((c) => [c.subject, c.before, c.after]), [['digest', planA.base.digest, depsB.base.digest]]);
    // The base annotation repeats the base change: not listed again.
    assert.equal(changes.filter((c) => c.section === 'annotations').length, 0);
    const text = formatChanges(changes, { color: false });
    const ref = planA.base.ref;
    assert.ok(text.includes(`base: ${ref} sha256:f3e3076cccfe… → sha256:bbbbbbbbbbbb…\n`), text);
    assert.match(text, /^dependencies:\n {2}- idna 3\.6\n {2}\+ requests 2\.32\.3\n {2}~ urllib3 2\.2\.1 → 2\.2\.2$/m);
    assert.match(text, /^1 dependency upgraded, 1 dependency added, 1 dependency removed, base image updated$/m);
    assert.ok(!ANSI.test(text));
  });

  test('planChanges: a downgrade and a wheel replaced at the same version', () => {
    const a = clone(depsA);
    const b = clone(depsA);
    b.dependencies![0]!.packages = [wheel('certifi', '2023.1.1'), { ...wheel('idna', '3.6'), filename: 'idna-3.6-py3-none-manylinux.whl' }, wheel('urllib3', '2.2.1')];
    const deps = planChanges(a, b).filter((c) => c.section === 'dependencies');
    assert.deepEqual(deps.map((c) => [c.subject, c.version]), [['certifi', 'downgraded'], ['idna', 'wheel']]);
    assert.equal(totals(deps), '1 dependency downgraded, 1 dependency with another wheel');
  });

  test('planChanges: config fields, tags, platforms, output; identical changes on every platform shown once', () => {
    const a = clone(planA);
    const b = clone(planA);
    const cfg = b.images[0]!.config.config;
    cfg.Env = [...(cfg.Env ?? []).filter((e) => !e.startsWith('PYTHONUNBUFFERED=')), 'LOG_LEVEL=debug'];
    cfg.Env = cfg.Env.map((e) => (e.startsWith('HOME=') ? 'HOME=/root' : e));
    cfg.User = 'root';
    cfg.WorkingDir = '/srv';
    cfg.ExposedPorts = { '8080/tcp': {} };
    cfg.Cmd = ['/app/.venv/bin/python', 'serve.py'];
    cfg.Labels = { ...cfg.Labels, 'org.opencontainers.image.source': 'https://example.org/repo' };
    b.tags = ['demo:2.0'];
    b.output = 'build/image';
    const text = formatChanges(planChanges(a, b), { color: false });
    for (const line of [
      '  + Env LOG_LEVEL=debug',
      '  ~ Env HOME: /home/nonroot → /root',
      '  - Env PYTHONUNBUFFERED=1',
      '  ~ User: 65532:65532 → root',
      '  ~ WorkingDir: /app → /srv',
      '  + ExposedPorts 8080/tcp',
      '  + Labels org.opencontainers.image.source https://example.org/repo',
      '  + demo:2.0',
      '  - demo:1.0',
      'output: dist/image → build/image',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${text}`);
    }
    assert.match(text, /^ {2}~ Cmd: \["\/app\/.venv\/bin\/python","main.py"\] → \["\/app\/.venv\/bin\/python","serve.py"\]$/m);

    // Two platforms: a change on both is listed once; one on a single platform names it.
    const two = clone(planA);
    two.platforms = ['linux/amd64', 'linux/arm64'];
    two.images = [two.images[0]!, { ...clone(two).images[0]!, platform: 'linux/arm64' }];
    const twoB = clone(two);
    for (const i of twoB.images) i.config.config.User = 'root';
    twoB.images[1]!.config.config.WorkingDir = '/srv';
    const changes = planChanges(two, twoB);
    assert.deepEqual(
      changes.map((c) => [c.subject, c.platform]),
      [
        ['User', undefined],
        ['WorkingDir', 'linux/arm64'],
      ],
    );
    const shown = formatChanges(changes, { color: false });
    assert.match(shown, /^config:\n {2}~ User: 65532:65532 → root\nconfig \(linux\/arm64\):\n {2}~ WorkingDir: \/app → \/srv$/m);

    const dropped = clone(two);
    dropped.platforms = ['linux/amd64'];
    dropped.images = [dropped.images[0]!];
    assert.deepEqual(planChanges(two, dropped).map((c) => [c.section, c.kind, c.subject]), [['platforms', 'removed', 'linux/arm64']]);
  });

  test('no changes; colors only when asked', () => {
    assert.deepEqual(planChanges(planA, clone(planA)), []);
    assert.equal(formatChanges([], { color: false }), 'no changes\n');
    assert.equal(unifiedPlanDiff(planA, clone(planA), { color: false, labelA: 'a', labelB: 'b' }), '');
    const colored = formatChanges(planChanges(depsA, depsB), { color: true });
    assert.ok(colored.includes('\x1b[32m+ requests 2.32.3\x1b[0m'), colored);
    assert.ok(colored.includes('\x1b[31m- idna 3.6\x1b[0m'), colored);
    assert.ok(colored.includes('\x1b[33m~ urllib3 2.2.1 → 2.2.2\x1b[0m'), colored);
    assert.ok(colored.includes('\x1b[1mdependencies:\x1b[0m'), colored);
    const patch = unifiedPlanDiff(depsA, depsB, { color: true, labelA: 'a', labelB: 'b' });
    assert.ok(patch.includes('\x1b[1m--- a'), patch);
    assert.match(patch, /\x1b\[32m\+ +\{ "filename": "requests-2\.32\.3/);
  });

  test('a difference outside the summarized fields is still reported', () => {
    const b = clone(planA);
    b.layers[0]!.exclude = [...b.layers[0]!.exclude, 'docs'];
    const changes = planChanges(planA, b);
    assert.equal(changes.length, 1);
    assert.match(formatChanges(changes, { color: false }), /^plan: other fields differ/m);
  });

  test('the unified diff is of the canonical plans and holds the changed lines', () => {
    const patch = unifiedPlanDiff(depsA, depsB, { color: false, labelA: 'old.json', labelB: 'new.json' });
    const lines = patch.split('\n');
    assert.equal(lines[0], '--- old.json');
    assert.equal(lines[1], '+++ new.json');
    assert.ok(lines.includes(`-    "digest": "${planA.base.digest}",`), patch);
    assert.ok(lines.includes(`+    "digest": "sha256:${'b'.repeat(64)}",`), patch);
    assert.ok(lines.some((l) => l.startsWith('+') && l.includes('"filename": "urllib3-2.2.2-py3-none-any.whl"')), patch);
    assert.ok(lines.some((l) => l.startsWith('-') && l.includes('"filename": "idna-3.6-py3-none-any.whl"')), patch);
    // Only lines of the canonical form: a serialized plan line for every context line.
    const canonical = new Set([...serializePlan(depsA).split('\n'), ...serializePlan(depsB).split('\n')]);
    for (const l of lines.filter((l) => l.startsWith(' '))) assert.ok(canonical.has(l.slice(1)), l);
  });

  test('CLI: a dependency upgrade and a base update; exit 1; no ANSI codes when piped', async () => {
    const r = await runCli(['diff', files.depsA!, files.depsB!]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(!ANSI.test(r.stdout), r.stdout);
    const [summary, patch] = r.stdout.split('\n\n');
    assert.ok(summary!.startsWith(`base: ${planA.base.ref} sha256:f3e3076cccfe… → sha256:bbbbbbbbbbbb…\n`), r.stdout);
    assert.ok(summary!.includes('\n  ~ urllib3 2.2.1 → 2.2.2\n'), r.stdout);
    assert.ok(summary!.endsWith('1 dependency upgraded, 1 dependency added, 1 dependency removed, base image updated'), r.stdout);
    assert.ok(patch!.startsWith(`--- ${files.depsA}\n+++ ${files.depsB}\n@@ `), r.stdout);
    assert.ok(patch!.includes(`\n+    "digest": "sha256:${'b'.repeat(64)}",\n`), r.stdout);
  });

  test('CLI: project file changes; --summary; --json', async () => {
    const r = await runCli(['diff', '--summary', files.a!, files.b!]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        'files:',
        '  + app/extra.py (1.2 kB)',
        '  ~ app/main.py 12 B → 22 B',
        '  - app/util.py (6 B)',
        // The layer those changes rebuild (build.layers).
        'layers:',
        `  ~ app ${shortDigest(planA.layers[0]!.diffId)} → ${shortDigest(planB.layers[0]!.diffId)} (${formatBytes(planB.layers[0]!.size)})`,
        '1 file changed, 1 file added, 1 file removed',
        '',
      ].join('\n'),
    );
    const j = await runCli(['diff', '--json', files.depsA!, files.depsB!]);
    assert.equal(j.code, 1, j.stderr);
    const parsed = JSON.parse(j.stdout) as { identical: boolean; changes: { section: string; subject: string }[] };
    assert.equal(parsed.identical, false);
    assert.deepEqual(parsed.changes.map((c) => `${c.section} ${c.subject}`), ['base digest', 'dependencies idna', 'dependencies requests', 'dependencies urllib3']);
  });

  test('CLI: identical plans exit 0 with "no changes"; stdin and a project directory as sides', async () => {
    const same = await runCli(['diff', files.a!, files.a!]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'no changes\n');
    // The plan on stdin, formatted differently: plans compare in canonical form.
    const piped = await runCli(['diff', '-', files.a!], { stdin: JSON.stringify(planA) });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, 'no changes\n');
    // A directory is compiled now.
    const dir = await runCli(['diff', '--base-image', STUB, files.a!, dirA]);
    assert.equal(dir.code, 0, `${dir.stderr}\n${dir.stdout}`);
    await writeFile(join(dirA, 'new_module.py'), 'Z = 3\n');
    const changed = await runCli(['diff', '--summary', '--base-image', STUB, files.a!, dirA]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^ {2}\+ app\/new_module\.py \(6 B\)$/m);
  });

  test('CLI: errors exit 2 with a message', async () => {
    const missing = await runCli(['diff', files.a!, join(os.tmpdir(), 'pycontainer-no-such-plan.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: .*pycontainer-no-such-plan\.json: no such plan file or project directory/);
    const bad = await tempDir();
    await writeFile(join(bad, 'bad.json'), '{"kind": "something else"}');
    const notPlan = await runCli(['diff', files.a!, join(bad, 'bad.json')]);
    assert.equal(notPlan.code, 2);
    assert.match(notPlan.stderr, /not a pycontainer plan/);
    const twoStdin = await runCli(['diff', '-', '-']);
    assert.equal(twoStdin.code, 2);
    assert.match(twoStdin.stderr, /only one side/);
  });

  test('parsePlan accepts the edited plans (the fixtures are valid plans)', () => {
    for (const f of Object.values(files)) assert.ok(existsSync(f) && parsePlan(readFileSync(f, 'utf8'), f));
  });
});

describe('explainPlan', () => {
  test('one aligned line per provenance entry: setting, value from the plan, source', async () => {
    const dir = await project({
      'pyproject.toml': PYPROJECT,
      'main.py': 'print("hi")\n',
      'pycontainer.toml': '[build]\nworkdir = "/srv"\n\n[build.env]\nLOG_LEVEL = "info"\n',
    });
    const plan = await compile(dir);
    const text = explainPlan(plan);
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^setting +value +from$/);
    const row = (key: string) => lines.find((l) => l.startsWith(`${key} `));
    assert.match(row('build.workdir')!, /^build\.workdir +\/srv +pycontainer\.toml:2$/);
    assert.match(row('build.env.LOG_LEVEL')!, /^build\.env\.LOG_LEVEL +LOG_LEVEL=info +pycontainer\.toml:5$/);
    assert.match(row('python')!, /^python +3\.11\.2 +base image \/usr\/local\/bin\/python3\.11/);
    assert.match(row('build.base_image')!, new RegExp(`^build\\.base_image +${plan.base.ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@sha256:f3e3076cccfe\\S+ +flag --base-image$`));
    assert.match(row('build.entrypoint')!, /^build\.entrypoint +cmd \["\/srv\/\.venv\/bin\/python","main\.py"\] +detected: top-level main\.py$/);
    assert.match(row('build.include_paths')!, /^build\.include_paths +\. +detected: the whole context/);
    assert.match(row('build.user')!, /^build\.user +65532:65532 +default/);
    // Short values line their sources up in one column.
    const col = (l: string) => l.lastIndexOf('  ') + 2;
    assert.equal(col(row('build.workdir')!), col(row('build.user')!));
    assert.equal(col(row('build.workdir')!), col(lines[0]!));
    assert.ok(text.endsWith('\n'));
  });
});
