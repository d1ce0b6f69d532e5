import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack as createPack } from 'tar-stream';
import { compareBytes } from '../config/context.js';
import { ApplyError } from '../errors.js';
import { digestHex } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { addEntry, copyInto } from '../oci/layer.js';
import { parseReference } from '../registry/reference.js';
import { siblingTempPath } from './layout.js';

/**
 * Packs an OCI image layout directory into an OCI archive (a tar of the layout, as
 * `skopeo … oci-archive:FILE` reads it): entries sorted, mtime 0, no owners. Written to a temporary
 * name of this process beside `file` and renamed, so the archive appears whole or not at all (an
 * existing archive stays as it was until then). Callers hold the file's lock.
 */
export async function writeLayoutArchive(layoutDir: string, file: string): Promise<void> {
  await writeTar(layoutDir, file, {});
}

/**
 * Packs a one-platform OCI layout into an archive that `docker load` and `podman load` read: the
 * layout itself (so it is an OCI archive too, as Docker 25's `docker save` writes) plus `manifest.json`
 * ([{Config, RepoTags, Layers}], paths into blobs/) and `repositories`. Layers stay gzip-compressed
 * as in the layout: docker load and containers/image (podman, skopeo) detect and decompress them, as
 * they do for go-containerregistry's tarballs; rewriting them uncompressed would double the file and
 * the work for the loaders of a decade ago only. Atomic like writeLayoutArchive.
 */
export async function writeDockerArchive(layoutDir: string, file: string, tags: string[]): Promise<void> {
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: { mediaType: string; digest: string }[] };
  // One entry per tag, all of the same image.
  const top = index.manifests[0];
  if (!top || new Set(index.manifests.map((m) => m.digest)).size !== 1 || top.mediaType !== MEDIA_TYPES.ociManifest) {
    throw new ApplyError('E_DOCKER_ARCHIVE', `docker-archive:${file} holds one image of one platform; plan for one platform with --platform, or write oci-archive:FILE`);
  }
  const blob = (digest: string) => `blobs/sha256/${digestHex(digest)}`;
  const manifest = JSON.parse(await readFile(join(layoutDir, blob(top.digest)), 'utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  const repoTags = tags.flatMap((t) => {
    const familiar = dockerRepoTag(t);
    return familiar ? [familiar] : [];
  });
  const dockerManifest = [{ Config: blob(manifest.config.digest), RepoTags: repoTags, Layers: manifest.layers.map((l) => blob(l.digest)) }];
  // The legacy index of repositories: name → tag → image id. Loaders that read manifest.json (every
  // docker since 1.10, podman) ignore it; it is written because the format lists it.
  const repositories: Record<string, Record<string, string>> = {};
  for (const tag of repoTags) {
    const colon = tag.lastIndexOf(':');
    (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = digestHex(manifest.config.digest);
  }
  await writeTar(layoutDir, file, {
    'manifest.json': Buffer.from(`${JSON.stringify(dockerManifest)}\n`),
    repositories: Buffer.from(`${JSON.stringify(repositories)}\n`),
  });
}

/**
 * A tag as `docker images` shows it: Docker Hub's `docker.io/` and `library/` left out
 * (`docker.io/library/app:1` → `app:1`), `latest` when none is given; a digest-only reference has no
 * tag to load under (undefined).
 */
export function dockerRepoTag(reference: string): string | undefined {
  const ref = parseReference(reference);
  if (ref.tag === undefined) return undefined;
  let name = ref.registry === 'docker.io' ? ref.repository : `${ref.registry}/${ref.repository}`;
  if (ref.registry === 'docker.io' && name.startsWith('library/') && name.split('/').length === 2) name = name.slice('library/'.length);
  return `${name}:${ref.tag}`;
}

/** Tars a layout directory plus `extra` top-level files, sorted, mtime 0, no owners; temp + rename. */
async function writeTar(layoutDir: string, file: string, extra: Record<string, Buffer>): Promise<void> {
  const paths: { rel: string; dir: boolean; size: number; data?: Buffer }[] = [];
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
  for (const [rel, data] of Object.entries(extra)) paths.push({ rel, dir: false, size: data.length, data });
  paths.sort((a, b) => compareBytes(a.rel, b.rel));
  const tmp = siblingTempPath(file, '.tmp');
  const pack = createPack();
  const mtime = new Date(0);
  const feed = (async () => {
    for (const p of paths) {
      const header = { name: p.dir ? `${p.rel}/` : p.rel, mode: p.dir ? 0o755 : 0o644, mtime, uid: 0, gid: 0 };
      if (p.dir) await addEntry(pack, { ...header, type: 'directory' });
      else if (p.data) await addEntry(pack, { ...header, size: p.size }, p.data);
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
