import { execFile } from 'node:child_process';

/**
 * The one piece of I/O behind a dynamic version: `git describe --tags --always` in the context (git
 * finds the repository above it). Detection stays pure: this result is one of its inputs. Undefined
 * when git is missing, the context is not in a repository, or git fails; never throws.
 */
export function readGitDescribe(contextAbs: string, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['describe', '--tags', '--always'],
      // No pager, no prompts, and no user config that could change the output's shape.
      { cwd: contextAbs, timeout: timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } },
      (err, stdout) => {
        const line = String(stdout ?? '').trim().split('\n')[0]?.trim();
        resolve(err || !line ? undefined : line);
      },
    );
  });
}
