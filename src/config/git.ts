import { childProcess } from '../lazy-builtins.js';

/**
 * The one piece of I/O behind a dynamic version: `git describe --tags --always` in the context (git
 * finds the repository above it). Detection stays pure: this result is one of its inputs. Undefined
 * when git is missing, the context is not in a repository, or git fails; never throws.
 */
export function readGitDescribe(contextAbs: string, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    childProcess().execFile(
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

/** What annotations_from_git takes from the repository the context is in. */
export interface GitInfo {
  /** HEAD's commit (full hex). */
  commit: string;
  /** HEAD's committer time, in seconds. */
  time: number;
  /** The origin remote's URL without user name or password; undefined when there is no origin. */
  remote?: string;
}

function gitOutput(contextAbs: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    childProcess().execFile('git', args, { cwd: contextAbs, timeout: timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } }, (err, stdout) => {
      const text = String(stdout ?? '').trim();
      resolve(err || !text ? undefined : text);
    });
  });
}

/**
 * HEAD's commit and time and the origin URL (`git log -1`, `git remote get-url origin`); undefined
 * when git is missing or the context is not in a repository with a commit. Never throws.
 */
export async function readGitInfo(contextAbs: string, timeoutMs = 5000): Promise<GitInfo | undefined> {
  const head = await gitOutput(contextAbs, ['log', '-1', '--format=%H %ct'], timeoutMs);
  const m = head ? /^([0-9a-f]{40,64}) (\d+)$/.exec(head) : null;
  if (!m) return undefined;
  const remote = await gitOutput(contextAbs, ['remote', 'get-url', 'origin'], timeoutMs);
  const clean = remote ? withoutCredentials(remote) : undefined;
  return { commit: m[1]!, time: Number(m[2]), ...(clean ? { remote: clean } : {}) };
}

/**
 * A remote URL fit for an image annotation: `https://user:token@host/x` → `https://host/x` (the
 * query and fragment go too, where tokens also hide); scp-like `git@host:org/repo.git` is kept (its
 * user is not a secret). Pure.
 */
export function withoutCredentials(remote: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) {
    try {
      const u = new URL(remote);
      u.username = '';
      u.password = '';
      u.search = '';
      u.hash = '';
      return u.toString();
    } catch {
      return undefined;
    }
  }
  if (/^[A-Za-z0-9._-]+@[^:/@]+:[^@]*$/.test(remote) || /^[^:@/]+:[^/@][^@]*$/.test(remote)) return remote;
  // A local path is no source anyone else can reach.
  return undefined;
}
