import request from 'supertest';
import type { KfPlan, OrgPlan } from '../../core/contract/plan';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

/** Activities and uppdrag in plans: the plan document, its import, KF's and an organisation's plan. */
describe(`activities and uppdrag in plans on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let farsta: string;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central', [], 'slk', 'Stadsledningskontoret');
    farsta = await api.token('controller', ['sdn-farsta']);
  });
  afterAll(() => api.close());
  const as = (token: string) => ({
    get: (url: string) => request(api.app).get(url).set('Authorization', `Bearer ${token}`),
    put: (url: string, body: object) => request(api.app).put(url).set('Authorization', `Bearer ${token}`).send(body),
  });

  test("KF's plan: KF activities with their dates and who reports on them, and the uppdrag running in the year", async () => {
    const plan = (await as(farsta).get('/api/v1/years/2022/plan')).body as KfPlan;
    const goal = (code: string) => plan.directionGoals.flatMap((d) => d.kfGoals).find((g) => g.code === code)!;
    expect(goal('1.1').activities).toEqual([
      {
        id: expect.any(Number),
        code: '1.1.A1',
        title: 'Fler feriejobb för ungdomar i ytterstaden',
        startDate: '2022-03-01',
        endDate: '2022-08-31',
        reportedBy: ['fn-arbetsmarknad', 'sdn-enskede-arsta-vantor', 'sdn-farsta', 'sdn-jarva', 'sdn-skarholmen'],
      },
    ]);
    expect(goal('1.2').activities[0]!.reportedBy).toHaveLength(11);
    expect(plan.commissions.map((c) => [c.code, c.yearGiven, c.givenBy, c.responsible.code, c.participants.map((p) => p.code)])).toEqual([
      ['KF-2021-14', 2021, 'KF', 'fn-aldre', ['sdn-farsta', 'sdn-skarpnack']],
      ['KF-2022-03', 2022, 'KF', 'fn-stadsbyggnad', ['fn-exploatering', 'ab-micasa', 'fn-aldre']],
      ['KS-2022-07', 2022, 'KS', 'sdn-farsta', ['sdn-skarholmen', 'fn-social']],
    ]);
  });

  test("an organisation's plan: every activity it reports on, its own under their goals, the uppdrag it is responsible for or takes part in", async () => {
    const plan = (await as(farsta).get('/api/v1/years/2022/organisations/sdn-farsta/plan')).body as OrgPlan;
    expect(plan.activities.map((a) => [a.code, a.owner, a.kfGoalCode, a.goalCode])).toEqual([
      ['1.1.A1', 'kf', '1.1', null],
      ['1.2.A1', 'kf', '1.2', null],
      ['1.5.A1', 'kf', '1.5', null],
      ['3.2.A1', 'kf', '3.2', null],
      ['N2.A1', 'organisation', '1.2', 'N2'],
      ['N3.A1', 'organisation', '3.1', 'N3'],
    ]);
    expect(plan.goals.find((g) => g.code === 'N2')!.activities).toEqual([
      { id: expect.any(Number), code: 'N2.A1', title: 'Trygghetsvandringar med boende och polis i Farsta centrum', startDate: '2022-02-01', endDate: '2022-11-30' },
    ]);
    expect(plan.commissions.map((c) => [c.code, c.role])).toEqual([
      ['KF-2021-14', 'participant'],
      ['KS-2022-07', 'responsible'],
    ]);
  });

  const nextYear = {
    year: 2023,
    directionGoals: [
      {
        code: '1',
        title: 'Ett Stockholm som håller samman',
        kfGoals: [
          {
            code: '1.1',
            title: 'Arbete',
            indicators: [],
            activities: [
              { code: '1.1.A1', title: 'Fler feriejobb för ungdomar' },
              { code: '1.1.A2', title: 'Språkstöd på arbetsplatsen', startDate: '2023-01-01', endDate: '2023-12-31', reportedBy: ['sdn-farsta'] },
            ],
          },
        ],
      },
    ],
    commissions: [
      {
        code: 'KF-2022-03',
        title: 'Ta fram en plan för fler bostäder för äldre',
        givenBy: 'KF',
        yearGiven: 2022,
        deadline: '2023-06-30',
        responsible: 'fn-stadsbyggnad',
        participants: ['fn-aldre'],
      },
      { code: 'KF-2023-01', title: 'Utreda fritidskort', givenBy: 'KF', yearGiven: 2023, responsible: 'fn-idrott' },
    ],
  };

  test('a bad plan document names the path of each problem and writes nothing', async () => {
    const snapshot = await databaseSnapshot(api.database.db);
    const [goal] = nextYear.directionGoals[0]!.kfGoals;
    const withActivities = (activities: object[]) => [{ ...nextYear.directionGoals[0], kfGoals: [{ ...goal, activities }] }];
    const fields = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field).sort();
    const shape = await as(central).put('/api/v1/years/2023/plan', {
      ...nextYear,
      directionGoals: withActivities([
        { code: '1.1.A1', title: 'X', startDate: '2023-05-01', endDate: '2023-02-01' },
        { code: '1.1.A2', title: 'Y', endDate: '31/12' },
      ]),
      commissions: [{ ...nextYear.commissions[0], givenBy: 'SLK' }],
    });
    expect(shape.status).toBe(422);
    expect(fields(shape)).toEqual(['commissions.0.givenBy', 'directionGoals.0.kfGoals.0.activities.0.endDate', 'directionGoals.0.kfGoals.0.activities.1.endDate']);
    const across = await as(central).put('/api/v1/years/2023/plan', {
      ...nextYear,
      directionGoals: withActivities([
        { code: '1.1.A1', title: 'X' },
        { code: '1.1.A1', title: 'Y' },
      ]),
      commissions: [{ ...nextYear.commissions[1], yearGiven: 2024, participants: ['fn-idrott'] }, nextYear.commissions[1], nextYear.commissions[1]],
    });
    expect(across.status).toBe(422);
    expect(fields(across)).toEqual(['commissions.0.participants.0', 'commissions.0.yearGiven', 'commissions.2.code', 'directionGoals.0.kfGoals.0.activities.1.code']);
    const unknown = await as(central).put('/api/v1/years/2023/plan', { ...nextYear, commissions: [{ ...nextYear.commissions[1], participants: ['fn-okand'] }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'commissions[0].participants[0]', code: 'UNKNOWN_REFERENCE' })]);
    const unknownReporter = await as(central).put('/api/v1/years/2023/plan', {
      ...nextYear,
      directionGoals: [{ ...nextYear.directionGoals[0], kfGoals: [{ ...goal, activities: [{ code: '1.1.A9', title: 'Z', reportedBy: ['sdn-farsta', 'sdn-okand'] }] }] }],
    });
    expect(unknownReporter.body.error.details).toEqual([expect.objectContaining({ field: 'directionGoals[0].kfGoals[0].activities[0].reportedBy[1]' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('a new year: KF activities keep last year’s reporters unless named; an uppdrag keeps its identity across years', async () => {
    const before = (await as(central).get('/api/v1/years/2022/organisations/fn-stadsbyggnad/reports/T1')).body as Report;
    const housing = before.commissions.find((c) => c.code === 'KF-2022-03')!;
    const res = await as(central).put('/api/v1/years/2023/plan', nextYear);
    expect(res.status).toBe(200);
    const plan = res.body as KfPlan;
    expect(plan.directionGoals[0]!.kfGoals[0]!.activities.map((a) => [a.code, a.reportedBy, a.startDate, a.endDate])).toEqual([
      ['1.1.A1', ['fn-arbetsmarknad', 'sdn-enskede-arsta-vantor', 'sdn-farsta', 'sdn-jarva', 'sdn-skarholmen'], null, null],
      ['1.1.A2', ['sdn-farsta'], '2023-01-01', '2023-12-31'],
    ]);
    // Running in 2023: everything not reported back in 2022, and the new one.
    expect(plan.commissions.map((c) => c.code)).toEqual(['KF-2021-14', 'KF-2022-03', 'KS-2022-07', 'KF-2023-01']);
    const after = (await as(central).get('/api/v1/years/2023/organisations/fn-stadsbyggnad/reports/T1')).body as Report;
    expect(after.commissions).toEqual([
      expect.objectContaining({ commissionId: housing.commissionId, yearGiven: 2022, deadline: '2023-06-30', participants: [{ code: 'fn-aldre', name: 'Äldrenämnden' }] }),
    ]);
    const farsta2023 = (await as(farsta).get('/api/v1/years/2023/organisations/sdn-farsta/reports/T1')).body as Report;
    expect(farsta2023.activities.map((a) => a.code)).toEqual(['1.1.A1', '1.1.A2']);
    expect(farsta2023.commissions.map((c) => c.code)).toEqual(['KS-2022-07']);
  });
});
