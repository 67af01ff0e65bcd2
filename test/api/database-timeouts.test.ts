import express from 'express';
import { sql } from 'kysely';
import pino from 'pino';
import request from 'supertest';
import { openDatabase, type DatabaseHandle } from '../../api/db/connection';
import { errorHandler } from '../../api/http/error-handler';
import { reportPath } from '../../bench/http';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind, testDatabaseUrl } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

/** An app whose one route fails the way `fail` does, answered by our error handler. */
function failing(fail: () => Promise<unknown>) {
  const app = express();
  app.use((req, _res, next) => {
    (req as unknown as { log: pino.Logger }).log = pino({ level: 'silent' });
    next();
  });
  app.get('/', async () => {
    await fail();
  });
  app.use(errorHandler);
  return app;
}

describe('a statement cut off by its time limit', () => {
  test.each([
    ['57014', 'the statement timeout'],
    ['55P03', 'a lock not granted in time'],
    ['25P03', 'a transaction idle too long'],
  ])('%s (%s) is 503 UNAVAILABLE with Retry-After, never a 500', async (code) => {
    const res = await request(failing(() => Promise.reject(Object.assign(new Error('canceling statement'), { code })))).get('/');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('Inget har sparats') });
  });
});

// PGlite runs each statement to its end on the Node thread: there is nothing to time out (connection.ts).
const onPostgres = testDatabaseUrl ? describe : describe.skip;

onPostgres(`time limits on ${testDatabaseKind}`, () => {
  test('every session has the statement timeout: a statement past it fails with 57014', async () => {
    const database: DatabaseHandle = await openDatabase({ kind: 'postgres', url: testDatabaseUrl!, poolSize: 1, timeouts: { statementMs: 200 } });
    try {
      const shown = await sql<{ statement_timeout: string; lock_timeout: string; idle_in_transaction_session_timeout: string }>`
        select current_setting('statement_timeout') as statement_timeout, current_setting('lock_timeout') as lock_timeout,
          current_setting('idle_in_transaction_session_timeout') as idle_in_transaction_session_timeout`.execute(database.db);
      expect(shown.rows[0]).toEqual({ statement_timeout: '200ms', lock_timeout: '10s', idle_in_transaction_session_timeout: '1min' });
      await expect(sql`select pg_sleep(2)`.execute(database.db)).rejects.toMatchObject({ code: '57014' });
      // The session is usable again at once.
      expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });

  describe('a write that waits for a report someone holds', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ timeouts: { lockMs: 500 } });
    });
    afterAll(() => api.close());

    test('is 503 after the lock timeout, writes nothing, and the report is free again afterwards', async () => {
      const token = await api.token('controller', ['sdn-farsta']);
      const path = reportPath(2022, 'sdn-farsta', 'T2');
      const report = (await request(api.app).get(path).auth(token, { type: 'bearer' })).body as { indicators: { indicatorId: number; version: number }[] };
      const row = report.indicators[0]!;
      const body = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 42 }] };
      const { id } = await api.database.db
        .selectFrom('report')
        .select('id')
        .where('year', '=', 2022)
        .where('period', '=', 'T2')
        .where('organisation_code', '=', 'sdn-farsta')
        .executeTakeFirstOrThrow();

      // Another session holds the report's lock (as a stuck write would) while this write waits for it.
      const holder = await openDatabase({ kind: 'postgres', url: testDatabaseUrl!, poolSize: 1, searchPath: await currentSchema(api) });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.db.transaction().execute(async (trx) => {
        await sql`select id from report where id = ${id} for update`.execute(trx);
        locked();
        await held;
      });
      try {
        await isLocked;
        const snapshot = await databaseSnapshot(api.database.db);
        const started = Date.now();
        const waited = await request(api.app).put(path).auth(token, { type: 'bearer' }).send(body);
        expect(waited.status).toBe(503);
        expect(waited.body.error.code).toBe('UNAVAILABLE');
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
      } finally {
        release();
        await holding;
        await holder.close();
      }
      const again = await request(api.app).put(path).auth(token, { type: 'bearer' }).send(body);
      expect(again.status).toBe(200);
    });
  });
});

async function currentSchema(api: TestApi): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(api.database.db);
  return rows[0]!.schema;
}
