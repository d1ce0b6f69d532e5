// Runs the pycontainer CLI as a user does: a child process with piped output, from the repository root.
import { join } from 'node:path';
import { findRepoRoot } from './base-image.js';
import { run, type RunResult } from './tools.js';

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
}

/**
 * `node bin/pycontainer.js ARGS`; never throws on a non-zero exit. The host's SOURCE_DATE_EPOCH is
 * dropped (plans must not depend on it) unless `env` sets it again.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<RunResult> {
  const root = findRepoRoot();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SOURCE_DATE_EPOCH;
  delete env.NODE_TEST_CONTEXT; // the child is not a test runner of ours
  return run(process.execPath, [join(root, 'bin', 'pycontainer.js'), ...args], {
    cwd: options.cwd ?? root,
    env: { ...env, ...options.env },
    allowFail: true,
    ...(options.stdin !== undefined ? { input: options.stdin } : {}),
  });
}
