/**
 * The project's name, version, scripts and declared dependencies, from whichever source it has:
 * `[project]` (PEP 621), Poetry 1's `[tool.poetry]`, `setup.cfg`, or a `setup.py` whose arguments are
 * plain literals. Pure: file texts and the git description come in as inputs.
 */
import { valid as validVersion } from '@renovatebot/pep440';
import { ConfigError } from '../../errors.js';

export interface ProjectMetadata {
  name: string;
  version: string;
  description?: string;
  requiresPython?: string;
  scripts: ScriptEntry[];
  guiScripts: ScriptEntry[];
  /** The project's own declared PEP 508 requirements (whichever file declares them). */
  dependencies: string[];
  /** Where `dependencies` are declared: `pyproject.toml [project]`, `pyproject.toml [tool.poetry]`, `setup.cfg`, `setup.py`. */
  dependenciesFrom?: string;
  /** Normalized names of dependencies declared or locked (pyproject, setup.*, requirements*.txt, locks). */
  knownPackages: string[];
}

export interface ScriptEntry {
  name: string;
  module: string;
  attr?: string;
}

export interface MetadataInput {
  pyproject?: Record<string, unknown>;
  texts: Record<string, string>;
  /** The context directory's name: the project's name when no file declares one. */
  contextName?: string;
  /** `git describe --tags --always` in the context, when the version must come from git. */
  gitDescribe?: string;
}

export interface MetadataResult {
  project: ProjectMetadata;
  /** Where the name and version came from, for provenance. */
  nameWhy: string;
  versionWhy: string;
  warnings: string[];
}

/** PEP 503 normalization: lower case, runs of `-_.` → `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {});

/** A script's raw value and the key path that names it in messages. */
interface RawScript {
  name: string;
  value: string;
  where: string;
}

/** What one metadata source declares; every field optional. */
interface Declared {
  source: string;
  name?: string;
  version?: string;
  /** The version is computed at build time (dynamic, attr:, use_scm_version, a VCS plugin). */
  versionDynamic?: boolean;
  description?: string;
  requiresPython?: string;
  dependencies?: string[];
  scripts?: RawScript[];
  guiScripts?: RawScript[];
}

/** Whether the version must come from git: no source states one (dynamic, or none at all). */
export function needsGitVersion(input: Omit<MetadataInput, 'gitDescribe' | 'contextName'>): boolean {
  return declaredSources(input).every((d) => d.version === undefined);
}

export function parseProjectMetadata(input: MetadataInput): MetadataResult {
  const sources = declaredSources(input);
  const first = <K extends keyof Declared>(key: K): { value: NonNullable<Declared[K]>; source: string } | undefined => {
    const d = sources.find((s) => s[key] !== undefined && !(Array.isArray(s[key]) && (s[key] as unknown[]).length === 0));
    return d ? { value: d[key] as NonNullable<Declared[K]>, source: d.source } : undefined;
  };
  const warnings: string[] = [];

  const declaredName = first('name');
  let name: string;
  let nameWhy: string;
  if (declaredName) {
    name = normalizeName(declaredName.value);
    nameWhy = declaredName.source;
  } else {
    const fromDir = normalizeName((input.contextName ?? '').replace(/[^A-Za-z0-9._-]+/g, '-')).replace(/^[-.]+|[-.]+$/g, '');
    name = fromDir || 'app';
    nameWhy = fromDir ? `the context directory's name (no name in pyproject.toml, setup.cfg or setup.py)` : 'default';
  }

  const declaredVersion = first('version');
  const dynamic = sources.some((s) => s.versionDynamic);
  let version: string;
  let versionWhy: string;
  if (declaredVersion) {
    version = declaredVersion.value;
    versionWhy = declaredVersion.source;
    // pyproject.toml's tables are checked by schema (src/config/validate.ts) before this runs; setup.cfg
    // and setup.py have no schema, and an invalid version would become the image's tag.
    if (validVersion(version) === null && !declaredVersion.source.startsWith('[')) {
      throw new ConfigError('E_VERSION', `${declaredVersion.source}: version "${version}" is not a valid PEP 440 version, e.g. "1.0", "2.1.0rc1" or "0.3.post1"`);
    }
  } else if (input.gitDescribe) {
    const fromGit = versionFromGitDescribe(input.gitDescribe);
    version = fromGit.version;
    versionWhy = `git describe: ${input.gitDescribe}`;
    if (fromGit.untagged) warnings.push(`version: the git repository has no tag, so the version is ${version} (from commit ${input.gitDescribe}); tag a release (git tag v1.0.0) or set version in [project]`);
  } else {
    version = 'latest';
    versionWhy = 'no version found';
    warnings.push(
      dynamic
        ? 'version: the project computes its version at build time (dynamic, from git) and the context is not in a git repository with commits; the image is tagged "latest": build from a git checkout or set build.tags'
        : 'version: no version in pyproject.toml, setup.cfg or setup.py, and no git repository; the image is tagged "latest": set [project] version or build.tags',
    );
  }

  const declaredDependencies = first('dependencies');
  const dependencies = declaredDependencies?.value ?? [];
  const scripts = parseScripts(first('scripts')?.value ?? []);
  const guiScripts = parseScripts(first('guiScripts')?.value ?? []);

  const known = new Set<string>();
  for (const s of sources) for (const d of s.dependencies ?? []) addRequirementNames(known, d);
  for (const [path, text] of Object.entries(input.texts)) {
    if (/^requirements[^/]*\.(txt|in)$/.test(path)) {
      for (const line of text.split(/\r?\n/)) if (!/^\s*(-|#|$)/.test(line)) addRequirementNames(known, line);
    } else if (path === 'uv.lock' || /^pylock(\.[^/]+)?\.toml$/.test(path) || path === 'poetry.lock' || path === 'pdm.lock') {
      for (const m of text.matchAll(/^name\s*=\s*"([^"]+)"/gm)) known.add(normalizeName(m[1]!));
    }
  }
  known.delete(name);

  const project: ProjectMetadata = { name, version, scripts, guiScripts, dependencies, knownPackages: [...known].sort() };
  if (declaredDependencies) project.dependenciesFrom = declaredDependencies.source.startsWith('[') ? `pyproject.toml ${declaredDependencies.source}` : declaredDependencies.source;
  const description = first('description');
  if (description) project.description = description.value;
  const requiresPython = first('requiresPython');
  if (requiresPython) project.requiresPython = requiresPython.value;
  return { project, nameWhy, versionWhy, warnings };
}

/** Every source that declares something, strongest first: [project], [tool.poetry], setup.cfg, setup.py. */
function declaredSources(input: Omit<MetadataInput, 'gitDescribe' | 'contextName'>): Declared[] {
  const out: Declared[] = [];
  const pyproject = input.pyproject;
  const project = table(pyproject?.project);
  const tool = table(pyproject?.tool);
  if (pyproject?.project !== undefined) out.push(fromProjectTable(project));
  if (tool.poetry !== undefined) out.push(fromPoetry(table(tool.poetry), tool['poetry-dynamic-versioning']));
  const cfg = input.texts['setup.cfg'];
  if (cfg !== undefined) out.push(parseSetupCfg(cfg));
  const setupPy = input.texts['setup.py'];
  if (setupPy !== undefined) out.push(parseSetupPy(setupPy));
  return out;
}

/**
 * `[project]` as the build reads it. compileProject has validated it against
 * schema/pyproject-project.schema.json (types, PEP 508 names and requirements, PEP 440 versions and
 * specifiers); the type guards remain for callers that read unvalidated files (`pycontainer init`).
 */
function fromProjectTable(project: Table): Declared {
  const dynamic = Array.isArray(project.dynamic) ? project.dynamic.map(String) : [];
  const d: Declared = { source: '[project]' };
  if (typeof project.name === 'string') d.name = project.name;
  if (typeof project.version === 'string' && !dynamic.includes('version')) d.version = project.version;
  if (dynamic.includes('version')) d.versionDynamic = true;
  if (typeof project.description === 'string') d.description = project.description;
  if (typeof project['requires-python'] === 'string') d.requiresPython = project['requires-python'];
  if (Array.isArray(project.dependencies)) d.dependencies = project.dependencies.map(String);
  d.scripts = rawScripts(table(project.scripts), 'pyproject.toml: project.scripts');
  d.guiScripts = rawScripts(table(project['gui-scripts']), 'pyproject.toml: project.gui-scripts');
  return d;
}

/** Poetry 1: `[tool.poetry]` name/version/dependencies (constraints dropped, simple markers kept), scripts. */
function fromPoetry(poetry: Table, dynamicVersioning: unknown): Declared {
  const d: Declared = { source: '[tool.poetry]' };
  if (typeof poetry.name === 'string') d.name = poetry.name;
  // poetry-dynamic-versioning keeps a placeholder version (usually 0.0.0) in the file.
  const dynamic = table(dynamicVersioning).enable === true;
  if (typeof poetry.version === 'string' && !dynamic) d.version = poetry.version;
  if (dynamic) d.versionDynamic = true;
  if (typeof poetry.description === 'string') d.description = poetry.description;
  const deps = table(poetry.dependencies);
  if (typeof deps.python === 'string') d.requiresPython = poetryConstraintToPep440(deps.python);
  d.dependencies = Object.entries(deps)
    .filter(([n]) => n.toLowerCase() !== 'python')
    .map(([n, spec]) => poetryRequirement(n, Array.isArray(spec) ? spec[0] : spec))
    .filter((r): r is string => r !== undefined)
    .sort();
  const scripts: RawScript[] = [];
  for (const [n, v] of Object.entries(table(poetry.scripts))) {
    const t = table(v);
    // Poetry 1: a string; Poetry 1.2+: { callable = "..." } or { reference = "...", type = "console" }.
    const value = typeof v === 'string' ? v : typeof t.callable === 'string' ? t.callable : t.type === 'console' && typeof t.reference === 'string' ? t.reference : undefined;
    if (value !== undefined) scripts.push({ name: n, value, where: `pyproject.toml: tool.poetry.scripts.${n}` });
  }
  d.scripts = scripts;
  return d;
}

/** A Poetry dependency as a PEP 508 requirement: the name, extras and an explicit `markers`; optional ones are extras' business. */
function poetryRequirement(name: string, spec: unknown): string | undefined {
  if (typeof spec === 'string') return name;
  const t = table(spec);
  if (t.optional === true) return undefined;
  const extras = Array.isArray(t.extras) && t.extras.length ? `[${t.extras.map(String).join(',')}]` : '';
  const markers = typeof t.markers === 'string' ? `; ${t.markers}` : '';
  return `${name}${extras}${markers}`;
}

/** `^3.9` → `>=3.9`, `~3.10` → `>=3.10`, `>=3.8,<4` as is: enough to choose a minor. */
function poetryConstraintToPep440(c: string): string {
  return c
    .split(',')
    .map((p) => p.trim().replace(/^\^/, '>=').replace(/^~(?!=)/, '>='))
    .join(',');
}

/** A minimal INI reader for setup.cfg: sections, `key = value`, indented continuation lines, `#`/`;` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let key: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = out[header[1]!.trim()] ??= {};
      key = undefined;
      continue;
    }
    if (/^\s/.test(raw) && section && key !== undefined) {
      section[key] = section[key] ? `${section[key]}\n${raw.trim()}` : raw.trim();
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (kv && section) {
      key = kv[1]!.trim();
      section[key] = kv[2]!.trim();
    }
  }
  return out;
}

function lines(value: string | undefined): string[] {
  return (value ?? '')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** setup.cfg's `[metadata]`, `[options]` and `[options.entry_points]`, as setuptools reads them. */
export function parseSetupCfg(text: string): Declared {
  const ini = parseIni(text);
  const meta = ini.metadata ?? {};
  const options = ini.options ?? {};
  const d: Declared = { source: 'setup.cfg' };
  if (meta.name) d.name = meta.name;
  // `attr: pkg.__version__` and `file: VERSION` are computed by setuptools.
  if (meta.version && !/^(attr|file):/.test(meta.version)) d.version = meta.version;
  else if (meta.version) d.versionDynamic = true;
  if (meta.description) d.description = meta.description;
  if (options.python_requires) d.requiresPython = options.python_requires;
  const requires = lines(options.install_requires);
  if (requires.length) d.dependencies = requires;
  const eps = ini['options.entry_points'] ?? {};
  const entryPoints = (group: string, where: string): RawScript[] =>
    lines(eps[group]).flatMap((l) => {
      const m = /^([^=]+?)\s*=\s*(.+)$/.exec(l);
      return m ? [{ name: m[1]!, value: m[2]!, where: `${where} ${m[1]!}` }] : [];
    });
  d.scripts = entryPoints('console_scripts', 'setup.cfg: [options.entry_points] console_scripts');
  d.guiScripts = entryPoints('gui_scripts', 'setup.cfg: [options.entry_points] gui_scripts');
  return d;
}

const STRING = String.raw`(?:"([^"\\\n]*)"|'([^'\\\n]*)')`;
/** A list of plain string literals (comments and trailing commas allowed), nothing computed. */
const LITERAL_LIST = String.raw`\[((?:\s*(?:#[^\n]*)?\s*${STRING}\s*,?)*\s*(?:#[^\n]*)?\s*)\]`;

/** setup.py's `setup(...)` arguments where they are plain string literals; anything computed is left out. */
export function parseSetupPy(text: string): Declared {
  const d: Declared = { source: 'setup.py' };
  const call = text.slice(Math.max(0, text.search(/\bsetup\s*\(/)));
  const literal = (key: string): string | undefined => {
    const m = new RegExp(String.raw`\b${key}\s*=\s*${STRING}\s*[,)]`).exec(call);
    return m ? (m[1] ?? m[2]) : undefined;
  };
  const strings = (body: string): string[] => [...body.matchAll(new RegExp(STRING, 'g'))].map((m) => m[1] ?? m[2] ?? '');
  const name = literal('name');
  if (name) d.name = name;
  const version = literal('version');
  if (version) d.version = version;
  else if (/\b(version\s*=|use_scm_version\s*=)/.test(call)) d.versionDynamic = true;
  const description = literal('description');
  if (description) d.description = description;
  const requiresPython = literal('python_requires');
  if (requiresPython) d.requiresPython = requiresPython;
  const requires = new RegExp(String.raw`\binstall_requires\s*=\s*${LITERAL_LIST}`).exec(call);
  if (requires) d.dependencies = strings(requires[1]!);
  const scripts = new RegExp(String.raw`["']console_scripts["']\s*:\s*${LITERAL_LIST}`).exec(call);
  if (scripts) {
    d.scripts = strings(scripts[1]!).flatMap((s) => {
      const m = /^([^=]+?)\s*=\s*(.+)$/.exec(s);
      return m ? [{ name: m[1]!, value: m[2]!.trim(), where: `setup.py: entry_points console_scripts ${m[1]!}` }] : [];
    });
  }
  return d;
}

function rawScripts(t: Table, where: string): RawScript[] {
  return Object.entries(t).flatMap(([name, value]) => (typeof value === 'string' ? [{ name, value, where: `${where}.${name}` }] : []));
}

/** `pkg.mod:attr.sub [extra]`, as the entry points specification writes an object reference. */
const OBJECT_REFERENCE = /^\s*([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*(?::\s*([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*))?\s*(?:\[[^\]]*\])?\s*$/;

/**
 * Scripts as module + attribute. A value that is not an object reference (a shell command written
 * where an entry point belongs) would become a wrapper with a syntax error: it is an input error.
 */
function parseScripts(raw: RawScript[]): ScriptEntry[] {
  return raw.map(({ name, value, where }) => {
    const m = OBJECT_REFERENCE.exec(value);
    if (!m) {
      throw new ConfigError(
        'E_SCRIPT',
        `${where}: "${value}" is not an entry point (module:function); a script names a Python function, so put a shell command in [tool.pycontainer.build] cmd or a Procfile web: line`,
      );
    }
    const module = m[1]!.replace(/\s+/g, '');
    const attr = m[2]?.replace(/\s+/g, '');
    return attr ? { name, module, attr } : { name, module };
  });
}

/** Extras that pull in a server: `fastapi[standard]` brings the FastAPI CLI and uvicorn. */
const EXTRA_PACKAGES: Record<string, string[]> = {
  'fastapi[standard]': ['fastapi-cli', 'uvicorn'],
  'fastapi[all]': ['uvicorn'],
};

function addRequirementNames(set: Set<string>, requirement: string): void {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(requirement);
  if (!m) return;
  const name = normalizeName(m[1]!);
  set.add(name);
  for (const extra of (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    for (const pkg of EXTRA_PACKAGES[`${name}[${extra}]`] ?? []) set.add(pkg);
  }
}

/** Normalized names of the requirements the project itself declares (not a lock's transitive ones). */
export function directPackageNames(project: ProjectMetadata, texts: Record<string, string>): Set<string> {
  const set = new Set<string>();
  for (const d of project.dependencies) addRequirementNames(set, d);
  for (const [path, text] of Object.entries(texts)) {
    if (!/^requirements[^/]*\.(txt|in)$/.test(path)) continue;
    for (const line of text.split(/\r?\n/)) if (!/^\s*(-|#|$)/.test(line)) addRequirementNames(set, line);
  }
  return set;
}

/**
 * `git describe --tags --always` as a PEP 440 version: `v1.2.3` → `1.2.3`; `v1.2.3-4-gabc1234` →
 * `1.2.3.post4+gabc1234` (commits after the tag, then the commit as the local part); a bare commit
 * (no tag) → `0.0.0+gabc1234`. Image tags replace the `+` (not allowed in a tag) with `-`.
 */
export function versionFromGitDescribe(describe: string): { version: string; untagged: boolean } {
  const d = describe.trim();
  if (/^[0-9a-f]{4,40}(-dirty)?$/.test(d)) return { version: `0.0.0+g${d.replace(/-dirty$/, '')}`, untagged: true };
  const m = /^(.*?)(?:-(\d+)-g([0-9a-f]+))?(-dirty)?$/.exec(d)!;
  const tag = m[1]!;
  const release = /(\d+(?:\.\d+)*)((?:[-._]?(?:a|b|rc|alpha|beta|c)\.?\d+)?)/i.exec(tag);
  let base = release ? `${release[1]}${release[2]!.replace(/^[-._]/, '').toLowerCase().replace(/alpha/, 'a').replace(/beta/, 'b').replace(/\./, '')}` : '0.0.0';
  if (m[2]) base += `.post${m[2]}+g${m[3]}`;
  return { version: base, untagged: false };
}
