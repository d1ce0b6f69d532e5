import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex, isDigest } from '../oci/digest.js';

/**
 * The blob-info cache: for each blob digest, the registry repositories where we pushed it or saw it
 * (like skopeo's blob info cache). A push asks it where else on the target's registry a blob lives, so
 * that any blob — not only base layers — is mounted rather than uploaded again.
 *
 * It is a hint, never trusted: a mount that fails falls back to an upload, and the registry checks the
 * digest. One small JSON file per digest (no shared file for concurrent builds to fight over), written
 * to a temporary name and renamed, so a reader sees a whole entry or none; a lost update only loses a hint.
 */

/** Where a blob was pushed or seen. */
export interface BlobLocation {
  registry: string;
  repository: string;
}

/** Locations kept per digest, most recent first: enough to find one on each registry we use. */
export const MAX_LOCATIONS = 16;

export class BlobInfoCache {
  constructor(readonly root: string) {}

  private path(digest: string): string {
    return join(this.root, 'blob-info', `${digestHex(digest)}.json`);
  }

  /** The repositories known to hold `digest`, most recent first (empty when none or unreadable). */
  async readLocations(digest: string): Promise<BlobLocation[]> {
    if (!isDigest(digest)) return [];
    try {
      return parseLocations(await readFile(this.path(digest), 'utf8'), digest);
    } catch {
      return [];
    }
  }

  /** Remembers that `digest` is in `location` (moved to the front when already known). Best effort. */
  async writeLocation(digest: string, location: BlobLocation): Promise<void> {
    if (!isDigest(digest)) return;
    const known = await this.readLocations(digest);
    const next = mergeLocation(known, location);
    if (known.length === next.length && known.every((l, i) => sameLocation(l, next[i]!))) return;
    const dir = join(this.root, 'blob-info');
    const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, JSON.stringify({ digest, locations: next }));
      await rename(tmp, this.path(digest));
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

function sameLocation(a: BlobLocation, b: BlobLocation): boolean {
  return a.registry === b.registry && a.repository === b.repository;
}

/** `location` first, then the others without it, at most MAX_LOCATIONS. */
export function mergeLocation(known: BlobLocation[], location: BlobLocation): BlobLocation[] {
  return [{ registry: location.registry, repository: location.repository }, ...known.filter((l) => !sameLocation(l, location))].slice(0, MAX_LOCATIONS);
}

/** An entry's locations; anything malformed (or for another digest) yields none. */
export function parseLocations(text: string, digest: string): BlobLocation[] {
  const parsed = JSON.parse(text) as { digest?: unknown; locations?: unknown };
  if (parsed.digest !== digest || !Array.isArray(parsed.locations)) return [];
  return parsed.locations
    .filter((l): l is BlobLocation => typeof l === 'object' && l !== null && typeof (l as BlobLocation).registry === 'string' && typeof (l as BlobLocation).repository === 'string')
    .map((l) => ({ registry: l.registry, repository: l.repository }))
    .slice(0, MAX_LOCATIONS);
}

/**
 * Where to try a cross-repository mount of a blob into `target`: known locations on the same registry,
 * other repositories than the target, in order, without repeats.
 */
export function mountCandidates(locations: BlobLocation[], target: BlobLocation): string[] {
  const out: string[] = [];
  for (const l of locations) {
    if (l.registry !== target.registry || l.repository === target.repository || out.includes(l.repository)) continue;
    out.push(l.repository);
  }
  return out;
}
