import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const T1 = '/api/v1/years/2022/organisations/sdn-farsta/reports/T1';

describe(`reports on ${testDatabaseKind}`, () => {
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

  const get = async (path = T1, token = farsta) => {
    const res = await request(api.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body as Report;
  };
  const put = (body: unknown, token = farsta, path = T1) =>
    request(api.app)
      .put(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const byCode = (report: Report, code: string) => report.indicators.find((i) => i.code === code)!;

  test('GET gives the organisation, its indicators with KF and own årsmål, and its goals', async () => {
    const report = await get();
    expect(report).toMatchObject({ organisation: { code: 'sdn-farsta', kind: 'stadsdelsnamnd' }, year: 2022, period: 'T1', state: 'open' });
    expect(report.indicators.map((i) => i.code)).toEqual(['1.1.1', '1.2.1', '1.5.1', '1.5.2', '1.5.3', '3.1.1', '3.1.2', '3.2.1', '3.2.2']);
    expect(byCode(report, '1.5.3')).toMatchObject({ kfTarget: 60, orgTarget: 50, annualTarget: 50, direction: 'lower', version: 0, status: null });
    expect(byCode(report, '3.1.1')).toMatchObject({ direction: 'band', tolerance: 1, annualTarget: 100 });
    expect(report.goals.map((g) => g.code)).toEqual(['N1', 'N2', 'N3']);
    expect(report.goals.every((g) => g.version === 0 && g.suggestedAssessment === null)).toBe(true);
  });

  test('Swedish decimals are stored as numbers and statuses computed by the documented rule', async () => {
    const before = await get();
    const res = await put({
      indicators: [
        { indicatorId: byCode(before, '1.1.1').indicatorId, baseVersion: 0, forecast: '2,9', outcome: '3,1', comment: 'Ökat under våren' },
        { indicatorId: byCode(before, '3.1.1').indicatorId, baseVersion: 0, forecast: '100,4' },
        { indicatorId: byCode(before, '1.5.3').indicatorId, baseVersion: 0, forecast: '1 234,5' },
        { indicatorId: byCode(before, '3.2.1').indicatorId, baseVersion: 0, outcome: 6.4 },
      ],
    });
    expect(res.status).toBe(200);
    const report = res.body as Report;
    expect(byCode(report, '1.1.1')).toMatchObject({ forecast: 2.9, outcome: 3.1, status: 'delvis', version: 1, changedBy: 'Anna Ekonom' });
    expect(byCode(report, '3.1.1')).toMatchObject({ forecast: 100.4, status: 'helt', version: 1 });
    expect(byCode(report, '1.5.3')).toMatchObject({ forecast: 1234.5, status: 'ej' }); // lower, own target 50
    expect(byCode(report, '3.2.1')).toMatchObject({ outcome: 6.4, status: 'helt' }); // no forecast: the outcome counts
    expect(byCode(report, '1.2.1')).toMatchObject({ version: 0, status: null });
    // N1 covers 1.1.1 (delvis); N3 covers 3.1.x (helt, and 3.1.2 has no value yet)
    expect(report.goals.find((g) => g.code === 'N1')!.suggestedAssessment).toBe('delvis');
    expect(report.goals.find((g) => g.code === 'N3')!.suggestedAssessment).toBe('helt');
  });

  test('a 422 lists every problem of the batch, and the database is unchanged', async () => {
    const report = await get();
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await put({
      indicators: [
        { indicatorId: byCode(report, '1.2.1').indicatorId, baseVersion: 0, forecast: 'abc' },
        { indicatorId: byCode(report, '1.5.1').indicatorId, baseVersion: 0, outcome: '1e3', comment: 'x'.repeat(2001) },
        { indicatorId: byCode(report, '1.5.2').indicatorId, forecast: 3 },
        { indicatorId: byCode(report, '3.2.2').indicatorId, baseVersion: 0, forcast: 3 },
        'not a row',
      ],
      goals: [{ goalId: report.goals[0]!.goalId, baseVersion: 0, assessment: 'bra' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const details = res.body.error.details.map((d: Record<string, unknown>) => [d.section, d.index, d.field, d.code]);
    expect(details).toEqual(
      expect.arrayContaining([
        ['indicators', 0, 'forecast', 'NOT_A_NUMBER'],
        ['indicators', 1, 'outcome', 'NOT_A_NUMBER'],
        ['indicators', 1, 'comment', 'TOO_LONG'],
        ['indicators', 2, 'baseVersion', 'REQUIRED'],
        ['indicators', 3, 'forcast', 'UNKNOWN_FIELD'],
        ['indicators', 4, undefined, 'NOT_AN_OBJECT'],
        ['goals', 0, 'assessment', 'INVALID_VALUE'],
      ]),
    );
    expect(res.body.error.details[0]).toMatchObject({ indicatorId: byCode(report, '1.2.1').indicatorId, message: expect.stringContaining('Prognos') });
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('an unknown row in an otherwise good batch writes nothing', async () => {
    const report = await get();
    const snapshot = await databaseSnapshot(api.database.db);
    const res = await put({
      indicators: [
        { indicatorId: byCode(report, '1.2.1').indicatorId, baseVersion: 0, forecast: 81 },
        { indicatorId: 999999, baseVersion: 0, forecast: 1 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ index: 1, indicatorId: 999999, code: 'UNKNOWN_INDICATOR' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('malformed bodies are 400 in the JSON error shape', async () => {
    const notJson = await request(api.app).put(T1).set('Authorization', `Bearer ${farsta}`).set('Content-Type', 'application/json').send('{"indicators": [');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('MALFORMED');
    const wrongShape = await put({ indicators: 'alla' });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.code).toBe('MALFORMED');
    const extraTop = await put({ indicators: [], rows: [] });
    expect(extraTop.status).toBe(400);
  });

  test('a stale base version is a 409 naming who changed the row, and nothing is written', async () => {
    const report = await get();
    const row = byCode(report, '1.1.1');
    const theirs = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: '2,7' }] }, colleague);
    expect(theirs.status).toBe(200);
    const snapshot = await databaseSnapshot(api.database.db);
    const mine = await put({
      indicators: [
        { indicatorId: byCode(report, '1.2.1').indicatorId, baseVersion: 0, forecast: 79 },
        { indicatorId: row.indicatorId, baseVersion: row.version, forecast: '3,3' },
      ],
    });
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('CONFLICT');
    expect(mine.body.error.details).toEqual([
      expect.objectContaining({
        section: 'indicators',
        index: 1,
        indicatorId: row.indicatorId,
        code: 'STALE',
        baseVersion: row.version,
        current: expect.objectContaining({ forecast: 2.7, version: row.version + 1, changedBy: 'Bertil Controller' }),
        message: expect.stringContaining('Bertil Controller'),
      }),
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    // Sending mine again on their version works.
    const again = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version + 1, forecast: '3,3' }] });
    expect(again.status).toBe(200);
    expect(byCode(again.body, '1.1.1')).toMatchObject({ forecast: 3.3, version: row.version + 2, status: 'ej' });
  });

  test('a row equal to what is stored changes nothing: no version, no history, even on an old version', async () => {
    const report = await get();
    const row = byCode(report, '3.1.1');
    const snapshot = await databaseSnapshot(api.database.db);
    const same = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: 0, forecast: '100,40', outcome: null, comment: '' }] });
    expect(same.status).toBe(200);
    expect(byCode(same.body, '3.1.1').version).toBe(row.version);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('omitted fields stay, null clears, and history records old → new with who', async () => {
    const report = await get();
    const row = byCode(report, '1.1.1');
    const res = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, comment: null }] });
    expect(res.status).toBe(200);
    expect(byCode(res.body, '1.1.1')).toMatchObject({ comment: null, forecast: row.forecast, outcome: row.outcome });
    const history = await request(api.app).get(`${T1}/history`).set('Authorization', `Bearer ${farsta}`);
    expect(history.status).toBe(200);
    const last = history.body[history.body.length - 1];
    expect(last).toMatchObject({ entity: 'indicator', entityCode: '1.1.1', field: 'comment', oldValue: 'Ökat under våren', newValue: null, by: 'anna', byName: 'Anna Ekonom' });
    expect(history.body.filter((h: { byName: string }) => h.byName === 'Bertil Controller')).toEqual([
      expect.objectContaining({ field: 'forecast', oldValue: '2.9', newValue: '2.7' }),
    ]);
  });

  test('an assessment that differs from the suggestion needs a motivation', async () => {
    const report = await get();
    const n1 = report.goals.find((g) => g.code === 'N1')!;
    expect(n1.suggestedAssessment).toBe('ej');
    const snapshot = await databaseSnapshot(api.database.db);
    const bare = await put({ goals: [{ goalId: n1.goalId, baseVersion: 0, assessment: 'helt' }] });
    expect(bare.status).toBe(422);
    expect(bare.body.error.details).toEqual([expect.objectContaining({ goalId: n1.goalId, field: 'motivation', code: 'MOTIVATION_REQUIRED' })]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
    const motivated = await put({
      goals: [{ goalId: n1.goalId, baseVersion: 0, assessment: 'helt', motivation: 'Indikatorn täcker bara en del av målet.', analysis: 'Fler i arbete.' }],
    });
    expect(motivated.status).toBe(200);
    expect(motivated.body.goals.find((g: { code: string }) => g.code === 'N1')).toMatchObject({ assessment: 'helt', suggestedAssessment: 'ej', version: 1 });
    const agreeing = report.goals.find((g) => g.code === 'N3')!;
    const ok = await put({ goals: [{ goalId: agreeing.goalId, baseVersion: 0, assessment: agreeing.suggestedAssessment }] });
    expect(ok.status).toBe(200);
  });

  test('the same batch in one request: indicator values that change the suggestion are seen by the motivation check', async () => {
    const report = await get();
    const n3 = report.goals.find((g) => g.code === 'N3')!;
    const budget = byCode(report, '3.1.1');
    // Budget far off → 3.1.1 ej → N3 suggestion ej; the stored assessment "helt" needs no motivation for this write,
    // but a goal row sent in the same batch agreeing with the old suggestion does.
    const res = await put({
      indicators: [{ indicatorId: budget.indicatorId, baseVersion: budget.version, forecast: 95 }],
      goals: [{ goalId: n3.goalId, baseVersion: n3.version, analysis: 'Budgeten hålls.' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ code: 'MOTIVATION_REQUIRED', goalId: n3.goalId });
    expect(byCode(await get(), '3.1.1').forecast).toBe(100.4);
  });

  describe('idempotency', () => {
    test('a repeat with the same key and body returns the first answer and writes nothing', async () => {
      const report = await get();
      const row = byCode(report, '1.5.1');
      const body = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: '91,5' }] };
      const first = await put(body).set('Idempotency-Key', 'send-1');
      expect(first.status).toBe(200);
      const snapshot = await databaseSnapshot(api.database.db);
      const repeat = await put(body).set('Idempotency-Key', 'send-1');
      expect(repeat.status).toBe(200);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.body).toEqual(first.body);
      expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
      const other = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: '92' }] }).set('Idempotency-Key', 'send-1');
      expect(other.status).toBe(422);
      expect(other.body.error.details[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    test('keys belong to their user', async () => {
      const report = await get();
      const row = byCode(report, '1.5.2');
      const body = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 86 }] };
      expect((await put(body, farsta).set('Idempotency-Key', 'shared')).status).toBe(200);
      const res = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version + 1, forecast: 87 }] }, colleague).set('Idempotency-Key', 'shared');
      expect(res.status).toBe(200);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(byCode(res.body, '1.5.2').forecast).toBe(87);
    });
  });

  test('a body over the limit is 413 in the JSON shape', async () => {
    const huge = { indicators: [{ indicatorId: 1, baseVersion: 0, comment: 'x'.repeat(6 * 1024 * 1024) }] };
    const res = await put(huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('TOO_LARGE');
  });

  test('unknown year, period or organisation is 404', async () => {
    for (const path of [
      '/api/v1/years/2031/organisations/sdn-farsta/reports/T1',
      '/api/v1/years/2022/organisations/sdn-farsta/reports/T4',
      '/api/v1/years/tjugo/organisations/sdn-farsta/reports/T1',
    ]) {
      const res = await request(api.app).get(path).set('Authorization', `Bearer ${farsta}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const res = await request(api.app).get('/api/v1/years/2022/organisations/sdn-atlantis/reports/T1').set('Authorization', `Bearer ${central}`);
    expect(res.status).toBe(404);
  });

  describe('submit, reopen and locked periods', () => {
    const T2 = '/api/v1/years/2022/organisations/sdn-farsta/reports/T2';
    const post = (path: string, token = farsta) => request(api.app).post(path).set('Authorization', `Bearer ${token}`);

    test('submit lists what is missing (INCOMPLETE), then succeeds when complete, and closes the report', async () => {
      const report = await get(T2);
      const incomplete = await post(`${T2}/submit`);
      expect(incomplete.status).toBe(422);
      expect(incomplete.body.error.code).toBe('INCOMPLETE');
      const tertial = report.indicators.filter((i) => i.frequency === 'tertial');
      expect(incomplete.body.error.details.filter((d: { code: string }) => d.code === 'MISSING_VALUE')).toHaveLength(tertial.length);
      expect(incomplete.body.error.details.filter((d: { code: string }) => d.code === 'MISSING_ASSESSMENT')).toHaveLength(report.goals.length);
      expect(incomplete.body.error.details.filter((d: { code: string }) => d.code === 'MISSING_STATE')).toHaveLength(report.activities.length + report.commissions.length);

      const filled = await put({ indicators: tertial.map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, forecast: i.annualTarget })) }, farsta, T2);
      expect(filled.status).toBe(200);
      const goals = (filled.body as Report).goals.map((g) => ({
        goalId: g.goalId,
        baseVersion: g.version,
        assessment: g.suggestedAssessment ?? 'delvis',
        motivation: g.suggestedAssessment ? null : 'Inget att mäta ännu.',
      }));
      const activities = report.activities.map((a) => ({ activityId: a.activityId, baseVersion: a.version, state: 'ongoing' }));
      const commissions = report.commissions.map((c) => ({ commissionId: c.commissionId, baseVersion: c.version, state: 'not_started' }));
      expect((await put({ goals, activities, commissions }, farsta, T2)).status).toBe(200);

      const submitted = await post(`${T2}/submit`);
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ state: 'submitted', submittedBy: 'Anna Ekonom' });

      const late = await put({ indicators: [{ indicatorId: tertial[0]!.indicatorId, baseVersion: 1, forecast: 1 }] }, farsta, T2);
      expect(late.status).toBe(423);
      expect(late.body.error.code).toBe('PERIOD_CLOSED');
      expect((await post(`${T2}/submit`)).status).toBe(423);

      expect((await post(`${T2}/reopen`)).status).toBe(403);
      const reopened = await post(`${T2}/reopen`, central);
      expect(reopened.status).toBe(200);
      expect(reopened.body.state).toBe('open');
    });

    test('the centre locks a period for everyone (423) and opens it again', async () => {
      const VB = '/api/v1/years/2022/organisations/sdn-farsta/reports/VB';
      const report = await get(VB);
      const lock = (state: string, token = central) =>
        request(api.app).put('/api/v1/years/2022/periods/VB').set('Authorization', `Bearer ${token}`).send({ state, deadline: '2023-02-15T16:00:00+01:00' });
      expect((await lock('locked', farsta)).status).toBe(403);
      const locked = await lock('locked');
      expect(locked.status).toBe(200);
      expect(locked.body).toMatchObject({ period: 'VB', state: 'locked', deadline: '2023-02-15T15:00:00.000Z' });
      expect((await get(VB)).state).toBe('locked');
      const res = await put({ indicators: [{ indicatorId: report.indicators[0]!.indicatorId, baseVersion: 0, outcome: 1 }] }, farsta, VB);
      expect(res.status).toBe(423);
      expect(res.body.error.message).toContain('låst');
      expect((await lock('open')).status).toBe(200);
      expect((await put({ indicators: [{ indicatorId: report.indicators[0]!.indicatorId, baseVersion: 0, outcome: 1 }] }, farsta, VB)).status).toBe(200);
      const bad = await request(api.app).put('/api/v1/years/2022/periods/VB').set('Authorization', `Bearer ${central}`).send({ state: 'frozen' });
      expect(bad.status).toBe(400);
    });
  });
});
