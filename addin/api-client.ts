import { ErrorBodySchema, MeSchema, XLSX_MIME, type ErrorCode, type ErrorDetail, type Me, type PeriodCode } from '../api/contract/common';
import { ConsolidationSchema, SteeringSignalsSchema, type Consolidation, type SteeringSignals } from '../api/contract/consolidation';
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

export interface WorkbookFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface ApiClient {
  me(): Promise<Me>;
  getReport(address: ReportAddress): Promise<Report>;
  putReport(address: ReportAddress, body: ReportWriteRequest, idempotencyKey: string): Promise<Report>;
  submitReport(address: ReportAddress): Promise<Report>;
  /** The report as an xlsx to fill in offline. */
  downloadWorkbook(address: ReportAddress): Promise<WorkbookFile>;
  /** A filled report workbook, written like putReport; errors name the workbook's rows. */
  uploadWorkbook(address: ReportAddress, bytes: Uint8Array): Promise<Report>;
  getConsolidation(year: number, period: PeriodCode): Promise<Consolidation>;
  getSteeringSignals(year: number): Promise<SteeringSignals>;
}

const reportPath = (a: ReportAddress) =>
  `/years/${a.year}/organisations/${encodeURIComponent(a.organisation)}/reports/${a.period}`;

/** The file name from Content-Disposition (RFC 6266: filename* before filename), or `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const extended = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (extended) return decodeURIComponent(extended);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  /** An answered, successful request; an error answer becomes an ApiClientError. */
  async function send(method: string, path: string, headers: Record<string, string>, body?: BodyInit): Promise<Response> {
    const token = await options.getToken();
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...headers }, body });
    } catch {
      throw new ApiClientError(0, 'NETWORK', 'Ingen kontakt med Tertial. Kontrollera nätverket och försök igen; inget har ändrats i bladet.');
    }
    if (!response.ok) throw errorFrom(response.status, await response.json().catch(() => undefined));
    return response;
  }

  async function call<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<z.infer<S>> {
    const json: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    return parseJson(schema, await send(method, path, { Accept: 'application/json', ...json, ...headers }, body === undefined ? undefined : JSON.stringify(body)));
  }

  async function parseJson<S extends z.ZodType>(schema: S, response: Response): Promise<z.infer<S>> {
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiClientError(response.status, 'BAD_RESPONSE', 'Tertial svarade med något som tillägget inte förstår. Uppdatera tillägget.');
    return parsed.data;
  }

  return {
    me: () => call(MeSchema, 'GET', '/me'),
    getReport: (a) => call(ReportSchema, 'GET', reportPath(a)),
    putReport: (a, body, idempotencyKey) => call(ReportSchema, 'PUT', reportPath(a), body, { 'Idempotency-Key': idempotencyKey }),
    submitReport: (a) => call(ReportSchema, 'POST', `${reportPath(a)}/submit`, {}),
    async downloadWorkbook(a) {
      const response = await send('GET', `${reportPath(a)}/workbook`, { Accept: XLSX_MIME });
      const fileName = attachmentName(response.headers.get('Content-Disposition'), `${a.organisation}-${a.period}-${a.year}.xlsx`);
      return { fileName, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
    uploadWorkbook: async (a, bytes) =>
      parseJson(ReportSchema, await send('PUT', `${reportPath(a)}/workbook`, { Accept: 'application/json', 'Content-Type': XLSX_MIME }, bytes as Uint8Array<ArrayBuffer>)),
    getConsolidation: (year, period) => call(ConsolidationSchema, 'GET', `/years/${year}/consolidation/${period}`),
    getSteeringSignals: (year) => call(SteeringSignalsSchema, 'GET', `/years/${year}/steering-signals`),
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
