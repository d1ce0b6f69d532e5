/**
 * The second benchmark project of `npm run bench`: shaped like a dependency-heavy application. A
 * pylock.toml of 60 local wheels, ~300 MB installed (4 large, 16 medium, 40 small distributions),
 * each a mix of generated `.py` modules and `.so`-like binary data (half random bytes, half
 * zero-padded symbol tables: about as compressible as real shared objects), and a small app.
 *
 * The wheels are written once by the host's python3 (zipfile) and kept under
 * test/.cache/bench/deps (a stamp records the generator version); the bench then only rewrites
 * pylock.toml to switch between the two locks it measures: `v1` and `v2`, where v2 upgrades one
 * medium distribution (benchdep-20 1.0.0 → 1.0.1, its content changed).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeWheel, type WheelFile } from '../support/wheels.js';
import { run } from '../support/tools.js';

const GENERATOR_VERSION = 1;
const MiB = 1024 * 1024;
/** The distribution the v2 lock upgrades. */
export const UPGRADED = 'benchdep-20';

/** Installed size of distribution i (of 60): 40, 30, 25, 20 MiB; 16 × 6 MiB; 40 × 2.2 MiB ≈ 300 MB. */
function installedBytes(i: number): number {
  if (i < 4) return [40, 30, 25, 20][i]! * MiB;
  if (i < 20) return 6 * MiB;
  return Math.round(2.2 * MiB);
}

/** Writes one wheel: `.py` modules for ~35% of its bytes, `.so`-like files for the rest. */
const WHEEL_SCRIPT = String.raw`
import base64, hashlib, random, sys, zipfile
name, version, size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
mod = name.replace('-', '_')
rng = random.Random('%s-%s' % (name, version))
dist = '%s-%s.dist-info' % (mod, version)
members = []
py_budget = size * 35 // 100
n = 0
while py_budget > 0:
    lines = ['"""%s.m%04d (generated for the pycontainer benchmark, %s)."""' % (mod, n, version), '']
    for f in range(rng.randint(10, 60)):
        lines += ['def f%d_%d(x):' % (n, f), '    """Returns x mixed with %d."""' % rng.getrandbits(32), '    return (x * %d + %d) %% %d' % (rng.getrandbits(20), f, 1000003), '', '']
    data = '\n'.join(lines).encode()
    members.append(('%s/m%04d.py' % (mod, n), data))
    py_budget -= len(data)
    n += 1
members.append(('%s/__init__.py' % mod, ('VERSION = %r\n' % version).encode()))
so_budget = size - sum(len(d) for _, d in members)
k = 0
while so_budget > 0:
    part = min(so_budget, 8 * 1024 * 1024)
    chunks = []
    got = 0
    while got < part:
        chunks.append(rng.randbytes(2048))
        sym = b''.join(b'_ZN%d%s%dE\x00' % (rng.randint(3, 20), mod.encode(), rng.randint(0, 99999)) for _ in range(40))
        chunks.append(sym[:2048].ljust(2048, b'\x00'))
        got += 4096
    members.append(('%s/_native%d.cpython-311-x86_64-linux-gnu.so' % (mod, k), b''.join(chunks)[:part]))
    so_budget -= part
    k += 1
members.append((dist + '/METADATA', ('Metadata-Version: 2.1\nName: %s\nVersion: %s\n' % (name, version)).encode()))
members.append((dist + '/WHEEL', b'Wheel-Version: 1.0\nGenerator: pycontainer-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n'))
record = []
for n_, data in members:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    record.append('%s,sha256=%s,%d' % (n_, digest, len(data)))
record.append(dist + '/RECORD,,')
members.append((dist + '/RECORD', ('\n'.join(record) + '\n').encode()))
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for n_, data in members:
        info = zipfile.ZipInfo(n_, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
`;

export interface DepsProject {
  dir: string;
  /** The wheels of each lock, sorted by name. */
  v1: WheelFile[];
  v2: WheelFile[];
  /** Sum of the installed sizes the generator aimed at. */
  installedBytes: number;
}

function wheelSpecs(): { name: string; version: string; size: number }[] {
  return Array.from({ length: 60 }, (_, i) => ({ name: `benchdep-${String(i).padStart(2, '0')}`, version: '1.0.0', size: installedBytes(i) }));
}

/** The project under `root` (generated on first use), with pylock.toml set to v1. */
export async function prepareDepsProject(root: string): Promise<DepsProject> {
  const dir = join(root, 'deps-project');
  const wheelsDir = join(dir, 'wheels');
  const stamp = join(root, 'deps-project.stamp');
  const specs = wheelSpecs();
  const upgraded = specs.find((s) => s.name === UPGRADED)!;
  const want = String(GENERATOR_VERSION);
  if (!existsSync(stamp) || (await readFile(stamp, 'utf8')) !== want) {
    await rm(dir, { recursive: true, force: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(join(tmp, 'wheels'), { recursive: true });
    const jobs = [...specs, { ...upgraded, version: '1.0.1' }];
    for (const s of jobs) {
      const file = join(tmp, 'wheels', `${s.name.replace(/-/g, '_')}-${s.version}-py3-none-any.whl`);
      await run('python3', ['-c', WHEEL_SCRIPT, s.name, s.version, String(s.size), file], { timeoutMs: 600_000 });
    }
    // The wheels are the lock's, not the application's: keep them out of the app layer.
    await writeFile(join(tmp, '.dockerignore'), 'wheels/\n');
    await writeFile(join(tmp, 'main.py'), 'import benchdep_00\nprint("depsproj", benchdep_00.VERSION)\n');
    await writeFile(
      join(tmp, 'pyproject.toml'),
      ['[project]', 'name = "depsproj"', 'version = "1.0.0"', 'requires-python = ">=3.11"', `dependencies = [${specs.map((s) => `"${s.name}"`).join(', ')}]`, ''].join('\n'),
    );
    await rename(tmp, dir);
    await writeFile(stamp, want);
  }
  const all = await Promise.all((await readdir(wheelsDir)).filter((f) => f.endsWith('.whl')).sort().map((f) => describeWheel(join(wheelsDir, f))));
  const pick = (version: string) => all.filter((w) => (w.name === UPGRADED ? w.version === version : w.version === '1.0.0'));
  const project = { dir, v1: pick('1.0.0'), v2: pick('1.0.1'), installedBytes: specs.reduce((a, s) => a + s.size, 0) };
  await writeDepsLock(project, 'v1');
  return project;
}

/** Points the project's pylock.toml at the v1 or v2 set of wheels. */
export async function writeDepsLock(project: DepsProject, which: 'v1' | 'v2'): Promise<void> {
  const lines = ['lock-version = "1.0"', 'created-by = "pycontainer bench"', 'requires-python = ">=3.11"', ''];
  for (const w of project[which]) {
    lines.push(
      '[[packages]]',
      `name = "${w.name}"`,
      `version = "${w.version}"`,
      `wheels = [{ name = "${w.filename}", path = "wheels/${w.filename}", size = ${w.size}, hashes = { sha256 = "${w.sha256}" } }]`,
      '',
    );
  }
  await writeFile(join(project.dir, 'pylock.toml'), lines.join('\n'));
}
