// Projects shaped like the public ones pycontainer meets (issue 9): a uv workspace built from a member, a
// Poetry 2 FastAPI app with a factory, PDM with Flask's tutorial layout, a `pip freeze` requirements file, a
// Django project with sqlite next to manage.py, a script beside a web app, a Procfile, and a CLI. Written into a
// temp dir at test time, because their locks carry the real sha256 and size of the framework wheels
// (framework-wheels.ts) and the URL of the index on loopback that serves them (wheels.ts serveIndex).
// Lock files follow each format's documented structure: uv.lock (version 1, revision 3, [manifest] members for
// workspaces), poetry.lock (lock-version 2.1, groups and markers, content-hash as Poetry computes it), pdm.lock
// (lock_version 4.5.0, inherit_metadata groups and markers, content_hash as PDM computes it).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, type TestContext } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import { ensureBaseImage } from './base-image.js';
import { runCli } from './cli.js';
import { ensureFrameworkWheels } from './framework-wheels.js';
import { startImage, type StartedImage } from './run-image.js';
import { needTools, run } from './tools.js';
import { buildExtensionWheel, serveIndex, type SimpleIndex, type WheelFile } from './wheels.js';

/** The wheels, and the PEP 691/503 index on loopback that serves them (`http://127.0.0.1:PORT/simple/`). */
export interface Wheelhouse {
  wheels: WheelFile[];
  indexUrl: string;
}

interface Edge {
  name: string;
  specifier: string;
  marker?: string;
}

/**
 * The upstream dependency graph of the framework wheels (their setup.py / pyproject requirements for these
 * versions; Debian trims some of them from its metadata). Only the edges that apply to Python 3.11 are listed,
 * plus the Windows-only colorama edges, which a lock records and an installer for Linux leaves out.
 */
export const UPSTREAM_REQUIRES: Record<string, Edge[]> = {
  anyio: [{ name: 'idna', specifier: '>=2.8' }, { name: 'sniffio', specifier: '>=1.1' }],
  click: [{ name: 'colorama', specifier: '*', marker: 'platform_system == "Windows"' }],
  django: [{ name: 'asgiref', specifier: '>=3.3.2,<4' }, { name: 'pytz', specifier: '*' }, { name: 'sqlparse', specifier: '>=0.2.2' }],
  fastapi: [{ name: 'pydantic', specifier: '>=1.6.2,<2.0.0' }, { name: 'starlette', specifier: '>=0.25.0' }],
  flask: [
    { name: 'click', specifier: '>=8.0' },
    { name: 'itsdangerous', specifier: '>=2.0' },
    { name: 'jinja2', specifier: '>=3.0' },
    { name: 'werkzeug', specifier: '>=2.2.2' },
  ],
  gunicorn: [{ name: 'setuptools', specifier: '>=3.0' }],
  jinja2: [{ name: 'markupsafe', specifier: '>=2.0' }],
  pydantic: [{ name: 'typing-extensions', specifier: '>=4.2.0' }],
  pytest: [
    { name: 'colorama', specifier: '*', marker: 'sys_platform == "win32"' },
    { name: 'iniconfig', specifier: '*' },
    { name: 'packaging', specifier: '*' },
    { name: 'pluggy', specifier: '>=0.12,<2.0' },
  ],
  starlette: [{ name: 'anyio', specifier: '>=3.4.0,<5' }],
  uvicorn: [{ name: 'asgiref', specifier: '>=3.4.0' }, { name: 'click', specifier: '>=7.0' }, { name: 'h11', specifier: '>=0.8' }],
  werkzeug: [{ name: 'markupsafe', specifier: '>=2.1.1' }],
};

/** How `pip freeze` spells the names (the projects' own spelling). */
const PRETTY: Record<string, string> = { django: 'Django', flask: 'Flask', jinja2: 'Jinja2', markupsafe: 'MarkupSafe', werkzeug: 'Werkzeug' };

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function wheelOf(house: Wheelhouse, name: string): WheelFile {
  const w = house.wheels.find((x) => x.name === name);
  if (!w) throw new Error(`no wheel for ${name} in the wheelhouse`);
  return w;
}

/** Every package reachable from `roots`; with `linux`, edges with a Windows marker are not followed (what an image gets). */
export function closure(roots: string[], opts: { linux?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const e of UPSTREAM_REQUIRES[name] ?? []) if (!(opts.linux && e.marker)) stack.push(e.name);
  }
  return [...seen].sort(byName);
}

function registry(house: Wheelhouse): string {
  return house.indexUrl.replace(/\/$/, '');
}

function fileUrl(house: Wheelhouse, w: WheelFile): string {
  return `${house.indexUrl.replace(/simple\/$/, 'files/')}${w.filename}`;
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Content hashes, computed the way the tools do (Python's json.dumps with sort_keys over the pyproject data), with
// the host's Python and tomllib, so the byte-level details (separators, ASCII escaping) are Python's own.

const CONTENT_HASH_PY = String.raw`
import hashlib, json, re, sys, tomllib
kind, data = sys.argv[1], tomllib.loads(sys.stdin.read())
if kind == "poetry":
    # Poetry 2.x Locker._get_content_hash: [project] requires-python/dependencies/optional-dependencies, and
    # [tool.poetry] dependencies/source/extras/dev-dependencies/group; the legacy keys count even when absent
    # only for projects without those [project] keys.
    project, poetry = data.get("project", {}), data.get("tool", {}).get("poetry", {})
    legacy = ["dependencies", "source", "extras", "dev-dependencies"]
    rel_project = {k: project[k] for k in ["requires-python", "dependencies", "optional-dependencies"] if project.get(k) is not None}
    rel_poetry = {}
    for k in legacy + ["group"]:
        v = poetry.get(k)
        if v is None and (k not in legacy or rel_project):
            continue
        rel_poetry[k] = v
    content = {"project": rel_project, "tool": {"poetry": rel_poetry}} if rel_project else rel_poetry
    print(hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest())
else:
    # PDM PyProject.content_hash: sources, dependencies, dev-dependencies (dependency groups, names normalized),
    # optional-dependencies, requires-python, resolution.
    project, pdm = data.get("project", {}), data.get("tool", {}).get("pdm", {})
    dev = {re.sub(r"[-_.]+", "-", g).lower(): deps for g, deps in data.get("dependency-groups", {}).items()}
    for g, deps in pdm.get("dev-dependencies", {}).items():
        dev.setdefault(re.sub(r"[-_.]+", "-", g).lower(), []).extend(deps)
    dump = {
        "sources": pdm.get("source", []),
        "dependencies": project.get("dependencies", []),
        "dev-dependencies": dev,
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
        "resolution": pdm.get("resolution", {}),
    }
    print(hashlib.sha256(json.dumps(dump, sort_keys=True).encode("utf-8")).hexdigest())
`;

export async function contentHash(kind: 'poetry' | 'pdm', pyproject: string): Promise<string> {
  return (await run('python3', ['-c', CONTENT_HASH_PY, kind], { input: pyproject })).stdout.trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Lock writers

interface UvMember {
  name: string;
  version: string;
  /** `{ editable = "path" }` when it has a build system, `{ virtual = "path" }` when not (uv's rule). */
  source: { editable: string } | { virtual: string };
  /** Direct dependencies: registry names, or workspace members with their path. */
  requires: { name: string; specifier?: string; member?: string }[];
  dev?: string[];
}

/** A uv.lock (version 1, revision 3) for `members`; `omit` leaves registry packages out (a lock that misses one). */
export function assembleUvLock(house: Wheelhouse, members: UvMember[], opts: { workspace?: boolean; omit?: string[] } = {}): string {
  const memberNames = new Set(members.map((m) => m.name));
  const omitted = (n: string) => (opts.omit ?? []).includes(n);
  const roots = members.flatMap((m) => [...m.requires.filter((r) => !r.member && !omitted(r.name)).map((r) => r.name), ...(m.dev ?? [])]);
  const registryPackages = closure(roots).filter((n) => !memberNames.has(n) && !(opts.omit ?? []).includes(n));
  const out = ['version = 1', 'revision = 3', 'requires-python = ">=3.11"', ''];
  if (opts.workspace) out.push('[manifest]', 'members = [', ...[...memberNames].sort(byName).map((n) => `    "${n}",`), ']', '');
  const dep = (e: { name: string; marker?: string }) => `    { name = "${e.name}"${e.marker ? `, marker = "${e.marker.replace(/"/g, "'")}"` : ''} },`;
  const entries: [string, string][] = [];
  for (const name of registryPackages) {
    const w = wheelOf(house, name);
    const deps = [...(UPSTREAM_REQUIRES[name] ?? [])].sort((a, b) => byName(a.name, b.name));
    const lines = ['[[package]]', `name = "${name}"`, `version = "${w.version}"`, `source = { registry = "${registry(house)}" }`];
    if (deps.length) lines.push('dependencies = [', ...deps.map(dep), ']');
    lines.push('wheels = [', `    { url = "${fileUrl(house, w)}", hash = "sha256:${w.sha256}", size = ${w.size} },`, ']', '');
    entries.push([name, lines.join('\n')]);
  }
  for (const m of members) {
    // A lock made before a dependency was added to pyproject.toml: the member does not list it either.
    const requires = m.requires.filter((r) => !(opts.omit ?? []).includes(r.name));
    const src = 'editable' in m.source ? `{ editable = "${m.source.editable}" }` : `{ virtual = "${m.source.virtual}" }`;
    const lines = ['[[package]]', `name = "${m.name}"`, `version = "${m.version}"`, `source = ${src}`];
    const direct = [...requires].sort((a, b) => byName(a.name, b.name));
    if (direct.length) lines.push('dependencies = [', ...direct.map(dep), ']');
    if (m.dev?.length) lines.push('', '[package.dev-dependencies]', 'dev = [', ...[...m.dev].sort(byName).map((n) => dep({ name: n })), ']');
    lines.push('', '[package.metadata]');
    lines.push(
      direct.length
        ? ['requires-dist = [', ...direct.map((r) => `    { name = "${r.name}", ${r.member ? `editable = "${r.member}"` : `specifier = "${r.specifier ?? ''}"`} },`), ']'].join('\n')
        : 'requires-dist = []',
    );
    if (m.dev?.length) lines.push('', '[package.metadata.requires-dev]', `dev = [${m.dev.map((n) => `{ name = "${n}", specifier = ">=7" }`).join(', ')}]`);
    lines.push('');
    entries.push([m.name, lines.join('\n')]);
  }
  entries.sort((a, b) => byName(a[0], b[0]));
  return `${out.join('\n')}\n${entries.map((e) => e[1]).join('\n')}`;
}

/** Per package: the groups that reach it, and the marker under which a group reaches it only conditionally. */
function groupsAndMarkers(groups: Record<string, string[]>): Map<string, { groups: string[]; markers: Record<string, string> }> {
  const result = new Map<string, { groups: string[]; markers: Record<string, string> }>();
  for (const [group, roots] of Object.entries(groups)) {
    const always = new Set(closure(roots, { linux: true }));
    for (const name of closure(roots)) {
      const entry = result.get(name) ?? { groups: [], markers: {} };
      entry.groups.push(group);
      if (!always.has(name)) {
        const edge = Object.values(UPSTREAM_REQUIRES).flat().find((e) => e.name === name && e.marker && [...always].some((p) => (UPSTREAM_REQUIRES[p] ?? []).includes(e)));
        if (edge?.marker) entry.markers[group] = edge.marker;
      }
      result.set(name, entry);
    }
  }
  return result;
}

/**
 * poetry.lock, lock-version 2.1 (Poetry 2.x): per package groups and markers, files with hashes, the legacy source.
 * With `lockVersion: '2.0'` (Poetry 1.5-1.8): no groups and no markers per package; an installer finds what a group
 * needs by walking the dependencies from pyproject.toml.
 */
export function assemblePoetryLock(
  house: Wheelhouse,
  groups: Record<string, string[]>,
  contentHashHex: string,
  opts: { omit?: string[]; lockVersion?: '2.0' | '2.1'; pythonVersions?: string } = {},
): string {
  const info = groupsAndMarkers(groups);
  const v1 = opts.lockVersion === '2.0';
  const out = [`# This file is automatically @generated by Poetry ${v1 ? '1.8.3' : '2.1.3'} and should not be changed by hand.`, ''];
  for (const name of [...info.keys()].sort(byName)) {
    if ((opts.omit ?? []).includes(name)) continue;
    const w = wheelOf(house, name);
    const { groups: gs, markers } = info.get(name)!;
    const sortedGroups = [...gs].sort((a, b) => (a === 'main' ? -1 : b === 'main' ? 1 : byName(a, b)));
    out.push('[[package]]', `name = "${name}"`, `version = "${w.version}"`, 'description = ""', 'optional = false', 'python-versions = "*"');
    if (!v1) out.push(`groups = [${sortedGroups.map((g) => `"${g}"`).join(', ')}]`);
    const ms = v1 ? [] : Object.values(markers);
    if (ms.length && new Set(ms).size === 1 && ms.length === gs.length) out.push(`markers = ${JSON.stringify(ms[0])}`);
    else if (ms.length) out.push(`markers = {${sortedGroups.filter((g) => markers[g]).map((g) => `${g} = ${JSON.stringify(markers[g])}`).join(', ')}}`);
    out.push('files = [', `    {file = "${w.filename}", hash = "sha256:${w.sha256}"},`, ']', '');
    const deps = [...(UPSTREAM_REQUIRES[name] ?? [])].sort((a, b) => byName(a.name, b.name));
    if (deps.length) {
      out.push('[package.dependencies]');
      for (const d of deps) out.push(d.marker ? `${d.name} = {version = "${d.specifier}", markers = ${JSON.stringify(d.marker)}}` : `${d.name} = "${d.specifier}"`);
      out.push('');
    }
    out.push('[package.source]', 'type = "legacy"', `url = "${house.indexUrl}"`, 'reference = "local"', '');
  }
  out.push('[metadata]', `lock-version = "${v1 ? '2.0' : '2.1'}"`, `python-versions = "${opts.pythonVersions ?? '>=3.11'}"`, `content-hash = "${contentHashHex}"`, '');
  return out.join('\n');
}

/** pdm.lock, lock_version 4.5.0 with the inherit_metadata strategy: groups and markers per package, files by name. */
export function assemblePdmLock(house: Wheelhouse, groups: Record<string, string[]>, contentHashHex: string, opts: { omit?: string[] } = {}): string {
  const info = groupsAndMarkers(groups);
  const out = [
    '# This file is @generated by PDM.',
    '# It is not intended for manual editing.',
    '',
    '[metadata]',
    `groups = [${Object.keys(groups).map((g) => `"${g}"`).join(', ')}]`,
    'strategy = ["inherit_metadata"]',
    'lock_version = "4.5.0"',
    `content_hash = "sha256:${contentHashHex}"`,
    '',
    '[[metadata.targets]]',
    'requires_python = ">=3.11"',
    '',
  ];
  for (const name of [...info.keys()].sort(byName)) {
    if ((opts.omit ?? []).includes(name)) continue;
    const w = wheelOf(house, name);
    const { groups: gs, markers } = info.get(name)!;
    out.push('[[package]]', `name = "${name}"`, `version = "${w.version}"`, `summary = ""`, `groups = [${gs.map((g) => `"${g}"`).join(', ')}]`);
    const ms = [...new Set(Object.values(markers))];
    if (ms.length && Object.keys(markers).length === gs.length) out.push(`marker = ${JSON.stringify(ms.join(' or '))}`);
    const deps = [...(UPSTREAM_REQUIRES[name] ?? [])].sort((a, b) => byName(a.name, b.name));
    if (deps.length) out.push('dependencies = [', ...deps.map((d) => `    ${JSON.stringify(`${d.name}${d.specifier === '*' ? '' : d.specifier}${d.marker ? `; ${d.marker}` : ''}`)},`), ']');
    out.push('files = [', `    {file = "${w.filename}", hash = "sha256:${w.sha256}"},`, ']', '');
  }
  return out.join('\n');
}

/** `pip freeze` output for these packages: `Name==version`, sorted case-insensitively, no hashes. */
export function assembleFreeze(house: Wheelhouse, names: string[], opts: { indexUrl?: boolean; extra?: string[] } = {}): string {
  const lines = names.map((n) => `${PRETTY[n] ?? n}==${wheelOf(house, n).version}`).concat(opts.extra ?? []);
  lines.sort((a, b) => byName(a.toLowerCase(), b.toLowerCase()));
  return `${opts.indexUrl ? `--index-url ${house.indexUrl}\n` : ''}${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// The projects. Each writer returns the directory to build (`-C`).

const GITIGNORE = '__pycache__/\n*.py[cod]\n.venv/\n.pytest_cache/\n';

/**
 * A uv workspace (like the FastAPI + uv monorepo templates): a virtual root with
 * `members = ["backend", "packages/*"]`, uv.lock at the root, `backend/` a FastAPI app importing the workspace
 * library `packages/shared` (src layout, hatchling). Built with `-C <root>/backend`.
 */
export async function writeUvWorkspace(dir: string, house: Wheelhouse, opts: { omit?: string[] } = {}): Promise<string> {
  await writeFiles(dir, {
    'pyproject.toml': `[project]\nname = "acme"\nversion = "0.1.0"\ndescription = "Acme services"\nrequires-python = ">=3.11"\ndependencies = []\n\n[tool.uv.workspace]\nmembers = ["backend", "packages/*"]\n\n[[tool.uv.index]]\nname = "local"\nurl = "${registry(house)}"\ndefault = true\n`,
    '.gitignore': GITIGNORE,
    'README.md': '# acme\n\n`uv run --package backend uvicorn app.main:app`\n',
    'backend/pyproject.toml': `[project]\nname = "backend"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [\n    "fastapi>=0.92",\n    "shared",\n    "uvicorn>=0.17",\n]\n\n[tool.uv.sources]\nshared = { workspace = true }\n\n[dependency-groups]\ndev = ["pytest>=7"]\n`,
    'backend/app/__init__.py': '',
    'backend/app/main.py': `import getpass\n\nfrom fastapi import FastAPI\nfrom shared.greetings import greeting\n\napp = FastAPI(title="backend")\n\n\n@app.get("/")\ndef root() -> dict:\n    return {"message": greeting("workspace"), "user": getpass.getuser()}\n`,
    'backend/tests/test_main.py': 'from app.main import root\n\n\ndef test_root():\n    assert root()["message"].startswith("hello")\n',
    'packages/shared/pyproject.toml': '[project]\nname = "shared"\nversion = "0.2.0"\nrequires-python = ">=3.11"\ndependencies = []\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    'packages/shared/src/shared/__init__.py': '',
    'packages/shared/src/shared/greetings.py': 'def greeting(who: str) -> str:\n    return f"hello {who}, from the shared library"\n',
  });
  const lock = assembleUvLock(
    house,
    [
      { name: 'acme', version: '0.1.0', source: { virtual: '.' }, requires: [] },
      {
        name: 'backend',
        version: '0.1.0',
        source: { virtual: 'backend' },
        requires: [{ name: 'fastapi', specifier: '>=0.92' }, { name: 'shared', member: 'packages/shared' }, { name: 'uvicorn', specifier: '>=0.17' }],
        dev: ['pytest'],
      },
      { name: 'shared', version: '0.2.0', source: { editable: 'packages/shared' }, requires: [] },
    ],
    { workspace: true, omit: opts.omit },
  );
  await writeFile(path.join(dir, 'uv.lock'), lock);
  return path.join(dir, 'backend');
}

function poetryPyproject(house: Wheelhouse, fastapiConstraint: string): string {
  return `[project]
name = "poetry-api"
version = "0.3.0"
description = "An items API"
authors = [{ name = "Ada Example", email = "ada@example.com" }]
readme = "README.md"
requires-python = ">=3.11"
dependencies = [
    "fastapi (${fastapiConstraint})",
    "uvicorn (>=0.17.6,<0.18.0)",
]

[tool.poetry]
packages = [{ include = "app" }]

[tool.poetry.group.dev.dependencies]
pytest = "^7.2"

[[tool.poetry.source]]
name = "local"
url = "${house.indexUrl}"
priority = "primary"

[build-system]
requires = ["poetry-core>=2.0.0,<3.0.0"]
build-backend = "poetry.core.masonry.api"
`;
}

/**
 * A Poetry 2 FastAPI app built by a factory (`app = get_application()` in app/main.py), `[project]` dependencies,
 * a dev group (pytest, must not be installed), settings read from settings.ini at the project root, request logs
 * written to logs/ (created at start-up: the workdir must be writable). `stale` changes pyproject.toml after
 * locking, so the lock's content-hash no longer matches (what `poetry check --lock` reports).
 */
export async function writePoetryApi(dir: string, house: Wheelhouse, opts: { stale?: boolean } = {}): Promise<string> {
  const locked = poetryPyproject(house, '>=0.92.0,<0.93.0');
  const hash = await contentHash('poetry', locked);
  await writeFiles(dir, {
    'pyproject.toml': opts.stale ? poetryPyproject(house, '>=0.90.0,<0.93.0') : locked,
    'poetry.lock': assemblePoetryLock(house, { main: ['fastapi', 'uvicorn'], dev: ['pytest'] }, hash),
    '.gitignore': `${GITIGNORE}logs/\n`,
    'logs/old.log': 'a log from a developer machine: ignored by .gitignore\n',
    'README.md': '# poetry-api\n\n`poetry run uvicorn app.main:app --reload`\n',
    'settings.ini': '[app]\nproject_name = Poetry Items API\n',
    'app/__init__.py': '',
    'app/core/__init__.py': '',
    'app/core/config.py': `import configparser\nfrom pathlib import Path\n\n_parser = configparser.ConfigParser()\n_parser.read(Path(__file__).resolve().parents[2] / "settings.ini")\nPROJECT_NAME = _parser["app"]["project_name"]\n`,
    'app/api/__init__.py': '',
    'app/api/routes.py': `from pathlib import Path\n\nfrom fastapi import APIRouter\n\nfrom app.core.config import PROJECT_NAME\n\nrouter = APIRouter()\nLOG = Path("logs") / "requests.log"\n\n\n@router.get("/items/{item_id}")\ndef read_item(item_id: int) -> dict:\n    with LOG.open("a") as log:\n        log.write(f"GET /items/{item_id}\\n")\n    return {"item_id": item_id, "project": PROJECT_NAME, "logged": len(LOG.read_text().splitlines())}\n`,
    'app/main.py': `from pathlib import Path\n\nfrom fastapi import FastAPI\n\nfrom app.api.routes import router\nfrom app.core.config import PROJECT_NAME\n\n\ndef get_application() -> FastAPI:\n    Path("logs").mkdir(exist_ok=True)\n    application = FastAPI(title=PROJECT_NAME)\n    application.include_router(router)\n    return application\n\n\napp = get_application()\n`,
    'tests/test_items.py': 'from app.api.routes import read_item\n\n\ndef test_read_item():\n    assert read_item(1)["item_id"] == 1\n',
  });
  return dir;
}

/**
 * A Poetry 1.x project: everything in [tool.poetry] (no [project] table), lock-version 2.0, a dev group, a plain
 * main.py that prints the version of the one dependency.
 */
export async function writePoetry1Report(dir: string, house: Wheelhouse): Promise<string> {
  const pyproject = `[tool.poetry]
name = "poetry1-report"
version = "1.2.0"
description = "Prints a report"
authors = ["Ada Example <ada@example.com>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
click = "^8.1"

[tool.poetry.group.dev.dependencies]
pytest = "^7.2"

[[tool.poetry.source]]
name = "local"
url = "${house.indexUrl}"
priority = "primary"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
`;
  await writeFiles(dir, {
    'pyproject.toml': pyproject,
    'poetry.lock': assemblePoetryLock(house, { main: ['click'], dev: ['pytest'] }, await contentHash('poetry', pyproject), { lockVersion: '2.0', pythonVersions: '^3.11' }),
    '.gitignore': GITIGNORE,
    'main.py': 'import importlib.metadata\n\nimport click\n\nclick.echo(f"report: click {importlib.metadata.version(\'click\')}")\n',
  });
  return dir;
}

/** The PDM project's pyproject.toml: Flask + gunicorn, a dev dependency group, the index as PDM's source. */
function pdmPyproject(house: Wheelhouse): string {
  return `[project]
name = "flaskr"
version = "1.0.0"
description = "The basic blog app built in the Flask tutorial."
readme = "README.rst"
license = { text = "BSD-3-Clause" }
requires-python = ">=3.11"
dependencies = [
    "flask>=2.2",
    "gunicorn>=20.1",
]

[dependency-groups]
dev = ["pytest>=7"]

[build-system]
requires = ["pdm-backend"]
build-backend = "pdm.backend"

[tool.pdm]
distribution = true

[[tool.pdm.source]]
name = "pypi"
url = "${house.indexUrl}"
verify_ssl = true
`;
}

/**
 * PDM with Flask's tutorial layout: package `flaskr/` with `create_app()` (no module-level app), a sqlite
 * database created in `instance/` on first request, a Jinja template, a dev group. `omit` leaves packages out
 * of pdm.lock (a lock that misses a declared dependency).
 */
export async function writePdmFlaskr(dir: string, house: Wheelhouse, opts: { omit?: string[] } = {}): Promise<string> {
  const pyproject = pdmPyproject(house);
  const hash = await contentHash('pdm', pyproject);
  await writeFiles(dir, {
    'pyproject.toml': pyproject,
    'pdm.lock': assemblePdmLock(house, { default: ['flask', 'gunicorn'], dev: ['pytest'] }, hash, { omit: opts.omit }),
    '.gitignore': `${GITIGNORE}instance/\n.pdm-python\n.pdm-build/\n`,
    '.pdm-python': '/home/ada/src/flaskr/.venv/bin/python\n',
    'README.rst': 'Flaskr\n======\n\nThe basic blog app built in the Flask tutorial.\n',
    'flaskr/__init__.py': `import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev", DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import db, visits

    db.init_app(app)
    app.register_blueprint(visits.bp)
    return app
`,
    'flaskr/db.py': `import sqlite3

from flask import current_app, g


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.execute("CREATE TABLE IF NOT EXISTS visit (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL)")
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app):
    app.teardown_appcontext(close_db)
`,
    'flaskr/visits.py': `import getpass

from flask import Blueprint, render_template, request

from flaskr.db import get_db

bp = Blueprint("visits", __name__)


@bp.route("/")
def index():
    db = get_db()
    db.execute("INSERT INTO visit (path) VALUES (?)", (request.path,))
    db.commit()
    (count,) = db.execute("SELECT COUNT(*) FROM visit").fetchone()
    return render_template("index.html", count=count, user=getpass.getuser())
`,
    'flaskr/templates/index.html': '<p>flaskr: visit {{ count }} by {{ user }}</p>\n',
    'tests/test_factory.py': 'from flaskr import create_app\n\n\ndef test_config():\n    assert not create_app().testing\n',
  });
  return dir;
}

/** Every package a Flask + gunicorn app needs on Linux, as `pip freeze` lists them (setuptools included: gunicorn imports pkg_resources). */
export const FLASK_GUNICORN = closure(['flask', 'gunicorn'], { linux: true });

/**
 * A Heroku-style Flask app: `app.py` and a `pip freeze` requirements.txt (pinned, no hashes, gunicorn pinned), no
 * pyproject.toml. The index comes from PIP_INDEX_URL (the caller's env), unless `extraPins` needs the file to say it.
 */
export async function writeFreezeFlask(dir: string, house: Wheelhouse, opts: { extraPins?: string[]; indexUrlInFile?: boolean } = {}): Promise<string> {
  await writeFiles(dir, {
    'requirements.txt': assembleFreeze(house, FLASK_GUNICORN, { extra: opts.extraPins, indexUrl: opts.indexUrlInFile }),
    'runtime.txt': 'python-3.11.2\n',
    '.gitignore': GITIGNORE,
    'app.py': `from flask import Flask, request

app = Flask(__name__)


@app.route("/")
def index():
    return f"hello from a pip freeze app on {request.environ.get('SERVER_SOFTWARE', 'an unknown server')}\\n"
`,
  });
  return dir;
}

/**
 * A Django project as `django-admin startproject mysite` lays it out, with one app whose view writes to the
 * sqlite database next to manage.py (`BASE_DIR / "db.sqlite3"`); requirements pinned, the index named in the file.
 */
export async function writeDjangoSite(dir: string, house: Wheelhouse): Promise<string> {
  await writeFiles(dir, {
    'requirements.txt': assembleFreeze(house, closure(['django'], { linux: true }), { indexUrl: true }),
    '.gitignore': `${GITIGNORE}db.sqlite3\n`,
    'manage.py': `#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`,
    'mysite/__init__.py': '',
    'mysite/settings.py': `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-only-for-tests"
DEBUG = True
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["polls"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
`,
    'mysite/urls.py': 'from django.urls import include, path\n\nurlpatterns = [path("polls/", include("polls.urls"))]\n',
    'mysite/wsgi.py': 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
    'mysite/asgi.py': 'import os\n\nfrom django.core.asgi import get_asgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_asgi_application()\n',
    'polls/__init__.py': '',
    'polls/apps.py': 'from django.apps import AppConfig\n\n\nclass PollsConfig(AppConfig):\n    default_auto_field = "django.db.models.BigAutoField"\n    name = "polls"\n',
    'polls/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.index, name="index")]\n',
    'polls/views.py': `from django.conf import settings
from django.db import connection
from django.http import HttpResponse


def index(request):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS polls_hit (id integer PRIMARY KEY AUTOINCREMENT, path text NOT NULL)")
        cursor.execute("INSERT INTO polls_hit (path) VALUES (%s)", [request.path])
        cursor.execute("SELECT COUNT(*) FROM polls_hit")
        (count,) = cursor.fetchone()
    return HttpResponse(f"polls: hit {count}, stored in {settings.DATABASES['default']['NAME'].name}\\n", content_type="text/plain")
`,
  });
  return dir;
}

/**
 * Like uv's Docker example: a `[project.scripts]` entry (`hello`) beside a FastAPI app, src layout, uv.lock. The
 * image must serve the app; the script stays installed.
 */
export async function writeScriptAndWeb(dir: string, house: Wheelhouse): Promise<string> {
  await writeFiles(dir, {
    'pyproject.toml': `[project]\nname = "greeter-api"\nversion = "0.1.0"\ndescription = "Add your description here"\nreadme = "README.md"\nrequires-python = ">=3.11"\ndependencies = [\n    "fastapi>=0.92",\n    "uvicorn>=0.17",\n]\n\n[project.scripts]\nhello = "greeter_api:hello"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n`,
    'uv.lock': assembleUvLock(house, [
      { name: 'greeter-api', version: '0.1.0', source: { editable: '.' }, requires: [{ name: 'fastapi', specifier: '>=0.92' }, { name: 'uvicorn', specifier: '>=0.17' }] },
    ]),
    '.gitignore': GITIGNORE,
    '.python-version': '3.11\n',
    'README.md': '# greeter-api\n',
    'src/greeter_api/__init__.py': 'def hello() -> None:\n    print("Hello from greeter-api!")\n',
    'src/greeter_api/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\nasync def root() -> dict:\n    return {"message": "greeter-api is serving"}\n',
  });
  return dir;
}

/** A Heroku/Railway-style project: the Procfile's `web:` line is what runs (a `worker:` line is not). */
export async function writeProcfileApp(dir: string, house: Wheelhouse): Promise<string> {
  await writeFiles(dir, {
    Procfile: 'web: gunicorn app:app --bind 0.0.0.0:$PORT\nworker: python worker.py\n',
    'requirements.txt': assembleFreeze(house, FLASK_GUNICORN, { indexUrl: true }),
    '.gitignore': GITIGNORE,
    'app.py': `from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return f"hello from the Procfile web process on {request.environ.get('SERVER_SOFTWARE', 'an unknown server')}\\n"\n`,
    'worker.py': 'import time\n\nwhile True:\n    print("working")\n    time.sleep(60)\n',
  });
  return dir;
}

/** A command-line tool (click) with a console script and no web framework; its data file ships in the package. */
export async function writeCli(dir: string, house: Wheelhouse): Promise<string> {
  await writeFiles(dir, {
    'pyproject.toml': `[project]\nname = "wordcount"\nversion = "0.4.0"\ndescription = "Count words"\nrequires-python = ">=3.11"\ndependencies = ["click>=8.1"]\n\n[project.scripts]\nwordcount = "wordcount.cli:main"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n`,
    'uv.lock': assembleUvLock(house, [{ name: 'wordcount', version: '0.4.0', source: { editable: '.' }, requires: [{ name: 'click', specifier: '>=8.1' }] }]),
    '.gitignore': GITIGNORE,
    'wordcount/__init__.py': '',
    'wordcount/sample.txt': 'the quick brown fox jumps over the lazy dog\n',
    'wordcount/cli.py': `import importlib.metadata
import importlib.resources

import click


@click.command()
@click.argument("text", required=False)
def main(text):
    """Count the words of TEXT (default: the bundled sample)."""
    if text is None:
        text = importlib.resources.files("wordcount").joinpath("sample.txt").read_text()
    versions = f"wordcount {importlib.metadata.version('wordcount')}, click {importlib.metadata.version('click')}"
    click.echo(f"{len(text.split())} words ({versions})")
`,
  });
  return dir;
}

/** The original tool's FastAPI example writes a command line where `[project.scripts]` wants `module:attr`. */
export async function writeBadScript(dir: string): Promise<string> {
  await writeFiles(dir, {
    'pyproject.toml': '[project]\nname = "bad-script"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = []\n\n[project.scripts]\nserve = "uvicorn app.main:app --host 0.0.0.0"\n',
    'app/__init__.py': '',
    'app/main.py': 'print("never run")\n',
  });
  return dir;
}

/** Declares dependencies, has no lock, no requirements file and no venv: must not ship without them. */
export async function writeNoLock(dir: string): Promise<string> {
  await writeFiles(dir, {
    'pyproject.toml': '[project]\nname = "no-lock"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["flask>=2.2", "gunicorn>=20.1"]\n',
    'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
  });
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared by the real-project e2e files: the wheelhouse on loopback, build as a user does, and serving on a port.

/** What the real-project e2e files share: a scratch directory, the wheelhouse on its index, the plain base image. */
export interface RealProjectsHarness {
  tmp: string;
  house: (Wheelhouse & { index: SimpleIndex }) | undefined;
  baseRef: string;
  /** False (the test is skipped) when a tool is missing; throws when the preparation failed. */
  ready(t: TestContext, tools?: string[]): boolean;
}

/** Registers a real-project e2e file's before/after hooks (its scratch directory is named `prefix…`); its tests need `tools`. */
export function realProjectsHarness(prefix: string, tools: string[]): RealProjectsHarness {
  let setupError: unknown;
  const harness: RealProjectsHarness = {
    tmp: '',
    house: undefined,
    baseRef: '',
    ready(t, need = tools) {
      if (!needTools(t, need, { root: true })) return false;
      if (!harness.house || !harness.baseRef) throw new Error(`preparing the framework wheels and the plain base image failed: ${(setupError as Error)?.message ?? setupError}`);
      return true;
    },
  };
  before(async () => {
    harness.tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
    try {
      harness.house = await startWheelhouse(harness.tmp);
      harness.baseRef = (await ensureBaseImage('plain')).ref;
    } catch (e) {
      setupError = e; // needTools in each test names a missing tool; otherwise ready() reports this
    }
  });
  after(async () => {
    await harness.house?.index.stop();
    await rm(harness.tmp, { recursive: true, force: true });
  });
  return harness;
}

/** The framework wheels plus an aarch64-only `fastsum` (a pin with no wheel for linux/amd64), served on loopback. */
export async function startWheelhouse(scratch: string): Promise<Wheelhouse & { index: SimpleIndex }> {
  const wheels = [...(await ensureFrameworkWheels()), await buildExtensionWheel(path.join(scratch, 'arm-only'), 'aarch64')];
  const index = await serveIndex(wheels);
  return { wheels, indexUrl: index.url, index };
}

export interface BuiltProject {
  plan: Plan;
  planFile: string;
  /** stderr of `pycontainer plan` (warnings). */
  warnings: string;
  layout: string;
  tag: string;
  config: NonNullable<Plan['images'][number]['config']['config']>;
  /** Entrypoint and Cmd joined with spaces. */
  command: string;
}

/**
 * `pycontainer plan -o FILE` (to read what it decided) and then `pycontainer build -o LAYOUT`, both with nothing but
 * `--base-image` (and the index in `env`), as a new user runs them; the built image must be the one the plan states.
 */
export async function buildRealProject(context: string, baseRef: string, scratch: string, name: string, env: Record<string, string> = {}): Promise<BuiltProject> {
  const planFile = path.join(scratch, `${name}.plan.json`);
  const layout = path.join(scratch, `${name}-image`);
  const planned = await runCli(['plan', '-C', context, '--base-image', baseRef, '-o', planFile], { env });
  assert.equal(planned.code, 0, `pycontainer plan failed for ${name}: ${planned.stderr}`);
  const built = await runCli(['build', '-C', context, '--base-image', baseRef, '-o', layout, '--json', '--cache-dir', path.join(scratch, 'cache')], { env });
  assert.equal(built.code, 0, `pycontainer build failed for ${name}: ${built.stderr}`);
  const text = await readFile(planFile, 'utf8');
  assert.ok(!text.includes(scratch), `the plan of ${name} names no host path (${scratch})`);
  const plan = JSON.parse(text) as Plan;
  const result = JSON.parse(built.stdout) as { images: { config: string }[] };
  assert.equal(result.images[0]!.config, plan.images[0]!.configDigest, 'build produced the image the plan states');
  const config = plan.images[0]!.config.config ?? {};
  const ref = plan.tags[0]!;
  return {
    plan,
    planFile,
    warnings: planned.stderr,
    layout,
    tag: ref.slice(ref.lastIndexOf(':') + 1),
    config,
    command: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])].join(' '),
  };
}

/** Names of the packages in the (first platform's) dependency layer, sorted. */
export function lockedNames(plan: Plan): string[] {
  return (plan.dependencies?.[0]?.packages ?? []).map((p) => p.name).sort();
}

/** The one port the image exposes (web images expose exactly one). */
export function exposedPort(config: BuiltProject['config']): number {
  const ports = Object.keys(config.ExposedPorts ?? {});
  assert.equal(ports.length, 1, `one exposed port, not ${JSON.stringify(ports)}`);
  return Number(ports[0]!.split('/')[0]);
}

/**
 * Runs the image with its default command and user in a network namespace of its own, waits until `port`
 * answers there, and runs `fn` with a `get(path)` that makes HTTP requests from inside that namespace. No
 * host port is used, so servers never collide with each other or with anything else on the machine.
 */
export async function withServer<T>(built: BuiltProject, port: number, fn: (get: (urlPath: string) => Promise<{ status: number; body: string }>) => Promise<T>): Promise<T> {
  const server: StartedImage = await startImage(built.layout, built.tag, { ownNetwork: true });
  try {
    // Any answer means the server is up: a path no app counts as a visit (a 404 is fine).
    await server.waitForHttp(port, '/.well-known/pycontainer-e2e-ready', 90_000);
    return await fn((urlPath) => server.http(port, urlPath));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- container output ---\n${server.output().slice(-4000)}`);
  } finally {
    await server.stop();
  }
}
