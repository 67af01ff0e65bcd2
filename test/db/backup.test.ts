import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BackupError, backupEmbeddedDatabase, restoreEmbeddedDatabase } from '../../api/db/backup';
import { openDatabase } from '../../api/db/connection';
import { DatabaseLockedError } from '../../api/db/lock';

/** Backup and restore of the embedded database (npm run backup / restore). */

const root = path.join(__dirname, '../..');
const ORG = 'sdn-farsta';

async function withDatabase<T>(dir: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

const setName = (dir: string, name: string) => withDatabase(dir, (db) => db.updateTable('organisation').set({ name }).where('code', '=', ORG).execute());
const nameOf = (dir: string) => withDatabase(dir, async (db) => (await db.selectFrom('organisation').select('name').where('code', '=', ORG).executeTakeFirstOrThrow()).name);

/** A tar member: 512-byte header (checksummed) and its data padded to 512. */
function tarMember(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  const sum = header.reduce((a, b) => a + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

describe('backup and restore of the embedded database', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-backup-'));
  const dataDir = path.join(work, 'data');
  const dir = path.join(dataDir, 'pglite');
  const backup = path.join(work, 'backup.tar.gz');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    const template = new Blob([fs.readFileSync(process.env.TERTIAL_TEST_TEMPLATE!)]);
    await (await openDatabase({ kind: 'pglite', dataDir: dir, loadDataDir: template })).close();
  });

  test('round trip: what was written before the backup is back; what was written after it is gone', async () => {
    await setName(dir, 'Före säkerhetskopian');
    const summary = await backupEmbeddedDatabase(dir, backup);
    expect(summary.bytes).toBeGreaterThan(1000);
    expect(fs.readFileSync(backup).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await setName(dir, 'Efter säkerhetskopian');

    const restored = await restoreEmbeddedDatabase(dir, backup);
    expect(await nameOf(dir)).toBe('Före säkerhetskopian');
    // The replaced database is kept beside it, whole.
    expect(restored.previous).toBeDefined();
    expect(await nameOf(restored.previous!)).toBe('Efter säkerhetskopian');
    fs.rmSync(restored.previous!, { recursive: true, force: true });
    expect(fs.readdirSync(dataDir).sort()).toEqual(['pglite']);
  });

  test('both refuse while another opener (the server) holds the database', async () => {
    const holder = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await expect(backupEmbeddedDatabase(dir, path.join(work, 'refused.tar.gz'))).rejects.toThrow(DatabaseLockedError);
      await expect(restoreEmbeddedDatabase(dir, backup)).rejects.toThrow(DatabaseLockedError);
      expect(fs.existsSync(path.join(work, 'refused.tar.gz'))).toBe(false);
    } finally {
      await holder.close();
    }
  });

  test('a bad backup file leaves the existing database as it was', async () => {
    await setName(dir, 'Orörd');
    const good = fs.readFileSync(backup);
    const tar = zlib.gunzipSync(good);
    const bad: Record<string, Buffer> = {
      'not a backup': Buffer.from('inte en säkerhetskopia'),
      'gzip cut off': good.subarray(0, Math.floor(good.length / 2)),
      'tar cut off': zlib.gzipSync(tar.subarray(0, Math.floor(tar.length / 2))),
      'tar with a damaged header': zlib.gzipSync(Buffer.concat([Buffer.from('x'), tar.subarray(1)])),
      'some other tar': zlib.gzipSync(Buffer.concat([tarMember('hello.txt', Buffer.from('hej')), Buffer.alloc(1024)])),
      // Well-formed and with the right names, but not a database: fails when opened, before the swap.
      'a data directory of garbage': zlib.gzipSync(
        Buffer.concat([tarMember('PG_VERSION', Buffer.from('17\n')), tarMember('global/pg_control', Buffer.alloc(8192, 7)), Buffer.alloc(1024)]),
      ),
    };
    for (const [what, data] of Object.entries(bad)) {
      const file = path.join(work, 'bad.tar.gz');
      fs.writeFileSync(file, data);
      await expect(restoreEmbeddedDatabase(dir, file).then(() => `${what}: restored`)).rejects.toThrow(BackupError);
      expect(await nameOf(dir)).toBe('Orörd');
      expect(fs.readdirSync(dataDir).sort()).toEqual(['pglite']);
    }
  });

  test('npm run backup and npm run restore (the scripts), and a refused restore says so in Swedish', async () => {
    const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', TERTIAL_DATA_DIR: dataDir };
    const tsx = (script: string, file: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', script, file], { cwd: root, env }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    await setName(dir, 'Via skripten');
    const file = path.join(work, 'cli.tar.gz');
    expect(await tsx('scripts/backup.ts', file)).toMatchObject({ code: 0 });
    await setName(dir, 'Senare');
    const restored = await tsx('scripts/restore.ts', file);
    expect(restored).toMatchObject({ code: 0 });
    expect(await nameOf(dir)).toBe('Via skripten');
    expect(restored.stderr).toContain('Den tidigare databasen finns kvar');

    fs.writeFileSync(path.join(work, 'junk.tar.gz'), 'skräp');
    const refused = await tsx('scripts/restore.ts', path.join(work, 'junk.tar.gz'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Inget återställdes');
    expect(await nameOf(dir)).toBe('Via skripten');
  }, 180_000);
});
