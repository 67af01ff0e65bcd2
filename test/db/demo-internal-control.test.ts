import type { DatabaseHandle } from '../../api/db/connection';
import { seedDemoEarlierYear } from '../../api/services/demo-earlier-year';
import { getOrgPlan } from '../../api/services/plan-service';
import { getReport } from '../../api/services/report-service';
import { openTestDatabase, testDatabaseKind } from '../support/db';

/** The demo's intern kontroll: a risk analysis for three organisations, and a year before whose follow-up has deviations and one "partly". */
describe(`demo internal control on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoEarlierYear(database.db);
  }, 180_000);
  afterAll(() => database.close());

  test("three organisations' plans carry a risk analysis with every decision and a control plan", async () => {
    for (const organisation of ['sdn-hagersten-alvsjo', 'fn-aldre', 'fn-utbildning']) {
      const plan = await getOrgPlan(database.db, 2022, organisation);
      expect(plan.internalControl.risks.length).toBeGreaterThanOrEqual(3);
      expect(plan.internalControl.risks.flatMap((r) => r.controls).length).toBeGreaterThanOrEqual(2);
    }
    const hagersten = await getOrgPlan(database.db, 2022, 'sdn-hagersten-alvsjo');
    expect(new Set(hagersten.internalControl.risks.map((r) => r.decision))).toEqual(new Set(['accept', 'act', 'control']));
    expect(hagersten.internalControl.matrix.flat().reduce((a, b) => a + b, 0)).toBe(hagersten.internalControl.risks.length);
    expect((await getOrgPlan(database.db, 2022, 'sdn-bromma')).internalControl.risks).toEqual([]);
  });

  test('the year before: handed-in T2 and VB follow every control up; deviations, controls not performed with a reason, and Hägersten-Älvsjö judges partly sufficient', async () => {
    const report = (organisation: string, period: 'T2' | 'VB') => getReport(database.db, { organisation, year: 2021, period });
    const hagerstenVb = await report('sdn-hagersten-alvsjo', 'VB');
    expect(hagerstenVb.state).toBe('locked');
    expect(hagerstenVb.controls.every((c) => c.performed !== null)).toBe(true);
    expect(hagerstenVb.controls.filter((c) => c.performed === 'no').every((c) => c.reason !== null)).toBe(true);
    expect(hagerstenVb.internalControl).toEqual([expect.objectContaining({ judgement: 'partly', motivation: expect.any(String), notPerformed: 1, deviations: 1 })]);
    const hagerstenT2 = await report('sdn-hagersten-alvsjo', 'T2');
    expect(hagerstenT2.controls.map((c) => [c.code, c.performed, c.result])).toEqual([
      ['K1', 'yes', 'deviation'],
      ['K3', 'no', null],
    ]);
    for (const organisation of ['fn-aldre', 'fn-utbildning']) {
      const vb = await report(organisation, 'VB');
      expect(vb.internalControl[0]).toMatchObject({ judgement: 'sufficient', motivation: null });
      expect(vb.controls.every((c) => c.performed === 'yes' && c.result !== null)).toBe(true);
    }
  });
});
