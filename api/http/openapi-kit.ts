import type { OpenAPIRegistry, ResponseConfig, RouteConfig, ZodContentObject } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBodySchema, OrganisationCodeSchema, PeriodCodeSchema, XLSX_MIME } from '../../core/contract/common';

/**
 * What every router's OpenAPI registration (routes/*.openapi.ts, beside the router) shares:
 * the error body, path parameters as validate.ts parses them, the xlsx body, the headers the
 * app sets on every answer, and one `operation()` that adds the answers the app's structure
 * guarantees (401 and 503 behind authentication, 400 and 413 where a body is read, a
 * `default` error), so that no route can forget them.
 */

export const API_PREFIX = '/api/v1';

export const ErrorSchema = ErrorBodySchema.meta({
  id: 'Error',
  description: 'Every error: a stable code, a Swedish message, and row-level details where they apply.',
});

/** Path parameters as validate.ts parses them; a value that does not parse is 404, not 400. */
export const PathParams = {
  year: z.number().int().min(2000).max(2100).meta({ description: 'Budget year, four digits', example: 2022 }),
  org: OrganisationCodeSchema.meta({ description: 'Organisation code', example: 'sdn-farsta' }),
  period: PeriodCodeSchema.meta({ description: 'Tertial 1, tertial 2 or the annual report (verksamhetsberättelse)', example: 'T1' }),
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 503;

const DEFAULT_WHEN: Record<ErrorStatus, string> = {
  400: 'MALFORMED: the body is not JSON or has the wrong shape at the top level.',
  401: 'UNAUTHENTICATED: no bearer token, or one that is not valid.',
  403: 'FORBIDDEN: not your organisation, or not the centre.',
  404: 'NOT_FOUND: unknown year, organisation or period.',
  409: 'CONFLICT: a row changed since it was read; details list each stale row with its current values, who changed it and when. Nothing was written.',
  413: 'TOO_LARGE: the body is over the limit.',
  422: 'VALIDATION_FAILED: row-level problems; details list all of them. Nothing was written.',
  423: 'PERIOD_CLOSED: the report is submitted or the period locked.',
  503: 'UNAVAILABLE: the database does not answer. Nothing was written; try again after Retry-After seconds.',
};

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const XLSX_SCHEMA = { $ref: '#/components/schemas/XlsxWorkbook' };

/** A JSON request body. */
export const jsonBody = (schema: z.ZodType, description?: string) => ({
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } } as ZodContentObject,
});

/** An xlsx request body; `alsoAs` lists other media types the server reads the same bytes under. */
export const xlsxBody = (description: string, alsoAs: string[] = []) => ({
  description,
  content: Object.fromEntries([XLSX_MIME, ...alsoAs].map((type) => [type, { schema: XLSX_SCHEMA }])) as ZodContentObject,
});

/** A 200 answer: JSON, an xlsx attachment, or either by content negotiation. */
export const ok = {
  json: (schema: z.ZodType, description = 'OK'): ResponseConfig => ({ description, content: { 'application/json': { schema } } }),
  xlsx: (description: string): ResponseConfig => ({
    description,
    headers: { 'Content-Disposition': header('Content-Disposition') },
    content: { [XLSX_MIME]: { schema: XLSX_SCHEMA } },
  }),
  jsonOrXlsx: (schema: z.ZodType, description: string): ResponseConfig => ({
    description,
    headers: { 'Content-Disposition': header('Content-Disposition') },
    content: { 'application/json': { schema }, [XLSX_MIME]: { schema: XLSX_SCHEMA } },
  }),
  html: (description: string): ResponseConfig => ({ description, content: { 'text/html': { schema: { type: 'string' } } } }),
};

/** The Idempotency-Key request header, with the pattern the server enforces. */
export const idempotencyKeyHeader = (pattern: RegExp) =>
  z.object({
    'Idempotency-Key': z
      .string()
      .regex(pattern)
      .optional()
      .meta({
        description:
          'Per user: a repeat with the same key and body replays the first answer (Idempotent-Replayed: true) and writes nothing; ' +
          'the same key with another body is 422 with detail code IDEMPOTENCY_KEY_REUSED. A key outside the pattern is 400 MALFORMED.',
        example: '4f1c2a9e-7b1d-4a51-9d33-0c2f5b6e8a10',
      }),
  });

export interface OperationDoc {
  method: 'get' | 'put' | 'post';
  /** The OpenAPI path, under /api/v1 unless `root`. */
  path: string;
  root?: boolean;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** No bearer token needed (explicit `security: []`). */
  public?: boolean;
  params?: z.ZodObject;
  /** Query parameters. */
  query?: z.ZodObject;
  /** Request headers; with an Idempotency-Key, the 200 documents Idempotent-Replayed. */
  headers?: z.ZodObject;
  /** A request body: the operation also answers 400 and 413. */
  body?: { description?: string; content: ZodContentObject };
  ok: ResponseConfig;
  /** Why this route answers these statuses; 401/503 (authenticated) and 400/413 (body) are added with defaults. */
  errors?: Partial<Record<ErrorStatus, string | true>>;
}

export class OpenApiRoutes {
  readonly tags: { name: string; description: string }[] = [];

  constructor(readonly registry: OpenAPIRegistry) {
    registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Microsoft Entra ID access token for the API (development mode: `npm run token`). Claims: sub, name, roles, orgs.',
    });
    registry.registerComponent('schemas', 'XlsxWorkbook', {
      type: 'string',
      format: 'binary',
      contentMediaType: XLSX_MIME,
      description: 'An Excel workbook (xlsx) as raw bytes.',
    });
    registry.registerComponent('headers', 'X-Request-Id', {
      description: 'This request’s id in the server’s logs (also `error.requestId` in an error body): quote it to support.',
      schema: { type: 'string' },
    });
    registry.registerComponent('headers', 'Idempotent-Replayed', {
      description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key; absent otherwise.',
      schema: { type: 'string', enum: ['true'] },
    });
    registry.registerComponent('headers', 'Content-Disposition', {
      description: 'attachment with the workbook’s file name, e.g. `attachment; filename="T1-2022-sdn-farsta.xlsx"`.',
      schema: { type: 'string' },
    });
    registry.registerComponent('headers', 'Retry-After', {
      description: 'Seconds to wait before trying again.',
      schema: { type: 'integer', minimum: 0 },
    });
  }

  /** Declares a tag (the registering router's resource); operations may only use declared tags. */
  tag(name: string, description: string): string {
    if (!this.tags.some((t) => t.name === name)) this.tags.push({ name, description });
    return name;
  }

  operation(op: OperationDoc): void {
    if (!this.tags.some((t) => t.name === op.tag)) throw new Error(`OpenAPI: tag ${op.tag} of ${op.operationId} is not declared`);
    const idempotent = op.headers?.shape['Idempotency-Key'] !== undefined;
    const when: Partial<Record<ErrorStatus, string | true>> = {
      ...(op.public ? {} : { 401: true, 503: true }),
      ...(op.body || idempotent ? { 400: true } : {}),
      ...(op.body ? { 413: true } : {}),
      ...op.errors,
    };
    const errors = Object.fromEntries(
      (Object.keys(when).map(Number) as ErrorStatus[])
        .sort((a, b) => a - b)
        .map((status) => [status, this.error(when[status] === true ? DEFAULT_WHEN[status] : String(when[status]), status === 503)]),
    );
    const route: RouteConfig = {
      method: op.method,
      path: op.root ? op.path : `${API_PREFIX}${op.path}`,
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: op.public ? [] : [{ bearer: [] }],
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.headers ? { headers: op.headers } : {}),
        ...(op.body ? { body: { ...op.body, required: true } } : {}),
      },
      responses: {
        200: {
          ...op.ok,
          headers: {
            ...(op.ok.headers as object | undefined),
            'X-Request-Id': header('X-Request-Id'),
            ...(idempotent ? { 'Idempotent-Replayed': header('Idempotent-Replayed') } : {}),
          },
        },
        ...errors,
        default: this.error('INTERNAL (500) or any other error, in the same shape.', false),
      },
    };
    this.registry.registerPath(route);
  }

  private error(description: string, retryAfter: boolean): ResponseConfig {
    return {
      description,
      headers: { 'X-Request-Id': header('X-Request-Id'), ...(retryAfter ? { 'Retry-After': header('Retry-After') } : {}) },
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
}

/**
 * The same schema with every object in it closed (`additionalProperties: false`): for a
 * documented body whose parser refuses unknown fields at every level (`.strict()`).
 */
export function closedObjects<T extends z.ZodType>(schema: T): T {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const again = (changes: Record<string, unknown>) => (schema as z.ZodType).clone({ ...def, ...changes } as never, { parent: true }) as T;
  switch (def.type) {
    case 'object':
      return again({
        shape: Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, closedObjects(v)])),
        catchall: z.never(),
      });
    case 'array':
      return again({ element: closedObjects(def.element as z.ZodType) });
    case 'optional':
    case 'nullable':
    case 'default':
      return again({ innerType: closedObjects(def.innerType as z.ZodType) });
    case 'union':
      return again({ options: (def.options as z.ZodType[]).map(closedObjects) });
    default:
      return schema;
  }
}
