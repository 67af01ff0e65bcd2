import request from 'supertest';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/**
 * One Idempotency-Key sent with two different writes at the same moment (two reports, so two
 * report locks): the key's unique index decides, and the loser gets what a later retry gets,
 * 422 IDEMPOTENCY_KEY_REUSED, never a 500 from the unique violation. (On PGlite the single
 * connection serialises the two; on PostgreSQL they really overlap.)
 */
const reportUrl = (org: string) => `/api/v1/years/2022/organisations/${org}/reports/T1`;
const ORGS = ['sdn-farsta', 'sdn-jarva'];
const ROUNDS = 10;

describe(`one Idempotency-Key on two reports at once, on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ poolSize: 10 });
    token = await api.token('central', [], 'central-racer');
  });
  afterAll(() => api.close());

  const read = async (org: string): Promise<Report> => (await request(api.app).get(reportUrl(org)).auth(token, { type: 'bearer' })).body;

  test(`${ROUNDS} rounds: each time exactly one write wins and the other is 422 IDEMPOTENCY_KEY_REUSED, with nothing written`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const reports = await Promise.all(ORGS.map(read));
      const responses = await Promise.all(
        reports.map((report, n) =>
          request(api.app)
            .put(reportUrl(ORGS[n]!))
            .auth(token, { type: 'bearer' })
            .set('Idempotency-Key', `race-${round}`)
            .send({ indicators: report.indicators.map((i) => ({ indicatorId: i.indicatorId, baseVersion: i.version, outcome: round })) }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 422]);
      const loser = responses.findIndex((r) => r.status === 422);
      expect(responses[loser]!.body.error.details).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' })]);
      expect(await read(ORGS[loser]!)).toEqual(reports[loser]);
    }
  });
});
