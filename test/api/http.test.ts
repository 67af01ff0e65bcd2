import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { errorHandler } from '../../api/http/error-handler';
import { createApp } from '../../api/http/app';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

describe(`HTTP edges on ${testDatabaseKind}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  test('GET /openapi.json is OpenAPI 3.1 with every path of the contract', async () => {
    const res = await request(api.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/me',
        '/api/v1/organisations',
        '/api/v1/years/{year}/plan',
        '/api/v1/years/{year}/organisations/{org}/plan',
        '/api/v1/years/{year}/organisations/{org}/targets',
        '/api/v1/years/{year}/organisations/{org}/reports/{period}',
        '/api/v1/years/{year}/organisations/{org}/reports/{period}/submit',
        '/api/v1/years/{year}/organisations/{org}/reports/{period}/reopen',
        '/api/v1/years/{year}/organisations/{org}/reports/{period}/history',
        '/api/v1/years/{year}/organisations/{org}/reports/{period}/workbook',
        '/api/v1/years/{year}/periods/{period}',
        '/api/v1/years/{year}/consolidation/{period}',
        '/api/v1/years/{year}/steering-signals',
      ]),
    );
    expect(res.body.components.schemas.Report.properties.indicators).toBeDefined();
    const docs = await request(api.app).get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('PUT /api/v1/years/{year}/organisations/{org}/reports/{period}');
  });

  test('the sign-in configuration is public and says development here', async () => {
    const res = await request(api.app).get('/api/v1/auth-config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mode: 'development' });
  });

  test('an unknown API path is a JSON 404, never an HTML page', async () => {
    const token = await api.token('central');
    const res = await request(api.app).get('/api/v1/nothing-here').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  test('security headers are set, and the task pane may be framed by Office on the web', async () => {
    const res = await request(api.app).get('/api/v1/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain('frame-ancestors');
    expect(res.headers['content-security-policy']).toContain('https://*.officeapps.live.com');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
  });

  test('CORS: no foreign origin is allowed unless configured', async () => {
    const res = await request(api.app).options('/api/v1/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('logs never contain the bearer token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = createApp({
      db: api.database.db,
      databaseKind: api.database.kind,
      verify: async () => {
        throw Object.assign(new Error('boom'), { code: 'XX000' });
      },
      logger: pino({ level: 'trace' }, sink),
    });
    const token = await api.token('central');
    const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'INTERNAL', requestId: expect.any(String) });
    expect(res.body.error.message).toContain(res.body.error.requestId);
    const log = lines.join('');
    expect(log).toContain('boom'); // logged with its stack
    expect(log).toContain(res.body.error.requestId);
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]!);
  });
});

describe('the error handler', () => {
  test('a lost database connection is a 503 with Retry-After, not a 500', async () => {
    const app = express();
    app.get('/', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    app.use(errorHandler);
    const res = await request(app).get('/');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.code).toBe('UNAVAILABLE');
  });
});
