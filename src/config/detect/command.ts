/**
 * The command the image runs, from a table of detectors tried strongest evidence first: what the
 * authors run in production (a Procfile `web:` line), a web app of a framework the project declares,
 * a console script, a web app found in code nobody declared a framework for, a package's
 * `__main__.py`, a top-level `main.py`/`app.py`. Pure.
 */
import type { ContextFile } from '../context.js';
import { serverCommand, serverEnv, type FoundFramework } from './frameworks.js';
import { isIncluded, moduleName } from './include.js';
import { normalizeName, type ProjectMetadata } from './metadata.js';
import type { Found } from './types.js';

export type Command = { entrypoint?: string[]; cmd?: string[] };

export interface CommandInput {
  project: ProjectMetadata;
  framework?: FoundFramework;
  /** The Procfile's text, when the context has one. */
  procfile?: string;
  files: ContextFile[];
  importRoots: string[];
  includePaths: string[];
  venv: string;
}

export interface CommandResult {
  command?: Found<Command>;
  /** Environment the command needs (PORT for a Procfile line, GRADIO_SERVER_NAME). */
  env: Record<string, string>;
  ports: Found<string[]>;
  /** About the chosen command only (a development server): moot when the user sets entrypoint/cmd. */
  warnings: string[];
}

interface CommandDetector {
  name: string;
  detect(input: CommandInput): CommandResult | undefined;
}

const noPorts: Found<string[]> = { value: [], why: 'no server detected' };

/** The port a Procfile's `$PORT` gets when nothing else says: the common default of Python web servers. */
export const DEFAULT_PROCFILE_PORT = 8000;

/** The `web:` line of a Procfile (Heroku/Railway convention), without the `web:` prefix. */
export function parseProcfileWeb(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*web\s*:\s*(.*?)\s*$/.exec(line);
    if (m && m[1]) return m[1];
  }
  return undefined;
}

const PORT_REF = /\$\{PORT(?::?-(\d+))?\}|\$PORT\b/g;
/** Words a shell would pass through unchanged: no quotes, variables, globs, redirections or operators. */
const PLAIN_WORD = /^[A-Za-z0-9_./:=,@%+-]+$/;

/**
 * A Procfile `web:` line as a command. A plain word list runs in exec form with `$PORT` replaced by the
 * port (PORT is also set, for code that reads it); anything else needs a shell: `/bin/sh -c LINE`.
 */
export function procfileCommand(line: string): { cmd: string[]; port?: number; env: Record<string, string> } {
  const usesPort = PORT_REF.test(line);
  PORT_REF.lastIndex = 0;
  const defaulted = /\$\{PORT:?-(\d+)\}/.exec(line)?.[1];
  const port = usesPort ? Number(defaulted ?? DEFAULT_PROCFILE_PORT) : literalPort(line);
  const env: Record<string, string> = usesPort ? { PORT: String(port) } : {};
  const words = line.replace(PORT_REF, String(port)).split(/\s+/).filter(Boolean);
  if (words.length > 0 && words.every((w) => PLAIN_WORD.test(w))) return { cmd: words, env, ...(port ? { port } : {}) };
  return { cmd: ['/bin/sh', '-c', line], env, ...(port ? { port } : {}) };
}

/** A port written out in a command: `--port 5000`, `-p 5000`, `--bind 0.0.0.0:5000`, `-b :5000`. */
function literalPort(line: string): number | undefined {
  const m = /(?:--port[ =]|-p\s+)(\d{2,5})\b/.exec(line) ?? /(?:--bind[ =]|-b\s+)\S*:(\d{2,5})\b/.exec(line) ?? /\b0\.0\.0\.0:(\d{2,5})\b/.exec(line);
  return m ? Number(m[1]) : undefined;
}

const procfile: CommandDetector = {
  name: 'procfile',
  detect(input) {
    const line = input.procfile === undefined ? undefined : parseProcfileWeb(input.procfile);
    if (!line) return undefined;
    const { cmd, port, env } = procfileCommand(line);
    return {
      command: { value: { cmd }, why: `Procfile web: ${line}` },
      env,
      ports: port ? { value: [`${port}/tcp`], why: `Procfile web: ${line}` } : noPorts,
      warnings: [],
    };
  },
};

function frameworkDetector(declared: boolean): CommandDetector {
  return {
    name: declared ? 'declared web framework' : 'web app in code',
    detect(input) {
      const found = input.framework;
      if (!found || found.declared !== declared) return undefined;
      const fw = found.framework;
      return {
        command: { value: { cmd: serverCommand(fw, `${input.venv}/bin/python`) }, why: `${fw.name} app in ${fw.file}` },
        env: serverEnv(fw),
        ports: { value: [`${fw.port}/tcp`], why: `${fw.name} (${fw.server})` },
        warnings: found.warnings,
      };
    },
  };
}

/** A console script named like the project, else the first one: a CLI's entry point. */
const script: CommandDetector = {
  name: 'console script',
  detect({ project, venv }) {
    const s = project.scripts.find((x) => normalizeName(x.name) === project.name) ?? project.scripts[0];
    if (!s) return undefined;
    return { command: { value: { entrypoint: [`${venv}/bin/${s.name}`] }, why: `[project.scripts] ${s.name} = "${s.module}${s.attr ? `:${s.attr}` : ''}"` }, env: {}, ports: noPorts, warnings: [] };
  },
};

/** `python -m pkg` for a package with `__main__.py`: the one named like the project, else the shallowest. */
const dunderMain: CommandDetector = {
  name: '__main__.py',
  detect({ project, files, importRoots, includePaths, venv }) {
    const mains = files
      .filter((f) => f.type === 'file' && f.path.endsWith('/__main__.py') && isIncluded(f.path, includePaths))
      .map((f) => ({ path: f.path, mod: moduleName(f.path.replace(/\/__main__\.py$/, '/__init__.py'), importRoots) }))
      .filter((m): m is { path: string; mod: string } => !!m.mod && !/^(tests?|docs?|examples?)(\.|$)/.test(m.mod))
      .sort((a, b) => a.mod.split('.').length - b.mod.split('.').length || (a.mod < b.mod ? -1 : 1));
    const main = mains.find((m) => m.mod === project.name.replace(/-/g, '_')) ?? mains[0];
    return main ? { command: { value: { cmd: [`${venv}/bin/python`, '-m', main.mod] }, why: main.path }, env: {}, ports: noPorts, warnings: [] } : undefined;
  },
};

const topLevelScript: CommandDetector = {
  name: 'main.py',
  detect({ files, includePaths, venv }) {
    for (const name of ['main.py', 'app.py']) {
      if (files.some((f) => f.path === name && f.type === 'file') && isIncluded(name, includePaths)) {
        return { command: { value: { cmd: [`${venv}/bin/python`, name] }, why: `top-level ${name}` }, env: {}, ports: noPorts, warnings: [] };
      }
    }
    return undefined;
  },
};

/** Strongest evidence first. */
export const COMMAND_DETECTORS: CommandDetector[] = [procfile, frameworkDetector(true), script, frameworkDetector(false), dunderMain, topLevelScript];

export function detectCommand(input: CommandInput): CommandResult {
  for (const detector of COMMAND_DETECTORS) {
    const found = detector.detect(input);
    if (found) return found;
  }
  return { env: {}, ports: noPorts, warnings: [] };
}
