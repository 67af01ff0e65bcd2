import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, median, round1 } from './measure';
import { builtServer, spawnApi, stopApi, waitForHealth } from './process';
import type { BenchTarget } from './target';

/**
 * From spawning the API process to /api/v1/health answering, on an existing data dir (PGlite)
 * or an already migrated and seeded database (PostgreSQL): started once to create it, then timed.
 */
export async function benchColdStart(target: BenchTarget, measured = 3) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-cold-'));
  const env = { TERTIAL_DATA_DIR: dataDir, ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}) };
  const command = builtServer();
  try {
    const times: number[] = [];
    for (let n = 0; n <= measured; n++) {
      const start = performance.now();
      const api = await spawnApi(env, command);
      let ms: number;
      try {
        await waitForHealth(api.url, 60_000);
        ms = performance.now() - start;
      } finally {
        await stopApi(api);
      }
      log(`cold start ${n === 0 ? '(creates the data dir, not counted)' : n}: ${round1(ms)} ms via ${command.runner}`);
      if (n > 0) times.push(ms);
    }
    return { name: 'cold-start-ms', db: target.kind, runner: command.runner, value: round1(median(times)) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
