import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A small, strict zip reader for wheels (APPNOTE.TXT): the central directory is read once, members
 * are streamed from the file on demand (stored or deflated), their size and CRC-32 checked as they
 * flow. Zip64 archives are read. Encrypted members, other compression methods, multi-disk archives,
 * duplicate names and members that overlap the central directory are refused.
 */
export interface ZipEntry {
  /** The member's name as stored (forward slashes). */
  name: string;
  /** Whether the name ends with '/': a directory entry. */
  directory: boolean;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  versionMadeBy: number;
  externalAttributes: number;
}

/** Thrown for an archive that is not a valid zip or uses what we do not read; callers add the file name. */
export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const CHUNK = 64 * 1024;

export class ZipFile {
  private constructor(
    readonly path: string,
    readonly fileSize: number,
    readonly entries: ZipEntry[],
    /** Where the central directory starts: member data must end before it. */
    private readonly centralOffset: number,
  ) {}

  /** Reads the central directory of the zip at `path`. */
  static async open(path: string): Promise<ZipFile> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const { entries, centralOffset } = await readCentralDirectory(fh, size);
      return new ZipFile(path, size, entries, centralOffset);
    } finally {
      await fh.close();
    }
  }

  /** Unix permission bits of a member, when the archive was written on a unix host. */
  static unixMode(entry: ZipEntry): number | undefined {
    const host = entry.versionMadeBy >> 8;
    if (host !== 3 && host !== 19) return undefined; // 3 = unix, 19 = OS X
    const mode = entry.externalAttributes >>> 16;
    return mode === 0 ? undefined : mode & 0o7777;
  }

  /** The member's uncompressed bytes as a stream, failing when its size or CRC-32 differ from the directory. */
  stream(entry: ZipEntry): Readable {
    if (entry.directory) throw new ZipFormatError(`${entry.name} is a directory`);
    const raw = Readable.from(this.compressed(entry), { objectMode: false });
    const check = new CheckedOutput(entry);
    const failed = (err: Error | null) => {
      if (err) check.destroy(err);
    };
    if (entry.method === 0) pipeline(raw, check, failed);
    else pipeline(raw, zlib.createInflateRaw(), check, failed);
    return check;
  }

  /** The member's bytes, whole; for small members (metadata), refusing ones larger than `limit`. */
  async read(entry: ZipEntry, limit = 16 * 1024 * 1024): Promise<Buffer> {
    if (entry.size > limit) throw new ZipFormatError(`${entry.name} is too large (${entry.size} bytes)`);
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private async *compressed(entry: ZipEntry): AsyncGenerator<Buffer> {
    const fh = await open(this.path, 'r');
    try {
      const header = Buffer.alloc(30);
      await readExactly(fh, header, entry.localHeaderOffset);
      if (header.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`${entry.name}: no local file header`);
      const nameLength = header.readUInt16LE(26);
      const extraLength = header.readUInt16LE(28);
      const name = Buffer.alloc(nameLength);
      await readExactly(fh, name, entry.localHeaderOffset + 30);
      if (name.toString('utf8') !== entry.name) throw new ZipFormatError(`${entry.name}: local header names ${name.toString('utf8')}`);
      let position = entry.localHeaderOffset + 30 + nameLength + extraLength;
      const end = position + entry.compressedSize;
      if (end > this.centralOffset) throw new ZipFormatError(`${entry.name}: data runs into the central directory`);
      while (position < end) {
        const buffer = Buffer.alloc(Math.min(CHUNK, end - position));
        await readExactly(fh, buffer, position);
        position += buffer.length;
        yield buffer;
      }
    } finally {
      await fh.close();
    }
  }
}

async function readExactly(fh: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await fh.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new ZipFormatError('unexpected end of file');
    done += bytesRead;
  }
}

async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<{ entries: ZipEntry[]; centralOffset: number }> {
  if (fileSize < 22) throw new ZipFormatError('not a zip file (too short)');
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await readExactly(fh, tail, fileSize - tailLength);
  let eocd = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tailLength) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip file (no end of central directory record)');
  const eocdOffset = fileSize - tailLength + eocd;
  let disk = tail.readUInt16LE(eocd + 4);
  let cdDisk = tail.readUInt16LE(eocd + 6);
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEnd = eocdOffset;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    if (eocdOffset < 20) throw new ZipFormatError('zip64 locator missing');
    const locator = Buffer.alloc(20);
    await readExactly(fh, locator, eocdOffset - 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError('zip64 locator missing');
    const recordOffset = safeNumber(locator.readBigUInt64LE(8));
    if (recordOffset + 56 > eocdOffset - 20) throw new ZipFormatError('zip64 end of central directory out of range');
    const record = Buffer.alloc(56);
    await readExactly(fh, record, recordOffset);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('zip64 end of central directory missing');
    disk = record.readUInt32LE(16);
    cdDisk = record.readUInt32LE(20);
    count = safeNumber(record.readBigUInt64LE(32));
    cdSize = safeNumber(record.readBigUInt64LE(40));
    cdOffset = safeNumber(record.readBigUInt64LE(48));
    cdEnd = recordOffset;
  }
  if (disk !== 0 || cdDisk !== 0) throw new ZipFormatError('multi-disk archives are not supported');
  if (cdOffset + cdSize > cdEnd) throw new ZipFormatError('central directory out of range');
  const cd = Buffer.alloc(cdSize);
  await readExactly(fh, cd, cdOffset);

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('corrupt central directory');
    const versionMadeBy = cd.readUInt16LE(p + 4);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc32 = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let diskStart = cd.readUInt16LE(p + 34);
    const externalAttributes = cd.readUInt32LE(p + 38);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cd.length) throw new ZipFormatError('corrupt central directory');
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const name = decodeName(nameBytes, flags);
    // Zip64 extended information: the fields whose 32/16-bit value is saturated, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (e + 4 + len > extraEnd) throw new ZipFormatError(`${name}: corrupt extra field`);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len) throw new ZipFormatError(`${name}: corrupt zip64 extra field`);
          const v = safeNumber(cd.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
        if (diskStart === 0xffff) {
          if (q + 4 > e + 4 + len) throw new ZipFormatError(`${name}: corrupt zip64 extra field`);
          diskStart = cd.readUInt32LE(q);
        }
      }
      e += 4 + len;
    }
    if (diskStart !== 0) throw new ZipFormatError('multi-disk archives are not supported');
    if (flags & 0x1) throw new ZipFormatError(`${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new ZipFormatError(`${name} uses compression method ${method} (only stored and deflate are read)`);
    if (method === 0 && compressedSize !== size) throw new ZipFormatError(`${name}: stored member with differing sizes`);
    if (localHeaderOffset + 30 + compressedSize > cdOffset) throw new ZipFormatError(`${name}: data runs into the central directory`);
    if (names.has(name)) throw new ZipFormatError(`${name} appears twice`);
    names.add(name);
    entries.push({
      name,
      directory: name.endsWith('/'),
      method,
      flags,
      crc32,
      compressedSize,
      size,
      localHeaderOffset,
      versionMadeBy,
      externalAttributes,
    });
    p = next;
  }
  return { entries, centralOffset: cdOffset };
}

function decodeName(bytes: Buffer, flags: number): string {
  const ascii = bytes.every((b) => b < 0x80);
  if (!ascii && !(flags & 0x800)) throw new ZipFormatError('a member name is neither ASCII nor marked UTF-8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZipFormatError('a member name is not valid UTF-8');
  }
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('zip64 value out of range');
  return Number(v);
}

/** Passes a member's bytes through, failing on more or fewer bytes than stated or a CRC-32 mismatch. */
class CheckedOutput extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.size) return done(new ZipFormatError(`${this.entry.name}: more data than its stated size`));
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.entry.size) return done(new ZipFormatError(`${this.entry.name}: ${this.bytes} bytes instead of ${this.entry.size}`));
    if (this.crc !== this.entry.crc32) return done(new ZipFormatError(`${this.entry.name}: CRC-32 mismatch`));
    done();
  }
}

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as zip uses), continuing from `value`. */
export function crc32(data: Uint8Array, value = 0): number {
  if (nativeCrc32) return nativeCrc32(data, value);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
