import { createHash } from 'node:crypto';
import type { Entry } from '../../../generated/plan.js';
import type { ProjectMetadata, ScriptEntry } from '../../config/detect.js';

/**
 * The project's own virtual environment files, generated (no Python runs): a venv at `venv` whose
 * interpreter links to the base image's, a .pth that puts the project's import roots on sys.path, a
 * dist-info so importlib.metadata knows the project, and console-script wrappers on PATH.
 *
 * The venv sees the base image's own site-packages (include-system-site-packages = true): packages a
 * base image ships stay importable, and packages in the venv come first on sys.path.
 */
export interface VenvInput {
  venv: string;
  workdir: string;
  /** major.minor of the target interpreter. */
  pythonMinor: string;
  /** Full version when the base image says (PYTHON_VERSION), else major.minor. */
  pythonVersion: string;
  interpreter: string;
  project: ProjectMetadata;
  importRoots: string[];
}

export function sitePackages(venv: string, pythonMinor: string): string {
  return `${venv}/lib/python${pythonMinor}/site-packages`;
}

/** Distribution names in file names: runs of `-_.` become `_` (the binary distribution format's escaping). */
export function escapeDistName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

export function venvEntries(input: VenvInput): Entry[] {
  const rel = (abs: string) => abs.replace(/^\/+/, '');
  const venv = rel(input.venv);
  const site = rel(sitePackages(input.venv, input.pythonMinor));
  const dist = `${escapeDistName(input.project.name)}-${input.project.version}.dist-info`;
  const entries: Entry[] = [
    file(`${venv}/pyvenv.cfg`, pyvenvCfg(input)),
    { path: `${venv}/bin/python`, type: 'symlink', mode: '0777', target: input.interpreter },
    { path: `${venv}/bin/python3`, type: 'symlink', mode: '0777', target: 'python' },
    { path: `${venv}/bin/python${input.pythonMinor}`, type: 'symlink', mode: '0777', target: 'python' },
    { path: `${venv}/lib64`, type: 'symlink', mode: '0777', target: 'lib' },
  ];
  const roots = input.importRoots.map((r) => (r ? `${input.workdir}/${r}` : input.workdir));
  const installed: Entry[] = [file(`${site}/${escapeDistName(input.project.name)}.pth`, `${roots.join('\n')}\n`)];
  for (const script of input.project.scripts) installed.push(file(`${venv}/bin/${script.name}`, wrapper(input.venv, script), true));
  for (const script of input.project.guiScripts) installed.push(file(`${venv}/bin/${script.name}`, wrapper(input.venv, script), true));
  installed.push(file(`${site}/${dist}/METADATA`, metadata(input.project)));
  installed.push(file(`${site}/${dist}/INSTALLER`, 'pycontainer\n'));
  const entryPoints = entryPointsTxt(input.project);
  if (entryPoints) installed.push(file(`${site}/${dist}/entry_points.txt`, entryPoints));
  // RECORD lists every installed file with its hash, paths relative to site-packages.
  const recordPath = `${site}/${dist}/RECORD`;
  const lines = installed.map((e) => {
    const relPath = relativeTo(e.path, site);
    const hash = createHash('sha256').update(e.content!).digest('base64url');
    return `${relPath},sha256=${hash},${Buffer.byteLength(e.content!)}`;
  });
  lines.push(`${relativeTo(recordPath, site)},,`);
  installed.push(file(recordPath, `${lines.sort().join('\n')}\n`));
  return [...entries, ...installed];
}

/** `path` relative to `site` (both without a leading '/'), `../` style for files outside it, as RECORD names them. */
export function relativeTo(path: string, site: string): string {
  if (path.startsWith(`${site}/`)) return path.slice(site.length + 1);
  // Scripts live outside site-packages: RECORD names them relative to it, as installers do.
  const up = site.split('/').length - commonPrefix(site.split('/'), path.split('/'));
  return `${'../'.repeat(up)}${path.split('/').slice(commonPrefix(site.split('/'), path.split('/'))).join('/')}`;
}

function commonPrefix(a: string[], b: string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function file(path: string, content: string, executable = false): Entry {
  const bytes = Buffer.from(content, 'utf8');
  return {
    path,
    type: 'file',
    mode: executable ? '0755' : '0644',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    content,
  };
}

function pyvenvCfg(input: VenvInput): string {
  const home = input.interpreter.slice(0, input.interpreter.lastIndexOf('/')) || '/';
  return `home = ${home}\ninclude-system-site-packages = true\nversion = ${input.pythonVersion}\nexecutable = ${input.interpreter}\n`;
}

/** A console-script wrapper as installers write it, for the venv's interpreter. */
export function wrapper(venv: string, script: ScriptEntry): string {
  const [first, ...rest] = (script.attr ?? '').split('.');
  const call = script.attr ? `${[first, ...rest].join('.')}()` : 'None';
  const importLine = script.attr ? `from ${script.module} import ${first}` : `import runpy`;
  const body = script.attr
    ? `    sys.exit(${call})`
    : `    runpy.run_module(${JSON.stringify(script.module)}, run_name="__main__")`;
  return `#!${venv}/bin/python\nimport re\nimport sys\n${importLine}\nif __name__ == "__main__":\n    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])\n${body}\n`;
}

function metadata(project: ProjectMetadata): string {
  const lines = ['Metadata-Version: 2.1', `Name: ${project.name}`, `Version: ${project.version}`];
  if (project.description) lines.push(`Summary: ${project.description.replace(/\s*\n\s*/g, ' ')}`);
  if (project.requiresPython) lines.push(`Requires-Python: ${project.requiresPython}`);
  for (const dep of project.dependencies) lines.push(`Requires-Dist: ${dep}`);
  return `${lines.join('\n')}\n`;
}

function entryPointsTxt(project: ProjectMetadata): string | undefined {
  const section = (name: string, scripts: ScriptEntry[]) =>
    scripts.length
      ? `[${name}]\n${scripts.map((s) => `${s.name} = ${s.module}${s.attr ? `:${s.attr}` : ''}`).join('\n')}\n`
      : '';
  const text = [section('console_scripts', project.scripts), section('gui_scripts', project.guiScripts)].filter(Boolean).join('\n');
  return text || undefined;
}
