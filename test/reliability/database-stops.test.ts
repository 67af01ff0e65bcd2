import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { signDevToken } from '../../api/auth/verifier';
import { loadConfig } from '../../api/config';
import { startServer, type RunningServer } from '../../api/server';
import { callJson } from '../../bench/http';
import { allOrNothing, BIG, BIG_PATH, bigWrite, prepareBigReport, storedState } from './big-batch';
import { createCluster, describeWithPostgres, type Cluster } from './cluster';

/** Delays (ms after the request is sent) at which the database is stopped; tried until one is caught mid-flight. */
const STOP_AFTER_MS = [120, 60, 250, 30, 400];

describeWithPostgres('PostgreSQL stopped while a 5,000-row batch is in flight', () => {
  let cluster: Cluster;
  let api: RunningServer;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    cluster = await createCluster(55501);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-fault-'));
    api = await startServer(loadConfig({ PORT: '0', TERTIAL_DATA_DIR: dataDir, DATABASE_URL: cluster.url, LOG_LEVEL: 'silent' }));
    await prepareBigReport(api.database);
    token = await signDevToken(await loadOrCreateDevKeys(dataDir), { sub: 'fault', name: 'Fault', roles: ['controller'], orgs: [BIG.organisation] });
    expect((await callJson(api.url, token, 'GET', BIG_PATH)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  test('the client gets 503 UNAVAILABLE, the API lives on and recovers by itself, the batch is all or nothing', async () => {
    const outcomes: string[] = [];
    for (const [attempt, delay] of STOP_AFTER_MS.entries()) {
      const before = await storedState(api.database);
      const value = 1000 + attempt;
      const sent = callJson(api.url, token, 'PUT', BIG_PATH, bigWrite(before, value));
      await new Promise((r) => setTimeout(r, delay));
      await cluster.stopImmediately();
      const response = await sent;
      expect([200, 503]).toContain(response.status);
      if (response.status === 503) {
        expect(response.body.error.code).toBe('UNAVAILABLE');
        expect(response.headers.get('retry-after')).toBeTruthy();
      }
      // The process is alive and serving while the database is down.
      expect((await fetch(`${api.url}/api/v1/health`)).status).toBe(200);
      expect((await callJson(api.url, token, 'GET', BIG_PATH)).status).toBe(503);

      await cluster.start();
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await callJson(api.url, token, 'GET', BIG_PATH)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);

      const stored = allOrNothing(before, await storedState(api.database), value);
      if (response.status === 200) expect(stored).toBe('all');
      outcomes.push(`${delay} ms: ${response.status}, ${stored}`);
      if (response.status === 503) break;
    }
    // At least one stop must have hit the batch in flight, or the test proved nothing.
    expect(outcomes.some((o) => o.includes('503'))).toBe(true);
  }, 240_000);
});
