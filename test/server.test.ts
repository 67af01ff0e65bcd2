import { spawn, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { freePort } from '../bench/process';
import { loadConfig } from '../api/config';
import { openDatabase } from '../api/db/connection';
import { ListenError, startServer } from '../api/server';

// Starting servers (initdb, migrations, demo seed) on a loaded 2-core CI machine can take minutes: no test here may fail on speed.
jest.setTimeout(300_000);

const root = path.join(__dirname, '..');

/** GET with whatever Host and X-Forwarded-* headers a hostile client sends (fetch does not let one set Host). */
function getWithHeaders(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const HOSTILE = { Host: 'evil.example:666', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };

/** This machine's non-loopback IPv4 addresses (none in some sandboxes). */
function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

describe('the server on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-server-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('starts healthy with demo data, and a second start does not seed again', async () => {
    const config = loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const first = await startServer(config);
    const health = await fetch(`${first.url}/api/v1/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    const count = async (db: typeof first.database.db) =>
      Number(
        (
          await db
            .selectFrom('org_goal')
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const goals = await count(first.database.db);
    expect(goals).toBeGreaterThan(30);
    // The demo year's T1 has every state in it: submitted, open and not started (the year before it is reported in full).
    const states = await first.database.db
      .selectFrom('report')
      .select(['state', sql<string>`count(*)`.as('n')])
      .where('year', '=', 2022)
      .where('period', '=', 'T1')
      .groupBy('state')
      .execute();
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

  test('development auth listens on loopback only: its tokens are not for the network', async () => {
    const running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    try {
      const { address, port } = running.server.address() as AddressInfo;
      expect(address).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
      // Where this machine has a network address, nothing answers on it.
      for (const external of externalAddresses()) {
        await expect(fetch(`http://${external}:${port}/api/v1/health`, { signal: AbortSignal.timeout(10_000) })).rejects.toThrow();
      }
    } finally {
      await running.stop();
    }
  });

  test('the served manifest points at the configured origin, never at the Host a request names', async () => {
    const running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    try {
      const port = (running.server.address() as AddressInfo).port;
      const { status, body } = await getWithHeaders(`${running.url}/manifest.xml`, HOSTILE);
      expect(status).toBe(200);
      expect(body).toContain(`DefaultValue="http://localhost:${port}/addin/taskpane.html"`);
      expect(body).not.toContain('evil.example');
    } finally {
      await running.stop();
    }
    const behindProxy = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://tertial.stad.example/' }));
    try {
      const { body } = await getWithHeaders(`${behindProxy.url}/manifest.xml`, HOSTILE);
      expect(body).toContain('DefaultValue="https://tertial.stad.example/addin/taskpane.html"');
      expect(body).not.toContain('evil.example');
      expect(body).not.toContain('localhost');
    } finally {
      await behindProxy.stop();
    }
  });

  test('a port another program listens on stops the start with a clear error, and leaves the database free', async () => {
    const other = net.createServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nother'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const start = startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent' }));
      await expect(start).rejects.toThrow(ListenError);
      await expect(start).rejects.toThrow(`Porten ${port} på 127.0.0.1 används redan`);
      // The failed start released the embedded database.
      const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      await database.close();
    } finally {
      other.close();
    }
  });
});

function runServer(env: Record<string, string>, stdio: StdioOptions = 'pipe') {
  // tsx as a loader in one process: the signals reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', ...env },
    stdio,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The exit code, or 'still running' if the process has not exited within `ms` (then it is killed). */
async function exitWithin(server: ReturnType<typeof runServer>, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([server.exited, new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)))]);
  clearTimeout(timer);
  if (result === 'still running') {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  return result;
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became healthy`);
}

/** A data dir whose database is made (initdb, migrations, demo) once, so that each process test starts in seconds. */
let preparedDataDir: string | undefined;
async function freshDataDir(): Promise<string> {
  if (!preparedDataDir) {
    preparedDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-prepared-'));
    const running = await startServer(loadConfig({ TERTIAL_DATA_DIR: preparedDataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    await running.stop();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-process-'));
  fs.cpSync(preparedDataDir, dir, { recursive: true });
  return dir;
}

describe('the server process', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of [...dirs, preparedDataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bad configuration stops the start with a message naming the variable', async () => {
    const server = runServer({ PORT: 'abc' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('PORT');
  });

  test('SIGTERM closes the server, then the database, and exits 0', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const server = runServer({ PORT: '0', TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const deadline = Date.now() + 60_000;
    while (!server.output().includes('Tertial API listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).toContain('Tertial API listening');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  test('a port in use: exit code 1 and a message saying so, instead of "listening"', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const server = runServer({ PORT: String(port), TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      // Generous: the bug was a server that never exits.
      expect(await exitWithin(server, 60_000)).toBe(1);
      expect(server.output()).toContain(`Porten ${port} på 127.0.0.1 används redan av ett annat program`);
      expect(server.output()).not.toContain('Tertial API listening');
    } finally {
      other.close();
    }
  });

  // pino flushes synchronously at exit and retries a closed or full stdout pipe for ever. The
  // bound below is generous (a loaded machine passes); the bug is a process that never exits.
  const SHUTDOWN_BOUND_MS = 20_000;

  test('shutdown finishes when stdout is a pipe that has been closed', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    const server = runServer({ PORT: String(port), TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'debug' }, ['ignore', 'pipe', 'pipe']);
    await waitForHealth(`http://127.0.0.1:${port}`);
    server.child.stdout!.destroy();
    // Lines logged after the reader is gone (one per request at debug level) and at shutdown.
    for (let n = 0; n < 20; n++) await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, SHUTDOWN_BOUND_MS)).toEqual(expect.any(Number));
  });

  test('shutdown finishes when stdout is a pipe that nobody reads (full)', async () => {
    const dataDir = await freshDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    const server = runServer({ PORT: String(port), TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'debug' }, ['ignore', 'pipe', 'pipe']);
    server.child.stdout!.removeAllListeners('data');
    server.child.stdout!.pause();
    await waitForHealth(`http://127.0.0.1:${port}`);
    // Each request logs a line of several hundred bytes: far more than a pipe's 64 KiB.
    for (let n = 0; n < 400; n++) await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, SHUTDOWN_BOUND_MS)).toEqual(expect.any(Number));
  });
});
