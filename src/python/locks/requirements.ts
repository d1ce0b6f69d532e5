/**
 * A pinned requirements file (pip's format): every requirement pinned with `==`, hashed
 * (`--hash=sha256:...`, pip's hash-checking mode) or not (`pip freeze`). Files are found on the index /
 * find-links the file names (or the caller's): for a hashed pin, those whose sha256 is one of its
 * hashes; for an unhashed pin, every file of that version whose sha256 the index states. A file with a
 * range or a bare name is not a lock: requirementsToResolve hands it to the resolver instead.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readRegularFile } from '../../config/read.js';
import { ConfigError } from '../../errors.js';
import { createIndexClient, type IndexClient, type IndexFile, type IndexSources } from '../index/index.js';
import {
  basenameOf,
  byFilename,
  markerHolds,
  parseRequirement,
  parseSdistFilename,
  pinnedVersion,
  SHA256,
  stripUserinfo,
  toPosix,
  UNPINNED_FIX,
  type LockContext,
  type LockedFile,
  type LockedPackage,
  type Requirement,
  type ResolutionRequest,
} from './model.js';
import { parseWheelFilename } from '../tags.js';
import { compareVersions, satisfies } from '../version.js';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';

export interface RequirementsOptions extends LockContext {
  /** For showing paths relative to it. */
  contextDir: string;
  /** Normalized names of direct dependencies (→ `requested`); undefined: every requirement is requested, as pip does. */
  direct?: Set<string>;
  index?: IndexClient | ((sources: IndexSources) => IndexClient);
  environ?: NodeJS.ProcessEnv;
}

/** One requirement line, after continuation joining, comment removal and ${VAR} expansion. */
export interface RequirementLine {
  req: Requirement;
  /** Lower-case sha256 hex digests from --hash (other algorithms are dropped). */
  hashes: string[];
  /** Whether --hash named only other algorithms. */
  otherHashes: boolean;
  /** `file:line` for messages. */
  where: string;
  text: string;
}

export interface ParsedRequirements {
  requirements: RequirementLine[];
  constraints: RequirementLine[];
  sources: IndexSources;
}

/** Reads a requirements file (and the files it includes) into the packages to install for the target. */
export async function readRequirements(absPath: string, display: string, opts: RequirementsOptions, parsedAlready?: ParsedRequirements): Promise<LockedPackage[]> {
  const parsed = parsedAlready ?? (await readRequirementsFile(absPath, display, opts));
  const lockDir = path.dirname(absPath);
  const wanted = selectPins(parsed, opts);
  if (wanted.length === 0) return [];
  const index = typeof opts.index === 'function' ? opts.index(parsed.sources) : opts.index ?? createIndexClient({ ...parsed.sources, env: opts.environ ?? process.env });
  const out: LockedPackage[] = [];
  const limit = 8;
  for (let i = 0; i < wanted.length; i += limit) {
    out.push(...(await Promise.all(wanted.slice(i, i + limit).map((w) => locate(w, index, lockDir, opts.env)))));
  }
  return out;
}

interface Pin {
  name: string;
  version: string;
  hashes: Set<string>;
  url?: string;
  where: string;
  requested: boolean;
}

/** Reads the file tree (-r, -c) and its options. */
export async function readRequirementsFile(
  absPath: string,
  display: string,
  opts: { contextDir: string; environ?: NodeJS.ProcessEnv; /** Index roots when the file names none (pip.conf, [[tool.uv.index]]); default PIP_INDEX_URL etc. */ defaultIndexUrls?: string[] },
): Promise<ParsedRequirements> {
  const out: ParsedRequirements = { requirements: [], constraints: [], sources: { indexUrls: [DEFAULT_INDEX_URL], findLinks: [], noIndex: false } };
  let indexUrl: string | undefined;
  const extra: string[] = [];
  const visiting = new Set<string>();
  const environ = opts.environ ?? process.env;
  const show = (abs: string): string => toPosix(path.relative(opts.contextDir, abs)) || display;

  const visit = async (abs: string, shown: string, constraint: boolean, from?: string): Promise<void> => {
    if (visiting.has(abs)) throw new ConfigError('E_LOCK', `${from ?? shown}: ${shown} includes itself`);
    visiting.add(abs);
    let text: string;
    try {
      text = (await readRegularFile(abs, shown)).toString('utf8');
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
      throw new ConfigError('E_LOCK', `${from ?? shown}: cannot read ${shown}: ${why}`);
    }
    const dir = path.dirname(abs);
    for (const line of logicalLines(text)) {
      const where = `${shown}:${line.number}`;
      const content = expandVariables(line.text, environ, where);
      if (content === '') continue;
      const tokens = content.split(/\s+/);
      if (content.startsWith('-')) {
        const [opt, value] = splitOption(tokens, where);
        switch (opt) {
          case '-r':
          case '--requirement':
          case '-c':
          case '--constraint': {
            const target = path.resolve(dir, need(value, opt, where));
            await visit(target, show(target), constraint || opt === '-c' || opt === '--constraint', where);
            break;
          }
          case '-i':
          case '--index-url':
            indexUrl = need(value, opt, where);
            break;
          case '--extra-index-url':
            extra.push(need(value, opt, where));
            break;
          case '-f':
          case '--find-links': {
            const v = need(value, opt, where);
            out.sources.findLinks.push(/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) && !/^[A-Za-z]:[\\/]/.test(v) ? v : path.resolve(dir, v));
            break;
          }
          case '--no-index':
            out.sources.noIndex = true;
            break;
          case '-e':
          case '--editable':
            // `-e .` is the project itself, which the application layer carries: nothing to install.
            if (value !== undefined && path.resolve(dir, value.replace(/\[.*\]$/, '').replace(/^file:(\/\/)?/, '')) === path.resolve(opts.contextDir)) break;
            throw new ConfigError('E_LOCK_UNSUPPORTED', `${where}: editable requirement ${value ?? ''} cannot be installed by pycontainer (it builds nothing); lock a wheel instead`);
          case '--require-hashes':
          case '--pre':
          case '--prefer-binary':
          case '--only-binary':
          case '--no-binary':
          case '--trusted-host':
          case '--use-feature':
          case '--no-deps':
            break; // hash checking is always on; the rest does not change what a lock installs
          default:
            throw new ConfigError('E_LOCK', `${where}: unknown option ${opt}`);
        }
        continue;
      }
      // A requirement: its text runs until the first option token.
      const optAt = tokens.findIndex((t, i) => i > 0 && t.startsWith('-'));
      const reqText = (optAt < 0 ? tokens : tokens.slice(0, optAt)).join(' ');
      const rest = optAt < 0 ? [] : tokens.slice(optAt);
      let req: Requirement;
      try {
        req = parseRequirement(reqText);
      } catch (err) {
        if (/^(\.|\/|[A-Za-z][A-Za-z0-9+.-]*:)/.test(reqText)) {
          throw new ConfigError('E_LOCK', `${where}: a bare path or URL (${stripUserinfo(reqText)}) needs a name: write "name @ url"`);
        }
        throw new ConfigError('E_LOCK', `${where}: invalid requirement ${JSON.stringify(reqText)}: ${(err as Error).message}`);
      }
      const item: RequirementLine = { req, hashes: [], otherHashes: false, where, text: reqText };
      for (let i = 0; i < rest.length; i++) {
        const [opt, value, used] = splitOption(rest.slice(i), where);
        i += used - 1;
        if (opt !== '--hash') {
          if (opt === '--config-settings' || opt === '--global-option') continue;
          throw new ConfigError('E_LOCK', `${where}: unknown option ${opt} for ${req.name}`);
        }
        const h = /^([a-z0-9]+):([0-9a-fA-F]+)$/.exec(need(value, opt, where));
        if (!h) throw new ConfigError('E_LOCK', `${where}: invalid --hash ${JSON.stringify(value)} for ${req.name}: expected sha256:<hex>`);
        if (h[1] !== 'sha256') {
          item.otherHashes = true;
          continue;
        }
        const hex = h[2]!.toLowerCase();
        if (!SHA256.test(hex)) throw new ConfigError('E_LOCK', `${where}: invalid --hash for ${req.name}: a sha256 digest has 64 hex digits`);
        if (!item.hashes.includes(hex)) item.hashes.push(hex);
      }
      (constraint ? out.constraints : out.requirements).push(item);
    }
    visiting.delete(abs);
  };

  await visit(absPath, display, false);
  // pip's own default: PIP_INDEX_URL (uv's UV_INDEX_URL) when the file names no --index-url.
  const fallback = opts.defaultIndexUrls?.length ? opts.defaultIndexUrls : [environ.PIP_INDEX_URL || environ.UV_INDEX_URL || environ.UV_DEFAULT_INDEX || DEFAULT_INDEX_URL];
  out.sources.indexUrls = out.sources.noIndex ? [] : [...new Set(indexUrl !== undefined ? [indexUrl, ...extra] : [...fallback, ...extra])];
  return out;
}

/** Physical lines → logical lines: `\` continuations joined, comments removed, blank lines dropped. */
function logicalLines(text: string): { number: number; text: string }[] {
  const out: { number: number; text: string }[] = [];
  const lines = text.split(/\r?\n/);
  let buffer = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (buffer === '') start = i + 1;
    const comment = /(^|\s)#.*$/.exec(line);
    const continued = comment === null && line.endsWith('\\');
    if (continued) line = line.slice(0, -1);
    else if (comment) line = line.slice(0, comment.index);
    buffer += line;
    if (continued && i < lines.length - 1) continue;
    const t = buffer.trim();
    if (t !== '') out.push({ number: start, text: t });
    buffer = '';
  }
  return out;
}

function expandVariables(text: string, environ: NodeJS.ProcessEnv, where: string): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const v = environ[name];
    if (v === undefined) throw new ConfigError('E_LOCK', `${where}: environment variable \${${name}} is not set`);
    return v;
  });
}

/** `--opt=value`, `--opt value`, `-rfile`, `-r file`, or a flag: [option, value, tokens used]. */
function splitOption(tokens: string[], where: string): [string, string | undefined, number] {
  const first = tokens[0]!;
  const FLAGS = new Set(['--no-index', '--require-hashes', '--pre', '--prefer-binary', '--no-deps']);
  if (first.startsWith('--')) {
    const eq = first.indexOf('=');
    if (eq > 0) return [first.slice(0, eq), first.slice(eq + 1), 1];
    if (FLAGS.has(first)) return [first, undefined, 1];
    return [first, tokens[1], tokens[1] === undefined ? 1 : 2];
  }
  if (/^-[a-zA-Z]$/.test(first)) return [first, tokens[1], tokens[1] === undefined ? 1 : 2];
  if (/^-[a-zA-Z]./.test(first)) return [first.slice(0, 2), first.slice(2).replace(/^=/, ''), 1];
  throw new ConfigError('E_LOCK', `${where}: cannot read option ${JSON.stringify(first)}`);
}

function need(value: string | undefined, opt: string, where: string): string {
  if (value === undefined || value === '') throw new ConfigError('E_LOCK', `${where}: ${opt} needs a value`);
  return value;
}

/**
 * The requirements to resolve when the file pins nothing exactly (a range or a bare name, not in
 * hash-checking mode), else undefined (the file is a lock: readRequirements installs it as pinned).
 */
export function requirementsToResolve(parsed: ParsedRequirements, display: string, opts: Pick<RequirementsOptions, 'env'>): ResolutionRequest | undefined {
  const applies = (r: RequirementLine): boolean => r.req.marker === undefined || markerHolds(r.req.marker, { env: opts.env }, r.where.replace(/:\d+$/, ''), r.req.name, [], []);
  const pinnedByConstraint = new Set(parsed.constraints.filter((c) => applies(c) && pinnedVersion(c.req.specifier) !== undefined).map((c) => c.req.name));
  const unpinned = parsed.requirements.filter((r) => applies(r) && r.req.url === undefined && pinnedVersion(r.req.specifier) === undefined && !pinnedByConstraint.has(r.req.name));
  if (unpinned.length === 0) return undefined;
  const hashed = parsed.requirements.find((r) => r.hashes.length > 0 || r.otherHashes);
  if (hashed) {
    throw new ConfigError('E_UNPINNED', `${unpinned[0]!.where}: "${unpinned[0]!.text}" is not pinned with ==, but ${hashed.where} has --hash (pip's hash-checking mode needs every requirement pinned; without hashes pycontainer resolves ranges itself); ${UNPINNED_FIX}`);
  }
  const url = parsed.requirements.find((r) => r.req.url !== undefined);
  if (url) throw new ConfigError('E_UNPINNED', `${url.where}: a direct URL requirement (${url.req.name}) cannot be mixed with ranges pycontainer resolves; pin every requirement, or name it by version`);
  return {
    input: display,
    roots: parsed.requirements.map((r) => ({ requirement: r.text, source: r.where })),
    constraints: parsed.constraints.map((c) => ({ requirement: c.text, source: c.where })),
    sources: parsed.sources,
    // What the file names is what the user asked for (pip marks all of it REQUESTED).
    direct: [...new Set(parsed.requirements.map((r) => r.req.name))].sort(),
  };
}

/** Applies markers and constraints; every requirement left must be pinned and hashed. */
function selectPins(parsed: ParsedRequirements, opts: RequirementsOptions): Pin[] {
  const applies = (r: RequirementLine): boolean => r.req.marker === undefined || markerHolds(r.req.marker, { env: opts.env }, r.where.replace(/:\d+$/, ''), r.req.name, [], []);
  const constraints = new Map<string, RequirementLine[]>();
  for (const c of parsed.constraints.filter(applies)) constraints.set(c.req.name, [...(constraints.get(c.req.name) ?? []), c]);

  const pins = new Map<string, Pin>();
  for (const r of parsed.requirements) {
    if (!applies(r)) continue;
    const name = r.req.name;
    let version = r.req.url === undefined ? pinnedVersion(r.req.specifier) : versionFromUrl(r.req.url);
    const hashes = new Set(r.hashes);
    let otherHashes = r.otherHashes;
    for (const c of constraints.get(name) ?? []) {
      const cv = pinnedVersion(c.req.specifier);
      if (cv === undefined) continue;
      if (version === undefined) version = cv;
      else if (!sameVersion(version, cv)) {
        throw new ConfigError('E_LOCK', `${r.where}: "${name}" is pinned to ${version}, but ${c.where} constrains it to ${cv}`);
      }
      if (sameVersion(version, cv)) for (const h of c.hashes) hashes.add(h);
      otherHashes ||= c.otherHashes;
    }
    if (version === undefined) {
      if (r.req.url !== undefined) {
        throw new ConfigError('E_UNPINNED', `${r.where}: "${name} @ ${stripUserinfo(r.req.url)}" names no wheel or sdist file, so its version is unknown; ${UNPINNED_FIX}`);
      }
      throw new ConfigError('E_UNPINNED', `${r.where}: "${r.text}" is not pinned with ==, and pycontainer has no resolver yet; ${UNPINNED_FIX}`);
    }
    if (hashes.size === 0 && otherHashes) {
      throw new ConfigError('E_NO_HASH', `${r.where}: "${name}==${version}" has only hashes of other algorithms than sha256, which pycontainer cannot check; pip-compile --generate-hashes, or uv export --format requirements.txt`);
    }
    if (hashes.size === 0 && r.req.url !== undefined) {
      throw new ConfigError(
        'E_NO_HASH',
        `${r.where}: "${name} @ ${stripUserinfo(r.req.url)}" has no --hash=sha256:…${otherHashes ? ' (only other algorithms)' : ''}; a direct URL needs one: pip-compile --generate-hashes, or uv export --format requirements.txt`,
      );
    }
    const prior = pins.get(name);
    if (prior) {
      if (!sameVersion(prior.version, version) || prior.url !== r.req.url) {
        throw new ConfigError('E_LOCK', `${r.where}: "${name}" is required as ${version}, but ${prior.where} pins ${prior.version}`);
      }
      // pip intersects the hashes of a requirement given twice
      for (const h of [...prior.hashes]) if (!hashes.has(h)) prior.hashes.delete(h);
      continue;
    }
    const pin: Pin = { name, version, hashes, where: r.where, requested: opts.direct?.has(name) ?? true };
    if (r.req.url !== undefined) pin.url = r.req.url;
    pins.set(name, pin);
  }
  return [...pins.values()];
}

function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return compareVersions(a, b) === 0;
  } catch {
    return false;
  }
}

function versionFromUrl(url: string): string | undefined {
  const file = basenameOf(url);
  if (file.endsWith('.whl')) {
    try {
      return parseWheelFilename(file).version;
    } catch {
      return undefined;
    }
  }
  return parseSdistFilename(file)?.version;
}

/** The name and version a distribution file is for, or undefined when the name says neither. */
function fileIdentity(filename: string): { name: string; version: string } | undefined {
  if (filename.endsWith('.whl')) {
    try {
      const w = parseWheelFilename(filename);
      return { name: w.name, version: w.version };
    } catch {
      return undefined;
    }
  }
  return parseSdistFilename(filename);
}

function pythonAllows(requiresPython: string, env: LockContext['env']): boolean {
  try {
    return satisfies(env.python_full_version, requiresPython, { prereleases: true });
  } catch {
    return true; // an index's malformed requires-python does not hide a file
  }
}

async function locate(pin: Pin, index: IndexClient, lockDir: string, env: LockContext['env']): Promise<LockedPackage> {
  const pkg: LockedPackage = { name: pin.name, version: pin.version, requested: pin.requested, wheels: [] };
  const place = (file: LockedFile, url: string): void => {
    if (url.startsWith('file:')) file.path = toPosix(path.relative(lockDir, fileURLToPath(url)));
    else file.url = stripUserinfo(url);
  };
  const add = (file: LockedFile): void => {
    if (file.filename.endsWith('.whl')) pkg.wheels.push(file);
    else if (!pkg.sdist || file.filename < pkg.sdist.filename) pkg.sdist = file;
  };

  if (pin.url !== undefined) {
    // A direct URL requirement: the URL is the file, its hash is the requirement's (PEP 610).
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(pin.url) ? pin.url : pathToFileURL(path.resolve(lockDir, pin.url)).href;
    const file: LockedFile = { filename: basenameOf(url), sha256: [...pin.hashes].sort()[0]! };
    place(file, url);
    add(file);
    pkg.directUrl = stripUserinfo(url.split('#')[0]!);
    return pkg;
  }

  const listed: IndexFile[] = await index.files(pin.name);
  let unhashed = 0;
  let matchingName = 0;
  // A pin without --hash (pip freeze): the index's sha256 (PEP 691 `hashes`, PEP 503 `#sha256=`) is
  // recorded and verified on download, so the plan pins the bytes as a hashed lock would.
  const trustIndex = pin.hashes.size === 0;
  let excludedByPython = 0;
  const mismatched: { filename: string; sha256: string }[] = [];
  for (const f of listed) {
    const id = fileIdentity(f.filename);
    if (!id || id.name !== pin.name || !sameVersion(id.version, pin.version)) continue;
    matchingName++;
    if (f.sha256 === undefined) {
      unhashed++;
      continue;
    }
    const sha = f.sha256.toLowerCase();
    if (trustIndex) {
      if (f.requiresPython !== undefined && !pythonAllows(f.requiresPython, env)) {
        excludedByPython++;
        continue;
      }
    } else if (!pin.hashes.has(sha)) {
      mismatched.push({ filename: f.filename, sha256: sha });
      continue;
    }
    const file: LockedFile = { filename: f.filename, sha256: sha };
    if (f.size !== undefined) file.size = f.size;
    place(file, f.url);
    add(file);
  }
  pkg.wheels.sort(byFilename);
  if (pkg.wheels.length === 0 && !pkg.sdist) {
    const why =
      matchingName === 0
        ? 'the index lists no file for it'
        : unhashed === matchingName
          ? `the index lists ${matchingName} file(s) but no sha256 for them; add --hash=sha256:… (pip-compile --generate-hashes)`
          : trustIndex
            ? `its ${excludedByPython} file(s) on the index all require another Python than ${env.python_full_version}; pin a version that supports it`
            : undefined;
    if (why === undefined) {
      // A hash mismatch is either a tampered index or a wrong lock: never drop the package, say both sides.
      const expected = [...pin.hashes].sort().map((h) => `sha256:${h}`);
      const found = mismatched.slice(0, 3).map((f) => `sha256:${f.sha256} (${f.filename})`);
      const more = mismatched.length > 3 ? ` and ${mismatched.length - 3} more` : '';
      throw new ConfigError(
        'E_HASH_MISMATCH',
        `${pin.where}: "${pin.name}==${pin.version}": none of the ${matchingName} file(s) the index lists has one of the requirement's hashes: expected ${expected.join(' or ')}, found ${found.join(', ')}${more}; if the index is right, regenerate the hashes (pip-compile --generate-hashes)`,
      );
    }
    throw new ConfigError('E_NO_HASH', `${pin.where}: "${pin.name}==${pin.version}": ${why}`);
  }
  return pkg;
}
