import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { ReportChangesSchema, type ReportChanges } from '../../core/contract/report-changes';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { databaseSnapshot } from '../support/snapshot';

const T2 = '/api/v1/years/2022/organisations/sdn-farsta/reports/T2';

/** `?answer=changes`: the same write, answered with only what it changed (core/contract/report-changes.ts). */
describe(`a write answered with its changes on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let farsta: string;
  beforeAll(async () => {
    api = await startTestApi();
    farsta = await api.token('controller', ['sdn-farsta'], 'anna', 'Anna Ekonom');
  });
  afterAll(() => api.close());

  const get = async () => (await request(api.app).get(T2).auth(farsta, { type: 'bearer' })).body as Report;
  const put = (body: object, query = '?answer=changes', headers: Record<string, string> = {}) =>
    request(api.app).put(`${T2}${query}`).auth(farsta, { type: 'bearer' }).set(headers).send(body);
  const byCode = (report: Report, code: string) => report.indicators.find((i) => i.code === code)!;

  test('answers the written rows with versions and statuses, and the goals whose suggestion moved; the store is as a whole-report write leaves it', async () => {
    const before = await get();
    const budget = byCode(before, '3.1.1');
    const sick = byCode(before, '1.1.1');
    const same = byCode(before, '1.2.1');
    const res = await put({
      indicators: [
        { indicatorId: budget.indicatorId, baseVersion: budget.version, forecast: '95' },
        { indicatorId: sick.indicatorId, baseVersion: sick.version, forecast: '2,9', comment: 'Ökat' },
        // Equal to what is stored: no change, not in the answer.
        { indicatorId: same.indicatorId, baseVersion: 0, forecast: same.forecast, outcome: same.outcome, comment: same.comment },
      ],
    });
    expect(res.status).toBe(200);
    const answer = ReportChangesSchema.parse(res.body) as ReportChanges;
    expect(answer).toMatchObject({ answer: 'changes', organisation: { code: 'sdn-farsta' }, year: 2022, period: 'T2', state: 'open', changedBy: 'Anna Ekonom' });
    expect(answer.changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const after = await get();
    expect(answer.indicators).toEqual(
      expect.arrayContaining([
        { indicatorId: budget.indicatorId, version: budget.version + 1, status: byCode(after, '3.1.1').status },
        { indicatorId: sick.indicatorId, version: sick.version + 1, status: byCode(after, '1.1.1').status },
      ]),
    );
    expect(answer.indicators).toHaveLength(2);
    expect(byCode(after, '3.1.1')).toMatchObject({ forecast: 95, status: 'ej', changedBy: 'Anna Ekonom', changedAt: answer.changedAt });
    // Every goal whose suggestion the write moved, with its new suggestion; no other goal.
    const moved = after.goals.filter((g) => g.suggestedAssessment !== before.goals.find((b) => b.goalId === g.goalId)!.suggestedAssessment);
    expect(moved.length).toBeGreaterThan(0);
    expect(answer.goals).toEqual(moved.map((g) => ({ goalId: g.goalId, version: g.version, suggestedAssessment: g.suggestedAssessment })));
    expect(answer.activities).toEqual([]);
    expect(answer.commissions).toEqual([]);
    // The answer is a fraction of the whole report.
    expect(JSON.stringify(answer).length * 5).toBeLessThan(JSON.stringify(after).length);
  });

  test('a written goal comes back with its new version and suggestion', async () => {
    const before = await get();
    const goal = before.goals.find((g) => g.suggestedAssessment !== null)!;
    const res = await put({ goals: [{ goalId: goal.goalId, baseVersion: goal.version, assessment: goal.suggestedAssessment, analysis: 'Enligt plan.' }] });
    expect(res.status).toBe(200);
    expect(res.body.goals).toEqual([{ goalId: goal.goalId, version: goal.version + 1, suggestedAssessment: goal.suggestedAssessment }]);
    expect(res.body.indicators).toEqual([]);
  });

  test('a write that changes nothing answers empty lists', async () => {
    const before = await get();
    const row = byCode(before, '3.1.1');
    const res = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: row.forecast }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ answer: 'changes', changedBy: null, changedAt: null, indicators: [], goals: [] });
  });

  test('problems are answered as without it: 409 with the current row, nothing written', async () => {
    const before = await get();
    const row = byCode(before, '3.1.1');
    const snapshot = await databaseSnapshot(api.database.db);
    const stale = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version - 1, forecast: 101 }] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual([
      expect.objectContaining({
        indicatorId: row.indicatorId,
        code: 'STALE',
        current: expect.objectContaining({ forecast: row.forecast, version: row.version, changedBy: 'Anna Ekonom', changedAt: row.changedAt }),
      }),
    ]);
    expect(await databaseSnapshot(api.database.db)).toBe(snapshot);
  });

  test('the default stays the whole report; an unknown answer is 400', async () => {
    const before = await get();
    const row = byCode(before, '3.1.1');
    const whole = await put({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 99 }] }, '');
    expect(whole.status).toBe(200);
    expect(whole.body.indicators).toHaveLength(before.indicators.length);
    expect(whole.body.answer).toBeUndefined();
    const bad = await put({ indicators: [] }, '?answer=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED');
  });

  test('an Idempotency-Key replays the short answer it first gave', async () => {
    const before = await get();
    const row = byCode(before, '3.1.1');
    const body = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 97 }] };
    const first = await put(body, '?answer=changes', { 'Idempotency-Key': 'changes-1' });
    expect(first.status).toBe(200);
    const again = await put(body, '?answer=changes', { 'Idempotency-Key': 'changes-1' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
