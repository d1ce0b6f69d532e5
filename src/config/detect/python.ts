/** The Python minor to target, from .python-version or requires-python. Pure. */
import type { ProjectMetadata } from './metadata.js';
import type { Found } from './types.js';

/** CPython minors with upstream support on the release date of this pycontainer, oldest first. */
export const SUPPORTED_PYTHONS = ['3.11', '3.12', '3.13', '3.14'];
export const DEFAULT_PYTHON = '3.13';

/**
 * The Python minor to target: .python-version, else the oldest supported minor that satisfies
 * requires-python (what the project says it works with, and the most conservative choice).
 */
export function detectPythonVersion(meta: ProjectMetadata, texts: Record<string, string>): Found<string> | undefined {
  const pinned = texts['.python-version']?.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  const pinnedMinor = pinned && /^(?:cpython-|python)?(3\.\d+)/.exec(pinned)?.[1];
  if (pinnedMinor) return { value: pinnedMinor, why: `.python-version says ${pinned}` };
  if (meta.requiresPython) {
    const candidates = [...SUPPORTED_PYTHONS, ...['3.10', '3.9', '3.8']];
    const ok = candidates.find((minor) => satisfiesMinor(minor, meta.requiresPython!));
    if (ok) return { value: ok, why: `requires-python "${meta.requiresPython}"` };
  }
  return undefined;
}

/** Whether some release of `minor` (3.Y.0 … 3.Y.99) satisfies every clause of a PEP 440 specifier set. */
export function satisfiesMinor(minor: string, specifiers: string): boolean {
  const clauses = specifiers.split(',').map((s) => s.trim()).filter(Boolean);
  return [0, 1, 50, 99].some((patch) => clauses.every((c) => satisfiesClause(`${minor}.${patch}`, c)));
}

function satisfiesClause(version: string, clause: string): boolean {
  const m = /^(~=|==|!=|<=|>=|<|>|===)\s*([0-9][0-9.]*)(\.\*)?$/.exec(clause);
  if (!m) return true; // pre-releases and local versions do not change the choice of a minor
  const [, op, target, wildcard] = m;
  const cmp = compareVersions(version, target!);
  if (wildcard) {
    const prefix = target!.split('.');
    const same = version.split('.').slice(0, prefix.length).join('.') === prefix.join('.');
    return op === '!=' ? !same : same;
  }
  switch (op) {
    case '==':
    case '===':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '~=': {
      const parts = target!.split('.');
      const prefix = parts.slice(0, Math.max(1, parts.length - 1)).join('.');
      return cmp >= 0 && version.startsWith(`${prefix}.`);
    }
  }
  return true;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
