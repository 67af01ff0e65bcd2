import type { z } from 'zod';
import type { ErrorDetail } from './common';
import { problemMessage, type RowProblemCode } from './messages';
import { ReportWriteEnvelopeSchema, WRITE_SCHEMAS } from './report';
import { idOf, type RowKindSpec } from '../rows/row-kind';
import { REPORT_ROW_KINDS, ROW_KINDS, type ReportWrite } from '../rows/report-rows';

export type ReportWriteParse = { ok: true; value: ReportWrite } | { ok: false; malformed: true; message: string } | { ok: false; malformed: false; details: ErrorDetail[] };

function issueCode(issue: z.core.$ZodIssue, row: unknown): RowProblemCode {
  switch (issue.code) {
    case 'custom':
      return (issue.params as { code?: RowProblemCode } | undefined)?.code ?? 'INVALID_VALUE';
    case 'invalid_type': {
      if (issue.path.length === 0) return 'NOT_AN_OBJECT';
      const present = typeof row === 'object' && row !== null && (row as Record<string, unknown>)[String(issue.path[0])] !== undefined;
      return present ? 'INVALID_VALUE' : 'REQUIRED';
    }
    case 'too_big':
      return issue.origin === 'string' ? 'TOO_LONG' : 'INVALID_VALUE';
    case 'unrecognized_keys':
      return 'UNKNOWN_FIELD';
    default:
      return 'INVALID_VALUE';
  }
}

/** The detail fields that place a problem: the row's kind (`section`), its index in what was sent, and its key. */
export function rowPlace(spec: RowKindSpec, index: number | undefined, id: unknown): Pick<ErrorDetail, 'index'> & Record<string, unknown> {
  return { section: spec.kind, ...(index === undefined ? {} : { index }), ...(typeof id === 'number' ? { [spec.idKey]: id } : {}) };
}

/** Turns one row's zod issues into details; `index` is the row's place in its array. */
export function rowIssuesToDetails(spec: RowKindSpec, index: number, row: unknown, issues: ReadonlyArray<z.core.$ZodIssue>): ErrorDetail[] {
  const id = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[spec.idKey] : undefined;
  const place = rowPlace(spec, index, id);
  return issues.flatMap((issue) => {
    const code = issueCode(issue, row);
    const fields = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.length > 0 ? String(issue.path[0]) : undefined];
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    return fields.map((field) => ({ ...place, ...(field ? { field } : {}), code, message: problemMessage(code, field, { max }) }));
  });
}

function duplicates(spec: RowKindSpec, rows: ReadonlyArray<{ readonly [key: string]: unknown }>): ErrorDetail[] {
  const seen = new Set<number>();
  return rows.flatMap((row, index) => {
    const id = idOf(spec, row);
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [{ ...rowPlace(spec, index, id), field: spec.idKey, code: 'DUPLICATE_ROW', message: problemMessage('DUPLICATE_ROW', spec.idKey) }];
  });
}

/**
 * Parses a report write body: the envelope must have the right shape (else MALFORMED);
 * every row of every kind is then parsed on its own, and every problem of the batch is
 * returned at once.
 */
export function parseReportWrite(body: unknown): ReportWriteParse {
  const envelope = ReportWriteEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const where = envelope.error.issues.map((i) => i.path.join('.') || '(kropp)').join(', ');
    const expected = ROW_KINDS.map((k) => `"${k}": [...]`).join(', ');
    return { ok: false, malformed: true, message: `Begäran har fel form (${where}). Förväntat: {${expected}}.` };
  }
  const details: ErrorDetail[] = [];
  const value = {} as Record<string, unknown[]>;
  for (const kind of ROW_KINDS) {
    const spec = REPORT_ROW_KINDS[kind];
    const schema: z.ZodType = WRITE_SCHEMAS[kind];
    const rows: { readonly [key: string]: unknown }[] = [];
    envelope.data[kind].forEach((row, index) => {
      const parsed = schema.safeParse(row);
      if (parsed.success) rows.push(parsed.data as { readonly [key: string]: unknown });
      else details.push(...rowIssuesToDetails(spec, index, row, parsed.error.issues));
    });
    value[kind] = rows;
  }
  if (details.length === 0) for (const kind of ROW_KINDS) details.push(...duplicates(REPORT_ROW_KINDS[kind], value[kind] as { [key: string]: unknown }[]));
  return details.length > 0 ? { ok: false, malformed: false, details } : { ok: true, value: value as unknown as ReportWrite };
}
