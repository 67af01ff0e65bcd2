import { z } from 'zod';
import { PeriodSchema, ReportHistoryEntrySchema, ReportSchema, ReportWriteRequestSchema, SetPeriodRequestSchema } from '../../../core/contract/report';
import { AnswerModeSchema, ReportChangesSchema } from '../../../core/contract/report-changes';
import { closedObjects, idempotencyKeyHeader, jsonBody, ok, PathParams, type OpenApiRoutes } from '../openapi-kit';
import { IDEMPOTENCY_KEY_PATTERN } from './reports';

export const Report = ReportSchema.meta({ id: 'Report' });
const ReportChanges = ReportChangesSchema.meta({ id: 'ReportChanges' });
/** The server refuses unknown fields: at the top level (400) and in every row (422 UNKNOWN_FIELD). */
const ReportWrite = closedObjects(ReportWriteRequestSchema).meta({ id: 'ReportWrite' });
const ReportHistory = z.array(ReportHistoryEntrySchema).meta({ id: 'ReportHistory' });
const SetPeriodRequest = SetPeriodRequestSchema.meta({ id: 'SetPeriodRequest' });
const Period = PeriodSchema.meta({ id: 'Period' });

const REPORT = '/years/{year}/organisations/{org}/reports/{period}';
const NOT_YOURS = 'FORBIDDEN: not your organisation.';
const UNKNOWN = 'NOT_FOUND: unknown year, organisation or period.';

/** OpenAPI for reports.ts. */
export function registerReportsOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Reports', 'An organisation’s report for a period: read, bulk write, submit, reopen, history.');
  const periodsTag = doc.tag('Periods', 'Opening and locking a period for everyone (central).');
  const { year, org, period } = PathParams;
  const params = z.object({ year, org, period });
  doc.operation({
    method: 'get',
    path: REPORT,
    operationId: 'getReport',
    tag,
    summary: 'A report with computed statuses and suggested assessments',
    params,
    ok: ok.json(Report),
    errors: { 403: NOT_YOURS, 404: UNKNOWN },
  });
  doc.operation({
    method: 'put',
    path: REPORT,
    operationId: 'writeReport',
    tag,
    summary: 'Bulk write, all or nothing',
    description:
      'Omitted fields stay, null clears. Every row needs the baseVersion it was read at. A row equal to what is stored is a no-op ' +
      'whatever its base version. Answers the whole report as GET does, with new versions and computed statuses; with ' +
      '`?answer=changes` only what the write changed (`ReportChanges`): the rows written with their new versions and statuses, and ' +
      'the goals whose suggested assessment moved. A client that keeps its own copy of the report needs no more, and a big write ' +
      'answers in a fraction of the bytes.',
    params,
    query: z.object({
      answer: AnswerModeSchema.optional().describe('`report` (the default): the whole report after the write; `changes`: only what the write changed.'),
    }),
    headers: idempotencyKeyHeader(IDEMPOTENCY_KEY_PATTERN),
    body: jsonBody(ReportWrite),
    ok: ok.json(z.union([Report, ReportChanges]), 'The report after the write (`Report`), or with `?answer=changes` what the write changed (`ReportChanges`)'),
    errors: {
      400: 'MALFORMED: not JSON, not `{indicators: [...], goals: [...]}` (unknown top-level fields included), an Idempotency-Key outside its pattern, or an unknown `answer`.',
      403: NOT_YOURS,
      404: UNKNOWN,
      409: 'CONFLICT: a baseVersion is stale; details list every stale row with its current values, who changed it and when. Nothing was written.',
      422:
        'VALIDATION_FAILED: details `{section, index, indicatorId|goalId, field, code, message}` for every problem of the batch ' +
        '(NOT_A_NUMBER, TOO_LONG, UNKNOWN_FIELD, MOTIVATION_REQUIRED, …), or IDEMPOTENCY_KEY_REUSED. Nothing was written.',
      423: 'PERIOD_CLOSED: the report is submitted or the period locked.',
    },
  });
  doc.operation({
    method: 'post',
    path: `${REPORT}/submit`,
    operationId: 'submitReport',
    tag,
    summary: 'Submit the report',
    params,
    ok: ok.json(Report, 'The submitted report'),
    errors: {
      403: NOT_YOURS,
      404: UNKNOWN,
      422: 'INCOMPLETE: details list what is missing (MISSING_VALUE, MISSING_ASSESSMENT, MOTIVATION_REQUIRED).',
      423: 'PERIOD_CLOSED: already submitted, or the period is locked.',
    },
  });
  doc.operation({
    method: 'post',
    path: `${REPORT}/reopen`,
    operationId: 'reopenReport',
    tag,
    summary: 'Reopen a submitted report (central)',
    params,
    ok: ok.json(Report, 'The reopened report'),
    errors: { 403: 'FORBIDDEN: only the centre reopens.', 404: UNKNOWN },
  });
  doc.operation({
    method: 'get',
    path: `${REPORT}/history`,
    operationId: 'getReportHistory',
    tag,
    summary: 'Who changed what, when, from what to what',
    params,
    ok: ok.json(ReportHistory),
    errors: { 403: NOT_YOURS, 404: UNKNOWN },
  });
  doc.operation({
    method: 'put',
    path: '/years/{year}/periods/{period}',
    operationId: 'setPeriod',
    tag: periodsTag,
    summary: 'Lock or open a period, and set its deadline (central)',
    params: z.object({ year, period }),
    body: jsonBody(SetPeriodRequest),
    ok: ok.json(Period),
    errors: {
      400: 'MALFORMED: the body is not JSON or not `{state, deadline?}` (unknown fields included).',
      403: 'FORBIDDEN: only the centre opens and locks periods.',
      404: 'NOT_FOUND: unknown year or period.',
    },
  });
}
