import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const ROOT = path.resolve(__dirname, '..');
const DIST_SERVER = path.join(ROOT, 'dist', 'api', 'server.js');

export type ApiCommand = { command: string; args: string[]; runner: 'node-dist' | 'tsx' };

/**
 * The API from source through tsx's loader, in one process (the tsx CLI would start the server as
 * a grandchild that a kill of the CLI leaves running): what the tests run, so they test the code as it is.
 */
export const sourceServer: ApiCommand = {
  command: process.execPath,
  args: ['--import', 'tsx', path.join(ROOT, 'api', 'server.ts')],
  runner: 'tsx',
};

/** The built server (`npm start` runs it) if it has been built, else the source through tsx. */
export function builtServer(): ApiCommand {
  return fs.existsSync(DIST_SERVER) ? { command: process.execPath, args: [DIST_SERVER], runner: 'node-dist' } : sourceServer;
}

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Starts an API process on a free port with the given environment; does not wait for it. */
export async function spawnApi(env: Record<string, string>, command: ApiCommand = sourceServer): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(command.command, command.args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, exited };
}

/** Polls GET /api/v1/health until it answers 200; throws after `timeoutMs`. */
export async function waitForHealth(url: string, timeoutMs = 30_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

/** Stops an API process with `signal` and waits (bounded) for it to exit. */
export async function stopApi(api: ApiProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill(signal);
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
  if ((await Promise.race([api.exited, timer])) === 'timeout') {
    api.child.kill('SIGKILL');
    await api.exited;
  }
}
