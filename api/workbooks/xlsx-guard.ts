import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ApiError } from '../errors';

/**
 * An uploaded xlsx is a zip, and exceljs unpacks every part of it in full, in memory, before
 * anything else looks at it: a few MB can unpack to gigabytes and end the process. So the zip's
 * central directory is read first, by hand (entry count, declared sizes, compression ratio),
 * and every part is then inflated once with its declared size as a hard cap, so that a
 * directory that lies is caught too. Only a workbook that passes is handed to exceljs.
 *
 * A report workbook of 20,000 indicator rows unpacks to some 21 MB (sheet 12 MB, identity 4 MB,
 * shared strings 5 MB, packed at most 40 to 1); the limits leave room for long comments.
 */
export const XLSX_LIMITS = {
  /** Parts in the zip (a workbook from Excel has 10–30). */
  entries: 500,
  /** Unpacked bytes of all parts together. */
  uncompressedBytes: 64 * 1024 * 1024,
  /** A part this large (unpacked) may not be packed more tightly than `ratio` to 1. */
  ratioFrom: 1024 * 1024,
  ratio: 200,
} as const;

export const NOT_AN_XLSX_MESSAGE = 'Filen kunde inte läsas som en xlsx-arbetsbok. Spara den i Excel som "Excel-arbetsbok (*.xlsx)" och försök igen.';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const notAnXlsx = () => new ApiError('MALFORMED', NOT_AN_XLSX_MESSAGE);
const megabytes = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
const inflateRaw = promisify(zlib.inflateRaw) as (buffer: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

function endOfCentralDirectory(zip: Buffer): number {
  const last = zip.length - EOCD_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_16; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw notAnXlsx();
}

/** Zip64 sizes of one entry: the extra field (id 1) holds, in order, each value whose 32-bit field is all ones. */
function zip64Values(extra: Buffer, wanted: number): number[] {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 1) {
      if (size < wanted * 8 || at + 4 + size > extra.length) throw notAnXlsx();
      return Array.from({ length: wanted }, (_, i) => Number(extra.readBigUInt64LE(at + 4 + i * 8)));
    }
    at += 4 + size;
  }
  throw notAnXlsx();
}

/** The central directory's entries; anything a plain zip from Excel would not have is refused. */
export function readZipDirectory(zip: Buffer): ZipEntry[] {
  if (zip.length < EOCD_SIZE) throw notAnXlsx();
  const end = endOfCentralDirectory(zip);
  const disk = zip.readUInt16LE(end + 4);
  const centralDisk = zip.readUInt16LE(end + 6);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === MAX_16 || size === MAX_32 || offset === MAX_32) {
    // A zip64 directory: more than 65,535 parts or a directory beyond 4 GB; no workbook of ours.
    throw tooLarge(`Arbetsboken består av för många delar (högst ${XLSX_LIMITS.entries}).`);
  }
  // One disk, and the directory exactly where it says (no bytes before the zip, none between).
  if (disk !== 0 || centralDisk !== 0 || offset + size !== end) throw notAnXlsx();
  if (count > XLSX_LIMITS.entries) {
    throw tooLarge(`Arbetsboken består av för många delar (${count}; högst ${XLSX_LIMITS.entries}).`);
  }

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) throw notAnXlsx();
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    let compressedSize = zip.readUInt32LE(at + 20);
    let uncompressedSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let localHeaderOffset = zip.readUInt32LE(at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw notAnXlsx();
    if (flags & 1 || (method !== STORED && method !== DEFLATED)) throw notAnXlsx(); // encrypted, or a method JSZip cannot read
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const wide = [uncompressedSize, compressedSize, localHeaderOffset].filter((v) => v === MAX_32).length;
    if (wide > 0) {
      const values = zip64Values(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), wide);
      if (uncompressedSize === MAX_32) uncompressedSize = values.shift()!;
      if (compressedSize === MAX_32) compressedSize = values.shift()!;
      if (localHeaderOffset === MAX_32) localHeaderOffset = values.shift()!;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at = next;
  }
  if (at !== end) throw notAnXlsx();
  return entries;
}

function tooLarge(problem: string): ApiError {
  return new ApiError('TOO_LARGE', `${problem} Ta bort inklistrade bilder och extra blad, spara arbetsboken i Excel och försök igen.`);
}

/** The declared sizes: few enough parts, small enough unpacked, not packed like a bomb. */
function checkDeclaredSizes(entries: readonly ZipEntry[]): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (total > XLSX_LIMITS.uncompressedBytes) {
      throw tooLarge(`Arbetsboken blir för stor när den packas upp (över ${megabytes(XLSX_LIMITS.uncompressedBytes)} MB).`);
    }
    if (e.uncompressedSize >= XLSX_LIMITS.ratioFrom && e.uncompressedSize > XLSX_LIMITS.ratio * Math.max(e.compressedSize, 1)) {
      throw tooLarge(`Delen ${e.name} i arbetsboken är packad mer än ${XLSX_LIMITS.ratio} gånger, vilket ingen vanlig arbetsbok är.`);
    }
  }
}

/** Every part inflated once, capped at its declared size: a directory that understates a part is caught here. */
async function checkActualSizes(zip: Buffer, entries: readonly ZipEntry[]): Promise<void> {
  for (const e of entries) {
    const local = e.localHeaderOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw notAnXlsx();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + e.compressedSize);
    if (data.length !== e.compressedSize) throw notAnXlsx();
    if (e.method === STORED) {
      if (e.compressedSize !== e.uncompressedSize) throw notAnXlsx();
      continue;
    }
    try {
      await inflateRaw(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(`Delen ${e.name} i arbetsboken packas upp till mer än den uppger.`);
      }
      throw notAnXlsx();
    }
  }
}

/**
 * Refuses an upload that is no plain zip (400 MALFORMED) or that would unpack to too much
 * (413 TOO_LARGE), before exceljs sees it.
 */
export async function assertSafeXlsx(zip: Buffer): Promise<void> {
  const entries = readZipDirectory(zip);
  checkDeclaredSizes(entries);
  await checkActualSizes(zip, entries);
}
