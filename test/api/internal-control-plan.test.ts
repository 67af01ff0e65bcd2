import request from 'supertest';
import type { OrgPlan } from '../../core/contract/plan';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

/** Intern kontroll in plans: risks and controls carried by the plan document, shown in the organisation's plan. */
describe(`internal control in plans on ${testDatabaseKind}`, () => {
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

  const control = (code: string, reportingPeriods: string[] = ['T2', 'VB']) => ({
    code,
    checked: 'Att leverantörsfakturor attesteras mot beställning',
    method: 'Stickprov om 20 fakturor',
    frequency: 'två gånger per år',
    responsible: 'Ekonomichef',
    reportingPeriods,
  });
  const document = (risks: object[]) => ({ year: 2024, directionGoals: [], internalControl: [{ organisation: 'sdn-farsta', risks }] });
  const purchase = {
    code: 'R1',
    process: 'Inköp',
    description: 'Inköp görs utanför avtal',
    probability: 3,
    consequence: 4,
    decision: 'control',
    controls: [control('K2', ['VB']), control('K1')],
  };
  const staffing = {
    code: 'R2',
    process: 'Bemanning',
    description: 'Svårt att rekrytera socialsekreterare',
    probability: 4,
    consequence: 2,
    decision: 'act',
    action: 'Introduktionsprogram',
  };
  const archive = { code: 'R10', process: 'Arkiv', description: 'Handlingar gallras för tidigt', probability: 1, consequence: 2, decision: 'accept' };

  test("a plan document's risks and controls are in the organisation's plan, with risk values and the matrix", async () => {
    const res = await as(central).put('/api/v1/years/2024/plan', document([archive, staffing, purchase]));
    expect(res.status).toBe(200);
    const plan = (await as(farsta).get('/api/v1/years/2024/organisations/sdn-farsta/plan')).body as OrgPlan;
    const { risks, matrix } = plan.internalControl;
    expect(risks.map((r) => [r.code, r.process, r.probability, r.consequence, r.riskValue, r.riskLevel, r.decision, r.action])).toEqual([
      ['R1', 'Inköp', 3, 4, 12, 'very_high', 'control', null],
      ['R2', 'Bemanning', 4, 2, 8, 'high', 'act', 'Introduktionsprogram'],
      ['R10', 'Arkiv', 1, 2, 2, 'low', 'accept', null],
    ]);
    expect(risks[0]!.controls).toEqual([
      { id: expect.any(Number), ...control('K1') },
      { id: expect.any(Number), ...control('K2', ['VB']) },
    ]);
    expect(matrix[2]![3]).toBe(1);
    expect(matrix[3]![1]).toBe(1);
    expect(matrix[0]![1]).toBe(1);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(3);
    const other = (await as(central).get('/api/v1/years/2024/organisations/fn-aldre/plan')).body as OrgPlan;
    expect(other.internalControl).toEqual({ risks: [], matrix: [0, 1, 2, 3].map(() => [0, 0, 0, 0]) });
  });

  test('a second import merges by code: values change, a control moves to another risk, the ids stay, nothing is deleted', async () => {
    const before = (await as(farsta).get('/api/v1/years/2024/organisations/sdn-farsta/plan')).body as OrgPlan;
    const k1 = before.internalControl.risks[0]!.controls[0]!;
    const res = await as(central).put(
      '/api/v1/years/2024/plan',
      document([
        { ...purchase, probability: 2, controls: [control('K2', ['VB'])] },
        {
          code: 'R3',
          process: 'Dokumentation',
          description: 'Beslut dokumenteras inte',
          probability: 2,
          consequence: 3,
          decision: 'control',
          controls: [{ ...control('K1'), method: 'Granskning av 10 akter' }],
        },
      ]),
    );
    expect(res.status).toBe(200);
    const plan = (await as(farsta).get('/api/v1/years/2024/organisations/sdn-farsta/plan')).body as OrgPlan;
    const byCode = new Map(plan.internalControl.risks.map((r) => [r.code, r]));
    expect([...byCode.keys()]).toEqual(['R1', 'R2', 'R3', 'R10']);
    expect([byCode.get('R1')!.riskValue, byCode.get('R1')!.controls.map((c) => c.code)]).toEqual([8, ['K2']]);
    expect(byCode.get('R3')!.controls).toEqual([{ ...k1, method: 'Granskning av 10 akter' }]);
  });

  test('a bad document names the path of each problem and writes nothing', async () => {
    const snapshot = await databaseSnapshot(api.database.db);
    const fields = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field).sort();
    const shape = await as(central).put(
      '/api/v1/years/2024/plan',
      document([
        { ...purchase, consequence: 0 },
        { ...staffing, action: undefined },
        { ...archive, decision: 'ignore' },
      ]),
    );
    expect(shape.status).toBe(422);
    expect(fields(shape)).toEqual(['internalControl.0.risks.0.consequence', 'internalControl.0.risks.2.decision']);
    const rules = await as(central).put(
      '/api/v1/years/2024/plan',
      document([{ ...staffing, action: undefined }, { ...purchase, controls: [] }, { ...archive, controls: [control('K9')] }, archive]),
    );
    expect(rules.status).toBe(422);
    expect(fields(rules)).toEqual([
      'internalControl.0.risks.0.action',
      'internalControl.0.risks.1.controls',
      'internalControl.0.risks.2.controls',
      'internalControl.0.risks.3.code',
    ]);
    const unknown = await as(central).put('/api/v1/years/2024/plan', { ...document([archive]), internalControl: [{ organisation: 'sdn-okand', risks: [archive] }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'internalControl[0].organisation', code: 'UNKNOWN_REFERENCE' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('only the centre imports a plan', async () => {
    expect((await as(farsta).put('/api/v1/years/2024/plan', document([archive]))).status).toBe(403);
  });
});
