import request from 'supertest';
import { demoPlanDocument } from '../../api/db/demo-plan';
import type { Consolidation } from '../../core/contract/consolidation';
import type { OrgPlan, PlanHistoryEntry } from '../../core/contract/plan';
import type { AmbitionItem, AmbitionReview, PlanStatus } from '../../core/contract/plan-review';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const JARVA = '/api/v1/years/2022/organisations/sdn-jarva';

describe(`the verksamhetsplan's states and KS's ambition loop on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let jarva: string;
  let farsta: string;
  let poor: number; // 1.1.1, lower is better: Järva's 4 against KF's 2.5
  let sick: number; // 3.2.1, lower is better: KF's 6.5
  let met: number; // 1.2.1: an årsmål not below KF's
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central', [], 'sla-sara', 'Sara Stadsledning');
    jarva = await api.token('controller', ['sdn-jarva'], 'jarva-jon', 'Jon Järva');
    farsta = await api.token('controller', ['sdn-farsta'], 'farsta-frida', 'Frida Farsta');
    const plan = (await as(jarva).get(`${JARVA}/plan`)).body as OrgPlan;
    const id = (code: string) => plan.indicators.find((i) => i.code === code)!.id;
    poor = id('1.1.1');
    sick = id('3.2.1');
    met = plan.indicators.find((i) => !i.belowKfAmbition && i.direction !== 'band')!.id;
  });
  afterAll(() => api.close());
  const as = (token: string) => ({
    get: (url: string) => request(api.app).get(url).set('Authorization', `Bearer ${token}`),
    put: (url: string, body: object) => request(api.app).put(url).set('Authorization', `Bearer ${token}`).send(body),
    post: (url: string, body: object, key?: string) => {
      const req = request(api.app).post(url).set('Authorization', `Bearer ${token}`);
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    },
  });
  const planState = async () => ((await as(jarva).get(`${JARVA}/plan`)).body as OrgPlan).planState;
  const setTarget = (token: string, indicatorId: number, annualTarget: number | null) => as(token).put(`${JARVA}/targets`, { targets: [{ indicatorId, annualTarget }] });
  const step = (token: string, indicatorId: number, action: 'request' | 'answer' | 'accept', body: object, key?: string) =>
    as(token).post(`${JARVA}/ambition-requests/${indicatorId}/${action}`, body, key);

  describe('plan states', () => {
    test('a plan starts as a draft at version 0, in the organisation plan and on its own', async () => {
      expect(await planState()).toEqual({ year: 2022, organisation: 'sdn-jarva', state: 'draft', version: 0, changedBy: null, changedAt: null });
      expect((await as(jarva).get(`${JARVA}/plan/state`)).body).toMatchObject({ state: 'draft', version: 0 });
      expect((await as(farsta).get(`${JARVA}/plan/state`)).status).toBe(403);
    });

    test('only the organisation’s controllers (and the centre) submit; nobody approves or returns but the centre', async () => {
      const snapshot = await databaseSnapshot(api.database.db);
      expect((await as(farsta).post(`${JARVA}/plan/submit`, { baseVersion: 0 })).status).toBe(403);
      expect((await as(jarva).post(`${JARVA}/plan/approve`, { baseVersion: 0 })).status).toBe(403);
      expect((await as(jarva).post(`${JARVA}/plan/return`, { baseVersion: 0 })).status).toBe(403);
      expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    });

    test('a draft cannot be approved or returned: 409 WRONG_STATE with the plan as it stands', async () => {
      const res = await as(central).post(`${JARVA}/plan/approve`, { baseVersion: 0 });
      expect(res.status).toBe(409);
      expect(res.body.error.details).toEqual([expect.objectContaining({ code: 'WRONG_STATE', current: expect.objectContaining({ state: 'draft', version: 0 }) })]);
      expect((await as(central).post(`${JARVA}/plan/return`, { baseVersion: 0 })).status).toBe(409);
    });

    test('bad bodies: 422 naming the field, 400 for no object', async () => {
      const missing = await as(jarva).post(`${JARVA}/plan/submit`, {});
      expect(missing.status).toBe(422);
      expect(missing.body.error.details).toEqual([expect.objectContaining({ field: 'baseVersion' })]);
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 0, extra: 1 })).status).toBe(422);
      expect((await request(api.app).post(`${JARVA}/plan/submit`).set('Authorization', `Bearer ${jarva}`).set('Content-Type', 'application/json').send('[1]')).status).toBe(400);
    });

    test('the controller submits; the submitted plan refuses every change of årsmål with 423, the centre’s too, and writes nothing', async () => {
      const res = await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 0 });
      expect(res.status).toBe(200);
      expect(res.body as PlanStatus).toMatchObject({ state: 'submitted', version: 1, changedBy: 'Jon Järva' });
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 0 })).body.error.details[0].code).toBe('STALE');
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 1 })).body.error.details[0].code).toBe('WRONG_STATE');

      const snapshot = await databaseSnapshot(api.database.db);
      for (const token of [jarva, central]) {
        const refused = await setTarget(token, sick, 7);
        expect(refused.status).toBe(423);
        expect(refused.body.error).toMatchObject({ code: 'PERIOD_CLOSED', details: [expect.objectContaining({ code: 'PLAN_SUBMITTED' })] });
      }
      const plan = (await as(jarva).get(`${JARVA}/plan`)).body as OrgPlan;
      const current = plan.indicators.find((i) => i.id === poor)!.orgTarget;
      expect((await setTarget(jarva, poor, current)).status).toBe(200); // unchanged: a no-op
      expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    });

    test('the centre returns it to draft, the controller changes årsmål again and submits, the centre approves', async () => {
      expect((await as(central).post(`${JARVA}/plan/return`, { baseVersion: 1 })).body).toMatchObject({ state: 'draft', version: 2, changedBy: 'Sara Stadsledning' });
      expect((await setTarget(jarva, sick, 6.8)).status).toBe(200);
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 2 })).body).toMatchObject({ state: 'submitted', version: 3 });
      expect((await as(central).post(`${JARVA}/plan/approve`, { baseVersion: 3 })).body).toMatchObject({ state: 'approved', version: 4 });
    });

    test('after approval a controller’s change is 423 PLAN_APPROVED; the centre’s is written, and every change is in the history with who, when, from and to', async () => {
      const refused = await setTarget(jarva, sick, 6.5);
      expect(refused.status).toBe(423);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'PLAN_APPROVED' })]);
      expect((await setTarget(central, sick, 6.6)).status).toBe(200);

      const history = (await as(jarva).get(`${JARVA}/plan/history`)).body as PlanHistoryEntry[];
      const states = history.filter((h) => h.entity === 'plan');
      expect(states.map((h) => [h.field, h.oldValue, h.newValue, h.by])).toEqual([
        ['state', 'draft', 'submitted', 'jarva-jon'],
        ['state', 'submitted', 'draft', 'sla-sara'],
        ['state', 'draft', 'submitted', 'jarva-jon'],
        ['state', 'submitted', 'approved', 'sla-sara'],
      ]);
      expect(states.every((h) => h.entityId === null && !Number.isNaN(Date.parse(h.at)))).toBe(true);
      expect(history.filter((h) => h.entity === 'indicator' && h.entityId === sick).map((h) => [h.oldValue, h.newValue, h.byName])).toEqual([
        [null, '6.8', 'Jon Järva'],
        ['6.8', '6.6', 'Sara Stadsledning'],
      ]);
    });

    test('an approved plan may be returned to draft; submit and approve again replay with the same Idempotency-Key', async () => {
      expect((await as(central).post(`${JARVA}/plan/return`, { baseVersion: 4 })).body).toMatchObject({ state: 'draft', version: 5 });
      const first = await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 5 }, 'submit-2022-a');
      expect(first.status).toBe(200);
      const again = await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 5 }, 'submit-2022-a');
      expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([200, 'true', first.body]);
      const reused = await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: 6 }, 'submit-2022-a');
      expect(reused.status).toBe(422);
      expect(reused.body.error.details[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await as(central).post(`${JARVA}/plan/return`, { baseVersion: 6 })).body).toMatchObject({ state: 'draft', version: 7 });
    });
  });

  describe('the ambition loop', () => {
    const item = (review: AmbitionReview, organisation: string, indicatorId: number) => review.items.find((i) => i.organisation === organisation && i.indicatorId === indicatorId);

    test('the centre lists every årsmål below KF’s across organisations, by the ambition rule; controllers may not', async () => {
      const res = await as(central).get('/api/v1/years/2022/ambition-requests');
      expect(res.status).toBe(200);
      const review = res.body as AmbitionReview;
      expect(review.organisation).toBeNull();
      expect(review.items.every((i) => i.belowKfAmbition && i.request === null)).toBe(true);
      expect(new Set(review.items.map((i) => i.organisation)).size).toBeGreaterThan(1);
      expect(item(review, 'sdn-jarva', poor)).toMatchObject({ code: '1.1.1', direction: 'lower', kfTarget: 2.5, orgTarget: 4, request: null });
      const consolidation = (await as(central).get('/api/v1/years/2022/consolidation/T1')).body as Consolidation;
      expect(review.items.map((i) => `${i.organisation} ${i.code}`).sort()).toEqual(consolidation.belowKfAmbition.map((b) => `${b.organisation} ${b.code}`).sort());
      expect((await as(jarva).get('/api/v1/years/2022/ambition-requests')).status).toBe(403);
    });

    test('only the centre sends requests, and only on an årsmål below KF’s', async () => {
      const snapshot = await databaseSnapshot(api.database.db);
      expect((await step(jarva, poor, 'request', { baseVersion: 0, comment: 'Höj' })).status).toBe(403);
      const notBelow = await step(central, met, 'request', { baseVersion: 0, comment: 'Höj' });
      expect(notBelow.status).toBe(422);
      expect(notBelow.body.error.details).toEqual([expect.objectContaining({ code: 'NOT_BELOW_KF_AMBITION' })]);
      expect((await step(central, poor, 'request', { baseVersion: 0, comment: '' })).status).toBe(422);
      expect((await step(central, 999999, 'request', { baseVersion: 0, comment: 'Höj' })).status).toBe(404);
      expect((await step(central, poor, 'answer', { baseVersion: 0, motivation: 'x' })).body.error.details[0].code).toBe('WRONG_STATE');
      expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    });

    test('the centre sends a request: open at version 1 with who and when; sent again it is 409', async () => {
      const res = await step(central, poor, 'request', { baseVersion: 0, comment: 'Återkom med ett mer ambitiöst värde.' });
      expect(res.status).toBe(200);
      const sent = res.body as AmbitionItem;
      expect(sent.request).toMatchObject({
        state: 'open',
        closed: false,
        version: 1,
        comment: 'Återkom med ett mer ambitiöst värde.',
        requestedBy: 'Sara Stadsledning',
        motivation: null,
      });
      expect(sent.request!.events).toEqual([expect.objectContaining({ action: 'requested', state: 'open', orgTarget: 4, by: 'sla-sara', byName: 'Sara Stadsledning' })]);
      expect((await step(central, poor, 'request', { baseVersion: 0, comment: 'Igen' })).body.error.details[0]).toMatchObject({
        code: 'STALE',
        current: expect.objectContaining({ request: expect.objectContaining({ version: 1 }) }),
      });
      expect((await step(central, poor, 'request', { baseVersion: 1, comment: 'Igen' })).body.error.details[0].code).toBe('WRONG_STATE');
    });

    test('the organisation sees its open requests; another organisation’s controller may not', async () => {
      const res = await as(jarva).get(`${JARVA}/ambition-requests`);
      expect(res.status).toBe(200);
      const review = res.body as AmbitionReview;
      expect(review.organisation).toBe('sdn-jarva');
      expect(review.items.filter((i) => i.request?.state === 'open').map((i) => i.indicatorId)).toEqual([poor]);
      expect((await as(farsta).get(`${JARVA}/ambition-requests`)).status).toBe(403);
    });

    test('a motivation: only the organisation’s controllers answer, the centre may not accept before; repeated, answered again, accepted', async () => {
      expect((await step(central, poor, 'accept', { baseVersion: 1 })).body.error.details[0].code).toBe('WRONG_STATE');
      expect((await step(farsta, poor, 'answer', { baseVersion: 1, motivation: 'Inte vår' })).status).toBe(403);
      const answered = await step(jarva, poor, 'answer', { baseVersion: 1, motivation: 'Målgruppen växer i Järva.' });
      expect(answered.body.request).toMatchObject({ state: 'answered', version: 2, motivation: 'Målgruppen växer i Järva.', answeredBy: 'Jon Järva' });
      expect((await step(jarva, poor, 'answer', { baseVersion: 1, motivation: 'Gammal' })).status).toBe(409);
      expect((await step(jarva, poor, 'accept', { baseVersion: 2 })).status).toBe(403);

      const repeated = await step(central, poor, 'request', { baseVersion: 2, comment: 'Motiveringen räcker inte; återkom.' });
      expect(repeated.body.request).toMatchObject({ state: 'open', version: 3, comment: 'Motiveringen räcker inte; återkom.', motivation: 'Målgruppen växer i Järva.' });
      expect((await step(jarva, poor, 'answer', { baseVersion: 3, motivation: 'Vi har nya siffror som visar ökningen.' })).body.request.state).toBe('answered');
      const accepted = await step(central, poor, 'accept', { baseVersion: 4, comment: 'Godtas.' });
      expect(accepted.body.request).toMatchObject({ state: 'accepted', closed: true, version: 5, closedBy: 'Sara Stadsledning' });
      expect((accepted.body as AmbitionItem).request!.events.map((e) => [e.action, e.state, e.by])).toEqual([
        ['requested', 'open', 'sla-sara'],
        ['answered', 'answered', 'jarva-jon'],
        ['repeated', 'open', 'sla-sara'],
        ['answered', 'answered', 'jarva-jon'],
        ['accepted', 'accepted', 'sla-sara'],
      ]);
    });

    test('answered by raising the årsmål: the request is met by itself, closed by who raised it', async () => {
      expect((await setTarget(jarva, sick, 7.5)).status).toBe(200); // lower is better: above KF's 6.5
      expect((await step(central, sick, 'request', { baseVersion: 0, comment: 'Sjukfrånvaron: sikta på KF:s nivå.' })).body.request.state).toBe('open');
      expect((await setTarget(jarva, sick, 7)).status).toBe(200); // better, still below KF's ambition
      expect(((await as(jarva).get(`${JARVA}/ambition-requests`)).body as AmbitionReview).items.find((i) => i.indicatorId === sick)!.request!.state).toBe('open');
      expect((await setTarget(jarva, sick, 6.5)).status).toBe(200);
      const review = (await as(central).get('/api/v1/years/2022/ambition-requests')).body as AmbitionReview;
      const raised = item(review, 'sdn-jarva', sick)!;
      expect(raised).toMatchObject({ belowKfAmbition: false, orgTarget: 6.5, request: { state: 'met', closed: true, version: 2, closedBy: 'Jon Järva' } });
      expect(raised.request!.events.at(-1)).toMatchObject({ action: 'met', orgTarget: 6.5, by: 'jarva-jon' });
      expect(item(review, 'sdn-jarva', poor)!.request!.state).toBe('accepted'); // the centre's list holds closed requests too
      // Below again after it was met: the centre may send a new request.
      expect((await setTarget(jarva, sick, 8)).status).toBe(200);
      const again = await step(central, sick, 'request', { baseVersion: 2, comment: 'Nu är det lägre igen.' });
      expect(again.body.request).toMatchObject({ state: 'open', version: 3, motivation: null, closedAt: null });
    });

    test('an approval waits for every request to be closed: 422 INCOMPLETE naming the open one', async () => {
      const { version } = await planState();
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: version })).status).toBe(200);
      const refused = await as(central).post(`${JARVA}/plan/approve`, { baseVersion: version + 1 });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'INCOMPLETE', details: [expect.objectContaining({ indicatorId: sick, code: 'AMBITION_REQUEST_PENDING' })] });
      // Sent back with the request, the organisation raises the årsmål; then the plan is approved.
      expect((await as(central).post(`${JARVA}/plan/return`, { baseVersion: version + 1 })).status).toBe(200);
      expect((await setTarget(jarva, sick, 6)).status).toBe(200);
      expect((await as(jarva).post(`${JARVA}/plan/submit`, { baseVersion: version + 2 })).status).toBe(200);
      expect((await as(central).post(`${JARVA}/plan/approve`, { baseVersion: version + 3 })).body.state).toBe('approved');
    });

    test('a step sent again with the same Idempotency-Key replays its answer', async () => {
      const first = await step(central, sick, 'request', { baseVersion: 4, comment: 'x' }, 'k-1');
      expect(first.status).toBe(422); // not below KF's any more: nothing written, and no answer kept
      const setBelow = await setTarget(central, sick, 9);
      expect(setBelow.status).toBe(200);
      const sent = await step(central, sick, 'request', { baseVersion: 4, comment: 'Igen lägre.' }, 'k-2');
      const replay = await step(central, sick, 'request', { baseVersion: 4, comment: 'Igen lägre.' }, 'k-2');
      expect([sent.status, replay.status, replay.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
      expect(replay.body).toEqual(sent.body);
    });

    test('the consolidation’s "Lägre ambition än KF" has each request’s state, comment, answer and dates', async () => {
      const consolidation = (await as(central).get('/api/v1/years/2022/consolidation/T1')).body as Consolidation;
      const jarvaPoor = consolidation.belowKfAmbition.find((b) => b.organisation === 'sdn-jarva' && b.indicatorId === poor)!;
      expect(jarvaPoor.request).toMatchObject({
        state: 'accepted',
        comment: 'Motiveringen räcker inte; återkom.',
        motivation: 'Vi har nya siffror som visar ökningen.',
        requestedBy: 'Sara Stadsledning',
        answeredBy: 'Jon Järva',
        closedBy: 'Sara Stadsledning',
      });
      for (const at of [jarvaPoor.request!.requestedAt, jarvaPoor.request!.answeredAt, jarvaPoor.request!.closedAt]) expect(Number.isNaN(Date.parse(at!))).toBe(false);
      expect(consolidation.belowKfAmbition.filter((b) => b.organisation !== 'sdn-jarva').every((b) => b.request === null)).toBe(true);
    });
  });
});

describe(`plan states and ambition requests under concurrency, and a plan import, on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let poor: number;
  beforeAll(async () => {
    api = await startTestApi({ poolSize: 20 });
    const jarva = await api.token('controller', ['sdn-jarva']);
    const plan = (await request(api.app).get(`${JARVA}/plan`).set('Authorization', `Bearer ${jarva}`)).body as OrgPlan;
    poor = plan.indicators.find((i) => i.code === '1.1.1')!.id;
  });
  afterAll(() => api.close());
  const post = (token: string, url: string, body: object) => request(api.app).post(url).set('Authorization', `Bearer ${token}`).send(body);

  test('several of the centre send the first request at once: one is sent, the others are 409, one step recorded', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, n) => api.token('central', [], `central-${n}`, `Central ${n}`)));
    const responses = await Promise.all(tokens.map((t, n) => post(t, `${JARVA}/ambition-requests/${poor}/request`, { baseVersion: 0, comment: `Begäran ${n}` })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(tokens.length - 1);
    const central = tokens[0]!;
    const review = (await request(api.app).get(`${JARVA}/ambition-requests`).set('Authorization', `Bearer ${central}`)).body as AmbitionReview;
    const sent = review.items.find((i) => i.indicatorId === poor)!.request!;
    expect([sent.version, sent.events.length]).toEqual([1, 1]);
    expect(sent.comment).toBe(`Begäran ${statuses.indexOf(200)}`);
  });

  test('two controllers submit the same plan at once: one submits, the other is 409', async () => {
    const tokens = await Promise.all([0, 1].map((n) => api.token('controller', ['sdn-jarva'], `jarva-${n}`)));
    const responses = await Promise.all(tokens.map((t) => post(t, `${JARVA}/plan/submit`, { baseVersion: 0 })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = (await request(api.app).get(`${JARVA}/plan/history`).set('Authorization', `Bearer ${tokens[0]!}`)).body as PlanHistoryEntry[];
    expect(history.filter((h) => h.entity === 'plan')).toHaveLength(1);
  });

  test('a plan import that lowers KF’s årsmål to the organisation’s meets the request, closed by the importer', async () => {
    const central = await api.token('central', [], 'sla-sara', 'Sara Stadsledning');
    const doc = structuredClone(demoPlanDocument());
    doc.directionGoals
      .flatMap((d) => d.kfGoals)
      .flatMap((g) => g.indicators)
      .find((i) => i.code === '1.1.1')!.annualTarget = 4;
    expect((await request(api.app).put('/api/v1/years/2022/plan').set('Authorization', `Bearer ${central}`).send(doc)).status).toBe(200);
    const review = (await request(api.app).get(`${JARVA}/ambition-requests`).set('Authorization', `Bearer ${central}`)).body as AmbitionReview;
    expect(review.items.find((i) => i.indicatorId === poor)).toMatchObject({
      kfTarget: 4,
      orgTarget: 4,
      belowKfAmbition: false,
      request: { state: 'met', closedBy: 'Sara Stadsledning' },
    });
  });
});
