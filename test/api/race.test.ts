import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

const T1 = '/api/v1/years/2022/organisations/sdn-skarpnack/reports/T1';

describe(`concurrent writers on ${testDatabaseKind}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ poolSize: 20 });
  });
  afterAll(() => api.close());

  test('many controllers race on one row: exactly one wins, the rest get 409, nothing is lost silently', async () => {
    const tokens = await Promise.all(Array.from({ length: 16 }, (_, n) => api.token('controller', ['sdn-skarpnack'], `writer-${n}`, `Skrivare ${n}`)));
    const first = await request(api.app).get(T1).set('Authorization', `Bearer ${tokens[0]}`);
    const row = (first.body as Report).indicators.find((i) => i.code === '3.2.1')!;
    const responses = await Promise.all(
      tokens.map((token, n) =>
        request(api.app)
          .put(T1)
          .set('Authorization', `Bearer ${token}`)
          .send({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: 5 + n / 10 }] }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(tokens.length - 1);
    const winner = responses.findIndex((r) => r.status === 200);
    const after = await request(api.app).get(T1).set('Authorization', `Bearer ${tokens[0]}`);
    const stored = (after.body as Report).indicators.find((i) => i.code === '3.2.1')!;
    expect(stored).toMatchObject({ version: row.version + 1, forecast: 5 + winner / 10, changedBy: `Skrivare ${winner}` });
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.body.error.details[0].current).toMatchObject({ version: row.version + 1, changedBy: `Skrivare ${winner}` });
    }
    const history = await request(api.app).get(`${T1}/history`).set('Authorization', `Bearer ${tokens[0]}`);
    expect(history.body.filter((h: { entityCode: string }) => h.entityCode === '3.2.1')).toHaveLength(1);
  });

  test('writers on different rows of one report all succeed', async () => {
    const token = await api.token('controller', ['sdn-skarpnack']);
    const report = (await request(api.app).get(T1).set('Authorization', `Bearer ${token}`)).body as Report;
    const rows = report.indicators.filter((i) => i.code !== '3.2.1');
    const responses = await Promise.all(
      rows.map((row) =>
        request(api.app)
          .put(T1)
          .set('Authorization', `Bearer ${token}`)
          .send({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, outcome: 1 }] }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(rows.map(() => 200));
    const after = (await request(api.app).get(T1).set('Authorization', `Bearer ${token}`)).body as Report;
    expect(after.indicators.filter((i) => i.code !== '3.2.1').every((i) => i.outcome === 1 && i.version === 1)).toBe(true);
  });
});
