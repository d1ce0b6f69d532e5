import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as createPack } from 'tar-stream';
import { compareBytes } from '../config/context.js';
import { addEntry, copyInto } from '../oci/layer.js';
import { siblingTempPath } from './layout.js';

/**
 * Packs an OCI image layout directory into an OCI archive (a tar of the layout, as
 * `skopeo … oci-archive:FILE` reads it): entries sorted, mtime 0, no owners. Written to a temporary
 * name of this process beside `file` and renamed, so the archive appears whole or not at all (an
 * existing archive stays as it was until then). Callers hold the file's lock.
 */
export async function writeLayoutArchive(layoutDir: string, file: string): Promise<void> {
  const paths: { rel: string; dir: boolean; size: number }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const abs = join(dir, name);
      const st = await stat(abs);
      const rel = relative(layoutDir, abs).split('\\').join('/');
      paths.push({ rel, dir: st.isDirectory(), size: st.size });
      if (st.isDirectory()) await walk(abs);
    }
  };
  await walk(layoutDir);
  paths.sort((a, b) => compareBytes(a.rel, b.rel));
  const tmp = siblingTempPath(file, '.tmp');
  const pack = createPack();
  const mtime = new Date(0);
  const feed = (async () => {
    for (const p of paths) {
      const header = { name: p.dir ? `${p.rel}/` : p.rel, mode: p.dir ? 0o755 : 0o644, mtime, uid: 0, gid: 0 };
      if (p.dir) await addEntry(pack, { ...header, type: 'directory' });
      else await copyInto(pack, { ...header, size: p.size }, createReadStream(join(layoutDir, p.rel)));
    }
    pack.finalize();
  })();
  try {
    await Promise.all([feed, pipeline(pack as unknown as NodeJS.ReadableStream, createWriteStream(tmp))]);
    await rename(tmp, file);
  } catch (err) {
    pack.destroy(err as Error);
    await rm(tmp, { force: true });
    throw err;
  }
}
