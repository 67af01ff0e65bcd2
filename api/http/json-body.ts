import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';

/**
 * What each write really needs, so that nobody makes us buffer and parse more. Bodies are read
 * only after the token is checked (app.ts).
 */
export const BODY_LIMITS = {
  /** PUT …/reports/{period}: up to 20,000 rows with their texts. */
  reportWrite: '5mb',
  /** PUT /years/{year}/plan: a year's whole plan document (the demo's is 9 KB). */
  plan: '2mb',
  /** PUT …/targets: up to 5,000 årsmål. */
  targets: '1mb',
  /** Everything else: a period's state, an empty submit. */
  other: '16kb',
} as const;

/** No body of ours nests deeper than a plan document (9 levels). */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in JSON text, counted in one pass over the bytes. */
export function jsonDepth(bytes: Uint8Array, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }
  return deepest;
}

/** body-parser's verify hook: runs on the raw bytes before JSON.parse, so a deep body costs one scan. */
function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH}`), { status: 400, type: 'entity.too.deep' });
  }
}

export function jsonBody(limit: string): RequestHandler {
  return express.json({ limit, type: ['application/json', 'application/*+json'], verify: refuseDeepJson });
}
