import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApplyError } from '../errors.js';
import { digestHex, HashCounter, sha256Digest } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { REF_NAME, type Descriptor } from '../oci/layout.js';
import { isLiveProcess } from '../lock.js';
import { REFERRER_OF } from '../sbom/referrers.js';

const TMP_PREFIX = '.tmp-';

/** A temporary name owned by this process: the pid lets another process tell whether its writer still runs. */
function ownTempName(prefix: string, suffix = ''): string {
  return `${prefix}${process.pid}-${randomBytes(6).toString('hex')}${suffix}`;
}

/** Whether a temporary file or directory may be removed: its writer (the pid in its name) no longer runs. */
function abandoned(name: string, pattern: RegExp): boolean {
  const pid = Number(pattern.exec(name)?.[1]);
  return !Number.isInteger(pid) || pid === 0 || (pid !== process.pid && !isLiveProcess(pid));
}

/**
 * Writes an OCI image layout so that it is valid at every moment and a failed run leaves it as it was:
 * - a new layout is written in a temporary sibling directory and renamed into place when complete, so
 *   the output appears whole or not at all;
 * - into an existing layout, blobs go to temporary names and are renamed when complete and verified;
 *   blobs this run added are removed again if it fails before index.json — the only thing that makes
 *   an image visible — is replaced (atomically, last).
 * Callers hold the output's lock (src/lock.ts) for the whole run. Leftovers of killed runs (temporary
 * files and directories whose writer's pid is gone, unreferenced blobs) are removed by the next run;
 * temporary files of live processes never are.
 */
export class LayoutWriter {
  /** Blobs this run created in an existing layout (removed again on failure). */
  private readonly added = new Set<string>();
  private published = false;

  private constructor(
    /** The output directory. */
    readonly dir: string,
    /** Where this run writes: `dir` itself, or a temporary sibling when `dir` does not exist yet. */
    readonly workDir: string,
  ) {}

  /** Whether this run writes a new layout (renamed into place by finish()). */
  get fresh(): boolean {
    return this.workDir !== this.dir;
  }

  private get blobDir(): string {
    return join(this.workDir, 'blobs', 'sha256');
  }

  blobPath(digest: string): string {
    return join(this.blobDir, digestHex(digest));
  }

  /** Opens `dir` for writing: an existing layout in place, an absent or empty directory through a temporary sibling. */
  static async open(dir: string): Promise<LayoutWriter> {
    let existing = false;
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) throw new ApplyError('E_OUTPUT', `output ${dir} exists and is not a directory; choose another --output`);
      const entries = await readdir(dir);
      if (entries.length > 0 && !entries.includes('oci-layout') && !entries.includes('blobs')) {
        throw new ApplyError('E_OUTPUT', `output ${dir} is a non-empty directory that is not an OCI layout; choose another --output or empty it`);
      }
      existing = entries.length > 0;
    } catch (err) {
      if (err instanceof ApplyError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw outputError(dir, err);
    }
    const parent = dirname(dir);
    try {
      await mkdir(parent, { recursive: true });
      await removeAbandonedSiblings(dir);
    } catch (err) {
      throw outputError(dir, err);
    }
    const writer = new LayoutWriter(dir, existing ? dir : siblingTempPath(dir));
    try {
      await mkdir(writer.blobDir, { recursive: true });
    } catch (err) {
      throw outputError(dir, err);
    }
    if (existing) await writer.removeTemporaries();
    return writer;
  }

  async hasBlob(digest: string, size: number): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).size === size;
    } catch {
      return false;
    }
  }

  /** A temporary file in the blob directory (same file system, so rename is atomic), named after this process. */
  tempPath(): string {
    return join(this.blobDir, ownTempName(TMP_PREFIX));
  }

  /** Moves a complete, verified temporary file to its blob name, remembering blobs this run added. */
  async commitBlob(tmp: string, digest: string): Promise<void> {
    const path = this.blobPath(digest);
    const existed = await stat(path).then(() => true, () => false);
    await rename(tmp, path);
    if (!existed && !this.fresh) this.added.add(path);
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
   * `referrers` (SBOM artifacts, unnamed) are listed too; those of images no name points at any more go.
   */
  async publish(desc: Descriptor, names: string[], referrers: Descriptor[] = []): Promise<void> {
    await this.writeSmallFile('oci-layout', '{"imageLayoutVersion":"1.0.0"}');
    const index = await this.readIndex();
    const refNames = new Set(names.map(refNameOf));
    const named = index.manifests.filter((m) => m.annotations?.[REFERRER_OF] === undefined && !refNames.has(m.annotations?.[REF_NAME] ?? ''));
    const live = new Set([desc.digest, ...named.map((m) => m.digest)]);
    const fresh = new Set(referrers.map((r) => r.digest));
    const kept = [...named, ...index.manifests.filter((m) => m.annotations?.[REFERRER_OF] !== undefined && live.has(m.annotations[REFERRER_OF]) && !fresh.has(m.digest)), ...referrers];
    const added = names.map((name) => ({
      mediaType: desc.mediaType,
      digest: desc.digest,
      size: desc.size,
      annotations: { [REF_NAME]: refNameOf(name), 'io.containerd.image.name': name },
    }));
    index.manifests = [...kept, ...added];
    await this.writeSmallFile('index.json', `${JSON.stringify(index, null, 2)}\n`);
    this.published = true;
  }

  /** Replaces a file at the layout's root atomically (a temporary name of this process, then rename). */
  private async writeSmallFile(name: string, text: string): Promise<void> {
    const tmp = join(this.workDir, ownTempName(`${name}.`, '.tmp'));
    try {
      await writeFile(tmp, text);
      await rename(tmp, join(this.workDir, name));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Completes the run after publish(): a new layout is renamed into place; an existing one loses the
   * blobs nothing references any more.
   */
  async finish(): Promise<void> {
    await this.collectGarbage();
    if (!this.fresh) return;
    try {
      await rename(this.workDir, this.dir);
    } catch (err) {
      throw outputError(this.dir, err);
    }
  }

  /**
   * Undoes a failed run: a new layout's temporary directory goes; in an existing layout, the blobs this
   * run added go unless index.json was already replaced (then they are referenced, and stay).
   */
  async abort(): Promise<void> {
    if (this.fresh) {
      await rm(this.workDir, { recursive: true, force: true });
      return;
    }
    if (!this.published) for (const path of this.added) await rm(path, { force: true });
    const own = `${TMP_PREFIX}${process.pid}-`;
    for (const name of await readdir(this.blobDir).catch(() => [] as string[])) if (name.startsWith(own)) await rm(join(this.blobDir, name), { force: true });
  }

  async readIndex(): Promise<{ schemaVersion: 2; mediaType: string; manifests: Descriptor[] }> {
    try {
      const parsed = JSON.parse(await readFile(join(this.workDir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
      return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: parsed.manifests ?? [] };
    } catch {
      return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
    }
  }

  /** Removes blobs nothing in index.json reaches, and temporary files of runs that no longer run. */
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
      if (name.startsWith(TMP_PREFIX) ? abandoned(name, BLOB_TEMP) : !reachable.has(`sha256:${name}`)) await rm(join(this.blobDir, name), { force: true });
    }
    await this.removeTemporaries();
  }

  /** Temporary files whose writer no longer runs (a killed run's, or an older version's without a pid). */
  private async removeTemporaries(): Promise<void> {
    for (const name of await readdir(this.blobDir)) if (name.startsWith(TMP_PREFIX) && abandoned(name, BLOB_TEMP)) await rm(join(this.blobDir, name), { force: true });
    for (const name of await readdir(this.workDir)) if (name.endsWith('.tmp') && abandoned(name, ROOT_TEMP)) await rm(join(this.workDir, name), { force: true });
  }
}

const BLOB_TEMP = /^\.tmp-(\d+)-[0-9a-f]+$/;
const ROOT_TEMP = /\.(\d+)-[0-9a-f]+\.tmp$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The prefix of an output's temporary siblings: `.NAME.pycontainer-` (its lock is `.NAME.pycontainer-lock`). */
function siblingPrefix(output: string): string {
  return `.${basename(output)}.pycontainer-`;
}

/** A temporary sibling of an output (same directory, so a rename moves it into place), named after this process. */
export function siblingTempPath(output: string, suffix = ''): string {
  return join(dirname(output), ownTempName(siblingPrefix(output), suffix));
}

/**
 * Removes temporary siblings of `output` (directories and files) that runs which no longer run left
 * behind, the lock's own temporary files among them (`.NAME.pycontainer-lock.PID-HEX.tmp`, src/lock.ts:
 * a run killed while it created the lock leaves one). Call it holding the output's lock.
 */
export async function removeAbandonedSiblings(output: string): Promise<void> {
  const prefix = siblingPrefix(output);
  const pattern = new RegExp(`^${escapeRegExp(prefix)}(?:lock\\.)?(\\d+)-[0-9a-f]+`);
  for (const name of await readdir(dirname(output))) {
    if (pattern.test(name) && abandoned(name, pattern)) await rm(join(dirname(output), name), { recursive: true, force: true });
  }
}

/** A file-system failure on the output, as one line naming it. */
function outputError(dir: string, err: unknown): ApplyError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new ApplyError('E_OUTPUT', `cannot write the output ${dir} (${code}); check that its parent is a writable directory, or choose another --output`);
}

/** The tag of a reference (`ghcr.io/org/app:1.2` → `1.2`; no tag → `latest`). */
export function refNameOf(reference: string): string {
  const at = reference.indexOf('@');
  const name = at === -1 ? reference : reference.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : 'latest';
}
