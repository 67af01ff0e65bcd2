import type { ErrorCode, ErrorDetail } from '../core/contract/common';

const STATUS: Record<ErrorCode, number> = {
  MALFORMED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  VALIDATION_FAILED: 422,
  INCOMPLETE: 422,
  PERIOD_CLOSED: 423,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** An error as a value: a stable code, a Swedish message for people, and row-level details. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} finns inte.`);
export const forbidden = (message = 'Du har inte behörighet för den här organisationen.') => new ApiError('FORBIDDEN', message);
export const validationFailed = (details: ErrorDetail[], message?: string) =>
  new ApiError('VALIDATION_FAILED', message ?? `${details.length} ${details.length === 1 ? 'fel' : 'fel'} i sändningen. Inget har sparats.`, details);
