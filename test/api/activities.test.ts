import request from 'supertest';
import type { Consolidation, SteeringSignals } from '../../core/contract/consolidation';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const report = (org: string, period = 'T1', year = 2022) => `/api/v1/years/${year}/organisations/${org}/reports/${period}`;

/** Activities and uppdrag in a report (DOMAIN.md, "Activities and uppdrag"), on the demo plan. */
describe(`activities and uppdrag in reports on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let farsta: string;
  let aldre: string;
  beforeAll(async () => {
    api = await startTestApi();
    farsta = await api.token('controller', ['sdn-farsta'], 'anna', 'Anna Ekonom');
    aldre = await api.token('controller', ['fn-aldre'], 'olle', 'Olle Äldre');
  });
  afterAll(() => api.close());

  const get = async (path: string, token = farsta) => {
    const res = await request(api.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };

  test('a report has the KF activities its organisation reports on and those under its own nämndmål, with their goals and dates', async () => {
    const r = await get(report('sdn-farsta'));
    expect(r.activities.map((a) => [a.code, a.owner, a.kfGoalCode, a.goalCode])).toEqual([
      ['1.1.A1', 'kf', '1.1', null],
      ['1.2.A1', 'kf', '1.2', null],
      ['N2.A1', 'organisation', '1.2', 'N2'],
      ['1.5.A1', 'kf', '1.5', null],
      ['N3.A1', 'organisation', '3.1', 'N3'],
      ['3.2.A1', 'kf', '3.2', null],
    ]);
    expect(r.activities.find((a) => a.code === '1.1.A1')).toMatchObject({
      title: 'Fler feriejobb för ungdomar i ytterstaden',
      goalId: null,
      startDate: '2022-03-01',
      endDate: '2022-08-31',
      state: null,
      comment: null,
      version: 0,
      changedBy: null,
    });
    const own = r.activities.find((a) => a.code === 'N2.A1')!;
    expect(own).toMatchObject({ goalId: r.goals.find((g) => g.code === 'N2')!.goalId, goalTitle: expect.stringContaining('trygga'), startDate: '2022-02-01' });
    // Another district's report has neither Farsta's own activities nor KF activities it is not named for.
    const bromma = await get(report('sdn-bromma'), await api.token('controller', ['sdn-bromma']));
    expect(bromma.activities.map((a) => a.code)).toEqual(['1.2.A1', '1.5.A1']);
  });

  test('a report has the uppdrag its organisation is responsible for, with who takes part; taking part alone adds none', async () => {
    const r = await get(report('sdn-farsta'));
    expect(r.commissions).toEqual([
      {
        commissionId: expect.any(Number),
        code: 'KS-2022-07',
        title: 'Samordna trygghetsskapande åtgärder i Farsta och Skärholmen',
        givenBy: 'KS',
        yearGiven: 2022,
        deadline: '2022-12-31',
        responsible: { code: 'sdn-farsta', name: 'Farsta stadsdelsnämnd' },
        participants: [
          { code: 'sdn-skarholmen', name: 'Skärholmens stadsdelsnämnd' },
          { code: 'fn-social', name: 'Socialnämnden' },
        ],
        state: null,
        text: null,
        version: 0,
        changedBy: null,
        changedAt: null,
      },
    ]);
    // Given the year before and not reported back: still on the list.
    const aldreReport = await get(report('fn-aldre'), aldre);
    expect(aldreReport.commissions.map((c) => [c.code, c.yearGiven])).toEqual([['KF-2021-14', 2021]]);
  });

  test('each goal shows its evidence: its indicators by status and its activities by state', async () => {
    const r = await get(report('sdn-farsta'));
    const n2 = r.goals.find((g) => g.code === 'N2')!;
    expect(n2.evidence).toEqual({
      // N2's indicator is annual: at T1 it is reported in the VB, not missing.
      indicators: { helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 1 },
      activities: { done: 0, ongoing: 0, notStarted: 0, cancelled: 0, missing: 2 },
    });
  });
});

/** Writing activities and uppdrag: the same engine as indicators (versions, 409, 422, 423, idempotency, history), with their own rules. */
describe(`writing activities and uppdrag on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let farsta: string;
  let colleague: string;
  let central: string;
  beforeAll(async () => {
    api = await startTestApi();
    farsta = await api.token('controller', ['sdn-farsta'], 'anna', 'Anna Ekonom');
    colleague = await api.token('controller', ['sdn-farsta'], 'bertil', 'Bertil Controller');
    central = await api.token('central', [], 'slk', 'Stadsledningskontoret');
  });
  afterAll(() => api.close());

  const get = async (path = report('sdn-farsta'), token = farsta) => {
    const res = await request(api.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const put = (body: object, token = farsta, path = report('sdn-farsta'), key?: string) => {
    const req = request(api.app).put(path).set('Authorization', `Bearer ${token}`);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const activity = (r: Report, code: string) => r.activities.find((a) => a.code === code)!;

  test('states and comments are written with versions, in the answer and the goal evidence, and in the history by code', async () => {
    const before = await get();
    const kf = activity(before, '1.2.A1');
    const own = activity(before, 'N2.A1');
    const uppdrag = before.commissions[0]!;
    const res = await put({
      activities: [
        { activityId: kf.activityId, baseVersion: 0, state: 'ongoing' },
        { activityId: own.activityId, baseVersion: 0, state: 'done', comment: 'Fyra vandringar under våren.' },
      ],
      commissions: [{ commissionId: uppdrag.commissionId, baseVersion: 0, state: 'ongoing', text: 'Arbetsgrupp tillsatt.' }],
    });
    expect(res.status).toBe(200);
    const after = res.body as Report;
    expect(activity(after, '1.2.A1')).toMatchObject({ state: 'ongoing', comment: null, version: 1, changedBy: 'Anna Ekonom' });
    expect(activity(after, 'N2.A1')).toMatchObject({ state: 'done', comment: 'Fyra vandringar under våren.', version: 1 });
    expect(after.commissions[0]).toMatchObject({ state: 'ongoing', text: 'Arbetsgrupp tillsatt.', version: 1, changedBy: 'Anna Ekonom' });
    expect(after.goals.find((g) => g.code === 'N2')!.evidence.activities).toEqual({ done: 1, ongoing: 1, notStarted: 0, cancelled: 0, missing: 0 });
    expect(await get()).toEqual(after);

    const history = await request(api.app)
      .get(`${report('sdn-farsta')}/history`)
      .set('Authorization', `Bearer ${farsta}`);
    const entries = (history.body as { entity: string; entityCode: string; field: string; newValue: string }[]).map((h) => [h.entity, h.entityCode, h.field, h.newValue]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['activity', '1.2.A1', 'state', 'ongoing'],
        ['activity', 'N2.A1', 'state', 'done'],
        ['activity', 'N2.A1', 'comment', 'Fyra vandringar under våren.'],
        ['commission', 'KS-2022-07', 'state', 'ongoing'],
        ['commission', 'KS-2022-07', 'text', 'Arbetsgrupp tillsatt.'],
      ]),
    );
  });

  test('422: cancelled needs a comment, unknown rows and states are named by section, index and key; nothing is written', async () => {
    const r = await get();
    const jarvasOwn = (await get(report('sdn-jarva'), central)).activities.find((a) => a.owner === 'organisation')!;
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await put({
      indicators: [{ indicatorId: r.indicators[0]!.indicatorId, baseVersion: r.indicators[0]!.version, comment: 'skrivs inte' }],
      activities: [
        { activityId: activity(r, '1.1.A1').activityId, baseVersion: 0, state: 'cancelled' },
        { activityId: activity(r, '1.5.A1').activityId, baseVersion: 0, state: 'avbruten' },
      ],
      commissions: [{ commissionId: r.commissions[0]!.commissionId, baseVersion: 1, state: 'cancelled' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: Record<string, unknown>) => [d.section, d.index, d.field, d.code])).toEqual([
      ['activities', 1, 'state', 'INVALID_VALUE'],
      ['commissions', 0, 'state', 'INVALID_VALUE'],
    ]);
    expect(res.body.error.details[0]).toMatchObject({ activityId: activity(r, '1.5.A1').activityId, message: expect.stringContaining('Status') });
    const cancelled = await put({ activities: [{ activityId: activity(r, '1.1.A1').activityId, baseVersion: 0, state: 'cancelled', comment: '   ' }] });
    expect(cancelled.status).toBe(422);
    expect(cancelled.body.error.details).toEqual([
      {
        section: 'activities',
        index: 0,
        activityId: activity(r, '1.1.A1').activityId,
        field: 'comment',
        code: 'COMMENT_REQUIRED',
        message: 'Kommentar: krävs när aktiviteten är avbruten. Skriv varför.',
      },
    ]);
    const unknown = await put({ activities: [{ activityId: 999999, baseVersion: 0, state: 'done' }], commissions: [{ commissionId: 999999, baseVersion: 0, state: 'done' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.map((d: Record<string, unknown>) => [d.section, d.code])).toEqual([
      ['activities', 'UNKNOWN_ACTIVITY'],
      ['commissions', 'UNKNOWN_COMMISSION'],
    ]);
    // Another organisation's own activity is not in this report.
    const foreign = await put({ activities: [{ activityId: jarvasOwn.activityId, baseVersion: 0, state: 'done' }] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details).toEqual([expect.objectContaining({ activityId: jarvasOwn.activityId, code: 'UNKNOWN_ACTIVITY' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    const withReason = await put({
      activities: [{ activityId: activity(r, '1.1.A1').activityId, baseVersion: 0, state: 'cancelled', comment: 'Ersatt av sommarjobb i egen regi.' }],
    });
    expect(withReason.status).toBe(200);
  });

  test('409: a stale base version names who changed the row and its current values; nothing is written', async () => {
    const r = await get();
    const row = activity(r, '1.5.A1');
    const theirs = await put({ activities: [{ activityId: row.activityId, baseVersion: row.version, state: 'ongoing', comment: 'Pilot i Farsta' }] }, colleague);
    expect(theirs.status).toBe(200);
    const snapshot = await databaseSnapshot(api.database.db);
    const mine = await put({
      commissions: [{ commissionId: r.commissions[0]!.commissionId, baseVersion: r.commissions[0]!.version, text: 'Ny text' }],
      activities: [{ activityId: row.activityId, baseVersion: row.version, state: 'done' }],
    });
    expect(mine.status).toBe(409);
    expect(mine.body.error.details).toEqual([
      expect.objectContaining({
        section: 'activities',
        index: 0,
        activityId: row.activityId,
        code: 'STALE',
        baseVersion: row.version,
        current: { state: 'ongoing', comment: 'Pilot i Farsta', version: row.version + 1, changedBy: 'Bertil Controller', changedAt: expect.any(String) },
        message: expect.stringContaining('Bertil Controller'),
      }),
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('idempotency: the same key and body replays the answer and writes nothing more', async () => {
    const r = await get();
    const row = activity(r, '3.2.A1');
    const body = { activities: [{ activityId: row.activityId, baseVersion: row.version, state: 'not_started' }] };
    const first = await put(body, farsta, report('sdn-farsta'), 'aktivitet-1');
    expect(first.status).toBe(200);
    const snapshot = await databaseSnapshot(api.database.db);
    const again = await put(body, farsta, report('sdn-farsta'), 'aktivitet-1');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('submit needs a state for every activity and uppdrag, and lists what is missing by section and key', async () => {
    const path = report('sdn-farsta');
    let r = await get();
    // Everything else complete: values and assessments.
    const values = r.indicators.filter((i) => i.frequency === 'tertial').map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, forecast: i.annualTarget ?? 1 }));
    expect((await put({ indicators: values })).status).toBe(200);
    r = await get();
    const goals = r.goals.map((g) => ({
      goalId: g.goalId,
      baseVersion: g.version,
      assessment: g.suggestedAssessment ?? 'delvis',
      motivation: g.suggestedAssessment ? null : 'Mäts årsvis.',
    }));
    expect((await put({ goals })).status).toBe(200);
    r = await get();
    const missing = r.activities.filter((a) => a.state === null);
    expect(missing.length).toBeGreaterThan(0);
    const refused = await request(api.app).post(`${path}/submit`).set('Authorization', `Bearer ${farsta}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INCOMPLETE');
    expect(refused.body.error.details.map((d: Record<string, unknown>) => [d.section, d.activityId ?? d.commissionId, d.field, d.code])).toEqual(
      missing.map((a) => ['activities', a.activityId, 'state', 'MISSING_STATE']),
    );
    expect(refused.body.error.details[0].message).toBe(`${missing[0]!.code} ${missing[0]!.title}: status saknas.`);
    const states = missing.map((a) => ({ activityId: a.activityId, baseVersion: a.version, state: 'ongoing' }));
    expect((await put({ activities: states })).status).toBe(200);
    const submitted = await request(api.app).post(`${path}/submit`).set('Authorization', `Bearer ${farsta}`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('submitted');
  });

  test('423: a submitted report refuses activity writes', async () => {
    const r = await get();
    expect(r.state).toBe('submitted');
    const res = await put({ activities: [{ activityId: r.activities[0]!.activityId, baseVersion: r.activities[0]!.version, state: 'done' }] });
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe('PERIOD_CLOSED');
  });

  test('at VB, an activity not done needs a comment; an uppdrag reported back leaves next year’s list', async () => {
    const aldre = await api.token('controller', ['fn-aldre'], 'olle', 'Olle Äldre');
    const vb = report('fn-aldre', 'VB');
    const r = await get(vb, aldre);
    const row = r.activities.find((a) => a.owner === 'kf')!;
    const bare = await put({ activities: [{ activityId: row.activityId, baseVersion: 0, state: 'ongoing' }] }, aldre, vb);
    expect(bare.status).toBe(422);
    expect(bare.body.error.details).toEqual([
      expect.objectContaining({ section: 'activities', field: 'comment', code: 'COMMENT_REQUIRED', message: expect.stringContaining('pågår') }),
    ]);
    const done = await put({ activities: [{ activityId: row.activityId, baseVersion: 0, state: 'done' }] }, aldre, vb);
    expect(done.status).toBe(200);

    const old = r.commissions.find((c) => c.code === 'KF-2021-14')!;
    const reported = await put({ commissions: [{ commissionId: old.commissionId, baseVersion: 0, state: 'reported', text: 'Återrapporterat till KF 2022-11-14.' }] }, aldre, vb);
    expect(reported.status).toBe(200);
    // Still in this year's reports; off the list from the next year on.
    expect((await get(report('fn-aldre', 'T2'), aldre)).commissions.map((c) => c.code)).toEqual(['KF-2021-14']);
    const nextYear = { year: 2023, directionGoals: [{ code: '1', title: 'Ett Stockholm som håller samman', kfGoals: [{ code: '1.5', title: 'Äldre' }] }] };
    expect((await request(api.app).put('/api/v1/years/2023/plan').set('Authorization', `Bearer ${central}`).send(nextYear)).status).toBe(200);
    expect((await get(report('fn-aldre', 'T1', 2023), aldre)).commissions).toEqual([]);
    const stadsbyggnad = await get(report('fn-stadsbyggnad', 'T1', 2023), central);
    expect(stadsbyggnad.commissions.map((c) => c.code)).toEqual(['KF-2022-03']);
  });

  test("consolidation: every organisation's state per KF activity, counts per organisation, the uppdrag and those not reported back", async () => {
    const consolidation = async (period: string) => {
      const res = await request(api.app).get(`/api/v1/years/2022/consolidation/${period}`).set('Authorization', `Bearer ${central}`);
      expect(res.status).toBe(200);
      return res.body as Consolidation;
    };
    const t1 = await consolidation('T1');
    const safety = t1.activities.find((a) => a.code === '1.2.A1')!;
    expect(safety).toMatchObject({ kfGoalCode: '1.2', startDate: null, endDate: null });
    expect(safety.results).toHaveLength(11);
    expect(safety.results.find((r) => r.organisation === 'sdn-farsta')).toEqual({ organisation: 'sdn-farsta', state: 'ongoing', comment: null });
    expect(safety.counts).toEqual({ done: 0, ongoing: 1, notStarted: 0, cancelled: 0, missing: 10 });
    expect(t1.activities.map((a) => a.code)).toEqual(['1.1.A1', '1.2.A1', '1.5.A1', '2.5.A1', '3.2.A1']);
    const farsta = t1.organisations.find((o) => o.code === 'sdn-farsta')!;
    // 1.1.A1 cancelled, 1.2.A1 and 1.5.A1 ongoing (and the rest as the submit test left them: all with a state)
    expect(farsta.activities.cancelled).toBe(1);
    expect(farsta.activities.missing).toBe(0);
    expect(farsta.activities.done + farsta.activities.ongoing + farsta.activities.notStarted + farsta.activities.cancelled).toBe(6);
    expect(farsta.commissions).toEqual({ notStarted: 0, ongoing: 1, done: 0, reported: 0, missing: 0 });
    expect(t1.commissions.map((c) => [c.code, c.responsible.code, c.state, c.reported, c.overdue])).toEqual([
      ['KF-2021-14', 'fn-aldre', null, false, false],
      ['KF-2022-03', 'fn-stadsbyggnad', null, false, false],
      ['KS-2022-07', 'sdn-farsta', 'ongoing', false, false],
    ]);
    expect(t1.commissionsNotReported.map((c) => c.code)).toEqual(['KF-2021-14', 'KF-2022-03', 'KS-2022-07']);
    // At VB: fn-aldre has reported back its uppdrag from 2021; Farsta's is due by the year's end and is not: overdue.
    const vb = await consolidation('VB');
    expect(vb.commissions.map((c) => [c.code, c.state, c.reported, c.overdue])).toEqual([
      ['KF-2021-14', 'reported', true, false],
      ['KF-2022-03', null, false, false],
      ['KS-2022-07', null, false, true],
    ]);
    expect(vb.commissionsNotReported.map((c) => c.code)).toEqual(['KF-2022-03', 'KS-2022-07']);
    expect(vb.organisations.find((o) => o.code === 'fn-aldre')!.commissions).toEqual({ notStarted: 0, ongoing: 0, done: 0, reported: 1, missing: 0 });
  });

  test('steering signals count activities (KF’s and own) and the uppdrag given in the year', async () => {
    const res = await request(api.app).get('/api/v1/years/2022/steering-signals').set('Authorization', `Bearer ${central}`);
    expect(res.status).toBe(200);
    const signals = res.body as SteeringSignals;
    expect(signals.kf).toMatchObject({ activities: 5, commissions: 2 });
    expect(signals.organisations.find((o) => o.code === 'sdn-farsta')).toMatchObject({ activities: 6, commissions: 1 });
    expect(signals.organisations.find((o) => o.code === 'fn-aldre')).toMatchObject({ activities: 3, commissions: 1 }); // takes part in KF-2022-03
  });
});
