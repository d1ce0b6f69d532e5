// An independent, strict checker for OCI image layout directories, used by
// e2e tests to verify what the builder wrote. It deliberately shares no code
// with src/ so that a bug in the product cannot hide itself here.
//
// Blobs are always streamed (hashing, gunzip, tar parsing); only JSON blobs
// (index, manifest, config) are read into memory, and those are size-capped.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociNdLayerTar: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociNdLayerGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociNdLayerZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

const INDEX_TYPES = new Set<string>([MT.ociIndex, MT.dockerList]);
const MANIFEST_TYPES = new Set<string>([MT.ociManifest, MT.dockerManifest]);
const CONFIG_TYPES = new Set<string>([MT.ociConfig, MT.dockerConfig]);
type Compression = 'none' | 'gzip' | 'zstd';
const LAYER_TYPES = new Map<string, Compression>([
  [MT.ociLayerTar, 'none'],
  [MT.ociLayerGzip, 'gzip'],
  [MT.ociLayerZstd, 'zstd'],
  [MT.ociNdLayerTar, 'none'],
  [MT.ociNdLayerGzip, 'gzip'],
  [MT.ociNdLayerZstd, 'zstd'],
  [MT.dockerLayerTar, 'none'],
  [MT.dockerLayerGzip, 'gzip'],
  [MT.dockerForeignLayerGzip, 'gzip'],
]);

/** Largest JSON blob (index, manifest, config) the checker will read. */
const MAX_JSON_BLOB = 16 * 1024 * 1024;
const MAX_DEPTH = 8;
const HEX_LEN: Record<string, number> = { sha256: 64, sha512: 128 };
const DIGEST_RE = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface ManifestReport {
  digest: string;
  mediaType: string;
  platform?: Platform;
  refName?: string;
  configDigest: string;
  layers: { digest: string; mediaType: string; diffId: string; size: number }[];
}

export interface LayoutReport {
  ok: boolean;
  problems: string[];
  /** Things the checker could not verify but that are not failures (e.g. zstd layers). */
  notes: string[];
  manifests: ManifestReport[];
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

const REF_NAME = 'org.opencontainers.image.ref.name';

class Checker {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  readonly manifests: ManifestReport[] = [];
  /** Blob paths (relative, posix) referenced by some descriptor. */
  readonly referenced = new Set<string>();
  /** digest -> whether it verified ok (so shared blobs are checked once). */
  private readonly verified = new Map<string, boolean>();
  private readonly visitedManifests = new Set<string>();

  constructor(readonly dir: string) {}

  problem(msg: string): void {
    this.problems.push(msg);
  }

  blobPath(digest: string): { rel: string; abs: string; alg: string; hex: string } | undefined {
    const m = DIGEST_RE.exec(digest);
    if (!m) return undefined;
    const [, alg, hex] = m;
    const rel = `blobs/${alg}/${hex}`;
    return { rel, abs: path.join(this.dir, 'blobs', alg!, hex!), alg: alg!, hex: hex! };
  }

  /** Validates the descriptor's shape; returns false if it cannot be followed. */
  checkDescriptor(d: unknown, where: string): d is Descriptor {
    if (!isObject(d)) {
      this.problem(`${where}: descriptor is not an object`);
      return false;
    }
    let ok = true;
    if (typeof d.mediaType !== 'string' || d.mediaType === '') {
      this.problem(`${where}: descriptor has no mediaType`);
      ok = false;
    }
    if (typeof d.digest !== 'string' || !DIGEST_RE.test(d.digest)) {
      this.problem(`${where}: invalid digest ${JSON.stringify(d.digest)}`);
      ok = false;
    } else {
      const [alg, hex] = d.digest.split(':') as [string, string];
      const len = HEX_LEN[alg];
      if (len === undefined) {
        this.problem(`${where}: unsupported digest algorithm ${alg}`);
        ok = false;
      } else if (hex.length !== len || !/^[0-9a-f]+$/.test(hex)) {
        this.problem(`${where}: digest ${d.digest} is not ${len} lowercase hex characters`);
        ok = false;
      }
    }
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
      this.problem(`${where}: invalid size ${JSON.stringify(d.size)}`);
      ok = false;
    }
    if (d.annotations !== undefined) {
      if (!isObject(d.annotations) || Object.values(d.annotations).some((v) => typeof v !== 'string')) {
        this.problem(`${where}: annotations must be a map of strings`);
      }
    }
    if (d.platform !== undefined) {
      if (!isObject(d.platform) || typeof d.platform.os !== 'string' || typeof d.platform.architecture !== 'string') {
        this.problem(`${where}: platform must have string os and architecture`);
      }
    }
    return ok;
  }

  /**
   * Streams the blob, checking existence, size and digest. Extra transforms can
   * observe the same bytes (used for layers so they are read only once).
   */
  async verifyBlob(d: Descriptor, where: string, consume?: (src: NodeJS.ReadableStream) => Promise<void>): Promise<boolean> {
    const cached = this.verified.get(d.digest);
    if (cached !== undefined && !consume) return cached;
    const bp = this.blobPath(d.digest)!;
    this.referenced.add(bp.rel);
    let st;
    try {
      st = await lstat(bp.abs);
    } catch {
      this.problem(`${where}: blob ${bp.rel} is missing`);
      this.verified.set(d.digest, false);
      return false;
    }
    if (!st.isFile()) {
      this.problem(`${where}: blob ${bp.rel} is not a regular file`);
      this.verified.set(d.digest, false);
      return false;
    }
    const hash = createHash(bp.alg);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const src = createReadStream(bp.abs);
    try {
      if (consume) {
        src.on('error', (e) => counter.destroy(e));
        try {
          await consume(src.pipe(counter));
        } catch (e) {
          // The consumer's own failure (bad gzip, bad tar) is reported by the
          // consumer; the stream was torn down early, so hash the blob again.
          src.destroy();
          await this.verifyBlob(d, where);
          throw e;
        }
      } else {
        await pipeline(src, counter, devNull());
      }
    } catch (e) {
      if (consume) throw e;
      this.problem(`${where}: reading blob ${bp.rel} failed: ${errMsg(e)}`);
      this.verified.set(d.digest, false);
      return false;
    }
    let ok = true;
    if (size !== d.size) {
      this.problem(`${where}: blob ${bp.rel} is ${size} bytes but the descriptor says ${d.size}`);
      ok = false;
    }
    const actual = `${bp.alg}:${hash.digest('hex')}`;
    if (actual !== d.digest) {
      this.problem(`${where}: blob ${bp.rel} content hashes to ${actual}, not ${d.digest}`);
      ok = false;
    }
    this.verified.set(d.digest, ok);
    return ok;
  }

  async readJsonBlob(d: Descriptor, where: string): Promise<Record<string, unknown> | undefined> {
    if (d.size > MAX_JSON_BLOB) {
      this.problem(`${where}: ${d.mediaType} blob is ${d.size} bytes, larger than the checker's ${MAX_JSON_BLOB} limit`);
      this.referenced.add(this.blobPath(d.digest)!.rel);
      return undefined;
    }
    if (!(await this.verifyBlob(d, where))) return undefined;
    const text = await readFile(this.blobPath(d.digest)!.abs, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      this.problem(`${where}: ${d.digest} is not valid JSON: ${errMsg(e)}`);
      return undefined;
    }
    if (!isObject(json)) {
      this.problem(`${where}: ${d.digest} is not a JSON object`);
      return undefined;
    }
    return json;
  }

  async walk(d: Descriptor, where: string, depth: number, refName: string | undefined): Promise<void> {
    if (depth > MAX_DEPTH) {
      this.problem(`${where}: index nesting deeper than ${MAX_DEPTH}`);
      return;
    }
    const ref = d.annotations?.[REF_NAME] ?? refName;
    if (INDEX_TYPES.has(d.mediaType)) {
      const json = await this.readJsonBlob(d, where);
      if (!json) return;
      this.checkOwnMediaType(json, d, where);
      await this.walkIndex(json, d.mediaType === MT.dockerList ? 'docker' : 'oci', `${where} -> index ${short(d.digest)}`, depth + 1, ref);
    } else if (MANIFEST_TYPES.has(d.mediaType)) {
      await this.checkManifest(d, where, ref);
    } else {
      this.problem(`${where}: unexpected mediaType ${d.mediaType} for an index entry (expected an image index or manifest)`);
      await this.verifyBlob(d, where);
    }
  }

  checkOwnMediaType(json: Record<string, unknown>, d: Descriptor, where: string): void {
    if (json.mediaType !== undefined && json.mediaType !== d.mediaType) {
      this.problem(`${where}: blob ${short(d.digest)} declares mediaType ${JSON.stringify(json.mediaType)} but its descriptor says ${d.mediaType}`);
    }
    if (d.mediaType.startsWith('application/vnd.docker.') && json.mediaType === undefined) {
      this.problem(`${where}: Docker ${d.mediaType} blob ${short(d.digest)} lacks its mediaType field`);
    }
  }

  async walkIndex(json: Record<string, unknown>, flavor: 'oci' | 'docker', where: string, depth: number, refName: string | undefined): Promise<void> {
    if (json.schemaVersion !== 2) this.problem(`${where}: schemaVersion must be 2, got ${JSON.stringify(json.schemaVersion)}`);
    if (flavor === 'oci' && json.mediaType !== undefined && json.mediaType !== MT.ociIndex) {
      this.problem(`${where}: mediaType must be ${MT.ociIndex}, got ${JSON.stringify(json.mediaType)}`);
    }
    if (!Array.isArray(json.manifests)) {
      this.problem(`${where}: manifests must be an array`);
      return;
    }
    for (const [i, d] of json.manifests.entries()) {
      const w = `${where} manifests[${i}]`;
      if (!this.checkDescriptor(d, w)) continue;
      await this.walk(d, w, depth, refName);
    }
  }

  async checkManifest(d: Descriptor, where: string, refName: string | undefined): Promise<void> {
    const w = `${where} -> manifest ${short(d.digest)}`;
    const json = await this.readJsonBlob(d, where);
    if (!json) return;
    this.checkOwnMediaType(json, d, w);
    if (this.visitedManifests.has(d.digest)) return; // layers already checked
    this.visitedManifests.add(d.digest);
    const docker = d.mediaType === MT.dockerManifest;
    if (json.schemaVersion !== 2) this.problem(`${w}: schemaVersion must be 2, got ${JSON.stringify(json.schemaVersion)}`);
    const cfgDesc = json.config;
    if (!this.checkDescriptor(cfgDesc, `${w} config`)) return;
    if (!CONFIG_TYPES.has(cfgDesc.mediaType)) {
      this.problem(`${w} config: mediaType ${cfgDesc.mediaType} is not an image config type`);
    } else if ((cfgDesc.mediaType === MT.dockerConfig) !== docker) {
      this.problem(`${w} config: mediaType ${cfgDesc.mediaType} mixes OCI and Docker types with manifest ${d.mediaType}`);
    }
    const config = await this.readJsonBlob(cfgDesc, `${w} config`);
    const diffIds = this.checkConfig(config, `${w} config ${short(cfgDesc.digest)}`, d.platform);

    const layers = json.layers;
    if (!Array.isArray(layers)) {
      this.problem(`${w}: layers must be an array`);
      return;
    }
    if (diffIds && diffIds.length !== layers.length) {
      this.problem(`${w}: manifest has ${layers.length} layers but config.rootfs.diff_ids has ${diffIds.length}`);
    }
    const report: ManifestReport = {
      digest: d.digest,
      mediaType: d.mediaType,
      ...(d.platform ? { platform: d.platform } : {}),
      ...(refName !== undefined ? { refName } : {}),
      configDigest: cfgDesc.digest,
      layers: [],
    };
    for (const [i, l] of layers.entries()) {
      const lw = `${w} layers[${i}]`;
      if (!this.checkDescriptor(l, lw)) continue;
      const expected = diffIds?.[i];
      const computed = await this.checkLayer(l, lw, expected);
      report.layers.push({ digest: l.digest, mediaType: l.mediaType, diffId: computed ?? expected ?? '', size: l.size });
    }
    this.manifests.push(report);
  }

  checkConfig(config: Record<string, unknown> | undefined, where: string, platform: Platform | undefined): string[] | undefined {
    if (!config) return undefined;
    if (typeof config.architecture !== 'string' || config.architecture === '') this.problem(`${where}: architecture missing`);
    if (typeof config.os !== 'string' || config.os === '') this.problem(`${where}: os missing`);
    if (platform && isObject(platform)) {
      if (platform.os !== config.os || platform.architecture !== config.architecture) {
        this.problem(`${where}: platform ${platform.os}/${platform.architecture} in the index does not match config ${String(config.os)}/${String(config.architecture)}`);
      }
    }
    const rootfs = config.rootfs;
    if (!isObject(rootfs)) {
      this.problem(`${where}: rootfs missing`);
      return undefined;
    }
    if (rootfs.type !== 'layers') this.problem(`${where}: rootfs.type must be "layers", got ${JSON.stringify(rootfs.type)}`);
    if (!Array.isArray(rootfs.diff_ids) || rootfs.diff_ids.some((x) => typeof x !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(x))) {
      this.problem(`${where}: rootfs.diff_ids must be an array of sha256 digests`);
      return undefined;
    }
    return rootfs.diff_ids as string[];
  }

  /** Verifies a layer blob; returns the computed diff_id if it could be computed. */
  async checkLayer(d: Descriptor, where: string, expectedDiffId: string | undefined): Promise<string | undefined> {
    const compression = LAYER_TYPES.get(d.mediaType);
    if (compression === undefined) {
      this.problem(`${where}: mediaType ${d.mediaType} is not a tar layer type`);
      await this.verifyBlob(d, where);
      return undefined;
    }
    if (compression === 'zstd') {
      this.notes.push(`${where}: ${d.mediaType} layer ${short(d.digest)}: zstd is unsupported by the checker; diff_id and tar entries not verified`);
      await this.verifyBlob(d, where);
      return undefined;
    }
    let diffId: string | undefined;
    const badEntries: string[] = [];
    let layerError: string | undefined;
    await this.verifyBlob(d, where, async (src) => {
      const decomp = compression === 'gzip' ? createGunzip() : new PassThrough();
      const diffHash = createHash('sha256');
      const extract = tar.extract();
      extract.on('entry', (header, stream, next) => {
        const bad = badPath(header.name);
        if (bad) badEntries.push(`${JSON.stringify(header.name)} (${bad})`);
        if (header.type === 'link' && header.linkname) {
          const badLink = badPath(header.linkname);
          if (badLink) badEntries.push(`hardlink ${JSON.stringify(header.name)} -> ${JSON.stringify(header.linkname)} (${badLink})`);
        }
        stream.on('end', () => next());
        stream.on('error', (e: Error) => next(e));
        stream.resume();
      });
      try {
        await pipeline(src, decomp, hashingTap(diffHash), extract as unknown as NodeJS.WritableStream);
        diffId = `sha256:${diffHash.digest('hex')}`;
      } catch (e) {
        layerError = errMsg(e);
        throw e;
      }
    }).catch(() => false); // findings are recorded in problems / layerError
    if (layerError !== undefined) {
      this.problem(`${where}: layer ${short(d.digest)} could not be ${compression === 'gzip' ? 'decompressed/' : ''}parsed as tar: ${layerError}`);
    }
    for (const b of badEntries) this.problem(`${where}: layer ${short(d.digest)} has unsafe tar entry ${b}`);
    if (diffId !== undefined && expectedDiffId !== undefined && diffId !== expectedDiffId) {
      this.problem(`${where}: layer ${short(d.digest)} uncompressed content hashes to ${diffId}, but config.rootfs.diff_ids says ${expectedDiffId}`);
    }
    return diffId;
  }

  /** Stray blobs and leftover/unexpected files anywhere in the layout. */
  async checkFiles(): Promise<void> {
    const top = await readdir(this.dir, { withFileTypes: true });
    for (const e of top) {
      if (e.name === 'oci-layout' || e.name === 'index.json') {
        if (!e.isFile()) this.problem(`${e.name} is not a regular file`);
        continue;
      }
      if (e.name === 'blobs' && e.isDirectory()) continue;
      this.problem(`unexpected ${kind(e)} ${e.name} in layout (leftover temp file?)`);
    }
    let algs;
    try {
      algs = await readdir(path.join(this.dir, 'blobs'), { withFileTypes: true });
    } catch {
      this.problem('blobs/ directory is missing');
      return;
    }
    for (const a of algs) {
      if (!a.isDirectory() || HEX_LEN[a.name] === undefined) {
        this.problem(`unexpected ${kind(a)} blobs/${a.name} in layout (leftover temp file?)`);
        continue;
      }
      const len = HEX_LEN[a.name]!;
      for (const b of await readdir(path.join(this.dir, 'blobs', a.name), { withFileTypes: true })) {
        const rel = `blobs/${a.name}/${b.name}`;
        if (!b.isFile() || b.name.length !== len || !/^[0-9a-f]+$/.test(b.name)) {
          this.problem(`unexpected ${kind(b)} ${rel} in layout (leftover temp file?)`);
        } else if (!this.referenced.has(rel)) {
          this.problem(`stray blob ${rel} is not referenced by any descriptor`);
        }
      }
    }
  }
}

function hashingTap(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
}

function devNull(): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });
}

/** Why a tar entry path is unsafe, or undefined when it is fine. */
function badPath(name: string): string | undefined {
  if (name.startsWith('/')) return 'absolute path';
  if (name.split('/').includes('..')) return "'..' component";
  return undefined;
}

function kind(e: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): string {
  return e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'entry';
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function short(digest: string): string {
  const i = digest.indexOf(':');
  return i >= 0 ? `${digest.slice(0, i + 13)}` : digest;
}

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function checkLayout(dir: string): Promise<LayoutReport> {
  const c = new Checker(dir);
  // oci-layout
  try {
    const layout = JSON.parse(await readFile(path.join(dir, 'oci-layout'), 'utf8'));
    if (!isObject(layout) || layout.imageLayoutVersion !== '1.0.0') {
      c.problem(`oci-layout: imageLayoutVersion must be "1.0.0", got ${JSON.stringify(isObject(layout) ? layout.imageLayoutVersion : layout)}`);
    }
  } catch (e) {
    c.problem(`oci-layout: missing or not JSON (${errMsg(e)})`);
  }
  // index.json
  let index: unknown;
  try {
    index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
  } catch (e) {
    c.problem(`index.json: missing or not JSON (${errMsg(e)})`);
  }
  if (index !== undefined) {
    if (!isObject(index)) c.problem('index.json: not a JSON object');
    else await c.walkIndex(index, 'oci', 'index.json', 0, undefined);
  }
  await c.checkFiles();
  return { ok: c.problems.length === 0, problems: c.problems, notes: c.notes, manifests: c.manifests };
}

export function assertLayoutOk(report: LayoutReport): void {
  if (report.ok && report.problems.length === 0) return;
  throw new Error(`OCI layout has ${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
}
