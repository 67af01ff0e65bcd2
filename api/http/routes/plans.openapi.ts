import { z } from 'zod';
import { KfPlanSchema, OrgPlanSchema, PlanDocumentSchema, PlanHistoryEntrySchema, SetTargetsRequestSchema } from '../../../core/contract/plan';
import { jsonBody, ok, PathParams, type OpenApiRoutes } from '../openapi-kit';

const KfPlan = KfPlanSchema.meta({ id: 'KfPlan' });
const OrgPlan = OrgPlanSchema.meta({ id: 'OrgPlan' });
const PlanDocument = PlanDocumentSchema.meta({
  id: 'PlanDocument',
  description: 'A plan document (the shape of data-seed/reference-budget.json): KF’s plan for a year, optionally with organisations, their goals and årsmål.',
});
const SetTargetsRequest = SetTargetsRequestSchema.meta({ id: 'SetTargetsRequest' });
const PlanHistoryEntry = PlanHistoryEntrySchema.meta({
  id: 'PlanHistoryEntry',
  description: 'One change to a plan: who (`by`: the user id, `byName`: the name), when, what, from and to (numbers as stored, as text; null for none).',
});

/** OpenAPI for plans.ts. */
export function registerPlansOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Plans', 'KF’s plan, the organisations’ plans and their own årsmål.');
  const { year, org } = PathParams;
  doc.operation({
    method: 'get',
    path: '/years/{year}/plan',
    operationId: 'getKfPlan',
    tag,
    summary: 'KF’s plan for a year',
    params: z.object({ year }),
    ok: ok.json(KfPlan),
    errors: { 404: 'NOT_FOUND: unknown year.' },
  });
  doc.operation({
    method: 'put',
    path: '/years/{year}/plan',
    operationId: 'importKfPlan',
    tag,
    summary: 'Merge KF’s plan from a plan document (central)',
    description: 'Matched by codes; nothing is deleted. The document’s year must be the path’s. Nothing is written on error.',
    params: z.object({ year }),
    body: jsonBody(PlanDocument),
    ok: ok.json(KfPlan, 'The plan as it now stands'),
    errors: {
      403: 'FORBIDDEN: only the centre imports plans.',
      404: 'NOT_FOUND: the year is not four digits in 2000–2100.',
      422: 'VALIDATION_FAILED: details name the path of every bad field (`directionGoals.0.kfGoals.1.title`), YEAR_MISMATCH, or UNKNOWN_REFERENCE.',
    },
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/organisations/{org}/plan',
    operationId: 'getOrganisationPlan',
    tag,
    summary: 'An organisation’s goals and indicators with KF’s, its own and the årsmål in force, flagged when below KF’s ambition',
    params: z.object({ year, org }),
    ok: ok.json(OrgPlan),
    errors: { 403: 'FORBIDDEN: not your organisation.', 404: 'NOT_FOUND: unknown year or organisation.' },
  });
  doc.operation({
    method: 'put',
    path: '/years/{year}/organisations/{org}/targets',
    operationId: 'setOrganisationTargets',
    tag,
    summary: 'Set the organisation’s own årsmål (null: follow KF’s)',
    description:
      'Numbers as JSON or as Swedes type them. With `baseAnnualTarget` (the value you read; null for none), a target someone changed since is a 409 ' +
      'and nothing is written. An unchanged value is a no-op. Answers the organisation plan with its ambition flags. ' +
      'Every change goes into the plan history. Open reports of the year are recomputed against the new årsmål; a report already handed in ' +
      '(submitted, or its period locked) keeps the årsmål and statuses it was handed in with. A controller may change årsmål only while none of ' +
      'the organisation’s reports of the year is handed in; after that only the centre may (423).',
    params: z.object({ year, org }),
    body: jsonBody(SetTargetsRequest),
    ok: ok.json(OrgPlan, 'The organisation plan with its belowKfAmbition flags'),
    errors: {
      400: 'MALFORMED: the body is not JSON or not `{targets: [...]}` (unknown fields included).',
      403: 'FORBIDDEN: not your organisation.',
      404: 'NOT_FOUND: unknown year or organisation.',
      409: 'CONFLICT: a baseAnnualTarget is stale; details (code STALE) give each target’s current value, who changed it and when. Nothing was written.',
      422: 'VALIDATION_FAILED: details per row: UNKNOWN_INDICATOR (not one the organisation reports on), NOT_A_NUMBER, or DUPLICATE_ROW (the same indicatorId again; `firstIndex` names the first).',
      423: 'PERIOD_CLOSED: a controller’s change while one of the organisation’s reports of the year is submitted or its period locked; details name each (REPORT_SUBMITTED, PERIOD_LOCKED). Only the centre may change the årsmål then. Nothing was written.',
    },
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/organisations/{org}/plan/history',
    operationId: 'getOrganisationPlanHistory',
    tag,
    summary: 'Every change to the organisation’s plan (its årsmål): who, when, from and to, oldest first',
    params: z.object({ year, org }),
    ok: ok.json(z.array(PlanHistoryEntry)),
    errors: { 403: 'FORBIDDEN: not your organisation.', 404: 'NOT_FOUND: unknown year or organisation.' },
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/plan/history',
    operationId: 'getKfPlanHistory',
    tag,
    summary: 'Every change to KF’s årsmål by plan imports: who, when, from and to, oldest first',
    params: z.object({ year }),
    ok: ok.json(z.array(PlanHistoryEntry)),
    errors: { 404: 'NOT_FOUND: unknown year.' },
  });
}
