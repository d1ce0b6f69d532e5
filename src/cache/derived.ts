/**
 * Values derived from content-addressed inputs, kept so that a warm `plan` need not derive them again:
 * a dependency layer's diff_id and size from its wheels' digests and the install settings, a wheel's
 * installed size from its digest. Keys are sha256 hex of everything the value depends on (the caller
 * builds them, pycontainer's version included), so an entry is never stale, only unused. Entries are
 * written to a temporary name and renamed (concurrent builds see a whole entry or none); a damaged or
 * unreadable entry is a miss.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DerivedCache {
  constructor(readonly root: string) {}

  private path(kind: string, key: string): string {
    if (!/^[a-z0-9-]+$/.test(kind) || !/^[a-f0-9]{64}$/.test(key)) throw new Error(`derived cache: bad kind or key ${kind}/${key}`);
    return join(this.root, 'derived', kind, `${key}.json`);
  }

  /** The value stored under kind/key, or undefined (absent, unreadable, or failing `valid`). */
  async get<T>(kind: string, key: string, valid: (value: unknown) => value is T): Promise<T | undefined> {
    const text = await this.getText(kind, key);
    try {
      const value: unknown = text === undefined ? undefined : JSON.parse(text);
      return valid(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a value whole; failures are ignored (the cache only saves work). */
  async put(kind: string, key: string, value: unknown): Promise<void> {
    await this.putText(kind, key, JSON.stringify(value));
  }

  /** The text stored under kind/key (an entry of the caller's own format), or undefined. */
  async getText(kind: string, key: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(kind, key), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Stores a text whole; failures are ignored. */
  async putText(kind: string, key: string, text: string): Promise<void> {
    await this.#put(kind, key, (tmp) => writeFile(tmp, text));
  }

  /**
   * Stores the concatenation of `pieces`, written some tens of KB at a time: a large entry (a memoized
   * plan of 10,000 files is ~2 MB of text) is never held whole, nor its bytes. Failures are ignored.
   */
  async putPieces(kind: string, key: string, pieces: Iterable<string>): Promise<void> {
    await this.#put(kind, key, async (tmp) => {
      const file = await open(tmp, 'w');
      try {
        let batch = '';
        for (const piece of pieces) {
          batch += piece;
          if (batch.length >= 64 * 1024) {
            await file.write(batch);
            batch = '';
          }
        }
        await file.write(batch);
      } finally {
        await file.close();
      }
    });
  }

  async #put(kind: string, key: string, write: (tmp: string) => Promise<unknown>): Promise<void> {
    const path = this.path(kind, key);
    const dir = join(this.root, 'derived', kind);
    const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(dir, { recursive: true });
      await write(tmp);
      await rename(tmp, path);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}
