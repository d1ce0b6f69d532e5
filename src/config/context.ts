import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { ConfigError } from '../errors.js';
import { isIgnored, type IgnoreRule } from './ignore.js';

/** A file, directory or symlink in the build context, path relative to the context with `/`. */
export interface ContextFile {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  executable: boolean;
  /** Symlinks: the link text as stored. */
  target?: string;
}

/** Checks that the context exists and is a directory; a clear error otherwise. */
export async function checkContext(contextAbs: string, shown: string): Promise<void> {
  try {
    const st = await stat(contextAbs);
    if (!st.isDirectory()) throw new ConfigError('E_CONTEXT', `--context ${shown}: not a directory`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('E_CONTEXT', `--context ${shown}: the directory does not exist; pass the project directory (the one with pyproject.toml)`);
  }
}

/**
 * Lists the context, leaving out ignored paths, sorted by path. Ignored directories are not entered
 * unless a negated rule could re-include something below them. Sockets, FIFOs and devices are skipped.
 */
export async function walkContext(contextAbs: string, rules: IgnoreRule[]): Promise<ContextFile[]> {
  const anyNegation = rules.some((r) => r.negate);
  const out: ContextFile[] = [];
  async function visit(rel: string): Promise<void> {
    const names = (await readdir(join(contextAbs, rel))).sort();
    // lstat a directory's entries together: one round trip each to the thread pool, not one after another.
    const stats = await Promise.all(names.map((name) => lstat(join(contextAbs, rel ? `${rel}/${name}` : name))));
    for (const [i, name] of names.entries()) {
      const path = rel ? `${rel}/${name}` : name;
      const st = stats[i]!;
      if (st.isDirectory()) {
        const ignored = isIgnored(rules, path, true);
        if (!ignored) out.push({ path, type: 'dir', size: 0, executable: true });
        if (!ignored || anyNegation) await visit(path);
      } else if (isIgnored(rules, path, false)) {
        continue;
      } else if (st.isFile()) {
        out.push({ path, type: 'file', size: st.size, executable: (st.mode & 0o111) !== 0 });
      } else if (st.isSymbolicLink()) {
        out.push({ path, type: 'symlink', size: 0, executable: false, target: await readlink(join(contextAbs, path)) });
      }
    }
  }
  await visit('');
  return out.sort((a, b) => compareBytes(a.path, b.path));
}

/** True when a symlink at `linkPath` pointing to `target` stays inside the context. */
export function symlinkStaysInside(linkPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved !== '..' && !resolved.startsWith('../');
}

/** Reads a project's copied files for layers: small ones whole, large ones as streams. */
export function contextReader(contextAbs: string): import('../oci/layer.js').FileReader {
  return {
    stream: (entry) => createReadStream(join(contextAbs, entry.source!)),
    read: (entry) => readFile(join(contextAbs, entry.source!)),
  };
}

/** Reads small text files for detection; missing or large files are left out. */
export async function readTexts(contextAbs: string, paths: string[], maxBytes = 512 * 1024): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const p of paths) {
    try {
      const buf = await readFile(join(contextAbs, p));
      if (buf.length <= maxBytes) texts[p] = buf.toString('utf8');
    } catch {
      // Not there: detection treats it as absent.
    }
  }
  return texts;
}

/** Byte-wise order (what tar and OCI tools expect), not locale order. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
