import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../contract/common';
import { problemMessage } from '../contract/messages';
import type { Report } from '../contract/report';
import type { ReportWrite } from '../contract/report-write';
import { statusOf, suggestionFor } from '../domain/report-status';
import { planRowWrites, type StoredRow } from '../domain/row-writes';
import type { Assessment, PeriodCode } from '../domain/rules';
import { ApiError, notFound, validationFailed } from '../errors';
import {
  appendHistory,
  ensureReport,
  findReportId,
  findIdempotentResponse,
  findReportScope,
  loadGoalAssessments,
  loadHistory,
  loadIndicatorResults,
  lockReport,
  readReportHead,
  saveIdempotentResponse,
  setReportState,
  updateGoalValues,
  updateIndicatorValues,
  updateStatuses,
  updateSuggestions,
  type Actor,
  type GoalAssessmentRow,
  type IndicatorResultRow,
  type ReportHead,
  type ReportScope,
} from '../db/report-queries';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

export interface ReportAddress {
  year: number;
  organisation: string;
  period: PeriodCode;
}

const INDICATOR_FIELDS = ['outcome', 'forecast', 'comment'] as const;
const GOAL_FIELDS = ['assessment', 'motivation', 'analysis'] as const;

async function scopeOf(db: Db, address: ReportAddress): Promise<ReportScope> {
  const scope = await findReportScope(db, address.year, address.organisation, address.period);
  if (scope === 'unknown-organisation') throw notFound(`Organisationen ${address.organisation}`);
  if (scope === 'unknown-period') throw notFound(`Perioden ${address.period} för år ${address.year}`);
  return scope;
}

function toReport(scope: ReportScope, head: ReportHead, indicators: IndicatorResultRow[], goals: GoalAssessmentRow[]): Report {
  return {
    organisation: scope.organisation,
    year: scope.year,
    period: scope.period,
    state: scope.periodState === 'locked' ? 'locked' : head.state,
    submittedAt: head.submittedAt,
    submittedBy: head.submittedBy,
    deadline: scope.deadline,
    indicators: indicators.map(({ kfGoalId: _k, orgGoalId: _o, ...i }) => i),
    goals: goals.map(({ kfGoalId: _k, suggested, ...g }) => ({
      goalId: g.goalId,
      code: g.code,
      title: g.title,
      kfGoalCode: g.kfGoalCode,
      kfGoalTitle: g.kfGoalTitle,
      suggestedAssessment: suggested,
      assessment: g.assessment,
      motivation: g.motivation,
      analysis: g.analysis,
      version: g.version,
      changedBy: g.changedBy,
      changedAt: g.changedAt,
    })),
  };
}

async function readReport(db: Db, scope: ReportScope, reportId: number): Promise<Report> {
  const [head, indicators, goals] = await Promise.all([
    readReportHead(db, reportId),
    loadIndicatorResults(db, reportId),
    loadGoalAssessments(db, reportId),
  ]);
  return toReport(scope, head, indicators, goals);
}

export async function getReport(db: Db, address: ReportAddress): Promise<Report> {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return readReport(db, scope, reportId);
}

function assertWritable(scope: ReportScope, head: ReportHead): void {
  if (scope.periodState === 'locked') {
    throw new ApiError('PERIOD_CLOSED', `Perioden ${scope.period} ${scope.year} är låst av stadsledningskontoret.`);
  }
  if (head.state === 'submitted') {
    throw new ApiError(
      'PERIOD_CLOSED',
      `Rapporten är redan inskickad${head.submittedBy ? ` av ${head.submittedBy}` : ''}. Stadsledningskontoret kan öppna den igen.`,
    );
  }
}

interface ReportRows {
  indicators: IndicatorResultRow[];
  goals: GoalAssessmentRow[];
}

/**
 * Recomputes every indicator status and goal suggestion from the given rows (the report's
 * rows as stored) and writes those that changed. Returns the rows as they now stand.
 */
async function recomputeRows(db: Db, reportId: number, period: PeriodCode, rows: ReportRows): Promise<ReportRows> {
  const indicators = rows.indicators.map((i) => ({ ...i, status: statusOf(period, i) }));
  const goals = rows.goals.map((g) => ({ ...g, suggested: suggestionFor(period, g, indicators) }));
  await updateStatuses(
    db,
    reportId,
    indicators.filter((i, n) => i.status !== rows.indicators[n]!.status),
  );
  await updateSuggestions(
    db,
    reportId,
    goals.filter((g, n) => g.suggested !== rows.goals[n]!.suggested),
  );
  return { indicators, goals };
}

/** Recomputes every indicator status and goal suggestion of a report from its stored values. */
export async function recomputeReport(db: Db, reportId: number, period: PeriodCode): Promise<void> {
  const [indicators, goals] = await Promise.all([loadIndicatorResults(db, reportId), loadGoalAssessments(db, reportId)]);
  await recomputeRows(db, reportId, period, { indicators, goals });
}

/** Rows with the stored values of those just written laid over them (matched by `key`). */
function withWritten<T, K extends keyof T>(rows: T[], key: K, written: ReadonlyArray<Pick<T, K> & Partial<T>>): T[] {
  const byKey = new Map(written.map((w) => [w[key], w]));
  return rows.map((r) => ({ ...r, ...byKey.get(r[key]) }));
}

function staleDetail<K extends string>(
  section: 'indicators' | 'goals',
  fields: readonly K[],
  write: { index: number; id: number; baseVersion: number },
  current: StoredRow<K> & { changedBy: string | null; changedAt: string | null },
): ErrorDetail {
  const idKey = section === 'indicators' ? 'indicatorId' : 'goalId';
  const who = current.changedBy ?? 'någon annan';
  const when = current.changedAt ? new Date(current.changedAt).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }) : '';
  return {
    section,
    index: write.index,
    [idKey]: write.id,
    code: 'STALE',
    message: `Raden har ändrats av ${who}${when ? ` ${when}` : ''} sedan du hämtade den (din version ${write.baseVersion}, nu ${current.version}).`,
    baseVersion: write.baseVersion,
    current: {
      ...Object.fromEntries(fields.map((f) => [f, current[f]])),
      version: current.version,
      changedBy: current.changedBy,
      changedAt: current.changedAt,
    },
  };
}

export interface WriteOptions {
  idempotencyKey?: string;
}

export interface WriteOutcome {
  report: Report;
  replayed: boolean;
}

/**
 * The bulk write, all or nothing: takes the report's lock, checks state, idempotency key,
 * unknown rows and base versions, writes only changed rows (bumping versions, appending
 * history), recomputes statuses and suggestions, then checks motivations against the new
 * suggestions. Any problem throws and the transaction writes nothing.
 */
export async function writeReport(db: Db, address: ReportAddress, body: ReportWrite, actor: Actor, options: WriteOptions = {}): Promise<WriteOutcome> {
  const scope = await scopeOf(db, address);
  // The rows a client writes come from a read, which created them; only a first write creates the report.
  const reportId = (await findReportId(db, scope)) ?? (await ensureReport(db, scope));
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ address, body }))
    .digest('hex');

  return db.transaction().execute(async (trx) => {
    const head = await lockReport(trx, reportId);
    if (options.idempotencyKey) {
      const previous = await findIdempotentResponse(trx, actor.sub, options.idempotencyKey);
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw validationFailed(
            [{ field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: 'Nyckeln har redan använts för en annan sändning.' }],
            'Idempotency-Key har redan använts för en annan sändning. Inget har sparats.',
          );
        }
        return { report: previous.response as Report, replayed: true };
      }
    }
    assertWritable(scope, head);

    const [indicators, goals] = await Promise.all([loadIndicatorResults(trx, reportId), loadGoalAssessments(trx, reportId)]);
    const indicatorById = new Map(indicators.map((i) => [i.indicatorId, i]));
    const goalById = new Map(goals.map((g) => [g.goalId, g]));
    const indicatorPlan = planRowWrites(
      INDICATOR_FIELDS,
      body.indicators.map((w, index) => ({ index, id: w.indicatorId, baseVersion: w.baseVersion, values: pick(w, INDICATOR_FIELDS) })),
      indicatorById,
    );
    const goalPlan = planRowWrites(
      GOAL_FIELDS,
      body.goals.map((w, index) => ({ index, id: w.goalId, baseVersion: w.baseVersion, values: pick(w, GOAL_FIELDS) })),
      goalById,
    );

    const unknown: ErrorDetail[] = [
      ...indicatorPlan.unknown.map((w) => ({ section: 'indicators', index: w.index, indicatorId: w.id, field: 'indicatorId', code: 'UNKNOWN_INDICATOR', message: problemMessage('UNKNOWN_INDICATOR') })),
      ...goalPlan.unknown.map((w) => ({ section: 'goals', index: w.index, goalId: w.id, field: 'goalId', code: 'UNKNOWN_GOAL', message: problemMessage('UNKNOWN_GOAL') })),
    ];
    if (unknown.length > 0) throw validationFailed(unknown);

    const stale = [
      ...indicatorPlan.stale.map(({ write }) => staleDetail('indicators', INDICATOR_FIELDS, write, indicatorById.get(write.id)!)),
      ...goalPlan.stale.map(({ write }) => staleDetail('goals', GOAL_FIELDS, write, goalById.get(write.id)!)),
    ];
    if (stale.length > 0) {
      throw new ApiError('CONFLICT', `${stale.length} rader har ändrats av någon annan sedan du hämtade dem. Inget har sparats.`, stale);
    }

    const written = await updateIndicatorValues(
      trx,
      reportId,
      indicatorPlan.changes.map((c) => ({
        indicatorId: c.id,
        baseVersion: c.baseVersion,
        outcome: c.next.outcome as number | null,
        forecast: c.next.forecast as number | null,
        comment: c.next.comment as string | null,
        // The status is written with the values, so the recompute below finds these rows current.
        status: statusOf(scope.period, { ...indicatorById.get(c.id)!, outcome: c.next.outcome as number | null, forecast: c.next.forecast as number | null }),
      })),
      actor,
    );
    if (written.length !== indicatorPlan.changes.length) throw new Error('indicator rows changed under the report lock');

    // Statuses and suggestions follow from the rows in memory: the report is locked, nothing else writes it.
    const recomputed = await recomputeRows(trx, reportId, scope.period, {
      indicators: withWritten(indicators, 'indicatorId', written),
      goals,
    });
    const suggestions = new Map(recomputed.goals.map((g) => [g.goalId, g.suggested]));
    const missingMotivation = goalPlan.changes
      .filter((c) => c.next.assessment !== null && c.next.assessment !== suggestions.get(c.id) && c.next.motivation === null)
      .map((c) => ({ section: 'goals', index: c.index, goalId: c.id, field: 'motivation', code: 'MOTIVATION_REQUIRED', message: problemMessage('MOTIVATION_REQUIRED') }));
    if (missingMotivation.length > 0) throw validationFailed(missingMotivation);

    const writtenGoals = await updateGoalValues(
      trx,
      reportId,
      goalPlan.changes.map((c) => ({
        goalId: c.id,
        baseVersion: c.baseVersion,
        assessment: c.next.assessment as Assessment | null,
        motivation: c.next.motivation as string | null,
        analysis: c.next.analysis as string | null,
      })),
      actor,
    );
    if (writtenGoals.length !== goalPlan.changes.length) throw new Error('goal rows changed under the report lock');

    const report = toReport(scope, head, recomputed.indicators, withWritten(recomputed.goals, 'goalId', writtenGoals));
    if (options.idempotencyKey) await saveIdempotentResponse(trx, actor.sub, options.idempotencyKey, requestHash, 200, report);
    return { report, replayed: false };
  });
}

function pick<K extends string>(row: Partial<Record<K, unknown>>, fields: readonly K[]) {
  const out: Partial<Record<K, number | string | null>> = {};
  for (const f of fields) if (row[f] !== undefined) out[f] = row[f] as number | string | null;
  return out;
}

/** What is missing before a report can be submitted (DOMAIN.md), as error details. */
export function missingForSubmit(period: PeriodCode, indicators: IndicatorResultRow[], goals: GoalAssessmentRow[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const i of indicators) {
    const required = period === 'VB' || i.frequency === 'tertial';
    if (required && i.outcome === null && i.forecast === null) {
      details.push({
        section: 'indicators',
        indicatorId: i.indicatorId,
        field: period === 'VB' ? 'outcome' : 'forecast',
        code: 'MISSING_VALUE',
        message: `${i.code} ${i.title}: utfall eller prognos saknas.`,
      });
    }
  }
  for (const g of goals) {
    if (g.assessment === null) {
      details.push({ section: 'goals', goalId: g.goalId, field: 'assessment', code: 'MISSING_ASSESSMENT', message: `${g.code} ${g.title}: bedömning saknas.` });
    } else if (g.assessment !== g.suggested && g.motivation === null) {
      details.push({ section: 'goals', goalId: g.goalId, field: 'motivation', code: 'MOTIVATION_REQUIRED', message: `${g.code} ${g.title}: ${problemMessage('MOTIVATION_REQUIRED')}` });
    }
  }
  return details;
}

export async function submitReport(db: Db, address: ReportAddress, actor: Actor): Promise<Report> {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return db.transaction().execute(async (trx) => {
    const head = await lockReport(trx, reportId);
    assertWritable(scope, head);
    await recomputeReport(trx, reportId, scope.period);
    const [indicators, goals] = await Promise.all([loadIndicatorResults(trx, reportId), loadGoalAssessments(trx, reportId)]);
    const missing = missingForSubmit(scope.period, indicators, goals);
    if (missing.length > 0) {
      throw new ApiError('INCOMPLETE', `Rapporten kan inte skickas in: ${missing.length} uppgifter saknas.`, missing);
    }
    await setReportState(trx, reportId, 'submitted', actor);
    await appendHistory(trx, reportId, [{ entity: 'report', entityId: null, field: 'state', oldValue: 'open', newValue: 'submitted' }], actor);
    return readReport(trx, scope, reportId);
  });
}

export async function reopenReport(db: Db, address: ReportAddress, actor: Actor): Promise<Report> {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return db.transaction().execute(async (trx) => {
    const head = await lockReport(trx, reportId);
    if (head.state !== 'open') {
      await setReportState(trx, reportId, 'open', actor);
      await appendHistory(trx, reportId, [{ entity: 'report', entityId: null, field: 'state', oldValue: head.state, newValue: 'open' }], actor);
    }
    return readReport(trx, scope, reportId);
  });
}

export async function getReportHistory(db: Db, address: ReportAddress) {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return loadHistory(db, reportId);
}
