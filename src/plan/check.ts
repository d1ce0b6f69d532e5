import type { Rootfs } from '../oci/rootfs.js';

/**
 * The static start-up check: before anything is built or published, would the container's first
 * process start? The command's first word must resolve, through symlinks (the venv's bin/python →
 * the base's interpreter), to an executable file in the image as the plan stacks it (base layers,
 * dependency layers, application layer); a bare name is looked up on the image's PATH; a script's
 * `#!` interpreter must exist too; a shell command needs a shell the base has. Pure: it reads the
 * filesystem view the planner already has, so `apply` of a plan does not repeat it.
 */
export interface StartCheckInput {
  /** The base as the plan names it, for messages. */
  base: string;
  image: Rootfs;
  entrypoint?: string[] | null;
  cmd?: string[] | null;
  env: string[];
  workingDir: string;
  /**
   * Directories whose files the plan does not list (a lock's dependency layer is hashed, not listed):
   * a command found in none of the listed layers but under one of these is taken on trust.
   */
  unlisted?: string[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const FIX = 'set build.entrypoint or build.cmd in [tool.pycontainer.build] (or pycontainer.toml [build])';

/** One line saying why the image would not start, or undefined when it would. */
export function checkStartup(input: StartCheckInput): string | undefined {
  const entrypoint = input.entrypoint ?? [];
  const cmd = input.cmd ?? [];
  const argv = [...entrypoint, ...cmd];
  const what = entrypoint.length ? 'entrypoint' : 'cmd';
  const fail = (why: string) => `the image would not start: ${why}; ${FIX}`;
  if (argv.length === 0) return fail(`it has no command (no Entrypoint or Cmd, in the project or in base image ${input.base})`);
  const first = argv[0]!;
  if (/\s/.test(first.trim()) && !first.includes('/')) {
    return fail(`${what} ${JSON.stringify(first)} is one word with spaces (a shell command line?); write each argument as its own list item`);
  }
  const found = findExecutable(input, first);
  if ('problem' in found) return fail(`${what} ${found.problem}`);
  return undefined;
}

/** Where a command word leads, or what is wrong with it (message without the "the image would not start"). */
function findExecutable(input: StartCheckInput, word: string, depth = 0): { path: string } | { problem: string } {
  const image = input.image;
  const shell = SHELLS.has(word.split('/').pop()!);
  const noShell = () => ({ problem: `${word} needs a shell, and base image ${input.base} has none (no /bin/sh); run the program directly, without sh -c` });
  let candidates: string[];
  if (word.startsWith('/')) candidates = [word];
  else if (word.includes('/')) candidates = [`${input.workingDir.replace(/\/+$/, '')}/${word.replace(/^(\.\/)+/, '')}`];
  else candidates = pathDirs(input.env).map((d) => `${d.replace(/\/+$/, '')}/${word}`);
  let firstMiss: string | undefined;
  for (const path of candidates) {
    const r = image.resolve(path);
    if ('loop' in r) return { problem: `${word} is a symlink loop at ${r.loop}` };
    if ('missing' in r) {
      if (!firstMiss && r.via.length) firstMiss = `${path} → ${r.via.map((v) => v.split(' -> ')[1]).join(' → ')}: ${r.missing} is missing`;
      continue;
    }
    if (r.node.type === 'dir') return { problem: `${path} is a directory` };
    if (r.node.type !== 'file') return { problem: `${path} is not a regular file` };
    if ((r.node.mode & 0o111) === 0) return { problem: `${path} is not executable (mode 0${(r.node.mode & 0o7777).toString(8)})` };
    for (const program of depth < 4 ? interpreterOf(image, r.path) : []) {
      const inner = findExecutable(input, program, depth + 1);
      if ('problem' in inner) return { problem: `${path} is a script for ${program}, which would not run: ${inner.problem}` };
    }
    return { path: r.path };
  }
  if (shell) return noShell();
  const unlisted = candidates.find((c) => input.unlisted?.some((d) => c.startsWith(`${d.replace(/\/+$/, '')}/`)));
  if (unlisted) return { path: unlisted };
  if (candidates.length === 1) return { problem: `${candidates[0]} does not exist in the image${firstMiss ? ` (${firstMiss})` : ''}` };
  return { problem: `${word} is not on the image's PATH (${pathDirs(input.env).join(':')})` };
}

/**
 * The programs a script's `#!` line needs, when its text is known (files we generate): the
 * interpreter, or /usr/bin/env and the program it looks up on PATH.
 */
function interpreterOf(image: Rootfs, path: string): string[] {
  const text = image.readText(path);
  if (!text?.startsWith('#!')) return [];
  const words = text.slice(2).split('\n', 1)[0]!.trim().split(/\s+/).filter(Boolean);
  if (!words[0]) return [];
  if (words[0].endsWith('/env')) {
    const program = words.slice(1).find((w) => !w.startsWith('-') && !w.includes('='));
    return program ? [words[0], program] : [words[0]];
  }
  return [words[0]];
}

function pathDirs(env: string[]): string[] {
  const path = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return path.split(':').filter((d) => d.startsWith('/'));
}
