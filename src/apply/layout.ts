import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApplyError } from '../errors.js';
import { digestHex, HashCounter, sha256Digest } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { REF_NAME, type Descriptor } from '../oci/layout.js';
import { writeFileAtomic } from '../plan/file.js';

const TMP_PREFIX = '.tmp-';

/**
 * Writes an OCI image layout so that it is valid at every moment: blobs go to a temporary name and are
 * renamed when complete and verified, blobs already present are skipped, and index.json — the only
 * thing that makes an image visible — is replaced atomically, last. Leftovers of a killed run
 * (temporary files, unreferenced blobs) are removed by the next one.
 */
export class LayoutWriter {
  constructor(readonly dir: string) {}

  private get blobDir(): string {
    return join(this.dir, 'blobs', 'sha256');
  }

  blobPath(digest: string): string {
    return join(this.blobDir, digestHex(digest));
  }

  async init(): Promise<void> {
    try {
      const st = await stat(this.dir);
      if (!st.isDirectory()) throw new ApplyError('E_OUTPUT', `output ${this.dir} exists and is not a directory`);
      const entries = await readdir(this.dir);
      if (entries.length > 0 && !entries.includes('oci-layout') && !entries.includes('blobs')) {
        throw new ApplyError('E_OUTPUT', `output ${this.dir} is a non-empty directory that is not an OCI layout; choose another --output or empty it`);
      }
    } catch (err) {
      if (err instanceof ApplyError) throw err;
    }
    await mkdir(this.blobDir, { recursive: true });
    await this.removeTemporaries();
  }

  async hasBlob(digest: string, size: number): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).size === size;
    } catch {
      return false;
    }
  }

  /** A temporary file in the blob directory (same file system, so rename is atomic). */
  tempPath(): string {
    return join(this.blobDir, `${TMP_PREFIX}${randomBytes(8).toString('hex')}`);
  }

  /** Moves a complete, verified temporary file to its blob name. */
  async commitBlob(tmp: string, digest: string): Promise<void> {
    await rename(tmp, this.blobPath(digest));
  }

  /** Streams a blob in, verifying digest (and size) before it gets its name. */
  async writeBlobStream(source: Readable, expected: { digest: string; size?: number }): Promise<void> {
    if (expected.size !== undefined && (await this.hasBlob(expected.digest, expected.size))) return;
    const tmp = this.tempPath();
    const counter = new HashCounter();
    try {
      await pipeline(source, counter, createWriteStream(tmp));
      if (counter.digest() !== expected.digest || (expected.size !== undefined && counter.bytes !== expected.size)) {
        throw new ApplyError('E_BLOB_DIGEST', `blob ${expected.digest} did not match its digest or size when copied (got ${counter.digest()}, ${counter.bytes} bytes)`);
      }
      await this.commitBlob(tmp, expected.digest);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Adopts a blob from another file on the same file system (the cache) by hard link after checking its
   * digest by reading it; copies it (verified) when linking is not possible.
   */
  async linkOrCopyBlob(file: string, expected: { digest: string; size: number }): Promise<void> {
    if (await this.hasBlob(expected.digest, expected.size)) return;
    const counter = new HashCounter();
    await pipeline(createReadStream(file), counter, new Writable({ write: (_c, _e, done) => done() }));
    if (counter.digest() !== expected.digest || counter.bytes !== expected.size) {
      throw new ApplyError('E_BLOB_DIGEST', `cached blob ${expected.digest} is damaged`);
    }
    const tmp = this.tempPath();
    try {
      await link(file, tmp);
      await this.commitBlob(tmp, expected.digest);
    } catch {
      await rm(tmp, { force: true });
      await this.writeBlobStream(createReadStream(file), expected);
    }
  }

  /** Writes a small JSON blob (config, manifest, index) and returns its descriptor. */
  async writeJsonBlob(text: string, mediaType: string): Promise<Descriptor> {
    const bytes = Buffer.from(text, 'utf8');
    const digest = sha256Digest(bytes);
    if (!(await this.hasBlob(digest, bytes.length))) {
      const tmp = this.tempPath();
      await writeFile(tmp, bytes);
      await this.commitBlob(tmp, digest);
    }
    return { mediaType, digest, size: bytes.length };
  }

  /**
   * Points the given names at `desc` in index.json (replacing images of the same names), atomically.
   * `names` are full references; ref.name holds the tag, as `skopeo oci:DIR:TAG` and umoci expect.
   */
  async publish(desc: Descriptor, names: string[]): Promise<void> {
    await writeFileAtomic(join(this.dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const index = await this.readIndex();
    const refNames = new Set(names.map(refNameOf));
    const kept = index.manifests.filter((m) => !refNames.has(m.annotations?.[REF_NAME] ?? ''));
    const added = names.map((name) => ({
      mediaType: desc.mediaType,
      digest: desc.digest,
      size: desc.size,
      annotations: { [REF_NAME]: refNameOf(name), 'io.containerd.image.name': name },
    }));
    index.manifests = [...kept, ...added];
    await writeFileAtomic(join(this.dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  }

  async readIndex(): Promise<{ schemaVersion: 2; mediaType: string; manifests: Descriptor[] }> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
      return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: parsed.manifests ?? [] };
    } catch {
      return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
    }
  }

  /** Removes blobs nothing in index.json reaches, and temporary files. */
  async collectGarbage(): Promise<void> {
    const index = await this.readIndex();
    const reachable = new Set<string>();
    const visit = async (desc: Descriptor): Promise<void> => {
      if (reachable.has(desc.digest)) return;
      reachable.add(desc.digest);
      if (!/json$/.test(desc.mediaType) || desc.mediaType.includes('config')) return;
      let parsed: { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
      try {
        parsed = JSON.parse(await readFile(this.blobPath(desc.digest), 'utf8')) as typeof parsed;
      } catch {
        return;
      }
      for (const child of [...(parsed.manifests ?? []), ...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])]) await visit(child);
    };
    for (const m of index.manifests) await visit(m);
    for (const name of await readdir(this.blobDir)) {
      if (name.startsWith(TMP_PREFIX) || !reachable.has(`sha256:${name}`)) await rm(join(this.blobDir, name), { force: true });
    }
  }

  private async removeTemporaries(): Promise<void> {
    for (const name of await readdir(this.blobDir)) if (name.startsWith(TMP_PREFIX)) await rm(join(this.blobDir, name), { force: true });
    for (const name of await readdir(this.dir)) if (name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
  }
}

/** The tag of a reference (`ghcr.io/org/app:1.2` → `1.2`; no tag → `latest`). */
export function refNameOf(reference: string): string {
  const at = reference.indexOf('@');
  const name = at === -1 ? reference : reference.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : 'latest';
}
