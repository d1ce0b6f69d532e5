/**
 * `npm run bench`: how long pycontainer takes, and how much memory it needs, to turn a large Python
 * project into an application layer, next to what a shell would do (tar | gzip -6 | sha256sum, and
 * tar | pigz -6 -p 2 | sha256sum), to rebuild it (nothing changed; one .py file changed), to plan it,
 * and to push that image to a registry, next to `skopeo copy` of the same image, and as a CI job would
 * (an empty cache, one .py file changed, the registry holding the last image). What a file costs in
 * memory: cold builds of code-only projects of BENCH_PY_FILES and twice as many of the same files,
 * (peak RSS of the larger − that of the smaller) / BENCH_PY_FILES. Then, for a
 * dependency-heavy project (deps-project.ts: 60 wheels, ~300 MB installed): cold build, rebuild after
 * one package is upgraded, and the push of that upgrade (bytes uploaded).
 *
 * This is a measurement, not a test: nothing about timing or memory is asserted. It prints a table
 * and writes the figures to test/.cache/bench/last.json.
 *
 * Knobs (environment variables, defaults in brackets):
 *   BENCH_PY_FILES [10000]  small .py files, spread over BENCH_PACKAGES [100] subpackages
 *   BENCH_BLOBS [20] × BENCH_BLOB_MB [10]  pseudo-random data files
 *   BENCH_REPS [3]  repetitions of each scenario (the median is reported)
 *   BENCH_NODE_OPTIONS  extra NODE_OPTIONS for the pycontainer child (e.g. --heap-prof)
 *   BENCH_PUSH [1]  0 skips the push scenarios
 *   BENCH_WHEELS [1]  0 skips the wheel-install scenarios
 *   BENCH_DIR [test/.cache/bench]  where the generated projects and last.json are kept
 *   BENCH_DEPS [1]  0 skips the dependency-heavy project (its wheels are generated once, ~5 min)
 *
 * The scenarios run on a private copy of the generated project (the one-file edit must not disturb
 * another run reading test/.cache/bench/project).
 *
 * The push scenarios run against one CNCF distribution registry (`docker-registry`, plain HTTP on
 * loopback) that the bench starts and stops; without `docker-registry` or `skopeo` they are skipped.
 *
 * The wheel-install scenarios run after the others: wheelsLayerTar installing Debian's pip,
 * setuptools and wheel wheels (and the fastsum C extension wheel when gcc is there) into a venv as
 * one tar file (install-wheels.js), next to `pip install --no-deps --target DIR` of the same wheel
 * files with the host's pip. Without apt-get/dpkg (Debian's wheels) or `python3 -m pip` they are
 * skipped.
 */
import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { COMPRESSION } from '../../src/oci/compress.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { curlPushFloor, layoutBlobDigests, layoutTag, missingPushTools, unlinkBlobs } from './push.js';
import { prepareDepsProject, UPGRADED, writeDepsLock } from './deps-project.js';
import { ensureBaseImage } from '../support/base-image.js';
import { compareInstalls, prepareWheels, tarStats, treeStats, type TarStats, type TreeStats } from './wheels.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the generated projects and last.json live; BENCH_DIR moves them (e.g. for a small trial run). */
const BENCH_DIR = process.env.BENCH_DIR ? resolve(process.env.BENCH_DIR) : join(REPO, 'test', '.cache', 'bench');
const PROJECT = join(BENCH_DIR, 'project');
const STAMP = join(BENCH_DIR, 'project.stamp.json');
// The npm bin, run as `node bin/pycontainer.js` (what its `#!/usr/bin/env node` line does): every launcher
// (npm, the Python package, the GitHub Action) starts this file, which sets pycontainer's V8 flags itself.
const CLI = join(REPO, 'bin', 'pycontainer.js');
const INSTALL_WHEELS = join(REPO, 'dist', 'test', 'bench', 'install-wheels.js');
/** The venv the wheel-install scenario installs into. */
const WHEEL_VENV = '/app/.venv';
const GENERATOR_VERSION = 1;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw}: expected a whole number`);
  return n;
}

const PARAMS = {
  generator: GENERATOR_VERSION,
  pyFiles: intEnv('BENCH_PY_FILES', 10_000),
  packages: Math.max(1, intEnv('BENCH_PACKAGES', 100)),
  blobs: intEnv('BENCH_BLOBS', 20),
  blobMiB: intEnv('BENCH_BLOB_MB', 10),
};
const REPS = Math.max(1, intEnv('BENCH_REPS', 3));
const PUSH = intEnv('BENCH_PUSH', 1) !== 0;
const WHEELS = intEnv('BENCH_WHEELS', 1) !== 0;
const DEPS = intEnv('BENCH_DEPS', 1) !== 0;

// ---------------------------------------------------------------------------------------------
// The project

/** A small module with deterministic, slightly varied content (a few hundred bytes). */
function moduleText(pkg: number, mod: number): string {
  const h = createHash('sha256').update(`bigproj/${pkg}/${mod}`).digest('hex');
  return [
    `"""bigproj.pkg_${pad(pkg, 3)}.mod_${pad(mod, 3)}: generated for the pycontainer benchmark."""`,
    '',
    'from __future__ import annotations',
    '',
    `TOKEN = "${h}"`,
    `WEIGHTS = (${[0, 1, 2, 3].map((i) => parseInt(h.slice(i * 4, i * 4 + 4), 16)).join(', ')})`,
    '',
    '',
    `def compute_${pad(mod, 3)}(x: int) -> int:`,
    `    """Mixes x with this module's weights."""`,
    '    total = x',
    '    for w in WEIGHTS:',
    `        total = (total * 31 + w) % ${1_000_003 + pkg * 7 + mod}`,
    '    return total',
    '',
  ].join('\n');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A data file of `bytes` pseudo-random bytes: AES-256-CTR keystream (key from the file's name), with
 * every other 64 KiB chunk written as hex text, so gzip has real work and the output is neither
 * incompressible noise only nor trivially small. Streamed: no file-sized buffer.
 */
function blobStream(index: number, bytes: number): Readable {
  const key = createHash('sha256').update(`bigproj-blob-${index}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const CHUNK = 64 * 1024;
  const zeros = Buffer.alloc(CHUNK);
  let produced = 0;
  let n = 0;
  return new Readable({
    read() {
      if (produced >= bytes) {
        this.push(null);
        return;
      }
      const want = Math.min(CHUNK, bytes - produced);
      let chunk: Buffer;
      if (n++ % 2 === 0) chunk = cipher.update(zeros.subarray(0, want));
      else chunk = Buffer.from(cipher.update(zeros.subarray(0, Math.ceil(want / 2))).toString('hex').slice(0, want), 'latin1');
      produced += chunk.length;
      this.push(chunk);
    },
  });
}

/**
 * The benchmark project at `project` (its parameters kept in `stamp`, so an unchanged one is reused):
 * the main one, or with `params.blobs` 0 the code-only projects of the memory-per-file rows.
 */
async function generateProject(project = PROJECT, stamp = STAMP, params: typeof PARAMS = PARAMS): Promise<{ reused: boolean; seconds: number }> {
  const want = JSON.stringify(params);
  if (existsSync(stamp) && existsSync(project) && (await readFile(stamp, 'utf8').catch(() => '')) === want) {
    return { reused: true, seconds: 0 };
  }
  const t0 = performance.now();
  await rm(project, { recursive: true, force: true });
  await rm(stamp, { force: true });
  const pkgRoot = join(project, 'src', 'bigproj');
  await mkdir(pkgRoot, { recursive: true });
  await writeFile(
    join(project, 'pyproject.toml'),
    [
      '[project]',
      'name = "bigproj"',
      'version = "1.0.0"',
      'description = "A large generated project for the pycontainer benchmark"',
      'requires-python = ">=3.11"',
      '',
      '[project.scripts]',
      'bigproj = "bigproj.cli:main"',
      '',
    ].join('\n'),
  );
  await writeFile(join(pkgRoot, '__init__.py'), '"""bigproj: generated for the pycontainer benchmark."""\n');
  await writeFile(join(pkgRoot, 'cli.py'), 'def main() -> None:\n    print("bigproj")\n');

  // pyFiles .py files in total inside the subpackages, __init__.py included.
  const perPkg = Math.ceil(params.pyFiles / params.packages);
  let left = params.pyFiles;
  for (let p = 0; p < params.packages && left > 0; p++) {
    const dir = join(pkgRoot, `pkg_${pad(p, 3)}`);
    await mkdir(dir, { recursive: true });
    const count = Math.min(perPkg, left);
    left -= count;
    const writes = [writeFile(join(dir, '__init__.py'), `"""bigproj.pkg_${pad(p, 3)}"""\n`)];
    for (let m = 1; m < count; m++) writes.push(writeFile(join(dir, `mod_${pad(m, 3)}.py`), moduleText(p, m)));
    await Promise.all(writes);
  }

  if (params.blobs > 0) {
    const dataDir = join(pkgRoot, 'data');
    await mkdir(dataDir, { recursive: true });
    for (let b = 0; b < params.blobs; b++) {
      await pipeline(blobStream(b, params.blobMiB * 1024 * 1024), createWriteStream(join(dataDir, `blob_${pad(b, 2)}.bin`)));
    }
  }
  await writeFile(stamp, want);
  return { reused: false, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Measuring a child process

interface Run {
  seconds: number;
  /** Peak resident set size in MiB, or NaN when it could not be measured. */
  rssMiB: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
let rssMethod = '';

async function hasGnuTime(): Promise<boolean> {
  if (!existsSync(GNU_TIME)) return false;
  // BusyBox and BSD `time` lack -f/-o; check that this one has them.
  const probe = await runRaw(GNU_TIME, ['-f', '%M', '-o', '/dev/null', 'true']).catch(() => undefined);
  return probe?.code === 0;
}

function runRaw(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd: REPO, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** Peak RSS by polling VmHWM (the kernel's high-water mark) of the child; used without GNU time. */
async function readHwmKiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the child under GNU time, which reports the child's ru_maxrss (KiB) to a file. */
async function measureGnuTime(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  const t0 = performance.now();
  const out = join(tmpdir(), `pycontainer-bench-time-${process.pid}.txt`);
  const r = await runRaw(GNU_TIME, ['-f', '%M', '-o', out, cmd, ...args], env);
  const seconds = (performance.now() - t0) / 1000;
  const text = await readFile(out, 'utf8');
  await rm(out, { force: true });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}\n${r.stderr}`);
  // On failure GNU time prints "Command exited with non-zero status" first; the figure is the last line.
  const kib = Number(text.trim().split('\n').pop());
  return { seconds, rssMiB: kib / 1024, stdout: r.stdout, stderr: r.stderr };
}

/** Polling variant that keeps the child's pid: spawn directly so /proc/<pid> is readable while it runs. */
async function measurePolling(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: REPO, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peak = 0;
  let exited = false;
  const closed = new Promise<number | null>((ok, fail) => {
    child.on('error', fail);
    child.on('exit', () => (exited = true));
    child.on('close', (code) => ok(code));
  });
  while (!exited && child.pid !== undefined) {
    const kib = await readHwmKiB(child.pid);
    if (kib !== undefined) peak = Math.max(peak, kib);
    await new Promise((r) => setTimeout(r, 10));
  }
  const code = await closed;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${stderr}`);
  return { seconds, rssMiB: peak ? peak / 1024 : NaN, stdout, stderr };
}

let useGnuTime = false;
function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return useGnuTime ? measureGnuTime(cmd, args, env) : measurePolling(cmd, args, env);
}

function median(xs: number[]): number {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

type Scenario =
  | 'baseline'
  | 'pigz'
  | 'plan'
  | 'plan-warm'
  | 'build-cold'
  | 'build-warm'
  | 'build-touch'
  | 'deps-cold'
  | 'deps-upgrade'
  | 'deps-push-upgrade'
  | 'push-cold'
  | 'skopeo-copy'
  | 'curl-upload'
  | 'push-unchanged'
  | 'push-ci'
  | 'code-n'
  | 'code-2n'
  | 'wheel-install'
  | 'pip-install';
/** Each scenario's time is given as a ratio to the median of `against` (and of `also`, a second floor). */
const SCENARIOS: { id: Scenario; label: string; against: Scenario; also?: Scenario }[] = [
  { id: 'baseline', label: 'tar | gzip -6 | sha256sum', against: 'baseline' },
  { id: 'pigz', label: 'tar | pigz -6 -p 2 | sha256sum', against: 'baseline' },
  { id: 'plan', label: 'pycontainer plan', against: 'baseline' },
  { id: 'plan-warm', label: 'pycontainer plan (again, warm)', against: 'baseline' },
  { id: 'build-cold', label: 'pycontainer build (cold cache)', against: 'baseline', also: 'pigz' },
  { id: 'build-warm', label: 'rebuild, nothing changed', against: 'baseline' },
  { id: 'build-touch', label: 'rebuild, one .py file changed', against: 'baseline' },
  { id: 'push-cold', label: 'pycontainer push (cold)', against: 'curl-upload', also: 'skopeo-copy' },
  { id: 'curl-upload', label: 'curl POST+PUT of the same blobs', against: 'curl-upload' },
  { id: 'skopeo-copy', label: 'skopeo copy oci: docker://', against: 'skopeo-copy' },
  { id: 'push-unchanged', label: 'pycontainer push (unchanged)', against: 'skopeo-copy' },
  { id: 'push-ci', label: 'CI push: empty cache, one .py changed', against: 'baseline', also: 'pigz' },
  { id: 'code-n', label: `code only, ${PARAMS.pyFiles} .py files: build (cold)`, against: 'code-n' },
  { id: 'code-2n', label: `code only, ${2 * PARAMS.pyFiles} .py files: build (cold)`, against: 'code-n' },
  { id: 'wheel-install', label: 'pycontainer wheel install (tar file)', against: 'pip-install' },
  { id: 'pip-install', label: 'pip install --target (tree)', against: 'pip-install' },
  { id: 'deps-cold', label: 'deps project: build (cold cache)', against: 'deps-cold' },
  { id: 'deps-upgrade', label: `deps project: rebuild, ${UPGRADED} upgraded`, against: 'deps-cold' },
  { id: 'deps-push-upgrade', label: 'deps project: push of the upgrade', against: 'deps-cold' },
];
const PUSH_SCENARIOS: Scenario[] = ['push-cold', 'curl-upload', 'skopeo-copy', 'push-unchanged', 'push-ci'];
const AGAINST_LABEL: Partial<Record<Scenario, string>> = {
  baseline: 'tar|gzip',
  pigz: 'tar|pigz',
  'skopeo-copy': 'skopeo copy',
  'curl-upload': 'curl upload',
  'pip-install': 'pip install',
  'deps-cold': 'deps cold build',
  'code-n': `${PARAMS.pyFiles} files`,
};

type PushedBlobs = { uploaded: number; mounted: number; exists: number };
interface BuildJson {
  digest: string;
  layers: { cached: boolean; digest: string; size: number }[];
  pushedBlobs?: PushedBlobs;
}
interface PushJson {
  digest: string;
  layers: { cached: boolean; digest: string }[];
  pushedBlobs?: PushedBlobs;
}

function childEnv(): NodeJS.ProcessEnv {
  const extra = process.env.BENCH_NODE_OPTIONS;
  const env = { ...process.env };
  delete env.SOURCE_DATE_EPOCH;
  if (extra) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${extra}`.trim();
  return env;
}

async function main(): Promise<void> {
  const started = performance.now();
  useGnuTime = await hasGnuTime();
  rssMethod = useGnuTime
    ? 'GNU time -f %M (getrusage ru_maxrss of the child; for the shell pipeline: the largest process in it)'
    : 'polling VmHWM in /proc/<pid>/status every 10 ms (the child process itself; for the shell pipeline: bash only)';

  await mkdir(BENCH_DIR, { recursive: true });
  const gen = await generateProject();
  const tmp = await mkdtemp(join(tmpdir(), 'pycontainer-bench-'));
  const env = childEnv();
  const totalBytes = PARAMS.blobs * PARAMS.blobMiB * 1024 * 1024;
  process.stderr.write(
    `project: ${PROJECT} (${gen.reused ? 'reused' : `generated in ${gen.seconds.toFixed(1)} s`}): ` +
      `${PARAMS.pyFiles} .py files in ${PARAMS.packages} subpackages, ${PARAMS.blobs} × ${PARAMS.blobMiB} MiB data files\n`,
  );

  // A private copy: the one-file edit below must not disturb anyone else reading the shared project.
  const work = join(tmp, 'project');
  const copied = await runRaw('cp', ['-a', PROJECT, work]);
  if (copied.code !== 0) throw new Error(`cp -a ${PROJECT} ${work}: ${copied.stderr}`);
  // The file the 'one .py file changed' scenario edits, and its original text.
  const edited = join(work, 'src', 'bigproj', `pkg_${pad(Math.floor(PARAMS.packages / 2), 3)}`, '__init__.py');
  const editedText = await readFile(edited, 'utf8');
  // Warm the page cache once, so the first timed scenario does not pay for disk reads the others skip.
  await runRaw('bash', ['-c', `set -o pipefail; tar -c -C '${work}' . > /dev/null`]);

  const results: Record<Scenario, Run[]> = {
    baseline: [],
    pigz: [],
    plan: [],
    'plan-warm': [],
    'build-cold': [],
    'build-warm': [],
    'build-touch': [],
    'deps-cold': [],
    'deps-upgrade': [],
    'deps-push-upgrade': [],
    'push-cold': [],
    'skopeo-copy': [],
    'curl-upload': [],
    'push-unchanged': [],
    'push-ci': [],
    'code-n': [],
    'code-2n': [],
    'wheel-install': [],
    'pip-install': [],
  };
  const warmCached: boolean[] = [];
  const deps = {
    skipped: '',
    base: '',
    wheels: 0,
    wheelBytes: 0,
    installedBytes: 0,
    /** Compressed sizes of the cold build's layers (as build --json lists them). */
    layers: [] as number[],
    upgradeCached: [] as boolean[][],
    pushUpgrade: [] as { newLayerBytes: number; newLayers: number; layers: number; blobs?: PushedBlobs }[],
  };
  /** Per repetition: which layers the one-file rebuild took from the cache (true) or built (false). */
  const touchCached: boolean[][] = [];
  let layer: { uncompressed?: number; compressed?: number; names?: string; compressedEach?: number[]; entries?: number } = {};
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const digestsOf = (r: { layers: { digest: string }[] }) => r.layers.map((l) => l.digest).join(' ');
  let baselineDigest = '';

  // Node's own start, the fixed floor under every CLI row (median of 5): on some machines the environment
  // adds to it (NODE_EXTRA_CA_CERTS, a CA bundle Node parses at every start), which the note says.
  const nodeStarts = [];
  for (let i = 0; i < 5; i++) nodeStarts.push(await run(process.execPath, ['-e', '']));
  nodeStarts.sort((a, b) => a.seconds - b.seconds);
  const nodeFloor = nodeStarts[2]!;

  // The push scenarios: one registry for the whole run, stopped at the end whatever happens.
  let registry: TestRegistry | undefined;
  let pushSkipped = '';
  const missing = missingPushTools();
  if (!PUSH) pushSkipped = 'BENCH_PUSH=0';
  else if (missing.length) pushSkipped = `${missing.join(' and ')} not on PATH`;
  else registry = await startRegistry('plain');
  const skopeoFlags = registry?.skopeoDest.join(' ') ?? '';
  if (pushSkipped) process.stderr.write(`push scenarios skipped: ${pushSkipped}\n`);
  else process.stderr.write(`registry: docker-registry (CNCF distribution) at http://${registry!.host}\n`);
  const push = {
    cold: [] as PushedBlobs[],
    unchanged: [] as PushedBlobs[],
    /** The CI push: blobs, and which layers it took from the registry instead of building them. */
    ci: [] as PushedBlobs[],
    ciCached: [] as boolean[][],
    coldLayerCached: [] as boolean[],
    /** Per repetition: the manifest digests of the warm layout, pycontainer's push and skopeo's copy agree. */
    sameManifest: [] as boolean[],
    problems: [] as string[],
  };

  try {
    for (let rep = 0; rep < REPS; rep++) {
      process.stderr.write(`rep ${rep + 1}/${REPS}:`);
      const b = await run('bash', ['-c', `set -o pipefail; tar -c -C '${work}' . | gzip -6 | sha256sum`], env);
      baselineDigest = b.stdout.trim().split(/\s+/)[0] ?? '';
      results.baseline.push(b);
      process.stderr.write(` baseline ${b.seconds.toFixed(1)}s`);
      const pz = await run('bash', ['-c', `set -o pipefail; tar -c -C '${work}' . | pigz -6 -p 2 | sha256sum`], env);
      results.pigz.push(pz);
      process.stderr.write(`, pigz ${pz.seconds.toFixed(1)}s`);

      const planFile = join(tmp, `plan-${rep}.json`);
      const p = await run(process.execPath, [CLI, 'plan', '-C', work, '--base-image', 'scratch', '-o', planFile], env);
      results.plan.push(p);
      process.stderr.write(`, plan ${p.seconds.toFixed(1)}s`);
      const p2 = await run(process.execPath, [CLI, 'plan', '-C', work, '--base-image', 'scratch', '-o', planFile], env);
      results['plan-warm'].push(p2);
      process.stderr.write(`, plan again ${p2.seconds.toFixed(1)}s`);
      const plan = JSON.parse(await readFile(planFile, 'utf8')) as { layers: { name: string; size: number; diffId: string; entries: unknown[] }[] };
      layer = { ...layer, uncompressed: sum(plan.layers.map((l) => l.size)), names: plan.layers.map((l) => l.name).join(', '), entries: sum(plan.layers.map((l) => l.entries.length)) };

      // Cold: a cache directory that does not exist yet, and a new output layout.
      const cache = join(tmp, `cache-${rep}`);
      const out = join(tmp, `image-${rep}`);
      const buildArgs = [CLI, 'build', '-C', work, '--base-image', 'scratch', '-o', out, '--cache-dir', cache, '--json'];
      const c = await run(process.execPath, buildArgs, env);
      results['build-cold'].push(c);
      const cold = JSON.parse(c.stdout) as { layers: { size: number; digest: string; cached: boolean; diffId: string }[] };
      if (cold.layers.some((l) => l.cached)) process.stderr.write(' (warning: the cold build reported a cached layer)');
      layer = { ...layer, compressed: sum(cold.layers.map((l) => l.size)), compressedEach: cold.layers.map((l) => l.size) };
      process.stderr.write(`, cold ${c.seconds.toFixed(1)}s`);

      // Warm: the same project, cache and output again, nothing changed.
      const w = await run(process.execPath, buildArgs, env);
      results['build-warm'].push(w);
      const warm = JSON.parse(w.stdout) as { digest: string; layers: { cached: boolean; digest: string }[] };
      warmCached.push(warm.layers.every((l) => l.cached === true));
      if (digestsOf(warm) !== digestsOf(cold)) process.stderr.write(' (warning: warm and cold layer digests differ)');
      process.stderr.write(`, warm ${w.seconds.toFixed(1)}s (cached=${warmCached[rep]})`);


      if (registry) {
        // Cold push: a repository of its own, the layer cache warm (so this is mostly the upload).
        const repository = `bench/big-${rep}`;
        const pushArgs = [CLI, 'build', '-C', work, '--base-image', 'scratch', '-t', `${registry.host}/${repository}:1`, '--push', '--cache-dir', cache, '--json'];
        const pc = await run(process.execPath, pushArgs, env);
        results['push-cold'].push(pc);
        const pcJson = JSON.parse(pc.stdout) as PushJson;
        const coldBlobs = pcJson.pushedBlobs ?? { uploaded: NaN, mounted: NaN, exists: NaN };
        push.cold.push(coldBlobs);
        push.coldLayerCached.push(pcJson.layers.every((l) => l.cached === true));
        if (!(coldBlobs.uploaded >= 2)) push.problems.push(`rep ${rep + 1}: the cold push uploaded ${coldBlobs.uploaded} blobs (expected >= 2)`);
        if (!pcJson.layers.every((l) => l.cached === true)) push.problems.push(`rep ${rep + 1}: the cold push did not take every layer from the cache`);
        process.stderr.write(`, push ${pc.seconds.toFixed(1)}s (uploaded=${coldBlobs.uploaded})`);

        // The baseline: skopeo copies the warm build's layout to a repository of its own.
        const skopeoRepo = `bench/skopeo-${rep}`;
        const digestFile = join(tmp, `skopeo-digest-${rep}`);
        const sk = await run(
          'skopeo',
          ['copy', '--digestfile', digestFile, ...registry.skopeoDest, `oci:${out}:${await layoutTag(out)}`, `docker://${registry.host}/${skopeoRepo}:1`],
          env,
        );
        results['skopeo-copy'].push(sk);
        const skopeoDigest = (await readFile(digestFile, 'utf8')).trim();
        process.stderr.write(`, skopeo ${sk.seconds.toFixed(1)}s`);

        // The wire floor: curl uploads the same blobs one by one (POST, then a monolithic PUT).
        const curlRepo = `bench/curl-${rep}`;
        const curlSeconds = await curlPushFloor(registry, curlRepo, out);
        results['curl-upload'].push({ seconds: curlSeconds, rssMiB: NaN, stdout: '', stderr: '' });
        process.stderr.write(`, curl ${curlSeconds.toFixed(1)}s`);

        // The same push again: everything is there already.
        const pu = await run(process.execPath, pushArgs, env);
        results['push-unchanged'].push(pu);
        const puJson = JSON.parse(pu.stdout) as PushJson;
        const againBlobs = puJson.pushedBlobs ?? { uploaded: NaN, mounted: NaN, exists: NaN };
        push.unchanged.push(againBlobs);
        if (againBlobs.uploaded !== 0) push.problems.push(`rep ${rep + 1}: the unchanged push uploaded ${againBlobs.uploaded} blobs (expected 0)`);
        process.stderr.write(`, unchanged push ${pu.seconds.toFixed(1)}s (uploaded=${againBlobs.uploaded})`);
        push.sameManifest.push(pcJson.digest === warm.digest && skopeoDigest === warm.digest && puJson.digest === warm.digest);

        // A CI job: a fresh machine (an empty cache) pushes the same tag after one .py file changed. The
        // registry holds the last image, so only the code layer should be compressed and uploaded.
        await writeFile(edited, `${editedText}# edited by the CI push of repetition ${rep + 1}\n`);
        const ciCache = join(tmp, `cache-ci-${rep}`);
        const ci = await run(process.execPath, [CLI, 'build', '-C', work, '--base-image', 'scratch', '-t', `${registry.host}/${repository}:1`, '--push', '--cache-dir', ciCache, '--json'], env);
        await writeFile(edited, editedText);
        await rm(ciCache, { recursive: true, force: true });
        results['push-ci'].push(ci);
        const ciJson = JSON.parse(ci.stdout) as PushJson;
        const ciBlobs = ciJson.pushedBlobs ?? { uploaded: NaN, mounted: NaN, exists: NaN };
        push.ci.push(ciBlobs);
        push.ciCached.push(ciJson.layers.map((l) => l.cached === true));
        if (ciBlobs.uploaded !== 2) push.problems.push(`rep ${rep + 1}: the CI push uploaded ${ciBlobs.uploaded} blobs (expected 2: the code layer and the config)`);
        process.stderr.write(`, CI push ${ci.seconds.toFixed(1)}s (uploaded=${ciBlobs.uploaded}, from the registry=${ciJson.layers.map((l) => l.cached).join('/')})`);

        // No later repetition may mount these blobs from here: skopeo would (see unlinkBlobs).
        const digests = await layoutBlobDigests(out);
        await unlinkBlobs(registry, skopeoRepo, digests);
        await unlinkBlobs(registry, curlRepo, digests);
        await unlinkBlobs(registry, repository, digests);
      }

      // After the pushes, which publish the warm layout:
      // one .py file changed (a line appended), the same cache and layout; then the file is put back.
      await writeFile(edited, `${editedText}# edited by the benchmark, repetition ${rep + 1}\n`);
      const e = await run(process.execPath, buildArgs, env);
      await writeFile(edited, editedText);
      results['build-touch'].push(e);
      const touched = JSON.parse(e.stdout) as { layers: { cached: boolean }[] };
      touchCached.push(touched.layers.map((l) => l.cached === true));
      process.stderr.write(`, one .py changed ${e.seconds.toFixed(1)}s (cached=${touchCached[rep]!.join('/')})`);
      process.stderr.write('\n');

      await rm(cache, { recursive: true, force: true });
      await rm(out, { recursive: true, force: true });
    }

    // Memory per file: cold builds of two code-only projects, N and 2N of the same small .py files (no
    // data files), interleaved; the difference of their peak RSS over N is what each file costs.
    const codeOnly = [PARAMS.pyFiles, 2 * PARAMS.pyFiles].map((pyFiles) => ({ pyFiles, dir: join(BENCH_DIR, `code-${pyFiles}`) }));
    for (const c of codeOnly) await generateProject(c.dir, `${c.dir}.stamp.json`, { ...PARAMS, pyFiles: c.pyFiles, blobs: 0 });
    for (let rep = 0; rep < REPS; rep++) {
      process.stderr.write(`code only rep ${rep + 1}/${REPS}:`);
      for (const [i, c] of codeOnly.entries()) {
        const cache = join(tmp, `code-cache-${rep}-${i}`);
        const out = join(tmp, `code-out-${rep}-${i}`);
        const r = await run(process.execPath, [CLI, 'build', '-C', c.dir, '--base-image', 'scratch', '-o', out, '--cache-dir', cache, '--json'], env);
        results[i === 0 ? 'code-n' : 'code-2n'].push(r);
        process.stderr.write(` ${c.pyFiles} files ${r.seconds.toFixed(1)}s ${r.rssMiB.toFixed(1)} MB`);
        await rm(cache, { recursive: true, force: true });
        await rm(out, { recursive: true, force: true });
      }
      process.stderr.write('\n');
    }

    // The dependency-heavy project: cold build, rebuild after one upgrade, push of that upgrade.
    if (!DEPS) deps.skipped = 'BENCH_DEPS=0';
    else {
      process.stderr.write('deps project: preparing (the first time: generating 61 wheels, a few minutes)\n');
      const project = await prepareDepsProject(BENCH_DIR);
      const base = await ensureBaseImage('plain');
      deps.base = base.ref.replace(REPO, '<repo>');
      deps.wheels = project.v1.length;
      deps.wheelBytes = project.v1.reduce((a, w) => a + w.size, 0);
      deps.installedBytes = project.installedBytes;
      for (let rep = 0; rep < REPS; rep++) {
        process.stderr.write(`deps rep ${rep + 1}/${REPS}:`);
        const cache = join(tmp, `deps-cache-${rep}`);
        const common = ['-C', project.dir, '--base-image', base.ref, '--cache-dir', cache, '--json'];
        await writeDepsLock(project, 'v1');
        const c = await run(process.execPath, [CLI, 'build', ...common, '-o', join(tmp, `deps-v1-${rep}`)], env);
        results['deps-cold'].push(c);
        const v1 = JSON.parse(c.stdout) as BuildJson;
        process.stderr.write(` cold ${c.seconds.toFixed(1)}s`);
        let pushedV1: BuildJson | undefined;
        if (registry) {
          // Not timed: the previous version in the registry, as a CI pipeline would find it.
          const r = await run(process.execPath, [CLI, 'build', ...common, '-t', `${registry.host}/bench/deps-${rep}:1`, '--push'], env);
          pushedV1 = JSON.parse(r.stdout) as BuildJson;
        }
        await writeDepsLock(project, 'v2');
        try {
          const u = await run(process.execPath, [CLI, 'build', ...common, '-o', join(tmp, `deps-v2-${rep}`)], env);
          results['deps-upgrade'].push(u);
          const v2 = JSON.parse(u.stdout) as BuildJson;
          deps.upgradeCached.push(v2.layers.map((l) => l.cached === true));
          process.stderr.write(`, upgrade ${u.seconds.toFixed(1)}s (cached=${v2.layers.map((l) => l.cached).join('/')})`);
          if (registry && pushedV1) {
            const pu = await run(process.execPath, [CLI, 'build', ...common, '-t', `${registry.host}/bench/deps-${rep}:2`, '--push'], env);
            results['deps-push-upgrade'].push(pu);
            const pushed = JSON.parse(pu.stdout) as BuildJson;
            // The layers of the upgrade that the registry did not hold: what the push must upload.
            const before = new Set(pushedV1.layers.map((l) => l.digest));
            const newLayers = pushed.layers.filter((l) => !before.has(l.digest));
            deps.pushUpgrade.push({
              newLayerBytes: newLayers.reduce((a, l) => a + l.size, 0),
              newLayers: newLayers.length,
              layers: pushed.layers.length,
              blobs: pushed.pushedBlobs,
            });
            process.stderr.write(`, push upgrade ${pu.seconds.toFixed(1)}s (${newLayers.length} new layers, ${(deps.pushUpgrade[rep]!.newLayerBytes / 1048576).toFixed(1)} MiB; uploaded=${pushed.pushedBlobs?.uploaded})`);
          }
          deps.layers = v1.layers.map((l) => l.size);
        } finally {
          await writeDepsLock(project, 'v1');
        }
        process.stderr.write('\n');
        for (const d of [cache, join(tmp, `deps-v1-${rep}`), join(tmp, `deps-v2-${rep}`)]) await rm(d, { recursive: true, force: true });
      }
    }
  } finally {
    await registry?.stop();
    await rm(tmp, { recursive: true, force: true });
  }

  // The wheel-install scenarios, after the others: in a temp dir of their own, removed at the end.
  let wheelSkipped = '';
  const wheel = {
    python: '',
    pythonMinor: '',
    pipVersion: '',
    extension: '',
    files: [] as { filename: string; size: number; sha256: string }[],
    tar: undefined as Omit<TarStats, 'paths'> | undefined,
    /** Per repetition: the tar's sha256 (the same bytes every time: reproducible). */
    tarSha256: [] as string[],
    pipTree: undefined as Omit<TreeStats, 'paths'> | undefined,
    compare: undefined as { onlyTar: string[]; onlyPip: string[] } | undefined,
  };
  if (!WHEELS) wheelSkipped = 'BENCH_WHEELS=0';
  else {
    const wtmp = await mkdtemp(join(tmpdir(), 'pycontainer-bench-wheels-'));
    try {
      const setup = await prepareWheels(join(wtmp, 'extension'));
      if ('skipped' in setup) wheelSkipped = setup.skipped;
      else {
        Object.assign(wheel, { python: setup.python, pythonMinor: setup.pythonMinor, pipVersion: setup.pipVersion, extension: setup.extension });
        wheel.files = setup.wheels.map((w) => ({ filename: w.filename, size: w.size, sha256: w.sha256 }));
        const files = setup.wheels.map((w) => w.path);
        process.stderr.write(`wheels: ${setup.wheels.map((w) => w.filename).join(', ')}; python ${setup.pythonMinor} (${setup.python}), pip ${setup.pipVersion}\n`);
        for (let rep = 0; rep < REPS; rep++) {
          process.stderr.write(`wheels rep ${rep + 1}/${REPS}:`);
          const tarFile = join(wtmp, `venv-${rep}.tar`);
          const wi = await run(process.execPath, [INSTALL_WHEELS, tarFile, WHEEL_VENV, setup.pythonMinor, ...files], env);
          results['wheel-install'].push(wi);
          const { paths: tarPaths, ...tar } = await tarStats(tarFile);
          wheel.tar = tar;
          wheel.tarSha256.push(tar.sha256);
          process.stderr.write(` wheel install ${wi.seconds.toFixed(2)}s (${tar.entries} entries)`);

          // pip: a target directory that does not exist yet, every time.
          const target = join(wtmp, `pip-target-${rep}`);
          const pipArgs = ['-m', 'pip', 'install', '--no-deps', '--target', target, '--no-compile', '--no-index', '--disable-pip-version-check', '--quiet', ...files];
          const pi = await run(setup.python, pipArgs, env);
          results['pip-install'].push(pi);
          const { paths: treePaths, ...tree } = await treeStats(target);
          wheel.pipTree = tree;
          wheel.compare = compareInstalls({ ...tar, paths: tarPaths }, { ...tree, paths: treePaths }, WHEEL_VENV, setup.pythonMinor);
          process.stderr.write(`, pip install ${pi.seconds.toFixed(2)}s (${tree.files} files)\n`);

          await rm(tarFile, { force: true });
          await rm(target, { recursive: true, force: true });
        }
      }
    } finally {
      await rm(wtmp, { recursive: true, force: true });
    }
  }
  if (wheelSkipped) process.stderr.write(`wheel-install scenarios skipped: ${wheelSkipped}\n`);

  // -------------------------------------------------------------------------------------------
  // Report
  const medianSeconds = (id: Scenario) => median(results[id].map((r) => r.seconds));
  const rows = SCENARIOS.filter(({ id }) => results[id].length > 0).map(({ id, label, against, also }) => {
    const secs = medianSeconds(id);
    const rss = median(results[id].map((r) => r.rssMiB));
    return {
      scenario: id,
      label,
      seconds: secs,
      secondsAll: results[id].map((r) => round(r.seconds, 3)),
      peakRssMiB: rss,
      peakRssMiBAll: results[id].map((r) => round(r.rssMiB, 1)),
      /** The scenario this row's ratio is against: 'baseline' (tar | gzip), 'skopeo-copy' or 'pip-install'. */
      ratioAgainst: against,
      ratio: secs / medianSeconds(against),
      /** The ratio to a second floor (the cold build: tar | pigz), when there is one. */
      ...(also && results[also].length ? { ratioAlso: secs / medianSeconds(also), ratioAlsoAgainst: also } : {}),
    };
  });

  const header = ['scenario', `wall s (median of ${REPS})`, 'peak RSS MB', 'ratio', 'ratio against'];
  const table = rows.map((r) => [
    r.label,
    r.seconds.toFixed(2),
    r.peakRssMiB.toFixed(1),
    `${r.ratio.toFixed(2)}×${r.ratioAlso !== undefined ? ` / ${r.ratioAlso.toFixed(2)}×` : ''}`,
    `${AGAINST_LABEL[r.ratioAgainst]!}${r.ratioAlsoAgainst ? ` / ${AGAINST_LABEL[r.ratioAlsoAgainst]!}` : ''}`,
  ]);
  printTable(header, table);

  const mib = (n: number | undefined) => (n === undefined ? '?' : `${(n / 1024 / 1024).toFixed(1)} MiB`);
  const coldRss = rows.find((r) => r.scenario === 'build-cold')!.peakRssMiB;
  const lines = [
    '',
    `peak RSS method: ${rssMethod}; MB = MiB (1024² bytes); node with an empty script: ${nodeFloor.rssMiB.toFixed(1)} MB, ${nodeFloor.seconds.toFixed(2)} s (median of 5${process.env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set: Node parses that CA bundle at every start' : ''})`,
    `each scenario ran ${REPS}× (interleaved per repetition: tar|gzip, tar|pigz, plan, plan again, cold, warm${registry ? ", push (cold), skopeo copy, push (unchanged), CI push" : ""}, one .py changed; then the code-only builds; then the deps project); figures are medians; all runs: see last.json`,
    `cold = a new --cache-dir and output layout; warm = the same cache and layout again; warm layers all from cache: ${warmCached.every(Boolean) ? 'yes' : 'NO'} (${warmCached.join(', ')})`,
    `one .py file changed = a line appended to ${relative(work, edited)}, then the same build (layers from cache, per repetition: ${touchCached.map((c) => c.join('/')).join(', ')})`,
    `plan (again, warm) = the same plan command right after the first one (its caches and the page cache warm)`,
    `cold build peak RSS ${coldRss.toFixed(1)} MB: ${coldRss < 100 ? 'under' : 'OVER'} the 100 MB target`,
    memoryPerFile(results['code-n'], results['code-2n'], PARAMS.pyFiles),
    `compression: ${COMPRESSION.name} (parallel gzip, level ${COMPRESSION.level}, ${COMPRESSION.blockSize / 1024} KiB blocks, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'})`,
    `project: ${layer.entries ?? '?'} layer entries; ${PARAMS.pyFiles} .py files + ${PARAMS.blobs} × ${PARAMS.blobMiB} MiB data (${mib(totalBytes)} of data)`,
    `layers: ${layer.names ?? '?'}; ${mib(layer.uncompressed)} uncompressed (${layer.uncompressed} bytes) / ${mib(layer.compressed)} compressed (${layer.compressed} bytes: ${(layer.compressedEach ?? []).map((b) => mib(b)).join(', ')})`,
  ];
  if (pushSkipped) {
    lines.push(`push scenarios: skipped (${pushSkipped})`);
  } else {
    const blobs = (b: PushedBlobs[]) => b.map((x) => `${x.uploaded}/${x.mounted}/${x.exists}`).join(', ');
    lines.push(
      `push: to a loopback docker-registry (plain HTTP); each repetition pushes to new repositories bench/big-<n> and bench/skopeo-<n>, unlinking their blobs afterwards so no later repetition can mount them`,
      `push (cold) = build --push with the warm build's layer cache (layers all from cache: ${push.coldLayerCached.join(', ')}); blobs uploaded/mounted/exists: ${blobs(push.cold)} (uploaded >= 2: ${push.cold.every((b) => b.uploaded >= 2) ? 'yes' : 'NO'})`,
      `skopeo copy = skopeo copy oci:<warm build layout>:<tag> docker://HOST/bench/skopeo-<n>:1 ${skopeoFlags} (skopeo's own reuse of blobs it pushed before is defeated by the unlinking)`,
      `push (unchanged) = the same build --push again to the same repository; blobs uploaded/mounted/exists: ${blobs(push.unchanged)} (uploaded nothing: ${push.unchanged.every((b) => b.uploaded === 0) ? 'yes' : 'NO'})`,
      `CI push = one .py file changed, then build --push of the same tag with an empty cache; blobs uploaded/mounted/exists: ${blobs(push.ci)}; layers taken from the registry, not built: ${push.ciCached.map((c) => c.join('/')).join(', ')}`,
      `the same manifest digest from the warm layout, pycontainer's pushes and skopeo's copy: ${push.sameManifest.every(Boolean) ? 'yes' : 'NO'} (${push.sameManifest.join(', ')})`,
    );
    for (const p of push.problems) lines.push(`WARNING: ${p}`);
  }
  if (deps.skipped) lines.push(`deps project: skipped (${deps.skipped})`);
  else {
    const up = deps.pushUpgrade;
    lines.push(
      `deps project: ${deps.wheels} wheels (${mib(deps.wheelBytes)} of wheel files, ~${mib(deps.installedBytes)} installed: .py modules and .so-like data) in a pylock.toml, base ${deps.base}; cold build layers (compressed): ${deps.layers.map((b) => mib(b)).join(', ')}`,
      `deps upgrade = ${UPGRADED} 1.0.0 → 1.0.1 in the lock, the same cache; layers from cache per repetition: ${deps.upgradeCached.map((c) => c.join('/')).join(', ')}`,
      up.length
        ? `deps push of the upgrade = build --push of v2 to the repository holding v1: layers not already there ${up.map((u) => `${u.newLayers} of ${u.layers}, ${mib(u.newLayerBytes)}`).join('; ')} (the bytes a push must upload); blobs uploaded/mounted/exists: ${up.map((u) => (u.blobs ? `${u.blobs.uploaded}/${u.blobs.mounted}/${u.blobs.exists}` : '?')).join(', ')}`
        : 'deps push of the upgrade: not measured (no registry)',
    );
  }
  if (wheelSkipped) {
    lines.push(`wheel-install scenarios: skipped (${wheelSkipped})`);
  } else {
    const sameTar = wheel.tarSha256.every((h) => h === wheel.tarSha256[0]);
    const kib = (n: number | undefined) => (n === undefined ? '?' : `${(n / 1024).toFixed(1)} KiB`);
    lines.push(
      `wheels (after the other scenarios, ${REPS}× interleaved: wheel install, pip install): ${wheel.files.map((f) => `${f.filename} (${kib(f.size)})`).join(', ')}; fastsum extension: ${wheel.extension}`,
      `wheel install = node install-wheels.js: wheelsLayerTar(venv ${WHEEL_VENV}, python ${wheel.pythonMinor}) piped to one uncompressed tar file: ${mib(wheel.tar?.bytes)} (${wheel.tar?.bytes} bytes), ${wheel.tar?.entries} entries (${wheel.tar?.files} files/symlinks); the same bytes every repetition: ${sameTar ? 'yes' : 'NO'} (sha256 ${wheel.tarSha256[0]?.slice(0, 16)}…)`,
      `pip install = ${wheel.python} -m pip install --no-deps --target <new dir> --no-compile --no-index --disable-pip-version-check --quiet <the same .whl files> (pip ${wheel.pipVersion}): ${wheel.pipTree?.files} files in ${wheel.pipTree?.dirs} directories, ${mib(wheel.pipTree?.bytes)}`,
      `site-packages files only in the tar: ${wheel.compare?.onlyTar.length} (${wheel.compare?.onlyTar.slice(0, 6).join(', ') || '-'}); only in pip's tree (bin/ aside): ${wheel.compare?.onlyPip.length} (${wheel.compare?.onlyPip.slice(0, 6).join(', ') || '-'})`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    params: PARAMS,
    reps: REPS,
    statistic: 'median',
    rssMethod,
    nodeEmptyScriptRssMiB: round(nodeFloor.rssMiB, 1),
    nodeEmptyScriptSeconds: round(nodeFloor.seconds, 3),
    projectReused: gen.reused,
    warmCached,
    touchCached,
    compression: COMPRESSION,
    deps,
    baselineSha256: baselineDigest,
    layer,
    scenarios: rows.map((r) => ({
      ...r,
      seconds: round(r.seconds, 3),
      peakRssMiB: round(r.peakRssMiB, 1),
      ratio: round(r.ratio, 3),
      // Kept for readers of earlier last.json files: the build rows' ratio to tar | gzip.
      ...(r.ratioAgainst === 'baseline' ? { ratioToBaseline: round(r.ratio, 3) } : {}),
    })),
    push: pushSkipped
      ? { skipped: pushSkipped }
      : {
          scenarios: PUSH_SCENARIOS,
          registry: 'docker-registry (CNCF distribution), plain HTTP on loopback',
          coldPushedBlobs: push.cold,
          coldLayerCached: push.coldLayerCached,
          unchangedPushedBlobs: push.unchanged,
          ciPushedBlobs: push.ci,
          ciLayersFromRegistry: push.ciCached,
          sameManifest: push.sameManifest,
          problems: push.problems,
        },
    wheels: wheelSkipped
      ? { skipped: wheelSkipped }
      : {
          scenarios: ['wheel-install', 'pip-install'],
          venv: WHEEL_VENV,
          python: wheel.python,
          pythonMinor: wheel.pythonMinor,
          pipVersion: wheel.pipVersion,
          extension: wheel.extension,
          files: wheel.files,
          tar: wheel.tar,
          tarSha256: wheel.tarSha256,
          pipTree: wheel.pipTree,
          onlyInTar: wheel.compare?.onlyTar,
          onlyInPipTree: wheel.compare?.onlyPip,
        },
    benchSeconds: round((performance.now() - started) / 1000, 1),
  };
  await writeFile(join(BENCH_DIR, 'last.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`figures written to ${join(BENCH_DIR, 'last.json')} (bench took ${report.benchSeconds} s)\n`);
  // Keep the generated project for the next run; its size is reported so nobody is surprised.
  const st = await stat(PROJECT).catch(() => undefined);
  if (!st) process.stderr.write('warning: the generated project disappeared\n');
}

/**
 * What one more file costs at the peak: (median peak RSS of the 2N-file build − that of the N-file
 * build) / N, in KB (1000 bytes, as the goal states it), beside each repetition's own difference.
 */
function memoryPerFile(n: Run[], twice: Run[], files: number): string {
  const kb = (a: number, b: number) => ((b - a) * 1048576) / files / 1000;
  const each = n.map((r, i) => kb(r.rssMiB, twice[i]!.rssMiB).toFixed(2)).join(', ');
  const perFile = kb(median(n.map((r) => r.rssMiB)), median(twice.map((r) => r.rssMiB)));
  return `memory per file = (peak RSS of the ${2 * files}-file code-only build − the ${files}-file one) / ${files} = ${perFile.toFixed(2)} KB (per repetition: ${each}): ${perFile <= 1 ? 'within' : 'OVER'} the 1 KB goal`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

await main();
