import type { ContextFile } from './context.js';

/** What detection found, each value with the reason (for provenance and `plan --explain`). */
export interface Detection {
  project: ProjectMetadata;
  pythonVersion?: Found<string>;
  includePaths: Found<string[]>;
  /** Directories (relative to the context, '' = the context root) that hold importable top-level code. */
  importRoots: string[];
  framework?: Framework;
  /** The default command: Entrypoint for CLI scripts, Cmd for servers and modules. */
  command?: Found<{ entrypoint?: string[]; cmd?: string[] }>;
  ports: Found<string[]>;
}

export interface Found<T> {
  value: T;
  why: string;
}

export interface ProjectMetadata {
  name: string;
  version: string;
  description?: string;
  requiresPython?: string;
  scripts: ScriptEntry[];
  guiScripts: ScriptEntry[];
  dependencies: string[];
  /** Normalized names of dependencies declared or locked (pyproject, requirements*.txt, uv.lock, pylock). */
  knownPackages: string[];
}

export interface ScriptEntry {
  name: string;
  module: string;
  attr?: string;
}

export interface Framework {
  name: 'fastapi' | 'flask' | 'django';
  /** `module:attribute` the server loads. */
  target: string;
  server: 'uvicorn' | 'gunicorn' | 'flask' | 'django-runserver';
  port: number;
  file: string;
}

/** Inputs to detection: the context listing and the text of the files detection reads. */
export interface DetectInput {
  pyproject?: Record<string, unknown>;
  files: ContextFile[];
  texts: Record<string, string>;
  venv: string;
}

/** CPython minors with upstream support on the release date of this pycontainer, oldest first. */
export const SUPPORTED_PYTHONS = ['3.11', '3.12', '3.13', '3.14'];
export const DEFAULT_PYTHON = '3.13';

/** PEP 503 normalization: lower case, runs of `-_.` → `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Files at the context root that configure a build. The plan records the digest of each one present;
 * apply refuses the plan when one changed, disappeared or appeared.
 */
export const INPUT_FILE =
  /^(pyproject\.toml|pycontainer\.toml|\.dockerignore|\.gitignore|\.python-version|manage\.py|uv\.lock|pylock(\.[^/]+)?\.toml|poetry\.lock|Pipfile\.lock|requirements[^/]*\.(txt|in))$/;

const LOCK_FILE = /^(uv\.lock|pylock(\.[^/]+)?\.toml|poetry\.lock|Pipfile\.lock|requirements[^/]*\.txt|requirements[^/]*\.in)$/;

export function readProjectMetadata(pyproject: Record<string, unknown> | undefined, texts: Record<string, string>): ProjectMetadata {
  const project = (pyproject?.project ?? {}) as Record<string, unknown>;
  const poetry = (((pyproject?.tool ?? {}) as Record<string, unknown>).poetry ?? {}) as Record<string, unknown>;
  const name = String(project.name ?? poetry.name ?? 'app');
  const scripts = parseScripts((project.scripts ?? poetry.scripts ?? {}) as Record<string, unknown>);
  const dependencies = Array.isArray(project.dependencies) ? project.dependencies.map(String) : [];
  const known = new Set<string>();
  for (const d of dependencies) addRequirementName(known, d);
  for (const k of Object.keys((poetry.dependencies ?? {}) as object)) known.add(normalizeName(k));
  for (const [path, text] of Object.entries(texts)) {
    if (/^requirements[^/]*\.(txt|in)$/.test(path)) {
      for (const line of text.split(/\r?\n/)) if (!/^\s*(-|#|$)/.test(line)) addRequirementName(known, line);
    } else if (path === 'uv.lock' || /^pylock(\.[^/]+)?\.toml$/.test(path) || path === 'poetry.lock') {
      for (const m of text.matchAll(/^name\s*=\s*"([^"]+)"/gm)) known.add(normalizeName(m[1]!));
    }
  }
  known.delete(normalizeName(name));
  const meta: ProjectMetadata = {
    name: normalizeName(name),
    version: String(project.version ?? poetry.version ?? '0.0.0'),
    scripts,
    guiScripts: parseScripts((project['gui-scripts'] ?? {}) as Record<string, unknown>),
    dependencies,
    knownPackages: [...known].sort(),
  };
  if (typeof project.description === 'string') meta.description = project.description;
  if (typeof project['requires-python'] === 'string') meta.requiresPython = project['requires-python'];
  return meta;
}

function addRequirementName(set: Set<string>, requirement: string): void {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  if (m) set.add(normalizeName(m[1]!));
}

function parseScripts(table: Record<string, unknown>): ScriptEntry[] {
  const out: ScriptEntry[] = [];
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== 'string') continue;
    const spec = value.replace(/\[.*\]\s*$/, '').trim();
    const [module, attr] = spec.split(':').map((s) => s.trim());
    if (!module) continue;
    out.push(attr ? { name, module, attr } : { name, module });
  }
  return out;
}

/**
 * The Python minor to target: .python-version, else the oldest supported minor that satisfies
 * requires-python (what the project says it works with, and the most conservative choice).
 */
export function detectPythonVersion(meta: ProjectMetadata, texts: Record<string, string>): Found<string> | undefined {
  const pinned = texts['.python-version']?.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  const pinnedMinor = pinned && /^(?:cpython-|python)?(3\.\d+)/.exec(pinned)?.[1];
  if (pinnedMinor) return { value: pinnedMinor, why: `.python-version says ${pinned}` };
  if (meta.requiresPython) {
    const candidates = [...SUPPORTED_PYTHONS, ...['3.10', '3.9', '3.8']];
    const ok = candidates.find((minor) => satisfiesMinor(minor, meta.requiresPython!));
    if (ok) return { value: ok, why: `requires-python "${meta.requiresPython}"` };
  }
  return undefined;
}

/** Whether some release of `minor` (3.Y.0 … 3.Y.99) satisfies every clause of a PEP 440 specifier set. */
export function satisfiesMinor(minor: string, specifiers: string): boolean {
  const clauses = specifiers.split(',').map((s) => s.trim()).filter(Boolean);
  return [0, 1, 50, 99].some((patch) => clauses.every((c) => satisfiesClause(`${minor}.${patch}`, c)));
}

function satisfiesClause(version: string, clause: string): boolean {
  const m = /^(~=|==|!=|<=|>=|<|>|===)\s*([0-9][0-9.]*)(\.\*)?$/.exec(clause);
  if (!m) return true; // pre-releases and local versions do not change the choice of a minor
  const [, op, target, wildcard] = m;
  const cmp = compareVersions(version, target!);
  if (wildcard) {
    const prefix = target!.split('.');
    const same = version.split('.').slice(0, prefix.length).join('.') === prefix.join('.');
    return op === '!=' ? !same : same;
  }
  switch (op) {
    case '==':
    case '===':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '~=': {
      const parts = target!.split('.');
      const prefix = parts.slice(0, Math.max(1, parts.length - 1)).join('.');
      return cmp >= 0 && version.startsWith(`${prefix}.`);
    }
  }
  return true;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What to copy into the image when include_paths is not set: src/ and app/, top-level packages
 * (directories with __init__.py), top-level modules, Django/Flask template and static directories,
 * pyproject.toml and the requirement and lock files.
 */
export function detectIncludePaths(files: ContextFile[]): Found<string[]> {
  const top = files.filter((f) => !f.path.includes('/'));
  const has = (p: string) => files.some((f) => f.path === p);
  const picked = new Set<string>();
  for (const f of top) {
    const testDir = /^(tests?|testing|docs|examples)$/.test(f.path);
    if (f.type === 'dir' && (f.path === 'src' || f.path === 'app' || (has(`${f.path}/__init__.py`) && !testDir))) picked.add(f.path);
    if (f.type !== 'dir' && (f.path.endsWith('.py') || f.path === 'pyproject.toml' || LOCK_FILE.test(f.path))) picked.add(f.path);
  }
  // Template and static directories belong to the code found above, never on their own.
  for (const f of top) if (f.type === 'dir' && (f.path === 'templates' || f.path === 'static') && picked.size > 0) picked.add(f.path);
  const value = [...picked].sort();
  return { value, why: value.length ? `found ${value.join(', ')}` : 'nothing recognizable in the context' };
}

/** Directories whose contents are importable top-level names: src/ for a src layout, else the root. */
export function detectImportRoots(includePaths: string[], files: ContextFile[]): string[] {
  const roots: string[] = [];
  if (includePaths.includes('src') || includePaths.some((p) => p.startsWith('src/'))) roots.push('src');
  const rootHasCode = files.some(
    (f) => !f.path.startsWith('src/') && includePaths.some((p) => f.path === p || f.path.startsWith(`${p}/`)) && f.path.endsWith('.py'),
  );
  if (rootHasCode || roots.length === 0) roots.push('');
  return roots;
}

/** `src/pkg/api.py` → `pkg.api` for import root `src`; `__init__.py` names its package. */
export function moduleName(path: string, importRoots: string[]): string | undefined {
  const root = [...importRoots].sort((a, b) => b.length - a.length).find((r) => r === '' || path.startsWith(`${r}/`));
  if (root === undefined || !path.endsWith('.py')) return undefined;
  const rel = (root === '' ? path : path.slice(root.length + 1)).replace(/\.py$/, '').split('/');
  if (rel[rel.length - 1] === '__init__') rel.pop();
  if (rel.length === 0 || rel.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
  return rel.join('.');
}

/** Python files detection reads, most telling names first, bounded so huge trees stay quick. */
export function detectionCandidates(files: ContextFile[], includePaths: string[], limit = 400): string[] {
  const inIncluded = (p: string) => includePaths.some((i) => p === i || p.startsWith(`${i}/`));
  const rank = (p: string) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    const preferred = ['main.py', 'app.py', 'api.py', 'server.py', 'asgi.py', 'wsgi.py', '__init__.py', 'manage.py'];
    const i = preferred.indexOf(base);
    return (i === -1 ? preferred.length : i) * 100 + p.split('/').length;
  };
  return files
    .filter((f) => f.type === 'file' && f.path.endsWith('.py') && inIncluded(f.path) && !/(^|\/)tests?\//.test(f.path))
    .map((f) => f.path)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .slice(0, limit);
}

const FASTAPI = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_.]+\s*)?=\s*(?:fastapi\.)?FastAPI\s*\(/m;
const FLASK = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_.]+\s*)?=\s*(?:flask\.)?Flask\s*\(/m;
const FLASK_FACTORY = /^def\s+(create_app|make_app)\s*\(/m;
const DJANGO_SETTINGS = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z0-9_.]+)['"]/;

/** FastAPI, Flask or Django, from the code; the server is the best one the dependencies provide. */
export function detectFramework(input: DetectInput, candidates: string[], importRoots: string[], known: string[]): Framework | undefined {
  const hasPkg = (n: string) => known.includes(n);
  const manage = input.texts['manage.py'];
  const settings = manage && DJANGO_SETTINGS.exec(manage)?.[1];
  if (settings) {
    const projectPkg = djangoProjectPackage(settings, input.files, importRoots);
    const gunicorn = hasPkg('gunicorn');
    return {
      name: 'django',
      target: `${projectPkg}.wsgi:application`,
      server: gunicorn ? 'gunicorn' : 'django-runserver',
      port: 8000,
      file: 'manage.py',
    };
  }
  for (const path of candidates) {
    const text = input.texts[path];
    if (text === undefined) continue;
    const mod = moduleName(path, importRoots);
    if (!mod) continue;
    const fast = /\bfastapi\b/.test(text) && FASTAPI.exec(text);
    if (fast) return { name: 'fastapi', target: `${mod}:${fast[1]}`, server: 'uvicorn', port: 8000, file: path };
    if (/\bflask\b/.test(text)) {
      const flask = FLASK.exec(text);
      const factory = flask ? undefined : FLASK_FACTORY.exec(text);
      const attr = flask ? flask[1] : factory ? `${factory[1]}()` : undefined;
      if (attr) {
        const gunicorn = hasPkg('gunicorn');
        return { name: 'flask', target: `${mod}:${attr}`, server: gunicorn ? 'gunicorn' : 'flask', port: gunicorn ? 8000 : 5000, file: path };
      }
    }
  }
  return undefined;
}

/**
 * The package holding wsgi.py for a settings module: `mysite.settings` → `mysite`; with split
 * settings (`config.settings.production`) the nearest enclosing package that has a wsgi.py.
 */
function djangoProjectPackage(settings: string, files: ContextFile[], importRoots: string[]): string {
  const parts = settings.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const pkg = parts.slice(0, n);
    const rel = `${pkg.join('/')}/wsgi.py`;
    if (importRoots.some((root) => files.some((f) => f.path === (root ? `${root}/${rel}` : rel)))) return pkg.join('.');
  }
  return parts.slice(0, -1).join('.') || parts[0]!;
}

/** The command a framework's server runs with, through the venv's interpreter. */
export function serverCommand(fw: Framework, python: string): string[] {
  const port = String(fw.port);
  switch (fw.server) {
    case 'uvicorn':
      return [python, '-m', 'uvicorn', fw.target, '--host', '0.0.0.0', '--port', port];
    case 'gunicorn':
      return [python, '-m', 'gunicorn', '--bind', `0.0.0.0:${port}`, fw.target];
    case 'flask':
      return [python, '-m', 'flask', '--app', fw.target, 'run', '--host', '0.0.0.0', '--port', port];
    case 'django-runserver':
      return [python, 'manage.py', 'runserver', '--noreload', `0.0.0.0:${port}`];
  }
}

/**
 * The default command, strongest evidence first: a console script named like the project (or the first
 * one), a web framework, a package's __main__.py, a top-level main.py/app.py.
 */
export function detectCommand(
  meta: ProjectMetadata,
  framework: Framework | undefined,
  files: ContextFile[],
  importRoots: string[],
  includePaths: string[],
  venv: string,
): Found<{ entrypoint?: string[]; cmd?: string[] }> | undefined {
  const python = `${venv}/bin/python`;
  const script = meta.scripts.find((s) => normalizeName(s.name) === meta.name) ?? meta.scripts[0];
  if (script) {
    return {
      value: { entrypoint: [`${venv}/bin/${script.name}`] },
      why: `[project.scripts] ${script.name} = "${script.module}${script.attr ? `:${script.attr}` : ''}"`,
    };
  }
  if (framework) {
    return { value: { cmd: serverCommand(framework, python) }, why: `${framework.name} app in ${framework.file}` };
  }
  const included = (p: string) => includePaths.some((i) => p === i || p.startsWith(`${i}/`));
  const mains = files
    .filter((f) => f.type === 'file' && f.path.endsWith('/__main__.py') && included(f.path))
    .map((f) => ({ path: f.path, mod: moduleName(f.path.replace(/\/__main__\.py$/, '/__init__.py'), importRoots) }))
    .filter((m): m is { path: string; mod: string } => !!m.mod)
    .sort((a, b) => a.mod.split('.').length - b.mod.split('.').length || (a.mod < b.mod ? -1 : 1));
  const main = mains.find((m) => m.mod === meta.name.replace(/-/g, '_')) ?? mains[0];
  if (main) return { value: { cmd: [python, '-m', main.mod] }, why: `${main.path}` };
  for (const name of ['main.py', 'app.py']) {
    if (files.some((f) => f.path === name && included(name))) return { value: { cmd: [python, name] }, why: `top-level ${name}` };
  }
  return undefined;
}

/** Runs every detection over a context listing. Pure. */
export function detectProject(input: DetectInput, includePathsOverride?: string[]): Detection {
  const project = readProjectMetadata(input.pyproject, input.texts);
  const includePaths = includePathsOverride
    ? { value: includePathsOverride, why: 'configured' }
    : detectIncludePaths(input.files);
  const importRoots = detectImportRoots(includePaths.value, input.files);
  const candidates = detectionCandidates(input.files, includePaths.value);
  const framework = detectFramework(input, candidates, importRoots, project.knownPackages);
  const command = detectCommand(project, framework, input.files, importRoots, includePaths.value, input.venv);
  const detection: Detection = {
    project,
    includePaths,
    importRoots,
    ports: framework ? { value: [`${framework.port}/tcp`], why: `${framework.name} (${framework.server})` } : { value: [], why: 'no server detected' },
  };
  const python = detectPythonVersion(project, input.texts);
  if (python) detection.pythonVersion = python;
  if (framework) detection.framework = framework;
  if (command) detection.command = command;
  return detection;
}
