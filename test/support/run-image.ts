// Run images from an OCI layout without Docker: umoci unpacks the image into
// an OCI runtime bundle, runc runs it.
//
// What runc needed in this sandbox (Debian 12, runc 1.1.5, root, cgroup v1
// hierarchy with a cgroup2 "unified" mount, Firecracker VM):
//   * process.terminal must be false: umoci writes terminal=true and runc then
//     fails with "open /dev/tty: no such device or address" (no controlling
//     tty under a test runner). With terminal=false runc passes our stdio
//     pipes straight to the container process.
//   * Default cgroup handling works (cgroupfs driver, the default; no
//     --systemd-cgroup). Nothing else was needed.
//   * We still give every container its own state root (`runc --root <tmp>`)
//     plus a unique id, so parallel tests never share /run/runc state and a
//     crashed test leaves nothing behind in /run/runc.
//   * Servers run in a network namespace of their own (`ip netns add`, loopback
//     up) that runc joins, and the test speaks HTTP from inside that namespace
//     (`ip netns exec NS node …`): no host port is used, so tests never collide
//     with each other or with whatever else listens on the machine. Without
//     `ownNetwork` runc gives the container a fresh netns with only a (down)
//     loopback.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isRoot, run, type RunResult } from './tools.js';

export interface UnpackedImage {
  bundle: string;
  rootfs: string;
  /** The runtime spec (bundle/config.json) umoci generated. */
  config: any;
  cleanup(): Promise<void>;
}

export interface RunImageOptions {
  /** Replaces process.args (entrypoint + cmd) entirely. */
  args?: string[];
  /** Extra KEY=VALUE entries appended to process.env. */
  env?: string[];
  /**
   * Run in a named network namespace of its own with loopback up, so that `StartedImage.http` can reach
   * a server in it on any port without touching the host's ports.
   */
  ownNetwork?: boolean;
  timeoutMs?: number;
}

let counter = 0;
function containerId(): string {
  counter += 1;
  return `pyc-e2e-${process.pid}-${counter}-${randomBytes(4).toString('hex')}`;
}

export async function unpackImage(layoutDir: string, tag: string): Promise<UnpackedImage> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-e2e-'));
  const cleanup = () => rm(tmp, { recursive: true, force: true });
  try {
    const bundle = path.join(tmp, 'bundle');
    const args = ['unpack', ...(isRoot() ? [] : ['--rootless']), '--image', `${layoutDir}:${tag}`, bundle];
    await run('umoci', args, { timeoutMs: 300_000 });
    const config = JSON.parse(await readFile(path.join(bundle, 'config.json'), 'utf8'));
    const rootfs = path.join(bundle, config.root?.path ?? 'rootfs');
    return { bundle, rootfs, config, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

interface Prepared {
  image: UnpackedImage;
  id: string;
  stateRoot: string;
  /** The network namespace's name, with ownNetwork. */
  netns?: string;
  finish(): Promise<void>;
}

/** A network namespace with loopback up, for one container; removed by the returned function. */
async function createNetns(name: string): Promise<() => Promise<void>> {
  await run('ip', ['netns', 'add', name], { timeoutMs: 30_000 });
  try {
    await run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { timeoutMs: 30_000 });
  } catch (e) {
    await run('ip', ['netns', 'delete', name], { allowFail: true, timeoutMs: 30_000 });
    throw e;
  }
  return async () => {
    await run('ip', ['netns', 'delete', name], { allowFail: true, timeoutMs: 30_000 });
  };
}

async function prepare(layoutDir: string, tag: string, opts: RunImageOptions): Promise<Prepared> {
  const image = await unpackImage(layoutDir, tag);
  try {
    const spec = image.config;
    spec.process ??= {};
    spec.process.terminal = false;
    if (opts.args) spec.process.args = [...opts.args];
    if (opts.env) spec.process.env = [...(spec.process.env ?? []), ...opts.env];
    const id = containerId();
    let removeNetns: (() => Promise<void>) | undefined;
    const netns = opts.ownNetwork ? id : undefined;
    if (netns) {
      removeNetns = await createNetns(netns);
      spec.linux ??= {};
      const others = (spec.linux.namespaces ?? []).filter((ns: { type: string }) => ns.type !== 'network');
      spec.linux.namespaces = [...others, { type: 'network', path: `/var/run/netns/${netns}` }];
    }
    await writeFile(path.join(image.bundle, 'config.json'), JSON.stringify(spec, null, 2));
    const stateRoot = path.join(path.dirname(image.bundle), 'runc-state');
    const finish = async () => {
      try {
        await run('runc', ['--root', stateRoot, 'delete', '--force', id], { allowFail: true, timeoutMs: 30_000 });
      } finally {
        await removeNetns?.();
        await image.cleanup();
      }
    };
    return { image, id, stateRoot, ...(netns ? { netns } : {}), finish };
  } catch (e) {
    await image.cleanup();
    throw e;
  }
}

/** Runs the image to completion and returns its exit code and output. */
export async function runImage(layoutDir: string, tag: string, opts: RunImageOptions = {}): Promise<RunResult> {
  const p = await prepare(layoutDir, tag, opts);
  try {
    return await run('runc', ['--root', p.stateRoot, 'run', '--bundle', p.image.bundle, p.id], {
      allowFail: true,
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
  } finally {
    await p.finish();
  }
}

export interface StartedImage {
  /** Kills the container (SIGKILL), deletes it, removes temp files. */
  stop(): Promise<{ stdout: string; stderr: string }>;
  /** stdout + stderr collected so far. */
  output(): string;
  /** Container id (for debugging). */
  id: string;
  /**
   * With ownNetwork: one HTTP request to `http://127.0.0.1:PORT/PATH` made from inside the container's
   * network namespace. Rejects when nothing answers.
   */
  http(port: number, urlPath?: string, init?: { method?: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }>;
  /** With ownNetwork: polls `http(port, urlPath)` until any HTTP response arrives; throws after timeoutMs. */
  waitForHttp(port: number, urlPath: string, timeoutMs: number): Promise<{ status: number; body: string }>;
}

/** The request script run inside the namespace: argv = url, init JSON; prints {status, body} as JSON. */
const IN_NETNS_FETCH = `
const [url, init] = process.argv.slice(1);
try {
  const res = await fetch(url, { ...JSON.parse(init), signal: AbortSignal.timeout(10000) });
  process.stdout.write(JSON.stringify({ status: res.status, body: await res.text() }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.cause ? e.cause.code || e.cause.message || e.cause : e) }));
}`;

async function httpInNetns(netns: string | undefined, port: number, urlPath = '/', init: object = {}): Promise<{ status: number; body: string }> {
  if (!netns) throw new Error('http(): start the image with { ownNetwork: true }');
  const url = `http://127.0.0.1:${port}${urlPath.startsWith('/') ? urlPath : `/${urlPath}`}`;
  const r = await run('ip', ['netns', 'exec', netns, process.execPath, '--input-type=module', '-e', IN_NETNS_FETCH, url, JSON.stringify(init)], { timeoutMs: 30_000 });
  const out = JSON.parse(r.stdout) as { status: number; body: string } | { error: string };
  if ('error' in out) throw new Error(`no HTTP response from ${url} in netns ${netns}: ${out.error}`);
  return out;
}

/** Starts the image in the background (for servers); call stop() when done. */
export async function startImage(layoutDir: string, tag: string, opts: RunImageOptions = {}): Promise<StartedImage> {
  const p = await prepare(layoutDir, tag, opts);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  // `runc run` in the foreground with terminal=false: the container inherits
  // these pipes directly (no console socket, no --detach).
  const child = spawn('runc', ['--root', p.stateRoot, 'run', '--bundle', p.image.bundle, p.id], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b: Buffer) => (out.push(b), all.push(b)));
  child.stderr.on('data', (b: Buffer) => (err.push(b), all.push(b)));
  const exited = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
  let stopped: Promise<{ stdout: string; stderr: string }> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        if (child.exitCode === null && child.signalCode === null) {
          await run('runc', ['--root', p.stateRoot, 'kill', p.id, 'KILL'], { allowFail: true, timeoutMs: 30_000 });
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
      } finally {
        await p.finish();
      }
      return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    })();
    return stopped;
  };
  const http = (port: number, urlPath = '/', init: object = {}) => httpInNetns(p.netns, port, urlPath, init);
  const waitFor = async (port: number, urlPath: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the container exited (${child.exitCode ?? child.signalCode}) before answering HTTP on port ${port}:\n${Buffer.concat(all).toString('utf8')}`);
      }
      try {
        return await http(port, urlPath);
      } catch (e) {
        lastError = e;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${lastError instanceof Error ? lastError.message : String(lastError)} (waited ${timeoutMs} ms); container output:\n${Buffer.concat(all).toString('utf8')}`);
  };
  return { stop, output: () => Buffer.concat(all).toString('utf8'), id: p.id, http, waitForHttp: waitFor };
}

/** Polls `url` until any HTTP response arrives; throws after timeoutMs. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, Math.min(5_000, deadline - Date.now()))) });
      return { status: res.status, body: await res.text() };
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const why = lastError instanceof Error ? `${lastError.message}${lastError.cause ? ` (${String((lastError.cause as Error).message ?? lastError.cause)})` : ''}` : String(lastError);
  throw new Error(`no HTTP response from ${url} within ${timeoutMs} ms; last error: ${why}`);
}

/** `skopeo inspect oci:<dir>:<tag>`, parsed. */
export async function skopeoInspect(layoutDir: string, tag: string): Promise<any> {
  const { stdout } = await run('skopeo', ['inspect', `oci:${layoutDir}:${tag}`], { timeoutMs: 120_000 });
  return JSON.parse(stdout);
}

/**
 * Debian 12's oci-image-tool is 1.0.0-rc1. Its `--type imageLayout` is
 * unimplemented, but `--type image` on a directory autodetects an image layout
 * and validates the ref's manifest, config and layers against the schemas:
 *   oci-image-tool validate --type image --ref name=<tag> <dir>
 */
export async function ociImageToolValidate(layoutDir: string, tag: string): Promise<void> {
  const r = await run('oci-image-tool', ['validate', '--type', 'image', '--ref', `name=${tag}`, layoutDir], {
    allowFail: true,
    timeoutMs: 300_000,
  });
  if (r.code !== 0 || !/Validation succeeded/.test(r.stdout + r.stderr)) {
    throw new Error(`oci-image-tool validate failed for ${layoutDir}:${tag} (exit ${r.code})\n${r.stdout}\n${r.stderr}`);
  }
}
