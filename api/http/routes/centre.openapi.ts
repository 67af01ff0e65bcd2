import { z } from 'zod';
import { ConsolidationSchema, SteeringSignalsSchema } from '../../../core/contract/consolidation';
import { XLSX_MIME } from '../../../core/contract/common';
import { ok, PathParams, type OpenApiRoutes } from '../openapi-kit';

const Consolidation = ConsolidationSchema.meta({ id: 'Consolidation' });
const SteeringSignals = SteeringSignalsSchema.meta({ id: 'SteeringSignals' });

/** OpenAPI for centre.ts. */
export function registerCentreOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Centre', 'The city-wide consolidation and the steering signals.');
  const { year, period } = PathParams;
  const params = z.object({ year, period });
  const errors = { 403: 'FORBIDDEN: only the centre consolidates.', 404: 'NOT_FOUND: unknown year or period.' } as const;
  doc.operation({
    method: 'get',
    path: '/years/{year}/consolidation/{period}',
    operationId: 'getConsolidation',
    tag,
    summary: 'City-wide consolidation (central), as JSON or as the annual-report workbook',
    description:
      `Content negotiation on Accept: JSON unless the request prefers ${XLSX_MIME} over application/json ` +
      '(quality values count; no Accept, */* or anything else gives JSON). The same workbook is at `…/consolidation/{period}.xlsx`.',
    params,
    ok: ok.jsonOrXlsx(
      Consolidation,
      'Per organisation: state, submitted at, counts; per KF goal and indicator every organisation’s value and status; ' +
        'årsmål below KF’s; assessments that differ from the suggestion. Content-Disposition only with the workbook.',
    ),
    errors,
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/consolidation/{period}.xlsx',
    operationId: 'getConsolidationWorkbook',
    tag,
    summary: 'The consolidation as the annual-report workbook (central), whatever Accept says',
    params,
    ok: ok.xlsx('The workbook, as an attachment'),
    errors,
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/steering-signals',
    operationId: 'getSteeringSignals',
    tag,
    summary: 'Counts of goals, indicators and activities per organisation and for KF, with the change from the year before',
    description: 'A controller sees KF’s counts and their own organisations’; the centre sees all.',
    params: z.object({ year }),
    ok: ok.json(SteeringSignals),
    errors: { 404: 'NOT_FOUND: unknown year.' },
  });
}
