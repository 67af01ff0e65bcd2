/**
 * The add-in's error policy, in one place. An error of this family carries a message written
 * for the user, in Swedish, and is shown as it is: the API client's errors, the sheet's, the
 * sign-in's. Anything else (a TypeError, an Office.js error in English, a bug of ours) is logged
 * with its original and shown as one Swedish generic message with the time, so that support can
 * find it in the log.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';

  /** `cause`: what went wrong underneath (logged, never shown). */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const TIME_FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'medium' };

export function genericMessage(at: Date): string {
  return `Något gick fel i tillägget (${at.toLocaleString('sv-SE', TIME_FORMAT)}). Försök igen; kvarstår felet, kontakta stadsledningskontoret och ange tiden.`;
}

/** What to tell the user about `error`; logs what the user is not told. */
export function userMessage(error: unknown, at: Date, log: (...data: unknown[]) => void = console.error): string {
  if (error instanceof UserFacingError) {
    if (error.cause !== undefined) log(`Tertial: ${error.message}`, error.cause);
    return error.message;
  }
  log(`Tertial: oväntat fel ${at.toISOString()}`, error);
  return genericMessage(at);
}
