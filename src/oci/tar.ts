/**
 * POSIX ustar headers, written directly into buffers. Layers used to be written through tar-stream,
 * whose per-entry writable stream costs more than the entry for the thousands of small files of an
 * application layer. These headers are the bytes tar-stream 3 writes for the same entries (the field
 * formats below, its prefix split, its pax records for names it cannot store), so every diff_id
 * computed before stays valid; test/unit/tar.test.ts compares the two byte for byte.
 *
 * Field formats (POSIX.1-2001 ustar): octal numbers zero-padded, ended by a space (and a NUL where the
 * field has room); a size beyond 11 octal digits in base-256; magic "ustar\0", version "00"; empty
 * user and group names.
 */

/** One member's header, as layers use them. */
export interface TarHeader {
  /** Member name; directories end with `/`. */
  name: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits; 0 means the default (0755 for directories, 0644 otherwise). */
  mode: number;
  uid: number;
  gid: number;
  /** Body size in bytes (0 for directories and symlinks). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
}

const BLOCK = 512;
const ZEROS = Buffer.alloc(2 * BLOCK);
/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE: Buffer = ZEROS;

const TYPEFLAG: Record<TarHeader['type'] | 'pax', number> = { file: 0x30, directory: 0x35, symlink: 0x32, pax: 0x78 };

/** The zero bytes that pad a body of `size` bytes to a whole block (none when it fills its last block). */
export function tarPadding(size: number): Buffer | undefined {
  const rest = size % BLOCK;
  return rest === 0 ? undefined : ZEROS.subarray(0, BLOCK - rest);
}

/**
 * Writes `value` in octal, `digits` wide and zero-padded, then a space, at b[off]; all sevens when it
 * does not fit. A negative value (a time tar-stream wrapped to 32 bits) is written as its text was:
 * zeros, a minus sign, the digits.
 */
function writeOctal(b: Buffer, off: number, value: number, digits: number): void {
  if (value < 0) {
    const text = value.toString(8);
    b.write(text.length > digits ? `${'7'.repeat(digits)} ` : `${'0'.repeat(digits - text.length)}${text} `, off, 'latin1');
    return;
  }
  b[off + digits] = 0x20;
  let v = value;
  for (let i = off + digits - 1; i >= off; i--) {
    b[i] = 0x30 + (v % 8);
    v = Math.floor(v / 8);
  }
  if (v > 0) b.fill(0x37, off, off + digits);
}

/** The seconds tar-stream wrote for an mtime: through a Date, truncated to a 32-bit integer. */
function tarSeconds(mtime: number): number {
  return (new Date(mtime * 1000).getTime() / 1000) | 0;
}

/**
 * The header block(s) of a member: one ustar block, or — for a name that is not ASCII or cannot be
 * split into prefix and name, or a link target over 100 bytes — a pax extended header (its block, its
 * records, padding) followed by the member's block. Pure.
 */
export function encodeTarHeader(h: TarHeader): Buffer {
  const b = Buffer.alloc(BLOCK);
  if (writeTarHeader(b, 0, h)) return b;
  const mode = h.mode || (h.type === 'directory' ? 0o755 : 0o644);
  const size = h.type === 'symlink' ? 0 : h.size;
  const secs = tarSeconds(h.mtime);
  // pax: the real name (and target) in records; the ustar blocks carry placeholders.
  let records = paxRecord('path', h.name);
  if (h.linkname) records += paxRecord('linkpath', h.linkname);
  const data = Buffer.from(records, 'utf8');
  const placeholderLink = h.linkname ? 'PaxHeader' : undefined;
  const parts: Buffer[] = [Buffer.alloc(BLOCK), data];
  writeBlock(parts[0]!, 0, 'PaxHeader', '', 'pax', mode, h.uid, h.gid, data.length, secs, placeholderLink);
  const pad = tarPadding(data.length);
  if (pad) parts.push(pad);
  const last = Buffer.alloc(BLOCK);
  writeBlock(last, 0, 'PaxHeader', '', h.type, mode, h.uid, h.gid, size, secs, placeholderLink);
  parts.push(last);
  return Buffer.concat(parts);
}

/**
 * Writes a member's ustar block into b[off, off + 512) (which must be zeros) and returns true, or
 * returns false, writing nothing, when the member needs a pax header (encodeTarHeader). Pure but for b.
 */
export function writeTarHeader(b: Buffer, off: number, h: TarHeader): boolean {
  const split = splitName(h.name);
  if (!split || (h.linkname !== undefined && Buffer.byteLength(h.linkname) > 100)) return false;
  const mode = h.mode || (h.type === 'directory' ? 0o755 : 0o644);
  writeBlock(b, off, split.name, split.prefix, h.type, mode, h.uid, h.gid, h.type === 'symlink' ? 0 : h.size, tarSeconds(h.mtime), h.linkname);
  return true;
}

/**
 * A name as ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes) fields hold it: leading path segments
 * move into the prefix until the rest fits. Undefined when it cannot (not ASCII, a segment too long).
 */
function splitName(full: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(full) !== full.length) return undefined;
  let name = full;
  let prefix = '';
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return undefined;
    prefix = prefix ? `${prefix}/${name.slice(0, slash)}` : name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  return prefix.length > 155 ? undefined : { name, prefix };
}

/** A pax record: `LENGTH key=value\n`, where LENGTH counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const len = Buffer.byteLength(body);
  let digits = String(len).length;
  if (len + digits >= 10 ** digits) digits++;
  return `${len + digits}${body}`;
}

const MAGIC = Buffer.from('ustar\x0000', 'latin1');

function writeBlock(b: Buffer, off: number, name: string, prefix: string, type: TarHeader['type'] | 'pax', mode: number, uid: number, gid: number, size: number, secs: number, linkname: string | undefined): void {
  b.write(name, off, 'utf8');
  writeOctal(b, off + 100, mode & 0o7777, 6);
  writeOctal(b, off + 108, uid, 6);
  writeOctal(b, off + 116, gid, 6);
  if (size > 0o77777777777) {
    // base-256: a set high bit, then the size big-endian in the field's other 11 bytes.
    b[off + 124] = 0x80;
    let n = size;
    for (let i = off + 135; i > off + 124; i--) {
      b[i] = n % 256;
      n = Math.floor(n / 256);
    }
  } else writeOctal(b, off + 124, size, 11);
  writeOctal(b, off + 136, secs, 11);
  b[off + 156] = TYPEFLAG[type];
  if (linkname) b.write(linkname, off + 157, 'utf8');
  MAGIC.copy(b, off + 257);
  writeOctal(b, off + 329, 0, 6);
  writeOctal(b, off + 337, 0, 6);
  if (prefix) b.write(prefix, off + 345, 'utf8');
  // The checksum: the sum of all bytes with its own field counted as spaces.
  let sum = 8 * 0x20;
  for (let i = off; i < off + 148; i++) sum += b[i]!;
  for (let i = off + 156; i < off + BLOCK; i++) sum += b[i]!;
  writeOctal(b, off + 148, sum, 6);
}

/**
 * Byte-wise (UTF-8) order of two strings, the order tar members and plan entries are sorted in,
 * without encoding them: UTF-8 orders as code points do, and UTF-16 code units order as code points
 * except where a surrogate meets U+E000–U+FFFF, which the first difference settles by code point.
 * Sorting thousands of paths this way allocates nothing. Pure.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return a.codePointAt(i)! - b.codePointAt(i)!;
  }
  return a.length - b.length;
}
