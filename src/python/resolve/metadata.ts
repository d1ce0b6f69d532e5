/**
 * A distribution's core metadata (`Requires-Dist`, `Requires-Python`) without downloading the whole
 * wheel when the index allows: the PEP 658 `.metadata` file, else the wheel's `*.dist-info/METADATA`
 * read with HTTP range requests (the zip's end record, its central directory, then that one member),
 * else the wheel itself (the caller downloads it, verified, into the cache). Range reading gives up
 * (returns undefined) on anything unusual — no 206, zip64, a server that ignores Range — and the caller
 * falls back to the download; it never guesses.
 */
import { inflateRawSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ConfigError } from '../../errors.js';
import { requestUrl } from '../../registry/http.js';
import { unreachable } from '../index/download.js';
import { ZipFile } from '../install/zip.js';
import { normalizeName } from '../tags.js';
import type { CandidateMetadata } from './types.js';

export interface CoreMetadata extends CandidateMetadata {
  name?: string;
  version?: string;
}

/** Parses core metadata (RFC 822 style headers; the body after the first blank line is ignored). */
export function parseCoreMetadata(text: string): CoreMetadata {
  const out: CoreMetadata = { requiresDist: [] };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let current: { key: string; value: string } | undefined;
  const flush = () => {
    if (!current) return;
    const key = current.key.toLowerCase();
    const value = current.value.trim();
    if (key === 'requires-dist' && value !== '') out.requiresDist.push(value);
    else if (key === 'requires-python' && value !== '') out.requiresPython = value;
    else if (key === 'name') out.name = value;
    else if (key === 'version') out.version = value;
    current = undefined;
  };
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon > 0) current = { key: line.slice(0, colon).trim(), value: line.slice(colon + 1) };
  }
  flush();
  return out;
}

/** Whether `name` is the top-level `<name>-<version>.dist-info/METADATA` of the wheel for `project`. */
function isMetadataMember(member: string, project: string): boolean {
  const m = /^([^/]+)-[^/-]+\.dist-info\/METADATA$/.exec(member);
  return m !== null && normalizeName(m[1]!) === normalizeName(project);
}

/** The METADATA of a wheel on disk. */
export async function readWheelMetadata(file: string, project: string, filename: string): Promise<CoreMetadata> {
  let zip: ZipFile;
  try {
    zip = await ZipFile.open(file);
  } catch (err) {
    throw new ConfigError('E_WHEEL', `${filename}: not a readable wheel: ${(err as Error).message}`);
  }
  const entry = zip.entries.find((e) => isMetadataMember(e.name, project));
  if (!entry) throw new ConfigError('E_WHEEL', `${filename}: no .dist-info/METADATA for ${project}`);
  return parseCoreMetadata((await zip.read(entry, 4 * 1024 * 1024)).toString('utf8'));
}

/** How the range reader fetches bytes: [start, end] inclusive, or a suffix of `suffix` bytes. */
export type RangeFetch = (range: { start: number; end: number } | { suffix: number }) => Promise<{ data: Buffer; total: number } | undefined>;

/** A GET while reading wheel metadata, with our user-agent and the index's authorization; a network failure is a NetworkError. */
export async function getForMetadata(url: string, authorization: string | undefined, headers: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
  try {
    return await requestUrl(url, { method: 'GET', headers: { ...headers, 'user-agent': 'pycontainer', ...(authorization ? { authorization } : {}) } });
  } catch (err) {
    throw unreachable(url, 'reading wheel metadata', err);
  }
}

/** An HTTP range fetch of `url` (undefined when the server does not answer 206). */
export function httpRangeFetch(url: string, authorization: string | undefined): RangeFetch {
  return async (range) => {
    const header = 'suffix' in range ? `bytes=-${range.suffix}` : `bytes=${range.start}-${range.end}`;
    const res = await getForMetadata(url, authorization, { range: header, 'accept-encoding': 'identity' });
    if (res.statusCode !== 206) {
      // A full body (200), a redirect or an error: not read here; the download path handles the file.
      await res.body.dump({ limit: 0 }).catch(() => undefined);
      return undefined;
    }
    const m = /bytes\s+(\d+)-(\d+)\/(\d+)/.exec(String(res.headers['content-range'] ?? ''));
    const data = Buffer.from(await res.body.arrayBuffer());
    if (!m) return undefined;
    return { data, total: Number(m[3]) };
  };
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The wheel's METADATA through ranges: at most three requests (the last 64 KiB, which usually hold
 * the whole central directory; the directory if not; the member). Undefined when ranges do not work.
 */
export async function readMetadataByRange(fetch: RangeFetch, project: string): Promise<CoreMetadata | undefined> {
  const tail = await fetch({ suffix: 64 * 1024 });
  if (!tail) return undefined;
  const { data, total } = tail;
  const tailStart = total - data.length;
  let eocd = -1;
  for (let i = data.length - 22; i >= 0; i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return undefined; // zip64: download instead
  let cd: Buffer;
  if (cdOffset >= tailStart) cd = data.subarray(cdOffset - tailStart, cdOffset - tailStart + cdSize);
  else {
    const got = await fetch({ start: cdOffset, end: cdOffset + cdSize - 1 });
    if (!got || got.data.length !== cdSize) return undefined;
    cd = got.data;
  }
  let p = 0;
  for (let i = 0; i < count && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== CENTRAL) return undefined;
    const method = cd.readUInt16LE(p + 10);
    const compressedSize = cd.readUInt32LE(p + 20);
    const size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const localOffset = cd.readUInt32LE(p + 42);
    const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (!isMetadataMember(name, project)) continue;
    if ((method !== 0 && method !== 8) || size > 4 * 1024 * 1024) return undefined;
    // The local header's own name and extra lengths may differ from the directory's: read generously.
    const end = Math.min(localOffset + 30 + nameLength + 1024 + compressedSize, total) - 1;
    const local = localOffset >= tailStart && end < total ? { data: data.subarray(localOffset - tailStart), total } : await fetch({ start: localOffset, end });
    if (!local || local.data.length < 30 || local.data.readUInt32LE(0) !== LOCAL) return undefined;
    const start = 30 + local.data.readUInt16LE(26) + local.data.readUInt16LE(28);
    if (start + compressedSize > local.data.length) return undefined;
    const raw = local.data.subarray(start, start + compressedSize);
    const bytes = method === 0 ? raw : inflateRawSync(raw);
    if (bytes.length !== size) return undefined;
    return parseCoreMetadata(bytes.toString('utf8'));
  }
  return undefined;
}
