import { z } from 'zod';
import { XLSX_MIME } from '../../../core/contract/common';
import { idempotencyKeyHeader, ok, PathParams, xlsxBody, type OpenApiRoutes } from '../openapi-kit';
import { IDEMPOTENCY_KEY_PATTERN } from './reports';
import { Report } from './reports.openapi';
import { WORKBOOK_BODY_LIMIT } from './workbooks';

/** OpenAPI for workbooks.ts. */
export function registerWorkbooksOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Workbooks', 'A report as an xlsx workbook to fill in offline, and the filled workbook uploaded again.');
  const { year, org, period } = PathParams;
  const params = z.object({ year, org, period });
  const path = '/years/{year}/organisations/{org}/reports/{period}/workbook';
  doc.operation({
    method: 'get',
    path,
    operationId: 'getReportWorkbook',
    tag,
    summary: 'The report as an xlsx in the add-in’s layout',
    params,
    ok: ok.xlsx('The workbook, as an attachment'),
    errors: { 403: 'FORBIDDEN: not your organisation.', 404: 'NOT_FOUND: unknown year, organisation or period.' },
  });
  doc.operation({
    method: 'put',
    path,
    operationId: 'uploadReportWorkbook',
    tag,
    summary: 'Upload a filled report workbook',
    description: `Validated and written exactly like the JSON write; row numbers in error details are the sheet's rows. At most ${WORKBOOK_BODY_LIMIT.toUpperCase()}.`,
    params,
    headers: idempotencyKeyHeader(IDEMPOTENCY_KEY_PATTERN),
    body: xlsxBody(`The filled workbook (${XLSX_MIME}, or the same bytes as application/octet-stream)`, ['application/octet-stream']),
    ok: ok.json(Report, 'The report after the write'),
    errors: {
      400: 'MALFORMED: no body, not an xlsx workbook, or an Idempotency-Key outside its pattern.',
      403: 'FORBIDDEN: not your organisation (checked before the body is read).',
      404: 'NOT_FOUND: unknown year, organisation or period.',
      409: 'CONFLICT: a row changed since the workbook was downloaded; details name the sheet row. Nothing was written.',
      413: `TOO_LARGE: the workbook is over ${WORKBOOK_BODY_LIMIT.toUpperCase()}.`,
      422: 'VALIDATION_FAILED: details name the sheet row and field (also another report’s workbook, a changed key or layout). Nothing was written.',
      423: 'PERIOD_CLOSED: the report is submitted or the period locked.',
    },
  });
}
