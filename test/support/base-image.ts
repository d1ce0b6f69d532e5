/**
 * Test fixture: a real Python base image, assembled from Debian packages
 * without Docker, written as an OCI image layout.
 *
 * The image is built by resolving a dependency closure with `apt-cache
 * depends`, fetching the exact .deb files with `apt-get download`, unpacking
 * them with `dpkg -x` (maintainer scripts are never run), and packing the
 * result into reproducible gzip layers with GNU tar + `gzip -n`.
 *
 * Results are cached under `<repo>/test/.cache/base-images/`, keyed by the
 * variant and the exact list of .deb files; concurrent callers (several test
 * processes) are safe: each builds into a private temp dir and `rename`s it
 * into place, the loser discards its copy.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import {
  access,
  chmod,
  copyFile,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/**
 * plain: Debian's python3.11 with the official images' /usr/local/bin links and PYTHON_VERSION (no shell).
 * web: plain plus Debian's Flask, Django, FastAPI and uvicorn.
 * distroless: like gcr.io/distroless/python3: the interpreter only at /usr/bin/python3.11, no
 * /usr/local, no PYTHON_VERSION, no shell, a `nonroot` (65532) user, Entrypoint the interpreter.
 */
export type BaseVariant = 'plain' | 'web' | 'distroless';

export interface BaseImage {
  /** Absolute path of an OCI image layout directory. */
  layoutDir: string;
  /** The org.opencontainers.image.ref.name in its index.json, e.g. '3.11' or '3.11-web'. */
  tag: string;
  /** `oci:${layoutDir}:${tag}` */
  ref: string;
  /** e.g. '3.11.2' (upstream part of the Debian package version). */
  pythonVersion: string;
}

/** Bump to invalidate every cached image and plan (changes the cache keys). */
const FIXTURE_VERSION = '2';

const PYTHON_SERIES = '3.11';

/** What the plain image is made of; everything else is their Depends/PreDepends closure. */
const PLAIN_ROOTS = [
  `python${PYTHON_SERIES}-minimal`,
  `libpython${PYTHON_SERIES}-minimal`,
  `libpython${PYTHON_SERIES}-stdlib`,
  'media-types',
  'tzdata',
  'ca-certificates',
  'base-files',
];

/**
 * Dependencies treated as satisfied without shipping them: package-management
 * tooling that only maintainer scripts use (we never run those), and the
 * `openssl` CLI that ca-certificates' postinst would call (we build the bundle
 * ourselves). Virtual names (awk, debconf-2.0) count too.
 */
const PLAIN_ASSUMED = [
  'dpkg',
  'install-info',
  'tar',
  'perl',
  'perl-base',
  'debconf',
  'debconf-2.0',
  'cdebconf',
  'awk',
  'mawk',
  'openssl',
];

const WEB_ROOTS = ['python3-flask', 'python3-django', 'python3-fastapi', 'python3-uvicorn'];

/**
 * For the web layer, the interpreter itself is provided by the plain image;
 * do not pull Debian's `python3` meta package and its world in again.
 */
const WEB_ASSUMED = [
  'python3',
  'python3-minimal',
  `python${PYTHON_SERIES}`,
  `python${PYTHON_SERIES}-minimal`,
  'libpython3-stdlib',
  `libpython${PYTHON_SERIES}-stdlib`,
  `libpython${PYTHON_SERIES}-minimal`,
  `libpython${PYTHON_SERIES}`,
];

const REQUIRED_TOOLS = ['apt-get', 'apt-cache', 'dpkg', 'dpkg-deb', 'tar', 'gzip'];

const MEDIA_TYPE_INDEX = 'application/vnd.oci.image.index.v1+json';
const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MEDIA_TYPE_CONFIG = 'application/vnd.oci.image.config.v1+json';
const MEDIA_TYPE_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const EPOCH = '1970-01-01T00:00:00Z';

interface DebInfo {
  /** Package name. */
  pkg: string;
  /** Exact Debian version, e.g. 3.11.2-6+deb12u9. */
  version: string;
  /** File name as apt-get download writes it (epoch colon encoded as %3a). */
  filename: string;
  size: number;
  sha256: string;
}

interface Plan {
  variant: BaseVariant;
  arch: string;
  /** Debs of this variant's own layer (for web: only the additions). */
  debs: DebInfo[];
}

interface LayerInfo {
  digest: string; // sha256:<hex> of the gzip blob
  size: number;
  diffId: string; // sha256:<hex> of the uncompressed tar
  createdBy: string;
}

// ---------------------------------------------------------------------------
// public entry point

const inProcess = new Map<BaseVariant, Promise<BaseImage>>();

export function ensureBaseImage(variant: BaseVariant): Promise<BaseImage> {
  if (variant !== 'plain' && variant !== 'web' && variant !== 'distroless') {
    return Promise.reject(new Error(`ensureBaseImage: unknown variant ${JSON.stringify(variant)}`));
  }
  let p = inProcess.get(variant);
  if (!p) {
    p = ensureUncached(variant);
    inProcess.set(variant, p);
    // A failed attempt must not poison later calls.
    p.catch(() => inProcess.delete(variant));
  }
  return p;
}

async function ensureUncached(variant: BaseVariant): Promise<BaseImage> {
  await checkTools();
  const cacheRoot = join(findRepoRoot(), 'test', '.cache', 'base-images');
  await mkdir(cacheRoot, { recursive: true });

  const plainPlan = await getPlan(cacheRoot, 'plain', []);
  const pythonVersion = pythonVersionOf(plainPlan);
  const series = pythonVersion.split('.').slice(0, 2).join('.');

  if (variant === 'plain') {
    const tag = series;
    const key = cacheKey('plain', plainPlan.arch, [plainPlan.debs]);
    const layoutDir = join(cacheRoot, `plain-${plainPlan.arch}-${key}`);
    await ensureLayout(cacheRoot, layoutDir, tag, (tmp, out) =>
      buildPlain(cacheRoot, tmp, out, plainPlan, pythonVersion, tag),
    );
    return { layoutDir, tag, ref: `oci:${layoutDir}:${tag}`, pythonVersion };
  }

  if (variant === 'distroless') {
    const plain = await ensureBaseImage('plain');
    const tag = `${series}-distroless`;
    const key = cacheKey('distroless', plainPlan.arch, [plainPlan.debs]);
    const layoutDir = join(cacheRoot, `distroless-${plainPlan.arch}-${key}`);
    await ensureLayout(cacheRoot, layoutDir, tag, (tmp, out) => buildDistroless(tmp, out, plain, plainPlan.arch, tag));
    return { layoutDir, tag, ref: `oci:${layoutDir}:${tag}`, pythonVersion };
  }

  const plain = await ensureBaseImage('plain');
  const webPlan = await getPlan(cacheRoot, 'web', plainPlan.debs.map((d) => d.pkg));
  const tag = `${series}-web`;
  const key = cacheKey('web', webPlan.arch, [plainPlan.debs, webPlan.debs]);
  const layoutDir = join(cacheRoot, `web-${webPlan.arch}-${key}`);
  await ensureLayout(cacheRoot, layoutDir, tag, (tmp, out) =>
    buildWeb(cacheRoot, tmp, out, plain, webPlan, pythonVersion, tag),
  );
  return { layoutDir, tag, ref: `oci:${layoutDir}:${tag}`, pythonVersion };
}

let multiInProcess: Promise<BaseImage> | undefined;

/**
 * The plain Python base for both linux/amd64 and linux/arm64, as one OCI
 * layout whose tag (e.g. '3.11-multi') points at an image index with one
 * manifest per platform. The native platform's manifest, config and layer are
 * the very blobs of `ensureBaseImage('plain')`; the other platform's root is
 * built the same way from that architecture's Debian packages (dpkg -x works
 * on foreign .debs; nothing from them is executed).
 *
 * apt must know the foreign architecture (`dpkg --add-architecture arm64` and
 * `apt-get update`); when running as root this sets that up itself, otherwise
 * it throws saying what to run. `pythonVersion` is the native one (both
 * architectures' packages come from the same archive, normally the same
 * version; each config's PYTHON_VERSION is its own package's).
 */
export function ensureMultiArchBaseImage(): Promise<BaseImage> {
  if (!multiInProcess) {
    const p = ensureMultiUncached();
    multiInProcess = p;
    p.catch(() => {
      if (multiInProcess === p) multiInProcess = undefined;
    });
  }
  return multiInProcess;
}

const MULTI_ARCHES = ['amd64', 'arm64'];

async function ensureMultiUncached(): Promise<BaseImage> {
  await checkTools();
  const nativeArch = await dpkgArch();
  if (!MULTI_ARCHES.includes(nativeArch)) {
    throw new Error(
      `ensureMultiArchBaseImage: builds ${MULTI_ARCHES.join(' + ')} images, but this machine's dpkg architecture is ${nativeArch}`,
    );
  }
  const otherArch = MULTI_ARCHES.find((a) => a !== nativeArch)!;
  await ensureForeignArch(otherArch);

  const cacheRoot = join(findRepoRoot(), 'test', '.cache', 'base-images');
  await mkdir(cacheRoot, { recursive: true });
  const native = await ensureBaseImage('plain');
  const nativePlan = await getPlan(cacheRoot, 'plain', []);
  const otherPlan = await getPlan(cacheRoot, 'plain', [], otherArch);
  const otherPythonVersion = pythonVersionOf(otherPlan);
  const series = native.pythonVersion.split('.').slice(0, 2).join('.');
  if (otherPythonVersion.split('.').slice(0, 2).join('.') !== series) {
    throw new Error(
      `ensureMultiArchBaseImage: ${nativeArch} has Python ${native.pythonVersion} but ${otherArch} has ${otherPythonVersion}`,
    );
  }
  const tag = `${series}-multi`;
  const byArch = new Map([
    [nativeArch, nativePlan.debs],
    [otherArch, otherPlan.debs],
  ]);
  const key = cacheKey('multi', MULTI_ARCHES.join('+'), MULTI_ARCHES.map((a) => byArch.get(a)!));
  const layoutDir = join(cacheRoot, `multi-${MULTI_ARCHES.join('-')}-${key}`);
  await ensureLayout(cacheRoot, layoutDir, tag, (tmp, out) =>
    buildMulti(cacheRoot, tmp, out, native, nativeArch, otherPlan, otherPythonVersion, tag),
  );
  return { layoutDir, tag, ref: `oci:${layoutDir}:${tag}`, pythonVersion: native.pythonVersion };
}

/** Does apt have package lists for `arch` (i.e. has `apt-get update` run since it was added)? */
async function hasListsFor(arch: string): Promise<boolean> {
  try {
    return (await readdir('/var/lib/apt/lists')).some((n) => n.includes(`_binary-${arch}_Packages`));
  } catch {
    return false;
  }
}

/**
 * Make sure dpkg/apt know `arch` as a foreign architecture and its package
 * lists are present. As root, do it (dpkg --add-architecture is idempotent;
 * concurrent `apt-get update`s contend for apt's lock, so a failed update
 * that someone else completed counts as success); otherwise explain.
 */
async function ensureForeignArch(arch: string): Promise<void> {
  const foreign = (await run('dpkg', ['--print-foreign-architectures'])).stdout.split(/\s+/);
  const configured = foreign.includes(arch);
  if (configured && (await hasListsFor(arch))) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const steps = [...(configured ? [] : [`dpkg --add-architecture ${arch}`]), 'apt-get update'];
  if (!isRoot) {
    throw new Error(
      `ensureMultiArchBaseImage needs Debian's ${arch} package lists, and ${
        configured ? `apt has none yet` : `${arch} is not a dpkg architecture here`
      }. As root, run: ${steps.join(' && ')}`,
    );
  }
  if (!configured) await run('dpkg', ['--add-architecture', arch]);
  for (let attempt = 0; ; attempt++) {
    try {
      await run('apt-get', ['update', '-qq', '-o', 'DPkg::Lock::Timeout=120']);
      break;
    } catch (e) {
      if (await hasListsFor(arch)) break;
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 2000 * (attempt + 1)));
    }
  }
  if (!(await hasListsFor(arch))) {
    throw new Error(
      `ensureMultiArchBaseImage: apt-get update ran but left no ${arch} package lists in /var/lib/apt/lists ` +
        `(do the apt sources restrict Architectures?)`,
    );
  }
}

// ---------------------------------------------------------------------------
// environment

/** The repository root: env PYCONTAINER_REPO_ROOT, else walk up from this file, else from cwd. */
export function findRepoRoot(): string {
  const fromEnv = process.env.PYCONTAINER_REPO_ROOT;
  if (fromEnv) return resolve(fromEnv);
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const pj = join(dir, 'package.json');
      if (existsSync(pj)) {
        try {
          if (JSON.parse(readFileSync(pj, 'utf8')).name === 'pycontainer') return dir;
        } catch {
          // not ours; keep walking
        }
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(
    'base-image fixture: cannot find the pycontainer repository root (no package.json named "pycontainer" ' +
      'above this file or the working directory); set PYCONTAINER_REPO_ROOT',
  );
}

async function which(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      await access(p, fsConstants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

async function checkTools(): Promise<void> {
  const missing: string[] = [];
  for (const t of REQUIRED_TOOLS) if (!(await which(t))) missing.push(t);
  if (missing.length) {
    throw new Error(
      `base-image fixture needs Debian's package tools, but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not on PATH. It builds the Python base image from ` +
        `Debian packages (apt-get download + dpkg -x); run it on Debian/Ubuntu with apt, dpkg, tar and gzip.`,
    );
  }
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolveP, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolveP({ stdout, stderr });
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${stderr.trim().slice(-4000)}`,
          ),
        );
    });
  });
}

// ---------------------------------------------------------------------------
// dependency resolution

interface Alternative {
  name: string;
  virtual: boolean;
  providers: string[];
}

/** Parse `apt-cache depends --recurse` output: package -> groups of alternatives. */
function parseDepends(text: string): Map<string, Alternative[][]> {
  const graph = new Map<string, Alternative[][]>();
  let current: Alternative[][] | undefined;
  let continuing = false; // previous dependency line had '|'
  let lastAlt: Alternative | undefined;
  const stripArch = (n: string) => n.replace(/:(any|native|amd64|all|[a-z0-9]+)$/, '');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!line.startsWith(' ')) {
      const name = line.trim().replace(/^<(.*)>$/, '$1');
      current = [];
      if (!graph.has(stripArch(name))) graph.set(stripArch(name), current);
      continuing = false;
      lastAlt = undefined;
      continue;
    }
    const dep = /^ ( |\|)(PreDepends|Depends): (<)?([^ >]+)>?/.exec(line);
    if (dep && current) {
      const alt: Alternative = { name: stripArch(dep[4]!), virtual: !!dep[3], providers: [] };
      if (continuing && current.length) current[current.length - 1]!.push(alt);
      else current.push([alt]);
      continuing = dep[1] === '|';
      lastAlt = alt;
      continue;
    }
    const prov = /^ {4}(\S+)/.exec(line);
    if (prov && lastAlt?.virtual) {
      lastAlt.providers.push(stripArch(prov[1]!));
    }
  }
  return graph;
}

/**
 * Depends/PreDepends closure of `roots`. A group of alternatives is satisfied
 * if any alternative (or any provider of a virtual one) is already selected or
 * assumed; otherwise the first real, non-assumed candidate is selected.
 */
function closure(graph: Map<string, Alternative[][]>, roots: string[], assumed: Set<string>): string[] {
  const selected = new Set<string>();
  const queue = [...roots];
  const has = (n: string) => selected.has(n) || assumed.has(n);
  while (queue.length) {
    const pkg = queue.shift()!;
    if (has(pkg)) continue;
    const groups = graph.get(pkg);
    if (!groups) {
      throw new Error(
        `base-image fixture: apt-cache knows no package ${pkg}; are Debian's package lists present (run \`apt-get update\`)?`,
      );
    }
    selected.add(pkg);
    for (const group of groups) {
      if (group.some((a) => has(a.name) || a.providers.some(has))) continue;
      let pick: string | undefined;
      for (const a of group) {
        pick = a.virtual ? a.providers.find((x) => graph.has(x)) : graph.has(a.name) ? a.name : undefined;
        if (pick) break;
      }
      if (!pick) {
        throw new Error(
          `base-image fixture: cannot satisfy ${pkg} -> ${group.map((a) => a.name).join(' | ')}`,
        );
      }
      queue.push(pick);
    }
  }
  return [...selected].sort();
}

async function resolvePackages(roots: string[], assumed: Set<string>, aptOpts: string[]): Promise<string[]> {
  const { stdout } = await run('apt-cache', [
    ...aptOpts,
    'depends',
    '--recurse',
    '--no-recommends',
    '--no-suggests',
    '--no-conflicts',
    '--no-breaks',
    '--no-replaces',
    '--no-enhances',
    ...roots,
  ]);
  return closure(parseDepends(stdout), roots, assumed);
}

/** `apt-get download --print-uris` gives exact file names, sizes and hashes without downloading. */
async function describeDebs(pkgs: string[], aptOpts: string[]): Promise<DebInfo[]> {
  const { stdout } = await run('apt-get', [...aptOpts, 'download', '--print-uris', '-q', ...pkgs]);
  const debs: DebInfo[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^'[^']+' (\S+\.deb) (\d+) SHA256:([0-9a-f]{64})$/.exec(line.trim());
    if (!m) continue;
    const filename = m[1]!;
    const parts = filename.slice(0, -'.deb'.length).split('_');
    if (parts.length !== 3) throw new Error(`base-image fixture: odd .deb name ${filename}`);
    debs.push({
      pkg: parts[0]!,
      version: decodeURIComponent(parts[1]!),
      filename,
      size: Number(m[2]),
      sha256: m[3]!,
    });
  }
  const got = new Set(debs.map((d) => d.pkg));
  const missing = pkgs.filter((p) => !got.has(p));
  if (missing.length) {
    throw new Error(`base-image fixture: apt-get download --print-uris gave no file for ${missing.join(', ')}`);
  }
  return debs.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

/**
 * Fingerprint of apt's package lists: resolution results stay valid until
 * `apt-get update` (or a sources change) rewrites them.
 */
async function aptStamp(): Promise<string> {
  const h = createHash('sha256');
  h.update(FIXTURE_VERSION);
  const listsDir = '/var/lib/apt/lists';
  let names: string[] = [];
  try {
    names = (await readdir(listsDir)).sort();
  } catch {
    // no lists: resolution will fail loudly later
  }
  for (const n of names) {
    if (!/(Packages|Release)/.test(n)) continue;
    const s = await stat(join(listsDir, n));
    h.update(`${n}\0${s.size}\0${s.mtimeMs}\n`);
  }
  for (const f of ['/etc/apt/sources.list', '/etc/apt/sources.list.d', '/etc/apt/preferences', '/etc/apt/preferences.d']) {
    try {
      const s = await stat(f);
      h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
    } catch {
      // absent
    }
  }
  return h.digest('hex');
}

/** The multiarch library directory (e.g. x86_64-linux-gnu): the one under usr/lib holding libc.so.6. */
async function multiarchDirs(root: string): Promise<string[]> {
  const lib = join(root, 'usr', 'lib');
  const out: string[] = [];
  for (const d of await readdir(lib)) {
    if (existsSync(join(lib, d, 'libc.so.6'))) out.push(join(lib, d));
  }
  return out;
}

let archMemo: Promise<string> | undefined;
function dpkgArch(): Promise<string> {
  archMemo ??= run('dpkg', ['--print-architecture']).then((r) => r.stdout.trim());
  return archMemo;
}

/**
 * Options that make apt look at the archive as if `arch` were the native
 * architecture (and the only one): `apt-cache depends` then resolves within
 * that architecture with plain package names (Architecture: all packages
 * included), and `apt-get download` fetches that architecture's files. The
 * binary cache is kept in memory so the system's pkgcache.bin, built for the
 * real configuration, is left alone.
 */
async function aptOptsFor(arch: string): Promise<string[]> {
  if (arch === (await dpkgArch())) return [];
  return [
    '-o',
    `APT::Architecture=${arch}`,
    '-o',
    `APT::Architectures::=${arch}`,
    '-o',
    'Dir::Cache::pkgcache=',
    '-o',
    'Dir::Cache::srcpkgcache=',
  ];
}

/** Resolve (or reuse a cached resolution of) the .deb list for one variant's own layer. */
async function getPlan(
  cacheRoot: string,
  variant: BaseVariant,
  alreadyInBase: string[],
  forArch?: string,
): Promise<Plan> {
  const arch = forArch ?? (await dpkgArch());
  const aptOpts = await aptOptsFor(arch);
  const roots = variant === 'plain' ? PLAIN_ROOTS : WEB_ROOTS;
  const assumed = new Set([...PLAIN_ASSUMED, ...(variant === 'web' ? WEB_ASSUMED : []), ...alreadyInBase]);
  const stamp = createHash('sha256')
    .update(JSON.stringify({ s: await aptStamp(), arch, variant, roots, assumed: [...assumed].sort() }))
    .digest('hex');
  const planDir = join(cacheRoot, 'plans');
  const planFile = join(planDir, `${variant}-${arch}.json`);
  try {
    const cached = JSON.parse(await readFile(planFile, 'utf8')) as { stamp: string; plan: Plan };
    if (cached.stamp === stamp) return cached.plan;
  } catch {
    // no usable cached plan
  }
  const pkgs = await resolvePackages(roots, assumed, aptOpts);
  const plan: Plan = { variant, arch, debs: await describeDebs(pkgs, aptOpts) };
  await mkdir(planDir, { recursive: true });
  await atomicWrite(planFile, JSON.stringify({ stamp, plan }, null, 2) + '\n');
  return plan;
}

function pythonVersionOf(plan: Plan): string {
  const deb = plan.debs.find((d) => d.pkg === `python${PYTHON_SERIES}-minimal`);
  if (!deb) throw new Error(`base-image fixture: python${PYTHON_SERIES}-minimal is not in the plan`);
  // 3.11.2-6+deb12u9 -> 3.11.2 (drop epoch and Debian revision)
  return deb.version.replace(/^\d+:/, '').replace(/-[^-]*$/, '').replace(/[~+].*$/, '');
}

function cacheKey(variant: BaseVariant | 'multi', arch: string, debLists: DebInfo[][]): string {
  const h = createHash('sha256');
  h.update(`${FIXTURE_VERSION}\n${variant}\n${arch}\n`);
  for (const list of debLists) {
    for (const d of list) h.update(`${d.filename}\n`);
    h.update('--\n');
  }
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------
// downloads

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

/** Make sure every .deb is in `<cache>/debs`, fetching the missing ones with apt-get download. */
async function fetchDebs(cacheRoot: string, debs: DebInfo[], aptOpts: string[] = []): Promise<Map<string, string>> {
  const debDir = join(cacheRoot, 'debs');
  await mkdir(debDir, { recursive: true });
  const paths = new Map<string, string>();
  const missing: DebInfo[] = [];
  for (const d of debs) {
    const p = join(debDir, d.filename);
    paths.set(d.filename, p);
    try {
      if ((await stat(p)).size === d.size) continue;
    } catch {
      // not cached
    }
    missing.push(d);
  }
  if (missing.length) {
    const tmp = await mkdtemp(join(debDir, '.download-'));
    try {
      await run(
        'apt-get',
        [
          ...aptOpts,
          'download',
          '-q',
          // running as root: don't drop to _apt, which could not write our dir
          '-o',
          'APT::Sandbox::User=root',
          ...missing.map((d) => `${d.pkg}=${d.version}`),
        ],
        { cwd: tmp },
      );
      for (const d of missing) {
        const got = join(tmp, d.filename);
        const sum = await sha256File(got);
        if (sum !== d.sha256) {
          throw new Error(`base-image fixture: ${d.filename} has sha256 ${sum}, apt said ${d.sha256}`);
        }
        await rename(got, paths.get(d.filename)!);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  return paths;
}

// ---------------------------------------------------------------------------
// root filesystem

async function extractDebs(debPaths: string[], root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const p of debPaths) await run('dpkg', ['-x', p, root]);
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Move the contents of directory `src` into `dst` (recursively), then remove `src`. */
async function mergeDir(src: string, dst: string): Promise<void> {
  if (!(await isDir(dst))) {
    await mkdir(dirname(dst), { recursive: true });
    await rm(dst, { force: true });
    await rename(src, dst);
    return;
  }
  for (const name of await readdir(src)) {
    const s = join(src, name);
    const d = join(dst, name);
    if ((await isDir(s)) && (await isDir(d))) {
      await mergeDir(s, d);
    } else {
      await rm(d, { recursive: true, force: true });
      await rename(s, d);
    }
  }
  await rmdir(src);
}

const MERGED_USR_DIRS = ['bin', 'sbin', 'lib', 'lib64'];

/**
 * Debian 12 systems are merged-/usr, but dpkg -x of bookworm packages creates
 * real /lib, /bin... directories. Move their contents under /usr; with
 * `makeLinks`, replace them with the usual `lib -> usr/lib` symlinks.
 */
async function mergeUsr(root: string, makeLinks: boolean): Promise<void> {
  for (const d of MERGED_USR_DIRS) {
    const top = join(root, d);
    if (await isDir(top)) await mergeDir(top, join(root, 'usr', d));
    if (makeLinks) {
      await mkdir(join(root, 'usr', d), { recursive: true });
      await rm(top, { force: true });
      await symlink(`usr/${d}`, top);
    }
  }
}

/** Drop documentation (keeping copyright files), man pages and info pages. */
async function stripDocs(root: string): Promise<void> {
  const doc = join(root, 'usr', 'share', 'doc');
  if (await isDir(doc)) {
    for (const pkg of await readdir(doc)) {
      const pdir = join(doc, pkg);
      if (!(await isDir(pdir))) continue;
      for (const f of await readdir(pdir)) {
        if (f !== 'copyright') await rm(join(pdir, f), { recursive: true, force: true });
      }
    }
  }
  for (const d of ['man', 'info', 'lintian', 'linda']) {
    await rm(join(root, 'usr', 'share', d), { recursive: true, force: true });
  }
}

async function mkdirMode(p: string, mode: number): Promise<void> {
  await mkdir(p, { recursive: true });
  await chmod(p, mode);
}

async function writeFileMode(p: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(p), { recursive: true });
  await rm(p, { force: true });
  await writeFile(p, content);
  await chmod(p, mode);
}

async function replaceSymlink(target: string, p: string): Promise<void> {
  await mkdir(dirname(p), { recursive: true });
  await rm(p, { force: true });
  await symlink(target, p);
}

/** What maintainer scripts / base-passwd / docker's python images would have set up. */
async function finishPlainRoot(root: string): Promise<void> {
  await mergeUsr(root, true);
  await stripDocs(root);

  await mkdirMode(join(root, 'tmp'), 0o1777);
  await mkdirMode(join(root, 'root'), 0o700);
  for (const d of ['etc', 'dev', 'proc', 'sys', 'run', 'var', 'var/tmp', 'home', 'usr/local/bin', 'usr/local/sbin', 'usr/local/lib']) {
    await mkdir(join(root, d), { recursive: true });
  }
  await chmod(join(root, 'var', 'tmp'), 0o1777);
  await mkdirMode(join(root, 'run', 'lock'), 0o1777);
  for (const [name, target] of [
    ['run', '/run'],
    ['lock', '/run/lock'],
  ] as const) {
    const p = join(root, 'var', name);
    if ((await isDir(p)) && (await readdir(p)).length === 0) await rmdir(p);
    if (!existsSync(p)) await symlink(target, p);
  }
  // iconv modules: nothing in Python uses them (its codecs are built in), and they are a third of
  // the libraries' size.
  for (const dir of await multiarchDirs(root)) await rm(join(dir, 'gconv'), { recursive: true, force: true });

  await writeFileMode(
    join(root, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  );
  await writeFileMode(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await writeFileMode(
    join(root, 'etc', 'nsswitch.conf'),
    'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n' +
      'protocols: files\nservices: files\nethers: files\nrpc: files\n',
  );

  // tzdata's postinst would create these.
  if (await isDir(join(root, 'usr', 'share', 'zoneinfo'))) {
    await replaceSymlink('/usr/share/zoneinfo/Etc/UTC', join(root, 'etc', 'localtime'));
    await writeFileMode(join(root, 'etc', 'timezone'), 'Etc/UTC\n');
  }

  // ca-certificates' postinst (update-ca-certificates) would build the bundle.
  const mozilla = join(root, 'usr', 'share', 'ca-certificates', 'mozilla');
  if (await isDir(mozilla)) {
    const certs = (await readdir(mozilla)).filter((f) => f.endsWith('.crt')).sort();
    const parts: string[] = [];
    for (const c of certs) {
      const pem = (await readFile(join(mozilla, c), 'utf8')).trimEnd();
      parts.push(pem + '\n');
    }
    await writeFileMode(join(root, 'etc', 'ssl', 'certs', 'ca-certificates.crt'), parts.join(''));
  }

  // Interpreter entry points, as in the official python images.
  const py = `python${PYTHON_SERIES}`;
  if (!existsSync(join(root, 'usr', 'bin', py))) {
    throw new Error(`base-image fixture: /usr/bin/${py} missing from the unpacked packages`);
  }
  await replaceSymlink(py, join(root, 'usr', 'bin', 'python3'));
  await replaceSymlink(`/usr/bin/${py}`, join(root, 'usr', 'local', 'bin', 'python3'));
  await replaceSymlink(`/usr/bin/${py}`, join(root, 'usr', 'local', 'bin', 'python'));
  await replaceSymlink(`/usr/bin/${py}`, join(root, 'usr', 'local', 'bin', py));
}

async function finishWebRoot(root: string): Promise<void> {
  await mergeUsr(root, false);
  await stripDocs(root);
}

// ---------------------------------------------------------------------------
// layers and layout

function byteCompare(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/**
 * Pack `root` into a reproducible tar, gzip it with `gzip -n`, and stream the
 * result into `blobsDir`, hashing both the tar (diff_id) and the gzip (digest).
 */
async function packLayer(root: string, blobsDir: string, createdBy: string): Promise<LayerInfo> {
  const entries = (await readdir(root)).sort(byteCompare);
  if (!entries.length) throw new Error(`base-image fixture: empty layer root ${root}`);
  const tmpBlob = join(blobsDir, `.layer-${randomBytes(6).toString('hex')}`);

  const tar = spawn(
    'tar',
    [
      '-C',
      root,
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--format=posix',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
      '-cf',
      '-',
      '--',
      ...entries,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  const gzip = spawn('gzip', ['-n', '-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exitOf = (child: ReturnType<typeof spawn>, name: string) =>
    new Promise<void>((res, rej) => {
      const err: Buffer[] = [];
      child.stderr?.on('data', (b: Buffer) => err.push(b));
      child.on('error', rej);
      child.on('close', (code, signal) =>
        code === 0
          ? res()
          : rej(new Error(`${name} failed (${signal ?? `exit ${code}`}): ${Buffer.concat(err).toString().trim()}`)),
      );
    });
  const tarDone = exitOf(tar, 'tar');
  const gzipDone = exitOf(gzip, 'gzip -n');

  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let size = 0;
  const tapDiff = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      diffHash.update(chunk);
      cb(null, chunk);
    },
  });
  const tapBlob = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      blobHash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await Promise.all([
      pipeline(tar.stdout!, tapDiff, gzip.stdin!),
      pipeline(gzip.stdout!, tapBlob, createWriteStream(tmpBlob)),
      tarDone,
      gzipDone,
    ]);
  } catch (e) {
    tar.kill();
    gzip.kill();
    await rm(tmpBlob, { force: true });
    throw e;
  }
  const hex = blobHash.digest('hex');
  await rename(tmpBlob, join(blobsDir, hex));
  return { digest: `sha256:${hex}`, size, diffId: `sha256:${diffHash.digest('hex')}`, createdBy };
}

async function writeBlob(blobsDir: string, content: string): Promise<{ digest: string; size: number }> {
  const buf = Buffer.from(content, 'utf8');
  const hex = createHash('sha256').update(buf).digest('hex');
  await writeFile(join(blobsDir, hex), buf);
  return { digest: `sha256:${hex}`, size: buf.length };
}

function ociArch(debArch: string): { architecture: string; variant?: string } {
  switch (debArch) {
    case 'amd64':
      return { architecture: 'amd64' };
    case 'arm64':
      return { architecture: 'arm64', variant: 'v8' };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v5' };
    case 'i386':
      return { architecture: '386' };
    case 'ppc64el':
      return { architecture: 'ppc64le' };
    default:
      return { architecture: debArch };
  }
}

interface ImageDesc {
  digest: string;
  size: number;
  platform: { architecture: string; os: string; variant?: string };
}

/** Write an image's config and manifest blobs; returns the manifest's descriptor fields. */
async function writeImage(
  blobsDir: string,
  layers: LayerInfo[],
  debArch: string,
  pythonVersion: string,
  imageConfig?: Record<string, unknown>,
): Promise<ImageDesc> {
  await mkdir(blobsDir, { recursive: true });
  const { architecture, variant } = ociArch(debArch);
  const config = {
    created: EPOCH,
    architecture,
    ...(variant ? { variant } : {}),
    os: 'linux',
    config: imageConfig ?? {
      Env: [
        'PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'LANG=C.UTF-8',
        `PYTHON_VERSION=${pythonVersion}`,
      ],
      Cmd: ['python3'],
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created: EPOCH, created_by: l.createdBy })),
  };
  const configDesc = await writeBlob(blobsDir, JSON.stringify(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    config: { mediaType: MEDIA_TYPE_CONFIG, ...configDesc },
    layers: layers.map((l) => ({ mediaType: MEDIA_TYPE_LAYER_GZIP, digest: l.digest, size: l.size })),
  };
  const manifestDesc = await writeBlob(blobsDir, JSON.stringify(manifest));
  return { ...manifestDesc, platform: { architecture, os: 'linux', ...(variant ? { variant } : {}) } };
}

/** oci-layout plus an index.json with the single tagged descriptor `desc`. */
async function writeIndexJson(
  layoutDir: string,
  tag: string,
  desc: { mediaType: string; digest: string; size: number; platform?: ImageDesc['platform'] },
): Promise<void> {
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_INDEX,
    manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  };
  await writeFile(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }) + '\n');
  await writeFile(join(layoutDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

async function writeLayout(
  layoutDir: string,
  tag: string,
  layers: LayerInfo[],
  debArch: string,
  pythonVersion: string,
): Promise<void> {
  const image = await writeImage(join(layoutDir, 'blobs', 'sha256'), layers, debArch, pythonVersion);
  await writeIndexJson(layoutDir, tag, { mediaType: MEDIA_TYPE_MANIFEST, ...image });
}

async function buildPlain(
  cacheRoot: string,
  tmp: string,
  out: string,
  plan: Plan,
  pythonVersion: string,
  tag: string,
): Promise<void> {
  const layer = await buildPlainLayer(cacheRoot, join(tmp, 'rootfs'), join(out, 'blobs', 'sha256'), plan);
  await writeLayout(out, tag, [layer], plan.arch, pythonVersion);
}

/** Fetch, unpack and finish the plain root for `plan.arch` in `root`, and pack it into `blobsDir`. */
async function buildPlainLayer(cacheRoot: string, root: string, blobsDir: string, plan: Plan): Promise<LayerInfo> {
  const paths = await fetchDebs(cacheRoot, plan.debs, await aptOptsFor(plan.arch));
  await extractDebs(
    plan.debs.map((d) => paths.get(d.filename)!),
    root,
  );
  await finishPlainRoot(root);
  await mkdir(blobsDir, { recursive: true });
  return packLayer(root, blobsDir, `pycontainer test fixture: dpkg -x ${plan.debs.map((d) => d.filename).join(' ')}`);
}

/**
 * The multi-platform layout: the native plain image, reused blob for blob
 * (same manifest, config and layer digests as `native`), plus the same image
 * built from the other architecture's packages, tied together by an image
 * index that index.json tags.
 */
async function buildMulti(
  cacheRoot: string,
  tmp: string,
  out: string,
  native: BaseImage,
  nativeArch: string,
  otherPlan: Plan,
  otherPythonVersion: string,
  tag: string,
): Promise<void> {
  const blobsDir = join(out, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });

  const base = await readImage(native.layoutDir, native.tag);
  const nativeBlobs = [base.manifestDigest, base.manifest.config.digest, ...base.manifest.layers.map((l) => l.digest)];
  for (const d of nativeBlobs) await linkOrCopyBlob(native.layoutDir, blobsDir, d);
  const nativeDesc: ImageDesc = {
    digest: base.manifestDigest,
    size: base.manifestSize,
    platform: { architecture: ociArch(nativeArch).architecture, os: 'linux' },
  };
  const nativeVariant = ociArch(nativeArch).variant;
  if (nativeVariant) nativeDesc.platform.variant = nativeVariant;

  const layer = await buildPlainLayer(cacheRoot, join(tmp, `rootfs-${otherPlan.arch}`), blobsDir, otherPlan);
  const otherDesc = await writeImage(blobsDir, [layer], otherPlan.arch, otherPythonVersion);

  // amd64 first, then arm64, whichever of them is native.
  const manifests = [nativeDesc, otherDesc]
    .sort((a, b) => byteCompare(a.platform.architecture, b.platform.architecture))
    .map((d) => ({ mediaType: MEDIA_TYPE_MANIFEST, digest: d.digest, size: d.size, platform: d.platform }));
  const imageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests };
  const indexDesc = await writeBlob(blobsDir, JSON.stringify(imageIndex));
  await writeIndexJson(out, tag, { mediaType: MEDIA_TYPE_INDEX, ...indexDesc });
}

async function linkOrCopyBlob(fromLayout: string, blobsDir: string, digest: string): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const src = join(fromLayout, 'blobs', 'sha256', hex);
  const dst = join(blobsDir, hex);
  if (existsSync(dst)) return;
  try {
    await link(src, dst);
  } catch {
    await copyFile(src, dst);
  }
}

/**
 * The distroless-style image: the plain root without /usr/local (so the interpreter is found only at
 * /usr/bin/python3.11), distroless's passwd/group with `nonroot` and its home, and its config: no
 * PYTHON_VERSION, the interpreter as Entrypoint, SSL_CERT_FILE.
 */
async function buildDistroless(tmp: string, out: string, plain: BaseImage, debArch: string, tag: string): Promise<void> {
  const base = await readImage(plain.layoutDir, plain.tag);
  const root = join(tmp, 'rootfs-distroless');
  await mkdir(root, { recursive: true });
  for (const l of base.manifest.layers) await run('tar', ['-xzf', blobPathIn(plain.layoutDir, l.digest), '-C', root]);
  await rm(join(root, 'usr', 'local'), { recursive: true, force: true });
  for (const sh of ['sh', 'dash', 'bash']) {
    if (existsSync(join(root, 'usr', 'bin', sh))) throw new Error(`base-image fixture: the distroless root has /usr/bin/${sh}`);
  }
  await writeFileMode(
    join(root, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
  );
  await writeFileMode(join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n');
  await mkdirMode(join(root, 'home', 'nonroot'), 0o700);
  const blobsDir = join(out, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });
  const layer = await packLayer(root, blobsDir, 'pycontainer test fixture: distroless-style python3.11 (no shell, no /usr/local)');
  const image = await writeImage(blobsDir, [layer], debArch, '', {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'],
    Entrypoint: ['/usr/bin/python3.11'],
  });
  await writeIndexJson(out, tag, { mediaType: MEDIA_TYPE_MANIFEST, ...image });
}

async function buildWeb(
  cacheRoot: string,
  tmp: string,
  out: string,
  plain: BaseImage,
  plan: Plan,
  pythonVersion: string,
  tag: string,
): Promise<void> {
  const paths = await fetchDebs(cacheRoot, plan.debs);
  const root = join(tmp, 'rootfs-web');
  await extractDebs(
    plan.debs.map((d) => paths.get(d.filename)!),
    root,
  );
  await finishWebRoot(root);
  const blobsDir = join(out, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });

  // Reuse the plain image's layer blob(s) as the bottom of the stack.
  const base = await readImage(plain.layoutDir, plain.tag);
  const baseLayers: LayerInfo[] = [];
  for (let i = 0; i < base.manifest.layers.length; i++) {
    const l = base.manifest.layers[i]!;
    await linkOrCopyBlob(plain.layoutDir, blobsDir, l.digest);
    baseLayers.push({
      digest: l.digest,
      size: l.size,
      diffId: base.config.rootfs.diff_ids[i]!,
      createdBy: base.config.history?.[i]?.created_by ?? 'base layer',
    });
  }
  const webLayer = await packLayer(
    root,
    blobsDir,
    `pycontainer test fixture: dpkg -x ${plan.debs.map((d) => d.filename).join(' ')}`,
  );
  await writeLayout(out, tag, [...baseLayers, webLayer], plan.arch, pythonVersion);
}

interface ReadImage {
  manifestDigest: string;
  manifestSize: number;
  manifest: { layers: { digest: string; size: number; mediaType: string }[]; config: { digest: string } };
  config: { rootfs: { diff_ids: string[] }; history?: { created_by?: string }[] };
}

interface TaggedDesc {
  mediaType?: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

async function taggedDescriptor(layoutDir: string, tag: string): Promise<TaggedDesc> {
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: TaggedDesc[] };
  const desc = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!desc) throw new Error(`no manifest tagged ${tag} in ${layoutDir}`);
  return desc;
}

const blobPathIn = (layoutDir: string, d: string) => join(layoutDir, 'blobs', 'sha256', d.slice('sha256:'.length));

/** The single-platform image tagged `tag` (index.json must point straight at a manifest). */
async function readImage(layoutDir: string, tag: string): Promise<ReadImage> {
  const desc = await taggedDescriptor(layoutDir, tag);
  const manifest = JSON.parse(await readFile(blobPathIn(layoutDir, desc.digest), 'utf8')) as ReadImage['manifest'];
  const config = JSON.parse(await readFile(blobPathIn(layoutDir, manifest.config.digest), 'utf8')) as ReadImage['config'];
  return { manifestDigest: desc.digest, manifestSize: desc.size, manifest, config };
}

/**
 * A cached layout is usable if the tagged descriptor resolves: every index,
 * manifest and config blob parses, and every layer blob has its size.
 */
async function layoutLooksComplete(layoutDir: string, tag: string): Promise<boolean> {
  const check = async (desc: TaggedDesc, depth: number): Promise<void> => {
    const path = blobPathIn(layoutDir, desc.digest);
    if (statSync(path).size !== desc.size) throw new Error('size');
    if (desc.mediaType === MEDIA_TYPE_INDEX) {
      if (depth > 2) throw new Error('nesting');
      const idx = JSON.parse(await readFile(path, 'utf8')) as { manifests: TaggedDesc[] };
      if (!idx.manifests.length) throw new Error('empty index');
      for (const m of idx.manifests) await check(m, depth + 1);
      return;
    }
    const manifest = JSON.parse(await readFile(path, 'utf8')) as {
      config: TaggedDesc;
      layers: TaggedDesc[];
    };
    JSON.parse(await readFile(blobPathIn(layoutDir, manifest.config.digest), 'utf8'));
    for (const l of manifest.layers) {
      if (statSync(blobPathIn(layoutDir, l.digest)).size !== l.size) throw new Error('size');
    }
  };
  try {
    await check(await taggedDescriptor(layoutDir, tag), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Build `layoutDir` unless it is already there. The build happens in a
 * private temp dir inside `cacheRoot`; the finished layout is renamed into
 * place, and if someone else got there first ours is thrown away.
 */
async function ensureLayout(
  cacheRoot: string,
  layoutDir: string,
  tag: string,
  build: (tmp: string, out: string) => Promise<void>,
): Promise<void> {
  if (await layoutLooksComplete(layoutDir, tag)) return;
  if (existsSync(layoutDir)) {
    // Left over from a different (older) writer; layouts only appear via rename, so this is not
    // a build in progress.
    await rm(layoutDir, { recursive: true, force: true });
  }
  const tmp = await mkdtemp(join(cacheRoot, `.build-${process.pid}-`));
  try {
    const out = join(tmp, 'layout');
    await mkdir(out, { recursive: true });
    await build(tmp, out);
    try {
      await rename(out, layoutDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await layoutLooksComplete(layoutDir, tag))) return;
      throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function atomicWrite(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}
