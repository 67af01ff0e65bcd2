import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { PlanDocumentSchema } from '../../core/contract/plan';
import { XLSX_MIME } from '../../core/contract/common';
import { createVerifier } from '../../api/auth/verifier';
import { openDatabase } from '../../api/db/connection';
import { createApp } from '../../api/http/app';
import { buildOpenApiDocument } from '../../api/http/openapi';
import { centreRouter } from '../../api/http/routes/centre';
import { IDEMPOTENCY_KEY_PATTERN } from '../../api/http/routes/reports';
import { workbookRouter } from '../../api/http/routes/workbooks';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/**
 * The served OpenAPI document is good enough to generate a client from: it lists exactly the
 * routes the app serves, and what it says about statuses, bodies and headers is what the
 * server really answers (each answer below is checked against the document with a JSON Schema
 * validator).
 */

type Json = Record<string, any>;
const doc = buildOpenApiDocument() as Json;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const operations = Object.entries(doc.paths as Json).flatMap(([p, item]) =>
  Object.entries(item as Json)
    .filter(([m]) => METHODS.includes(m))
    .map(([method, op]) => ({ method, path: p, op: op as Json })),
);
const operation = (operationId: string) => {
  const found = operations.find((o) => o.op.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
};
const PUBLIC = ['getHealth', 'getAuthConfig', 'getOpenApiDocument', 'getApiDocs'];
const ROOT = path.resolve(__dirname, '../..');

// --- which routes the app serves ---------------------------------------------------------------

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
  slash?: boolean;
};

/** Every route in an Express 5 app's router stack: `METHOD /path/{param}`; `USE /path` for a handler mounted on a path. */
function servedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          for (const m of Object.keys(layer.route.methods).filter((m) => m !== '_all')) out.push(`${m.toUpperCase()} ${prefix}${p}`);
        }
      } else if (layer.handle.stack) walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${String(layer.rawPath)}`);
      else if (!layer.slash) out.push(`USE ${prefix}${String(layer.rawPath)}`);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.map((r) => r.replace(/:(\w+)/g, '{$1}'));
}

/** Serving the task pane is not the API: these are the only routes the document leaves out. */
const NOT_API = ['GET /manifest.xml', 'USE /addin', 'GET /'];

describe('the OpenAPI document lists exactly what the app serves', () => {
  test('every route the app serves is documented, and every documented operation is served', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-openapi-'));
    fs.writeFileSync(path.join(dir, 'manifest.xml'), '<x/>');
    // Mounted as server.ts mounts them, with the task pane and manifest present too.
    const app = createApp({
      db: {} as never,
      databaseKind: 'pglite',
      verify: await createVerifier({ mode: 'development' }, dir),
      logger: pino({ level: 'silent' }),
      routers: [centreRouter, workbookRouter],
      addinDir: dir,
      manifestFile: path.join(dir, 'manifest.xml'),
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const served = servedRoutes(app);
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);

    expect(served.filter((r) => !NOT_API.includes(r) && !documented.includes(r))).toEqual([]);
    expect(NOT_API.filter((r) => !served.includes(r))).toEqual([]); // the exceptions are real

    // A documented path that is not literally a route (…/{period}.xlsx) must still reach one.
    const example = (p: string) => p.replace('{year}', '2022').replace('{org}', 'sdn-farsta').replace('{period}', 'T1');
    const matches = (route: string, url: string) => new RegExp(`^${route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`).test(url);
    const unserved = documented.filter((d) => {
      const [method, p] = d.split(' ') as [string, string];
      return !served.some((r) => r.startsWith(`${method} `) && matches(r.slice(method.length + 1), example(p)));
    });
    expect(unserved).toEqual([]);
  });

  test('each router module registers its own paths in a sibling *.openapi.ts, and openapi.ts only assembles them', () => {
    const routes = path.join(ROOT, 'api/http/routes');
    const routers = fs.readdirSync(routes).filter((f) => f.endsWith('.ts') && !f.endsWith('.openapi.ts') && fs.readFileSync(path.join(routes, f), 'utf8').includes('Router()'));
    expect(routers.length).toBeGreaterThanOrEqual(5);
    const assembly = fs.readFileSync(path.join(ROOT, 'api/http/openapi.ts'), 'utf8');
    for (const router of routers) {
      const sibling = router.replace(/\.ts$/, '.openapi.ts');
      expect(fs.existsSync(path.join(routes, sibling))).toBe(true);
      expect(assembly).toContain(`./routes/${sibling.replace(/\.ts$/, '')}'`);
    }
    expect(assembly).not.toMatch(/registerPath\(/);
  });
});

// --- what every operation states ------------------------------------------------------------------

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

describe('every operation', () => {
  test('has a unique operationId, one declared and described tag, and a summary', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = (doc.tags as Json[]).map((t) => t.name);
    expect((doc.tags as Json[]).every((t) => t.description)).toBe(true);
    for (const { op } of operations) {
      expect(op.tags).toHaveLength(1);
      expect(tags).toContain(op.tags[0]);
      expect(op.summary).toBeTruthy();
    }
  });

  test('states its security: explicitly none on the public routes, the bearer token on the rest', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { op } of operations) expect(op.security).toEqual(PUBLIC.includes(op.operationId) ? [] : [{ bearer: [] }]);
    expect(operation('getHealth').path).toBe('/api/v1/health');
    expect(operation('getAuthConfig').path).toBe('/api/v1/auth-config');
    expect(operation('getOpenApiDocument').path).toBe('/openapi.json');
    expect(operation('getApiDocs').path).toBe('/docs');
  });

  test('answers errors in the shared error body, with a default, X-Request-Id always and Retry-After on 503', () => {
    for (const { op } of operations) {
      const responses = op.responses as Json;
      expect(responses.default).toMatchObject({ content: errorContent });
      for (const [status, response] of Object.entries(responses)) {
        expect([status, response.headers?.['X-Request-Id']]).toEqual([status, ref('X-Request-Id')]);
        if (status !== '200') expect([status, response.content]).toEqual([status, errorContent]);
      }
      if (!PUBLIC.includes(op.operationId)) {
        expect(Object.keys(responses)).toEqual(expect.arrayContaining(['401', '503']));
        expect(responses['503'].headers['Retry-After']).toEqual(ref('Retry-After'));
      }
      if (op.requestBody) expect([op.operationId, Object.keys(responses)]).toEqual([op.operationId, expect.arrayContaining(['400', '413'])]);
    }
  });

  test('the statuses the brief names are where they apply', () => {
    const statuses = (id: string) => Object.keys(operation(id).op.responses);
    expect(statuses('setOrganisationTargets')).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422', '503']));
    expect(statuses('writeReport')).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422', '423', '503']));
    expect(statuses('uploadReportWorkbook')).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422', '423', '503']));
    expect(statuses('submitReport')).toEqual(expect.arrayContaining(['422', '423']));
    expect(statuses('importKfPlan')).toEqual(expect.arrayContaining(['400', '403', '413', '422']));
  });
});

describe('bodies and headers', () => {
  const XLSX_SCHEMA = { $ref: '#/components/schemas/XlsxWorkbook' };

  test('xlsx bodies are binary, with Content-Disposition on the downloads', () => {
    expect(doc.components.schemas.XlsxWorkbook).toEqual(expect.objectContaining({ type: 'string', format: 'binary', contentMediaType: XLSX_MIME }));
    for (const id of ['getReportWorkbook', 'getConsolidationWorkbook']) {
      const answer = operation(id).op.responses['200'];
      expect(answer.content).toEqual({ [XLSX_MIME]: { schema: XLSX_SCHEMA } });
      expect(answer.headers['Content-Disposition']).toEqual(ref('Content-Disposition'));
    }
    expect(operation('getConsolidationWorkbook').path).toBe('/api/v1/years/{year}/consolidation/{period}.xlsx');
    expect(operation('uploadReportWorkbook').op.requestBody).toMatchObject({
      required: true,
      content: { [XLSX_MIME]: { schema: XLSX_SCHEMA }, 'application/octet-stream': { schema: XLSX_SCHEMA } },
    });
  });

  test('the consolidation offers JSON and xlsx on one path, and says how Accept chooses', () => {
    const { op } = operation('getConsolidation');
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', XLSX_MIME]);
    expect(op.description).toMatch(/Accept/);
  });

  test('Idempotency-Key is documented with the pattern the server enforces, and the 200 with Idempotent-Replayed', () => {
    for (const id of ['writeReport', 'uploadReportWorkbook']) {
      const { op } = operation(id);
      const key = (op.parameters as Json[]).find((p) => p.name === 'Idempotency-Key');
      expect(key).toMatchObject({ in: 'header', required: false, schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source } });
      expect(op.responses['200'].headers['Idempotent-Replayed']).toEqual(ref('Idempotent-Replayed'));
    }
  });

  test('bodies the server parses strictly are closed (additionalProperties: false); the plan document is not', () => {
    const schemas = doc.components.schemas as Json;
    expect(schemas.ReportWrite.additionalProperties).toBe(false);
    expect(schemas.ReportWrite.properties.indicators.items.additionalProperties).toBe(false);
    expect(schemas.ReportWrite.properties.goals.items.additionalProperties).toBe(false);
    expect(schemas.SetTargetsRequest.additionalProperties).toBe(false);
    expect(schemas.SetTargetsRequest.properties.targets.items.additionalProperties).toBe(false);
    expect(schemas.SetTargetsRequest.properties.targets.items.properties.baseAnnualTarget).toBeDefined();
    expect(schemas.SetPeriodRequest.additionalProperties).toBe(false);
    expect(schemas.PlanDocument.additionalProperties).toBeUndefined();
  });

  test('the plan document body is typed: the reference budget passes the documented schema, broken ones fail it as zod does', () => {
    expect(operation('importKfPlan').op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PlanDocument' });
    const validate = validator('#/components/schemas/PlanDocument');
    const reference = JSON.parse(fs.readFileSync(path.join(ROOT, 'data-seed/reference-budget.json'), 'utf8'));
    const broken = [
      { ...reference, directionGoals: undefined },
      { ...reference, year: 'tjugotjugotvå' },
      {
        ...reference,
        directionGoals: [
          { code: '1', title: 'x', kfGoals: [{ code: '1.1', title: 'y', indicators: [{ code: 'i', title: 't', unit: '%', direction: 'up', frequency: 'tertial' }] }] },
        ],
      },
      { ...reference, organisations: [{ code: 'Not A Code', name: 'x', kind: 'bolag' }] },
    ];
    expect(validate(reference)).toBe(true);
    expect(PlanDocumentSchema.safeParse(reference).success).toBe(true);
    for (const doc of broken) {
      expect(validate(doc)).toBe(false);
      expect(PlanDocumentSchema.safeParse(doc).success).toBe(false);
    }
  });
});

// --- what the server really answers -------------------------------------------------------------------

const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
ajv.addSchema(doc, 'openapi.json');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function validator(fragment: string) {
  const validate = ajv.getSchema(`openapi.json${fragment}`);
  if (!validate) throw new Error(`no schema at ${fragment}`);
  return validate;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  raw: Buffer;
}

/** The answer matches what the document says of this operation and status: listed, body valid, headers present. */
function expectDocumented(operationId: string, url: string, answer: Answer): void {
  const { method, path: template, op } = operation(operationId);
  const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
  expect([operationId, url.split('?')[0]]).toEqual([operationId, expect.stringMatching(pattern)]);
  const status = String(answer.status);
  const documented = Object.keys(op.responses);
  expect([operationId, status, documented.includes(status)]).toEqual([operationId, status, true]);
  const response = op.responses[status] as Json;
  const type = (answer.headers['content-type'] ?? '').split(';')[0]!;
  expect([operationId, status, type, Object.keys(response.content)]).toEqual([operationId, status, type, expect.arrayContaining([type])]);
  if (type === 'application/json') {
    const validate = validator(`#/${pointer('paths', template, method, 'responses', status, 'content', type, 'schema')}`);
    if (!validate(answer.body)) throw new Error(`${operationId} ${status}: ${ajv.errorsText(validate.errors)}`);
  } else if (type === XLSX_MIME) {
    expect(answer.raw.subarray(0, 2).toString()).toBe('PK');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename=/);
  }
  expect(answer.headers['x-request-id']).toMatch(/^[\w.-]{1,100}$/);
  if (status === '503') expect(answer.headers['retry-after']).toMatch(/^\d+$/);
}

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

interface Call {
  token?: string;
  json?: unknown;
  raw?: string | Buffer;
  type?: string;
  accept?: string;
  headers?: Record<string, string>;
}

async function call(app: Express, method: string, url: string, c: Call = {}): Promise<Answer> {
  let req = request(app)[method as 'get'](url);
  if (c.token) req = req.set('Authorization', `Bearer ${c.token}`);
  if (c.accept) req = req.set('Accept', c.accept);
  for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
  if (c.json !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.json));
  else if (c.raw !== undefined) req = req.set('Content-Type', c.type ?? 'application/json').send(c.raw);
  const res = await req.buffer(true).parse(binary);
  const raw = res.body as Buffer;
  const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
  return { status: res.status, headers: res.headers as Record<string, string>, raw, body: isJson ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8') };
}

describe(`real answers match the document on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let central: string;
  let farsta: string;
  beforeAll(async () => {
    api = await startTestApi();
    central = await api.token('central');
    farsta = await api.token('controller', ['sdn-farsta']);
  });
  afterAll(() => api.close());

  const V1 = '/api/v1';
  const YEAR = `${V1}/years/2022`;
  const REPORT = `${YEAR}/organisations/sdn-farsta/reports/T1`;
  const TARGETS = `${YEAR}/organisations/sdn-farsta/targets`;
  const answer = async (operationId: string, url: string, c: Call = {}) => {
    const { method } = operation(operationId);
    const res = await call(api.app, method, url, c);
    expectDocumented(operationId, url, res);
    return res;
  };
  const expectAnswer = async (operationId: string, url: string, c: Call, status: number, code?: string) => {
    const res = await answer(operationId, url, c);
    expect([operationId, res.status, (res.body as Json)?.error?.code]).toEqual([operationId, status, code]);
    return res;
  };

  test('GET /openapi.json serves this document, and /docs shows every operation', async () => {
    const served = await answer('getOpenApiDocument', '/openapi.json');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
    const page = await answer('getApiDocs', '/docs');
    for (const { op } of operations) expect(page.body).toContain(`id="${op.operationId}"`);
  });

  test('public and reading routes', async () => {
    await expectAnswer('getHealth', `${V1}/health`, {}, 200);
    await expectAnswer('getAuthConfig', `${V1}/auth-config`, {}, 200);
    await expectAnswer('getMe', `${V1}/me`, {}, 401, 'UNAUTHENTICATED');
    await expectAnswer('getMe', `${V1}/me`, { token: farsta }, 200);
    await expectAnswer('listOrganisations', `${V1}/organisations`, { token: farsta }, 200);
    await expectAnswer('getKfPlan', `${YEAR}/plan`, { token: farsta }, 200);
    await expectAnswer('getKfPlan', `${V1}/years/1999/plan`, { token: farsta }, 404, 'NOT_FOUND');
    await expectAnswer('getOrganisationPlan', `${YEAR}/organisations/sdn-farsta/plan`, { token: farsta }, 200);
    await expectAnswer('getOrganisationPlan', `${YEAR}/organisations/sdn-jarva/plan`, { token: farsta }, 403, 'FORBIDDEN');
    await expectAnswer('getReport', REPORT, { token: farsta }, 200);
    await expectAnswer('getReport', `${YEAR}/organisations/sdn-farsta/reports/T4`, { token: farsta }, 404, 'NOT_FOUND');
    await expectAnswer('getReportHistory', `${REPORT}/history`, { token: farsta }, 200);
    await expectAnswer('getReportWorkbook', `${REPORT}/workbook`, { token: farsta }, 200);
    await expectAnswer('getSteeringSignals', `${YEAR}/steering-signals`, { token: farsta }, 200);
    await expectAnswer('getSteeringSignals', `${V1}/years/1999/steering-signals`, { token: farsta }, 404, 'NOT_FOUND');
  });

  test('the consolidation: JSON by default, xlsx by Accept or by the .xlsx path, to the centre only', async () => {
    const json = await expectAnswer('getConsolidation', `${YEAR}/consolidation/T1`, { token: central }, 200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const byAccept = await expectAnswer('getConsolidation', `${YEAR}/consolidation/T1`, { token: central, accept: XLSX_MIME }, 200);
    expect(byAccept.headers['content-type']).toContain(XLSX_MIME);
    const preferJson = await expectAnswer('getConsolidation', `${YEAR}/consolidation/T1`, { token: central, accept: `application/json, ${XLSX_MIME};q=0.5` }, 200);
    expect(preferJson.headers['content-type']).toMatch(/^application\/json/);
    const byPath = await expectAnswer('getConsolidationWorkbook', `${YEAR}/consolidation/T1.xlsx`, { token: central, accept: 'application/json' }, 200);
    expect(byPath.headers['content-type']).toContain(XLSX_MIME);
    await expectAnswer('getConsolidation', `${YEAR}/consolidation/T1`, { token: farsta }, 403, 'FORBIDDEN');
    await expectAnswer('getConsolidationWorkbook', `${YEAR}/consolidation/T4.xlsx`, { token: central }, 404, 'NOT_FOUND');
  });

  test('årsmål: 400, 409 on a stale baseAnnualTarget, 413, 422 and 200 as documented', async () => {
    const plan = (await answer('getOrganisationPlan', `${YEAR}/organisations/sdn-farsta/plan`, { token: farsta })).body as Json;
    const indicator = plan.indicators[0] as Json;
    await expectAnswer('setOrganisationTargets', TARGETS, { token: farsta, json: { targets: [], extra: 1 } }, 400, 'MALFORMED');
    await expectAnswer('setOrganisationTargets', TARGETS, { token: farsta, json: { targets: [{ indicatorId: indicator.id, annualTarget: 1, note: 'x' }] } }, 400, 'MALFORMED');
    await expectAnswer('setOrganisationTargets', TARGETS, { token: farsta, raw: '{"targets":' }, 400, 'MALFORMED');
    await expectAnswer(
      'setOrganisationTargets',
      TARGETS,
      { token: farsta, json: { targets: [{ indicatorId: indicator.id, annualTarget: 7, baseAnnualTarget: (indicator.orgTarget ?? 0) + 1000 }] } },
      409,
      'CONFLICT',
    );
    await expectAnswer('setOrganisationTargets', TARGETS, { token: farsta, json: { targets: [{ indicatorId: 999999, annualTarget: 1 }] } }, 422, 'VALIDATION_FAILED');
    await expectAnswer('setOrganisationTargets', TARGETS, { token: farsta, raw: `{"targets":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 413, 'TOO_LARGE');
    await expectAnswer('setOrganisationTargets', `${YEAR}/organisations/sdn-jarva/targets`, { token: farsta, json: { targets: [] } }, 403, 'FORBIDDEN');
    await expectAnswer(
      'setOrganisationTargets',
      TARGETS,
      { token: farsta, json: { targets: [{ indicatorId: indicator.id, annualTarget: indicator.orgTarget, baseAnnualTarget: indicator.orgTarget }] } },
      200,
    );
  });

  test('the report write: 400, 409, 413, 422, 423, replays, and unknown fields refused as documented', async () => {
    const report = (await answer('getReport', REPORT, { token: farsta })).body as Json;
    const row = report.indicators[0] as Json;
    await expectAnswer('writeReport', REPORT, { token: farsta, raw: 'not json' }, 400, 'MALFORMED');
    await expectAnswer('writeReport', REPORT, { token: farsta, json: { indicators: [], extra: [] } }, 400, 'MALFORMED');
    const unknownField = await expectAnswer(
      'writeReport',
      REPORT,
      { token: farsta, json: { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, colour: 'red' }] } },
      422,
      'VALIDATION_FAILED',
    );
    expect((unknownField.body as Json).error.details[0]).toMatchObject({ field: 'colour', code: 'UNKNOWN_FIELD' });
    await expectAnswer(
      'writeReport',
      REPORT,
      { token: farsta, json: { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version + 5, forecast: '12,5' }] } },
      409,
      'CONFLICT',
    );
    const activity = (report.activities as Json[])[0]!;
    await expectAnswer(
      'writeReport',
      REPORT,
      { token: farsta, json: { activities: [{ activityId: activity.activityId, baseVersion: 0, state: 'cancelled' }] } },
      422,
      'VALIDATION_FAILED',
    );
    await expectAnswer(
      'writeReport',
      REPORT,
      { token: farsta, json: { activities: [{ activityId: activity.activityId, baseVersion: 0, state: 'ongoing', comment: 'I gång' }] } },
      200,
    );
    await expectAnswer('writeReport', REPORT, { token: farsta, raw: `{"indicators":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 413, 'TOO_LARGE');

    const write = { indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, forecast: '12,5' }] };
    const first = await expectAnswer('writeReport', REPORT, { token: farsta, json: write, headers: { 'Idempotency-Key': 'openapi-replay-1' } }, 200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await expectAnswer('writeReport', REPORT, { token: farsta, json: write, headers: { 'Idempotency-Key': 'openapi-replay-1' } }, 200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await expectAnswer('writeReport', REPORT, { token: farsta, json: { indicators: [] }, headers: { 'Idempotency-Key': 'openapi-replay-1' } }, 422, 'VALIDATION_FAILED');

    const T2 = `${YEAR}/organisations/sdn-farsta/reports/T2`;
    await expectAnswer('setPeriod', `${YEAR}/periods/T2`, { token: farsta, json: { state: 'locked' } }, 403, 'FORBIDDEN');
    await expectAnswer('setPeriod', `${YEAR}/periods/T2`, { token: central, json: { state: 'locked', colour: 'red' } }, 400, 'MALFORMED');
    await expectAnswer('setPeriod', `${YEAR}/periods/T2`, { token: central, raw: `{"state":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 413, 'TOO_LARGE');
    await expectAnswer('setPeriod', `${YEAR}/periods/T2`, { token: central, json: { state: 'locked' } }, 200);
    await expectAnswer('writeReport', T2, { token: farsta, json: { indicators: [{ indicatorId: row.indicatorId, baseVersion: 0, forecast: 1 }] } }, 423, 'PERIOD_CLOSED');
    await expectAnswer('submitReport', `${T2}/submit`, { token: farsta }, 423, 'PERIOD_CLOSED');
    await expectAnswer('setPeriod', `${YEAR}/periods/T2`, { token: central, json: { state: 'open' } }, 200);
  });

  test('submit, reopen and the workbook upload as documented', async () => {
    await expectAnswer('submitReport', `${REPORT}/submit`, { token: farsta }, 422, 'INCOMPLETE');
    await expectAnswer('reopenReport', `${REPORT}/reopen`, { token: farsta }, 403, 'FORBIDDEN');
    await expectAnswer('reopenReport', `${REPORT}/reopen`, { token: central }, 200);
    const workbook = await answer('getReportWorkbook', `${REPORT}/workbook`, { token: farsta });
    await expectAnswer('uploadReportWorkbook', `${REPORT}/workbook`, { token: farsta, raw: workbook.raw, type: XLSX_MIME }, 200);
    await expectAnswer('uploadReportWorkbook', `${REPORT}/workbook`, { token: farsta, raw: workbook.raw, type: 'application/octet-stream' }, 200);
    await expectAnswer('uploadReportWorkbook', `${REPORT}/workbook`, { token: farsta, raw: 'Kod;Utfall', type: XLSX_MIME }, 400, 'MALFORMED');
    await expectAnswer(
      'uploadReportWorkbook',
      `${REPORT}/workbook`,
      { token: farsta, raw: workbook.raw, type: XLSX_MIME, headers: { 'Idempotency-Key': 'två ord' } },
      400,
      'MALFORMED',
    );
    await expectAnswer('uploadReportWorkbook', `${YEAR}/organisations/sdn-jarva/reports/T1/workbook`, { token: farsta, raw: workbook.raw, type: XLSX_MIME }, 403, 'FORBIDDEN');
  });

  test('the Idempotency-Key pattern in the document decides exactly as the server does', async () => {
    const { op } = operation('writeReport');
    const pattern = new RegExp((op.parameters as Json[]).find((p) => p.name === 'Idempotency-Key')!.schema.pattern);
    const keys = ['a', 'x'.repeat(200), 'x'.repeat(201), '550e8400-e29b-41d4-a716-446655440000', '~!#$%&*+=?^_`{|}', 'two words', 'nyckel-å', '\t'];
    for (const key of keys) {
      const res = await call(api.app, 'put', REPORT, { token: farsta, json: {}, headers: { 'Idempotency-Key': key } });
      expect([key.slice(0, 20), res.status]).toEqual([key.slice(0, 20), pattern.test(key) ? 200 : 400]);
    }
  });

  test('the plan import: 403, 400, 413, 422 and 200; unknown fields are not refused, as the open schema says', async () => {
    const doc = {
      year: 2023,
      somethingElse: 'ignored',
      directionGoals: [{ code: '1', title: 'Ett Stockholm som håller samman', kfGoals: [{ code: '1.1', title: 'Arbete', indicators: [] }] }],
    };
    await expectAnswer('importKfPlan', `${V1}/years/2023/plan`, { token: farsta, json: doc }, 403, 'FORBIDDEN');
    await expectAnswer('importKfPlan', `${V1}/years/2023/plan`, { token: central, raw: '{' }, 400, 'MALFORMED');
    await expectAnswer('importKfPlan', `${V1}/years/2023/plan`, { token: central, raw: `{"about":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 413, 'TOO_LARGE');
    await expectAnswer('importKfPlan', `${V1}/years/2023/plan`, { token: central, json: { ...doc, year: 2024 } }, 422, 'VALIDATION_FAILED');
    await expectAnswer('importKfPlan', `${V1}/years/2023/plan`, { token: central, json: doc }, 200);
  });

  test('a database that does not answer: 503 with Retry-After, as documented', async () => {
    const gone = await openDatabase({ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 });
    try {
      const app = createApp({ db: gone.db, databaseKind: 'postgres', verify: await createVerifier({ mode: 'development' }, api.dataDir), logger: pino({ level: 'silent' }) });
      const res = await call(app, 'get', `${V1}/me`, { token: farsta });
      expect([res.status, (res.body as Json).error.code]).toEqual([503, 'UNAVAILABLE']);
      expectDocumented('getMe', `${V1}/me`, res);
    } finally {
      await gone.close();
    }
  });
});
