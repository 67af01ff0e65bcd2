import { Router, type Request, type Response } from 'express';
import { AcceptAmbitionRequestSchema, AnswerAmbitionRequestSchema, PlanTransitionRequestSchema, SendAmbitionRequestSchema } from '../../../core/contract/plan-review';
import type { PlanAction } from '../../../core/domain/plan-rules';
import { isCentral, requireCentral, requireOrganisation } from '../../auth/principal';
import type { z } from 'zod';
import { ApiError, notFound } from '../../errors';
import {
  actOnAmbition,
  changePlanState,
  getAmbitionReview,
  getPlanStatus,
  requireOrganisation as requireKnownOrganisation,
  requireYear,
  type AmbitionWrite,
} from '../../services/plan-review-service';
import { principalOf } from '../auth';
import { actorOf, type AppContext } from '../context';
import { issueDetails, pathOrganisation, pathYear } from '../validate';
import { idempotencyKey } from './reports';

const PLAN = '/years/:year/organisations/:org/plan';
const REQUEST = '/years/:year/organisations/:org/ambition-requests/:indicatorId';

/** An indicator id in a path: a positive integer, else 404. */
function pathIndicatorId(value: unknown): number {
  const text = String(value);
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2 ** 31 - 1) throw notFound(`Indikatorn ${text}`);
  return Number(text);
}

/** The year and organisation of the path, the organisation one the caller may act for (403 otherwise). */
function planAddress(req: Request, res: Response) {
  const organisation = pathOrganisation(req.params.org);
  requireOrganisation(principalOf(res), organisation);
  return { year: pathYear(req.params.year), organisation };
}

/** A body that is no object is MALFORMED; an object with bad fields is VALIDATION_FAILED naming each. */
function parseFields<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('MALFORMED', 'Begäran ska vara ett JSON-objekt.');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('VALIDATION_FAILED', 'Begäran innehåller fel. Inget har sparats.', issueDetails(parsed.error.issues));
  return parsed.data;
}

function answer<T>(res: Response, outcome: { value: T; replayed: boolean }): void {
  if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.json(outcome.value);
}

/** The verksamhetsplan's state and KS's ambition loop (docs/api-extensions.md). */
export function planReviewRouter({ db }: AppContext): Router {
  const router = Router();

  router.get(`${PLAN}/state`, async (req, res) => {
    const { year, organisation } = planAddress(req, res);
    await requireYear(db, year);
    await requireKnownOrganisation(db, organisation);
    res.json(await getPlanStatus(db, year, organisation));
  });

  const transition = (action: PlanAction) =>
    router.post(`${PLAN}/${action}`, async (req, res) => {
      const { year, organisation } = planAddress(req, res);
      if (action !== 'submit') requireCentral(principalOf(res));
      const { baseVersion } = parseFields(PlanTransitionRequestSchema, req.body);
      answer(res, await changePlanState(db, year, organisation, action, baseVersion, actorOf(res), { idempotencyKey: idempotencyKey(req) }));
    });
  (['submit', 'approve', 'return'] as const).forEach(transition);

  router.get('/years/:year/ambition-requests', async (req, res) => {
    requireCentral(principalOf(res));
    res.json(await getAmbitionReview(db, pathYear(req.params.year), null));
  });

  router.get('/years/:year/organisations/:org/ambition-requests', async (req, res) => {
    const { year, organisation } = planAddress(req, res);
    res.json(await getAmbitionReview(db, year, organisation));
  });

  const step = (action: AmbitionWrite['action'], parse: (body: unknown) => AmbitionWrite) =>
    router.post(`${REQUEST}/${action}`, async (req, res) => {
      const { year, organisation } = planAddress(req, res);
      const indicatorId = pathIndicatorId(req.params.indicatorId);
      const principal = principalOf(res);
      const write = parse(req.body);
      answer(res, await actOnAmbition(db, year, organisation, indicatorId, write, actorOf(res), { central: isCentral(principal) }, { idempotencyKey: idempotencyKey(req) }));
    });
  step('request', (body) => ({ action: 'request', ...parseFields(SendAmbitionRequestSchema, body) }));
  step('answer', (body) => ({ action: 'answer', ...parseFields(AnswerAmbitionRequestSchema, body) }));
  step('accept', (body) => ({ action: 'accept', ...parseFields(AcceptAmbitionRequestSchema, body) }));

  return router;
}
