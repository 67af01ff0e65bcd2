import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PlanDocumentSchema } from '../../core/contract/plan';
import type { DatabaseHandle } from '../../api/db/connection';
import { importPlan, PlanReferenceError } from '../../api/db/plan-import';
import { preparedDataDir } from '../support/data-dirs';
import { openTestDatabase, testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

/** Issue 15: what `npm run import` says about a document that refers to nothing, names nobody, or quotes its year. */
const root = path.join(__dirname, '..', '..');

function plan(year: number, indicator: Record<string, unknown> = {}) {
  return {
    year,
    directionGoals: [
      {
        code: '3',
        title: 'Ett Stockholm med en stabil och hållbar ekonomi',
        kfGoals: [
          {
            code: '3.1',
            title: 'Stockholm har en budget i balans',
            indicators: [{ code: '3.1.1', title: 'Budgetföljsamhet', unit: '%', direction: 'band', tolerance: 1, frequency: 'tertial', annualTarget: 100, ...indicator }],
          },
        ],
      },
    ],
  };
}

const failure = (e: unknown) => e as PlanReferenceError;

describe(`plan import messages on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  test('an unknown organisation in organisationTargets is "unknown organisation", named by its path; nothing is written', async () => {
    const before = await databaseSnapshot(database.db);
    const doc = { ...plan(2022), organisationTargets: [{ organisation: 'sdn-atlantis', indicator: '3.1.1', annualTarget: 99 }] };
    const error = failure(await importPlan(database.db, PlanDocumentSchema.parse(doc)).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(PlanReferenceError);
    expect(error.path).toBe('organisationTargets[0].organisation');
    expect(error.message).toBe('organisationTargets[0].organisation: unknown organisation sdn-atlantis');
    expect(await databaseSnapshot(database.db)).toBe(before);
  });

  test('a known organisation that does not report on the indicator is still told so', async () => {
    const doc = { ...plan(2035, { reportedBy: ['sdn-farsta'] }), organisationTargets: [{ organisation: 'fn-social', indicator: '3.1.1', annualTarget: 99 }] };
    const error = failure(await importPlan(database.db, PlanDocumentSchema.parse(doc)).catch((e: unknown) => e));
    expect(error.message).toBe('organisationTargets[0]: fn-social does not report on indicator 3.1.1');
  });

  test('a year whose indicators name no reporters, with no earlier year to carry them from, is refused, saying how to name them', async () => {
    const before = await databaseSnapshot(database.db);
    const error = failure(await importPlan(database.db, PlanDocumentSchema.parse(plan(2031))).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(PlanReferenceError);
    expect(error.message).toContain('no organisation would report on any indicator of 2031');
    expect(error.message).toContain('"reportedBy": [');
    expect(await databaseSnapshot(database.db)).toBe(before);
  });

  test('the same year with reportedBy is imported, and the year after carries its reporters over', async () => {
    const named = await importPlan(database.db, PlanDocumentSchema.parse(plan(2031, { reportedBy: ['sdn-farsta', 'fn-social'] })));
    expect(named.assignments).toBe(2);
    const carried = await importPlan(database.db, PlanDocumentSchema.parse(plan(2032)));
    expect(carried.assignments).toBe(2);
  });

  test('"year": "2023" in quotes is refused with a clear message, not read as 2023', () => {
    const parsed = PlanDocumentSchema.safeParse({ ...plan(2023), year: '2023' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['year: must be a number such as 2023, without quotes (got "2023")']);
    expect(PlanDocumentSchema.safeParse(plan(2023)).success).toBe(true);
  });
});

describe('npm run import says it in words', () => {
  const run = promisify(execFile);
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  async function importFile(doc: unknown): Promise<{ code: number; stderr: string }> {
    const dataDir = await preparedDataDir('tertial-import-msg-');
    dirs.push(dataDir);
    const file = path.join(dataDir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    return run(process.execPath, ['--import', 'tsx', 'scripts/import-plan.ts', file], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', TERTIAL_DATA_DIR: dataDir, DATABASE_URL: '' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
  }

  test('an unknown organisation in organisationTargets', async () => {
    const result = await importFile({ ...plan(2022), organisationTargets: [{ organisation: 'sdn-atlantis', indicator: '3.1.1', annualTarget: 99 }] });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('organisationTargets[0].organisation: unknown organisation sdn-atlantis; nothing was written');
    expect(result.stderr).not.toContain('does not report on');
  });

  test('a year nobody would report on, and a year in quotes', async () => {
    const nobody = await importFile(plan(2040));
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no organisation would report on any indicator of 2040');
    expect(nobody.stderr).toContain('reportedBy');
    const quoted = await importFile({ ...plan(2040), year: '2040' });
    expect(quoted.code).toBe(1);
    expect(quoted.stderr).toContain('year: must be a number such as 2023, without quotes (got "2040")');
  });
});
