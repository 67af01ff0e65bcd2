import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { signDevToken } from '../../api/auth/verifier';
import { loadConfig } from '../../api/config';
import { startServer, type RunningServer } from '../../api/server';

/** The real server (startServer, as `npm start` runs it) on an embedded database in a temp dir. */
export async function startEmbeddedApi(): Promise<{ running: RunningServer; controllerToken(org: string): Promise<string>; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-fault-'));
  const running = await startServer(loadConfig({ PORT: '0', TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const keys = await loadOrCreateDevKeys(dataDir);
  return {
    running,
    controllerToken: (org) => signDevToken(keys, { sub: `controller-${org}`, name: 'Controller', roles: ['controller'], orgs: [org] }),
    close: async () => {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
