import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PlanDocumentSchema } from '../../core/contract/plan';
import type { DatabaseHandle } from '../../api/db/connection';
import { importPlan, PlanReferenceError } from '../../api/db/plan-import';
import { openTestDatabase, testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const nextYear = {
  year: 2023,
  assessmentDefaults: { partialThresholdPercent: 75 },
  directionGoals: [
    {
      code: '3',
      title: 'Ett Stockholm med en stabil och hållbar ekonomi med utbildning, jobb och bostäder för alla',
      kfGoals: [
        {
          code: '3.1',
          title: 'Stockholm har en budget i balans',
          indicators: [
            { code: '3.1.1', title: 'Budgetföljsamhet', unit: '%', direction: 'band', tolerance: 1, frequency: 'tertial', annualTarget: 100 },
            { code: '3.1.9', title: 'Ny indikator', unit: 'antal', direction: 'higher', frequency: 'annual', annualTarget: 10, reportedBy: ['sdn-farsta'] },
          ],
          activities: [{ code: 'A1', title: 'Följ upp budgeten varje månad' }],
        },
      ],
    },
  ],
};

describe(`plan import on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  test('a new year: codes matched, reporters carried over from the year before unless named', async () => {
    const summary = await importPlan(database.db, PlanDocumentSchema.parse(nextYear));
    expect(summary).toMatchObject({ year: 2023, directionGoals: 1, kfGoals: 1, indicators: 2 });
    const reporters = async (code: string) =>
      (
        await database.db
          .selectFrom('org_indicator as oi')
          .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
          .select('oi.organisation_code')
          .where('i.year', '=', 2023)
          .where('i.code', '=', code)
          .execute()
      ).map((r) => r.organisation_code);
    expect(await reporters('3.1.1')).toHaveLength(30);
    expect(await reporters('3.1.9')).toEqual(['sdn-farsta']);
    const year = await database.db.selectFrom('budget_year').selectAll().where('year', '=', 2023).executeTakeFirstOrThrow();
    expect(Number(year.partial_threshold_percent)).toBe(75);
    const periods = await database.db.selectFrom('period').select('code').where('year', '=', 2023).execute();
    expect(periods.map((p) => p.code).sort()).toEqual(['T1', 'T2', 'VB']);
  });

  test('importing the same document again changes nothing', async () => {
    const before = await databaseSnapshot(database.db);
    await importPlan(database.db, PlanDocumentSchema.parse(nextYear));
    expect(await databaseSnapshot(database.db)).toBe(before);
  });

  test('a reference to an unknown organisation names its path and writes nothing', async () => {
    const before = await databaseSnapshot(database.db);
    const bad = structuredClone(nextYear);
    bad.year = 2024;
    bad.directionGoals[0]!.kfGoals[0]!.indicators[1]!.reportedBy = ['sdn-farsta', 'sdn-atlantis'];
    const error = await importPlan(database.db, PlanDocumentSchema.parse(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanReferenceError);
    expect((error as PlanReferenceError).path).toBe('directionGoals[0].kfGoals[0].indicators[1].reportedBy[1]');
    expect(await databaseSnapshot(database.db)).toBe(before);
  });

  test('the schema names the path of a bad field', () => {
    const bad = structuredClone(nextYear) as { directionGoals: { kfGoals: { indicators: Record<string, unknown>[] }[] }[] };
    bad.directionGoals[0]!.kfGoals[0]!.indicators[0]!.direction = 'upwards';
    delete bad.directionGoals[0]!.kfGoals[0]!.indicators[1]!.unit;
    const parsed = PlanDocumentSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['directionGoals.0.kfGoals.0.indicators.0.direction', 'directionGoals.0.kfGoals.0.indicators.1.unit']));
  });
});

describe('npm run import', () => {
  const run = promisify(execFile);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-import-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a bad file is refused with the path of the bad field and exit code 1', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...nextYear, year: 'tjugotjugotre' }));
    const result = await run('npx', ['tsx', 'scripts/import-plan.ts', file], {
      cwd: path.join(__dirname, '../..'),
      env: { ...process.env, TERTIAL_DATA_DIR: dir, DATABASE_URL: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stderr: string }).stderr).toContain('year:');
    expect(fs.existsSync(path.join(dir, 'pglite'))).toBe(false); // refused before opening the database
  });
});
