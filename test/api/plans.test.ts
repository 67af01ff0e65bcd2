import request from 'supertest';
import type { KfPlan, OrgPlan } from '../../api/contract/plan';
import type { Report } from '../../api/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

describe(`plans and årsmål on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let jarva: string;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central');
    jarva = await api.token('controller', ['sdn-jarva']);
  });
  afterAll(() => api.close());
  const as = (token: string) => ({
    get: (url: string) => request(api.app).get(url).set('Authorization', `Bearer ${token}`),
    put: (url: string, body: object) => request(api.app).put(url).set('Authorization', `Bearer ${token}`).send(body),
  });

  test("KF's plan: 3 inriktningsmål, 12 KF goals, 16 indicators, in code order", async () => {
    const res = await as(jarva).get('/api/v1/years/2022/plan');
    expect(res.status).toBe(200);
    const plan = res.body as KfPlan;
    expect(plan.directionGoals.map((d) => d.code)).toEqual(['1', '2', '3']);
    expect(plan.directionGoals.flatMap((d) => d.kfGoals)).toHaveLength(12);
    const indicators = plan.directionGoals.flatMap((d) => d.kfGoals.flatMap((g) => g.indicators));
    expect(indicators).toHaveLength(16);
    expect(indicators.find((i) => i.code === '1.1.1')).toMatchObject({ direction: 'lower', annualTarget: 2.5, source: 'kolada:N31807', frequency: 'tertial' });
    expect(plan.partialThresholdPercent).toBe(80);
  });

  test('an organisation plan flags årsmål below KF ambition', async () => {
    const plan = (await as(jarva).get('/api/v1/years/2022/organisations/sdn-jarva/plan')).body as OrgPlan;
    expect(plan.organisation.code).toBe('sdn-jarva');
    expect(plan.goals.length).toBeGreaterThan(0);
    expect(plan.indicators.find((i) => i.code === '1.1.1')).toMatchObject({ kfTarget: 2.5, orgTarget: 4, annualTarget: 4, belowKfAmbition: true });
    expect(plan.indicators.filter((i) => i.belowKfAmbition).map((i) => i.code)).toEqual(['1.1.1']);
    expect(plan.goals[0]!.indicators.length).toBeGreaterThan(0);
  });

  test('setting årsmål answers the flags, accepts Swedish decimals, and recomputes statuses of open reports', async () => {
    const report = (await as(jarva).get('/api/v1/years/2022/organisations/sdn-jarva/reports/T1')).body as Report;
    const sick = report.indicators.find((i) => i.code === '3.2.1')!;
    const written = await as(jarva).put('/api/v1/years/2022/organisations/sdn-jarva/reports/T1', {
      indicators: [{ indicatorId: sick.indicatorId, baseVersion: 0, forecast: '7,0' }],
    });
    expect(written.body.indicators.find((i: { code: string }) => i.code === '3.2.1').status).toBe('delvis'); // 7.0 vs KF 6.5

    const res = await as(jarva).put('/api/v1/years/2022/organisations/sdn-jarva/targets', {
      targets: [
        { indicatorId: sick.indicatorId, annualTarget: '7,5' },
        { indicatorId: report.indicators.find((i) => i.code === '1.1.1')!.indicatorId, annualTarget: null },
      ],
    });
    expect(res.status).toBe(200);
    const plan = res.body as OrgPlan;
    expect(plan.indicators.find((i) => i.code === '3.2.1')).toMatchObject({ orgTarget: 7.5, belowKfAmbition: true });
    expect(plan.indicators.find((i) => i.code === '1.1.1')).toMatchObject({ orgTarget: null, annualTarget: 2.5, belowKfAmbition: false });
    const after = (await as(jarva).get('/api/v1/years/2022/organisations/sdn-jarva/reports/T1')).body as Report;
    expect(after.indicators.find((i) => i.code === '3.2.1')).toMatchObject({ annualTarget: 7.5, status: 'helt', version: 1 });
  });

  test('årsmål written on a stale base are a 409, and nothing is written', async () => {
    const plan = (await as(jarva).get('/api/v1/years/2022/organisations/sdn-jarva/plan')).body as OrgPlan;
    const sick = plan.indicators.find((i) => i.code === '3.2.1')!;
    const other = plan.indicators.find((i) => i.code === '3.1.1')!;
    const colleague = await api.token('controller', ['sdn-jarva'], 'cecilia', 'Cecilia Controller');
    const theirs = await as(colleague).put('/api/v1/years/2022/organisations/sdn-jarva/targets', { targets: [{ indicatorId: sick.id, annualTarget: 7, baseAnnualTarget: sick.orgTarget }] });
    expect(theirs.status).toBe(200);
    const snapshot = await databaseSnapshot(api.database.db);
    const mine = await as(jarva).put('/api/v1/years/2022/organisations/sdn-jarva/targets', {
      targets: [
        { indicatorId: other.id, annualTarget: '99,5', baseAnnualTarget: null },
        { indicatorId: sick.id, annualTarget: '6,8', baseAnnualTarget: sick.orgTarget },
      ],
    });
    expect(mine.status).toBe(409);
    expect(mine.body.error.details).toEqual([
      expect.objectContaining({ index: 1, indicatorId: sick.id, code: 'STALE', current: expect.objectContaining({ annualTarget: 7, changedBy: 'Cecilia Controller' }) }),
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    const again = await as(jarva).put('/api/v1/years/2022/organisations/sdn-jarva/targets', { targets: [{ indicatorId: sick.id, annualTarget: '6,8', baseAnnualTarget: 7 }] });
    expect(again.status).toBe(200);
    expect((again.body as OrgPlan).indicators.find((i) => i.code === '3.2.1')!.orgTarget).toBe(6.8);
  });

  test('bad årsmål: every problem named, nothing written', async () => {
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await as(jarva).put('/api/v1/years/2022/organisations/sdn-jarva/targets', {
      targets: [
        { indicatorId: 1, annualTarget: 'mycket' },
        { indicatorId: 99999, annualTarget: 3 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { index: number; code: string }) => [d.index, d.code])).toEqual([
      [0, 'NOT_A_NUMBER'],
      [1, 'UNKNOWN_INDICATOR'],
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('the centre merges a plan for a new year; a bad document names its paths and writes nothing', async () => {
    const doc = {
      year: 2023,
      directionGoals: [
        { code: '1', title: 'Ett Stockholm som håller samman', kfGoals: [{ code: '1.1', title: 'Arbete', indicators: [{ code: '1.1.1', title: 'Ekonomiskt bistånd', unit: '%', direction: 'lower', frequency: 'tertial', annualTarget: 2.4 }] }] },
      ],
    };
    const snapshot = await databaseSnapshot(api.database.db);
    const bad = await as(central).put('/api/v1/years/2023/plan', { ...doc, directionGoals: [{ ...doc.directionGoals[0], kfGoals: [{ code: '1.1', indicators: [{ code: '1.1.1', direction: 'up' }] }] }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['directionGoals.0.kfGoals.0.title', 'directionGoals.0.kfGoals.0.indicators.0.direction']),
    );
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    const mismatch = await as(central).put('/api/v1/years/2024/plan', doc);
    expect(mismatch.status).toBe(422);
    const ok = await as(central).put('/api/v1/years/2023/plan', doc);
    expect(ok.status).toBe(200);
    expect((ok.body as KfPlan).directionGoals[0]!.kfGoals[0]!.indicators[0]).toMatchObject({ code: '1.1.1', annualTarget: 2.4 });
    const report = await as(jarva).get('/api/v1/years/2023/organisations/sdn-jarva/reports/T1');
    expect(report.body.indicators.map((i: { code: string }) => i.code)).toEqual(['1.1.1']); // reporters carried over from 2022
  });

  test('steering signals: counts per organisation and for KF, with the change from the year before', async () => {
    const res = await as(central).get('/api/v1/years/2023/steering-signals');
    expect(res.status).toBe(200);
    expect(res.body.kf).toEqual({ goals: 1, indicators: 1, activities: 0, change: { goals: -11, indicators: -15, activities: 0 } });
    const jarvaSignals = res.body.organisations.find((o: { code: string }) => o.code === 'sdn-jarva');
    expect(jarvaSignals).toMatchObject({ goals: 0, indicators: 1, change: { goals: -3, indicators: -8 } });
    const own = await as(jarva).get('/api/v1/years/2022/steering-signals');
    expect(own.body.organisations.map((o: { code: string }) => o.code)).toEqual(['sdn-jarva']);
    expect(own.body.kf.change).toBeNull();
  });
});
