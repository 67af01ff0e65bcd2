import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { openDatabase } from './connection';
import { lockDataDir } from './lock';

/**
 * Backup and restore of the embedded database (PGlite): a backup is PGlite's own dump of the data
 * directory (a tar.gz), taken while holding the directory's lock; a restore checks the file,
 * unpacks it into a new directory, opens and reads it there, and only then swaps it in, so it
 * never half-applies. Both refuse while another process (the server) holds the database.
 */

export class BackupError extends Error {
  readonly code = 'BACKUP_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const BLOCK = 512;

/** Every member of a tar archive by name, or why it is not a whole, well-formed one. */
function tarMembers(tar: Buffer): Set<string> {
  const names = new Set<string>();
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return names; // end of archive
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const stored = parseInt(field(148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (stored !== sum) throw new Error(`damaged header at byte ${offset}`);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`bad size at byte ${offset}`);
    const prefix = field(345, 155);
    const name = field(0, 100);
    names.add((prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ''));
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (offset > tar.length) throw new Error('cut off');
  }
  throw new Error('cut off (no end of archive)');
}

/** The backup file's tar, checked to be a whole archive of a PostgreSQL data directory. */
export function readBackupFile(file: string): Buffer {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    throw new BackupError(`Kan inte läsa ${file}: ${(e as Error).message}`);
  }
  let tar: Buffer;
  try {
    tar = data[0] === 0x1f && data[1] === 0x8b ? zlib.gunzipSync(data) : data;
  } catch (e) {
    throw new BackupError(`${file} är ingen hel säkerhetskopia (gzip: ${(e as Error).message}).`);
  }
  let members: Set<string>;
  try {
    members = tarMembers(tar);
  } catch (e) {
    throw new BackupError(`${file} är ingen hel säkerhetskopia (tar: ${(e as Error).message}).`);
  }
  for (const needed of ['PG_VERSION', 'global/pg_control']) {
    if (!members.has(needed)) throw new BackupError(`${file} är ingen säkerhetskopia av en Tertial-databas (${needed} saknas).`);
  }
  return tar;
}

/** Writes `data` to `file` whole or not at all (temp file, fsync, rename). */
function writeWhole(file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export interface BackupSummary {
  file: string;
  bytes: number;
}

/** `npm run backup -- FILE`: the embedded database in `dataDir` (…/pglite) to a tar.gz. */
export async function backupEmbeddedDatabase(dataDir: string, file: string): Promise<BackupSummary> {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw new BackupError(`Det finns ingen databas i ${dataDir} att säkerhetskopiera.`);
  const lock = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create({ dataDir });
    let dump: Blob;
    try {
      dump = await pglite.dumpDataDir('gzip');
    } finally {
      await pglite.close();
    }
    const data = Buffer.from(await dump.arrayBuffer());
    writeWhole(file, data);
    readBackupFile(file); // what was written can be restored
    return { file: path.resolve(file), bytes: data.length };
  } finally {
    lock.release();
  }
}

export interface RestoreSummary {
  file: string;
  /** Where the database that was replaced was kept (delete it when satisfied). */
  previous: string | undefined;
}

/**
 * `npm run restore -- FILE`: replaces the embedded database in `dataDir` by a backup. The backup
 * is unpacked and read in a directory beside it first; a file that does not open as a Tertial
 * database leaves the existing one untouched. The replaced database is kept beside it.
 */
export async function restoreEmbeddedDatabase(dataDir: string, file: string): Promise<RestoreSummary> {
  const lock = lockDataDir(dataDir);
  const staging = `${dataDir}.restoring-${process.pid}`;
  try {
    const tar = readBackupFile(file);
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      const restored = await openDatabase({ kind: 'pglite', dataDir: staging, loadDataDir: new Blob([new Uint8Array(tar)]) });
      try {
        const { rows } = await sql<{
          table: string;
        }>`select table_name as "table" from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(restored.db);
        if (!rows.some((r) => r.table === 'kysely_migration')) throw new Error('no migrations table');
        // Reading every table reads every page: damaged data shows up here, not after the swap.
        for (const { table } of rows) await sql`select count(*) from ${sql.table(table)}`.execute(restored.db);
      } finally {
        await restored.close();
      }
    } catch (e) {
      throw new BackupError(`${file} går inte att öppna som en Tertial-databas (${(e as Error).message}).`);
    }
    let previous: string | undefined;
    if (fs.existsSync(dataDir)) {
      previous = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(dataDir, previous);
    }
    try {
      fs.renameSync(staging, dataDir);
    } catch (e) {
      if (previous) fs.renameSync(previous, dataDir);
      throw e;
    }
    return { file: path.resolve(file), previous };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
