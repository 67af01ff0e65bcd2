import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../../api/config';
import { openDatabase } from '../../api/db/connection';
import { DatabaseLockedError, lockFileOf } from '../../api/db/lock';
import { startServer } from '../../api/server';

/**
 * PGlite has one opener per data directory: a second process's writes are lost (issue 10). Every
 * opener of an embedded database holds `<dir>.lock`; a second one is refused at once.
 */

const root = path.join(__dirname, '../..');
const run = promisify(execFile);

/** A data dir holding a migrated database with the demo data (copied from the run's template: no initdb). */
async function preparedDataDir(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-lock-'));
  const template = new Blob([fs.readFileSync(process.env.TERTIAL_TEST_TEMPLATE!)]);
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite'), loadDataDir: template });
  await database.close();
  return dataDir;
}

async function organisationCount(dir: string): Promise<number> {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    return Number((await sql<{ n: string }>`select count(*) as n from organisation`.execute(database.db)).rows[0]!.n);
  } finally {
    await database.close();
  }
}

/** A pid that is certainly not running: a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('one opener per embedded database', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  async function dataDir(): Promise<string> {
    const dir = await preparedDataDir();
    dirs.push(dir);
    return dir;
  }

  test('a second opener is refused at once, told who holds it and what to do; after close it opens', async () => {
    const dir = path.join(await dataDir(), 'pglite');
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    const second = openDatabase({ kind: 'pglite', dataDir: dir });
    await expect(second).rejects.toThrow(DatabaseLockedError);
    const message = await second.catch((e: Error) => e.message);
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain('används redan av en annan process');
    expect(message).toContain('stoppa servern');
    expect(message).toContain('npm run import -- --url');
    expect(message).toMatch(/sedan \d{4}-\d\d-\d\d/);
    // A second server on the same directory does not start either.
    await expect(startServer(loadConfig({ TERTIAL_DATA_DIR: path.dirname(dir), PORT: '0', LOG_LEVEL: 'silent' }))).rejects.toThrow(DatabaseLockedError);
    await first.close();
    expect(fs.existsSync(lockFileOf(dir))).toBe(false);
    expect(await organisationCount(dir)).toBeGreaterThan(0);
  });

  test('a lock left by a process that is gone, or a damaged lock file, is taken over', async () => {
    const dir = path.join(await dataDir(), 'pglite');
    const stale = { pid: await deadPid(), command: 'node dist/api/server.js', since: '2020-01-01T00:00:00.000Z', hostname: os.hostname() };
    fs.writeFileSync(lockFileOf(dir), JSON.stringify(stale));
    expect(await organisationCount(dir)).toBeGreaterThan(0);
    fs.writeFileSync(lockFileOf(dir), '{"pid":');
    expect(await organisationCount(dir)).toBeGreaterThan(0);
    expect(fs.existsSync(lockFileOf(dir))).toBe(false);
  });

  test('a lock held on another machine (a shared disk) cannot be checked: refused, naming that machine', async () => {
    const dir = path.join(await dataDir(), 'pglite');
    fs.writeFileSync(lockFileOf(dir), JSON.stringify({ pid: await deadPid(), command: 'node dist/api/server.js', since: new Date().toISOString(), hostname: 'en-annan-dator' }));
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(/en-annan-dator[\s\S]*ta bort .*pglite\.lock/);
  });

  test('while the server runs: import, backup and restore are refused, the token script and an import through the API work; after the server is killed the directory opens with the data', async () => {
    const dir = await dataDir();
    const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', TERTIAL_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info' };
    const server = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => server.on('exit', r));
    try {
      let output = '';
      server.stdout.on('data', (d: Buffer) => (output += d.toString()));
      server.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 90_000;
      while (!/"url":"([^"]+)"[^\n]*Tertial API listening/.test(output) && Date.now() < deadline && server.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const url = /"url":"([^"]+)"[^\n]*Tertial API listening/.exec(output)?.[1];
      if (!url) throw new Error(`the server did not start:\n${output}`);

      const planFile = path.join(dir, 'plan-2023.json');
      fs.writeFileSync(planFile, JSON.stringify(PLAN_2023));
      const tsx = (script: string, ...args: string[]) =>
        run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env }).then(
          (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );

      // Into the database directly: refused, naming the server, pointing at --url. Nothing written.
      const direct = await tsx('scripts/import-plan.ts', planFile);
      expect(direct.code).toBe(1);
      expect(direct.stderr).toContain(`pid ${server.pid}`);
      expect(direct.stderr).toContain('api/server.ts');
      expect(direct.stderr).toContain('npm run import -- --url');
      const backup = await tsx('scripts/backup.ts', path.join(dir, 'backup.tar.gz'));
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain(`pid ${server.pid}`);
      expect(fs.existsSync(path.join(dir, 'backup.tar.gz'))).toBe(false);
      const restore = await tsx('scripts/restore.ts', planFile);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain(`pid ${server.pid}`);

      // The token script needs only the signing key, not the database.
      const token = await tsx('scripts/token.ts', '--role', 'central');
      expect(token.code).toBe(0);
      expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      // Through the running API with the central role.
      const viaApi = await tsx('scripts/import-plan.ts', '--url', url, planFile);
      expect(viaApi).toMatchObject({ code: 0 });
      const plan = await fetch(`${url}/api/v1/years/2023/plan`, { headers: { Authorization: `Bearer ${token.stdout.trim()}` } });
      expect(plan.status).toBe(200);
      expect(JSON.stringify(await plan.json())).toContain('Ny indikator från importen');

      // Killed: its lock is stale, and the directory opens with what the server wrote.
      server.kill('SIGKILL');
      await exited;
      expect(fs.existsSync(lockFileOf(path.join(dir, 'pglite')))).toBe(true);
      const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
      try {
        const rows = await sql<{ title: string }>`select title from indicator where year = 2023`.execute(database.db);
        expect(rows.rows.map((r) => r.title)).toContain('Ny indikator från importen');
      } finally {
        await database.close();
      }
    } finally {
      server.kill('SIGKILL');
      await exited;
    }
  }, 300_000);
});

const PLAN_2023 = {
  year: 2023,
  directionGoals: [
    {
      code: '3',
      title: 'Ett Stockholm med en stabil och hållbar ekonomi med utbildning, jobb och bostäder för alla',
      kfGoals: [
        {
          code: '3.1',
          title: 'Stockholm har en budget i balans',
          indicators: [
            { code: '3.1.9', title: 'Ny indikator från importen', unit: 'antal', direction: 'higher', frequency: 'annual', annualTarget: 10, reportedBy: ['sdn-farsta'] },
          ],
        },
      ],
    },
  ],
};
