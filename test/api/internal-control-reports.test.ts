import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const report = (org: string, period: string, year = 2022) => `/api/v1/years/${year}/organisations/${org}/reports/${period}`;

/** Intern kontroll in reports: the controls' follow-up at T2 and VB, and the VB assessment (DOMAIN.md, "Internal control"). */
describe(`internal control in reports on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let bromma: string;
  let bo: string;
  beforeAll(async () => {
    api = await startTestApi();
    bromma = await api.token('controller', ['sdn-bromma'], 'anna', 'Anna Ekonom');
    bo = await api.token('controller', ['sdn-bromma'], 'bo', 'Bo Berg');
    const central = await api.token('central', [], 'slk', 'Stadsledningskontoret');
    const control = (code: string, reportingPeriods: string[]) => ({
      code,
      checked: `Kontrollmoment ${code}`,
      method: 'Stickprov',
      frequency: 'två gånger per år',
      responsible: 'Ekonomichef',
      reportingPeriods,
    });
    const plan = {
      year: 2022,
      directionGoals: [],
      internalControl: [
        {
          organisation: 'sdn-bromma',
          risks: [
            {
              code: 'R1',
              process: 'Inköp',
              description: 'Inköp utanför avtal',
              probability: 3,
              consequence: 3,
              decision: 'control',
              controls: [control('K1', ['T2', 'VB']), control('K2', ['VB'])],
            },
            {
              code: 'R2',
              process: 'Lönehantering',
              description: 'Felaktiga utbetalningar',
              probability: 2,
              consequence: 4,
              decision: 'control',
              controls: [control('K3', ['T2'])],
            },
          ],
        },
      ],
    };
    expect((await request(api.app).put('/api/v1/years/2022/plan').set('Authorization', `Bearer ${central}`).send(plan)).status).toBe(200);
  });
  afterAll(() => api.close());

  const get = async (period: string, token = bromma) => {
    const res = await request(api.app).get(report('sdn-bromma', period)).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const put = (period: string, body: object, token = bromma, key?: string) => {
    const req = request(api.app).put(report('sdn-bromma', period)).set('Authorization', `Bearer ${token}`);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const places = (res: request.Response) => res.body.error.details.map((d: Record<string, unknown>) => [d.section, d.controlId ?? d.reportId, d.field, d.code]);

  test('T1 has no controls; T2 the controls reported at T2; VB those reported at VB and one assessment keyed by the report', async () => {
    const t1 = await get('T1');
    expect([t1.controls, t1.internalControl]).toEqual([[], []]);
    const t2 = await get('T2');
    expect(t2.controls.map((c) => [c.code, c.riskCode, c.riskValue, c.reportingPeriods])).toEqual([
      ['K1', 'R1', 9, ['T2', 'VB']],
      ['K3', 'R2', 8, ['T2']],
    ]);
    expect(t2.controls[0]).toMatchObject({ checked: 'Kontrollmoment K1', riskProcess: 'Inköp', performed: null, result: null, findings: null, version: 0 });
    expect(t2.internalControl).toEqual([]);
    const vb = await get('VB');
    expect(vb.controls.map((c) => c.code)).toEqual(['K1', 'K2']);
    expect(vb.internalControl).toEqual([
      { reportId: expect.any(Number), judgement: null, motivation: null, controls: 2, notPerformed: 0, deviations: 0, version: 0, changedBy: null, changedAt: null },
    ]);
  });

  test('a control not performed needs a reason, a deviation its findings: 422 names the row and field, nothing is written', async () => {
    const [k1, k3] = (await get('T2')).controls;
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await put('T2', {
      controls: [
        { controlId: k1!.controlId, baseVersion: 0, performed: 'no' },
        { controlId: k3!.controlId, baseVersion: 0, performed: 'yes', result: 'deviation', findings: '  ' },
      ],
    });
    expect(res.status).toBe(422);
    expect(places(res)).toEqual([
      ['controls', k1!.controlId, 'reason', 'REASON_REQUIRED'],
      ['controls', k3!.controlId, 'findings', 'FINDINGS_REQUIRED'],
    ]);
    expect(res.body.error.details[0]).toMatchObject({ index: 0, message: 'Skäl: krävs när kontrollen inte är genomförd. Skriv varför.' });
    const choice = await put('T2', { controls: [{ controlId: k1!.controlId, baseVersion: 0, performed: 'kanske' }] });
    expect(choice.status).toBe(422);
    expect(choice.body.error.details[0]).toMatchObject({ section: 'controls', field: 'performed' });
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('a write stores the follow-up with a version and history; idempotent; a stale base version is 409 with the row as it stands', async () => {
    const [k1, k3] = (await get('T2')).controls;
    const body = {
      controls: [
        {
          controlId: k1!.controlId,
          baseVersion: 0,
          performed: 'yes',
          result: 'deviation',
          findings: 'Tre av tjugo inköp utanför avtal.',
          actionTaken: 'Utbildning av beställare.',
        },
        { controlId: k3!.controlId, baseVersion: 0, performed: 'no', reason: 'Ekonomichefen var tjänstledig.' },
      ],
    };
    const first = await put('T2', body, bromma, 'ic-1');
    expect(first.status).toBe(200);
    const written = (first.body as Report).controls;
    expect(written.map((c) => [c.code, c.performed, c.result, c.version, c.changedBy])).toEqual([
      ['K1', 'yes', 'deviation', 1, 'Anna Ekonom'],
      ['K3', 'no', null, 1, 'Anna Ekonom'],
    ]);
    const again = await put('T2', body, bromma, 'ic-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const history = await request(api.app)
      .get(`${report('sdn-bromma', 'T2')}/history`)
      .set('Authorization', `Bearer ${bromma}`);
    expect(history.status).toBe(200);
    expect(history.body.filter((h: { entity: string }) => h.entity === 'control').map((h: Record<string, unknown>) => [h.entityCode, h.field, h.newValue])).toEqual(
      expect.arrayContaining([
        ['K1', 'performed', 'yes'],
        ['K1', 'findings', 'Tre av tjugo inköp utanför avtal.'],
        ['K3', 'reason', 'Ekonomichefen var tjänstledig.'],
      ]),
    );
    const stale = await put('T2', { controls: [{ controlId: k1!.controlId, baseVersion: 0, actionTaken: 'Annat' }] }, bo);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({
      section: 'controls',
      controlId: k1!.controlId,
      code: 'STALE',
      baseVersion: 0,
      current: { version: 1, performed: 'yes', changedBy: 'Anna Ekonom' },
    });
    const changes = await request(api.app)
      .put(`${report('sdn-bromma', 'T2')}?answer=changes`)
      .set('Authorization', `Bearer ${bo}`)
      .send({ controls: [{ controlId: k1!.controlId, baseVersion: 1, actionTaken: 'Utbildning och ny rutin.' }] });
    expect(changes.status).toBe(200);
    expect(changes.body.controls).toEqual([{ controlId: k1!.controlId, version: 2 }]);
  });

  test('a control the period does not report on, and the assessment outside VB, are unknown rows', async () => {
    const t2 = await get('T2');
    const vb = await get('VB');
    const k2 = vb.controls.find((c) => c.code === 'K2')!;
    const res = await put('T2', {
      controls: [{ controlId: k2.controlId, baseVersion: 0, performed: 'yes' }],
      internalControl: [{ reportId: vb.internalControl[0]!.reportId, baseVersion: 0, judgement: 'sufficient' }],
    });
    expect(res.status).toBe(422);
    expect(places(res)).toEqual([
      ['controls', k2.controlId, 'controlId', 'UNKNOWN_CONTROL'],
      ['internalControl', vb.internalControl[0]!.reportId, 'reportId', 'UNKNOWN_INTERNAL_CONTROL'],
    ]);
    expect(t2.internalControl).toEqual([]);
  });

  test('the VB assessment: a motivation unless sufficient; VB submit needs every control followed up and the assessment, naming what is missing', async () => {
    let vb = await get('VB');
    const [assessment] = vb.internalControl;
    const unmotivated = await put('VB', { internalControl: [{ reportId: assessment!.reportId, baseVersion: 0, judgement: 'partly' }] });
    expect(unmotivated.status).toBe(422);
    expect(places(unmotivated)).toEqual([['internalControl', assessment!.reportId, 'motivation', 'MOTIVATION_REQUIRED']]);
    expect(unmotivated.body.error.details[0].message).toBe('Motivering: krävs när den interna kontrollen bedöms delvis tillräcklig.');

    // Everything but internal control complete.
    const fill = {
      indicators: vb.indicators.map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, outcome: i.annualTarget ?? 1 })),
      activities: vb.activities.map((a) => ({ activityId: a.activityId, baseVersion: a.version, state: 'done' })),
      commissions: vb.commissions.map((c) => ({ commissionId: c.commissionId, baseVersion: c.version, state: 'done' })),
    };
    expect((await put('VB', fill)).status).toBe(200);
    vb = await get('VB');
    const goals = vb.goals.map((g) => ({ goalId: g.goalId, baseVersion: g.version, assessment: g.suggestedAssessment ?? 'delvis', motivation: 'Enligt indikatorerna.' }));
    expect((await put('VB', { goals })).status).toBe(200);

    const submit = () =>
      request(api.app)
        .post(`${report('sdn-bromma', 'VB')}/submit`)
        .set('Authorization', `Bearer ${bromma}`);
    const refused = await submit();
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INCOMPLETE');
    const [k1, k2] = vb.controls;
    expect(places(refused)).toEqual([
      ['controls', k1!.controlId, 'performed', 'MISSING_VALUE'],
      ['controls', k2!.controlId, 'performed', 'MISSING_VALUE'],
      ['internalControl', assessment!.reportId, 'judgement', 'MISSING_ASSESSMENT'],
    ]);
    expect(refused.body.error.details[0].message).toBe('Kontroll K1 (Kontrollmoment K1): Genomförd: ange ja eller nej.');

    const followed = await put('VB', {
      controls: [
        { controlId: k1!.controlId, baseVersion: 0, performed: 'yes', result: 'no_deviation' },
        { controlId: k2!.controlId, baseVersion: 0, performed: 'no', reason: 'Inte hunnits med under året.' },
      ],
      internalControl: [{ reportId: assessment!.reportId, baseVersion: 0, judgement: 'partly', motivation: 'En planerad kontroll har inte genomförts.' }],
    });
    expect(followed.status).toBe(200);
    expect((followed.body as Report).internalControl[0]).toMatchObject({ judgement: 'partly', controls: 2, notPerformed: 1, deviations: 0, version: 1 });

    const submitted = await submit();
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('submitted');
    const locked = await put('VB', { internalControl: [{ reportId: assessment!.reportId, baseVersion: 1, judgement: 'sufficient' }] });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('PERIOD_CLOSED');
  });

  test("the centre's consolidation: each organisation's assessment and follow-up, the sentence, controls not performed, deviations, the matrix", async () => {
    const central = await api.token('central', [], 'slk', 'Stadsledningskontoret');
    const vb = await request(api.app).get('/api/v1/years/2022/consolidation/VB').set('Authorization', `Bearer ${central}`);
    expect(vb.status).toBe(200);
    const ic = vb.body.internalControl;
    expect(ic.organisations.find((o: { organisation: string }) => o.organisation === 'sdn-bromma')).toEqual({
      organisation: 'sdn-bromma',
      name: expect.any(String),
      judgement: 'partly',
      motivation: 'En planerad kontroll har inte genomförts.',
      risks: 2,
      controls: 2,
      notPerformed: 1,
      deviations: 0,
      missing: 0,
    });
    expect(ic.sentence).toContain('delvis tillräcklig');
    expect(ic.notPerformed).toContainEqual({ organisation: 'sdn-bromma', code: 'K2', checked: 'Kontrollmoment K2', reason: 'Inte hunnits med under året.' });
    expect(ic.matrix[2][2]).toBeGreaterThanOrEqual(1);
    const t2 = await request(api.app).get('/api/v1/years/2022/consolidation/T2').set('Authorization', `Bearer ${central}`);
    expect(t2.body.internalControl.sentence).toBeNull();
    expect(t2.body.internalControl.deviations).toContainEqual({
      organisation: 'sdn-bromma',
      code: 'K1',
      checked: 'Kontrollmoment K1',
      findings: 'Tre av tjugo inköp utanför avtal.',
      actionTaken: 'Utbildning och ny rutin.',
    });
  });
});
