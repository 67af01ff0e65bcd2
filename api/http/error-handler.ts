import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors';

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  // Connection refused/reset, the server shutting down or gone (57P01/57P02/57P03), or a pool timeout.
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(e.code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '')
  );
}

/** The one place errors become responses: always the JSON shape, never an HTML page. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const requestId = String(req.id ?? '');
  let error: ApiError;
  const bodyError = err as { type?: string; status?: number };
  if (err instanceof ApiError) error = err;
  else if (bodyError?.type === 'entity.too.large') error = new ApiError('TOO_LARGE', 'Sändningen är för stor. Dela upp den i mindre delar.');
  else if (bodyError?.type === 'entity.parse.failed') error = new ApiError('MALFORMED', 'Begäran är inte giltig JSON.');
  else if (bodyError?.type && bodyError.status && bodyError.status < 500) error = new ApiError('MALFORMED', 'Begäran kunde inte läsas.');
  else if (isDatabaseUnavailable(err)) {
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
