/**
 * The contract between the resolver (resolver.ts: pure, backtracking over versions) and whatever
 * answers its questions (an index on the network, or an in-memory index in tests). The resolver asks
 * only two things — which versions exist for the target, and what one version requires — so that the
 * expensive part (metadata over HTTP) can be cached, parallelized and prefetched behind this interface.
 */
import type { MarkerEnvironment } from '../markers.js';

/** A requirement the user wrote, with where it came from (named in conflict explanations). */
export interface RootRequirement {
  /** PEP 508 text, e.g. `requests[socks]>=2.31; python_version >= "3.8"`. */
  requirement: string;
  /** Where it was written: `requirements.txt:3`, `pyproject.toml [project.dependencies]`. */
  source: string;
}

/** One version of a distribution that has at least one file usable on the target. */
export interface Candidate {
  /** Normalized (PEP 503). */
  name: string;
  version: string;
  /** PEP 592: true or the reason. A yanked version is a candidate only for an `==`/`===` pin. */
  yanked?: boolean | string;
  /** The version's `Requires-Python` as the index states it (`data-requires-python`), if any. */
  requiresPython?: string;
}

export interface CandidateMetadata {
  /** `Requires-Dist` lines of the version's core metadata, as written (markers included). */
  requiresDist: string[];
  /** `Requires-Python` of the core metadata (authoritative over the index's). */
  requiresPython?: string;
}

export interface ResolverProvider {
  /** Every version of `name` with a file usable on the target, in any order; [] when the project is unknown. */
  versions(name: string): Promise<Candidate[]>;
  /** Core metadata of one version (one of those `versions` returned). */
  metadata(name: string, version: string): Promise<CandidateMetadata>;
  /** Optional hint: these are likely to be asked for next (lets a network provider fetch in parallel). */
  prefetch?(candidates: { name: string; version: string }[]): void;
}

export interface ResolveOptions {
  roots: RootRequirement[];
  /** `-c` constraints: limit versions, never add packages. */
  constraints?: RootRequirement[];
  /** The target's marker environment (Python and platform of the base image, not the host). */
  env: MarkerEnvironment;
  /** Full Python version of the target, for `Requires-Python`. */
  pythonVersion: string;
  /**
   * Pre-releases: 'if-necessary-or-explicit' (default, like uv: only when a specifier names a
   * pre-release or no final release satisfies it), 'allow', 'disallow'.
   */
  prereleases?: 'if-necessary-or-explicit' | 'allow' | 'disallow';
  /** Versions to prefer (the committed plan's pins): tried first, so a re-plan keeps them while they still fit. */
  preferences?: Map<string, string>;
}

export interface ResolvedPackage {
  /** Normalized name. */
  name: string;
  version: string;
  /** Extras of this package that were asked for (sorted). */
  extras: string[];
  /**
   * Why it is there, sorted: the root sources (`requirements.txt:3`) and the names of the resolved
   * packages whose requirements pulled it in.
   */
  requiredBy: string[];
}

export interface Resolution {
  /** Sorted by name. */
  packages: ResolvedPackage[];
}
