import { ErrorBodySchema, MeSchema, type ErrorCode, type ErrorDetail, type Me, type PeriodCode } from '../api/contract/common';
import { ReportSchema, type Report, type ReportWriteRequest } from '../api/contract/report';
import type { z } from 'zod';

/**
 * Typed calls to the Tertial API. Answers are parsed with the shared contract; an error body
 * becomes an ApiClientError with the API's code, Swedish message and details. A request that
 * never got an answer is `NETWORK`; an answer we cannot read is `BAD_RESPONSE`.
 */
export type ApiClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiClientErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

export interface ReportAddress {
  organisation: string;
  year: number;
  period: PeriodCode;
}

export interface ApiClientOptions {
  /** The API's origin, e.g. https://tertial.example; '' means the page's own origin. */
  baseUrl: string;
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
}

export interface ApiClient {
  me(): Promise<Me>;
  getReport(address: ReportAddress): Promise<Report>;
  putReport(address: ReportAddress, body: ReportWriteRequest, idempotencyKey: string): Promise<Report>;
  submitReport(address: ReportAddress): Promise<Report>;
}

const reportPath = (a: ReportAddress) =>
  `/years/${a.year}/organisations/${encodeURIComponent(a.organisation)}/reports/${a.period}`;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<z.infer<S>> {
    const token = await options.getToken();
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiClientError(0, 'NETWORK', 'Ingen kontakt med Tertial. Kontrollera nätverket och försök igen; inget har ändrats i bladet.');
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw errorFrom(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiClientError(response.status, 'BAD_RESPONSE', 'Tertial svarade med något som tillägget inte förstår. Uppdatera tillägget.');
    return parsed.data;
  }

  return {
    me: () => call(MeSchema, 'GET', '/me'),
    getReport: (a) => call(ReportSchema, 'GET', reportPath(a)),
    putReport: (a, body, idempotencyKey) => call(ReportSchema, 'PUT', reportPath(a), body, { 'Idempotency-Key': idempotencyKey }),
    submitReport: (a) => call(ReportSchema, 'POST', `${reportPath(a)}/submit`, {}),
  };
}

function errorFrom(status: number, json: unknown): ApiClientError {
  const body = ErrorBodySchema.safeParse(json);
  if (body.success) return new ApiClientError(status, body.data.error.code, body.data.error.message, body.data.error.details ?? []);
  if (status >= 500 || status === 0) {
    return new ApiClientError(status, 'UNAVAILABLE', `Tertial svarar inte som väntat just nu (HTTP ${status}). Försök igen om en stund.`);
  }
  return new ApiClientError(status, 'BAD_RESPONSE', `Oväntat svar från Tertial (HTTP ${status}).`);
}
