import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config';
import { createVerifier } from './auth/verifier';
import { openDatabase, type DatabaseHandle } from './db/connection';
import { migrateToLatest } from './db/migrate';
import { seedDemoIfEmpty } from './db/seed';
import { seedDemoResults } from './db/demo-results';
import { createApp } from './http/app';
import { centreRouter } from './http/routes/centre';
import { workbookRouter } from './http/routes/workbooks';
import { createLogger } from './logger';

/** The project root (where package.json is), whether running from source or from dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export interface RunningServer {
  server: Server;
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') },
  );
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(database.db);
    if (seeded) {
      await seedDemoResults(database.db);
      logger.info({ seeded }, 'demo data seeded into an empty database');
    }
  }
  const root = projectRoot();
  const app = createApp({
    db: database.db,
    databaseKind: database.kind,
    verify: await createVerifier(config.auth, config.dataDir),
    signIn:
      config.auth.mode === 'development'
        ? { mode: 'development' }
        : config.auth.addin
          ? { mode: 'entra', ...config.auth.addin }
          : { mode: 'unconfigured' },
    logger,
    corsOrigins: config.corsOrigins,
    addinDir: path.join(root, 'dist', 'addin-web'),
    manifestFile: path.join(root, 'manifest.xml'),
    routers: [centreRouter, workbookRouter],
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.on('error', reject);
  });
  // A slow client must not hold a connection for ever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.info({ url, database: database.kind, auth: config.auth.mode }, 'Tertial API listening');
  let stopping: Promise<void> | undefined;
  return {
    server,
    database,
    url,
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await database.close();
        logger.info('stopped');
      })()),
  };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const running = await startServer(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
