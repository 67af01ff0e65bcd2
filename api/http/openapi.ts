import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBodySchema, HealthSchema, SignInConfigSchema, MeSchema, OrganisationSchema, PeriodCodeSchema } from '../contract/common';
import { KfPlanSchema, OrgPlanSchema, SetTargetsRequestSchema } from '../contract/plan';
import { PeriodSchema, ReportHistoryEntrySchema, ReportSchema, ReportWriteRequestSchema, SetPeriodRequestSchema } from '../contract/report';
import { ConsolidationSchema, SteeringSignalsSchema } from '../contract/consolidation';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let built: object | undefined;

/** The served OpenAPI 3.1 document, generated from the same zod schemas the code parses with. */
export function buildOpenApiDocument(): object {
  return (built ??= generate());
}

function generate(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const schemas = {
    Error: ErrorBodySchema.meta({ id: 'Error' }),
    Organisation: OrganisationSchema.meta({ id: 'Organisation' }),
    Report: ReportSchema.meta({ id: 'Report' }),
    ReportWrite: ReportWriteRequestSchema.meta({ id: 'ReportWrite' }),
    KfPlan: KfPlanSchema.meta({ id: 'KfPlan' }),
    OrgPlan: OrgPlanSchema.meta({ id: 'OrgPlan' }),
    Consolidation: ConsolidationSchema.meta({ id: 'Consolidation' }),
  };
  const year = z.string().regex(/^\d{4}$/).describe('budget year, e.g. 2022');
  const org = z.string().describe('organisation code, e.g. sdn-farsta');
  const reportParams = z.object({ year, org, period: PeriodCodeSchema });
  const json = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
  const errors = {
    400: json(schemas.Error, 'MALFORMED'),
    401: json(schemas.Error, 'UNAUTHENTICATED'),
    403: json(schemas.Error, 'FORBIDDEN'),
    404: json(schemas.Error, 'NOT_FOUND'),
  };
  const path = (config: Omit<RouteConfig, 'security'> & { public?: boolean }) => {
    const { public: isPublic, ...rest } = config;
    registry.registerPath({ ...rest, path: `/api/v1${rest.path}`, ...(isPublic ? {} : { security: [{ [bearer.name]: [] }] }) });
  };

  path({ method: 'get', path: '/health', public: true, summary: 'Liveness and database kind', responses: { 200: json(HealthSchema) } });
  path({ method: 'get', path: '/auth-config', public: true, summary: 'How the task pane signs in (development token or Entra ID nested app authentication)', responses: { 200: json(SignInConfigSchema) } });
  path({ method: 'get', path: '/me', summary: 'The signed-in user and the organisations they report for', responses: { 200: json(MeSchema), 401: errors[401] } });
  path({ method: 'get', path: '/organisations', summary: 'All organisations', responses: { 200: json(z.array(schemas.Organisation)), 401: errors[401] } });
  path({ method: 'get', path: '/years/{year}/plan', summary: "KF's plan for a year", request: { params: z.object({ year }) }, responses: { 200: json(schemas.KfPlan), ...errors } });
  path({
    method: 'put',
    path: '/years/{year}/plan',
    summary: "Merge KF's plan from a plan document (central)",
    description: 'Matched by codes; nothing is deleted. 422 names the path of every bad field; nothing is written on error.',
    request: { params: z.object({ year }), body: { content: { 'application/json': { schema: z.object({}).passthrough() } } } },
    responses: { 200: json(schemas.KfPlan), 422: json(schemas.Error, 'VALIDATION_FAILED'), ...errors },
  });
  path({ method: 'get', path: '/years/{year}/organisations/{org}/plan', summary: "An organisation's goals, indicators and årsmål", request: { params: z.object({ year, org }) }, responses: { 200: json(schemas.OrgPlan), ...errors } });
  path({
    method: 'put',
    path: '/years/{year}/organisations/{org}/targets',
    summary: "Set the organisation's own årsmål (null: follow KF's)",
    request: { params: z.object({ year, org }), body: { content: { 'application/json': { schema: SetTargetsRequestSchema } } } },
    responses: { 200: json(schemas.OrgPlan), 422: json(schemas.Error, 'VALIDATION_FAILED'), ...errors },
  });
  path({ method: 'get', path: '/years/{year}/organisations/{org}/reports/{period}', summary: 'A report with computed statuses and suggestions', request: { params: reportParams }, responses: { 200: json(schemas.Report), ...errors } });
  path({
    method: 'put',
    path: '/years/{year}/organisations/{org}/reports/{period}',
    summary: 'Bulk write, all or nothing',
    description:
      'Omitted fields stay, null clears. Every row needs the baseVersion it was read at. A row equal to what is stored is a no-op. ' +
      'Optional Idempotency-Key header (per user): a repeat with the same key and body returns the first answer and writes nothing ' +
      '(header Idempotent-Replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.',
    request: {
      params: reportParams,
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: { content: { 'application/json': { schema: schemas.ReportWrite } } },
    },
    responses: {
      200: json(schemas.Report),
      ...errors,
      409: json(schemas.Error, 'CONFLICT: details list every stale row with its current values, who and when'),
      413: json(schemas.Error, 'TOO_LARGE'),
      422: json(schemas.Error, 'VALIDATION_FAILED: details {section, index, indicatorId|goalId, field, code, message}'),
      423: json(schemas.Error, 'PERIOD_CLOSED'),
    },
  });
  path({ method: 'post', path: '/years/{year}/organisations/{org}/reports/{period}/submit', summary: 'Submit the report', request: { params: reportParams }, responses: { 200: json(schemas.Report), 422: json(schemas.Error, 'INCOMPLETE'), 423: json(schemas.Error, 'PERIOD_CLOSED'), ...errors } });
  path({ method: 'post', path: '/years/{year}/organisations/{org}/reports/{period}/reopen', summary: 'Reopen a submitted report (central)', request: { params: reportParams }, responses: { 200: json(schemas.Report), ...errors } });
  path({ method: 'get', path: '/years/{year}/organisations/{org}/reports/{period}/history', summary: 'Who changed what, when', request: { params: reportParams }, responses: { 200: json(z.array(ReportHistoryEntrySchema)), ...errors } });
  path({
    method: 'get',
    path: '/years/{year}/organisations/{org}/reports/{period}/workbook',
    summary: 'The report as an xlsx in the add-in layout',
    request: { params: reportParams },
    responses: { 200: { description: 'xlsx', content: { [XLSX]: { schema: z.string().describe('binary') } } }, ...errors },
  });
  path({
    method: 'put',
    path: '/years/{year}/organisations/{org}/reports/{period}/workbook',
    summary: 'Upload a filled report workbook; validated and written like the JSON PUT (row numbers are sheet rows)',
    request: { params: reportParams, body: { content: { [XLSX]: { schema: z.string().describe('binary') } } } },
    responses: { 200: json(schemas.Report), 409: json(schemas.Error, 'CONFLICT'), 422: json(schemas.Error, 'VALIDATION_FAILED'), 423: json(schemas.Error, 'PERIOD_CLOSED'), ...errors },
  });
  path({
    method: 'put',
    path: '/years/{year}/periods/{period}',
    summary: 'Lock or open a period (central)',
    request: { params: z.object({ year, period: PeriodCodeSchema }), body: { content: { 'application/json': { schema: SetPeriodRequestSchema } } } },
    responses: { 200: json(PeriodSchema), ...errors },
  });
  path({
    method: 'get',
    path: '/years/{year}/consolidation/{period}',
    summary: 'City-wide consolidation (central); Accept: xlsx for the annual-report workbook',
    request: { params: z.object({ year, period: PeriodCodeSchema }) },
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: schemas.Consolidation }, [XLSX]: { schema: z.string() } } }, ...errors },
  });
  path({ method: 'get', path: '/years/{year}/steering-signals', summary: 'Counts of goals, indicators and activities per organisation and for KF, with the change from the year before', request: { params: z.object({ year }) }, responses: { 200: json(SteeringSignalsSchema), ...errors } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tertial API',
      version: '1.0.0',
      description: 'Sync API for goal management and follow-up (ILS). Error messages are Swedish; codes are stable.',
    },
    servers: [{ url: '/' }],
  });
}
