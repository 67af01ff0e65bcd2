import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../../core/contract/common';
import { problemMessage } from '../../core/contract/messages';
import type { KfPlan, OrgPlan, PlanDocument, PlanHistoryEntry, SetTargetsRequest } from '../../core/contract/plan';
import { byCode } from '../../core/domain/codes';
import { parseSwedishNumber } from '../../core/domain/numbers';
import { indicatorsOfGoal } from '../../core/domain/report-status';
import { sameValue } from '../../core/domain/row-writes';
import { isBelowKfAmbition, targetsInForce, type PeriodCode } from '../../core/domain/rules';
import { ApiError, notFound, validationFailed } from '../errors';
import { importPlanInto, PlanReferenceError, type ImportSummary } from '../db/plan-import';
import {
  directionGoalsOf,
  kfGoalsOf,
  kfIndicatorsOf,
  loadPlanHistory,
  lockOpenReports,
  lockOrgTargets,
  lockReportsOfYear,
  orgGoalsOf,
  orgIndicatorsOf,
  releaseTargetsOfOpenReports,
  updatePeriod,
  writeOrgTargets,
  type PlanScope,
  type ReportOfYear,
  type TargetChange,
} from '../db/plan-queries';
import { activitiesReportedBy, kfActivitiesWithReporters } from '../db/activity-queries';
import { commissionsRunningIn } from '../db/commission-queries';
import { internalControlOf } from '../db/internal-control-queries';
import type { Actor } from '../db/history-queries';
import { PLAN_TABLES, refreshStatistics } from '../db/statistics';
import { iso, num } from '../db/values';
import type { Database } from '../db/schema';
import { assertTargetsWritable, closeMetRequests, getPlanStatus, lockPlanForTargets, requireOrganisation, requireYear } from './plan-review-service';
import { recomputeReport } from './report-service';

type Db = Kysely<Database>;

export async function getKfPlan(db: Db, year: number): Promise<KfPlan> {
  const budgetYear = await requireYear(db, year);
  const [directionGoals, kfGoals, indicators, activities, commissions] = await Promise.all([
    directionGoalsOf(db, year),
    kfGoalsOf(db, year),
    kfIndicatorsOf(db, year),
    kfActivitiesWithReporters(db, year),
    commissionsRunningIn(db, year),
  ]);
  return {
    year,
    partialThresholdPercent: Number(budgetYear.partial_threshold_percent),
    directionGoals: directionGoals.sort(byCode).map((dg) => ({
      ...dg,
      kfGoals: kfGoals
        .filter((g) => g.direction_goal_id === dg.id)
        .sort(byCode)
        .map((g) => ({
          id: g.id,
          code: g.code,
          title: g.title,
          indicators: indicators
            .filter((i) => i.kf_goal_id === g.id)
            .sort(byCode)
            .map((i) => ({
              id: i.id,
              code: i.code,
              title: i.title,
              unit: i.unit,
              direction: i.direction,
              tolerance: num(i.tolerance),
              frequency: i.frequency,
              annualTarget: num(i.kf_annual_target),
              source: i.source,
            })),
          activities: activities
            .filter((a) => a.kf_goal_id === g.id)
            .sort(byCode)
            .map(({ kf_goal_id: _g, ...a }) => a),
        })),
    })),
    commissions,
  };
}

export async function getOrgPlan(db: Db, year: number, organisationCode: string): Promise<OrgPlan> {
  await requireYear(db, year);
  const organisation = await requireOrganisation(db, organisationCode);
  const [goals, indicators, activities, commissions, planState, internalControl] = await Promise.all([
    orgGoalsOf(db, year, organisationCode),
    orgIndicatorsOf(db, year, organisationCode),
    activitiesReportedBy(db, year, organisationCode).execute(),
    commissionsRunningIn(db, year, organisationCode),
    getPlanStatus(db, year, organisationCode),
    internalControlOf(db, year, organisationCode),
  ]);
  activities.sort(byCode);
  const planIndicators = indicators.sort(byCode).map((i) => {
    const targets = targetsInForce(num(i.kf_annual_target), num(i.annual_target));
    return {
      id: i.id,
      code: i.code,
      title: i.title,
      unit: i.unit,
      direction: i.direction,
      tolerance: num(i.tolerance),
      frequency: i.frequency,
      source: i.source,
      ...targets,
      belowKfAmbition: isBelowKfAmbition(i.direction, targets.kfTarget, targets.orgTarget),
      owner: i.owner_organisation_code ? ('organisation' as const) : ('kf' as const),
      kfGoalCode: i.kf_goal_code,
      kfGoalId: i.kf_goal_id,
      orgGoalId: i.org_goal_id,
    };
  });
  const strip = ({ kfGoalId: _k, orgGoalId: _o, kfGoalCode: _c, ...i }: (typeof planIndicators)[number]) => i;
  return {
    year,
    organisation,
    goals: goals.sort(byCode).map((g) => ({
      id: g.id,
      code: g.code,
      title: g.title,
      kfGoal: { id: g.kf_goal_id, code: g.kf_goal_code, title: g.kf_goal_title },
      indicators: indicatorsOfGoal({ goalId: g.id, kfGoalId: g.kf_goal_id }, planIndicators).map(strip),
      activities: activities.filter((a) => a.org_goal_id === g.id).map(({ id, code, title, startDate, endDate }) => ({ id, code, title, startDate, endDate })),
    })),
    indicators: planIndicators.map(({ kfGoalId: _k, orgGoalId: _o, ...i }) => i),
    activities: activities.map(({ kf_goal_id, org_goal_id: _g, ...a }) => ({ ...a, owner: kf_goal_id === null ? ('organisation' as const) : ('kf' as const) })),
    commissions: commissions.map((c) => ({ ...c, role: c.responsible.code === organisationCode ? ('responsible' as const) : ('participant' as const) })),
    planState,
    internalControl,
  };
}

interface ParsedTarget {
  index: number;
  indicatorId: number;
  value: number | null;
  /** The årsmål the client read; undefined when it sent none. */
  base?: number | null;
}

/** Every problem of a targets request at once: duplicate rows, unknown indicators, values that are no numbers. */
function parseTargets(body: SetTargetsRequest, assigned: ReadonlySet<number>): ParsedTarget[] {
  const details: ErrorDetail[] = [];
  const targets: ParsedTarget[] = [];
  const firstIndex = new Map<number, number>();
  body.targets.forEach((t, index) => {
    const parsed = parseSwedishNumber(t.annualTarget);
    const base = t.baseAnnualTarget === undefined ? undefined : parseSwedishNumber(t.baseAnnualTarget);
    const first = firstIndex.get(t.indicatorId);
    if (first !== undefined) {
      details.push({ index, indicatorId: t.indicatorId, field: 'indicatorId', code: 'DUPLICATE_ROW', message: problemMessage('DUPLICATE_ROW', 'indicatorId'), firstIndex: first });
      return;
    }
    firstIndex.set(t.indicatorId, index);
    if (!assigned.has(t.indicatorId)) {
      details.push({ index, indicatorId: t.indicatorId, field: 'indicatorId', code: 'UNKNOWN_INDICATOR', message: problemMessage('UNKNOWN_INDICATOR') });
    } else if (!parsed.ok || (base && !base.ok)) {
      const field = parsed.ok ? 'baseAnnualTarget' : 'annualTarget';
      details.push({ index, indicatorId: t.indicatorId, field, code: 'NOT_A_NUMBER', message: problemMessage('NOT_A_NUMBER', 'annualTarget') });
    } else targets.push({ index, indicatorId: t.indicatorId, value: parsed.value, ...(base?.ok ? { base: base.value } : {}) });
  });
  if (details.length > 0) throw validationFailed(details);
  return targets;
}

const isOpen = (r: Pick<ReportOfYear, 'state' | 'period_state'>) => r.state === 'open' && r.period_state === 'open';

/**
 * Besides the plan's state (assertTargetsWritable), the rule from before plans had states still
 * holds for a plan left in draft while the year is reported on (README, "Årsmål"): an
 * organisation changes its årsmål while none of its reports of the year is handed in
 * (submitted, or in a locked period); after that only the centre does.
 */
function assertOrganisationMayChangeTargets(year: number, periods: ReadonlyArray<{ code: PeriodCode; state: 'open' | 'locked' }>, reports: readonly ReportOfYear[]): void {
  const submitted = new Set(reports.filter((r) => r.state === 'submitted').map((r) => r.period));
  const closed = periods
    .filter((p) => p.state === 'locked' || submitted.has(p.code))
    .map((p) =>
      p.state === 'locked'
        ? { period: p.code, code: 'PERIOD_LOCKED', reason: `perioden ${p.code} är låst` }
        : { period: p.code, code: 'REPORT_SUBMITTED', reason: `rapporten för ${p.code} är inskickad` },
    );
  if (closed.length === 0) return;
  throw new ApiError(
    'PERIOD_CLOSED',
    `Nämndens årsmål för ${year} kan inte längre ändras av nämnden eftersom ${closed.map((c) => c.reason).join(' och ')}. ` +
      'Stadsledningskontoret måste göra ändringen; redan lämnade rapporter behåller sina årsmål och statusar.',
    closed.map(({ reason, ...c }) => ({ ...c, message: `${reason[0]!.toUpperCase()}${reason.slice(1)}.` })),
  );
}

/**
 * Sets an organisation's own årsmål (null: follow KF's). All or nothing. A submitted plan
 * refuses changes, an approved one takes them from the centre only (423). Each change goes into
 * the plan history, and a pending ambition request whose årsmål is no longer below KF's is met.
 * Open reports of the year are recomputed against the new targets, while handed-in ones
 * (submitted, or in a locked period) keep the årsmål and statuses they had.
 */
export async function setOrgTargets(db: Db, year: number, organisationCode: string, body: SetTargetsRequest, actor: Actor, rights: { central: boolean }): Promise<OrgPlan> {
  await requireYear(db, year);
  await requireOrganisation(db, organisationCode);
  const assigned = new Set((await orgIndicatorsOf(db, year, organisationCode)).map((i) => i.id));
  const targets = parseTargets(body, assigned);

  await db.transaction().execute(async (trx) => {
    // The plan first: a change of its state waits for this write, and this write for it.
    const plan = await lockPlanForTargets(trx, year, organisationCode);
    const { periods, reports } = await lockReportsOfYear(trx, year, organisationCode);
    const current = new Map(
      (
        await lockOrgTargets(
          trx,
          year,
          organisationCode,
          targets.map((t) => t.indicatorId),
        )
      ).map((r) => [r.indicator_id, r]),
    );
    const stored = (t: ParsedTarget) => current.get(t.indicatorId)!;
    const changes: TargetChange[] = targets
      .filter((t) => !sameValue(t.value, num(stored(t).annual_target)))
      .map((t) => ({ indicatorId: t.indicatorId, from: stored(t).annual_target, to: t.value }));
    if (changes.length > 0) assertTargetsWritable(plan, rights);
    if (changes.length > 0 && !rights.central) assertOrganisationMayChangeTargets(year, periods, reports);

    const stale = targets
      .filter((t) => t.base !== undefined && !sameValue(t.base, num(stored(t).annual_target)))
      .map((t) => {
        const row = stored(t);
        const changedBy = row.changed_by_name ?? row.changed_by;
        return {
          index: t.index,
          indicatorId: t.indicatorId,
          field: 'annualTarget',
          code: 'STALE',
          message: `Årsmålet har ändrats av ${changedBy ?? 'någon annan'} sedan du läste det.`,
          current: { annualTarget: num(row.annual_target), changedBy, changedAt: iso(row.changed_at) },
        };
      });
    if (stale.length > 0) throw new ApiError('CONFLICT', `${stale.length} årsmål har ändrats av någon annan. Inget har sparats.`, stale);
    if (changes.length === 0) return;

    await writeOrgTargets(trx, year, organisationCode, changes, actor);
    await closeMetRequests(trx, year, { organisation: organisationCode, indicatorIds: changes.map((c) => c.indicatorId) }, actor);
    for (const r of reports.filter(isOpen)) await recomputeReport(trx, r.id, r.period);
  });
  return getOrgPlan(db, year, organisationCode);
}

/**
 * Merges a plan document (KF's plan, and organisations' goals and årsmål) in one transaction
 * and recomputes the year's open reports against the årsmål it sets.
 */
export async function importPlanDocument(db: Db, doc: PlanDocument, actor: Actor): Promise<ImportSummary> {
  try {
    const summary = await db.transaction().execute(async (trx) => {
      const summary = await importPlanInto(trx, doc, actor);
      // KF's årsmål or an organisation's may have changed: requests no longer below KF's are met.
      await closeMetRequests(trx, doc.year, {}, actor);
      for (const r of await lockOpenReports(trx, doc.year)) await recomputeReport(trx, r.id, r.period);
      return summary;
    });
    // A new year's rows, perhaps many: the planner must know them before the first big write.
    await refreshStatistics(db, PLAN_TABLES);
    return summary;
  } catch (e) {
    if (e instanceof PlanReferenceError) {
      throw new ApiError('VALIDATION_FAILED', 'Plandokumentet hänvisar till något som inte finns. Inget har sparats.', [
        { field: e.path, code: 'UNKNOWN_REFERENCE', message: e.message },
      ]);
    }
    throw e;
  }
}

/** Every change to a plan (an organisation's, or KF's when organisation is null), oldest first. */
export async function getPlanHistory(db: Db, scope: PlanScope): Promise<PlanHistoryEntry[]> {
  await requireYear(db, scope.year);
  if (scope.organisation !== null) await requireOrganisation(db, scope.organisation);
  const rows = await loadPlanHistory(db, scope);
  return rows.map((r) => ({
    at: new Date(r.changed_at).toISOString(),
    by: r.changed_by,
    byName: r.changed_by_name,
    entity: r.entity,
    entityId: r.entity_id,
    entityCode: r.entity_code,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    requestId: r.request_id,
  }));
}

/**
 * Locks or opens a period. Reports open again follow the plan's årsmål again: those that kept
 * older ones while the period was locked are recomputed.
 */
export async function setPeriod(db: Db, year: number, period: PeriodCode, state: 'open' | 'locked', deadline: string | null | undefined) {
  await requireYear(db, year);
  return db.transaction().execute(async (trx) => {
    const row = await updatePeriod(trx, year, period, { state, ...(deadline !== undefined ? { deadline } : {}) });
    if (!row) throw notFound(`Perioden ${period} för år ${year}`);
    if (state === 'open') {
      await lockOpenReports(trx, year, period);
      for (const id of await releaseTargetsOfOpenReports(trx, { year, period })) await recomputeReport(trx, id, period);
    }
    return { year: row.year, period: row.code, state: row.state, deadline: iso(row.deadline) };
  });
}
