import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ErrorDetail, PeriodCode } from '../../core/contract/common';
import { problemMessage } from '../../core/contract/messages';
import type { Report, ReportAddress } from '../../core/contract/report';
import type { AnswerMode, ReportChanges } from '../../core/contract/report-changes';
import { rowPlace } from '../../core/contract/report-write';
import { goalEvidence, missingComment } from '../../core/domain/followup-rules';
import { statusOf, suggestionFor } from '../../core/domain/report-status';
import { planRowWrites, type KeyedWrite, type StoredRow, type WritePlan } from '../../core/domain/row-writes';
import { fieldNames, idOf, sentValues, type FieldValue, type RowKindSpec, type RowValues, type RowWrite } from '../../core/rows/row-kind';
import {
  ACTIVITY_FOLLOWUPS,
  COMMISSION_FOLLOWUPS,
  CONTROL_FOLLOWUPS,
  GOAL_ASSESSMENTS,
  INDICATOR_RESULTS,
  INTERNAL_CONTROL_ASSESSMENTS,
  type ReportWrite,
} from '../../core/rows/report-rows';
import type { ReportControl, ReportInternalControl } from '../../core/contract/internal-control';
import { controlSubmitProblems, controlWriteProblems, judgementSubmitProblems, judgementWriteProblems } from '../../core/domain/internal-control-rules';
import { loadControlFollowups, loadInternalControlAssessment } from '../db/internal-control-queries';
import { loadActivityFollowups, loadCommissionFollowups, type ActivityFollowupRow, type CommissionFollowupRow } from '../db/followup-queries';
import { appendHistory, loadHistory, type Actor } from '../db/history-queries';
import { findIdempotentResponse, saveIdempotentResponse } from '../db/idempotency-queries';
import {
  ensureReport,
  findReportId,
  findReportScope,
  loadGoalAssessments,
  loadIndicatorResults,
  readReportHead,
  setReportState,
  updateStatuses,
  updateSuggestions,
  type GoalAssessmentRow,
  type IndicatorResultRow,
  type ReportHead,
  type ReportScope,
} from '../db/report-queries';
import type { Database } from '../db/schema';
import { releaseTargetsOfOpenReports } from '../db/plan-queries';
import { loadGoalWriteRows, loadIndicatorWriteRows } from '../db/report-write-queries';
import { updateVersionedRows } from '../db/versioned-rows';
import { ApiError, notFound, validationFailed } from '../errors';
import { changesAnswer } from './report-changes';

type Db = Kysely<Database>;

export type { ReportAddress };

async function scopeOf(db: Db, address: ReportAddress): Promise<ReportScope> {
  const scope = await findReportScope(db, address.year, address.organisation, address.period);
  if (scope === 'unknown-organisation') throw notFound(`Organisationen ${address.organisation}`);
  if (scope === 'unknown-period') throw notFound(`Perioden ${address.period} för år ${address.year}`);
  return scope;
}

interface ReportRows {
  indicators: IndicatorResultRow[];
  goals: GoalAssessmentRow[];
  activities: ActivityFollowupRow[];
  commissions: CommissionFollowupRow[];
  controls: ReportControl[];
  internalControl: ReportInternalControl[];
}

function toReport(scope: ReportScope, head: ReportHead, rows: ReportRows): Report {
  return {
    organisation: scope.organisation,
    year: scope.year,
    period: scope.period,
    state: scope.periodState === 'locked' ? 'locked' : head.state,
    submittedAt: head.submittedAt,
    submittedBy: head.submittedBy,
    deadline: scope.deadline,
    indicators: rows.indicators.map(({ kfGoalId: _k, orgGoalId: _o, ...i }) => i),
    goals: rows.goals.map(({ kfGoalId, ...g }) => ({ ...g, evidence: goalEvidence(scope.period, { goalId: g.goalId, kfGoalId }, rows.indicators, rows.activities) })),
    activities: rows.activities.map(({ kfGoalId: _k, ...a }) => a),
    commissions: rows.commissions,
    controls: rows.controls,
    // The counts beside the assessment follow the controls as they now stand.
    internalControl: rows.internalControl.map((a) => ({
      ...a,
      controls: rows.controls.length,
      notPerformed: rows.controls.filter((c) => c.performed === 'no').length,
      deviations: rows.controls.filter((c) => c.result === 'deviation').length,
    })),
  };
}

/** The report's internal control rows: the controls' follow-up and the VB assessment. */
const loadInternalControlRows = async (db: Db, reportId: number) => {
  const controls = await loadControlFollowups(db, reportId);
  return { controls, internalControl: await loadInternalControlAssessment(db, reportId, controls) };
};

const loadRows = async (db: Db, reportId: number): Promise<ReportRows> => {
  const [indicators, goals, activities, commissions, internal] = await Promise.all([
    loadIndicatorResults(db, reportId),
    loadGoalAssessments(db, reportId),
    loadActivityFollowups(db, reportId),
    loadCommissionFollowups(db, reportId),
    loadInternalControlRows(db, reportId),
  ]);
  return { indicators, goals, activities, commissions, ...internal };
};

/** The rows a write answered with its changes plans against: indicators and goals without what only the report shows. */
const loadWriteRows = async (db: Db, reportId: number) => {
  const [indicators, goals, activities, commissions, internal] = await Promise.all([
    loadIndicatorWriteRows(db, reportId),
    loadGoalWriteRows(db, reportId),
    loadActivityFollowups(db, reportId),
    loadCommissionFollowups(db, reportId),
    loadInternalControlRows(db, reportId),
  ]);
  return { indicators, goals, activities, commissions, ...internal };
};

async function readReport(db: Db, scope: ReportScope, reportId: number): Promise<Report> {
  const [head, rows] = await Promise.all([readReportHead(db, reportId), loadRows(db, reportId)]);
  return toReport(scope, head, rows);
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
    throw new ApiError('PERIOD_CLOSED', `Rapporten är redan inskickad${head.submittedBy ? ` av ${head.submittedBy}` : ''}. Stadsledningskontoret kan öppna den igen.`);
  }
}

/**
 * Recomputes every indicator status and goal suggestion from the given rows (the report's
 * rows as stored) and writes those that changed. Returns the rows as they now stand.
 */
async function recomputeRows(db: Db, reportId: number, period: PeriodCode, rows: ReportRows): Promise<ReportRows> {
  const indicators = rows.indicators.map((i) => ({ ...i, status: statusOf(period, i) }));
  const goals = rows.goals.map((g) => ({ ...g, suggestedAssessment: suggestionFor(period, g, indicators) }));
  await updateStatuses(
    db,
    reportId,
    indicators.filter((i, n) => i.status !== rows.indicators[n]!.status),
  );
  await updateSuggestions(
    db,
    reportId,
    goals.filter((g, n) => g.suggestedAssessment !== rows.goals[n]!.suggestedAssessment),
  );
  return { ...rows, indicators, goals };
}

/** Recomputes every indicator status and goal suggestion of a report from its stored values. */
export async function recomputeReport(db: Db, reportId: number, period: PeriodCode): Promise<void> {
  await recomputeRows(db, reportId, period, await loadRows(db, reportId));
}

/** A kind's rows of a batch, planned against the report's rows of that kind as stored. */
function planKind<S extends RowKindSpec, R extends StoredRow<RowValues<S>>>(spec: S, writes: readonly RowWrite<S>[], stored: readonly R[]) {
  const byId = new Map(stored.map((r) => [idOf(spec, r), r]));
  const keyed = writes.map((w, index): KeyedWrite<RowValues<S>> => ({
    index,
    id: idOf(spec, w),
    baseVersion: w.baseVersion,
    values: sentValues(spec, w) as Partial<RowValues<S>>,
  }));
  return { spec, byId, plan: planRowWrites<RowValues<S>>(fieldNames(spec), keyed, byId) };
}

/**
 * Writes a kind's planned changes (their values, or what `values` makes of them). The report is
 * locked, so every planned row is written; anything else is a bug, not a conflict.
 */
async function writePlanned(
  trx: Db,
  { spec, plan }: KindPlan,
  reportId: number,
  actor: Actor,
  values: (change: KindPlan['plan']['changes'][number]) => Record<string, FieldValue> = (c) => c.next,
) {
  const written = await updateVersionedRows(
    trx,
    spec,
    reportId,
    plan.changes.map((c) => ({ id: c.id, baseVersion: c.baseVersion, values: values(c) })),
    actor,
  );
  if (written.length !== plan.changes.length) throw new Error(`${spec.table} rows changed under the report lock`);
  return written;
}

type WrittenRows = Awaited<ReturnType<typeof writePlanned>>;

type KindPlan = {
  spec: RowKindSpec;
  byId: ReadonlyMap<number, StoredRow<Record<string, FieldValue>> & { changedBy: string | null; changedAt: string | null }>;
  plan: WritePlan<Record<string, FieldValue>>;
};

function unknownDetails({ spec, plan }: KindPlan): ErrorDetail[] {
  return plan.unknown.map((w) => ({ ...rowPlace(spec, w.index, w.id), field: spec.idKey, code: spec.unknownCode, message: problemMessage(spec.unknownCode) }));
}

/** A 409 detail: the row as it stands now, who changed it and when. */
function staleDetails({ spec, plan, byId }: KindPlan): ErrorDetail[] {
  return plan.stale.map(({ write }) => {
    const current = byId.get(write.id)!;
    const who = current.changedBy ?? 'någon annan';
    const when = current.changedAt ? new Date(current.changedAt).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }) : '';
    return {
      ...rowPlace(spec, write.index, write.id),
      code: 'STALE',
      message: `Raden har ändrats av ${who}${when ? ` ${when}` : ''} sedan du hämtade den (din version ${write.baseVersion}, nu ${current.version}).`,
      baseVersion: write.baseVersion,
      current: {
        ...Object.fromEntries(fieldNames(spec).map((f) => [f, current[f]])),
        version: current.version,
        changedBy: current.changedBy,
        changedAt: current.changedAt,
      },
    };
  });
}

/** Rows with the stored values of those just written laid over them (matched by key). */
function withWritten<T extends { version: number; changedBy: string | null; changedAt: string | null }>(
  spec: RowKindSpec,
  rows: readonly T[],
  written: ReadonlyArray<{ id: number; values: Record<string, FieldValue>; version: number; changedBy: string | null; changedAt: string | null }>,
): T[] {
  const byId = new Map(written.map((w) => [w.id, w]));
  return rows.map((r) => {
    const w = byId.get(idOf(spec, r));
    return w ? { ...r, ...w.values, version: w.version, changedBy: w.changedBy, changedAt: w.changedAt } : r;
  });
}

export const idempotencyKeyReused = () =>
  validationFailed(
    [{ field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: 'Nyckeln har redan använts för en annan sändning.' }],
    'Idempotency-Key har redan använts för en annan sändning. Inget har sparats.',
  );

export interface WriteOptions {
  idempotencyKey?: string;
}

/** What the write answers: the whole report (the default), or only what it changed (report-changes.ts). */
export type AnswerOption = { answer?: AnswerMode };

export interface WriteOutcome<A extends Report | ReportChanges = Report> {
  report: A;
  replayed: boolean;
}

/**
 * The bulk write, all or nothing: takes the report's lock, checks state, idempotency key,
 * unknown rows and base versions, writes only changed rows (bumping versions, appending
 * history), recomputes statuses and suggestions, then checks motivations against the new
 * suggestions. Any problem throws and the transaction writes nothing.
 */
export async function writeReport(db: Db, address: ReportAddress, body: ReportWrite, actor: Actor, options?: WriteOptions & { answer?: 'report' }): Promise<WriteOutcome>;
export async function writeReport(
  db: Db,
  address: ReportAddress,
  body: ReportWrite,
  actor: Actor,
  options: WriteOptions & AnswerOption,
): Promise<WriteOutcome<Report | ReportChanges>>;
export async function writeReport(
  db: Db,
  address: ReportAddress,
  body: ReportWrite,
  actor: Actor,
  options: WriteOptions & AnswerOption = {},
): Promise<WriteOutcome<Report | ReportChanges>> {
  const scope = await scopeOf(db, address);
  // The rows a client writes come from a read, which created them; only a first write creates the report.
  const reportId = (await findReportId(db, scope)) ?? (await ensureReport(db, scope));
  const answer = options.answer ?? 'report';
  // Only a keyed write is compared with an earlier one (hashing a 20,000-row body costs milliseconds).
  const requestHash = options.idempotencyKey
    ? createHash('sha256')
        .update(JSON.stringify({ address, body, ...(answer === 'report' ? {} : { answer }) }))
        .digest('hex')
    : '';

  return db.transaction().execute(async (trx) => {
    const head = await readReportHead(trx, reportId, { lock: true });
    if (options.idempotencyKey) {
      const previous = await findIdempotentResponse(trx, actor.sub, options.idempotencyKey);
      if (previous) {
        if (previous.request_hash !== requestHash) throw idempotencyKeyReused();
        return { report: previous.response as Report | ReportChanges, replayed: true };
      }
    }
    assertWritable(scope, head);

    // Answered with its changes, a write reads only what it needs of the rows (report-write-queries.ts):
    // those rows lack what the report only shows, and never become a report.
    const stored = answer === 'changes' ? ((await loadWriteRows(trx, reportId)) as unknown as ReportRows) : await loadRows(trx, reportId);
    const indicators = planKind(INDICATOR_RESULTS, body.indicators, stored.indicators);
    const goals = planKind(GOAL_ASSESSMENTS, body.goals, stored.goals);
    const activities = planKind(ACTIVITY_FOLLOWUPS, body.activities, stored.activities);
    const commissions = planKind(COMMISSION_FOLLOWUPS, body.commissions, stored.commissions);
    const controls = planKind(CONTROL_FOLLOWUPS, body.controls, stored.controls);
    const internalControl = planKind(INTERNAL_CONTROL_ASSESSMENTS, body.internalControl, stored.internalControl);
    const kinds = [indicators, goals, activities, commissions, controls, internalControl] as unknown as KindPlan[];

    const unknown = kinds.flatMap(unknownDetails);
    if (unknown.length > 0) throw validationFailed(unknown);
    const stale = kinds.flatMap(staleDetails);
    if (stale.length > 0) {
      throw new ApiError('CONFLICT', `${stale.length} rader har ändrats av någon annan sedan du hämtade dem. Inget har sparats.`, stale);
    }

    // The status is written with the values, so the recompute below finds these rows current.
    const writtenIndicators = await writePlanned(trx, indicators as unknown as KindPlan, reportId, actor, (c) => ({
      ...c.next,
      status: statusOf(scope.period, { ...indicators.byId.get(c.id)!, ...(c.next as (typeof indicators.plan.changes)[number]['next']) }),
    }));

    // Statuses and suggestions follow from the rows in memory: the report is locked, nothing else writes it.
    const recomputed = await recomputeRows(trx, reportId, scope.period, {
      ...stored,
      indicators: withWritten(INDICATOR_RESULTS, stored.indicators, writtenIndicators),
    });
    const suggestions = new Map(recomputed.goals.map((g) => [g.goalId, g.suggestedAssessment]));
    const missingMotivation = goals.plan.changes
      .filter((c) => c.next.assessment !== null && c.next.assessment !== suggestions.get(c.id) && c.next.motivation === null)
      .map((c) => ({ ...rowPlace(GOAL_ASSESSMENTS, c.index, c.id), field: 'motivation', code: 'MOTIVATION_REQUIRED', message: problemMessage('MOTIVATION_REQUIRED') }));
    const missingComments = activities.plan.changes.flatMap((c) => {
      const message = missingComment(scope.period, c.next);
      return message ? [{ ...rowPlace(ACTIVITY_FOLLOWUPS, c.index, c.id), field: 'comment', code: 'COMMENT_REQUIRED', message }] : [];
    });
    const controlProblems = controls.plan.changes.flatMap((c) => controlWriteProblems(c.next).map((p) => ({ ...rowPlace(CONTROL_FOLLOWUPS, c.index, c.id), ...p })));
    const judgementProblems = internalControl.plan.changes.flatMap((c) =>
      judgementWriteProblems(c.next).map((p) => ({ ...rowPlace(INTERNAL_CONTROL_ASSESSMENTS, c.index, c.id), ...p })),
    );
    const ruleProblems = [...missingMotivation, ...missingComments, ...controlProblems, ...judgementProblems];
    if (ruleProblems.length > 0) throw validationFailed(ruleProblems);

    // One statement after the other on the transaction's connection, in the kinds' order.
    const writtenRest = [];
    for (const kind of [goals, activities, commissions, controls, internalControl] as unknown as KindPlan[]) writtenRest.push(await writePlanned(trx, kind, reportId, actor));
    const [writtenGoals, writtenActivities, writtenCommissions, writtenControls, writtenInternalControl] = writtenRest as [
      WrittenRows,
      WrittenRows,
      WrittenRows,
      WrittenRows,
      WrittenRows,
    ];

    const written = {
      indicators: writtenIndicators,
      goals: writtenGoals,
      activities: writtenActivities,
      commissions: writtenCommissions,
      controls: writtenControls,
      internalControl: writtenInternalControl,
    };
    const suggestionChanged = () => new Set(recomputed.goals.filter((g, n) => g.suggestedAssessment !== stored.goals[n]!.suggestedAssessment).map((g) => g.goalId));
    const report =
      answer === 'changes'
        ? changesAnswer(scope, head, written, recomputed.goals, suggestionChanged())
        : toReport(scope, head, {
            ...recomputed,
            goals: withWritten(GOAL_ASSESSMENTS, recomputed.goals, writtenGoals),
            activities: withWritten(ACTIVITY_FOLLOWUPS, stored.activities, writtenActivities),
            commissions: withWritten(COMMISSION_FOLLOWUPS, stored.commissions, writtenCommissions),
            controls: withWritten(CONTROL_FOLLOWUPS, stored.controls, writtenControls),
            internalControl: withWritten(INTERNAL_CONTROL_ASSESSMENTS, stored.internalControl, writtenInternalControl),
          });
    // Another write (to another report) with the same key may have committed meanwhile: it was first.
    if (options.idempotencyKey && !(await saveIdempotentResponse(trx, actor.sub, options.idempotencyKey, requestHash, 200, report))) {
      throw idempotencyKeyReused();
    }
    return { report, replayed: false };
  });
}

/**
 * What is missing before a report can be submitted (DOMAIN.md), as error details: values,
 * assessments and their motivations, a state for every activity and uppdrag, and the comments
 * activities need.
 */
export function missingForSubmit(period: PeriodCode, rows: ReportRows): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const i of rows.indicators) {
    const required = period === 'VB' || i.frequency === 'tertial';
    if (required && i.outcome === null && i.forecast === null) {
      details.push({
        ...rowPlace(INDICATOR_RESULTS, undefined, i.indicatorId),
        field: period === 'VB' ? 'outcome' : 'forecast',
        code: 'MISSING_VALUE',
        message: `${i.code} ${i.title}: utfall eller prognos saknas.`,
      });
    }
  }
  for (const g of rows.goals) {
    if (g.assessment === null) {
      details.push({ ...rowPlace(GOAL_ASSESSMENTS, undefined, g.goalId), field: 'assessment', code: 'MISSING_ASSESSMENT', message: `${g.code} ${g.title}: bedömning saknas.` });
    } else if (g.assessment !== g.suggestedAssessment && g.motivation === null) {
      details.push({
        ...rowPlace(GOAL_ASSESSMENTS, undefined, g.goalId),
        field: 'motivation',
        code: 'MOTIVATION_REQUIRED',
        message: `${g.code} ${g.title}: ${problemMessage('MOTIVATION_REQUIRED')}`,
      });
    }
  }
  for (const a of rows.activities) {
    const place = rowPlace(ACTIVITY_FOLLOWUPS, undefined, a.activityId);
    const comment = missingComment(period, a);
    if (a.state === null) details.push({ ...place, field: 'state', code: 'MISSING_STATE', message: `${a.code} ${a.title}: status saknas.` });
    else if (comment) details.push({ ...place, field: 'comment', code: 'COMMENT_REQUIRED', message: `${a.code} ${a.title}: ${comment}` });
  }
  for (const c of rows.commissions) {
    if (c.state === null) {
      details.push({ ...rowPlace(COMMISSION_FOLLOWUPS, undefined, c.commissionId), field: 'state', code: 'MISSING_STATE', message: `${c.code} ${c.title}: status saknas.` });
    }
  }
  for (const c of rows.controls) {
    for (const p of controlSubmitProblems(c))
      details.push({ ...rowPlace(CONTROL_FOLLOWUPS, undefined, c.controlId), ...p, message: `Kontroll ${c.code} (${c.checked}): ${p.message}` });
  }
  for (const a of rows.internalControl) {
    for (const p of judgementSubmitProblems(a)) details.push({ ...rowPlace(INTERNAL_CONTROL_ASSESSMENTS, undefined, a.reportId), ...p, message: `Intern kontroll: ${p.message}` });
  }
  return details;
}

export async function submitReport(db: Db, address: ReportAddress, actor: Actor): Promise<Report> {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return db.transaction().execute(async (trx) => {
    const head = await readReportHead(trx, reportId, { lock: true });
    assertWritable(scope, head);
    const rows = await recomputeRows(trx, reportId, scope.period, await loadRows(trx, reportId));
    const missing = missingForSubmit(scope.period, rows);
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
    const head = await readReportHead(trx, reportId, { lock: true });
    if (head.state !== 'open') {
      await setReportState(trx, reportId, 'open', actor);
      await appendHistory(trx, reportId, [{ entity: 'report', entityId: null, field: 'state', oldValue: head.state, newValue: 'open' }], actor);
      // An open report follows today's årsmål again: targets it kept while handed in are let go.
      if ((await releaseTargetsOfOpenReports(trx, { reportId })).length > 0) await recomputeReport(trx, reportId, scope.period);
    }
    return readReport(trx, scope, reportId);
  });
}

export async function getReportHistory(db: Db, address: ReportAddress) {
  const scope = await scopeOf(db, address);
  const reportId = await ensureReport(db, scope);
  return loadHistory(db, reportId);
}
