import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/**
 * Text people send must be writable into an xlsx again (XML 1.0) and storable (no NUL): such
 * characters are refused at input with the detail code INVALID_CHARACTER, never a 500.
 */
const REPORT = '/api/v1/years/2022/organisations/sdn-farsta/reports/T1';
const FORBIDDEN = [
  ['NUL', '\u0000'],
  ['a C0 control (U+0001)', '\u0001'],
  ['vertical tab', '\u000B'],
  ['U+FFFE', '\uFFFE'],
  ['U+FFFF', '\uFFFF'],
  ['a lone surrogate', '\uD800'],
] as const;

describe(`characters XML 1.0 forbids, on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let report: Report;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central');
    report = (await request(api.app).get(REPORT).auth(central, { type: 'bearer' })).body;
  });
  afterAll(() => api.close());

  const put = (url: string, body: unknown, token = central) =>
    request(api.app).put(url).auth(token, { type: 'bearer' }).set('Content-Type', 'application/json').send(JSON.stringify(body));

  test.each(FORBIDDEN)('%s in a comment, a motivation or an analysis: 422 INVALID_CHARACTER naming the field, nothing written', async (_name, ch) => {
    const [indicator, goal] = [report.indicators[0]!, report.goals[0]!];
    const res = await put(REPORT, {
      indicators: [{ indicatorId: indicator.indicatorId, baseVersion: indicator.version, comment: `Före${ch}efter` }],
      goals: [{ goalId: goal.goalId, baseVersion: goal.version, motivation: `M${ch}`, analysis: `A${ch}` }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ section: 'indicators', index: 0, field: 'comment', code: 'INVALID_CHARACTER', message: expect.stringMatching(/^Kommentar: /) }),
      expect.objectContaining({ section: 'goals', index: 0, field: 'motivation', code: 'INVALID_CHARACTER', message: expect.stringMatching(/^Motivering: /) }),
      expect.objectContaining({ section: 'goals', index: 0, field: 'analysis', code: 'INVALID_CHARACTER', message: expect.stringMatching(/^Analys: /) }),
    ]);
    expect((await request(api.app).get(REPORT).auth(central, { type: 'bearer' })).body).toEqual(report);
  });

  test('tabs, line breaks, emoji and Swedish letters are text like any other', async () => {
    const indicator = report.indicators[1]!;
    const comment = 'Rad ett\r\n\tRad två: åäö ÅÄÖ 😀 – ”citat” \u00A0';
    const res = await put(REPORT, { indicators: [{ indicatorId: indicator.indicatorId, baseVersion: indicator.version, comment }] });
    expect(res.status).toBe(200);
    expect(res.body.indicators[1].comment).toBe(comment);
  });

  test('a NUL or U+FFFF in a plan document’s titles: 422 naming the path, nothing written', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data-seed/reference-budget.json'), 'utf8'));
    doc.directionGoals[0].title = 'Ett\u0000mål';
    doc.directionGoals[1].kfGoals[0].indicators[0].title = 'Indikator\uFFFF';
    doc.organisations[0].name = 'Järva\u0007';
    const before = (await request(api.app).get('/api/v1/years/2022/plan').auth(central, { type: 'bearer' })).body;
    const res = await put('/api/v1/years/2022/plan', doc);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'directionGoals.0.title', code: 'INVALID_CHARACTER', message: expect.stringContaining('U+0000') }),
        expect.objectContaining({ field: 'directionGoals.1.kfGoals.0.indicators.0.title', code: 'INVALID_CHARACTER' }),
        expect.objectContaining({ field: 'organisations.0.name', code: 'INVALID_CHARACTER' }),
      ]),
    );
    expect((await request(api.app).get('/api/v1/years/2022/plan').auth(central, { type: 'bearer' })).body).toEqual(before);
  });

  test('a token whose name holds a NUL: the write is a 422 naming the claim, not a 500', async () => {
    const token = await api.token('central', [], 'central-nul', 'Eva\u0000Svensson');
    const indicator = report.indicators[2]!;
    const res = await put(REPORT, { indicators: [{ indicatorId: indicator.indicatorId, baseVersion: indicator.version, outcome: 1 }] }, token);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'token.name', code: 'INVALID_CHARACTER' })]);
    const ok = await request(api.app).get(REPORT).auth(central, { type: 'bearer' });
    expect(ok.body.indicators[2]).toMatchObject({ outcome: indicator.outcome, version: indicator.version });
  });
});
