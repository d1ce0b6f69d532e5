/**
 * PEP 440 versions and specifier sets: thin typed wrappers over @renovatebot/pep440 that turn its
 * silent failures (null, false, TypeError) into ConfigErrors naming the input.
 */
import * as pep440 from '@renovatebot/pep440';
import { ConfigError } from '../errors.js';

/** Whether `version` is a valid PEP 440 version (surrounding whitespace is not allowed). */
export function isValidVersion(version: string): boolean {
  return version.trim() === version && version !== '' && pep440.valid(version) !== null;
}

/** Whether `specifier` is a valid PEP 440 specifier set such as `>=1.0,<2` (the empty set is valid). */
export function isValidSpecifier(specifier: string): boolean {
  return specifier.trim() === '' || pep440.validRange(specifier);
}

function requireVersion(version: string, what: string): void {
  if (!isValidVersion(version)) throw new ConfigError('E_VERSION', `invalid PEP 440 version ${JSON.stringify(version)}${what}`);
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (`1.0 == 1.0.0`). Throws E_VERSION on an invalid version. */
export function compareVersions(a: string, b: string): number {
  requireVersion(a, '');
  requireVersion(b, '');
  return Math.sign(pep440.compare(a, b));
}

export interface SatisfiesOptions {
  /** Let pre-releases match (as environment markers do). Default: only when the specifier names a pre-release. */
  prereleases?: boolean;
}

/**
 * Whether `version` is in the specifier set (`>=1.0,<2`, `~=3.11`, `==3.*`, `===1.0`; `''` matches all).
 * Throws E_VERSION on an invalid version (except with `===`, which compares strings) and E_SPECIFIER on an
 * invalid specifier.
 */
export function satisfies(version: string, specifier: string, options: SatisfiesOptions = {}): boolean {
  if (!isValidSpecifier(specifier)) {
    throw new ConfigError('E_SPECIFIER', `invalid PEP 440 specifier ${JSON.stringify(specifier)}`);
  }
  if (!isValidVersion(version)) {
    const clauses = specifier.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (clauses.length > 0 && clauses.every((c) => c.startsWith('==='))) {
      return clauses.every((c) => c.slice(3).trim() === version);
    }
    requireVersion(version, ` (checking it against ${JSON.stringify(specifier)})`);
  }
  if (specifier.trim() === '') return true;
  return pep440.satisfies(version, specifier, options.prereleases === undefined ? undefined : { prereleases: options.prereleases });
}
