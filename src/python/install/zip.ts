import { closeSync, openSync, read as readCallback, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A small, strict zip reader for wheels (APPNOTE.TXT): the central directory is read once, members
 * are read from the file on demand (stored or deflated), their size and CRC-32 checked. Zip64
 * archives are read. Encrypted members, other compression methods, multi-disk archives, duplicate
 * names and members that overlap the central directory are refused.
 *
 * A wheel holds thousands of small modules: a ZipReader keeps one descriptor open and reads a small
 * member with one system call and one synchronous inflate (no stream, no thread-pool hop per member);
 * a large member is streamed in big chunks through an inflater on the thread pool, so memory does not
 * grow with member size.
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
/** Read size for a streamed member: large reads, few callbacks. */
const CHUNK = 1024 * 1024;
/** Members up to this size (both compressed and not) are read whole by ZipReader.readSmall. */
export const SMALL_MEMBER = 1024 * 1024;
/** Bytes read past a local header's name on a guess, so its extra field usually comes in the same read. */
const EXTRA_GUESS = 64;

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

  /** A reader of this archive's members through one descriptor (opened on first use); close it when done. */
  reader(): ZipReader {
    return new ZipReader(this, this.centralOffset);
  }

  /** The member's uncompressed bytes as a stream, failing when its size or CRC-32 differ from the directory. */
  stream(entry: ZipEntry): Readable {
    const reader = this.reader();
    const out = reader.stream(entry);
    out.once('close', () => reader.close());
    return out;
  }

  /** The member's bytes, whole; for small members (metadata), refusing ones larger than `limit`. */
  async read(entry: ZipEntry, limit = 16 * 1024 * 1024): Promise<Buffer> {
    if (entry.size > limit) throw new ZipFormatError(`${entry.name} is too large (${entry.size} bytes)`);
    const reader = this.reader();
    try {
      if (ZipReader.isSmall(entry)) return reader.readSmall(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of reader.stream(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } finally {
      reader.close();
    }
  }
}

/**
 * Reads members of one archive through one descriptor: small ones whole and synchronously, large ones
 * streamed. Not for concurrent streams of the same reader after close(): close once every stream ended.
 */
export class ZipReader {
  private fd: number | undefined;
  private closed = false;
  /** Reads on the thread pool not yet finished: the descriptor is closed after them, never under them. */
  private inFlight = 0;

  constructor(
    readonly zip: ZipFile,
    /** Member data must end before the central directory. */
    private readonly centralOffset: number,
  ) {}

  /** Whether readSmall takes this member: a file whose stored and inflated sizes are both small. */
  static isSmall(entry: ZipEntry): boolean {
    return !entry.directory && entry.size <= SMALL_MEMBER && entry.compressedSize <= SMALL_MEMBER;
  }

  /** A small member's bytes (see isSmall): one read, one inflate, its size and CRC-32 checked. */
  readSmall(entry: ZipEntry): Buffer {
    if (entry.directory) throw new ZipFormatError(`${entry.name} is a directory`);
    if (!ZipReader.isSmall(entry)) throw new ZipFormatError(`${entry.name} is too large to be read whole`);
    const fd = this.descriptor();
    const nameBytes = Buffer.from(entry.name, 'utf8');
    // The local header, the name, a guess at the extra field and the data, in one read.
    const want = Math.min(30 + nameBytes.length + EXTRA_GUESS + entry.compressedSize, this.centralOffset - entry.localHeaderOffset);
    let buffer = Buffer.allocUnsafe(Math.max(want, 30));
    let got = readFully(fd, buffer, 0, buffer.length, entry.localHeaderOffset);
    const dataStart = this.checkLocalHeader(entry, buffer.subarray(0, got), nameBytes);
    const dataEnd = dataStart + entry.compressedSize;
    if (entry.localHeaderOffset + dataEnd > this.centralOffset) throw new ZipFormatError(`${entry.name}: data runs into the central directory`);
    if (dataEnd > got) {
      // A longer extra field than guessed: read the rest.
      const whole = Buffer.allocUnsafe(dataEnd);
      buffer.copy(whole, 0, 0, got);
      got += readFully(fd, whole, got, dataEnd - got, entry.localHeaderOffset + got);
      buffer = whole;
    }
    const data = buffer.subarray(dataStart, dataEnd);
    let out: Buffer;
    if (entry.method === 0) out = data;
    else {
      try {
        // One byte more than stated is enough to tell "more data than its stated size". The output
        // buffer is sized to match: zlib's default of 16 KiB was mostly garbage for small members.
        out = zlib.inflateRawSync(data, { maxOutputLength: entry.size + 1, chunkSize: Math.max(64, entry.size + 1) });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ERR_BUFFER_TOO_LARGE') throw new ZipFormatError(`${entry.name}: more data than its stated size`);
        throw new ZipFormatError(`${entry.name}: ${e.message}`);
      }
    }
    if (out.length > entry.size) throw new ZipFormatError(`${entry.name}: more data than its stated size`);
    if (out.length !== entry.size) throw new ZipFormatError(`${entry.name}: ${out.length} bytes instead of ${entry.size}`);
    if (crc32(out) !== entry.crc32) throw new ZipFormatError(`${entry.name}: CRC-32 mismatch`);
    return out;
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
    else pipeline(raw, zlib.createInflateRaw({ chunkSize: 256 * 1024 }), check, failed);
    return check;
  }

  /** Closes the descriptor; a later read opens none and fails. */
  close(): void {
    this.closed = true;
    if (this.fd !== undefined && this.inFlight === 0) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private descriptor(): number {
    if (this.closed) throw new ZipFormatError(`${this.zip.path}: the reader is closed`);
    this.fd ??= openSync(this.zip.path, 'r');
    return this.fd;
  }

  /** Checks the local header at the start of `head` names the entry; returns where its data starts. */
  private checkLocalHeader(entry: ZipEntry, head: Buffer, nameBytes: Buffer): number {
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`${entry.name}: no local file header`);
    const nameLength = head.readUInt16LE(26);
    const extraLength = head.readUInt16LE(28);
    if (head.length < 30 + nameLength) throw new ZipFormatError('unexpected end of file');
    const name = head.subarray(30, 30 + nameLength);
    if (!name.equals(nameBytes)) throw new ZipFormatError(`${entry.name}: local header names ${name.toString('utf8')}`);
    return 30 + nameLength + extraLength;
  }

  private async *compressed(entry: ZipEntry): AsyncGenerator<Buffer> {
    const fd = this.descriptor();
    const nameBytes = Buffer.from(entry.name, 'utf8');
    const head = Buffer.alloc(Math.min(30 + nameBytes.length, this.centralOffset - entry.localHeaderOffset));
    this.inFlight++;
    try {
      await readExactly(fd, head, entry.localHeaderOffset);
    } finally {
      this.inFlight--;
      if (this.closed) this.close();
    }
    let position = entry.localHeaderOffset + this.checkLocalHeader(entry, head, nameBytes);
    const end = position + entry.compressedSize;
    if (end > this.centralOffset) throw new ZipFormatError(`${entry.name}: data runs into the central directory`);
    while (position < end) {
      if (this.closed) throw new ZipFormatError(`${this.zip.path}: the reader is closed`);
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - position));
      this.inFlight++;
      try {
        await readExactly(fd, buffer, position);
      } finally {
        this.inFlight--;
        if (this.closed) this.close();
      }
      position += buffer.length;
      yield buffer;
    }
  }
}

/** Fills buffer[offset, offset + length) from `position`; returns the bytes read (fewer only at the end of the file). */
function readFully(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Fills `buffer` from `position` on the thread pool, failing at the end of the file. */
async function readExactly(fd: number, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const n = await new Promise<number>((resolve, reject) => readCallback(fd, buffer, done, buffer.length - done, position + done, (err, bytes) => (err ? reject(err) : resolve(bytes))));
    if (n === 0) throw new ZipFormatError('unexpected end of file');
    done += n;
  }
}

async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<{ entries: ZipEntry[]; centralOffset: number }> {
  if (fileSize < 22) throw new ZipFormatError('not a zip file (too short)');
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await readExactly(fh.fd, tail, fileSize - tailLength);
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
    await readExactly(fh.fd, locator, eocdOffset - 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError('zip64 locator missing');
    const recordOffset = safeNumber(locator.readBigUInt64LE(8));
    if (recordOffset + 56 > eocdOffset - 20) throw new ZipFormatError('zip64 end of central directory out of range');
    const record = Buffer.alloc(56);
    await readExactly(fh.fd, record, recordOffset);
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
  await readExactly(fh.fd, cd, cdOffset);

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

/** One decoder for every name: a TextDecoder per member costs more than the rest of its directory entry. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Buffer, flags: number): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes.toString('latin1');
  if (!(flags & 0x800)) throw new ZipFormatError('a member name is neither ASCII nor marked UTF-8');
  try {
    return utf8.decode(bytes);
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
