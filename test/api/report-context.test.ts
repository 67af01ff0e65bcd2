import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/** What a report shows beside its inputs: the inriktningsmål, the period before, last year. */
describe(`report context on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let farsta: string;
  let central: string;
  const path22 = (period: string) => `/api/v1/years/2022/organisations/sdn-farsta/reports/${period}`;
  beforeAll(async () => {
    api = await startTestApi();
    farsta = await api.token('controller', ['sdn-farsta'], 'anna', 'Anna Ekonom');
    central = await api.token('central', [], 'slk', 'Stadsledningskontoret');
  });
  afterAll(() => api.close());

  const get = async (p: string) => {
    const res = await request(api.app).get(p).set('Authorization', `Bearer ${farsta}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const put = async (p: string, body: object) => {
    const res = await request(api.app).put(p).set('Authorization', `Bearer ${farsta}`).send(body);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const byCode = (report: Report, code: string) => report.indicators.find((i) => i.code === code)!;

  test('goals name their KF goal and inriktningsmål', async () => {
    const report = await get(path22('T1'));
    expect(report.goals.find((g) => g.code === 'N1')).toMatchObject({
      kfGoalCode: '1.1',
      directionGoalCode: '1',
      directionGoalTitle: expect.stringMatching(/^En modern storstad/),
    });
  });

  test("T2 shows T1's forecast beside its own, T1 shows none", async () => {
    const t1 = await get(path22('T1'));
    const indicator = byCode(t1, '1.1.1');
    expect(indicator.previousForecast).toBeNull();
    await put(path22('T1'), { indicators: [{ indicatorId: indicator.indicatorId, baseVersion: indicator.version, forecast: '3,4' }] });
    const t2 = await get(path22('T2'));
    expect(byCode(t2, '1.1.1')).toMatchObject({ previousForecast: 3.4, forecast: null });
    expect(byCode(t2, '1.2.1').previousForecast).toBeNull();
  });

  test("next year's report shows this year's VB outcome for the indicator with the same code", async () => {
    const vb = await get(path22('VB'));
    const indicator = byCode(vb, '1.1.1');
    await put(path22('VB'), { indicators: [{ indicatorId: indicator.indicatorId, baseVersion: indicator.version, outcome: '2,75' }] });

    const plan = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data-seed/reference-budget.json'), 'utf8')) as { year: number };
    const imported = await request(api.app)
      .put('/api/v1/years/2023/plan')
      .set('Authorization', `Bearer ${central}`)
      .send({ ...plan, year: 2023 });
    expect(imported.status).toBe(200);
    const next = await get('/api/v1/years/2023/organisations/sdn-farsta/reports/T1');
    expect(byCode(next, '1.1.1')).toMatchObject({ lastYearOutcome: 2.75, outcome: null });
    expect(byCode(next, '1.1.1').indicatorId).not.toBe(indicator.indicatorId);
    expect(byCode(next, '1.2.1').lastYearOutcome).toBeNull();
  });
});
