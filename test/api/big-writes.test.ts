import { sql } from 'kysely';
import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { importPlan } from '../../api/db/plan-import';
import { versionedUpdate, withPlanGuard } from '../../api/db/versioned-rows';
import { INDICATOR_RESULTS } from '../../core/rows/report-rows';
import { syntheticPlan } from '../../bench/synthetic-plan';
import { reportPath } from '../../bench/http';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

const ORG = 'fn-kultur';
const ROWS = 20_000;
const ACTOR = { sub: 'test', name: 'Test', requestId: null };

/** What the planner expects `indicator_result where report_id = …` to return. */
async function plannedRows(api: TestApi, reportId: number): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) select * from indicator_result where report_id = ${sql.lit(reportId)}`.execute(api.database.db);
  const plan = rows[0]!['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: { 'Plan Rows': number } }];
  return parsed[0].Plan['Plan Rows'];
}

const everyRow = (indicators: ReadonlyArray<{ indicatorId: number; version: number }>, value: number) => ({
  indicators: indicators.map((i, n) => ({ indicatorId: i.indicatorId, baseVersion: i.version, outcome: value + (n % 7), forecast: value, comment: `rad ${n}` })),
});

/**
 * The first big write of a year imported a minute ago. Statistics from when the tables were
 * smaller made the planner expect one row of the new report and run the write's history step as
 * a nested loop: more than 13 minutes for 20,000 rows. Now the import and the report's first read
 * refresh the statistics, and a big batch is never planned as a nested loop. On PostgreSQL the
 * write also runs under a 30 s statement timeout, so the pathological plan would fail it (503);
 * on PGlite (no timeout there) jest's own limit bounds it.
 */
describe(`a ${ROWS}-row write right after the import of its year, on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ timeouts: { statementMs: 30_000 } });
    token = await api.token('controller', [ORG]);
    // Statistics as a server that has run a while has them: taken when the tables held the demo city's
    // reports only, so that a report they have not seen is expected to have one row.
    const central = await api.token('central');
    for (const org of ['sdn-farsta', 'sdn-kungsholmen', 'fn-kultur']) {
      expect(
        (
          await request(api.app)
            .get(reportPath(2022, org, 'T1'))
            .auth(central, { type: 'bearer' })
        ).status,
      ).toBe(200);
    }
    await sql`analyze`.execute(api.database.db);
    await importPlan(api.database.db, syntheticPlan(2040, ORG, ROWS));
  }, 300_000);
  afterAll(() => api.close());

  test('with statistics that know nothing of the report’s rows, a big batch is still not a nested loop', async () => {
    // Rows made behind the statistics' back (as by a restore, or another tool): no ANALYZE since the demo city.
    const { id: reportId } = await api.database.db.insertInto('report').values({ year: 2040, period: 'T2', organisation_code: ORG }).returning('id').executeTakeFirstOrThrow();
    await sql`
      insert into indicator_result (report_id, indicator_id)
      select ${reportId}, oi.indicator_id from org_indicator oi join indicator i on i.id = oi.indicator_id
      where oi.organisation_code = ${ORG} and i.year = 2040`.execute(api.database.db);
    expect(await plannedRows(api, reportId)).toBeLessThan(10);

    // The plan the engine runs for the batch has no nested loop (whatever the planner expects of the report).
    const rows0 = await api.database.db.selectFrom('indicator_result').select(['indicator_id as id', 'version as baseVersion']).where('report_id', '=', reportId).execute();
    const batch = rows0.map((r) => ({ ...r, values: { outcome: 1, forecast: 1, comment: 'x', status: null } }));
    const plan = await withPlanGuard(api.database.db, batch.length, async (db) => {
      const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${versionedUpdate(INDICATOR_RESULTS, reportId, batch, ACTOR)}`.execute(db);
      return JSON.stringify(rows[0]!['QUERY PLAN']);
    });
    expect(plan).toContain('Update');
    expect(plan).not.toContain('Nested Loop');

    const rows = await api.database.db.selectFrom('indicator_result').select(['indicator_id as indicatorId', 'version']).where('report_id', '=', reportId).execute();
    const put = await request(api.app)
      .put(`${reportPath(2040, ORG, 'T2')}?answer=changes`)
      .auth(token, { type: 'bearer' })
      .send(everyRow(rows, 7));
    expect(put.status).toBe(200);
    expect(put.body.indicators).toHaveLength(ROWS);
  }, 300_000);

  test('the first read refreshes the statistics; the write finishes in bounded time', async () => {
    const read = await request(api.app)
      .get(reportPath(2040, ORG, 'T1'))
      .auth(token, { type: 'bearer' });
    expect(read.status).toBe(200);
    const report = read.body as Report;
    expect(report.indicators).toHaveLength(ROWS);
    const { id: reportId } = await api.database.db.selectFrom('report').select('id').where('year', '=', 2040).where('period', '=', 'T1').executeTakeFirstOrThrow();
    // The planner knows the new report's rows (it expected next to none before the read's ANALYZE).
    expect(await plannedRows(api, reportId)).toBeGreaterThan(ROWS / 2);

    const put = await request(api.app)
      .put(`${reportPath(2040, ORG, 'T1')}?answer=changes`)
      .auth(token, { type: 'bearer' })
      .send(everyRow(report.indicators, 5));
    expect(put.status).toBe(200);
    expect(put.body.indicators).toHaveLength(ROWS);
    const history = await sql<{ n: number }>`select count(*)::int as n from change_history where report_id = ${reportId}`.execute(api.database.db);
    expect(history.rows[0]!.n).toBe(ROWS);
  }, 300_000);
});
