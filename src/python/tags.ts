/**
 * Wheel compatibility tags (PEP 425, PEP 600, PEP 656) for a CPython target on Linux, computed without
 * running Python, and wheel file names (PEP 427).
 */
import { ConfigError } from '../errors.js';
import { isValidVersion } from './version.js';

export interface Target {
  /** `3.11.2` or `3.11`. */
  pythonVersion: string;
  /** OCI architecture: amd64, arm64, arm (optionally with a variant: `arm/v6`, `arm64/v8`), 386, ppc64le, s390x, riscv64. */
  architecture: string;
  libc: { kind: 'glibc' | 'musl'; version: [number, number] };
}

const MACHINES: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armv7l',
  '386': 'i686',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/**
 * A target platform's architecture as the wheel tags and markers read it: with its variant, since
 * `arm/v6` runs armv6l wheels and not armv7l ones (arm64's `v8` names nothing more than arm64). Pure.
 */
export function targetArchitecture(platform: { architecture: string; variant?: string }): string {
  return platform.variant ? `${platform.architecture}/${platform.variant}` : platform.architecture;
}

/** The Linux machine name (`uname -m`, as in platform tags) for an OCI architecture: amd64 → x86_64, arm64 → aarch64, arm → armv7l (arm/v6 → armv6l), 386 → i686. */
export function linuxMachine(architecture: string): string {
  const [arch = '', variant] = architecture.trim().toLowerCase().split('/');
  if (arch === 'arm' && variant === 'v6') return 'armv6l';
  const machine = Object.hasOwn(MACHINES, arch) ? MACHINES[arch] : undefined;
  if (machine === undefined) {
    throw new ConfigError(
      'E_TARGET',
      `unsupported architecture ${JSON.stringify(architecture)}: expected one of ${Object.keys(MACHINES).join(', ')}`,
    );
  }
  return machine;
}

/** `[major, minor]` of a target's Python version; only CPython 3.x is supported. */
export function pythonMajorMinor(pythonVersion: string): [number, number] {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?(?:(?:a|b|rc)\d+)?\+?$/.exec(pythonVersion.trim());
  if (!m || Number(m[1]) !== 3) {
    throw new ConfigError('E_TARGET', `unsupported Python version ${JSON.stringify(pythonVersion)}: expected 3.N or 3.N.M`);
  }
  return [Number(m[1]), Number(m[2])];
}

/** manylinux_2_N aliases that have a legacy name (PEP 600). */
const LEGACY_MANYLINUX: ReadonlyMap<number, string> = new Map([
  [17, 'manylinux2014'],
  [12, 'manylinux2010'],
  [5, 'manylinux1'],
]);

/** Platform tags of the target, most preferred first. */
export function platformTags(target: Target): string[] {
  const machine = linuxMachine(target.architecture);
  const [major, minor] = target.libc.version;
  if (!Number.isInteger(major) || !Number.isInteger(minor) || major < 0 || minor < 0) {
    throw new ConfigError('E_TARGET', `invalid ${target.libc.kind} version ${JSON.stringify(target.libc.version)}`);
  }
  const tags: string[] = [];
  if (target.libc.kind === 'glibc') {
    if (major !== 2) throw new ConfigError('E_TARGET', `unsupported glibc version ${major}.${minor}: expected 2.N`);
    // glibc 2.5 is the oldest manylinux for x86; other architectures start at manylinux2014 (2.17).
    const oldest = machine === 'x86_64' || machine === 'i686' ? 5 : 17;
    for (let n = minor; n >= oldest; n--) {
      tags.push(`manylinux_2_${n}_${machine}`);
      const legacy = LEGACY_MANYLINUX.get(n);
      if (legacy !== undefined) tags.push(`${legacy}_${machine}`);
    }
  } else if (target.libc.kind === 'musl') {
    for (let n = minor; n >= 0; n--) tags.push(`musllinux_${major}_${n}_${machine}`);
  } else {
    throw new ConfigError('E_TARGET', `unsupported libc ${JSON.stringify((target.libc as { kind: unknown }).kind)}: expected glibc or musl`);
  }
  tags.push(`linux_${machine}`);
  return tags;
}

/** The target's most specific platform tag, e.g. `manylinux_2_36_x86_64` (for messages). */
export function platformTag(target: Target): string {
  return platformTags(target)[0]!;
}

/**
 * Supported tags, most preferred first, in the order `packaging.tags.sys_tags()` gives for CPython on Linux:
 * cp3X-cp3X-<plat>…, cp3X-abi3-<plat>…, cp3X-none-<plat>…, cp3(X-1)…cp32-abi3-<plat>…,
 * py3X/py3/py3(X-1)…py30-none-<plat>…, cp3X-none-any, py3X-none-any, py3-none-any, py3(X-1)…py30-none-any.
 */
export function compatibleTags(target: Target): string[] {
  const [major, minor] = pythonMajorMinor(target.pythonVersion);
  const platforms = platformTags(target);
  const cp = `cp${major}${minor}`;
  const abi3 = minor >= 2;
  const tags: string[] = [];
  for (const p of platforms) tags.push(`${cp}-${cp}-${p}`);
  if (abi3) for (const p of platforms) tags.push(`${cp}-abi3-${p}`);
  for (const p of platforms) tags.push(`${cp}-none-${p}`);
  if (abi3) {
    for (let n = minor - 1; n >= 2; n--) for (const p of platforms) tags.push(`cp${major}${n}-abi3-${p}`);
  }
  const py = [`py${major}${minor}`, `py${major}`];
  for (let n = minor - 1; n >= 0; n--) py.push(`py${major}${n}`);
  for (const interpreter of py) for (const p of platforms) tags.push(`${interpreter}-none-${p}`);
  tags.push(`${cp}-none-any`);
  for (const interpreter of py) tags.push(`${interpreter}-none-any`);
  return tags;
}

export interface WheelName {
  /** Normalized (PEP 503): lower case, runs of `-`, `_`, `.` → `-`. */
  name: string;
  /** As written in the file name. */
  version: string;
  /** Build tag, when present (starts with a digit). */
  build?: string;
  /** Expanded, lower case: `py2.py3-none-any` → `['py2-none-any', 'py3-none-any']`. */
  tags: string[];
  filename: string;
}

/** PEP 503 normalization. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Parse `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`. Throws E_WHEEL_NAME. */
export function parseWheelFilename(filename: string): WheelName {
  const fail = (why: string): never => {
    throw new ConfigError('E_WHEEL_NAME', `invalid wheel file name ${JSON.stringify(filename)}: ${why}`);
  };
  if (!filename.endsWith('.whl')) fail('it does not end with .whl');
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) fail(`expected 5 or 6 dash-separated parts, found ${parts.length}`);
  if (parts.some((p) => p === '')) fail('empty part');
  const [name, version] = parts as [string, string];
  if (!/^[A-Za-z0-9._]+$/.test(name) || name.includes('__')) fail(`invalid project name ${JSON.stringify(name)}`);
  if (!isValidVersion(version)) fail(`invalid version ${JSON.stringify(version)}`);
  let build: string | undefined;
  if (parts.length === 6) {
    build = parts[2]!;
    if (!/^\d[A-Za-z0-9_.]*$/.test(build)) fail(`build tag ${JSON.stringify(build)} must start with a digit`);
  }
  const [pythons, abis, plats] = parts.slice(-3).map((p) => p.toLowerCase().split('.')) as [string[], string[], string[]];
  if ([...pythons, ...abis, ...plats].some((t) => !/^[a-z0-9_]+$/.test(t))) fail('invalid compatibility tag');
  const tags: string[] = [];
  for (const i of pythons) for (const a of abis) for (const p of plats) {
    const tag = `${i}-${a}-${p}`;
    if (!tags.includes(tag)) tags.push(tag);
  }
  const result: WheelName = { name: normalizeName(name), version, tags, filename };
  if (build !== undefined) result.build = build;
  return result;
}

/** Compare build tags: a missing one sorts first, then by the leading number, then by the rest as a string. */
function compareBuild(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const split = (s: string): [bigint, string] => {
    const m = /^(\d+)(.*)$/.exec(s)!;
    return [BigInt(m[1]!), m[2]!];
  };
  const [na, ra] = split(a);
  const [nb, rb] = split(b);
  if (na !== nb) return na < nb ? -1 : 1;
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/**
 * The best wheel for the target: the one whose best tag ranks first in `compatibleTags(target)`; on a tie
 * the higher build tag wins, then the earlier wheel. File names that do not parse are skipped.
 * Undefined when no wheel is compatible.
 */
export function selectWheel<T extends { filename: string }>(wheels: T[], target: Target): { wheel: T; tag: string } | undefined {
  const ranks = new Map<string, number>();
  compatibleTags(target).forEach((tag, i) => ranks.set(tag, i));
  let best: { wheel: T; tag: string; rank: number; build: string | undefined } | undefined;
  for (const wheel of wheels) {
    let parsed: WheelName;
    try {
      parsed = parseWheelFilename(wheel.filename);
    } catch {
      continue;
    }
    let rank = Infinity;
    let tag = '';
    for (const t of parsed.tags) {
      const r = ranks.get(t);
      if (r !== undefined && r < rank) {
        rank = r;
        tag = t;
      }
    }
    if (rank === Infinity) continue;
    if (!best || rank < best.rank || (rank === best.rank && compareBuild(parsed.build, best.build) > 0)) {
      best = { wheel, tag, rank, build: parsed.build };
    }
  }
  return best && { wheel: best.wheel, tag: best.tag };
}
