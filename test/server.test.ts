import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../api/config';
import { startServer } from '../api/server';

const root = path.join(__dirname, '..');

describe('the server on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-server-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('starts healthy with demo data, and a second start does not seed again', async () => {
    const config = loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const first = await startServer(config);
    const health = await fetch(`${first.url}/api/v1/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    const count = async (db: typeof first.database.db) =>
      Number((await db.selectFrom('org_goal').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const goals = await count(first.database.db);
    expect(goals).toBeGreaterThan(30);
    // The demo's T1 has every state in it: submitted, open and not started.
    const states = await first.database.db.selectFrom('report').select(['state', sql<string>`count(*)`.as('n')]).where('period', '=', 'T1').groupBy('state').execute();
    const byState = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
    expect(byState.submitted).toBeGreaterThan(5);
    expect(byState.open).toBeGreaterThan(5);
    expect((byState.submitted ?? 0) + (byState.open ?? 0)).toBeLessThan(30);
    await first.stop();

    const second = await startServer(config);
    expect(await count(second.database.db)).toBe(goals);
    expect(fs.existsSync(path.join(dataDir, 'dev-signing-key.json'))).toBe(true);
    await second.stop();
  });
});

function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'api/server.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the server process', () => {
  test('bad configuration stops the start with a message naming the variable', async () => {
    const server = runServer({ PORT: 'abc' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('PORT');
  });

  test('SIGTERM closes the server, then the database, and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-sigterm-'));
    const server = runServer({ PORT: '0', TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const deadline = Date.now() + 60_000;
    while (!server.output().includes('Tertial API listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).toContain('Tertial API listening');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
