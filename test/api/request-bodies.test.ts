import zlib from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../api/http/error-handler';
import { BODY_LIMITS, MAX_JSON_DEPTH, jsonDepth } from '../../api/http/json-body';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/**
 * Bodies are read only for callers with a valid token, each route reads only what it needs,
 * absurd nesting is refused before JSON.parse, and every bad request is our JSON error with a
 * client status: never a 500.
 */
const REPORT = '/api/v1/years/2022/organisations/sdn-farsta/reports/T1';
const kb = (n: number) => 'x'.repeat(n * 1024);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe(`request bodies on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let parse: jest.SpyInstance;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central');
  });
  afterAll(() => api.close());
  beforeEach(() => {
    parse = jest.spyOn(JSON, 'parse');
  });
  afterEach(() => parse.mockRestore());

  const send = (method: 'put' | 'post', url: string, body: string | Buffer, token?: string) => {
    const req = request(api.app)[method](url).set('Content-Type', 'application/json');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send(body);
  };
  const bodyParsed = () => parse.mock.calls.some(([text]) => typeof text === 'string' && text.startsWith('[[[['));

  describe('anonymous callers make us read nothing', () => {
    test('broken JSON without a token: 401, not 400 (the token is checked first)', async () => {
      const res = await send('put', REPORT, '{"indicators": [');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    test('a deeply nested 2 MB body without a token: 401, and JSON.parse never ran', async () => {
      const res = await send('put', REPORT, nested(1024 * 1024));
      expect(res.status).toBe(401);
      expect(bodyParsed()).toBe(false);
    });
  });

  describe('each route reads what it needs', () => {
    test.each([
      ['PUT', '/api/v1/years/2022/periods/T1', BODY_LIMITS.other, { state: 'open', pad: kb(20) }],
      ['POST', `${REPORT}/submit`, BODY_LIMITS.other, { pad: kb(20) }],
      ['PUT', '/api/v1/years/2022/organisations/sdn-farsta/targets', BODY_LIMITS.targets, { targets: [], pad: kb(1100) }],
      ['PUT', '/api/v1/years/2022/plan', BODY_LIMITS.plan, { year: 2022, pad: kb(2100) }],
    ])('%s %s takes at most %s: 413 TOO_LARGE above', async (method, url, _limit, body) => {
      const res = await send(method === 'PUT' ? 'put' : 'post', url, JSON.stringify(body), central);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('TOO_LARGE');
    });

    test('the report write still takes a few MB where setting a period takes 16 KB', async () => {
      expect((await send('put', '/api/v1/years/2022/periods/T1', JSON.stringify({ state: 'open', pad: kb(20) }), central)).status).toBe(413);
      const report: Report = (await request(api.app).get(REPORT).auth(central, { type: 'bearer' })).body;
      const rows = Array.from({ length: 1950 }, (_, i) => ({ indicatorId: report.indicators[0]!.indicatorId + 100000 + i, baseVersion: 0, comment: kb(2).slice(0, 2000) }));
      const body = JSON.stringify({ indicators: rows });
      expect(body.length).toBeGreaterThan(3.8 * 1024 * 1024);
      const res = await send('put', REPORT, body, central);
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].code).toBe('UNKNOWN_INDICATOR');
    });
  });

  describe('absurd nesting', () => {
    test(`a body nested deeper than ${MAX_JSON_DEPTH}: 400 MALFORMED before JSON.parse`, async () => {
      const res = await send('put', REPORT, `{"indicators":[{"indicatorId":1,"baseVersion":0,"comment":${nested(MAX_JSON_DEPTH)}}]}`, central);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'MALFORMED', message: expect.stringContaining('nästlad') });
      expect(bodyParsed()).toBe(false);
    });

    test('the depth count ignores brackets inside strings and escaped quotes', () => {
      const text = JSON.stringify({ a: [{ b: '[[[{{{\\"[[[' }] });
      expect(jsonDepth(Buffer.from(text))).toBe(3);
      expect(jsonDepth(Buffer.from(nested(40)))).toBe(40);
    });
  });

  describe('never a 500 for bad input', () => {
    test.each(['/api/v1/years/%/plan', '/api/v1/years/2022/organisations/%E0%A4%A/reports/T1', '/api/v1/years/%ZZ/consolidation/T1'])(
      'a bad %%-escape in the path (%s): 400 MALFORMED',
      async (url) => {
        const res = await request(api.app).get(url).auth(central, { type: 'bearer' });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'MALFORMED', message: 'Adressen innehåller en felaktig %-kodning.' });
      },
    );

    test('a body that claims gzip and is not: 400 MALFORMED; real gzip is read, and a gzip bomb stops at the limit', async () => {
      const res = await request(api.app)
        .put(REPORT)
        .auth(central, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"indicators":[]}');
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'MALFORMED', message: expect.stringContaining('Content-Encoding') });

      const gzipped = (json: string) =>
        request(api.app)
          .put(REPORT)
          .auth(central, { type: 'bearer' })
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .serialize((b: Buffer) => b as unknown as string) // supertest would JSON-encode a Buffer sent as application/json; send its bytes
          .send(zlib.gzipSync(json));
      expect((await gzipped('{"indicators":[]}')).status).toBe(200);
      const bomb = await gzipped(`{"indicators":[],"x":"${' '.repeat(50 * 1024 * 1024)}"}`);
      expect(bomb.status).toBe(413);
      expect(bomb.body.error.code).toBe('TOO_LARGE');
    });
  });
});

describe('the error handler maps every client status', () => {
  const appThrowing = (err: unknown) => {
    const app = express();
    app.get('/', () => {
      throw err;
    });
    app.use(errorHandler);
    return app;
  };

  // Errors with a 4xx status and no body-parser `type` used to be 500s.
  test.each([
    [Object.assign(new URIError('Failed to decode param'), { status: 400 }), 400, 'MALFORMED'],
    [Object.assign(new Error('incorrect header check'), { status: 400, code: 'Z_DATA_ERROR' }), 400, 'MALFORMED'],
    [Object.assign(new Error('too many'), { statusCode: 413 }), 413, 'TOO_LARGE'],
    [Object.assign(new Error('nope'), { status: 404 }), 404, 'NOT_FOUND'],
    [Object.assign(new Error('teapot'), { status: 418 }), 400, 'MALFORMED'],
  ])('%s → %i %s', async (err, status, code) => {
    const res = await request(appThrowing(err)).get('/');
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});
