import { sql } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { seedDemoResults } from '../../api/services/demo-service';
import { openTestDatabase, testDatabaseKind } from '../support/db';

/** The demo year's activities and uppdrag: states of every kind, so the centre's picture has them all. */
describe(`demo activities and uppdrag on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoResults(database.db);
  }, 180_000);
  afterAll(() => database.close());

  test('T1 has every activity state, each cancelled one with why; uppdrag started, not started, and the one from the year before done', async () => {
    const activities = await sql<{ state: string | null; n: string; without_comment: string }>`
      select f.state, count(*) as n, count(*) filter (where f.comment is null) as without_comment
      from activity_followup f join report r on r.id = f.report_id
      where r.year = 2022 and r.period = 'T1' group by f.state`.execute(database.db);
    const byState = new Map(activities.rows.map((r) => [r.state, r]));
    for (const state of ['not_started', 'ongoing', 'done', 'cancelled']) expect(Number(byState.get(state)?.n ?? 0)).toBeGreaterThan(0);
    expect(Number(byState.get('cancelled')!.without_comment)).toBe(0);
    const commissions = await sql<{ code: string; state: string | null }>`
      select c.code, f.state from commission_followup f join commission c on c.id = f.commission_id join report r on r.id = f.report_id
      where r.year = 2022 and r.period = 'T1' order by c.code`.execute(database.db);
    expect(commissions.rows.find((c) => c.code === 'KF-2021-14')?.state).toBe('done');
    expect(new Set(commissions.rows.map((c) => c.state))).toEqual(new Set(['done', 'ongoing', 'not_started']));
  });

  test('reports submitted in the demo have a state for every activity and uppdrag', async () => {
    const submitted = await sql<{ n: string; missing: string }>`
      select count(distinct r.id) as n,
        (select count(*) from activity_followup f join report s on s.id = f.report_id where s.state = 'submitted' and f.state is null)
        + (select count(*) from commission_followup f join report s on s.id = f.report_id where s.state = 'submitted' and f.state is null) as missing
      from report r where r.state = 'submitted'`.execute(database.db);
    expect(Number(submitted.rows[0]!.n)).toBeGreaterThan(10);
    expect(Number(submitted.rows[0]!.missing)).toBe(0);
  });
});
