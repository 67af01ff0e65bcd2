import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadOrCreateDevKeys } from '../api/auth/dev-key';
import { signDevToken } from '../api/auth/verifier';
import { loadConfig } from '../api/config';
import type { DatabaseKind } from '../api/db/connection';
import { startServer, type RunningServer } from '../api/server';

/** A running API (real HTTP on a free loopback port) on a scratch database, and tokens for it. */
export interface BenchTarget {
  kind: DatabaseKind;
  running: RunningServer;
  /** DATABASE_URL of the scratch database (postgres only), for child processes. */
  databaseUrl: string | undefined;
  dataDir: string;
  token(role: 'controller' | 'central', orgs?: string[]): Promise<string>;
  close(): Promise<void>;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * PGlite in a temporary data dir, or — when DATABASE_URL is set — a scratch database created
 * beside the one named there (and dropped afterwards), so the bench never touches real data.
 */
export async function openTarget(env: NodeJS.ProcessEnv = process.env): Promise<BenchTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-bench-'));
  let databaseUrl: string | undefined;
  let dropDatabase: () => Promise<void> = async () => undefined;
  if (env.DATABASE_URL) {
    const scratch = `tertial_bench_${process.pid}`;
    const url = new URL(env.DATABASE_URL);
    await adminQuery(env.DATABASE_URL, `create database ${scratch}`);
    url.pathname = `/${scratch}`;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(env.DATABASE_URL!, `drop database if exists ${scratch} with (force)`);
  }
  const config = loadConfig({
    PORT: '0',
    TERTIAL_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const running = await startServer(config);
  // Client and server share this process: on PGlite a big statement blocks it for seconds, and fetch could then send
  // on a kept-alive socket the server closes at that moment (Node's 5 s keep-alive). Kept open longer, fetch closes it first.
  running.server.keepAliveTimeout = 120_000;
  const keys = await loadOrCreateDevKeys(config.dataDir);
  return {
    kind: running.database.kind,
    running,
    databaseUrl,
    dataDir,
    token: (role, orgs = []) => signDevToken(keys, { sub: `bench-${role}-${orgs.join('-') || 'all'}`, name: `Bench ${role}`, roles: [role], orgs }),
    close: async () => {
      await running.stop();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
