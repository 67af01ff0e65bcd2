import { z } from 'zod';
import {
  AcceptAmbitionRequestSchema,
  AmbitionItemSchema,
  AmbitionReviewSchema,
  AnswerAmbitionRequestSchema,
  PlanStatusSchema,
  PlanTransitionRequestSchema,
  SendAmbitionRequestSchema,
} from '../../../core/contract/plan-review';
import { idempotencyKeyHeader, jsonBody, ok, PathParams, type OpenApiRoutes } from '../openapi-kit';
import { IDEMPOTENCY_KEY_PATTERN } from './reports';

const PlanStatus = PlanStatusSchema.meta({ id: 'PlanStatus', description: 'An organisation’s plan of a year: draft → submitted → approved, or back to draft.' });
const PlanTransitionRequest = PlanTransitionRequestSchema.meta({ id: 'PlanTransitionRequest' });
const AmbitionItem = AmbitionItemSchema.meta({
  id: 'AmbitionItem',
  description: 'An organisation’s årsmål under review: KF’s and its own, whether it is below KF’s ambition, and the centre’s request on it (null: none sent).',
});
const AmbitionReview = AmbitionReviewSchema.meta({ id: 'AmbitionReview' });

/** OpenAPI for plan-review.ts. */
export function registerPlanReviewOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Plan review', 'The verksamhetsplan’s states and KS’s ambition loop: requests for more ambitious årsmål, answers, acceptance.');
  const { year, org } = PathParams;
  const indicatorId = z.number().int().positive().meta({ description: 'The indicator of the årsmål', example: 1 });
  const headers = idempotencyKeyHeader(IDEMPOTENCY_KEY_PATTERN);
  const bodyErrors = '422: VALIDATION_FAILED: a field is missing or bad (details name its path), or IDEMPOTENCY_KEY_REUSED.';
  const stale = 'CONFLICT: details STALE (baseVersion is not the current version) or WRONG_STATE (the current state does not allow it), with `current`. Nothing was written.';

  doc.operation({
    method: 'get',
    path: '/years/{year}/organisations/{org}/plan/state',
    operationId: 'getPlanState',
    tag,
    summary: 'The organisation’s plan state (also in the organisation plan as `planState`)',
    params: z.object({ year, org }),
    ok: ok.json(PlanStatus),
    errors: { 403: 'FORBIDDEN: not your organisation.', 404: 'NOT_FOUND: unknown year or organisation.' },
  });
  const transitions = [
    ['submit', 'submitPlan', 'Submit the plan for review (draft → submitted); the organisation’s controllers (or the centre)', 'FORBIDDEN: not your organisation.', ''],
    [
      'approve',
      'approvePlan',
      'Approve the plan (submitted → approved; central). After approval its årsmål change only through the centre.',
      'FORBIDDEN: only the centre approves.',
      ' 422 INCOMPLETE: an ambition request of the plan is open or answered (details AMBITION_REQUEST_PENDING per indicator).',
    ],
    [
      'return',
      'returnPlan',
      'Send the plan back to draft (submitted or approved → draft; central), with the ambition requests sent on it',
      'FORBIDDEN: only the centre sends plans back.',
      '',
    ],
  ] as const;
  for (const [action, operationId, summary, forbidden, extra] of transitions) {
    doc.operation({
      method: 'post',
      path: `/years/{year}/organisations/{org}/plan/${action}`,
      operationId,
      tag,
      summary,
      description: `Every change of state is in the plan history (entity \`plan\`, field \`state\`) with who and when.${extra}`,
      params: z.object({ year, org }),
      headers,
      body: jsonBody(PlanTransitionRequest),
      ok: ok.json(PlanStatus, 'The plan’s new state'),
      errors: { 403: forbidden, 404: 'NOT_FOUND: unknown year or organisation.', 409: stale, 422: `${bodyErrors}${extra}` },
    });
  }

  doc.operation({
    method: 'get',
    path: '/years/{year}/ambition-requests',
    operationId: 'getAmbitionReview',
    tag,
    summary: 'Every organisation årsmål of the year below KF’s ambition, and every one with a request (open or closed), with the request (central)',
    params: z.object({ year }),
    ok: ok.json(AmbitionReview),
    errors: { 403: 'FORBIDDEN: only the centre.', 404: 'NOT_FOUND: unknown year.' },
  });
  doc.operation({
    method: 'get',
    path: '/years/{year}/organisations/{org}/ambition-requests',
    operationId: 'getOrganisationAmbitionRequests',
    tag,
    summary: 'The organisation’s årsmål below KF’s ambition and its requests, open (state open: waiting for the organisation) and closed',
    params: z.object({ year, org }),
    ok: ok.json(AmbitionReview),
    errors: { 403: 'FORBIDDEN: not your organisation.', 404: 'NOT_FOUND: unknown year or organisation.' },
  });
  const steps = [
    [
      'request',
      'sendAmbitionRequest',
      'Ask the organisation to return with a more ambitious årsmål (central): a new request, or a repeated one after an answer',
      SendAmbitionRequestSchema.meta({ id: 'SendAmbitionRequest' }),
      'FORBIDDEN: only the centre sends requests.',
      `${bodyErrors} NOT_BELOW_KF_AMBITION: the årsmål is not below KF’s.`,
    ],
    [
      'answer',
      'answerAmbitionRequest',
      'Answer a request with a motivation (the organisation). To answer by raising the årsmål, PUT …/targets: the request is then met by itself.',
      AnswerAmbitionRequestSchema.meta({ id: 'AnswerAmbitionRequest' }),
      'FORBIDDEN: not your organisation.',
      bodyErrors,
    ],
    [
      'accept',
      'acceptAmbitionRequest',
      'Accept the organisation’s motivation (central): the request is closed',
      AcceptAmbitionRequestSchema.meta({ id: 'AcceptAmbitionRequest' }),
      'FORBIDDEN: only the centre accepts.',
      bodyErrors,
    ],
  ] as const;
  for (const [action, operationId, summary, body, forbidden, invalid] of steps) {
    doc.operation({
      method: 'post',
      path: `/years/{year}/organisations/{org}/ambition-requests/{indicatorId}/${action}`,
      operationId,
      tag,
      summary,
      description: '`baseVersion` is the request’s version as read (0: none sent yet). Every step is recorded in the request’s `events` with who and when.',
      params: z.object({ year, org, indicatorId }),
      headers,
      body: jsonBody(body),
      ok: ok.json(AmbitionItem, 'The årsmål with the request as it now stands'),
      errors: { 403: forbidden, 404: 'NOT_FOUND: unknown year or organisation, or an indicator the organisation does not report on.', 409: stale, 422: invalid },
    });
  }
}
