import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { Entry } from '../../generated/plan.js';
import { probeLibc, type Libc } from './libc.js';

/**
 * A read-only view of an image's root filesystem, built from its layers in one streaming pass: every
 * path's type, mode, owner and link target (no file contents, so memory grows with the number of
 * paths, not with the layers' size), the few small files the planner reads (/etc/passwd, /etc/group)
 * and the C library. Whiteouts and opaque directories are applied as the OCI image spec describes
 * them (`.wh.NAME` hides NAME and below in lower layers; `.wh..wh..opq` hides a directory's lower
 * children). Each layer's scan is cached by its digest in this process, so the interpreter search,
 * the start-up check and the libc detection for wheels share one read of each layer.
 */
export interface FsNode {
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Symlinks: the target as written. */
  target?: string;
}

/** A base layer to read: opens its (gzip or plain) tar; the digest, when known, keys the cache. */
export type LayerSource = (() => Promise<Readable>) & { digest?: string };

/** Small files whose contents the planner needs, paths without a leading slash. */
export const KEPT_FILES = new Set(['etc/passwd', 'etc/group']);
const KEPT_MAX = 1024 * 1024;
const MAX_LINKS = 40;

/** What one layer holds, before it is stacked on the ones below. */
export interface LayerScan {
  nodes: Map<string, FsNode>;
  /** Paths a `.wh.NAME` entry hides in lower layers. */
  whiteouts: string[];
  /** Directories whose lower children a `.wh..wh..opq` entry hides ('' is the root). */
  opaque: string[];
  contents: Map<string, Buffer>;
  libc?: Libc;
}

/** A path as a key: no leading `./` or `/`, no trailing `/`, no empty or `.` components. */
export function normalizePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

export type Resolution = { path: string; node: FsNode } | { missing: string; via: string[] } | { loop: string };

export class Rootfs {
  constructor(
    readonly nodes: Map<string, FsNode>,
    readonly contents: Map<string, Buffer> = new Map(),
    readonly libc?: Libc,
  ) {}

  /** The node at `path` itself (a symlink is not followed). */
  lstat(path: string): FsNode | undefined {
    const key = normalizePath(path);
    return key === '' ? ROOT : this.nodes.get(key);
  }

  /**
   * Follows symlinks in every component (absolute targets from the image root, relative ones from the
   * link's directory), as the kernel would inside the container. `via` lists the links taken.
   */
  resolve(path: string): Resolution {
    const rest = normalizePath(path).split('/').filter(Boolean);
    const done: string[] = [];
    const via: string[] = [];
    let links = 0;
    while (rest.length) {
      const part = rest.shift()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const here = [...done, part].join('/');
      const node = this.nodes.get(here);
      if (!node) return { missing: `/${here}`, via };
      if (node.type === 'symlink') {
        if (++links > MAX_LINKS) return { loop: `/${here}` };
        via.push(`/${here} -> ${node.target}`);
        const target = node.target ?? '';
        if (target.startsWith('/')) done.length = 0;
        rest.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (rest.length && node.type !== 'dir') return { missing: `/${[...done, part, rest[0]].join('/')}`, via };
      done.push(part);
    }
    const key = done.join('/');
    return { path: `/${key}`, node: key === '' ? ROOT : this.nodes.get(key)! };
  }

  /** A kept small file's text, following symlinks; undefined when absent or not kept. */
  readText(path: string): string | undefined {
    const r = this.resolve(path);
    if (!('node' in r) || r.node.type !== 'file') return undefined;
    return this.contents.get(normalizePath(r.path))?.toString('utf8');
  }

  /** The names directly inside a directory (following symlinks to it), sorted. */
  list(dir: string): string[] {
    const r = this.resolve(dir);
    if (!('node' in r) || r.node.type !== 'dir') return [];
    const prefix = normalizePath(r.path);
    const out = new Set<string>();
    for (const key of this.nodes.keys()) {
      if (prefix === '' ? !key.includes('/') : key.startsWith(`${prefix}/`) && !key.slice(prefix.length + 1).includes('/')) {
        out.add(prefix === '' ? key : key.slice(prefix.length + 1));
      }
    }
    return [...out].sort();
  }

  /** This filesystem with a scanned layer stacked on top (its whiteouts applied). */
  withLayer(scan: LayerScan): Rootfs {
    return foldLayers([{ nodes: this.nodes, whiteouts: [], opaque: [], contents: this.contents, ...(this.libc ? { libc: this.libc } : {}) }, scan]);
  }

  /**
   * This filesystem with layer entries as the plan states them stacked on top (dependency and
   * application layers): what the container will see. Generated files' contents are kept when small.
   */
  withEntries(entries: Entry[]): Rootfs {
    const nodes = new Map(this.nodes);
    const contents = new Map(this.contents);
    for (const e of entries) {
      const key = normalizePath(e.path);
      nodes.set(key, { type: e.type, mode: parseInt(e.mode, 8) & 0o7777, uid: e.uid ?? 0, gid: e.gid ?? 0, ...(e.target !== undefined ? { target: e.target } : {}) });
      if (e.type === 'file' && e.content !== undefined && Buffer.byteLength(e.content) <= KEPT_MAX) contents.set(key, Buffer.from(e.content, 'utf8'));
      else contents.delete(key);
    }
    addParents(nodes);
    return new Rootfs(nodes, contents, this.libc);
  }
}

const ROOT: FsNode = { type: 'dir', mode: 0o755, uid: 0, gid: 0 };

/** An empty filesystem (scratch). */
export function emptyRootfs(): Rootfs {
  return new Rootfs(new Map());
}

/** Stacks layer scans, lowest first: each layer's whiteouts hide paths of the layers below it. Pure. */
export function foldLayers(scans: LayerScan[]): Rootfs {
  const nodes = new Map<string, FsNode>();
  const contents = new Map<string, Buffer>();
  let libc: Libc | undefined;
  for (const scan of scans) {
    if (scan.whiteouts.length || scan.opaque.length) {
      const hidden = (key: string) =>
        scan.whiteouts.some((w) => key === w || key.startsWith(`${w}/`)) || scan.opaque.some((d) => (d === '' ? true : key.startsWith(`${d}/`)));
      for (const key of [...nodes.keys()]) if (hidden(key)) nodes.delete(key);
      for (const key of [...contents.keys()]) if (hidden(key)) contents.delete(key);
    }
    for (const [key, node] of scan.nodes) {
      nodes.set(key, node);
      // A path replaced by something that is not a kept file loses its old contents.
      if (!scan.contents.has(key)) contents.delete(key);
    }
    for (const [key, data] of scan.contents) contents.set(key, data);
    if (scan.libc) libc = scan.libc;
    // Directories this layer implies exist from now on, even if a later layer hides all they hold.
    addParents(nodes);
  }
  return new Rootfs(nodes, contents, libc);
}

/** Directories a tar implies without listing them (`usr/local/bin/x` with no `usr/` entry). */
function addParents(nodes: Map<string, FsNode>): void {
  for (const key of [...nodes.keys()]) {
    // Up from the path's parent, until a directory that is there: its own parents are there, or
    // will be when its turn comes (every key present now is visited). One slice per directory added,
    // rather than splitting and joining every prefix of every path (a venv's 30,000 paths, at each
    // layer stacked and again for the plan's entries).
    for (let end = key.lastIndexOf('/'); end > 0; end = key.lastIndexOf('/', end - 1)) {
      const dir = key.slice(0, end);
      if (nodes.has(dir)) break;
      nodes.set(dir, { type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    }
  }
}

/** Reads one layer tar (gzip or plain) as it streams by: metadata of every entry, kept files, libc. */
export async function scanLayer(stream: Readable): Promise<LayerScan> {
  const scan: LayerScan = { nodes: new Map(), whiteouts: [], opaque: [], contents: new Map() };
  const head = await peekGzip(stream);
  const source = head.gzip ? head.stream.pipe(createGunzip()) : head.stream;
  const tar = extract();
  // pipe() forwards no errors: a failed read (a layer that fails verification) must reach the loop below.
  if (source !== head.stream) head.stream.on('error', (err) => tar.destroy(err));
  source.on('error', (err) => tar.destroy(err));
  source.pipe(tar as unknown as NodeJS.WritableStream);
  for await (const entry of tar) {
    const h = entry.header;
    const key = normalizePath(h.name);
    const slash = key.lastIndexOf('/');
    const dir = slash === -1 ? '' : key.slice(0, slash);
    const base = key.slice(slash + 1);
    if (base === '.wh..wh..opq') {
      scan.opaque.push(dir);
      entry.resume();
      continue;
    }
    if (base.startsWith('.wh.')) {
      scan.whiteouts.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
      entry.resume();
      continue;
    }
    if (key === '') {
      entry.resume();
      continue;
    }
    const owner = { mode: (h.mode ?? 0) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 };
    if (h.type === 'directory') scan.nodes.set(key, { type: 'dir', ...owner });
    else if (h.type === 'symlink') scan.nodes.set(key, { type: 'symlink', ...owner, target: h.linkname ?? '' });
    else if (h.type === 'link') {
      // A hard link is the file it names (earlier in this layer, or below).
      const other = scan.nodes.get(normalizePath(h.linkname ?? ''));
      scan.nodes.set(key, other ? { ...other } : { type: 'file', ...owner });
      const data = scan.contents.get(normalizePath(h.linkname ?? ''));
      if (data) scan.contents.set(key, data);
    } else if (h.type === 'file' || h.type === 'contiguous-file') {
      scan.nodes.set(key, { type: 'file', ...owner });
      const libc = await probeLibc(key, entry as unknown as AsyncIterable<Buffer>);
      if (libc !== null) {
        if (libc) scan.libc = libc;
        continue; // the probe read the entry
      }
      if (KEPT_FILES.has(key) && (h.size ?? 0) <= KEPT_MAX) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
        scan.contents.set(key, Buffer.concat(chunks));
        continue;
      }
    } else scan.nodes.set(key, { type: 'other', ...owner });
    entry.resume();
  }
  return scan;
}

/**
 * The same bytes twice: a stream to hash (or write) and a scan of the layer they make, so a layer we
 * build is listed for the start-up check in the pass that computes its diff_id.
 */
export function teeScan(source: AsyncIterable<Buffer>): { stream: AsyncIterable<Buffer>; scan: Promise<LayerScan> } {
  const forScan = new PassThrough();
  const scan = scanLayer(forScan);
  scan.catch(() => undefined); // surfaced by whoever awaits it
  async function* both(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) {
        if (!forScan.write(chunk)) await new Promise<void>((resolve) => {
          forScan.once('drain', resolve);
          forScan.once('close', resolve);
        });
        yield chunk;
      }
      forScan.end();
    } catch (err) {
      forScan.destroy(err as Error);
      throw err;
    }
  }
  return { stream: both(), scan };
}

/** Scans of layers by digest, for the life of the process (a plan reads each base layer once). */
const scanCache = new Map<string, Promise<LayerScan>>();
const SCAN_CACHE_MAX = 64;

/**
 * The root filesystem of an image from its layers, lowest first; scans are cached by digest in this
 * process and, given a cache directory, on disk (a base layer is scanned once, not on every plan).
 */
export async function readRootfs(layers: LayerSource[], cacheRoot?: string): Promise<Rootfs> {
  const scans: LayerScan[] = [];
  for (const layer of layers) scans.push(await scanCached(layer, cacheRoot));
  return foldLayers(scans);
}

function scanCached(layer: LayerSource, cacheRoot: string | undefined): Promise<LayerScan> {
  if (!layer.digest || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) return layer().then(scanLayer);
  let p = scanCache.get(layer.digest);
  if (!p) {
    const digest = layer.digest;
    p = cacheRoot ? scanThroughDisk(layer, digest, cacheRoot) : layer().then(scanLayer);
    p.catch(() => scanCache.delete(digest));
    if (scanCache.size >= SCAN_CACHE_MAX) scanCache.delete(scanCache.keys().next().value!);
    scanCache.set(digest, p);
  }
  return p;
}

/** The version of the scan format on disk: bump when scanLayer would find something else in a layer. */
const SCAN_FORMAT = 1;

function scanFile(cacheRoot: string, digest: string): string {
  return join(cacheRoot, 'rootfs-scans', `${digest.slice('sha256:'.length)}.json`);
}

/** A layer's scan from the disk cache, else scanned (the layer source verifies the blob) and stored. */
async function scanThroughDisk(layer: LayerSource, digest: string, cacheRoot: string): Promise<LayerScan> {
  const file = scanFile(cacheRoot, digest);
  const stored = await readFile(file, 'utf8').then(parseStoredScan, () => undefined);
  if (stored) return stored;
  const scan = await layer().then(scanLayer);
  const tmp = join(cacheRoot, 'rootfs-scans', `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(join(cacheRoot, 'rootfs-scans'), { recursive: true });
    await writeFile(tmp, serializeScan(scan));
    await rename(tmp, file);
  } catch {
    // Not stored: scanned again next time.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  return scan;
}

/** A scan as JSON: nodes as [path, type, mode, uid, gid, target?], kept contents in base64. Pure. */
export function serializeScan(scan: LayerScan): string {
  return JSON.stringify({
    format: SCAN_FORMAT,
    nodes: [...scan.nodes].map(([k, n]) => (n.target !== undefined ? [k, n.type, n.mode, n.uid, n.gid, n.target] : [k, n.type, n.mode, n.uid, n.gid])),
    whiteouts: scan.whiteouts,
    opaque: scan.opaque,
    contents: [...scan.contents].map(([k, b]) => [k, b.toString('base64')]),
    ...(scan.libc ? { libc: scan.libc } : {}),
  });
}

/** serializeScan's text back, or undefined when it is not one of this format. Pure. */
export function parseStoredScan(text: string): LayerScan | undefined {
  try {
    const raw = JSON.parse(text) as { format: number; nodes: [string, FsNode['type'], number, number, number, string?][]; whiteouts: string[]; opaque: string[]; contents: [string, string][]; libc?: Libc };
    if (raw.format !== SCAN_FORMAT || !Array.isArray(raw.nodes)) return undefined;
    const nodes = new Map<string, FsNode>();
    for (const [k, type, mode, uid, gid, target] of raw.nodes) nodes.set(k, { type, mode, uid, gid, ...(target !== undefined ? { target } : {}) });
    return {
      nodes,
      whiteouts: raw.whiteouts,
      opaque: raw.opaque,
      contents: new Map(raw.contents.map(([k, b]) => [k, Buffer.from(b, 'base64')])),
      ...(raw.libc ? { libc: raw.libc } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Reads the first bytes to tell gzip from plain tar, then hands back a stream with them put back. */
export async function peekGzip(stream: Readable): Promise<{ gzip: boolean; stream: Readable }> {
  const first: Buffer | null = await new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      cleanup();
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
  // A new stream with the first chunk put back (unshift fails once a short stream has ended).
  const rest = async function* () {
    if (first) yield first;
    yield* stream as AsyncIterable<Buffer>;
  };
  return { gzip: !!first && first[0] === 0x1f && first[1] === 0x8b, stream: Readable.from(rest(), { objectMode: false }) };
}
