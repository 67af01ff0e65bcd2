import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Express } from 'express';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { createVerifier, signDevToken } from '../../api/auth/verifier';
import type { DatabaseHandle } from '../../api/db/connection';
import { createApp } from '../../api/http/app';
import { centreRouter } from '../../api/http/routes/centre';
import { workbookRouter } from '../../api/http/routes/workbooks';
import { openTestDatabase } from './db';

export interface TestApi {
  app: Express;
  database: DatabaseHandle;
  dataDir: string;
  token(role: 'controller' | 'central', orgs?: string[], sub?: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real Express app on a private database, with dev-mode auth in a temporary data dir. */
export async function startTestApi(options: Parameters<typeof openTestDatabase>[0] = {}): Promise<TestApi> {
  const database = await openTestDatabase(options);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-test-'));
  const keys = await loadOrCreateDevKeys(dataDir);
  const app = createApp({
    db: database.db,
    databaseKind: database.kind,
    verify: await createVerifier({ mode: 'development' }, dataDir),
    logger: pino({ level: 'silent' }),
    routers: [centreRouter, workbookRouter],
  });
  return {
    app,
    database,
    dataDir,
    token: (role, orgs = [], sub, name) => signDevToken(keys, { sub: sub ?? `${role}-${orgs.join('-') || 'all'}`, name: name ?? `Test ${role}`, roles: [role], orgs }),
    close: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
