/**
 * The versions of one package that the resolver knows, and sets of them. Once a provider has listed a
 * package's candidates, every specifier, pin or derived range over it is a finite subset of that list,
 * so a set is a bit mask over the sorted candidates (a bigint: bit i = the i-th oldest version). PEP 440's
 * hard cases (`~=`, `!=1.2.*`, `===`, local versions, pre-release and yank rules) are decided once, when
 * a specifier is turned into a mask; after that intersection, union and complement are exact and cheap,
 * which is what PubGrub's term algebra needs.
 */
import * as pep440 from '@renovatebot/pep440';
import { compareVersions, isValidVersion } from '../version.js';
import type { Candidate } from './types.js';

export interface Domain {
  /** Normalized project name. */
  name: string;
  /** Usable candidates, oldest first (invalid versions, duplicates and Requires-Python misses left out). */
  versions: string[];
  prerelease: boolean[];
  yanked: boolean[];
  /** Candidates the provider listed (before Requires-Python and validity filtering). */
  listed: number;
  /** Valid versions left out because the index's Requires-Python excludes the target, oldest first. */
  needOtherPython: { version: string; requiresPython: string }[];
  /** Mask of every version. */
  full: bigint;
  /** Versions matching one specifier clause, by clause (filled by matchingMask). */
  clauseMasks: Map<string, bigint>;
}

export function bit(i: number): bigint {
  return 1n << BigInt(i);
}

/** A mask from a predicate over indices 0..n-1. */
export function maskOf(n: number, holds: (i: number) => boolean): bigint {
  if (n === 0) return 0n;
  let digits = '';
  for (let i = n - 1; i >= 0; i--) digits += holds(i) ? '1' : '0';
  return BigInt(`0b${digits}`);
}

/** Indices in the mask, ascending. */
export function indicesOf(mask: bigint): number[] {
  const out: number[] = [];
  const digits = mask.toString(2);
  for (let k = 0; k < digits.length; k++) {
    if (digits[digits.length - 1 - k] === '1') out.push(k);
  }
  return mask === 0n ? [] : out;
}

export function highestIndex(mask: bigint): number {
  return mask === 0n ? -1 : mask.toString(2).length - 1;
}

export function countOf(mask: bigint): number {
  let n = 0;
  for (const c of mask.toString(2)) if (c === '1') n++;
  return mask === 0n ? 0 : n;
}

export function isPrerelease(version: string): boolean {
  return pep440.explain(version)?.is_prerelease ?? false;
}

/**
 * The domain of a package from the provider's candidates: valid versions whose index-stated
 * Requires-Python admits the target, one per PEP 440 version (`1.0` and `1.0.0` are one), oldest first.
 */
export function assembleDomain(name: string, candidates: Candidate[], pythonVersion: string): Domain {
  const byVersion = (a: Candidate, b: Candidate): number =>
    compareVersions(a.version, b.version) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0);
  const valid = candidates.filter((c) => isValidVersion(c.version));
  const usable = valid.filter((c) => requiresPythonAdmits(c.requiresPython, pythonVersion)).sort(byVersion);
  const needOtherPython = valid
    .filter((c) => !requiresPythonAdmits(c.requiresPython, pythonVersion))
    .sort(byVersion)
    .map((c) => ({ version: c.version, requiresPython: c.requiresPython!.trim() }));
  const kept: Candidate[] = [];
  for (const c of usable) {
    const last = kept[kept.length - 1];
    if (last !== undefined && compareVersions(last.version, c.version) === 0) {
      // Same version under two spellings: keep the first (sorted) one, but it is only yanked if both are.
      if (!c.yanked) kept[kept.length - 1] = { ...last, yanked: false };
      continue;
    }
    kept.push(c);
  }
  return {
    name,
    versions: kept.map((c) => c.version),
    prerelease: kept.map((c) => isPrerelease(c.version)),
    yanked: kept.map((c) => c.yanked !== undefined && c.yanked !== false),
    listed: candidates.length,
    needOtherPython,
    full: maskOf(kept.length, () => true),
    clauseMasks: new Map(),
  };
}

/** Whether a Requires-Python specifier admits the target; an unparsable one admits it (as pip does). */
export function requiresPythonAdmits(requiresPython: string | undefined, pythonVersion: string): boolean {
  const spec = (requiresPython ?? '').trim();
  if (spec === '' || !pep440.validRange(spec)) return true;
  return pep440.satisfies(pythonVersion, spec, { prereleases: true });
}

/** Whether a specifier names a pre-release (`>=2.0b1`, `==3.0rc2`): then it lets pre-releases match. */
export function namesPrerelease(specifier: string): boolean {
  return specifier
    .split(',')
    .map((c) => c.trim().replace(/^(===|==|!=|<=|>=|~=|<|>)/, '').replace(/\.\*$/, '').trim())
    .some((v) => v !== '' && isValidVersion(v) && isPrerelease(v));
}

/** Versions matching a specifier with no pre-release or yank rule applied (`''` matches all). */
export function matchingMask(domain: Domain, specifier: string): bigint {
  // A set is the intersection of its clauses' sets; clauses recur across specifiers (`>=2.0` in many
  // dependents), and PEP 440 matching is the costly part of resolving, so each is matched once.
  let mask = domain.full;
  for (const clause of specifier.split(',').map((c) => c.trim()).filter((c) => c !== '')) {
    let clauseMask = domain.clauseMasks.get(clause);
    if (clauseMask === undefined) {
      const matching = new Set(pep440.filter(domain.versions, clause, { prereleases: true }));
      clauseMask = maskOf(domain.versions.length, (i) => matching.has(domain.versions[i]!));
      domain.clauseMasks.set(clause, clauseMask);
    }
    mask &= clauseMask;
  }
  return mask;
}

/**
 * A set as a person reads it: `b>=2.0`, `b<=1.4`, `b 1.2`, `b>=1.0,<=1.4`, `b (==1.0 or >=2.0)`, or just
 * `b` for every version. Pre-releases and yanked versions outside the set do not split a range.
 */
export function describeSet(label: string, domain: Domain, mask: bigint): string {
  if (mask === 0n) return `no version of ${label}`;
  const n = domain.versions.length;
  const quiet = (i: number): boolean => domain.prerelease[i]! || domain.yanked[i]!;
  const runs: [number, number][] = [];
  let start = -1;
  let end = -1;
  for (let i = 0; i < n; i++) {
    const inSet = (mask & bit(i)) !== 0n;
    if (inSet) {
      if (start < 0) start = i;
      end = i;
    } else if (!quiet(i) && start >= 0) {
      runs.push([start, end]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([start, end]);
  const firstVisible = domain.prerelease.findIndex((_, i) => !quiet(i));
  const lastVisible = n - 1 - [...domain.prerelease].reverse().findIndex((_, k) => !quiet(n - 1 - k));
  const lowest = (i: number): boolean => i === 0 || (firstVisible >= 0 && i <= firstVisible);
  const highest = (i: number): boolean => i === n - 1 || (firstVisible >= 0 && i >= lastVisible);
  const v = (i: number): string => domain.versions[i]!;
  if (runs.length === 1) {
    const [a, b] = runs[0]!;
    if (a === b) return `${label} ${v(a)}`;
    if (lowest(a) && highest(b)) return label;
    if (lowest(a)) return `${label}<=${v(b)}`;
    if (highest(b)) return `${label}>=${v(a)}`;
    return `${label}>=${v(a)},<=${v(b)}`;
  }
  const parts = runs.map(([a, b]) => {
    if (a === b) return `==${v(a)}`;
    if (lowest(a)) return `<=${v(b)}`;
    if (highest(b)) return `>=${v(a)}`;
    return `>=${v(a)},<=${v(b)}`;
  });
  const shown = parts.length > 5 ? [...parts.slice(0, 4), `${parts.length - 4} more ranges`] : parts;
  return `${label} (${shown.join(' or ')})`;
}
