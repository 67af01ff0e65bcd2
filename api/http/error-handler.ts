import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors';
import { MAX_JSON_DEPTH } from './json-body';

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  // Connection refused/reset, the server shutting down or gone (57P01/57P02/57P03), or a pool timeout.
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(e.code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '')
  );
}

/**
 * Errors Express and body-parser raise for a bad request carry a client status (4xx) and, from
 * body-parser, a `type`; Express 5's URIError for a bad %-escape in the path has a status and
 * no type. Each becomes our error with the code its status means; never a 500.
 */
function clientError(err: unknown): ApiError | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  if (e?.type === 'entity.too.large' || status === 413) return new ApiError('TOO_LARGE', 'Sändningen är för stor. Dela upp den i mindre delar.');
  if (e?.type === 'entity.parse.failed') return new ApiError('MALFORMED', 'Begäran är inte giltig JSON.');
  if (e?.type === 'entity.too.deep') return new ApiError('MALFORMED', `Begäran är nästlad i fler än ${MAX_JSON_DEPTH} nivåer; ingen begäran till API:t behöver det.`);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported' || status === 415) {
    return new ApiError('MALFORMED', 'Begärans kodning stöds inte. Skicka JSON i UTF-8, okomprimerad eller med Content-Encoding gzip, deflate eller br.');
  }
  if (err instanceof URIError) return new ApiError('MALFORMED', 'Adressen innehåller en felaktig %-kodning.');
  if (status === 401) return new ApiError('UNAUTHENTICATED', 'Inloggning krävs.');
  if (status === 403) return new ApiError('FORBIDDEN', 'Du har inte behörighet för detta.');
  if (status === 404) return new ApiError('NOT_FOUND', 'Det finns ingen sådan adress i API:t.');
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new ApiError('MALFORMED', 'Kroppen kunde inte packas upp enligt sin Content-Encoding.');
  }
  return new ApiError('MALFORMED', 'Begäran kunde inte läsas.');
}

/**
 * A statement PostgreSQL cut off under the session's limits (connection.ts): the statement
 * timeout (57014, query_canceled), a lock not granted in time (55P03, lock_not_available), or
 * a transaction left idle too long (25P03). The transaction is rolled back, so nothing was saved.
 */
function isDatabaseTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '57014' || code === '55P03' || code === '25P03';
}

/** The one place errors become responses: always the JSON shape, never an HTML page. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const requestId = String(req.id ?? '');
  let error: ApiError;
  const client = err instanceof ApiError ? err : clientError(err);
  if (client) error = client;
  else if (isDatabaseTimeout(err)) {
    req.log?.error({ err }, 'database statement cut off by its time limit');
    error = new ApiError(
      'UNAVAILABLE',
      'Databasen hann inte klart i tid (den är hårt belastad eller raden är låst av en annan sändning). Inget har sparats; försök igen om en stund.',
    );
  } else if (isDatabaseUnavailable(err)) {
    req.log?.error({ err }, 'database unavailable');
    error = new ApiError('UNAVAILABLE', 'Databasen svarar inte just nu. Inget har sparats; försök igen om en stund.');
  } else {
    req.log?.error({ err }, 'unhandled error');
    error = new ApiError('INTERNAL', `Ett oväntat fel inträffade. Ange referens ${requestId} till supporten.`);
  }
  if (error.status === 503) res.setHeader('Retry-After', '5');
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(requestId ? { requestId } : {}),
    },
  });
}
