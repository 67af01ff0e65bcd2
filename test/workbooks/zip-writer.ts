import zlib from 'node:zlib';

/**
 * A minimal zip writer for tests that need zips no honest library writes: parts whose
 * directory states other sizes than their data, parts declared beyond 4 GB (zip64), many parts.
 * Data is deflated with node's zlib, so a bomb of tens of MB costs a fraction of a second.
 */
export interface ZipPart {
  name: string;
  /** The part's content; deflated unless `stored`. */
  content: Buffer;
  /** The uncompressed size the directory states (default: the real one). */
  declaredSize?: number;
  stored?: boolean;
}

const MAX_32 = 0xffffffff;

function zip64Extra(size: number): Buffer {
  const extra = Buffer.alloc(12);
  extra.writeUInt16LE(1, 0);
  extra.writeUInt16LE(8, 2);
  extra.writeBigUInt64LE(BigInt(size), 4);
  return extra;
}

export function writeZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const data = part.stored ? part.content : zlib.deflateRawSync(part.content);
    const size = part.declaredSize ?? part.content.length;
    const wide = size >= MAX_32;
    const extra = wide ? zip64Extra(size) : Buffer.alloc(0);
    const crc = zlib.crc32(part.content);
    const method = part.stored ? 0 : 8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(wide ? 45 : 20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(wide ? MAX_32 : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(wide ? 45 : 20, 4);
    central.writeUInt16LE(wide ? 45 : 20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(wide ? MAX_32 : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
