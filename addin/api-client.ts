import { ErrorBodySchema, MeSchema, XLSX_MIME, type ErrorCode, type ErrorDetail, type Me, type PeriodCode } from '../core/contract/common';
import { ConsolidationSchema, SteeringSignalsSchema, type Consolidation, type SteeringSignals } from '../core/contract/consolidation';
import { ReportSchema, type Report, type ReportAddress, type ReportWriteRequest } from '../core/contract/report';
import { ReportChangesSchema, type ReportChanges } from '../core/contract/report-changes';
import type { z } from 'zod';
import { UserFacingError } from './errors';

/**
 * Typed calls to the Tertial API. Answers are parsed with the shared contract; an error body
 * becomes an ApiClientError with the API's code, Swedish message and details. A request that
 * never got an answer is `NETWORK`; an answer we cannot read is `BAD_RESPONSE`.
 *
 * Retries live here, not in the UI: a read, or a write that carries an Idempotency-Key, that got
 * no answer or a 502/503/504 is sent again (at most MAX_ATTEMPTS times, waiting RETRY_DELAYS_MS
 * or the answer's Retry-After). A write's key is made per logical write; if it still got no
 * answer, sending the same body to the same address again reuses the key, so the API replays
 * the first answer instead of writing twice. Submit has no key on the API and is sent once.
 */
export type ApiClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiClientError extends UserFacingError {
  override name = 'ApiClientError';

  constructor(
    readonly status: number,
    readonly code: ApiClientErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** How many times one request is sent at most: the first and two retries. */
export const MAX_ATTEMPTS = 3;
/** The wait before each retry, unless the answer's Retry-After asks for longer. */
export const RETRY_DELAYS_MS = [1_000, 3_000] as const;
/** A Retry-After longer than this is not waited for: the user gets the answer and tries later. */
export const MAX_RETRY_AFTER_MS = 15_000;
/** Gateway answers: the request may not have reached the API, or the API is briefly unavailable. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export type { ReportAddress };

export interface ApiClientOptions {
  /** The API's origin, e.g. https://tertial.example; '' means the page's own origin. */
  baseUrl: string;
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
  /** A fresh Idempotency-Key (default: a random UUID). */
  newKey?: () => string;
  /** Waits between retries; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
}

export interface WorkbookFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface ApiClient {
  me(): Promise<Me>;
  getReport(address: ReportAddress): Promise<Report>;
  /**
   * The bulk write; retried with one Idempotency-Key as described above. Asks for the short
   * answer (`?answer=changes`): the written rows' versions and statuses and the goals' new
   * suggestions, not the whole report (≈ 1 MB for 2,000 rows) the sheet already has.
   */
  putReport(address: ReportAddress, body: ReportWriteRequest): Promise<ReportChanges>;
  submitReport(address: ReportAddress): Promise<Report>;
  /** The report as an xlsx to fill in offline. */
  downloadWorkbook(address: ReportAddress): Promise<WorkbookFile>;
  /** A filled report workbook, written like putReport; errors name the workbook's rows. */
  uploadWorkbook(address: ReportAddress, bytes: Uint8Array): Promise<Report>;
  getConsolidation(year: number, period: PeriodCode): Promise<Consolidation>;
  getSteeringSignals(year: number): Promise<SteeringSignals>;
}

const reportPath = (a: ReportAddress) => `/years/${a.year}/organisations/${encodeURIComponent(a.organisation)}/reports/${a.period}`;

/** The file name from Content-Disposition (RFC 6266: filename* before filename), or `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const extended = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (extended) return decodeURIComponent(extended);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
}

type Body = string | Uint8Array;

/** A write that got no answer: the same body to the same address again reuses its key. */
interface Unanswered {
  target: string;
  body: Body;
  key: string;
}

const sameBody = (a: Body, b: Body) => (typeof a === 'string' || typeof b === 'string' ? a === b : a.length === b.length && a.every((byte, i) => byte === b[i]));

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from now; null if absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The answer may not have been the API's own: send again (the same key keeps a write single). */
const mayRetry = (e: ApiClientError) => e.code === 'NETWORK' || RETRYABLE_STATUSES.has(e.status);

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let unanswered: Unanswered | null = null;

  /** One request, once: an answered, successful response; anything else becomes an ApiClientError. */
  async function sendOnce(method: string, path: string, headers: Record<string, string>, body?: Body): Promise<{ response?: Response; error?: ApiClientError }> {
    const token = await options.getToken();
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...headers },
        body: body as BodyInit | undefined,
      });
    } catch {
      return { error: new ApiClientError(0, 'NETWORK', 'Ingen kontakt med Tertial. Kontrollera nätverket och försök igen; inget har ändrats i bladet.') };
    }
    if (response.ok) return { response };
    return { response, error: errorFrom(response.status, await response.json().catch(() => undefined)) };
  }

  /** Sends, and for a retryable request sends again while the answer may not have been the API's. */
  async function send(method: string, path: string, headers: Record<string, string>, body?: Body, retry = true): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const { response, error } = await sendOnce(method, path, headers, body);
      if (!error) return response!;
      if (!retry || attempt >= MAX_ATTEMPTS || !mayRetry(error)) throw error;
      const asked = retryAfterMs(response?.headers.get('Retry-After') ?? null);
      if (asked !== null && asked > MAX_RETRY_AFTER_MS) throw error;
      await sleep(Math.max(asked ?? 0, RETRY_DELAYS_MS[attempt - 1] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]));
    }
  }

  /** A write with an Idempotency-Key: one key per logical write, kept while it has no answer. */
  async function write(path: string, headers: Record<string, string>, body: Body): Promise<Response> {
    const target = `PUT ${path}`;
    const key = unanswered && unanswered.target === target && sameBody(unanswered.body, body) ? unanswered.key : newKey();
    try {
      const response = await send('PUT', path, { ...headers, 'Idempotency-Key': key }, body);
      unanswered = null;
      return response;
    } catch (e) {
      unanswered = e instanceof ApiClientError && !mayRetry(e) ? null : { target, body, key };
      throw e;
    }
  }

  const JSON_ACCEPT = { Accept: 'application/json' };
  const JSON_BODY = { ...JSON_ACCEPT, 'Content-Type': 'application/json' };
  const get = async <S extends z.ZodType>(schema: S, path: string) => parseJson(schema, await send('GET', path, JSON_ACCEPT));

  async function parseJson<S extends z.ZodType>(schema: S, response: Response): Promise<z.infer<S>> {
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiClientError(response.status, 'BAD_RESPONSE', 'Tertial svarade med något som tillägget inte förstår. Uppdatera tillägget.');
    return parsed.data;
  }

  return {
    me: () => get(MeSchema, '/me'),
    getReport: (a) => get(ReportSchema, reportPath(a)),
    putReport: async (a, body) => parseJson(ReportChangesSchema, await write(`${reportPath(a)}?answer=changes`, JSON_BODY, JSON.stringify(body))),
    submitReport: async (a) => parseJson(ReportSchema, await send('POST', `${reportPath(a)}/submit`, JSON_BODY, '{}', false)),
    async downloadWorkbook(a) {
      const response = await send('GET', `${reportPath(a)}/workbook`, { Accept: XLSX_MIME });
      const fileName = attachmentName(response.headers.get('Content-Disposition'), `${a.organisation}-${a.period}-${a.year}.xlsx`);
      return { fileName, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
    uploadWorkbook: async (a, bytes) => parseJson(ReportSchema, await write(`${reportPath(a)}/workbook`, { ...JSON_ACCEPT, 'Content-Type': XLSX_MIME }, bytes)),
    getConsolidation: (year, period) => get(ConsolidationSchema, `/years/${year}/consolidation/${period}`),
    getSteeringSignals: (year) => get(SteeringSignalsSchema, `/years/${year}/steering-signals`),
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
