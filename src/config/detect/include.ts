/**
 * What goes into the application layer and where its code is importable from. The default is the
 * whole context minus ignored files, which is what `COPY . .` gives a Dockerfile user (and what
 * buildpacks do): apps read alembic.ini, scripts/, templates and data files at run time, and no list
 * of guessed names finds them all. `include_paths` narrows it. Pure.
 */
import type { ContextFile } from '../context.js';
import type { Found } from './types.js';

/**
 * Files at the context root that configure a build. The plan records the digest of each one present;
 * apply refuses the plan when one changed, disappeared or appeared.
 */
export const INPUT_FILE =
  /^(pyproject\.toml|pycontainer\.toml|\.dockerignore|\.gitignore|\.python-version|manage\.py|Procfile|setup\.cfg|setup\.py|uv\.lock|pylock(\.[^/]+)?\.toml|poetry\.lock|pdm\.lock|Pipfile\.lock|requirements[^/]*\.(txt|in))$/;

/** The default include paths: the whole context (ignore rules already left out what must not go in). */
export function detectIncludePaths(_files?: ContextFile[]): Found<string[]> {
  return { value: ['.'], why: 'the whole context minus .dockerignore, .gitignore and the built-in ignores (what COPY . . copies)' };
}

/** Whether `path` is under one of the include paths (`.` is the whole context). */
export function isIncluded(path: string, includePaths: string[]): boolean {
  if (includePaths.length === 1 && includePaths[0] === '.') return true; // the default, asked once per file
  return includePaths.some((raw) => {
    const i = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    return i === '.' || i === '' || path === i || path.startsWith(`${i}/`);
  });
}

/** Top-level directories that hold tooling, not the application's importable code. */
const NOT_APP_CODE = /^(tests?|testing|docs?|examples?|scripts|benchmarks?|tools)$/;
/** Top-level files that are tooling, not modules the application imports. */
const TOOLING_FILES = new Set(['setup.py', 'conftest.py', 'noxfile.py', 'fabfile.py']);

/**
 * Directories whose contents are importable top-level names: `src/` for a src layout, the context root
 * when it holds modules or packages of its own (a flat layout, or manage.py beside src/).
 */
export function detectImportRoots(includePaths: string[], files: ContextFile[]): string[] {
  // One pass, no copy or set of every path: a context holds thousands of files, and only top-level
  // entries and `<dir>/__init__.py` say whether the root holds code.
  let srcCode = false;
  let rootModule = false;
  const rootDirs: string[] = [];
  const packages = new Set<string>();
  for (const f of files) {
    const p = f.path;
    if (!isIncluded(p, includePaths)) continue;
    if (!srcCode && f.type === 'file' && p.startsWith('src/') && p.endsWith('.py')) srcCode = true;
    const slash = p.indexOf('/');
    if (slash === -1) {
      if (f.type === 'file') rootModule ||= p.endsWith('.py') && !TOOLING_FILES.has(p);
      else if (f.type === 'dir' && p !== 'src' && !NOT_APP_CODE.test(p)) rootDirs.push(p);
    } else if (p.endsWith('/__init__.py') && p.indexOf('/', slash + 1) === -1) packages.add(p.slice(0, slash));
  }
  const roots: string[] = [];
  if (srcCode) roots.push('src');
  if (rootModule || rootDirs.some((d) => packages.has(d)) || roots.length === 0) roots.push('');
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

/** Where apps live by convention (FastAPI CLI, Flask, Streamlit), in the order they are tried. */
const CONVENTIONAL = [/^app\/main\.py$/, /^main\.py$/, /^app\.py$/, /^api\.py$/, /^app\/app\.py$/, /^app\/api\.py$/, /^src\/[^/]+\/main\.py$/, /^streamlit_app\.py$/];
/** The file names CONVENTIONAL's patterns end in (`main.py` of `/^src\/[^/]+\/main\.py$/`). */
const CONVENTIONAL_NAMES = new Set(CONVENTIONAL.map((r) => `${/(\w+)\\\.py\$$/.exec(r.source)![1]!}.py`));
const TELLING_NAMES = ['main.py', 'app.py', 'api.py', 'server.py', 'asgi.py', 'wsgi.py', '__init__.py', 'manage.py'];

/** Directories whose modules are not the app: tests, docs, migrations (at any depth), examples and benchmarks (at the top). */
const NOT_CANDIDATE = /(^|\/)(tests?|testing|docs|migrations)\/|^(examples?|benchmarks?)\//;

/**
 * Python files detection reads, conventional places and telling names first, bounded so huge trees
 * stay quick (detection never reads every file of a context).
 */
export function detectionCandidates(files: ContextFile[], includePaths: string[], limit = 400): string[] {
  const rank = (p: string) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    // Every conventional place ends in one of a few names: the patterns are tried only for those.
    const convention = CONVENTIONAL_NAMES.has(base) ? CONVENTIONAL.findIndex((r) => r.test(p)) : -1;
    if (convention !== -1) return convention;
    const i = TELLING_NAMES.indexOf(base);
    let depth = 1;
    for (let at = p.indexOf('/'); at !== -1; at = p.indexOf('/', at + 1)) depth++;
    return 100 + (i === -1 ? TELLING_NAMES.length : i) * 100 + depth;
  };
  // Ranked once per path, into one list per rank: a context holds thousands of modules, most of them
  // of a few ranks, and each list sorts natively (by UTF-16 code units, as `<` compares) only when reached.
  const byRank = new Map<number, string[]>();
  for (const f of files) {
    const p = f.path;
    if (f.type !== 'file' || !p.endsWith('.py') || !isIncluded(p, includePaths) || NOT_CANDIDATE.test(p)) continue;
    const r = rank(p);
    const list = byRank.get(r);
    if (list) list.push(p);
    else byRank.set(r, [p]);
  }
  const out: string[] = [];
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    for (const p of byRank.get(r)!.sort()) {
      if (out.length === limit) return out;
      out.push(p);
    }
  }
  return out;
}
