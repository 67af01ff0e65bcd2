import { sql, type Kysely } from 'kysely';
import request from 'supertest';
import type { DatabaseHandle } from '../../api/db/connection';
import { loadHistory } from '../../api/db/history-queries';
import { migrateThrough, migrateToLatest } from '../../api/db/migrate';
import type { Database } from '../../api/db/schema';
import * as m0001 from '../../migrations/0001_model';
import * as m0002 from '../../migrations/0002_actor_ids_and_plan_history';
import * as m0003 from '../../migrations/0003_activities_and_commissions';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { openTestDatabase, testDatabaseKind } from '../support/db';

async function migrateThrough0003(db: Kysely<Database>): Promise<void> {
  await migrateThrough(db, { '0001_model': m0001, '0002_actor_ids_and_plan_history': m0002, '0003_activities_and_commissions': m0003 });
}

describe(`migration 0004 (one history row per changed row) on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false });
    await migrateThrough0003(database.db);
  });
  afterAll(() => database.close());

  test('per-field rows written before it keep their ids, order and values, and the history answers as before', async () => {
    const db = database.db;
    await db.insertInto('organisation').values({ code: 'sdn-farsta', name: 'Farsta', kind: 'stadsdelsnamnd' }).execute();
    await db.insertInto('budget_year').values({ year: 2022 }).execute();
    await db.insertInto('period').values({ year: 2022, code: 'T1' }).execute();
    const dg = await db.insertInto('direction_goal').values({ year: 2022, code: '1', title: 'D' }).returning('id').executeTakeFirstOrThrow();
    const g = await db.insertInto('kf_goal').values({ year: 2022, code: '1.1', title: 'G', direction_goal_id: dg.id }).returning('id').executeTakeFirstOrThrow();
    const i = await db
      .insertInto('indicator')
      .values({ year: 2022, kf_goal_id: g.id, code: '1.1.1', title: 'I', unit: '%', direction: 'higher', frequency: 'tertial' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: reportId } = await db.insertInto('report').values({ year: 2022, period: 'T1', organisation_code: 'sdn-farsta' }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into change_history (report_id, entity, entity_id, field, old_value, new_value, changed_by, changed_by_name, changed_at, request_id) values
      (${reportId}, 'indicator', ${i.id}, 'outcome', null, '3.10', 'anna', 'Anna', '2022-05-01T10:00:00Z', 'r1'),
      (${reportId}, 'indicator', ${i.id}, 'comment', null, 'Ökat', 'anna', 'Anna', '2022-05-01T10:00:00Z', 'r1'),
      (${reportId}, 'report', null, 'state', 'open', 'submitted', 'anna', 'Anna', '2022-05-02T10:00:00Z', 'r2')`.execute(db);
    const before = await sql<{ id: string }>`select id::text from change_history order by id`.execute(db);

    expect(await migrateToLatest(db)).toContain('0004_history_one_row_per_change');

    const after = await sql<{ id: string; changes: unknown }>`select id::text, changes from change_history order by id`.execute(db);
    expect(after.rows.map((r) => r.id)).toEqual(before.rows.map((r) => r.id));
    expect(after.rows.map((r) => r.changes)).toEqual([{ outcome: [null, '3.10'] }, { comment: [null, 'Ökat'] }, { state: ['open', 'submitted'] }]);
    expect(
      (await loadHistory(db, reportId)).map(({ entity, entityCode, field, oldValue, newValue, by, requestId }) => ({
        entity,
        entityCode,
        field,
        oldValue,
        newValue,
        by,
        requestId,
      })),
    ).toEqual([
      { entity: 'indicator', entityCode: '1.1.1', field: 'outcome', oldValue: null, newValue: '3.10', by: 'anna', requestId: 'r1' },
      { entity: 'indicator', entityCode: '1.1.1', field: 'comment', oldValue: null, newValue: 'Ökat', by: 'anna', requestId: 'r1' },
      { entity: 'report', entityCode: null, field: 'state', oldValue: 'open', newValue: 'submitted', by: 'anna', requestId: 'r2' },
    ]);
    // No foreign key is checked per history row any more.
    const fks = await sql<{ n: number }>`select count(*)::int as n from pg_constraint where conrelid = 'change_history'::regclass and contype = 'f'`.execute(db);
    expect(fks.rows[0]!.n).toBe(0);
  });
});

describe(`the history of a write on ${testDatabaseKind}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  test('one history row per changed row, its fields in the spec’s order; GET …/history answers one entry per field', async () => {
    const token = await api.token('controller', ['sdn-farsta'], 'anna', 'Anna Ekonom');
    const path = '/api/v1/years/2022/organisations/sdn-farsta/reports/VB';
    const report = (await request(api.app).get(path).auth(token, { type: 'bearer' })).body as Report;
    const [a, b] = report.indicators;
    const res = await request(api.app)
      .put(path)
      .auth(token, { type: 'bearer' })
      .send({
        indicators: [
          { indicatorId: a!.indicatorId, baseVersion: a!.version, comment: 'Kommentar', outcome: '12,5', forecast: 13 },
          { indicatorId: b!.indicatorId, baseVersion: b!.version, forecast: 7 },
        ],
      });
    expect(res.status).toBe(200);
    const { id: reportId } = await api.database.db
      .selectFrom('report')
      .select('id')
      .where('year', '=', 2022)
      .where('period', '=', 'VB')
      .where('organisation_code', '=', 'sdn-farsta')
      .executeTakeFirstOrThrow();
    const rows = await api.database.db.selectFrom('change_history').select(['entity_id', 'changes']).where('report_id', '=', reportId).orderBy('id').execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { entity_id: a!.indicatorId, changes: { outcome: [null, '12.5'], forecast: [null, '13'], comment: [null, 'Kommentar'] } },
        { entity_id: b!.indicatorId, changes: { forecast: [null, '7'] } },
      ]),
    );
    expect(rows).toHaveLength(2);
    const history = (await request(api.app).get(`${path}/history`).auth(token, { type: 'bearer' })).body as Array<{
      entityId: number;
      field: string;
      oldValue: string | null;
      newValue: string | null;
      byName: string;
    }>;
    expect(history.filter((h) => h.entityId === a!.indicatorId).map((h) => [h.field, h.oldValue, h.newValue, h.byName])).toEqual([
      ['outcome', null, '12.5', 'Anna Ekonom'],
      ['forecast', null, '13', 'Anna Ekonom'],
      ['comment', null, 'Kommentar', 'Anna Ekonom'],
    ]);
  });
});
