import type { z } from 'zod';
import type { ErrorDetail } from './common';
import { problemMessage, type RowProblemCode } from './messages';
import {
  GoalWriteSchema,
  IndicatorWriteSchema,
  ReportWriteEnvelopeSchema,
  type GoalWrite,
  type IndicatorWrite,
} from './report';

export interface ReportWrite {
  indicators: IndicatorWrite[];
  goals: GoalWrite[];
}

export type ReportWriteParse =
  | { ok: true; value: ReportWrite }
  | { ok: false; malformed: true; message: string }
  | { ok: false; malformed: false; details: ErrorDetail[] };

type RowKind = 'indicators' | 'goals';

function issueCode(issue: z.core.$ZodIssue, row: unknown): RowProblemCode {
  switch (issue.code) {
    case 'custom':
      return ((issue.params as { code?: RowProblemCode } | undefined)?.code ?? 'INVALID_VALUE');
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

/** Turns one row's zod issues into details; `index` is the row's place in its array. */
export function rowIssuesToDetails(
  kind: RowKind,
  index: number,
  row: unknown,
  issues: ReadonlyArray<z.core.$ZodIssue>,
): ErrorDetail[] {
  const idKey = kind === 'indicators' ? 'indicatorId' : 'goalId';
  const id = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[idKey] : undefined;
  const base = { section: kind, index, ...(typeof id === 'number' ? { [idKey]: id } : {}) };
  return issues.flatMap((issue) => {
    const code = issueCode(issue, row);
    const fields =
      issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.length > 0 ? String(issue.path[0]) : undefined];
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    return fields.map((field) => ({
      ...base,
      ...(field ? { field } : {}),
      code,
      message: problemMessage(code, field, { max }),
    }));
  });
}

function duplicates(kind: RowKind, ids: number[]): ErrorDetail[] {
  const idKey = kind === 'indicators' ? 'indicatorId' : 'goalId';
  const seen = new Set<number>();
  return ids.flatMap((id, index) => {
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [{ section: kind, index, [idKey]: id, field: idKey, code: 'DUPLICATE_ROW', message: problemMessage('DUPLICATE_ROW', idKey) }];
  });
}

/**
 * Parses a report write body: the envelope must have the right shape (else MALFORMED);
 * every row is then parsed on its own, and every problem of the batch is returned at once.
 */
export function parseReportWrite(body: unknown): ReportWriteParse {
  const envelope = ReportWriteEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const where = envelope.error.issues.map((i) => i.path.join('.') || '(kropp)').join(', ');
    return { ok: false, malformed: true, message: `Begäran har fel form (${where}). Förväntat: {"indicators": [...], "goals": [...]}.` };
  }
  const details: ErrorDetail[] = [];
  const indicators: IndicatorWrite[] = [];
  const goals: GoalWrite[] = [];
  envelope.data.indicators.forEach((row, index) => {
    const parsed = IndicatorWriteSchema.safeParse(row);
    if (parsed.success) indicators.push(parsed.data);
    else details.push(...rowIssuesToDetails('indicators', index, row, parsed.error.issues));
  });
  envelope.data.goals.forEach((row, index) => {
    const parsed = GoalWriteSchema.safeParse(row);
    if (parsed.success) goals.push(parsed.data);
    else details.push(...rowIssuesToDetails('goals', index, row, parsed.error.issues));
  });
  if (details.length === 0) {
    details.push(...duplicates('indicators', indicators.map((r) => r.indicatorId)));
    details.push(...duplicates('goals', goals.map((r) => r.goalId)));
  }
  return details.length > 0 ? { ok: false, malformed: false, details } : { ok: true, value: { indicators, goals } };
}
