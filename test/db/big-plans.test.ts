import { sql } from 'kysely';
import { PlanDocumentSchema } from '../../core/contract/plan';
import { chunked, MAX_BIND_PARAMETERS } from '../../api/db/chunks';
import type { DatabaseHandle } from '../../api/db/connection';
import { importPlan } from '../../api/db/plan-import';
import { openTestDatabase, testDatabaseKind } from '../support/db';

const ORGANISATIONS = 10;
const INDICATORS = 4000;

/**
 * A year in which each of 10 organisations reports on each of 4,000 indicators (40,000 assignments:
 * 80,000 parameters in one multi-row insert), and one organisation sets an årsmål for every one of
 * them (4,000 plan history rows of 10 columns: 40,000 parameters).
 */
function wideYear(year: number) {
  const organisations = Array.from({ length: ORGANISATIONS }, (_, n) => ({ code: `org-${String(n).padStart(2, '0')}`, name: `Organisation ${n}`, kind: 'facknamnd' as const }));
  return PlanDocumentSchema.parse({
    year,
    organisations,
    directionGoals: [
      {
        code: 'W',
        title: 'Brett år',
        kfGoals: Array.from({ length: INDICATORS / 100 }, (_, g) => ({
          code: `W.${g + 1}`,
          title: `KF-mål ${g + 1}`,
          indicators: Array.from({ length: 100 }, (_, n) => ({
            code: `W.${g + 1}.${n + 1}`,
            title: `Indikator ${g + 1}.${n + 1}`,
            unit: 'antal',
            direction: 'higher',
            frequency: 'tertial',
            annualTarget: 10,
            reportedBy: organisations.map((o) => o.code),
          })),
        })),
      },
    ],
    organisationTargets: Array.from({ length: INDICATORS }, (_, n) => ({ organisation: 'org-00', indicator: `W.${Math.floor(n / 100) + 1}.${(n % 100) + 1}`, annualTarget: 12 })),
  });
}

describe(`statement size on ${testDatabaseKind}`, () => {
  test('bulk rows go in chunks under both engines’ parameter limits (PGlite breaks silently at 32,768)', () => {
    const rows = Array.from({ length: 40_000 }, (_, n) => ({ organisation_code: 'x', indicator_id: n }));
    const chunks = chunked(rows, 2);
    expect(chunks.every((c) => c.length * 2 <= MAX_BIND_PARAMETERS)).toBe(true);
    expect(MAX_BIND_PARAMETERS).toBeLessThan(32_768);
    expect(chunks.flat()).toEqual(rows);
    expect(chunked([], 3)).toEqual([]);
  });

  describe('a plan with 40,000 assignments and 4,000 årsmål of one organisation', () => {
    let database: DatabaseHandle;
    beforeAll(async () => {
      database = await openTestDatabase({ seed: false });
    });
    afterAll(() => database.close());

    test('imports whole, and the connection answers afterwards', async () => {
      const summary = await importPlan(database.db, wideYear(2040));
      expect(summary).toMatchObject({ organisations: ORGANISATIONS, indicators: INDICATORS, assignments: ORGANISATIONS * INDICATORS, organisationTargets: INDICATORS });
      const { rows } = await sql<{ assignments: number; targets: number; history: number }>`
        select (select count(*)::int from org_indicator) as assignments,
          (select count(*)::int from org_indicator where annual_target = 12) as targets,
          (select count(*)::int from plan_history where organisation_code is not null) as history`.execute(database.db);
      // PGlite's silent failure would show here as no rows at all.
      expect(rows).toEqual([{ assignments: ORGANISATIONS * INDICATORS, targets: INDICATORS, history: INDICATORS }]);
      // The same document again changes nothing and still fits.
      expect(await importPlan(database.db, wideYear(2040))).toMatchObject({ assignments: ORGANISATIONS * INDICATORS });
      expect((await sql<{ n: number }>`select count(*)::int as n from org_indicator`.execute(database.db)).rows[0]!.n).toBe(ORGANISATIONS * INDICATORS);
    });
  });
});
