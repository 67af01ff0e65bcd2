import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { migrateThrough, migrateToLatest } from '../../api/db/migrate';
import type { Database } from '../../api/db/schema';
import * as m0001 from '../../migrations/0001_model';
import { openTestDatabase, testDatabaseKind } from '../support/db';

/** Applies only the first migration, as a database created before 0002 has it. */
async function migrateToModelOnly(db: Kysely<Database>): Promise<void> {
  await migrateThrough(db, { '0001_model': m0001 });
}

describe(`migration 0002 (user ids in changed_by / submitted_by) on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false });
    await migrateToModelOnly(database.db);
  });
  afterAll(() => database.close());

  test('names written before it move beside the ids; ids come from the report history where it has them', async () => {
    const db = database.db;
    await db.insertInto('organisation').values({ code: 'sdn-farsta', name: 'Farsta', kind: 'stadsdelsnamnd' }).execute();
    await db.insertInto('budget_year').values({ year: 2022 }).execute();
    await db
      .insertInto('period')
      .values([
        { year: 2022, code: 'T1' },
        { year: 2022, code: 'T2' },
      ])
      .execute();
    const dg = await db.insertInto('direction_goal').values({ year: 2022, code: '1', title: 'D' }).returning('id').executeTakeFirstOrThrow();
    const g = await db.insertInto('kf_goal').values({ year: 2022, code: '1.1', title: 'G', direction_goal_id: dg.id }).returning('id').executeTakeFirstOrThrow();
    const ids = [];
    for (const code of ['1.1.1', '1.1.2', '1.1.3']) {
      const i = await db
        .insertInto('indicator')
        .values({ year: 2022, kf_goal_id: g.id, code, title: code, unit: '%', direction: 'higher', frequency: 'tertial' })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(i.id);
    }
    // As 0001-era code wrote them: a display name, the import's marker, and nothing.
    await sql`insert into org_indicator (organisation_code, indicator_id, annual_target, changed_by, changed_at) values
      ('sdn-farsta', ${ids[0]}, 5, 'Cecilia Controller', now()), ('sdn-farsta', ${ids[1]}, 6, 'import', now()), ('sdn-farsta', ${ids[2]}, null, null, null)`.execute(db);
    const submitted = await sql<{ id: number }>`insert into report (year, period, organisation_code, state, submitted_at, submitted_by)
      values (2022, 'T1', 'sdn-farsta', 'submitted', now(), 'Anna Andersson') returning id`.execute(db);
    const reportId = submitted.rows[0]!.id;
    await sql`insert into change_history (report_id, entity, field, old_value, new_value, changed_by, changed_by_name) values
      (${reportId}, 'report', 'state', 'open', 'submitted', 'anna-sub', 'Anna Andersson')`.execute(db);
    await sql`insert into report (year, period, organisation_code, state, submitted_at, submitted_by)
      values (2022, 'T2', 'sdn-farsta', 'submitted', now(), 'Bo Utan Historik')`.execute(db);

    expect(await migrateToLatest(db)).toContain('0002_actor_ids_and_plan_history');

    const targets = await db.selectFrom('org_indicator').select(['indicator_id', 'changed_by', 'changed_by_name']).orderBy('indicator_id').execute();
    expect(targets).toEqual([
      { indicator_id: ids[0], changed_by: null, changed_by_name: 'Cecilia Controller' },
      { indicator_id: ids[1], changed_by: 'import', changed_by_name: 'Planimport' },
      { indicator_id: ids[2], changed_by: null, changed_by_name: null },
    ]);
    const reports = await db.selectFrom('report').select(['period', 'submitted_by', 'submitted_by_name']).orderBy('period').execute();
    expect(reports).toEqual([
      { period: 'T1', submitted_by: 'anna-sub', submitted_by_name: 'Anna Andersson' },
      { period: 'T2', submitted_by: null, submitted_by_name: 'Bo Utan Historik' },
    ]);
  });

  test('a report row keeps årsmål only together with the time they were kept', async () => {
    const db = database.db;
    const report = await db.selectFrom('report').select('id').where('period', '=', 'T1').executeTakeFirstOrThrow();
    const indicator = await db.selectFrom('indicator').select('id').where('code', '=', '1.1.1').executeTakeFirstOrThrow();
    await db.insertInto('indicator_result').values({ report_id: report.id, indicator_id: indicator.id }).execute();
    const keep = (values: { targets_fixed_at: Date | null; fixed_kf_target: number | null }) =>
      db.updateTable('indicator_result').set(values).where('report_id', '=', report.id).execute();
    await expect(keep({ targets_fixed_at: null, fixed_kf_target: 5 })).rejects.toThrow();
    await keep({ targets_fixed_at: new Date(), fixed_kf_target: 5 });
  });
});
