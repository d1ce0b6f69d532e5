import type { ApplyEvent } from '../apply/apply.js';
import { formatBytes } from '../plan/summary.js';

/**
 * Shows apply's progress: a live display on a terminal (one line per layer, redrawn in place), plain
 * lines elsewhere (CI logs), nothing with --quiet.
 */
export function progressReporter(stream: NodeJS.WriteStream, mode: 'live' | 'plain' | 'quiet', options: { redrawEveryMs?: number } = {}): (e: ApplyEvent) => void {
  // A redraw per chunk would cost more than the work it shows: a few per second are enough to see.
  const every = options.redrawEveryMs ?? 100;
  if (mode === 'quiet') return () => undefined;
  if (mode === 'plain') return (e) => {
    const line = plainLine(e);
    if (line) stream.write(`${line}\n`);
  };
  const rows = new Map<string, string>();
  let drawn = 0;
  let lastDraw = 0;
  const redraw = () => {
    if (drawn) stream.write(`\x1b[${drawn}A`);
    for (const row of rows.values()) stream.write(`\x1b[2K${row}\n`);
    // Rows that went away (finished uploads) are cleared, and the cursor goes back below the live ones.
    for (let extra = rows.size; extra < drawn; extra++) stream.write('\x1b[2K\n');
    if (drawn > rows.size) stream.write(`\x1b[${drawn - rows.size}A`);
    drawn = rows.size;
    lastDraw = Date.now();
  };
  const push = new PushTally();
  return (e) => {
    switch (e.kind) {
      case 'layer-start':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} ${e.cached ? 'from cache' : `building  0% of ${formatBytes(e.total)}`}`);
        break;
      case 'layer-progress':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} building ${percent(e.bytes, e.total)} ${bar(e.bytes / Math.max(e.total, 1))} of ${formatBytes(e.total)}`);
        if (Date.now() - lastDraw < every) return;
        break;
      case 'layer-done':
        rows.set(e.layer, `  ${e.layer.padEnd(6)} ${e.cached ? 'cached' : 'built '} ${e.digest.slice(0, 19)} ${formatBytes(e.size)}`);
        break;
      case 'push-blob':
      case 'push-progress': {
        push.add(e);
        for (const key of [...rows.keys()]) if (key.startsWith('push ')) rows.delete(key);
        for (const [digest, blob] of push.uploading()) {
          rows.set(`push ${digest}`, `  push   ${digest.slice(7, 19)} ${percent(blob.bytes, blob.size)} ${bar(blob.bytes / Math.max(blob.size, 1))} ${formatBytes(blob.bytes)} of ${formatBytes(blob.size)}`);
        }
        rows.set('push total', `  push   ${push.summary()}`);
        if (e.kind === 'push-progress' && Date.now() - lastDraw < every) return;
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
          rows.delete('push total');
          for (const key of [...rows.keys()]) if (key.startsWith('push ')) rows.delete(key);
          redraw();
          stream.write(`${line}\n`);
          drawn = 0;
          rows.clear();
        }
        if (e.kind === 'pushed') push.reset();
        return;
      }
    }
    redraw();
  };
}

/**
 * What a push has done so far, over all its blobs: bytes sent of the bytes to send, and how many blobs
 * were uploaded, mounted or already there.
 */
export class PushTally {
  private readonly blobs = new Map<string, { bytes: number; size: number; outcome: 'started' | 'exists' | 'mounted' | 'uploaded' }>();

  add(e: Extract<ApplyEvent, { kind: 'push-blob' | 'push-progress' }>): void {
    const blob = this.blobs.get(e.digest) ?? { bytes: 0, size: e.size, outcome: 'started' as const };
    if (e.kind === 'push-progress') blob.bytes = e.bytes;
    else {
      blob.outcome = e.outcome;
      if (e.outcome !== 'started') blob.bytes = e.size;
    }
    this.blobs.set(e.digest, blob);
  }

  /** Blobs being uploaded now (bytes sent, not yet done). */
  uploading(): [string, { bytes: number; size: number }][] {
    return [...this.blobs].filter(([, b]) => b.outcome === 'started' && b.bytes > 0);
  }

  /** `3/7 blobs, 12.0 MB of 40.0 MB (30%), 2 already there, 1 mounted`. */
  summary(): string {
    const all = [...this.blobs.values()];
    const done = all.filter((b) => b.outcome !== 'started');
    const size = all.reduce((n, b) => n + b.size, 0);
    const bytes = all.reduce((n, b) => n + b.bytes, 0);
    const count = (o: string) => done.filter((b) => b.outcome === o).length;
    const extra = [count('exists') ? `${count('exists')} already there` : '', count('mounted') ? `${count('mounted')} mounted` : ''].filter(Boolean);
    return `${done.length}/${all.length} blobs, ${formatBytes(bytes)} of ${formatBytes(size)} (${percent(bytes, size).trim()})${extra.length ? `, ${extra.join(', ')}` : ''}`;
  }

  reset(): void {
    this.blobs.clear();
  }
}

function percent(bytes: number, total: number): string {
  return `${String(Math.floor((Math.min(bytes, total) / Math.max(total, 1)) * 100)).padStart(3)}%`;
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
    case 'push-progress':
      return undefined;
    case 'pushed':
      return `pushed ${e.reference}@${e.digest}`;
  }
}

/** live: a terminal (redrawn rows); plain: lines for logs and pipes; quiet: --quiet, --json, --no-progress. */
export function progressMode(stream: { isTTY?: boolean }, quiet: boolean, env: NodeJS.ProcessEnv = process.env): 'live' | 'plain' | 'quiet' {
  if (quiet) return 'quiet';
  return stream.isTTY && !env.CI && env.TERM !== 'dumb' ? 'live' : 'plain';
}
