import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The PostgreSQL bin dir: as CI exports it, else the newest Debian install. */
export const pgBin =
  process.env.TERTIAL_PG_BIN ??
  (fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join('/usr/lib/postgresql', v, 'bin'))
        .find((bin) => fs.existsSync(path.join(bin, 'pg_ctl')))
    : undefined);

/** The fault tests need PostgreSQL's programs (npm run test:faults installs them when it can): a missing one fails, never skips. */
export function describeWithPostgres(name: string, fn: () => void): void {
  if (!pgBin) throw new Error(`${name}: PostgreSQL is not installed (apt-get install -y postgresql) and TERTIAL_PG_BIN is not set`);
  describe(name, fn);
}

const asRoot = process.getuid?.() === 0;

const run = promisify(execFile);

/** Runs a PostgreSQL tool (asynchronously: an API in this process keeps serving meanwhile). */
async function pgTool(tool: string, args: string[], timeout = 60_000): Promise<void> {
  const bin = path.join(pgBin!, tool);
  // initdb and pg_ctl refuse to run as root.
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', bin, ...args], { timeout });
  else await run(bin, args, { timeout });
}

/** A PostgreSQL cluster of the test's own, on its own port, so stopping it disturbs nobody. */
export interface Cluster {
  url: string;
  start(): Promise<void>;
  stopImmediately(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createCluster(port: number): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-fault-pg-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  fs.chmodSync(dir, 0o700);
  await pgTool('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  let running = false;
  const cluster: Cluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await pgTool('pg_ctl', ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`, 'start']);
      running = true;
    },
    stopImmediately: async () => {
      await pgTool('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      running = false;
    },
    // A cluster that a failed test never destroyed, or that would not stop, is stopped and removed
    // with the run's temp dir (test/support/temp-dirs.ts), where os.tmpdir() points during tests.
    destroy: async () => {
      if (running) await pgTool('pg_ctl', ['-D', dir, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
