import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readTexts, walkContext } from './context.js';
import { DEFAULT_PYTHON, detectIncludePaths, detectionCandidates, detectProject, INPUT_FILE, needsGitVersion, type Detection } from './detect.js';
import { readGitDescribe } from './git.js';
import { compileIgnore, ignorePatterns } from './ignore.js';
import { isDiagnostic, readTomlFile } from './read.js';

/** The defaults `init` shows as commented-out lines (the same values the compiler falls back to). */
export const INIT_DEFAULTS = {
  workdir: '/app',
  user: '65532:65532',
  platforms: ['linux/amd64'],
  output: 'dist/image',
};

/** What `init` writes from: detection over the context, and the `#:schema` reference. */
export interface InitInput {
  detection: Detection;
  /** A path relative to the file, or the schema's URL. */
  schemaRef: string;
  /** The workdir the detected command's paths assume. */
  workdir?: string;
}

/**
 * The text of a new pycontainer.toml: a `#:schema` line for editors, then `[build]` with what
 * detection found (each with why), and the other common keys commented out with their defaults.
 * Pure. The result parses and validates against schema/pycontainer.schema.json.
 */
export function renderInitConfig(input: InitInput): string {
  const { detection } = input;
  const workdir = input.workdir ?? INIT_DEFAULTS.workdir;
  const project = detection.project;
  const l: string[] = [];
  l.push(`#:schema ${input.schemaRef}`);
  l.push('# pycontainer configuration, written by `pycontainer init`.');
  l.push('# Active values were detected from the project; commented-out lines show the defaults.');
  l.push('# Command-line flags override this file, and this file overrides [tool.pycontainer] in pyproject.toml.');
  l.push('# See what each setting resolves to with `pycontainer plan --explain`.');
  l.push('');
  l.push('[build]');

  // Base image: only a comment, so it keeps following requires-python.
  const python = detection.pythonVersion?.value ?? DEFAULT_PYTHON;
  if (detection.pythonVersion) l.push(`# base image: detected python ${python} from ${oneLine(detection.pythonVersion.why)}; the default is python:${python}-slim`);
  else l.push(`# base image: no requires-python or .python-version; the default is python:${python}-slim`);
  l.push(`# base_image = ${str(`python:${python}-slim`)}`);
  l.push('');

  const include = detection.includePaths.value;
  if (include.length === 1 && (include[0] === '.' || include[0] === '')) {
    // The default needs no line: every file of the context goes in, minus .dockerignore/.gitignore.
    l.push(`# include_paths: ${oneLine(detection.includePaths.why)}; list paths to narrow it`);
    l.push('# include_paths = ["src", "pyproject.toml"]');
  } else if (include.length) {
    l.push(`# detected: ${oneLine(detection.includePaths.why)}`);
    l.push(`include_paths = ${arr(include)}`);
  } else {
    l.push(`# include_paths: ${oneLine(detection.includePaths.why)}; list what to copy into the image`);
    l.push('# include_paths = ["src", "pyproject.toml"]');
  }
  l.push('');

  const command = detection.command;
  if (command) {
    l.push(`# detected: ${oneLine(command.why)}`);
    if (command.value.entrypoint || command.value.cmd) l.push(`# (paths under ${workdir}/.venv follow workdir: change them with it)`);
    if (command.value.entrypoint) l.push(`entrypoint = ${arr(command.value.entrypoint)}`);
    if (command.value.cmd) l.push(`cmd = ${arr(command.value.cmd)}`);
  } else {
    l.push('# no entry point detected ([project.scripts], a web app, __main__.py or main.py): set one');
    l.push(`# cmd = ${arr([`${workdir}/.venv/bin/python`, '-m', project.name.replace(/-/g, '_')])}`);
  }
  l.push('');

  if (detection.ports.value.length) {
    l.push(`# detected: ${oneLine(detection.ports.why)}`);
    l.push(`exposed_ports = [${detection.ports.value.map(port).join(', ')}]`);
  } else {
    l.push(`# exposed_ports: ${oneLine(detection.ports.why)}`);
    l.push('# exposed_ports = [8000]');
  }
  l.push('');

  l.push('# Defaults:');
  l.push(`# workdir = ${str(INIT_DEFAULTS.workdir)}`);
  l.push(`# user = ${str(INIT_DEFAULTS.user)}`);
  l.push(`# platforms = ${arr(INIT_DEFAULTS.platforms)}`);
  l.push(`# tags = ${arr([`${project.name}:${project.version.replace(/[^A-Za-z0-9_.-]/g, '-')}`])}`);
  l.push(`# output = ${str(INIT_DEFAULTS.output)}`);
  l.push('# include_deps = true   # when a lock is found (pylock.toml, uv.lock, hashed requirements.txt)');
  l.push('# exclude = ["tests/"]  # added to .dockerignore, .gitignore and the built-in ignores');
  l.push('');
  l.push('# [build.env]');
  l.push('# LOG_LEVEL = "info"');
  l.push('');
  l.push('# [build.labels]');
  l.push('# "org.opencontainers.image.source" = "https://github.com/org/repo"');
  l.push('');
  l.push('# [registry]');
  l.push('# url = "ghcr.io/my-org"   # for tags that name no registry; credentials never go here');
  return `${l.join('\n')}\n`;
}

/** A detected port as TOML: `8000/tcp` → 8000, others as strings. */
function port(p: string): string {
  const m = /^(\d+)(?:\/tcp)?$/.exec(p);
  return m ? m[1]! : str(p);
}

/** A TOML basic string (JSON's escapes are a subset of TOML's). */
function str(s: string): string {
  return JSON.stringify(s);
}

function arr(xs: string[]): string {
  return `[${xs.map(str).join(', ')}]`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * Runs detection over a context as compilePlan does, without any configuration: lists the context
 * with the default ignores plus .dockerignore and .gitignore, reads pyproject.toml, lock files and the
 * Python files detection looks at. Reads the filesystem; no network.
 */
export async function readInitDetection(contextAbs: string, workdir = INIT_DEFAULTS.workdir): Promise<Detection> {
  const pyproject = await readTomlFile(join(contextAbs, 'pyproject.toml'), 'pyproject.toml');
  const ignoreTexts = await readTexts(contextAbs, ['.dockerignore', '.gitignore']);
  const exclude = ignorePatterns({
    ...(ignoreTexts['.gitignore'] !== undefined ? { gitignore: ignoreTexts['.gitignore'] } : {}),
    ...(ignoreTexts['.dockerignore'] !== undefined ? { dockerignore: ignoreTexts['.dockerignore'] } : {}),
    exclude: [],
    extra: [],
  });
  const files = await walkContext(contextAbs, compileIgnore(exclude));
  const includeGuess = detectIncludePaths(files).value;
  const lockish = (await readdir(contextAbs)).filter((name) => INPUT_FILE.test(name)).sort();
  const texts = await readTexts(contextAbs, [...lockish, ...detectionCandidates(files, includeGuess)]);
  const pyprojectData = pyproject && !isDiagnostic(pyproject) ? { pyproject: pyproject.data } : {};
  const gitDescribe = needsGitVersion({ ...pyprojectData, texts }) ? await readGitDescribe(contextAbs) : undefined;
  return detectProject({
    ...pyprojectData,
    files,
    texts,
    venv: `${workdir.replace(/\/+$/, '')}/.venv`,
    contextName: basename(contextAbs),
    ...(gitDescribe ? { gitDescribe } : {}),
  });
}
