import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { signDevToken } from '../../api/auth/verifier';
import type { Report } from '../../core/contract/report';
import { openDatabase, type DatabaseHandle } from '../../api/db/connection';
import { migrateToLatest } from '../../api/db/migrate';
import { seedDemoIfEmpty } from '../../api/db/seed';
import { callJson, reportPath } from '../../bench/http';
import { spawnApi, stopApi, waitForHealth, type ApiProcess } from '../../bench/process';
import { createCluster, describeWithPostgres, type Cluster } from './cluster';

const ORG = 'sdn-skarpnack';
const REPORT = reportPath(2022, ORG, 'T2');
const WRITERS = 16;

describeWithPostgres('two API processes on one PostgreSQL', () => {
  let cluster: Cluster;
  let database: DatabaseHandle;
  let dataDir: string;
  let a: ApiProcess;
  let b: ApiProcess;
  const token = async (sub: string) => signDevToken(await loadOrCreateDevKeys(dataDir), { sub, name: `Skrivare ${sub}`, roles: ['controller'], orgs: [ORG] });

  beforeAll(async () => {
    cluster = await createCluster(55503);
    database = await openDatabase({ kind: 'postgres', url: cluster.url, poolSize: 2 });
    await migrateToLatest(database.db);
    await seedDemoIfEmpty(database.db);
    // One data dir (the dev signing key) shared by both, as a shared key or Entra ID would be in production.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-fault-'));
    [a, b] = await Promise.all([0, 1].map(() => spawnApi({ DATABASE_URL: cluster.url, TERTIAL_DATA_DIR: dataDir })));
    await Promise.all([waitForHealth(a.url, 60_000, 100), waitForHealth(b.url, 60_000, 100)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((api) => stopApi(api)));
    await database?.close();
    await cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  test('many writers with the same base version, split across both instances: exactly one wins', async () => {
    const tokens = await Promise.all(Array.from({ length: WRITERS }, (_, n) => token(`w${n}`)));
    const report = (await callJson<Report>(a.url, tokens[0]!, 'GET', REPORT)).body;
    const row = report.indicators.find((i) => i.code === '3.2.1')!;
    const responses = await Promise.all(
      tokens.map((t, n) =>
        callJson((n % 2 === 0 ? a : b).url, t, 'PUT', REPORT, {
          indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 10 + n }],
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(WRITERS - 1);
    const winner = statuses.indexOf(200);
    const after = (await callJson<Report>(b.url, tokens[0]!, 'GET', REPORT)).body.indicators.find((i) => i.code === '3.2.1')!;
    expect(after).toMatchObject({ version: row.version + 1, forecast: 10 + winner, changedBy: `Skrivare w${winner}` });
  });

  test('an Idempotency-Key used on instance A replays on instance B and writes nothing', async () => {
    const t = await token('idem');
    const before = (await callJson<Report>(a.url, t, 'GET', REPORT)).body;
    const row = before.indicators.find((i) => i.code === '1.1.1')!;
    const body = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, outcome: 42.5 }] };
    const headers = { 'Idempotency-Key': 'scale-out-1' };
    const first = await callJson<Report>(a.url, t, 'PUT', REPORT, body, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const historyAfterFirst = (await callJson<unknown[]>(a.url, t, 'GET', `${REPORT}/history`)).body.length;

    const replay = await callJson<Report>(b.url, t, 'PUT', REPORT, body, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await callJson<unknown[]>(b.url, t, 'GET', `${REPORT}/history`)).body).toHaveLength(historyAfterFirst);
    const stored = (await callJson<Report>(b.url, t, 'GET', REPORT)).body.indicators.find((i) => i.code === '1.1.1')!;
    expect(stored).toMatchObject({ outcome: 42.5, version: row.version + 1 });
  });
});
