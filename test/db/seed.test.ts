import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { seedDemoIfEmpty } from '../../api/db/seed';
import { openTestDatabase, testDatabaseKind } from '../support/db';

type RefIndicator = { code: string; title: string; direction: string; annualTarget: number; source?: string; tolerance?: number };
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data-seed/reference-budget.json'), 'utf8')) as {
  organisations: { code: string; name: string; kind: string }[];
  directionGoals: { code: string; title: string; kfGoals: { code: string; title: string; indicators: RefIndicator[] }[] }[];
};

describe(`demo seed on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
    expect(await seedDemoIfEmpty(database.db)).not.toBeNull();
  });
  afterAll(() => database.close());

  const count = async (table: 'organisation' | 'direction_goal' | 'kf_goal' | 'indicator' | 'org_goal' | 'org_indicator' | 'period') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select(sql<string>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('the reference budget is there exactly as given', async () => {
    expect(await count('organisation')).toBe(30);
    expect(await count('direction_goal')).toBe(3);
    expect(await count('kf_goal')).toBe(12);
    expect(await count('indicator')).toBe(16);
    const orgs = await database.db.selectFrom('organisation').select(['code', 'name', 'kind']).orderBy('code').execute();
    expect(orgs).toEqual([...reference.organisations].sort((a, b) => (a.code < b.code ? -1 : 1)));
    const indicators = await database.db.selectFrom('indicator').selectAll().where('year', '=', 2022).execute();
    const expected = reference.directionGoals.flatMap((d) => d.kfGoals.flatMap((g) => g.indicators));
    for (const ref of expected) {
      const row = indicators.find((i) => i.code === ref.code)!;
      expect(row).toBeDefined();
      expect(row.title).toBe(ref.title);
      expect(row.direction).toBe(ref.direction);
      expect(Number(row.kf_annual_target)).toBe(ref.annualTarget);
      expect(row.source).toBe(ref.source ?? null);
      expect(row.tolerance === null ? undefined : Number(row.tolerance)).toBe(ref.tolerance);
    }
  });

  test('periods T1, T2 and VB are open', async () => {
    const periods = await database.db.selectFrom('period').select(['code', 'state']).where('year', '=', 2022).orderBy('code').execute();
    expect(periods).toEqual([
      { code: 'T1', state: 'open' },
      { code: 'T2', state: 'open' },
      { code: 'VB', state: 'open' },
    ]);
  });

  test('a plausible assignment: everyone reports budget and sick leave, the school board the school indicators', async () => {
    const reporters = async (code: string) =>
      (
        await database.db
          .selectFrom('org_indicator as oi')
          .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
          .select('oi.organisation_code')
          .where('i.code', '=', code)
          .execute()
      ).map((r) => r.organisation_code);
    expect(await reporters('3.1.1')).toHaveLength(30);
    expect(await reporters('3.2.1')).toHaveLength(30);
    expect(await reporters('1.3.1')).toEqual(['fn-utbildning']);
    expect((await reporters('1.5.3')).filter((o) => o.startsWith('sdn-'))).toHaveLength(11);
    const goalsPerOrg = await database.db
      .selectFrom('org_goal')
      .select(['organisation_code', sql<string>`count(*)`.as('n')])
      .groupBy('organisation_code')
      .execute();
    expect(goalsPerOrg).toHaveLength(30);
    for (const g of goalsPerOrg) expect(Number(g.n)).toBeGreaterThanOrEqual(1);
  });

  test('some nämnd årsmål are less ambitious than KF, so the ambition check has something to find', async () => {
    const below = await database.db
      .selectFrom('org_indicator as oi')
      .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
      .select(['oi.organisation_code', 'i.code'])
      .where('oi.annual_target', 'is not', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('i.direction', '=', 'higher'), eb('oi.annual_target', '<', eb.ref('i.kf_annual_target'))]),
          eb.and([eb('i.direction', '=', 'lower'), eb('oi.annual_target', '>', eb.ref('i.kf_annual_target'))]),
        ]),
      )
      .orderBy('oi.organisation_code')
      .execute();
    expect(below.length).toBeGreaterThanOrEqual(3);
    expect(below).toContainEqual({ organisation_code: 'sdn-jarva', code: '1.1.1' });
  });

  test('seeding again does not duplicate anything', async () => {
    const before = await Promise.all((['organisation', 'indicator', 'org_goal', 'org_indicator', 'period'] as const).map(count));
    expect(await seedDemoIfEmpty(database.db)).toBeNull();
    const after = await Promise.all((['organisation', 'indicator', 'org_goal', 'org_indicator', 'period'] as const).map(count));
    expect(after).toEqual(before);
  });
});
