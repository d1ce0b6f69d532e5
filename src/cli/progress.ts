import type { ApplyEvent } from '../apply/apply.js';
import { formatBytes } from '../plan/summary.js';

/**
 * Shows apply's progress: a live display on a terminal (one line per layer, redrawn in place), plain
 * lines elsewhere (CI logs), nothing with --quiet.
 */
export function progressReporter(stream: NodeJS.WriteStream, mode: 'live' | 'plain' | 'quiet'): (e: ApplyEvent) => void {
  if (mode === 'quiet') return () => undefined;
  if (mode === 'plain') return (e) => {
    const line = plainLine(e);
    if (line) stream.write(`${line}\n`);
  };
  const rows = new Map<string, string>();
  let drawn = 0;
  const redraw = () => {
    if (drawn) stream.write(`\x1b[${drawn}A`);
    for (const row of rows.values()) stream.write(`\x1b[2K${row}\n`);
    drawn = rows.size;
  };
  return (e) => {
    switch (e.kind) {
      case 'layer-start':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} ${e.cached ? 'from cache' : `building  0% of ${formatBytes(e.total)}`}`);
        break;
      case 'layer-progress':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} building ${String(Math.floor((e.bytes / Math.max(e.total, 1)) * 100)).padStart(2)}% ${bar(e.bytes / Math.max(e.total, 1))} of ${formatBytes(e.total)}`);
        break;
      case 'layer-done':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} ${e.cached ? 'cached' : 'built '} ${e.digest.slice(0, 19)} ${formatBytes(e.size)}`);
        break;
      case 'push-blob': {
        const prev = rows.get('push');
        const counts = prev ? JSON.parse(/\{.*\}/.exec(prev)![0]) as Record<string, number> : { uploaded: 0, mounted: 0, exists: 0, started: 0 };
        counts[e.outcome] = (counts[e.outcome] ?? 0) + 1;
        rows.set('push', `  push   ${JSON.stringify(counts)}`);
        break;
      }
      case 'base-copy': {
        const prev = rows.get('base');
        const n = prev ? Number(/(\d+) blob/.exec(prev)?.[1] ?? 0) + 1 : 1;
        rows.set('base', `  base   ${n} blob${n === 1 ? '' : 's'} ${e.skipped ? 'present' : 'copied'}`);
        break;
      }
      default: {
        const line = plainLine(e);
        if (line) {
          redraw();
          stream.write(`${line}\n`);
          drawn = 0;
          rows.clear();
        }
        return;
      }
    }
    redraw();
  };
}

function bar(fraction: number): string {
  const width = 20;
  const full = Math.round(Math.min(1, fraction) * width);
  return `[${'#'.repeat(full)}${' '.repeat(width - full)}]`;
}

function plainLine(e: ApplyEvent): string | undefined {
  switch (e.kind) {
    case 'check':
      return e.message;
    case 'layer-start':
      return e.cached ? `layer ${e.layer}: reusing the cached blob` : `layer ${e.layer}: building (${formatBytes(e.total)} uncompressed)`;
    case 'layer-progress':
      return undefined;
    case 'layer-done':
      return `layer ${e.layer}: ${e.digest} (${formatBytes(e.size)})`;
    case 'base-copy':
      return e.skipped ? undefined : `base blob ${e.digest} copied (${formatBytes(e.size)})`;
    case 'published':
      return `image ${e.digest} tagged ${e.tags.join(', ')}`;
    case 'push-blob':
      return e.outcome === 'started' ? undefined : `blob ${e.digest} (${formatBytes(e.size)}) ${e.outcome === 'exists' ? 'already in the registry' : e.outcome}`;
    case 'pushed':
      return `pushed ${e.reference}@${e.digest}`;
  }
}

export function progressMode(stream: NodeJS.WriteStream, quiet: boolean, env: NodeJS.ProcessEnv = process.env): 'live' | 'plain' | 'quiet' {
  if (quiet) return 'quiet';
  return stream.isTTY && !env.CI && env.TERM !== 'dumb' ? 'live' : 'plain';
}
