import { pipeline, Readable, Transform } from 'node:stream';
import { RegistryError } from '../errors.js';
import { HashCounter, sha256Digest } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import { DEFAULT_ATTEMPTS, RegistryHttp, RegistryStatusError, type HttpOptions } from './http.js';
import { formatReference, repositoryScope, type ImageReference } from './reference.js';

/** What a manifest GET accepts: OCI and Docker v2 manifests and indexes. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');

/** Blobs above this size are uploaded in chunks (PATCH…PUT); smaller ones in one PUT. */
export const DEFAULT_CHUNK_THRESHOLD = 512 * 1024 * 1024;
/** Each chunk is held in memory (a retry resends it), so chunks stay small. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export type PushOutcome = 'exists' | 'mounted' | 'uploaded';

/**
 * A blob's bytes to upload: in memory, a stream, or an async iterable that undici consumes chunk by
 * chunk (readFileBody's reused buffers rely on that: nothing here holds a chunk past the next one).
 */
export type BlobBody = Buffer | Readable | AsyncIterable<Buffer>;

/** Mount sources tried per blob before uploading it: each declined mount is a round trip. */
export const MAX_MOUNT_SOURCES = 3;

export interface RegistryClientOptions extends HttpOptions {
  chunkThreshold?: number;
  chunkSize?: number;
}

/**
 * The OCI distribution API for the registries of one build: manifests and blobs by reference, pushes
 * with existence checks, cross-repository mounts and chunked uploads. Every byte fetched is verified
 * against its digest.
 */
export class RegistryClient {
  private readonly hosts = new Map<string, RegistryHttp>();

  constructor(private readonly options: RegistryClientOptions = {}) {}

  http(registry: string): RegistryHttp {
    let h = this.hosts.get(registry);
    if (!h) this.hosts.set(registry, (h = new RegistryHttp(registry, this.options)));
    return h;
  }

  /** GETs a manifest or index by tag or digest and checks its digest (against the digest asked for). */
  async getManifest(ref: ImageReference, reference = ref.digest ?? ref.tag ?? 'latest', actions: ('pull' | 'push')[] = ['pull']): Promise<FetchedManifest> {
    // Read inside the retry: a manifest whose body is cut off is fetched again.
    const res = await this.http(ref.registry).sendAndRead({
      method: 'GET',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: [repositoryScope(ref, actions)],
    });
    const bytes = res.bytes;
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError('E_DIGEST', `registry ${ref.registry}: manifest ${reference} of ${ref.repository} arrived with digest ${digest}`);
    }
    const header = res.headers['content-type'];
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    const mediaType = declared ?? (typeof header === 'string' ? header.split(';')[0]!.trim() : MEDIA_TYPES.ociManifest);
    return { mediaType, digest, size: bytes.length, bytes };
  }

  /**
   * A blob as a stream that fails at its end if the bytes do not match `digest` (and size). A connection
   * that breaks mid-body is resumed with a Range request from where it stopped (or, if the registry
   * ignores Range, by skipping what already arrived), a few times with backoff.
   */
  async getBlob(ref: ImageReference, desc: { digest: string; size?: number }, actions: ('pull' | 'push')[] = ['pull']): Promise<Readable> {
    const http = this.http(ref.registry);
    const path = `/v2/${ref.repository}/blobs/${desc.digest}`;
    const scopes = [repositoryScope(ref, actions)];
    const first = await http.send({ method: 'GET', path, scopes });
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    async function* body(): AsyncGenerator<Buffer> {
      let res = first;
      let offset = 0;
      for (let attempt = 1; ; attempt++) {
        // A registry that ignored our Range header sends everything again: drop what we have.
        let skip = res.status === 200 ? offset : 0;
        try {
          for await (const c of res.body as AsyncIterable<Buffer>) {
            let chunk = c;
            if (skip > 0) {
              const drop = Math.min(skip, chunk.length);
              chunk = chunk.subarray(drop);
              skip -= drop;
              if (chunk.length === 0) continue;
            }
            offset += chunk.length;
            yield chunk;
          }
          return;
        } catch (err) {
          if (!isConnectionError(err)) throw err;
          if (attempt >= attempts) {
            const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
            throw new RegistryError('E_NETWORK', `registry ${ref.registry}: the download of ${desc.digest} broke off ${attempts} times (${code}); try again later`, { temporary: true, cause: err });
          }
          await sleep(http.backoff(attempt));
          res = await http.send({ method: 'GET', path, scopes, headers: offset > 0 ? { range: `bytes=${offset}-` } : {} });
        }
      }
    }
    const counter = new HashCounter();
    const verify = new VerifyAtEnd(counter, desc, `${formatReference({ ...ref, tag: undefined, digest: undefined })} blob ${desc.digest}`);
    // pipeline (not pipe) so that a failure also fails the stream the caller reads.
    return pipeline(Readable.from(body()), counter, verify, () => undefined);
  }

  /** A small blob (a config) in memory, verified. */
  async getBlobBytes(ref: ImageReference, desc: { digest: string; size?: number }, actions: ('pull' | 'push')[] = ['pull']): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.getBlob(ref, desc, actions)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** The blob's size when the repository has it. */
  async blobSize(ref: ImageReference, digest: string, actions: ('pull' | 'push')[] = ['pull']): Promise<number | undefined> {
    const res = await this.http(ref.registry).send({ method: 'HEAD', path: `/v2/${ref.repository}/blobs/${digest}`, scopes: [repositoryScope(ref, actions)], accept: [404] });
    await res.body.dump();
    if (res.status === 404) return undefined;
    return Number(res.headers['content-length'] ?? -1);
  }

  /**
   * The digest a tag (or digest) of `ref`'s repository points at, from one HEAD (Docker-Content-Digest),
   * or undefined when there is none or the registry does not say. For a push: a tag that already points
   * at the planned manifest needs nothing else.
   */
  async manifestDigest(ref: ImageReference, reference: string, actions: ('pull' | 'push')[] = ['pull']): Promise<string | undefined> {
    const res = await this.http(ref.registry).send({
      method: 'HEAD',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: [repositoryScope(ref, actions)],
      accept: [404],
    });
    await res.body.dump().catch(() => undefined);
    const said = res.headers['docker-content-digest'];
    return res.status === 200 && typeof said === 'string' && /^sha256:[0-9a-f]{64}$/.test(said) ? said : undefined;
  }

  /**
   * Makes a blob exist in `ref`'s repository: nothing when it is there, a cross-repository mount from
   * the first of `mountFrom` (repositories of the same registry, tried in order) that has it, else an
   * upload of `open()`'s bytes, in one PUT or, above the chunk threshold, in PATCH chunks. A mount the
   * registry declines opens an upload session, which the upload then uses.
   *
   * An upload session is never retried blindly: after a lost reply or a failed PUT the blob may have
   * landed (a HEAD says so), and otherwise a NEW session uploads again from a re-opened source. A failed
   * PATCH asks the session where it stands and resumes from there, or starts over when it is gone.
   */
  async pushBlob(ref: ImageReference, desc: { digest: string; size: number }, open: () => Promise<BlobBody> | BlobBody, mountFrom?: string | string[]): Promise<PushOutcome> {
    if ((await this.blobSize(ref, desc.digest, ['pull', 'push'])) === desc.size) return 'exists';
    const http = this.http(ref.registry);
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    // A session a declined mount opened: the first upload goes into it.
    let opened: string | undefined;
    for (const from of (mountFrom === undefined ? [] : [mountFrom].flat()).slice(0, MAX_MOUNT_SOURCES)) {
      try {
        const started = await this.startUpload(ref, desc, from);
        if (started === 'mounted') return 'mounted';
        opened = started;
      } catch (err) {
        // A source we may not read (403 on its scope) or that is gone: only a missed shortcut.
        if (!(err instanceof RegistryError) || err.temporary) throw err;
        this.options.onRequest?.(`mount of ${desc.digest} from ${from} declined (${err.message}); uploading`);
      }
    }
    let lastError: RegistryError | undefined;
    for (let session = 1; session <= attempts; session++) {
      const started = opened ?? (await this.startUpload(ref, desc, undefined));
      opened = undefined;
      if (started === 'mounted') return 'mounted';
      try {
        await this.uploadInSession(ref, desc, started, open);
        return 'uploaded';
      } catch (err) {
        if (!isSessionFailure(err)) throw err;
        lastError = err;
        // The reply may be what was lost: the registry may have stored the blob.
        if ((await this.blobSize(ref, desc.digest, ['pull', 'push'])) === desc.size) return 'uploaded';
        const wait = (err instanceof RegistryStatusError ? err.retryAfterMs : undefined) ?? http.backoff(session);
        this.options.onRequest?.(`upload of ${desc.digest} broke off (${err.message}); a new upload session in ${wait} ms`);
        await sleep(wait);
      }
    }
    throw new RegistryError('E_UPLOAD', `${lastError!.message}; the upload of ${desc.digest} failed in ${attempts} upload sessions, try again later`, { temporary: true, cause: lastError });
  }

  /** POSTs a new upload session (with a mount request when asked): 'mounted' or the upload URL. */
  private async startUpload(ref: ImageReference, desc: { digest: string }, mountFrom: string | undefined): Promise<string | 'mounted'> {
    const push = [repositoryScope(ref, ['pull', 'push'])];
    const scopes = mountFrom ? [...push, repositoryScope({ registry: ref.registry, repository: mountFrom }, ['pull'])] : push;
    const query = mountFrom ? `?mount=${encodeURIComponent(desc.digest)}&from=${encodeURIComponent(mountFrom)}` : '';
    // A POST whose reply is lost only leaves an unused session behind: safe to retry.
    const started = await this.http(ref.registry).send({ method: 'POST', path: `/v2/${ref.repository}/blobs/uploads/${query}`, headers: { 'content-length': '0' }, scopes, accept: [201, 202] });
    await started.body.dump().catch(() => undefined);
    if (started.status === 201 && mountFrom) return 'mounted';
    return uploadLocation(started, ref);
  }

  /** Uploads the whole blob into one session; throws a session failure when the session cannot go on. */
  private async uploadInSession(ref: ImageReference, desc: { digest: string; size: number }, start: string, open: () => Promise<BlobBody> | BlobBody): Promise<void> {
    const http = this.http(ref.registry);
    const push = [repositoryScope(ref, ['pull', 'push'])];
    const threshold = this.options.chunkThreshold ?? DEFAULT_CHUNK_THRESHOLD;
    const source = await open();
    try {
      if (desc.size <= threshold) {
        const put = await http.send({
          method: 'PUT',
          path: withDigest(start, desc.digest),
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
          // An auth challenge re-sends the body: re-open the source then (a stream cannot be sent twice).
          body: Buffer.isBuffer(source) ? () => source : onceThen<AsyncIterable<Buffer>>(source, () => reopen(open)),
          scopes: push,
          once: true,
        });
        await put.body.dump().catch(() => undefined);
        return;
      }
      const chunkSize = this.options.chunkSize ?? DEFAULT_CHUNK_SIZE;
      const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
      let location = start;
      let offset = 0;
      for await (const chunk of chunks(Buffer.isBuffer(source) ? [source] : source, chunkSize)) {
        // How much of this chunk the session holds; only ever advanced by what the registry says.
        let held = 0;
        for (let attempt = 1; held < chunk.length; attempt++) {
          const part = chunk.subarray(held);
          try {
            const patch = await http.send({
              method: 'PATCH',
              path: location,
              headers: { 'content-type': 'application/octet-stream', 'content-length': String(part.length), 'content-range': `${offset + held}-${offset + chunk.length - 1}` },
              body: () => part,
              scopes: push,
              accept: [202],
              once: true,
            });
            await patch.body.dump().catch(() => undefined);
            location = uploadLocation(patch, ref);
            held = chunk.length;
          } catch (err) {
            if (!isSessionFailure(err) || attempt >= attempts) throw err;
            // Never re-send on stale state: ask the session how much it has (and for a fresh Location).
            const state = await this.uploadState(ref, location);
            if (!state || state.size < offset + held || state.size > offset + chunk.length) throw err;
            location = state.location;
            held = state.size - offset;
            if (held < chunk.length) await sleep((err instanceof RegistryStatusError ? err.retryAfterMs : undefined) ?? http.backoff(attempt));
          }
        }
        offset += chunk.length;
      }
      if (offset !== desc.size) throw new RegistryError('E_BLOB_SIZE', `blob ${desc.digest}: read ${offset} bytes, expected ${desc.size}`);
      const done = await http.send({ method: 'PUT', path: withDigest(location, desc.digest), headers: { 'content-length': '0' }, scopes: push, once: true });
      await done.body.dump().catch(() => undefined);
    } finally {
      await closeBody(source);
    }
  }

  /**
   * Where an upload session stands (GET on its URL: `Range: 0-<last byte>` and a fresh Location), or
   * undefined when the registry no longer knows it (a stale state makes some registries cancel it).
   */
  private async uploadState(ref: ImageReference, location: string): Promise<{ size: number; location: string } | undefined> {
    let res;
    try {
      res = await this.http(ref.registry).send({ method: 'GET', path: location, scopes: [repositoryScope(ref, ['pull', 'push'])], accept: [204, 400, 404, 416] });
    } catch (err) {
      if (isSessionFailure(err)) return undefined;
      throw err;
    }
    await res.body.dump().catch(() => undefined);
    if (res.status !== 204 && res.status !== 200) return undefined;
    const range = res.headers.range;
    const m = typeof range === 'string' ? /^(?:bytes=)?0-(\d+)$/.exec(range.trim()) : null;
    if (!m || typeof res.headers.location !== 'string') return undefined;
    // `0-0` is what distribution answers for an empty session too.
    const end = Number(m[1]);
    return { size: end === 0 ? 0 : end + 1, location: uploadLocation(res, ref) };
  }

  /** PUTs a manifest or index under a tag or its digest; returns the digest the registry stored. */
  async putManifest(ref: ImageReference, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await this.http(ref.registry).send({
      method: 'PUT',
      path: `/v2/${ref.repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
      scopes: [repositoryScope(ref, ['pull', 'push'])],
    });
    await res.body.dump();
    const digest = sha256Digest(bytes);
    const said = res.headers['docker-content-digest'];
    if (typeof said === 'string' && said !== digest) {
      throw new RegistryError('E_DIGEST', `registry ${ref.registry} stored manifest ${reference} as ${said}, but its bytes hash to ${digest}`);
    }
    return digest;
  }
}

/**
 * A failure after which the upload session cannot be trusted: temporary (5xx, 429, a reset, a lost
 * reply) or the registry saying the session is gone or stale.
 */
function isSessionFailure(err: unknown): err is RegistryError {
  if (!(err instanceof RegistryError)) return false;
  if (err.temporary) return true;
  return err instanceof RegistryStatusError && err.ociCodes.some((c) => c === 'BLOB_UPLOAD_UNKNOWN' || c === 'BLOB_UPLOAD_INVALID');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isConnectionError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  return /ECONNRESET|EPIPE|ETIMEDOUT|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_BODY_TIMEOUT|terminated|aborted/i.test(`${e?.code ?? ''} ${e?.message ?? ''} ${e?.cause?.code ?? ''}`);
}

function uploadLocation(res: { headers: Record<string, string | string[] | undefined>; url: string }, ref: ImageReference): string {
  const loc = res.headers.location;
  if (typeof loc !== 'string') throw new RegistryError('E_UPLOAD', `registry ${ref.registry}: upload answered without a Location`);
  return new URL(loc, res.url).toString();
}

function withDigest(location: string, digest: string): string {
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  return u.toString();
}

/** The first call returns `first`, later calls `then()` (for bodies that must be re-created on retry). */
function onceThen<T>(first: T, then: () => T): () => T {
  let used = false;
  return () => {
    if (used) return then();
    used = true;
    return first;
  };
}

/** A body opened again, lazily (nothing is opened until undici asks for the first chunk). */
async function* reopen(open: () => Promise<BlobBody> | BlobBody): AsyncGenerator<Buffer> {
  const body = await open();
  if (Buffer.isBuffer(body)) yield body;
  else for await (const chunk of body) yield chunk as Buffer;
}

/** Releases what a body holds open (a stream's file, an iterator's file handle) when it was not read to the end. */
async function closeBody(body: BlobBody): Promise<void> {
  if (Buffer.isBuffer(body)) return;
  if (body instanceof Readable) {
    if (!body.readableEnded) body.destroy();
    return;
  }
  const iterator = body as AsyncIterable<Buffer> & Partial<AsyncIterator<Buffer>>;
  await iterator.return?.(undefined)?.catch?.(() => undefined);
}

/**
 * Re-chunks a body into buffers of `size` bytes (the last may be shorter). Each chunk is a copy: the
 * source may reuse its buffers (readFileBody) while a chunk waits for its PATCH.
 */
async function* chunks(source: AsyncIterable<Buffer> | Iterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let length = 0;
  for await (const c of source) {
    let rest = c as Buffer;
    while (rest.length > 0) {
      const take = Math.min(size - length, rest.length);
      rest.copy(chunk, length, 0, take);
      length += take;
      rest = rest.subarray(take);
      if (length === size) {
        yield chunk;
        chunk = Buffer.allocUnsafe(size);
        length = 0;
      }
    }
  }
  if (length > 0) yield chunk.subarray(0, length);
}

/** Passes bytes through and, at the end, fails the stream if the digest or size is wrong. */
class VerifyAtEnd extends Transform {
  constructor(
    private readonly counter: HashCounter,
    private readonly desc: { digest: string; size?: number },
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    done(null, chunk);
  }

  override _flush(done: (err?: Error | null) => void): void {
    const digest = this.counter.digest();
    if (digest !== this.desc.digest || (this.desc.size !== undefined && this.counter.bytes !== this.desc.size)) {
      done(new RegistryError('E_DIGEST', `${this.what}: received ${this.counter.bytes} bytes hashing to ${digest}; refusing them`));
    } else done();
  }
}
