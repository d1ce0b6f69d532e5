// Small tar layers for tests (base images' filesystems, SBOM inputs), written with tar-stream: root
// owned, no user names, mtime 0, so the same items always give the same bytes.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface TarItem {
  name: string;
  /** Default: file. */
  type?: 'file' | 'directory' | 'symlink' | 'link';
  /** Default: 0755 for a directory, 0777 for a symlink, 0644 otherwise. */
  mode?: number;
  /** A file's content (default empty). */
  body?: string;
  /** A symlink's or hard link's target. */
  target?: string;
}

/** The tar of `items`, in their order. */
export async function tarOf(items: TarItem[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  })();
  for (const it of items) {
    const type = it.type ?? 'file';
    const mode = it.mode ?? (type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
    const header = { name: it.name, type, mode, uid: 0, gid: 0, uname: '', gname: '', mtime: new Date(0), ...(it.target ? { linkname: it.target } : {}) };
    await new Promise<void>((res, rej) => {
      const cb = (err?: Error | null) => (err ? rej(err) : res());
      if (type === 'file') p.entry(header, it.body ?? '', cb);
      else p.entry(header, cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A layer source as the rootfs and SBOM readers take one: the tar of `items`, gzipped unless `gzip` is false. */
export function layerSource(items: TarItem[], gzip = true): () => Promise<Readable> {
  return async () => {
    const tar = await tarOf(items);
    return Readable.from([gzip ? gzipSync(tar) : tar]);
  };
}
