import request from 'supertest';
import { demoPlanDocument } from '../../api/db/demo-plan';
import type { Consolidation } from '../../core/contract/consolidation';
import type { KfPlan, OrgPlan, PlanHistoryEntry } from '../../core/contract/plan';
import type { Report } from '../../core/contract/report';
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
    const theirs = await as(colleague).put('/api/v1/years/2022/organisations/sdn-jarva/targets', {
      targets: [{ indicatorId: sick.id, annualTarget: 7, baseAnnualTarget: sick.orgTarget }],
    });
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
        {
          code: '1',
          title: 'Ett Stockholm som håller samman',
          kfGoals: [
            { code: '1.1', title: 'Arbete', indicators: [{ code: '1.1.1', title: 'Ekonomiskt bistånd', unit: '%', direction: 'lower', frequency: 'tertial', annualTarget: 2.4 }] },
          ],
        },
      ],
    };
    const snapshot = await databaseSnapshot(api.database.db);
    const bad = await as(central).put('/api/v1/years/2023/plan', {
      ...doc,
      directionGoals: [{ ...doc.directionGoals[0], kfGoals: [{ code: '1.1', indicators: [{ code: '1.1.1', direction: 'up' }] }] }],
    });
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
    expect(res.body.kf).toEqual({ goals: 1, indicators: 1, activities: 0, commissions: 0, change: { goals: -11, indicators: -15, activities: -5, commissions: -2 } });
    const jarvaSignals = res.body.organisations.find((o: { code: string }) => o.code === 'sdn-jarva');
    expect(jarvaSignals).toMatchObject({ goals: 0, indicators: 1, change: { goals: -3, indicators: -8 } });
    const own = await as(jarva).get('/api/v1/years/2022/steering-signals');
    expect(own.body.organisations.map((o: { code: string }) => o.code)).toEqual(['sdn-jarva']);
    expect(own.body.kf.change).toBeNull();
  });
});

describe(`årsmål behind handed-in reports on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let farsta: string;
  let kungsholmen: string;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central', [], 'sla-sara', 'Sara Stadsledning');
    farsta = await api.token('controller', ['sdn-farsta'], 'farsta-frida', 'Frida Farsta');
    kungsholmen = await api.token('controller', ['sdn-kungsholmen'], 'kungsholmen-kim', 'Kim Kungsholmen');
  });
  afterAll(() => api.close());
  const as = (token: string) => ({
    get: (url: string) => request(api.app).get(url).set('Authorization', `Bearer ${token}`),
    put: (url: string, body: object) => request(api.app).put(url).set('Authorization', `Bearer ${token}`).send(body),
    post: (url: string) => request(api.app).post(url).set('Authorization', `Bearer ${token}`),
  });
  const FARSTA = '/api/v1/years/2022/organisations/sdn-farsta';
  const report = async (token: string, url: string) => (await as(token).get(url)).body as Report;
  const indicator = (r: Report, code: string) => r.indicators.find((i) => i.code === code)!;
  /** One organisation's result for an indicator in the centre's consolidation. */
  const consolidated = async (period: string, organisation: string, code: string) => {
    const res = await as(central).get(`/api/v1/years/2022/consolidation/${period}`);
    expect(res.status).toBe(200);
    const rows = (res.body as Consolidation).kfGoals.flatMap((g) => g.indicators).find((i) => i.code === code)!.results;
    return rows.find((r) => r.organisation === organisation)!;
  };
  const writeForecast = async (token: string, url: string, code: string, forecast: string) => {
    const i = indicator(await report(token, url), code);
    const res = await as(token).put(url, { indicators: [{ indicatorId: i.indicatorId, baseVersion: i.version, forecast }] });
    expect(res.status).toBe(200);
    return indicator(res.body as Report, code);
  };
  let sick: number; // 3.2.1 Sjukfrånvaro, lower, KF 6.5

  test('a controller sets årsmål while the plan is open: recorded under its user id with the name beside it, and in the plan history', async () => {
    expect((await writeForecast(farsta, `${FARSTA}/reports/T1`, '3.2.1', '8,0')).status).toBe('ej'); // 8 > 120 % of 6.5
    expect((await writeForecast(farsta, `${FARSTA}/reports/T2`, '3.2.1', '8,0')).status).toBe('ej');
    sick = indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1').indicatorId;

    const res = await as(farsta).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: '7,0', baseAnnualTarget: null }] });
    expect(res.status).toBe(200);
    expect(indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1')).toMatchObject({ annualTarget: 7, status: 'delvis' });

    const stored = await api.database.db
      .selectFrom('org_indicator')
      .select(['changed_by', 'changed_by_name'])
      .where('organisation_code', '=', 'sdn-farsta')
      .where('indicator_id', '=', sick)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ changed_by: 'farsta-frida', changed_by_name: 'Frida Farsta' });

    const history = await as(farsta).get(`${FARSTA}/plan/history`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual([
      expect.objectContaining({ by: 'import', byName: 'Planimport', entityCode: '1.5.3', field: 'annualTarget', oldValue: null, newValue: '50' }),
      {
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        by: 'farsta-frida',
        byName: 'Frida Farsta',
        entity: 'indicator',
        entityId: sick,
        entityCode: '3.2.1',
        field: 'annualTarget',
        oldValue: null,
        newValue: '7',
        requestId: expect.any(String),
      },
    ]);
    expect((await as(kungsholmen).get(`${FARSTA}/plan/history`)).status).toBe(403);
  });

  test('the same indicator twice in one request is a 422 naming the row, not "last one wins"; nothing is written', async () => {
    const plan = (await as(farsta).get(`${FARSTA}/plan`)).body as OrgPlan;
    const budget = plan.indicators.find((i) => i.code === '3.1.1')!;
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await as(farsta).put(`${FARSTA}/targets`, {
      targets: [
        { indicatorId: sick, annualTarget: 6 },
        { indicatorId: budget.id, annualTarget: 100 },
        { indicatorId: sick, annualTarget: 9 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ index: 2, indicatorId: sick, field: 'indicatorId', code: 'DUPLICATE_ROW', firstIndex: 0, message: expect.stringContaining('mer än en gång') }),
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('with T1 locked a controller may not change årsmål: 423 saying the centre must, and nothing is written; an unchanged value is still a no-op', async () => {
    expect((await as(central).put('/api/v1/years/2022/periods/T1', { state: 'locked' })).status).toBe(200);
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await as(farsta).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: 8 }] });
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe('PERIOD_CLOSED');
    expect(res.body.error.message).toMatch(/Stadsledningskontoret måste göra ändringen/);
    expect(res.body.error.details).toEqual([expect.objectContaining({ period: 'T1', code: 'PERIOD_LOCKED' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    expect(indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1').status).toBe('delvis');

    const unchanged = await as(farsta).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: '7' }] });
    expect(unchanged.status).toBe(200);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('the centre may: the locked T1 keeps its status and årsmål, the open T2 is recomputed, and the history has who, when, from and to', async () => {
    const res = await as(central).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: 8, baseAnnualTarget: 7 }] });
    expect(res.status).toBe(200);
    expect((res.body as OrgPlan).indicators.find((i) => i.id === sick)).toMatchObject({ orgTarget: 8, annualTarget: 8 });

    expect(indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1')).toMatchObject({ orgTarget: 7, annualTarget: 7, status: 'delvis' }); // not helt: T1 was handed in against 7
    expect(await consolidated('T1', 'sdn-farsta', '3.2.1')).toMatchObject({ orgTarget: 7, annualTarget: 7, forecast: 8, status: 'delvis' });
    expect(indicator(await report(farsta, `${FARSTA}/reports/T2`), '3.2.1')).toMatchObject({ annualTarget: 8, status: 'helt' });
    expect(await consolidated('T2', 'sdn-farsta', '3.2.1')).toMatchObject({ orgTarget: 8, annualTarget: 8, status: 'helt' });

    const history = (await as(farsta).get(`${FARSTA}/plan/history`)).body as PlanHistoryEntry[];
    expect(history.at(-1)).toMatchObject({ by: 'sla-sara', byName: 'Sara Stadsledning', entityId: sick, oldValue: '7', newValue: '8' });
  });

  test('T1 opened again follows the plan: recomputed against the årsmål now in force', async () => {
    expect((await as(central).put('/api/v1/years/2022/periods/T1', { state: 'open' })).status).toBe(200);
    expect(indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1')).toMatchObject({ annualTarget: 8, status: 'helt' });
    expect(await consolidated('T1', 'sdn-farsta', '3.2.1')).toMatchObject({ orgTarget: 8, annualTarget: 8, status: 'helt' });
  });

  test('a submitted report closes the årsmål for the controller too; the centre reopening it opens them again', async () => {
    const url = `${FARSTA}/reports/T2`;
    const before = await report(farsta, url);
    const filled = await as(farsta).put(url, {
      indicators: before.indicators
        .filter((i) => i.frequency === 'tertial' && i.outcome === null && i.forecast === null)
        .map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, forecast: i.annualTarget ?? 1 })),
    });
    expect(filled.status).toBe(200);
    const assessed = await as(farsta).put(url, {
      goals: (filled.body as Report).goals.map((g) => ({
        goalId: g.goalId,
        baseVersion: g.version,
        assessment: g.suggestedAssessment ?? 'delvis',
        motivation: 'Bedömt utifrån uppföljningen hittills.',
      })),
      activities: before.activities.map((a) => ({ activityId: a.activityId, baseVersion: a.version, state: 'ongoing' })),
      commissions: before.commissions.map((c) => ({ commissionId: c.commissionId, baseVersion: c.version, state: 'ongoing' })),
    });
    expect(assessed.status).toBe(200);
    const submitted = await as(farsta).post(`${url}/submit`);
    expect(submitted.status).toBe(200);
    expect((submitted.body as Report).submittedBy).toBe('Frida Farsta');
    const stored = await api.database.db
      .selectFrom('report')
      .select(['submitted_by', 'submitted_by_name'])
      .where('organisation_code', '=', 'sdn-farsta')
      .where('period', '=', 'T2')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ submitted_by: 'farsta-frida', submitted_by_name: 'Frida Farsta' });

    const refused = await as(farsta).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: 9 }] });
    expect(refused.status).toBe(423);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ period: 'T2', code: 'REPORT_SUBMITTED' })]);

    expect((await as(central).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: 7.8 }] })).status).toBe(200);
    expect(indicator(await report(farsta, url), '3.2.1')).toMatchObject({ annualTarget: 8, status: 'helt' }); // 8 vs the 8 it was submitted with
    expect(indicator(await report(farsta, `${FARSTA}/reports/T1`), '3.2.1').status).toBe('delvis'); // open T1: 8 vs 7.8

    expect((await as(central).post(`${url}/reopen`)).status).toBe(200);
    expect(indicator(await report(farsta, url), '3.2.1')).toMatchObject({ annualTarget: 7.8, status: 'delvis' }); // open again: today's årsmål
    expect((await as(farsta).put(`${FARSTA}/targets`, { targets: [{ indicatorId: sick, annualTarget: 8 }] })).status).toBe(200);
  });

  test("a KF årsmål changed by a plan import: handed-in reports keep theirs, open ones follow, and KF's plan history has the change", async () => {
    const KUNGSHOLMEN = '/api/v1/years/2022/organisations/sdn-kungsholmen';
    expect((await writeForecast(kungsholmen, `${KUNGSHOLMEN}/reports/T1`, '3.2.1', '6,4')).status).toBe('helt');
    expect((await writeForecast(kungsholmen, `${KUNGSHOLMEN}/reports/T2`, '3.2.1', '6,4')).status).toBe('helt');
    expect((await as(central).put('/api/v1/years/2022/periods/T1', { state: 'locked' })).status).toBe(200);

    const doc = structuredClone(demoPlanDocument());
    doc.directionGoals
      .flatMap((d) => d.kfGoals)
      .flatMap((g) => g.indicators)
      .find((i) => i.code === '3.2.1')!.annualTarget = 6;
    const imported = await as(central).put('/api/v1/years/2022/plan', doc);
    expect(imported.status).toBe(200);

    expect(await consolidated('T1', 'sdn-kungsholmen', '3.2.1')).toMatchObject({ orgTarget: null, annualTarget: 6.5, status: 'helt' });
    expect(indicator(await report(kungsholmen, `${KUNGSHOLMEN}/reports/T1`), '3.2.1')).toMatchObject({ kfTarget: 6.5, annualTarget: 6.5, status: 'helt' });
    expect(indicator(await report(kungsholmen, `${KUNGSHOLMEN}/reports/T2`), '3.2.1')).toMatchObject({ annualTarget: 6, status: 'delvis' });

    const history = await as(kungsholmen).get('/api/v1/years/2022/plan/history');
    expect(history.status).toBe(200);
    expect(history.body).toEqual([expect.objectContaining({ by: 'sla-sara', byName: 'Sara Stadsledning', entityCode: '3.2.1', oldValue: '6.5', newValue: '6' })]);

    const again = await as(central).put('/api/v1/years/2022/plan', doc);
    expect(again.status).toBe(200);
    expect((await as(kungsholmen).get('/api/v1/years/2022/plan/history')).body).toHaveLength(1); // the same document changes nothing
  });
});
