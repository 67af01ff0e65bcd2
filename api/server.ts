import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { loadConfig, ConfigError, type Config, type HttpsFiles } from './config';
import { createVerifier } from './auth/verifier';
import { openDatabase, type DatabaseHandle } from './db/connection';
import { DatabaseLockedError } from './db/lock';
import { migrateToLatest } from './db/migrate';
import { createApp } from './http/app';
import { centreRouter } from './http/routes/centre';
import { workbookRouter } from './http/routes/workbooks';
import { createLogger, drainLogger, resolveLogFormat } from './logger';
import { seedDemo } from './services/demo-seed';

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
  logger: Logger;
  stop(): Promise<void>;
}

/** Listening failed (the port is taken, the address is not this machine's, …): said so, in words. */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(
      cause.code === 'EADDRINUSE'
        ? `Porten ${port} på ${host} används redan av ett annat program. Stoppa det eller välj en annan PORT (HOST). ` + `(Port ${port} on ${host} is already in use.)`
        : cause.code === 'EADDRNOTAVAIL'
          ? `Adressen ${host} finns inte på den här datorn; ändra HOST. (${host} is not an address of this machine.)`
          : cause.code === 'EACCES'
            ? `Det är inte tillåtet att lyssna på ${host}:${port}; välj en PORT över 1023. (Permission denied for ${host}:${port}.)`
            : `Kan inte lyssna på ${host}:${port}: ${cause.message}`,
    );
    this.name = 'ListenError';
  }
}

/** Listens on exactly `host`, so that another program on the same port and address is an error, not a silent neighbour. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.removeListener('listening', onListening);
      reject(new ListenError(host, port, e));
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** HTTPS asked for, but a certificate file is missing or unreadable: said so, with what to run. */
export class HttpsFilesError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `HTTPS=true, men ${file} går inte att läsa (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Kör npm run start:https (skapar utvecklingscertifikaten om de saknas) eller npx office-addin-dev-certs install, eller ange HTTPS_CERT_DIR. ' +
        `(HTTPS=true but ${file} cannot be read.)`,
    );
    this.name = 'HttpsFilesError';
  }
}

function readHttpsFiles(files: HttpsFiles): { cert: Buffer; key: Buffer } {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new HttpsFilesError(file, e);
    }
  };
  return { cert: read(files.certFile), key: read(files.keyFile) };
}

/**
 * The database a first start makes (initdb, migrations, demo data) takes seconds of CPU; the build
 * makes it once (`npm install` runs the build), and a first start copies it. A template is used
 * only by the server bundle it was made with, on the PGlite version it was made on.
 */
export interface DemoTemplateKey {
  server: string;
  pglite: string;
}

export function demoTemplateKey(serverFile: string = __filename): DemoTemplateKey {
  const pgliteMain = require.resolve('@electric-sql/pglite');
  let dir = path.dirname(pgliteMain);
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const pglite = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  return { server: crypto.createHash('sha256').update(fs.readFileSync(serverFile)).digest('hex'), pglite };
}

const TEMPLATE_KEY_FILE = 'key.json';

/**
 * Copies the demo template into `pgliteDir` if that does not exist yet and the template was made
 * by this very build. The copy lands beside it and is renamed into place, so two starts at once
 * cannot mix: the loser's rename fails and it opens (or is refused) like any second opener.
 */
export function copyDemoTemplate(templateDir: string, pgliteDir: string): 'copied' | 'no template' | 'stale template' | 'exists' {
  if (fs.existsSync(pgliteDir)) return 'exists';
  let key: unknown;
  try {
    key = JSON.parse(fs.readFileSync(path.join(templateDir, TEMPLATE_KEY_FILE), 'utf8'));
  } catch {
    return 'no template';
  }
  const current = demoTemplateKey();
  const made = key as Partial<DemoTemplateKey>;
  if (made.server !== current.server || made.pglite !== current.pglite) return 'stale template';
  const staging = `${pgliteDir}.template-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(pgliteDir), { recursive: true });
  try {
    fs.cpSync(path.join(templateDir, 'pglite'), staging, { recursive: true });
    fs.renameSync(staging, pgliteDir);
    return 'copied';
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (fs.existsSync(pgliteDir)) return 'exists';
    throw e;
  }
}

/** Makes the demo template in `dir`: a first start on an empty data dir (exactly what npm start does), stopped. Called by the build. */
export async function makeDemoTemplate(dir: string): Promise<void> {
  const dataDir = path.join(dir, 'data');
  const running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }));
  await running.stop();
  fs.renameSync(path.join(dataDir, 'pglite'), path.join(dir, 'pglite'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.writeFileSync(path.join(dir, TEMPLATE_KEY_FILE), JSON.stringify(demoTemplateKey()));
}

export interface StartOptions {
  /** A demo template directory (dist/demo-db) a first start on an empty embedded database may copy. */
  demoTemplate?: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(config.logLevel, resolveLogFormat(config.logFormat));
  const tls = config.https ? readHttpsFiles(config.https) : undefined;
  const pgliteDir = path.join(config.dataDir, 'pglite');
  if (!config.databaseUrl && config.seedDemo && options.demoTemplate) {
    const template = copyDemoTemplate(options.demoTemplate, pgliteDir);
    if (template === 'copied') logger.info({ template: options.demoTemplate }, 'first start: database with the demo year copied from the template the build made');
    else if (template !== 'exists')
      logger.info(`first start: creating the database and the demo year (${template}; \`npm run build\` makes one, and then this takes a few seconds)`);
  }
  const database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: pgliteDir });
  // A start that fails after this point must not keep the embedded database locked.
  let server: Server | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    if (config.seedDemo) {
      const seeded = await seedDemo(database.db);
      if (seeded) logger.info({ seeded }, 'demo data seeded into an empty database');
    }
    const verify = await createVerifier(config.auth, config.dataDir);
    server = tls ? https.createServer(tls) : http.createServer();
    // A slow client must not hold a connection for ever.
    server.requestTimeout = 60_000;
    server.headersTimeout = 20_000;
    const port = await listen(server, config.port, config.host);
    // The app is attached in the same tick as the socket starts listening: no request is missed.
    const root = projectRoot();
    // The manifest points at the configured origin, never at a request's Host header.
    const publicUrl = config.publicUrl ?? `${tls ? 'https' : 'http'}://localhost:${port}`;
    const app = createApp({
      db: database.db,
      databaseKind: database.kind,
      verify,
      signIn: config.auth.mode === 'development' ? { mode: 'development' } : config.auth.addin ? { mode: 'entra', ...config.auth.addin } : { mode: 'unconfigured' },
      logger,
      corsOrigins: config.corsOrigins,
      addinDir: path.join(root, 'dist', 'addin-web'),
      manifestFile: path.join(root, 'manifest.xml'),
      publicUrl,
      routers: [centreRouter, workbookRouter],
    });
    server.on('request', app);
    const host = WILDCARD_HOSTS.has(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
    logger.info({ url, host: config.host, port, database: database.kind, auth: config.auth.mode, manifest: `${publicUrl}/manifest.xml` }, 'Tertial API listening');
    if (config.auth.mode === 'development' && !LOOPBACK_HOSTS.has(config.host)) {
      logger.warn({ host: config.host }, 'development auth listening beyond loopback: development tokens are accepted from the network');
    }
    const listening = server;
    let stopping: Promise<void> | undefined;
    return {
      server: listening,
      database,
      url,
      logger,
      stop: () =>
        (stopping ??= (async () => {
          await new Promise<void>((resolve) => {
            listening.close(() => resolve());
            listening.closeIdleConnections();
            // Requests still running after the grace period are cut off.
            setTimeout(() => listening.closeAllConnections(), STOP_GRACE_MS).unref();
          });
          await database.close();
          logger.info('stopped');
        })()),
    };
  } catch (e) {
    server?.close();
    await database.close().catch(() => undefined);
    throw e;
  }
}

/** Requests get this long to finish at shutdown; after it their connections are closed. */
const STOP_GRACE_MS = 5_000;
/** The whole shutdown, log flush included, is given this long; then the process exits regardless. */
export const SHUTDOWN_LIMIT_MS = 10_000;
/** How long the last log lines get to reach stdout before the process exits without them. */
const LOG_DRAIN_MS = 2_000;

/** Runs the server until SIGTERM/SIGINT: `node dist/api/server.js`, or scripts/start.mjs (npm start) after its build check. */
export async function main(): Promise<void> {
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
  // The built server (npm start) copies the build's demo template on a first start; from source (tsx) it makes the database itself.
  const root = projectRoot();
  const built = path.resolve(__filename) === path.join(root, 'dist', 'api', 'server.js');
  let running: RunningServer;
  try {
    running = await startServer(config, built ? { demoTemplate: path.join(root, 'dist', 'demo-db') } : {});
  } catch (e) {
    if (e instanceof ListenError || e instanceof DatabaseLockedError || e instanceof HttpsFilesError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let exiting = false;
  const exit = async (code: number, drainMs: number) => {
    if (exiting) return;
    exiting = true;
    await drainLogger(running.logger, drainMs);
    process.exit(code);
  };
  let stopRequested = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopRequested) {
        // A second signal does not wait for anything.
        void exit(1, 0);
        return;
      }
      stopRequested = true;
      // Bounded whatever hangs: a connection, the database, the log pipe.
      setTimeout(() => void exit(1, 0), SHUTDOWN_LIMIT_MS).unref();
      running.stop().then(
        () => exit(0, LOG_DRAIN_MS),
        () => exit(1, LOG_DRAIN_MS),
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
