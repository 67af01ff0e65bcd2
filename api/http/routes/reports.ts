import { Router, type Request, type Response } from 'express';
import { SetPeriodRequestSchema } from '../../../core/contract/report';
import { parseReportWrite } from '../../../core/contract/report-write';
import { ANSWER_MODES, AnswerModeSchema, type AnswerMode } from '../../../core/contract/report-changes';
import { requireCentral, requireOrganisation } from '../../auth/principal';
import { ApiError, validationFailed } from '../../errors';
import { setPeriod } from '../../services/plan-service';
import { getReport, getReportHistory, reopenReport, submitReport, writeReport, type ReportAddress } from '../../services/report-service';
import { principalOf } from '../auth';
import { actorOf, type AppContext } from '../context';
import { parseBody, pathOrganisation, pathPeriod, pathYear } from '../validate';

const REPORT = '/years/:year/organisations/:org/reports/:period';

/** The report's address from the path, after checking the caller may touch the organisation. */
export function reportAddress(req: Request, res: Response): ReportAddress {
  const organisation = pathOrganisation(req.params.org);
  requireOrganisation(principalOf(res), organisation);
  return { year: pathYear(req.params.year), organisation, period: pathPeriod(req.params.period) };
}

/** 1–200 visible ASCII characters (also the pattern the OpenAPI document states). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError('MALFORMED', 'Idempotency-Key ska vara 1–200 synliga ASCII-tecken.');
  }
  return key;
}

/** `?answer=report` (the default) or `?answer=changes`: what a write answers (core/contract/report-changes.ts). */
export function answerMode(req: Request): AnswerMode {
  const answer = req.query.answer;
  if (answer === undefined) return 'report';
  const parsed = AnswerModeSchema.safeParse(answer);
  if (!parsed.success) throw new ApiError('MALFORMED', `answer ska vara ${ANSWER_MODES.map((m) => `"${m}"`).join(' eller ')}.`);
  return parsed.data;
}

export function reportsRouter({ db }: AppContext): Router {
  const router = Router();

  router.get(REPORT, async (req, res) => {
    res.json(await getReport(db, reportAddress(req, res)));
  });

  router.put(REPORT, async (req, res) => {
    const address = reportAddress(req, res);
    const parsed = parseReportWrite(req.body);
    if (!parsed.ok) {
      if (parsed.malformed) throw new ApiError('MALFORMED', parsed.message);
      throw validationFailed(parsed.details);
    }
    const outcome = await writeReport(db, address, parsed.value, actorOf(res), { idempotencyKey: idempotencyKey(req), answer: answerMode(req) });
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.json(outcome.report);
  });

  router.post(`${REPORT}/submit`, async (req, res) => {
    res.json(await submitReport(db, reportAddress(req, res), actorOf(res)));
  });

  router.post(`${REPORT}/reopen`, async (req, res) => {
    const address = reportAddress(req, res);
    requireCentral(principalOf(res));
    res.json(await reopenReport(db, address, actorOf(res)));
  });

  router.get(`${REPORT}/history`, async (req, res) => {
    res.json(await getReportHistory(db, reportAddress(req, res)));
  });

  router.put('/years/:year/periods/:period', async (req, res) => {
    requireCentral(principalOf(res));
    const body = parseBody(SetPeriodRequestSchema, req.body);
    res.json(await setPeriod(db, pathYear(req.params.year), pathPeriod(req.params.period), body.state, body.deadline));
  });

  return router;
}
