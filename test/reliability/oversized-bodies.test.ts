import type { Report } from '../../core/contract/report';
import { callJson, reportPath } from '../../bench/http';
import { startEmbeddedApi } from './embedded-api';

const ORG = 'sdn-farsta';
const REPORT = reportPath(2022, ORG, 'T2');

describe('oversized bodies at volume', () => {
  let api: Awaited<ReturnType<typeof startEmbeddedApi>>;
  beforeAll(async () => {
    api = await startEmbeddedApi();
  }, 120_000);
  afterAll(() => api?.close(), 60_000);

  test('several concurrent 6 MB bodies each get 413 JSON while a normal write succeeds', async () => {
    const token = await api.controllerToken(ORG);
    const report = (await callJson<Report>(api.running.url, token, 'GET', REPORT)).body;
    const row = report.indicators[0]!;
    const huge = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, comment: 'x'.repeat(6 * 1024 * 1024) }], goals: [] };
    const [normal, ...oversized] = await Promise.all([
      callJson<Report>(api.running.url, token, 'PUT', REPORT, { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, outcome: 7 }] }),
      ...Array.from({ length: 4 }, () => callJson(api.running.url, token, 'PUT', REPORT, huge)),
    ]);
    for (const r of oversized) {
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('TOO_LARGE');
    }
    expect(normal.status).toBe(200);
    expect(normal.body.indicators.find((i) => i.indicatorId === row.indicatorId)).toMatchObject({ outcome: 7, version: row.version + 1 });
  }, 60_000);

  test('anonymous 5 MB bodies nested a million levels deep are refused unread (401) while a normal write succeeds', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const token = await api.controllerToken(ORG);
      const report = (await callJson<Report>(api.running.url, token, 'GET', REPORT)).body;
      const row = report.indicators[1]!;
      const deep = '['.repeat(2.5 * 1024 * 1024) + ']'.repeat(2.5 * 1024 * 1024);
      const anonymous = () => fetch(`${api.running.url}${REPORT}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: deep });
      const [normal, ...refused] = await Promise.all([
        callJson<Report>(api.running.url, token, 'PUT', REPORT, { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, outcome: 8 }] }),
        ...Array.from({ length: 4 }, anonymous),
      ]);
      for (const r of refused) {
        expect(r.status).toBe(401);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      }
      expect(normal.status).toBe(200);
      expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.startsWith('[[[['))).toBe(false);
    } finally {
      parse.mockRestore();
    }
  }, 60_000);
});
