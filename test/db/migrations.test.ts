import { sql } from 'kysely';
import { migrateToLatest } from '../../api/db/migrate';
import type { DatabaseHandle } from '../../api/db/connection';
import { openTestDatabase, testDatabaseKind } from '../support/db';

describe(`migrations on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
  });
  afterAll(() => database.close());

  test('an empty database gets the whole model, and a second run applies nothing', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(database.db);
    expect(tables.rows.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'organisation',
        'budget_year',
        'direction_goal',
        'kf_goal',
        'org_goal',
        'indicator',
        'activity',
        'org_indicator',
        'period',
        'report',
        'indicator_result',
        'goal_assessment',
        'change_history',
        'idempotency_key',
        'org_plan',
        'ambition_request',
        'ambition_request_event',
        'ic_risk',
        'ic_control',
        'control_followup',
        'ic_assessment',
      ]),
    );
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  test('values are numeric and times timestamptz', async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema()
        and (table_name, column_name) in (('indicator_result','outcome'), ('indicator_result','forecast'),
          ('org_indicator','annual_target'), ('indicator','kf_annual_target'), ('indicator_result','changed_at'))`.execute(database.db);
    const types = Object.fromEntries(columns.rows.map((c) => [`${c.table_name}.${c.column_name}`, c.data_type]));
    expect(types).toEqual({
      'indicator_result.outcome': 'numeric',
      'indicator_result.forecast': 'numeric',
      'org_indicator.annual_target': 'numeric',
      'indicator.kf_annual_target': 'numeric',
      'indicator_result.changed_at': 'timestamp with time zone',
    });
  });

  test('check constraints and foreign keys refuse what the domain does not allow', async () => {
    const db = database.db;
    await expect(
      db
        .insertInto('organisation')
        .values({ code: 'x', name: 'X', kind: 'kommun' as never })
        .execute(),
    ).rejects.toThrow();
    await db.insertInto('budget_year').values({ year: 2030 }).execute();
    await expect(
      db
        .insertInto('period')
        .values({ year: 2030, code: 'T4' as never })
        .execute(),
    ).rejects.toThrow();
    await expect(db.insertInto('period').values({ year: 2031, code: 'T1' }).execute()).rejects.toThrow(); // no such year
    const dg = await db.insertInto('direction_goal').values({ year: 2030, code: '1', title: 'D' }).returning('id').executeTakeFirstOrThrow();
    const g = await db.insertInto('kf_goal').values({ year: 2030, code: '1.1', title: 'G', direction_goal_id: dg.id }).returning('id').executeTakeFirstOrThrow();
    const indicator = { year: 2030, kf_goal_id: g.id, code: '1.1.1', title: 'I', unit: '%', frequency: 'tertial' as const };
    await expect(
      db
        .insertInto('indicator')
        .values({ ...indicator, direction: 'band' })
        .execute(),
    ).rejects.toThrow(); // band needs a tolerance
    await expect(
      db
        .insertInto('indicator')
        .values({ ...indicator, direction: 'sideways' as never })
        .execute(),
    ).rejects.toThrow();
    await db
      .insertInto('indicator')
      .values({ ...indicator, direction: 'higher' })
      .execute();
    await expect(
      db
        .insertInto('indicator')
        .values({ ...indicator, direction: 'higher' })
        .execute(),
    ).rejects.toThrow(); // same code twice
  });

  test('plans and ambition requests: only known states, one request per organisation, indicator and year, plan history of årsmål and states', async () => {
    const db = database.db;
    await db.insertInto('budget_year').values({ year: 2040 }).execute();
    await db.insertInto('organisation').values({ code: 'o-2040', name: 'O', kind: 'facknamnd' }).execute();
    const dg = await db.insertInto('direction_goal').values({ year: 2040, code: '1', title: 'D' }).returning('id').executeTakeFirstOrThrow();
    const g = await db.insertInto('kf_goal').values({ year: 2040, code: '1.1', title: 'G', direction_goal_id: dg.id }).returning('id').executeTakeFirstOrThrow();
    const i = await db
      .insertInto('indicator')
      .values({ year: 2040, kf_goal_id: g.id, code: '1.1.1', title: 'I', unit: '%', frequency: 'tertial', direction: 'higher' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = { year: 2040, organisation_code: 'o-2040' };
    await expect(
      db
        .insertInto('org_plan')
        .values({ ...plan, state: 'accepted' as never })
        .execute(),
    ).rejects.toThrow();
    await db
      .insertInto('org_plan')
      .values({ ...plan, state: 'draft' })
      .execute();
    const req = { ...plan, indicator_id: i.id, comment: 'Höj', requested_by: 'c', requested_at: new Date() };
    await expect(
      db
        .insertInto('ambition_request')
        .values({ ...req, state: 'closed' as never })
        .execute(),
    ).rejects.toThrow();
    const { id } = await db
      .insertInto('ambition_request')
      .values({ ...req, state: 'open' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('ambition_request')
        .values({ ...req, state: 'open' })
        .execute(),
    ).rejects.toThrow(); // one per organisation, indicator and year
    await expect(
      db
        .insertInto('ambition_request_event')
        .values({ request_id: id, action: 'shouted' as never, state: 'open', changed_by: 'c' })
        .execute(),
    ).rejects.toThrow();
    const history = { year: 2040, organisation_code: 'o-2040', field: 'state' as const, changed_by: 'c' };
    await db
      .insertInto('plan_history')
      .values({ ...history, entity: 'plan' })
      .execute();
    await expect(
      db
        .insertInto('plan_history')
        .values({ ...history, entity: 'report' as never })
        .execute(),
    ).rejects.toThrow();
  });

  test('internal control: probability and consequence 1–4, known decisions, a risk code and a control code once per organisation and year, T2/VB periods', async () => {
    const db = database.db;
    await db.insertInto('budget_year').values({ year: 2041 }).execute();
    await db.insertInto('organisation').values({ code: 'o-2041', name: 'O', kind: 'facknamnd' }).execute();
    const risk = { year: 2041, organisation_code: 'o-2041', code: 'R1', process: 'P', description: 'D', probability: 2, consequence: 3, decision: 'control' as const };
    await expect(
      db
        .insertInto('ic_risk')
        .values({ ...risk, probability: 5 })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('ic_risk')
        .values({ ...risk, consequence: 0 })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('ic_risk')
        .values({ ...risk, decision: 'ignore' as never })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('ic_risk')
        .values({ ...risk, year: 2042 })
        .execute(),
    ).rejects.toThrow(); // no such year
    const { id } = await db.insertInto('ic_risk').values(risk).returning('id').executeTakeFirstOrThrow();
    await expect(db.insertInto('ic_risk').values(risk).execute()).rejects.toThrow(); // code once
    const control = { risk_id: id, year: 2041, organisation_code: 'o-2041', code: 'K1', checked: 'C', method: 'M', frequency: 'F', responsible: 'R' };
    const periods = (p: string) => sql<('T2' | 'VB')[]>`${p}::text[]`;
    await expect(
      db
        .insertInto('ic_control')
        .values({ ...control, reporting_periods: periods('{T1}') })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('ic_control')
        .values({ ...control, reporting_periods: periods('{}') })
        .execute(),
    ).rejects.toThrow();
    await db
      .insertInto('ic_control')
      .values({ ...control, reporting_periods: periods('{T2,VB}') })
      .execute();
    await expect(
      db
        .insertInto('ic_control')
        .values({ ...control, reporting_periods: periods('{VB}') })
        .execute(),
    ).rejects.toThrow(); // code once
    await db.deleteFrom('ic_risk').where('id', '=', id).execute();
    expect(await db.selectFrom('ic_control').select('id').where('year', '=', 2041).execute()).toEqual([]); // controls go with their risk
  });

  test('internal control follow-up: known answers only, one assessment per report', async () => {
    const db = database.db;
    await db.insertInto('budget_year').values({ year: 2043 }).execute();
    await db.insertInto('organisation').values({ code: 'o-2043', name: 'O', kind: 'facknamnd' }).execute();
    await db.insertInto('period').values({ year: 2043, code: 'VB' }).execute();
    const report = await db.insertInto('report').values({ year: 2043, period: 'VB', organisation_code: 'o-2043' }).returning('id').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('ic_assessment')
        .values({ report_id: report.id, judgement: 'good' as never })
        .execute(),
    ).rejects.toThrow();
    await db.insertInto('ic_assessment').values({ report_id: report.id, judgement: 'partly' }).execute();
    await expect(db.insertInto('ic_assessment').values({ report_id: report.id }).execute()).rejects.toThrow(); // one per report
    const risk = await db
      .insertInto('ic_risk')
      .values({ year: 2043, organisation_code: 'o-2043', code: 'R1', process: 'P', description: 'D', probability: 1, consequence: 1, decision: 'control' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const control = await db
      .insertInto('ic_control')
      .values({
        risk_id: risk.id,
        year: 2043,
        organisation_code: 'o-2043',
        code: 'K1',
        checked: 'C',
        method: 'M',
        frequency: 'F',
        responsible: 'R',
        reporting_periods: sql<('T2' | 'VB')[]>`'{VB}'::text[]`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = { report_id: report.id, control_id: control.id };
    await expect(
      db
        .insertInto('control_followup')
        .values({ ...row, performed: 'maybe' as never })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('control_followup')
        .values({ ...row, result: 'ok' as never })
        .execute(),
    ).rejects.toThrow();
    await db
      .insertInto('control_followup')
      .values({ ...row, performed: 'yes', result: 'deviation' })
      .execute();
    await db.insertInto('change_history').values({ report_id: report.id, entity: 'control', entity_id: control.id, changes: '{}', changed_by: 'c' }).execute();
    await db.insertInto('change_history').values({ report_id: report.id, entity: 'internal_control', entity_id: report.id, changes: '{}', changed_by: 'c' }).execute();
  });
});
