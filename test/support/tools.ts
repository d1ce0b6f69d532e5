// Helpers for end-to-end tests that depend on external tools (skopeo, umoci,
// runc, oci-image-tool, docker-registry, gcc). Tests gate themselves with
// `if (!needTools(t, [...])) return;` — missing tools skip the test, unless
// PYCONTAINER_E2E=required, in which case they fail loudly (CI mode).

import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Debian 12 package that provides each command we know about. */
const APT_PACKAGE: Record<string, string> = {
  skopeo: 'skopeo',
  umoci: 'umoci',
  runc: 'runc',
  'oci-image-tool': 'oci-image-tool',
  // The Debian package "docker-registry" ships the distribution registry
  // binary (upstream name `registry`) as /usr/bin/docker-registry.
  'docker-registry': 'docker-registry',
  registry: 'docker-registry',
  gcc: 'gcc libc6-dev',
  tar: 'tar',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  'apt-get': 'apt',
  dpkg: 'dpkg',
};

export function e2eRequired(): boolean {
  return process.env.PYCONTAINER_E2E === 'required';
}

/** Full path of `cmd` if it is an executable file on PATH, else undefined. */
export function findOnPath(cmd: string): string | undefined {
  if (cmd.includes('/')) return isExecutable(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * True when every tool is on PATH (and, with `root: true`, we run as uid 0).
 * Otherwise skips the test (returns false) or, with PYCONTAINER_E2E=required,
 * throws an Error naming what is missing and how to install it.
 */
export function needTools(t: TestContext, tools: string[], opts: { root?: boolean } = {}): boolean {
  const missing = tools.filter((tool) => findOnPath(tool) === undefined);
  const reasons: string[] = [];
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((m) => APT_PACKAGE[m] ?? m))];
    reasons.push(`needs ${missing.join(', ')} (apt-get install ${pkgs.join(' ')})`);
  }
  if (opts.root && !isRoot()) reasons.push('needs to run as root (uid 0)');
  if (reasons.length === 0) return true;
  const reason = reasons.join('; ');
  if (e2eRequired()) {
    throw new Error(`${reason}; PYCONTAINER_E2E=required is set, so this is a failure`);
  }
  t.skip(`${reason}; set PYCONTAINER_E2E=required to fail instead`);
  return false;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin; without it stdin is /dev/null. */
  input?: string;
  /** Kill the child (SIGKILL) and reject after this many milliseconds. */
  timeoutMs?: number;
  /** Resolve with the exit code instead of rejecting on non-zero exit. */
  allowFail?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function tail(s: string, max = 4000): string {
  return s.length > max ? `…${s.slice(-max)}` : s;
}

export function formatCommand(cmd: string, args: string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Spawn `cmd args` (no shell), collect its output, reject on failure. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const line = formatCommand(cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => {}); // EPIPE if the child does not read
      child.stdin!.end(opts.input);
    }
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`${line}: failed to start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new Error(
            `${line}: timed out after ${opts.timeoutMs} ms\n--- stdout (tail) ---\n${tail(stdout)}\n--- stderr (tail) ---\n${tail(stderr)}`,
          ),
        );
        return;
      }
      const exit = code ?? 128 + (signal ? signalNumber(signal) : 0);
      if (exit !== 0 && !opts.allowFail) {
        reject(
          new Error(
            `${line}: exited with code ${exit}${signal ? ` (signal ${signal})` : ''}\n--- stderr (tail) ---\n${tail(stderr)}`,
          ),
        );
        return;
      }
      resolve({ code: exit, stdout, stderr });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
