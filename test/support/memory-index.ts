/**
 * An in-memory package index for resolver tests: the same answers a PEP 691 index and core metadata
 * would give, with optional random (seeded) delays so that tests can show the resolver's result does
 * not depend on the order in which Promises settle.
 */
import type { Candidate, CandidateMetadata, ResolverProvider } from '../../src/python/resolve/types.js';
import { normalizeName } from '../../src/python/tags.js';

export interface MemoryRelease {
  /** `Requires-Dist` lines of the metadata. */
  requiresDist?: string[];
  /** `Requires-Python` of the metadata only (the index does not state it). */
  metadataRequiresPython?: string;
  /** `Requires-Python` as both the index (`data-requires-python`) and the metadata state it. */
  requiresPython?: string;
  yanked?: boolean | string;
}

/** name → version → its Requires-Dist lines, or a full release description. */
export type MemoryPackages = Record<string, Record<string, string[] | MemoryRelease>>;

export class MemoryIndex implements ResolverProvider {
  readonly versionCalls: string[] = [];
  readonly metadataCalls: string[] = [];
  readonly prefetched: string[] = [];
  private readonly packages = new Map<string, Map<string, MemoryRelease>>();
  private seed: number;

  /** `seed`: when given, every answer is delayed by a pseudo-random number of event-loop turns. */
  constructor(packages: MemoryPackages, seed?: number) {
    for (const [name, releases] of Object.entries(packages)) {
      const map = new Map<string, MemoryRelease>();
      for (const [version, r] of Object.entries(releases)) map.set(version, Array.isArray(r) ? { requiresDist: r } : r);
      this.packages.set(normalizeName(name), map);
    }
    this.seed = seed ?? -1;
  }

  async versions(name: string): Promise<Candidate[]> {
    this.versionCalls.push(name);
    await this.delay();
    const releases = this.packages.get(name);
    if (releases === undefined) return [];
    // Listed in an order of their own (not sorted) to show the resolver sorts.
    return [...releases.entries()].reverse().map(([version, r]) => ({
      name,
      version,
      ...(r.yanked === undefined ? {} : { yanked: r.yanked }),
      ...(r.requiresPython === undefined ? {} : { requiresPython: r.requiresPython }),
    }));
  }

  async metadata(name: string, version: string): Promise<CandidateMetadata> {
    this.metadataCalls.push(`${name}==${version}`);
    await this.delay();
    const r = this.packages.get(name)?.get(version);
    if (r === undefined) throw new Error(`memory index: metadata of unknown ${name} ${version}`);
    const requiresPython = r.metadataRequiresPython ?? r.requiresPython;
    return { requiresDist: r.requiresDist ?? [], ...(requiresPython === undefined ? {} : { requiresPython }) };
  }

  prefetch(candidates: { name: string; version: string }[]): void {
    for (const c of candidates) this.prefetched.push(`${c.name}==${c.version}`);
  }

  private async delay(): Promise<void> {
    if (this.seed < 0) return;
    // xorshift: reproducible per seed, different between seeds.
    let x = this.seed || 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    const turns = this.seed % 4;
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}
