/**
 * Helpers for the push scenarios of `npm run bench`: what they need from the loopback registry and
 * from the OCI layout the warm build wrote.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../generated/plan.js';
import { pushApplied } from '../../src/apply/push.js';
import { RegistryClient } from '../../src/registry/client.js';
import { closeRegistryConnections } from '../../src/registry/http.js';
import { registryRequest, startRegistry, type TestRegistry } from '../support/registry.js';
import { findOnPath } from '../support/tools.js';

/** The commands the push scenarios need that are not on PATH (empty: all there). */
export function missingPushTools(): string[] {
  return ['docker-registry', 'skopeo'].filter((cmd) => !findOnPath(cmd));
}

/** The tag (org.opencontainers.image.ref.name) of the single image in an OCI layout, for `oci:DIR:TAG`. */
export async function layoutTag(layout: string): Promise<string> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  const tag = index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name'];
  if (!tag) throw new Error(`${layout}/index.json: the image has no org.opencontainers.image.ref.name`);
  return tag;
}

/** The digests of the config and layers of the single image in an OCI layout. */
export async function layoutBlobDigests(layout: string): Promise<string[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const digest = index.manifests[0]?.digest;
  if (!digest) throw new Error(`${layout}/index.json lists no image`);
  const manifest = JSON.parse(await readFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}

/**
 * Unlinks blobs from a repository of the registry (DELETE /v2/<repo>/blobs/<digest>), so no later
 * push can mount them from there. skopeo remembers where it has put blobs (its blob info cache) and
 * tries a cross-repository mount from those places before uploading: without this, every skopeo
 * repetition after the first would mount the layer from the previous one instead of uploading it.
 */
export async function unlinkBlobs(reg: TestRegistry, repository: string, digests: string[]): Promise<void> {
  for (const digest of digests) {
    const res = await registryRequest(reg, 'DELETE', `/v2/${repository}/blobs/${digest}`);
    if (res.status !== 202 && res.status !== 404) {
      throw new Error(`DELETE /v2/${repository}/blobs/${digest}: ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    }
  }
}

/**
 * The floor of a push: curl uploading the same blobs to the same registry, one monolithic streamed PUT
 * per blob after its POST, blobs one after another (config and layers of the layout's single image).
 * Wall seconds.
 */
export async function curlPushFloor(reg: TestRegistry, repository: string, layout: string): Promise<number> {
  const digests = await layoutBlobDigests(layout);
  const started = process.hrtime.bigint();
  for (const digest of digests) {
    const post = await runCurl(['-sS', '-o', '/dev/null', '-D', '-', '-X', 'POST', '-H', 'content-length: 0', `${reg.url}/v2/${repository}/blobs/uploads/`]);
    const location = /^location:\s*(\S+)/im.exec(post)?.[1];
    if (!location) throw new Error(`curl POST ${repository}: no Location in ${post}`);
    const url = new URL(location, reg.url);
    url.searchParams.set('digest', digest);
    await runCurl(['-sS', '-f', '-o', '/dev/null', '-X', 'PUT', '-H', 'content-type: application/octet-stream', '--upload-file', join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), url.toString()]);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function runCurl(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`curl ${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

/**
 * pushApplied of the layout's single image to `repository`, in this process, with a fresh client: wall
 * seconds, and how far the process's RSS rose above where it was (KiB, sampled every 10 ms).
 */
async function pushLayout(reg: TestRegistry, repository: string, layout: string): Promise<{ seconds: number; rssKiB: number }> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number; mediaType: string }[] };
  const top = index.manifests[0]!;
  const manifest = JSON.parse(await readFile(join(layout, 'blobs', 'sha256', top.digest.slice(7)), 'utf8')) as { config: { digest: string } };
  const plan = { base: { ref: 'scratch', images: [] } } as unknown as Plan;
  const staged = { digest: top.digest, mediaType: top.mediaType, size: top.size, tags: [], output: layout, images: [{ platform: 'linux/amd64', manifest: top.digest, config: manifest.config.digest }], layers: [] };
  const client = new RegistryClient();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = process.hrtime.bigint();
  await pushApplied(plan, staged, [{ registry: reg.host, repository, tag: '1' }], client, undefined);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  await closeRegistryConnections();
  return { seconds, rssKiB: (peak - before) / 1024 };
}

/** Wall seconds and peak RSS (KiB, from GNU time) of one command. */
async function timed(cmd: string, args: string[]): Promise<{ seconds: number; rssKiB: number; stdout: string }> {
  const started = process.hrtime.bigint();
  const out = await new Promise<{ stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise({ stdout, stderr }) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${stderr.slice(-2000)}`))));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssKiB = Number(/(\d+)\s*$/.exec(out.stderr.trim())?.[1] ?? NaN);
  return { seconds, rssKiB, stdout: out.stdout };
}

/**
 * `node dist/test/bench/push.js [PROJECT]`: the push figures alone, on the bench project `npm run bench`
 * generates (test/.cache/bench/project): curl's floor, then pycontainer `apply --push` of a committed plan
 * (no compile time) with a warm cache to a fresh repository, the same again (unchanged), an
 * empty-cache `apply --push` to the repository that holds the image (the registry as the cache), and
 * `build --push` (plan included; straight from the cache, no apply) to a fresh repository and again.
 * Medians of BENCH_REPS [3]; nothing asserted.
 */
async function main(): Promise<void> {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const project = resolve(process.argv[2] ?? join(repo, 'test', '.cache', 'bench', 'project'));
  const cli = join(repo, 'bin', 'pycontainer.js');
  const reps = Number(process.env.BENCH_REPS ?? 3);
  const missing = missingPushTools().concat(findOnPath('curl') ? [] : ['curl']);
  if (missing.length) throw new Error(`${missing.join(', ')} not on PATH`);
  const work = await mkdtemp(join(tmpdir(), 'pyc-bench-push-'));
  const reg = await startRegistry('plain');
  try {
    const cache = join(work, 'cache');
    const plan = join(work, 'plan.json');
    const layout = join(work, 'layout');
    await timed(process.execPath, [cli, 'plan', '-C', project, '--base-image', 'scratch', '-t', `${reg.host}/bench/app:1`, '-o', plan]);
    // The warm cache, and the layout curl pushes from (the same blobs).
    await timed(process.execPath, [cli, 'apply', plan, '-C', project, '--cache-dir', cache, '-o', `oci:${layout}`, '--quiet']);
    const figures: Record<string, { seconds: number[]; rssKiB: number[] }> = {};
    const note = (name: string, r: { seconds: number; rssKiB: number }) => {
      (figures[name] ??= { seconds: [], rssKiB: [] }).seconds.push(r.seconds);
      figures[name].rssKiB.push(r.rssKiB);
    };
    const pushOnly = process.env.BENCH_PUSH_ONLY === '1';
    for (let rep = 0; rep < reps; rep++) {
      note('curl floor', { seconds: await curlPushFloor(reg, `bench/curl-${rep}`, layout), rssKiB: NaN });
      // The push alone, in this process, from the layout apply wrote: what pushApplied adds to apply.
      note('pushApplied alone, fresh repo (RSS: growth)', await pushLayout(reg, `bench/inproc-${rep}`, layout));
      note('pushApplied alone, unchanged (RSS: growth)', await pushLayout(reg, `bench/inproc-${rep}`, layout));
      await unlinkBlobs(reg, `bench/inproc-${rep}`, await layoutBlobDigests(layout));
      if (pushOnly) continue;
      const repoPlan = join(work, `plan-${rep}.json`);
      await writeFile(repoPlan, (await readFile(plan, 'utf8')).replaceAll(`${reg.host}/bench/app:1`, `${reg.host}/bench/app-${rep}:1`));
      const args = [cli, 'apply', repoPlan, '-C', project, '--push', '--json', '--cache-dir', cache];
      note('apply --push, warm cache, fresh repo', await timed(process.execPath, args));
      note('apply --push, unchanged', await timed(process.execPath, args));
      note('apply --push, empty cache, image in the repo', await timed(process.execPath, [cli, 'apply', repoPlan, '-C', project, '--push', '--json', '--cache-dir', join(work, `empty-${rep}`)]));
      // What users run: build --push (plan included), straight from the warm cache, then unchanged.
      const buildArgs = [cli, 'build', '-C', project, '--base-image', 'scratch', '-t', `${reg.host}/bench/build-${rep}:1`, '--push', '--json', '--cache-dir', cache];
      await rm(join(cache, 'blob-info'), { recursive: true, force: true });
      note('build --push, warm cache, fresh repo', await timed(process.execPath, buildArgs));
      note('build --push, unchanged', await timed(process.execPath, buildArgs));
      // No later repetition may mount what this one pushed (from the blob-info cache).
      const digests = await layoutBlobDigests(layout);
      await unlinkBlobs(reg, `bench/app-${rep}`, digests);
      await unlinkBlobs(reg, `bench/curl-${rep}`, digests);
      await unlinkBlobs(reg, `bench/build-${rep}`, digests);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const floor = med(figures['curl floor']!.seconds);
    for (const [name, f] of Object.entries(figures)) {
      const rss = med(f.rssKiB);
      process.stdout.write(`${name.padEnd(46)} ${med(f.seconds).toFixed(2)} s  (${(med(f.seconds) / floor).toFixed(2)}× curl)${Number.isNaN(rss) ? '' : `  peak RSS ${(rss / 1024).toFixed(0)} MB`}   runs: ${f.seconds.map((s) => s.toFixed(2)).join(', ')}\n`);
    }
  } finally {
    await reg.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
