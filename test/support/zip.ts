// A small zip writer for test fixtures (APPNOTE 4.3: local headers and data, central directory, end
// record), UTF-8 names, unix modes, 1980-01-01 timestamps: wheels and archives built in memory.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/python/install/zip.js';

export interface ZipMember {
  name: string;
  data: Buffer | string;
  /** Unix permission bits of the regular file; default 0644. */
  mode?: number;
  /** Stored instead of deflated. */
  stored?: boolean;
}

/** The fields a local header (at 4) and a central directory header (at 6) share, in the same order. */
function writeSharedFields(header: Buffer, at: number, f: { method: number; crc: number; compressed: number; size: number; nameLength: number }): void {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(0, at + 6); // 00:00
  header.writeUInt16LE((1 << 5) | 1, at + 8); // 1980-01-01
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressed, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}

/** The zip of `members`, in their order. */
export function zipBytes(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const data = Buffer.from(m.data);
    const body = m.stored ? data : deflateRawSync(data);
    const name = Buffer.from(m.name, 'utf8');
    const fields = { method: m.stored ? 0 : 8, crc: crc32(data), compressed: body.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, fields);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, 2.0 — so the mode is read
    writeSharedFields(header, 6, fields);
    header.writeUInt32LE(((0o100000 | (m.mode ?? 0o644)) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
