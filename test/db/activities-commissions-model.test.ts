import { sql } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { openTestDatabase, testDatabaseKind } from '../support/db';

/** The model of migration 0003: what the database itself refuses about activities and uppdrag. */
describe(`activities and uppdrag in the model on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  let kfGoalId: number;
  let reportId: number;
  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
    const db = database.db;
    await db
      .insertInto('organisation')
      .values([
        { code: 'sdn-a', name: 'A', kind: 'stadsdelsnamnd' },
        { code: 'fn-b', name: 'B', kind: 'facknamnd' },
      ])
      .execute();
    await db.insertInto('budget_year').values({ year: 2030 }).execute();
    await db.insertInto('period').values({ year: 2030, code: 'T1' }).execute();
    const dg = await db.insertInto('direction_goal').values({ year: 2030, code: '1', title: 'D' }).returning('id').executeTakeFirstOrThrow();
    kfGoalId = (await db.insertInto('kf_goal').values({ year: 2030, code: '1.1', title: 'G', direction_goal_id: dg.id }).returning('id').executeTakeFirstOrThrow()).id;
    reportId = (await db.insertInto('report').values({ year: 2030, period: 'T1', organisation_code: 'sdn-a' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => database.close());

  test('an activity has optional dates that do not run backwards, and one code per goal', async () => {
    const db = database.db;
    const activity = { year: 2030, kf_goal_id: kfGoalId, title: 'A' };
    const { id } = await db
      .insertInto('activity')
      .values({ ...activity, code: 'A1', start_date: '2030-02-01', end_date: '2030-06-30' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('activity')
      .values({ ...activity, code: 'A2' })
      .execute();
    await expect(
      db
        .insertInto('activity')
        .values({ ...activity, code: 'A3', start_date: '2030-06-30', end_date: '2030-02-01' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('activity')
        .values({ ...activity, code: 'A1' })
        .execute(),
    ).rejects.toThrow();
    const read = await db
      .selectFrom('activity')
      .select(sql<string>`start_date::text`.as('start'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(read.start).toBe('2030-02-01');
    await db.insertInto('org_activity').values({ organisation_code: 'sdn-a', activity_id: id }).execute();
    await expect(db.insertInto('org_activity').values({ organisation_code: 'nobody', activity_id: id }).execute()).rejects.toThrow();
  });

  test('an uppdrag is given by KF or KS, once per code and year, to a known organisation', async () => {
    const db = database.db;
    const commission = { code: 'U1', title: 'Utred', responsible_organisation_code: 'sdn-a', deadline: '2031-04-30' };
    await db
      .insertInto('commission')
      .values({ ...commission, year_given: 2030, given_by: 'KF' })
      .execute();
    await db
      .insertInto('commission')
      .values({ ...commission, year_given: 2031, given_by: 'KS' })
      .execute(); // the same code another year is another uppdrag
    await expect(
      db
        .insertInto('commission')
        .values({ ...commission, year_given: 2030, given_by: 'KS' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('commission')
        .values({ ...commission, code: 'U2', year_given: 2030, given_by: 'RF' as never })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('commission')
        .values({ ...commission, code: 'U3', year_given: 2030, given_by: 'KF', responsible_organisation_code: 'nobody' })
        .execute(),
    ).rejects.toThrow();
  });

  test('follow-up states are the domain words', async () => {
    const db = database.db;
    const activity = await db.selectFrom('activity').select('id').where('code', '=', 'A2').executeTakeFirstOrThrow();
    const commission = await db.selectFrom('commission').select('id').where('year_given', '=', 2030).executeTakeFirstOrThrow();
    await db.insertInto('activity_followup').values({ report_id: reportId, activity_id: activity.id, state: 'cancelled', comment: 'Ersatt' }).execute();
    await expect(
      db
        .updateTable('activity_followup')
        .set({ state: 'reported' as never })
        .execute(),
    ).rejects.toThrow();
    await db.insertInto('commission_followup').values({ report_id: reportId, commission_id: commission.id, state: 'reported' }).execute();
    await expect(
      db
        .updateTable('commission_followup')
        .set({ state: 'cancelled' as never })
        .execute(),
    ).rejects.toThrow();
  });
});
