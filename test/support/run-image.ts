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
//   * hostNetwork drops the "network" namespace so a server inside binds the
//     host's 127.0.0.1; without it the container gets a fresh netns with only
//     a (down) loopback.

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
  /** Share the host network namespace (for servers tested from the host). */
  hostNetwork?: boolean;
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
  finish(): Promise<void>;
}

async function prepare(layoutDir: string, tag: string, opts: RunImageOptions): Promise<Prepared> {
  const image = await unpackImage(layoutDir, tag);
  try {
    const spec = image.config;
    spec.process ??= {};
    spec.process.terminal = false;
    if (opts.args) spec.process.args = [...opts.args];
    if (opts.env) spec.process.env = [...(spec.process.env ?? []), ...opts.env];
    if (opts.hostNetwork && Array.isArray(spec.linux?.namespaces)) {
      spec.linux.namespaces = spec.linux.namespaces.filter((ns: { type: string }) => ns.type !== 'network');
    }
    await writeFile(path.join(image.bundle, 'config.json'), JSON.stringify(spec, null, 2));
    const stateRoot = path.join(path.dirname(image.bundle), 'runc-state');
    const id = containerId();
    const finish = async () => {
      try {
        await run('runc', ['--root', stateRoot, 'delete', '--force', id], { allowFail: true, timeoutMs: 30_000 });
      } finally {
        await image.cleanup();
      }
    };
    return { image, id, stateRoot, finish };
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
  return { stop, output: () => Buffer.concat(all).toString('utf8'), id: p.id };
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
