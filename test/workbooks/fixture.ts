import request from 'supertest';
import type { Report } from '../../core/contract/report';
import type { TestApi } from '../support/app';
import { YEAR, getJson, putJson, reportPath } from './helpers';

/**
 * A small, known picture at T1 2022, written through the API:
 * - sdn-farsta sets its own årsmål for 1.2.1 to 75 (KF: 80, higher is better: below KF's);
 *   forecasts 1.1.1 = 2,4 (lower, target 2,5: helt), 1.2.1 = 70 (≥ 80 % of 75: delvis),
 *   1.5.1 = 50 (< 80 % of 90: ej); the 6 other indicators stay empty; goal N1 (suggested helt)
 *   assessed delvis with a motivation.
 * - sdn-jarva forecasts every indicator on its target (1.1.1 = 3,9 against its own 4,0, lower):
 *   9 × helt; every goal assessed as suggested; every activity ongoing; submitted.
 * Everyone else reports nothing.
 */
export const FARSTA_MOTIVATION = 'Försörjningsstödet ökar under hösten, målet nås bara delvis.';
export const DEMO_INDICATOR_ROWS = 185; // organisation × indicator pairs in the demo plan (see api/db/demo-plan.ts)
export const DEMO_TERTIAL_ROWS = 91; // of them, pairs with a tertial indicator (1.1.1, 1.5.3, 2.2.1, 2.4.1, 3.1.1, 3.2.1); the rest are annual

export async function writeConsolidationFixture(api: TestApi): Promise<void> {
  const central = await api.token('central', [], 'central-fixture', 'Stadsledningskontoret');
  await putJson(api, central, `/api/v1/years/${YEAR}/organisations/sdn-farsta/targets`, { targets: [{ indicatorId: 2, annualTarget: 75 }] });

  const farsta: Report = await getJson(api, central, reportPath('sdn-farsta'));
  const byCode = new Map(farsta.indicators.map((i) => [i.code, i]));
  const forecasts: Record<string, number> = { '1.1.1': 2.4, '1.2.1': 70, '1.5.1': 50 };
  await putJson(api, central, reportPath('sdn-farsta'), {
    indicators: Object.entries(forecasts).map(([code, forecast]) => ({ indicatorId: byCode.get(code)!.indicatorId, baseVersion: 0, forecast })),
    goals: [{ goalId: farsta.goals.find((g) => g.code === 'N1')!.goalId, baseVersion: 0, assessment: 'delvis', motivation: FARSTA_MOTIVATION }],
  });

  const jarva: Report = await getJson(api, central, reportPath('sdn-jarva'));
  const written: Report = await putJson(api, central, reportPath('sdn-jarva'), {
    indicators: jarva.indicators.map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, forecast: i.code === '1.1.1' ? 3.9 : i.annualTarget })),
  });
  await putJson(api, central, reportPath('sdn-jarva'), {
    goals: written.goals.map((g) => ({ goalId: g.goalId, baseVersion: g.version, assessment: g.suggestedAssessment })),
    activities: written.activities.map((a) => ({ activityId: a.activityId, baseVersion: a.version, state: 'ongoing' })),
  });
  const submit = await request(api.app)
    .post(`${reportPath('sdn-jarva')}/submit`)
    .auth(central, { type: 'bearer' });
  if (submit.status !== 200) throw new Error(`submit: ${submit.status} ${JSON.stringify(submit.body)}`);
}
