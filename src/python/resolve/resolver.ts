/**
 * The dependency resolver: PubGrub (Natalie Weizenbaum's algorithm from Dart's pub, also used by uv and
 * Poetry) over the finite version lists a provider returns.
 *
 * Why PubGrub and not plain backtracking: plain backtracking forgets why a branch failed and retries
 * the same doomed combination under every other choice, which explodes on ordinary graphs with a few
 * conflicts; and it cannot say *why* nothing works. PubGrub learns a new constraint from every conflict
 * and jumps straight back to the decision that caused it, and its learned constraints form a proof that
 * reads as the error message.
 *
 * The pieces:
 * - A *term* is a statement about one package: "its version is in S" or "it is not selected or its
 *   version is outside S". With finite version lists, a term is (mask over the package's versions,
 *   whether "not selected" is allowed), see version-set.ts; so "not a>=2" and "a<2" differ only by the
 *   absent flag and intersection, union and complement are bit operations.
 * - An *incompatibility* is a set of terms that must not all hold: "root and not a>=2" (the project
 *   wants a>=2), "a 2.1 and not b<1" (a 2.1 depends on b<1), "c 3.0" (c 3.0 needs a newer Python).
 *   Dependencies are added lazily, when a version is first tried.
 * - The *partial solution* is the ordered list of decisions (a package pinned to a version) and
 *   derivations (terms forced by an incompatibility whose other terms all hold), each with its decision
 *   level.
 * - *Unit propagation*: whenever all terms but one of an incompatibility hold and the last is
 *   undecided, derive its negation. When all hold, that is a conflict.
 * - *Conflict resolution*: combine the conflicting incompatibility with the cause of its most recent
 *   satisfier (resolution, as in CDCL SAT solvers) until the result's satisfiers straddle two decision
 *   levels; learn it, backjump to the earlier level, and propagate from there. Reaching an
 *   incompatibility that holds for the root alone proves there is no solution.
 * - *Decision making*: pick the required package with the fewest allowed versions (fail fast), and
 *   within it the preferred version (the committed pin, or the version already chosen for the same
 *   package with other extras) if still allowed, else the newest allowed.
 * Every conflict learns a clause that excludes the current assignment for good and the domains are
 * finite, so it terminates; an unsatisfiable set ends with a derivation tree that is turned into a
 * one-line chain of the user's requirements and the dependencies involved (details: the full proof).
 *
 * Python specifics: extras are virtual packages (`foo[a]` version v depends on `foo==v` and on the
 * `Requires-Dist` entries guarded by `extra == "a"`), so several extras of one package from different
 * parents resolve to one version with the union of their dependencies. Markers are evaluated for the
 * target (options.env), never the host. Pre-releases and yanked versions are left out of a specifier's
 * set unless its rules admit them (see specSet). Requires-Python from the index filters the version
 * list; the metadata's, read when a version is tried, rules that version out with a reason.
 *
 * Determinism: the solver runs one step at a time and awaits the provider's answers in a fixed order
 * (Promise.all keeps order), so Promise timing cannot change the result. `provider.prefetch` is told the
 * versions most likely to be tried next so that a network provider can fetch their metadata in
 * parallel while the solver works.
 */
import * as pep440 from '@renovatebot/pep440';
import { ConfigError } from '../../errors.js';
import { evaluateMarker } from '../markers.js';
import { parseRequirement, pinnedVersion, type Requirement } from '../locks/model.js';
import { normalizeName } from '../tags.js';
import { compareVersions, isValidSpecifier, isValidVersion } from '../version.js';
import type { CandidateMetadata, ResolveOptions, ResolvedPackage, Resolution, ResolverProvider, RootRequirement } from './types.js';
import {
  assembleDomain,
  bit,
  countOf,
  describeSet,
  highestIndex,
  matchingMask,
  namesPrerelease,
  requiresPythonAdmits,
  type Domain,
} from './version-set.js';

/** The project itself: the one version of it depends on the root requirements. */
const ROOT = '';
const ROOT_DOMAIN: Domain = { name: ROOT, versions: ['0'], prerelease: [false], yanked: [false], listed: 1, needOtherPython: [], full: 1n, clauseMasks: new Map() };

/** Gives up rather than run for ever on a pathological index (PubGrub terminates, but may take long). */
const MAX_STEPS = 200_000;

/** A statement about one package: its version is in `set`, or (`absent`) it is not selected at all. */
interface Term {
  /** Package key: `name` or `name[extra]`; ROOT for the project. */
  pkg: string;
  set: bigint;
  absent: boolean;
}

type Cause =
  | { kind: 'root' }
  | { kind: 'requirement'; source: string; text: string }
  | { kind: 'constraint'; source: string; text: string }
  | { kind: 'dependency'; text: string; note: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'conflict'; left: Incompatibility; right: Incompatibility };

interface Incompatibility {
  terms: Term[];
  cause: Cause;
}

interface Assignment extends Term {
  level: number;
  index: number;
  /** Undefined for a decision. */
  cause?: Incompatibility;
}

type Relation = { kind: 'satisfied' } | { kind: 'contradicted' } | { kind: 'inconclusive' } | { kind: 'almost'; term: Term };

interface DependencyRecord {
  /** Base names this version's requirements pulled in (for requiredBy). */
  names: string[];
}

function baseOf(pkg: string): string {
  const open = pkg.indexOf('[');
  return open < 0 ? pkg : pkg.slice(0, open);
}

function extraOf(pkg: string): string | undefined {
  const open = pkg.indexOf('[');
  return open < 0 ? undefined : pkg.slice(open + 1, -1);
}

/** Resolve `options.roots` against `provider` for the target; throws ConfigError E_RESOLUTION when impossible. */
export async function resolve(provider: ResolverProvider, options: ResolveOptions): Promise<Resolution> {
  const solver = new Solver(provider, options);
  return solver.solve();
}

/** `Python 3.11 (linux/amd64)`: the target as error messages name it. */
export function describeTarget(options: Pick<ResolveOptions, 'env'>): string {
  const arch: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', armv6l: 'arm/v6', i686: '386' };
  const machine = options.env.platform_machine;
  return `Python ${options.env.python_version} (${options.env.platform_system.toLowerCase()}/${arch[machine] ?? machine})`;
}

interface ParsedRoot {
  req: Requirement;
  source: string;
  /** As written, without the marker: `a[x]>=2`. */
  text: string;
}

class Solver {
  private readonly domains = new Map<string, Domain>();
  private readonly domainLoads = new Map<string, Promise<Domain>>();
  private readonly metadataLoads = new Map<string, Promise<CandidateMetadata>>();
  private readonly prefetched = new Set<string>();
  private readonly incompatibilities = new Map<string, Incompatibility[]>();
  private readonly dependencies = new Map<string, DependencyRecord>();
  private readonly constraints = new Map<string, ParsedRoot[]>();
  /** Packages for which any version may be a pre-release: a root or constraint names one for them. */
  private readonly prereleaseAllowed = new Set<string>();
  /** Exact pins (`==`/`===`) from roots and constraints: the yanked versions they match may be used. */
  private readonly yankPins = new Map<string, string[]>();
  private readonly preferences = new Map<string, string>();
  private readonly specSets = new Map<string, bigint>();
  private roots: ParsedRoot[] = [];

  // The partial solution.
  private assignments: Assignment[] = [];
  private accumulated = new Map<string, { set: bigint; absent: boolean }>();
  private decisions = new Map<string, number>();
  private level = 0;
  private steps = 0;

  constructor(
    private readonly provider: ResolverProvider,
    private readonly options: ResolveOptions,
  ) {
    for (const [name, version] of options.preferences ?? []) this.preferences.set(normalizeName(name), version);
  }

  async solve(): Promise<Resolution> {
    this.roots = this.parseRoots(this.options.roots, 'requirement');
    for (const c of this.parseRoots(this.options.constraints ?? [], 'constraint')) {
      const list = this.constraints.get(c.req.name) ?? [];
      list.push(c);
      this.constraints.set(c.req.name, list);
    }
    for (const r of [...this.roots, ...[...this.constraints.values()].flat()]) {
      if (namesPrerelease(r.req.specifier)) this.prereleaseAllowed.add(r.req.name);
      if (pinnedVersion(r.req.specifier) !== undefined) {
        this.yankPins.set(r.req.name, [...(this.yankPins.get(r.req.name) ?? []), r.req.specifier]);
      }
    }
    await this.loadDomains(this.roots.map((r) => r.req.name));
    for (const r of this.roots) this.checkRootHasVersions(r);

    this.addIncompatibility({ terms: [{ pkg: ROOT, set: 0n, absent: true }], cause: { kind: 'root' } });
    let next: string | undefined = ROOT;
    while (next !== undefined) {
      this.propagate(next);
      next = await this.decideNext();
    }
    return this.assembleResolution();
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs

  private parseRoots(list: RootRequirement[], what: 'requirement' | 'constraint'): ParsedRoot[] {
    const out: ParsedRoot[] = [];
    for (const { requirement, source } of list) {
      let req: Requirement;
      try {
        req = parseRequirement(requirement);
      } catch (err) {
        throw new ConfigError('E_REQUIREMENT', `${source}: invalid ${what} ${JSON.stringify(requirement)}: ${(err as Error).message}`);
      }
      if (req.url !== undefined) {
        throw new ConfigError(
          'E_REQUIREMENT',
          `${source}: '${req.name} @ ${req.url.replace(/\/\/[^/@]*@/, '//')}' is a direct URL requirement, which the resolver does not support; require a version from the index, or lock the project (uv lock, pip-compile)`,
        );
      }
      if (req.specifier !== '' && !isValidSpecifier(req.specifier)) {
        throw new ConfigError('E_REQUIREMENT', `${source}: invalid version specifier ${JSON.stringify(req.specifier)} in ${JSON.stringify(requirement)}`);
      }
      if (req.marker !== undefined) {
        let holds: boolean;
        try {
          holds = evaluateMarker(req.marker, this.options.env);
        } catch (err) {
          throw new ConfigError('E_REQUIREMENT', `${source}: ${(err as Error).message}`);
        }
        if (!holds) continue;
      }
      const text = `${req.name}${req.extras.length > 0 ? `[${req.extras.join(',')}]` : ''}${req.specifier}`;
      out.push({ req, source, text });
    }
    return out;
  }

  private checkRootHasVersions(r: ParsedRoot): void {
    const domain = this.domains.get(r.req.name)!;
    if (this.specSet(r.req.name, r.req.specifier) !== 0n) return;
    const target = describeTarget(this.options);
    if (domain.listed === 0) {
      throw new ConfigError('E_RESOLUTION', `${r.source}: no versions of '${r.req.name}' on the index for ${target}`);
    }
    if (domain.versions.length === 0) {
      throw new ConfigError(
        'E_RESOLUTION',
        `${r.source}: no version of '${r.req.name}' on the index supports Python ${this.options.pythonVersion} (Requires-Python of all ${domain.listed}); use a base image with another Python`,
      );
    }
    const otherPython = domain.needOtherPython.filter((c) => pep440.satisfies(c.version, r.req.specifier, { prereleases: true }));
    if (otherPython.length > 0) {
      const newest = otherPython[otherPython.length - 1]!;
      throw new ConfigError(
        'E_RESOLUTION',
        `${r.source}: the versions of '${r.req.name}' that match ${JSON.stringify(r.req.specifier)} require another Python (${newest.version}: Requires-Python ${newest.requiresPython}; the target has ${this.options.pythonVersion}); relax the requirement or use a base image with another Python`,
      );
    }
    const newest = domain.versions.slice(-5).join(', ');
    throw new ConfigError(
      'E_RESOLUTION',
      `${r.source}: no version of '${r.req.name}' matches ${JSON.stringify(r.req.specifier)} for ${target} (newest: ${newest}); relax the requirement`,
    );
  }

  private async loadDomains(names: string[]): Promise<void> {
    await Promise.all(names.map((n) => this.loadDomain(n)));
    // Constraints are turned into incompatibilities once their package is known, in name order.
    for (const name of [...new Set(names)].sort()) this.addConstraintsOf(name);
  }

  private loadDomain(name: string): Promise<Domain> {
    let load = this.domainLoads.get(name);
    if (load === undefined) {
      load = this.provider.versions(name).then((candidates) => {
        const domain = assembleDomain(name, candidates, this.options.pythonVersion);
        this.domains.set(name, domain);
        return domain;
      });
      this.domainLoads.set(name, load);
    }
    return load;
  }

  private addedConstraints = new Set<string>();

  private addConstraintsOf(name: string): void {
    if (this.addedConstraints.has(name)) return;
    this.addedConstraints.add(name);
    const domain = this.domains.get(name)!;
    for (const c of this.constraints.get(name) ?? []) {
      // "root and a version outside the constraint" is incompatible; it never requires the package.
      const allowed = matchingMask(domain, c.req.specifier);
      this.addIncompatibility({
        terms: [
          { pkg: ROOT, set: 1n, absent: false },
          { pkg: name, set: domain.full & ~allowed, absent: false },
        ],
        cause: { kind: 'constraint', source: c.source, text: c.text },
      });
    }
  }

  private domainOf(pkg: string): Domain {
    if (pkg === ROOT) return ROOT_DOMAIN;
    const d = this.domains.get(baseOf(pkg));
    if (d === undefined) throw new Error(`resolver: no versions loaded for ${pkg}`);
    return d;
  }

  /**
   * The versions of `name` a specifier admits. Pre-releases: all with 'allow', none with 'disallow';
   * by default when the specifier names one, when a root or constraint did so for this package, or when
   * no final release matches (PEP 440's "only if necessary"). Yanked versions (PEP 592): only for an
   * exact pin, here or in the roots and constraints.
   */
  private specSet(name: string, specifier: string): bigint {
    const key = `${name} ${specifier}`;
    let set = this.specSets.get(key);
    if (set === undefined) {
      set = this.computeSpecSet(name, specifier);
      this.specSets.set(key, set);
    }
    return set;
  }

  private computeSpecSet(name: string, specifier: string): bigint {
    const domain = this.domains.get(name)!;
    const matching = matchingMask(domain, specifier);
    const exact = pinnedVersion(specifier) !== undefined;
    const pinned = (this.yankPins.get(name) ?? []).reduce((mask, p) => mask | matchingMask(domain, p), 0n);
    const yankOk = (i: number): boolean => !domain.yanked[i] || exact || (pinned & bit(i)) !== 0n;
    const policy = this.options.prereleases ?? 'if-necessary-or-explicit';
    let preOk = policy === 'allow' || (policy !== 'disallow' && (this.prereleaseAllowed.has(name) || namesPrerelease(specifier)));
    let set = 0n;
    let finals = 0n;
    for (let i = 0; i < domain.versions.length; i++) {
      const b = bit(i);
      if ((matching & b) === 0n || !yankOk(i)) continue;
      set |= b;
      if (!domain.prerelease[i]) finals |= b;
    }
    if (!preOk && policy !== 'disallow' && finals === 0n) preOk = true;
    return preOk ? set : finals;
  }

  // ---------------------------------------------------------------------------------------------
  // The partial solution

  private current(pkg: string): { set: bigint; absent: boolean } {
    return this.accumulated.get(pkg) ?? { set: this.domainOf(pkg).full, absent: true };
  }

  private relationOfTerm(t: Term): 'satisfied' | 'contradicted' | 'inconclusive' {
    const a = this.current(t.pkg);
    if ((a.set & ~t.set) === 0n && (!a.absent || t.absent)) return 'satisfied';
    if ((a.set & t.set) === 0n && !(a.absent && t.absent)) return 'contradicted';
    return 'inconclusive';
  }

  private relation(inc: Incompatibility): Relation {
    let unsatisfied: Term | undefined;
    for (const t of inc.terms) {
      const r = this.relationOfTerm(t);
      if (r === 'contradicted') return { kind: 'contradicted' };
      if (r === 'inconclusive') {
        if (unsatisfied !== undefined) return { kind: 'inconclusive' };
        unsatisfied = t;
      }
    }
    return unsatisfied === undefined ? { kind: 'satisfied' } : { kind: 'almost', term: unsatisfied };
  }

  private assign(a: Omit<Assignment, 'index'>): void {
    const assignment: Assignment = { ...a, index: this.assignments.length };
    this.assignments.push(assignment);
    this.accumulate(assignment);
  }

  private accumulate(a: Assignment): void {
    const prev = this.current(a.pkg);
    this.accumulated.set(a.pkg, { set: prev.set & a.set, absent: prev.absent && a.absent });
    if (a.cause === undefined) this.decisions.set(a.pkg, highestIndex(a.set));
  }

  private negate(t: Term): Term {
    return { pkg: t.pkg, set: this.domainOf(t.pkg).full & ~t.set, absent: !t.absent };
  }

  private backtrack(level: number): void {
    this.assignments = this.assignments.filter((a) => a.level <= level);
    this.accumulated = new Map();
    this.decisions = new Map();
    for (const a of this.assignments) this.accumulate(a);
    this.level = level;
  }

  /** The earliest assignment after which the accumulated term of t.pkg satisfies t. */
  private satisfier(t: Term): Assignment {
    let set = this.domainOf(t.pkg).full;
    let absent = true;
    for (const a of this.assignments) {
      if (a.pkg !== t.pkg) continue;
      set &= a.set;
      absent &&= a.absent;
      if ((set & ~t.set) === 0n && (!absent || t.absent)) return a;
    }
    throw new Error(`resolver: no satisfier for ${t.pkg}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Incompatibilities

  /** Merges terms per package, drops terms that always hold and the root from derived ones. */
  private makeIncompatibility(terms: Term[], cause: Cause): Incompatibility {
    const merged = new Map<string, Term>();
    for (const t of terms) {
      const prev = merged.get(t.pkg);
      merged.set(t.pkg, prev === undefined ? { ...t } : { pkg: t.pkg, set: prev.set & t.set, absent: prev.absent && t.absent });
    }
    let list = [...merged.values()].filter((t) => !(t.absent && t.set === this.domainOf(t.pkg).full));
    if (cause.kind === 'conflict' && list.length > 1) list = list.filter((t) => !(t.pkg === ROOT && !t.absent));
    return { terms: list, cause };
  }

  private addIncompatibility(inc: Incompatibility): void {
    for (const t of inc.terms) {
      const list = this.incompatibilities.get(t.pkg) ?? [];
      list.push(inc);
      this.incompatibilities.set(t.pkg, list);
    }
  }

  private isFailure(inc: Incompatibility): boolean {
    return inc.terms.length === 0 || (inc.terms.length === 1 && inc.terms[0]!.pkg === ROOT && !inc.terms[0]!.absent);
  }

  private propagate(start: string): void {
    const changed = [start];
    while (changed.length > 0) {
      const pkg = changed.pop()!;
      const list = this.incompatibilities.get(pkg) ?? [];
      for (let k = list.length - 1; k >= 0; k--) {
        const inc = list[k]!;
        const r = this.relation(inc);
        if (r.kind === 'satisfied') {
          const learned = this.resolveConflict(inc);
          const again = this.relation(learned);
          if (again.kind !== 'almost') throw new Error('resolver: a learned incompatibility is not almost satisfied');
          this.derive(again.term, learned);
          changed.length = 0;
          changed.push(again.term.pkg);
          break;
        }
        if (r.kind === 'almost') {
          this.derive(r.term, inc);
          if (!changed.includes(r.term.pkg)) changed.push(r.term.pkg);
        }
      }
    }
  }

  private derive(term: Term, cause: Incompatibility): void {
    this.assign({ ...this.negate(term), level: this.level, cause });
  }

  private resolveConflict(conflict: Incompatibility): Incompatibility {
    let inc = conflict;
    let learned = false;
    while (!this.isFailure(inc)) {
      let recentTerm: Term | undefined;
      let recent: Assignment | undefined;
      let difference: Term | undefined;
      let previousLevel = 1;
      for (const t of inc.terms) {
        const s = this.satisfier(t);
        if (recent === undefined) {
          recentTerm = t;
          recent = s;
        } else if (recent.index < s.index) {
          previousLevel = Math.max(previousLevel, recent.level);
          recentTerm = t;
          recent = s;
          difference = undefined;
        } else {
          previousLevel = Math.max(previousLevel, s.level);
        }
        if (recentTerm === t) {
          // The satisfier may satisfy t only together with earlier assignments: those count too.
          const d: Term = { pkg: t.pkg, set: recent.set & ~t.set, absent: recent.absent && !t.absent };
          difference = d.set === 0n && !d.absent ? undefined : d;
          if (difference !== undefined) previousLevel = Math.max(previousLevel, this.satisfier(this.negate(difference)).level);
        }
      }
      if (recent === undefined || recentTerm === undefined) throw new Error('resolver: an empty conflict');
      if (previousLevel < recent.level || recent.cause === undefined) {
        this.backtrack(previousLevel);
        if (learned) this.addIncompatibility(inc);
        return inc;
      }
      const terms = [
        ...inc.terms.filter((t) => t !== recentTerm),
        ...recent.cause.terms.filter((t) => t.pkg !== recent!.pkg),
        ...(difference === undefined ? [] : [this.negate(difference)]),
      ];
      inc = this.makeIncompatibility(terms, { kind: 'conflict', left: inc, right: recent.cause });
      learned = true;
    }
    throw this.failure(inc);
  }

  // ---------------------------------------------------------------------------------------------
  // Decisions

  /** Chooses the next package and version; undefined when every required package is decided. */
  private async decideNext(): Promise<string | undefined> {
    if (++this.steps > MAX_STEPS) {
      throw new ConfigError('E_RESOLUTION', `the resolver gave up after ${MAX_STEPS} steps; pin some of the requirements more tightly`);
    }
    let best: string | undefined;
    let bestCount = Infinity;
    for (const [pkg, a] of this.accumulated) {
      if (a.absent || this.decisions.has(pkg)) continue;
      const count = countOf(a.set);
      if (count < bestCount || (count === bestCount && pkg < best!)) {
        best = pkg;
        bestCount = count;
      }
    }
    if (best === undefined) return undefined;
    const pkg = best;
    const allowed = this.current(pkg).set;
    if (allowed === 0n) throw new Error(`resolver: ${pkg} is required with no version left`);
    const index = this.preferredIndex(pkg, allowed);

    const incs = pkg === ROOT ? this.rootIncompatibilities() : await this.dependencyIncompatibilities(pkg, index);
    let conflict = false;
    for (const inc of incs) {
      this.addIncompatibility(inc);
      conflict ||= inc.terms.every((t) => t.pkg === pkg || this.relationOfTerm(t) === 'satisfied');
    }
    if (!conflict) {
      this.level++;
      this.assign({ pkg, set: bit(index), absent: false, level: this.level });
    } else if (pkg !== ROOT) {
      // This version is ruled out at once, so the next older ones are likely to be tried next.
      this.prefetchVersions(pkg, allowed & ~bit(index), 4);
    }
    return pkg;
  }

  /** The version of the same package chosen with other extras, else the preference, else the newest. */
  private preferredIndex(pkg: string, allowed: bigint): number {
    const base = baseOf(pkg);
    for (const [other, i] of this.decisions) {
      if (other !== pkg && baseOf(other) === base && (allowed & bit(i)) !== 0n) return i;
    }
    const preferred = this.preferences.get(base);
    if (preferred !== undefined && isValidVersion(preferred)) {
      const domain = this.domainOf(pkg);
      const i = domain.versions.findIndex((v) => compareVersions(v, preferred) === 0);
      if (i >= 0 && (allowed & bit(i)) !== 0n) return i;
    }
    return highestIndex(allowed);
  }

  private rootIncompatibilities(): Incompatibility[] {
    const out: Incompatibility[] = [];
    for (const r of this.roots) {
      for (const pkg of [r.req.name, ...r.req.extras.map((e) => `${r.req.name}[${e}]`)]) {
        out.push(
          this.makeIncompatibility(
            [
              { pkg: ROOT, set: 1n, absent: false },
              { pkg, set: this.domainOf(pkg).full & ~this.specSet(r.req.name, r.req.specifier), absent: true },
            ],
            { kind: 'requirement', source: r.source, text: r.text },
          ),
        );
      }
    }
    this.prefetchFor(out);
    return out;
  }

  private metadata(name: string, version: string): Promise<CandidateMetadata> {
    const key = `${name}@${version}`;
    let load = this.metadataLoads.get(key);
    if (load === undefined) {
      load = this.provider.metadata(name, version);
      this.metadataLoads.set(key, load);
    }
    return load;
  }

  /** What version `index` of `pkg` requires, as incompatibilities (one "unavailable" when it cannot be used). */
  private async dependencyIncompatibilities(pkg: string, index: number): Promise<Incompatibility[]> {
    const base = baseOf(pkg);
    const extra = extraOf(pkg);
    const domain = this.domainOf(pkg);
    const version = domain.versions[index]!;
    const self: Term = { pkg, set: bit(index), absent: false };
    const unavailable = (reason: string): Incompatibility[] => [this.makeIncompatibility([self], { kind: 'unavailable', reason })];

    const meta = await this.metadata(base, version);
    if (!requiresPythonAdmits(meta.requiresPython, this.options.pythonVersion)) {
      return unavailable(`requires Python ${meta.requiresPython!.trim()} (the target has ${this.options.pythonVersion})`);
    }
    const deps: { req: Requirement; text: string }[] = [];
    for (const line of meta.requiresDist) {
      let req: Requirement;
      try {
        req = parseRequirement(line);
      } catch (err) {
        return unavailable(`has an invalid Requires-Dist ${JSON.stringify(line)} (${(err as Error).message})`);
      }
      if (req.url !== undefined) return unavailable(`depends on '${req.name}' by direct URL, which the resolver does not follow`);
      if (req.specifier !== '' && !isValidSpecifier(req.specifier)) {
        return unavailable(`has an invalid version specifier in Requires-Dist ${JSON.stringify(line)}`);
      }
      let applies = true;
      if (req.marker !== undefined) {
        try {
          const inBase = evaluateMarker(req.marker, this.options.env);
          applies = extra === undefined ? inBase : !inBase && evaluateMarker(req.marker, this.options.env, [extra]);
        } catch {
          return unavailable(`has an invalid marker in Requires-Dist ${JSON.stringify(line)}`);
        }
      } else if (extra !== undefined) {
        applies = false;
      }
      if (!applies) continue;
      if (req.name === base && req.extras.length === 0) continue;
      deps.push({ req, text: `${req.name}${req.extras.length > 0 ? `[${req.extras.join(',')}]` : ''}${req.specifier}` });
    }
    await this.loadDomains(deps.map((d) => d.req.name));

    const out: Incompatibility[] = [];
    const names = new Set<string>();
    if (extra !== undefined) {
      // foo[x] v is foo v plus the dependencies of extra x.
      out.push(
        this.makeIncompatibility([self, { pkg: base, set: domain.full & ~bit(index), absent: true }], {
          kind: 'dependency',
          text: `${base}==${version}`,
          note: '',
        }),
      );
    }
    const target = describeTarget(this.options);
    for (const { req, text } of deps) {
      names.add(req.name);
      const depDomain = this.domains.get(req.name)!;
      const set = this.specSet(req.name, req.specifier);
      const note =
        depDomain.listed === 0
          ? `, which has no versions on the index for ${target}`
          : set === 0n
            ? `, which no version of ${req.name} for ${target} satisfies`
            : '';
      for (const dep of [req.name, ...req.extras.map((e) => `${req.name}[${e}]`)]) {
        if (dep === pkg) continue;
        out.push(
          this.makeIncompatibility([self, { pkg: dep, set: depDomain.full & ~set, absent: true }], { kind: 'dependency', text, note }),
        );
      }
    }
    this.dependencies.set(`${pkg}@${index}`, { names: [...names].sort() });
    this.prefetchFor(out);
    return out;
  }

  /** Tells the provider which versions are likely to be tried next: the preferred one of each new dependency. */
  private prefetchFor(incs: Incompatibility[]): void {
    if (this.provider.prefetch === undefined) return;
    const wanted: { name: string; version: string }[] = [];
    for (const inc of incs) {
      const dep = inc.terms.find((t) => t.absent && t.pkg !== ROOT);
      if (dep === undefined || this.decisions.has(dep.pkg)) continue;
      const domain = this.domainOf(dep.pkg);
      const allowed = this.current(dep.pkg).set & (domain.full & ~dep.set);
      if (allowed === 0n) continue;
      const version = domain.versions[this.preferredIndex(dep.pkg, allowed)]!;
      const key = `${domain.name}@${version}`;
      if (this.prefetched.has(key) || this.metadataLoads.has(key)) continue;
      this.prefetched.add(key);
      wanted.push({ name: domain.name, version });
    }
    if (wanted.length > 0) this.provider.prefetch(wanted);
  }

  /** Tells the provider about the `count` newest versions of `pkg` in `set` whose metadata is not asked for yet. */
  private prefetchVersions(pkg: string, set: bigint, count: number): void {
    if (this.provider.prefetch === undefined) return;
    const domain = this.domainOf(pkg);
    const wanted: { name: string; version: string }[] = [];
    for (let rest = set; rest !== 0n && wanted.length < count; ) {
      const i = highestIndex(rest);
      rest &= ~bit(i);
      const key = `${domain.name}@${domain.versions[i]!}`;
      if (this.prefetched.has(key) || this.metadataLoads.has(key)) continue;
      this.prefetched.add(key);
      wanted.push({ name: domain.name, version: domain.versions[i]! });
    }
    if (wanted.length > 0) this.provider.prefetch(wanted);
  }

  // ---------------------------------------------------------------------------------------------
  // The result

  private assembleResolution(): Resolution {
    const chosen = new Map<string, { version: string; extras: Set<string>; requiredBy: Set<string> }>();
    for (const [pkg, index] of this.decisions) {
      if (pkg === ROOT) continue;
      const base = baseOf(pkg);
      const entry = chosen.get(base) ?? { version: this.domainOf(pkg).versions[index]!, extras: new Set(), requiredBy: new Set() };
      const extra = extraOf(pkg);
      if (extra !== undefined) entry.extras.add(extra);
      chosen.set(base, entry);
    }
    for (const r of this.roots) chosen.get(r.req.name)?.requiredBy.add(r.source);
    for (const [pkg, index] of this.decisions) {
      if (pkg === ROOT) continue;
      for (const name of this.dependencies.get(`${pkg}@${index}`)?.names ?? []) {
        if (name !== baseOf(pkg)) chosen.get(name)?.requiredBy.add(baseOf(pkg));
      }
    }
    const packages: ResolvedPackage[] = [...chosen.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, e]) => ({ name, version: e.version, extras: [...e.extras].sort(), requiredBy: [...e.requiredBy].sort() }));
    return { packages };
  }

  // ---------------------------------------------------------------------------------------------
  // Explaining a failure

  private label(pkg: string): string {
    return pkg === ROOT ? 'the project' : pkg;
  }

  private describeTerm(t: Term): string {
    if (t.pkg === ROOT) return 'the project';
    const domain = this.domainOf(t.pkg);
    return t.absent ? `not ${describeSet(this.label(t.pkg), domain, domain.full & ~t.set)}` : describeSet(this.label(t.pkg), domain, t.set);
  }

  /** One external cause as a clause: `requirements.txt:1 wants a>=2`, `a 2.1 depends on b<1`. */
  private describeExternal(inc: Incompatibility, dependerSet?: bigint): string {
    const c = inc.cause;
    const positive = inc.terms.find((t) => !t.absent);
    switch (c.kind) {
      case 'requirement':
        return `${c.source} wants ${c.text}`;
      case 'constraint':
        return `${c.source} constrains ${c.text}`;
      case 'dependency': {
        const who = positive === undefined ? 'it' : this.describeTerm(dependerSet === undefined ? positive : { ...positive, set: dependerSet });
        return `${who} depends on ${c.text}${c.note}`;
      }
      case 'unavailable':
        return `${positive === undefined ? 'it' : this.describeTerm(positive)} ${c.reason}`;
      case 'root':
        return 'the project is required';
      case 'conflict':
        return this.describeDerived(inc);
    }
  }

  private describeDerived(inc: Incompatibility): string {
    const terms = inc.terms;
    if (this.isFailure(inc)) return 'the requirements cannot be satisfied';
    if (terms.length === 1) {
      const t = terms[0]!;
      if (!t.absent) return `${this.describeTerm(t)} cannot be used`;
      return `${describeSet(this.label(t.pkg), this.domainOf(t.pkg), this.domainOf(t.pkg).full & ~t.set)} is required`;
    }
    const pos = terms.filter((t) => !t.absent);
    const neg = terms.filter((t) => t.absent);
    if (pos.length === 1 && neg.length === 1) {
      const n = neg[0]!;
      return `${this.describeTerm(pos[0]!)} depends on ${describeSet(this.label(n.pkg), this.domainOf(n.pkg), this.domainOf(n.pkg).full & ~n.set)}`;
    }
    if (neg.length === 0) return `${joinAnd(pos.map((t) => this.describeTerm(t)))} cannot be used together`;
    return `${joinAnd(terms.map((t) => this.describeTerm(t)))} cannot all hold`;
  }

  private failure(root: Incompatibility): ConfigError {
    // The external causes in the order the proof uses them; dependencies of several versions of one
    // package on the same requirement read as one clause over those versions.
    const externals: Incompatibility[] = [];
    const seen = new Set<Incompatibility>();
    const walk = (inc: Incompatibility): void => {
      if (seen.has(inc)) return;
      seen.add(inc);
      if (inc.cause.kind === 'conflict') {
        walk(inc.cause.left);
        walk(inc.cause.right);
      } else {
        externals.push(inc);
      }
    };
    walk(root);
    const groups = new Map<string, { first: Incompatibility; set: bigint }>();
    const order: string[] = [];
    externals.forEach((inc, i) => {
      const positive = inc.terms.find((t) => !t.absent && t.pkg !== ROOT);
      const key = inc.cause.kind === 'dependency' && positive !== undefined ? `${positive.pkg}\0${inc.cause.text}` : `#${i}`;
      const g = groups.get(key);
      if (g === undefined) {
        groups.set(key, { first: inc, set: positive?.set ?? 0n });
        order.push(key);
      } else {
        g.set |= positive?.set ?? 0n;
      }
    });
    // Read as chains from the project down: each root requirement, then what the package it names
    // depends on, depth first; anything not reached that way (constraints) after, in proof order.
    const subject = (inc: Incompatibility): string =>
      inc.cause.kind === 'requirement' || inc.cause.kind === 'constraint' ? ROOT : (inc.terms.find((t) => !t.absent)?.pkg ?? ROOT);
    const target = (inc: Incompatibility): string | undefined => inc.terms.find((t) => t.pkg !== ROOT && t.absent)?.pkg;
    const chained: string[] = [];
    const taken = new Set<string>();
    const follow = (pkg: string): void => {
      for (const k of order) {
        const g = groups.get(k)!;
        if (taken.has(k) || subject(g.first) !== pkg || g.first.cause.kind === 'constraint') continue;
        taken.add(k);
        chained.push(k);
        const next = target(g.first);
        if (next !== undefined) follow(next);
      }
    };
    follow(ROOT);
    for (const k of order) if (!taken.has(k)) chained.push(k);
    const clauses = chained.map((k) => {
      const g = groups.get(k)!;
      return this.describeExternal(g.first, g.first.cause.kind === 'dependency' ? g.set : undefined);
    });
    // Versions the index ruled out for the target's Python are not in the proof; name the newest of
    // each package involved, since a newer Python is often the fix.
    const involved = new Set(externals.flatMap((inc) => inc.terms.map((t) => baseOf(t.pkg))).filter((p) => p !== ROOT));
    for (const name of [...involved].sort()) {
      const newest = this.domains.get(name)?.needOtherPython.at(-1);
      if (newest !== undefined) {
        clauses.push(`${name} ${newest.version} requires Python ${newest.requiresPython} (the target has ${this.options.pythonVersion})`);
      }
    }
    const shown = clauses.length > 6 ? [...clauses.slice(0, 5), `${clauses.length - 5} more facts (see below)`] : clauses;
    const message = `because ${joinAnd(shown)}, the requirements cannot be satisfied; relax one of them`;

    // The full proof, one derivation a line, numbered so that later lines can refer to earlier ones.
    const details: string[] = [];
    const numbers = new Map<Incompatibility, number>();
    const line = (inc: Incompatibility): string => {
      if (inc.cause.kind !== 'conflict') return this.describeExternal(inc);
      let n = numbers.get(inc);
      if (n === undefined) {
        const left = line(inc.cause.left);
        const right = line(inc.cause.right);
        n = numbers.size + 1;
        numbers.set(inc, n);
        details.push(`(${n}) because ${left} and ${right}, ${this.describeDerived(inc)}`);
      }
      return `${this.describeDerived(inc)} (${n})`;
    };
    line(root);
    return new ConfigError('E_RESOLUTION', message, details.length > 1 || clauses.length > 6 ? { details } : {});
  }
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
