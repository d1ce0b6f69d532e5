// Real web-framework wheels with no PyPI: Debian 12's python3-* packages (Flask, FastAPI, Django, gunicorn,
// uvicorn and what they import) unpacked with dpkg and repacked, one distribution at a time, as wheels.
// Debian installs each distribution into /usr/lib/python3/dist-packages as its top-level packages plus an
// .egg-info or .dist-info directory; a wheel is the same files plus a .dist-info with METADATA, WHEEL and
// RECORD (PEP 427 / the binary distribution format spec), so the conversion is mechanical:
//   - PKG-INFO → METADATA, with requires.txt turned into Requires-Dist / Provides-Extra lines;
//   - entry_points.txt and top_level.txt kept;
//   - WHEEL says Root-Is-Purelib: true and py3-none-any for pure Python, or false and
//     cp311-cp311-manylinux_2_36_<machine> when an extension module (.so) is inside (Debian 12 has glibc 2.36);
//   - RECORD lists every member with its urlsafe-base64 sha256 and size.
// Zips are deterministic (sorted members, 1980-01-01 timestamps, fixed modes), so the cache key (the package
// list with Debian's versions) determines the bytes, and locks written from them stay valid across runs.
// Debian strips some upstream requirements from requires.txt (Flask's lists no Werkzeug): METADATA says what
// Debian says; the test locks state the upstream dependency graph themselves (real-projects.ts).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from './base-image.js';
import { run } from './tools.js';
import { describeWheel, ensureDebianWheels, type WheelFile } from './wheels.js';

/** Debian 12 packages whose distributions become wheels (what Flask, FastAPI, Django, gunicorn, uvicorn and pytest import). */
export const FRAMEWORK_DEBS = [
  'python3-anyio',
  'python3-asgiref',
  'python3-blinker',
  'python3-click',
  'python3-colorama',
  'python3-django',
  'python3-fastapi',
  'python3-flask',
  'python3-gunicorn',
  'python3-h11',
  'python3-idna',
  'python3-iniconfig',
  'python3-itsdangerous',
  'python3-jinja2',
  'python3-markupsafe',
  'python3-packaging',
  'python3-pluggy',
  'python3-pydantic',
  'python3-pytest',
  'python3-sniffio',
  'python3-sqlparse',
  'python3-starlette',
  'python3-typing-extensions',
  'python3-tz',
  'python3-uvicorn',
  'python3-werkzeug',
];

/** Bump when the conversion changes (it changes the cache key, so old wheels are not reused). */
const CONVERTER_VERSION = '2';

// Turns every distribution in DIST_PACKAGES into a wheel in OUT. Python's zipfile and hashlib, the same
// tools the wheel spec's reference implementations use; nothing of the host's site-packages is read.
const CONVERT_PY = String.raw`
import base64, email.parser, hashlib, os, platform, re, sys, zipfile

src, out = sys.argv[1], sys.argv[2]
machine = platform.machine()
DATE = (1980, 1, 1, 0, 0, 0)

def escape(name):
    return re.sub(r"[-_.]+", "_", name).lower()

def read(p):
    with open(p, "rb") as f:
        return f.read()

def requires_to_metadata(text):
    """requires.txt (setuptools): plain lines, then [extra], [:marker] or [extra:marker] sections."""
    lines, extras, section = [], [], (None, None)
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([^:\]]*)(?::(.*))?\]", line)
        if m:
            extra = m.group(1).strip() or None
            marker = (m.group(2) or "").strip() or None
            section = (extra, marker)
            if extra and extra not in extras:
                extras.append(extra)
            continue
        extra, marker = section
        conds = []
        if marker:
            conds.append("(%s)" % marker if extra else marker)
        if extra:
            conds.append('extra == "%s"' % extra)
        lines.append("Requires-Dist: %s%s" % (line, "; " + " and ".join(conds) if conds else ""))
    return ["Provides-Extra: %s" % e for e in extras], lines

def metadata_from_pkg_info(pkg_info, requires):
    """Insert Requires-Dist/Provides-Extra after the headers of PKG-INFO; the body (description) stays last."""
    text = pkg_info.decode("utf-8")
    head, sep, body = text.partition("\n\n")
    headers = [l for l in head.split("\n") if not l.startswith(("Requires-Dist:", "Provides-Extra:"))]
    if requires is not None:
        provides, reqs = requires_to_metadata(requires.decode("utf-8"))
        headers += provides + reqs
    return ("\n".join(headers) + "\n" + (sep + body if sep else "\n")).encode("utf-8")

def top_levels(info_dir, files_in_record, name):
    """top_level.txt, else the first path components in RECORD (Debian trims RECORD to the .dist-info), else the
    distribution's own name as a package or module (typing_extensions, fastapi, starlette)."""
    names = []
    tl = os.path.join(src, info_dir, "top_level.txt")
    if os.path.exists(tl):
        # setuptools writes subpackages too (uvicorn's lists uvicorn/lifespan ...): their files come with the top.
        names = sorted({l.strip().split("/")[0] for l in read(tl).decode().splitlines() if l.strip()})
    if not names:
        # A package directory (name/...) or a module file (name.py, name.cpython-311-....so).
        names = sorted({p.split("/")[0] if "/" in p else p.split(".")[0] for p in files_in_record if not p.split("/")[0].endswith((".dist-info", ".egg-info"))})
    return names or [escape(name)]

def collect(top):
    """Files of one top-level package or module, as (archive path, bytes, mode); __pycache__ left out.
    Links Debian points into /usr/share (jquery.js for the debuggers) are left out when they do not resolve."""
    found = []
    if os.path.isdir(os.path.join(src, top)):
        for root, dirs, files in os.walk(os.path.join(src, top)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for f in sorted(files):
                full = os.path.join(root, f)
                if f.endswith((".pyc", ".pyo")) or not os.path.exists(full):
                    continue
                rel = os.path.relpath(full, src).replace(os.sep, "/")
                found.append((rel, read(full), 0o755 if os.access(full, os.X_OK) and not f.endswith(".py") else 0o644))
    for f in sorted(os.listdir(src)):
        stem = f.split(".")[0]
        if stem == top and os.path.isfile(os.path.join(src, f)) and (f.endswith(".py") or f.endswith(".so")):
            found.append((f, read(os.path.join(src, f)), 0o644))
    return found

def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

for info_dir in sorted(os.listdir(src)):
    if not info_dir.endswith((".egg-info", ".dist-info")):
        continue
    full = os.path.join(src, info_dir)
    if info_dir.endswith(".dist-info"):
        meta_bytes = read(os.path.join(full, "METADATA"))
        record_paths = [l.split(",")[0] for l in read(os.path.join(full, "RECORD")).decode().splitlines() if l] if os.path.exists(os.path.join(full, "RECORD")) else []
    else:
        pkg_info = read(os.path.join(full, "PKG-INFO"))
        requires = read(os.path.join(full, "requires.txt")) if os.path.exists(os.path.join(full, "requires.txt")) else None
        meta_bytes = metadata_from_pkg_info(pkg_info, requires)
        record_paths = []
    headers = email.parser.BytesHeaderParser().parsebytes(meta_bytes)
    name, version = headers["Name"], headers["Version"]
    files = []
    for top in top_levels(info_dir, record_paths, name):
        files += collect(top)
    if len({p for p, _, _ in files}) != len(files):
        sys.exit("a member appears twice in the wheel of %s %s" % (name, version))
    if not files:
        sys.exit("no files found for %s %s in %s" % (name, version, info_dir))
    platlib = any(p.endswith(".so") for p, _, _ in files)
    tag = "cp311-cp311-manylinux_2_36_%s" % machine if platlib else "py3-none-any"
    dist_info = "%s-%s.dist-info" % (escape(name), version)
    files.append((dist_info + "/METADATA", meta_bytes, 0o644))
    files.append((dist_info + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: pycontainer-tests (from Debian %s)\nRoot-Is-Purelib: %s\nTag: %s\n" % (info_dir, "false" if platlib else "true", tag)).encode(), 0o644))
    for extra in ("entry_points.txt", "top_level.txt"):
        if os.path.exists(os.path.join(full, extra)):
            files.append((dist_info + "/" + extra, read(os.path.join(full, extra)), 0o644))
    record = ["%s,%s,%d" % (p, digest(d), len(d)) for p, d, _ in files] + [dist_info + "/RECORD,,"]
    files.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode(), 0o644))
    wheel = os.path.join(out, "%s-%s-%s.whl" % (escape(name), version, tag))
    # Members sorted, .dist-info last (as the spec recommends), so installers find RECORD at the end.
    files.sort(key=lambda f: (f[0].startswith(dist_info + "/"), f[0]))
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for p, data, mode in files:
            info = zipfile.ZipInfo(p, date_time=DATE)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=6)
    print(os.path.basename(wheel))
`;

/** Debian's exact version of each package, from apt's candidate (what `apt-get download` fetches). */
async function readCandidateVersions(packages: string[]): Promise<string[]> {
  const { stdout } = await run('apt-cache', ['show', '--no-all-versions', ...packages], { timeoutMs: 120_000 });
  const found = new Map<string, string>();
  for (const stanza of stdout.split(/\n\n+/)) {
    const pkg = /^Package: (.+)$/m.exec(stanza)?.[1];
    const version = /^Version: (.+)$/m.exec(stanza)?.[1];
    if (pkg && version && !found.has(pkg)) found.set(pkg, version);
  }
  const missing = packages.filter((p) => !found.has(p));
  if (missing.length) throw new Error(`apt-cache knows no candidate for ${missing.join(', ')}`);
  return packages.map((p) => `${p}=${found.get(p)}`);
}

/**
 * The framework wheels, built once per package set and cached in test/.cache/wheels/frameworks-<key>/ (a private
 * temp dir renamed into place, so concurrent test processes never see half a cache). Every wheel is installed with
 * the host's pip into a scratch target before the cache is published. Debian's setuptools wheel is added to the
 * list: gunicorn 20.1 imports pkg_resources.
 */
export async function ensureFrameworkWheels(): Promise<WheelFile[]> {
  const pinned = await readCandidateVersions([...FRAMEWORK_DEBS].sort());
  const key = createHash('sha256').update(`${CONVERTER_VERSION}\n${os.arch()}\n${pinned.join('\n')}\n`).digest('hex').slice(0, 16);
  const root = path.join(findRepoRoot(), 'test', '.cache', 'wheels');
  const done = path.join(root, `frameworks-${key}`);
  if (!existsSync(done)) {
    await mkdir(root, { recursive: true });
    const work = await mkdtemp(path.join(root, '.tmp-frameworks-'));
    try {
      await run('apt-get', ['download', ...pinned], { cwd: work, timeoutMs: 600_000 });
      const debs = (await readdir(work)).filter((f) => f.endsWith('.deb')).sort();
      for (const deb of debs) await run('dpkg', ['-x', path.join(work, deb), path.join(work, 'root')]);
      const out = path.join(work, 'out');
      await mkdir(out);
      await run('python3', ['-c', CONVERT_PY, path.join(work, 'root/usr/lib/python3/dist-packages'), out], { timeoutMs: 300_000 });
      const built = (await readdir(out)).filter((f) => f.endsWith('.whl')).map((f) => path.join(out, f));
      await checkWheelsInstall(built);
      await writeFile(path.join(out, 'SOURCES'), `${pinned.join('\n')}\n`);
      await rename(out, done).catch(() => undefined); // another process won: its wheels are byte-identical
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const files = (await readdir(done)).filter((f) => f.endsWith('.whl')).sort();
  const frameworks = await Promise.all(files.map((f) => describeWheel(path.join(done, f))));
  const setuptools = (await ensureDebianWheels()).filter((w) => w.name === 'setuptools');
  return [...frameworks, ...setuptools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Installs `wheels` with the host's pip (no index, no dependencies) into a scratch directory and imports the
 * frameworks from it: a wheel pip refuses, or a package that does not import, fails here and not inside an image.
 */
export async function checkWheelsInstall(wheels: string[]): Promise<void> {
  const target = await mkdtemp(path.join(os.tmpdir(), 'pyc-wheel-check-'));
  try {
    const setuptools = (await ensureDebianWheels()).filter((w) => w.name === 'setuptools').map((w) => w.path);
    await run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-index', '--target', target, ...wheels, ...setuptools], {
      timeoutMs: 300_000,
    });
    const probe = 'import flask, fastapi, django, gunicorn.app.wsgiapp, uvicorn, markupsafe._speedups, importlib.metadata as m; print(m.version("flask"), flask.__file__)';
    const { stdout } = await run('python3', ['-s', '-c', probe], { env: { ...process.env, PYTHONPATH: target }, timeoutMs: 120_000 });
    if (!stdout.includes(target)) throw new Error(`flask was imported from outside the wheel target ${target}: ${stdout}`);
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}
