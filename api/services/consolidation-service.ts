import type { ConsolidationInternalControl } from '../../core/contract/internal-control';
import { judgementSentence, riskMatrix } from '../../core/domain/internal-control-rules';
import { internalControlOfPeriod } from '../db/internal-control-queries';
import type { Kysely } from 'kysely';
import type { CommissionCounts, Consolidation, ConsolidationCommission, ConsolidationGoal, ForecastAccuracy, SteeringSignals } from '../../core/contract/consolidation';
import type { CommissionState } from '../../core/contract/followup';
import { compareCodes } from '../../core/domain/codes';
import { countActivities, emptyActivityCounts } from '../../core/domain/followup-rules';
import { countStatus, countStatuses, emptyStatusCounts, forecastAccuracy, forecastTolerance, rollUpGoals } from '../../core/domain/consolidation-rules';
import { indicatorsOfGoal } from '../../core/domain/report-status';
import { isBelowKfAmbition, targetsInForce, type PeriodCode } from '../../core/domain/rules';
import { notFound } from '../errors';
import {
  forecastsOfYear,
  goalAssessments,
  kfGoalsOfYear,
  kfSignalCounts,
  kfStructure,
  organisationSignalCounts,
  organisationStates,
  resultGrid,
} from '../db/consolidation-queries';
import { commissionsRunningIn, type RunningCommission } from '../db/commission-queries';
import { activityGrid, commissionFollowupsUpTo, kfActivityStructure } from '../db/followup-queries';
import { findBudgetYear, findPeriod } from '../db/plan-queries';
import { num } from '../db/values';
import { ambitionRequestsOfYear } from './plan-review-service';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/** The last day of a period: an uppdrag whose deadline is on or before it and not reported back is overdue. */
const PERIOD_END: Record<PeriodCode, string> = { T1: '04-30', T2: '08-31', VB: '12-31' };

const COMMISSION_COUNT_KEY: Record<CommissionState, keyof CommissionCounts> = {
  not_started: 'notStarted',
  ongoing: 'ongoing',
  done: 'done',
  reported: 'reported',
};
const emptyCommissionCounts = (): CommissionCounts => ({ notStarted: 0, ongoing: 0, done: 0, reported: 0, missing: 0 });

/** Each running uppdrag with its responsible organisation's follow-up in the period, reported back by then or not. */
async function commissionsInPeriod(db: Db, year: number, period: PeriodCode, running: readonly RunningCommission[]): Promise<ConsolidationCommission[]> {
  const followups = await commissionFollowupsUpTo(
    db,
    year,
    period,
    running.map((c) => c.id),
  );
  return running.map((c) => {
    const own = followups.filter((f) => f.commissionId === c.id && f.organisation === c.responsible.code);
    const now = own.find((f) => f.period === period);
    const reported = own.some((f) => f.state === 'reported');
    return {
      commissionId: c.id,
      code: c.code,
      title: c.title,
      givenBy: c.givenBy,
      yearGiven: c.yearGiven,
      deadline: c.deadline,
      responsible: { code: c.responsible.code, name: c.responsible.name },
      participants: c.participants,
      state: now?.state ?? null,
      text: now?.text ?? null,
      reported,
      overdue: !reported && c.deadline !== null && c.deadline <= `${year}-${PERIOD_END[period]}`,
    };
  });
}

/**
 * Prognossäkerhet: every tertial indicator, and an annual one with a forecast at T1 or T2, of
 * every organisation, by organisation and code.
 */
function forecastAccuracyRows(rows: Awaited<ReturnType<typeof forecastsOfYear>>): ForecastAccuracy[] {
  return rows
    .filter((r) => r.frequency === 'tertial' || r.forecastT1 !== null || r.forecastT2 !== null)
    .sort((a, b) => compareCodes(a.organisation, b.organisation) || compareCodes(a.code, b.code))
    .map(({ direction, tolerance: own, ...r }) => {
      const tolerance = forecastTolerance(direction, own, r.annualTarget);
      return {
        ...r,
        tolerance,
        accuracyT1: forecastAccuracy(r.forecastT1, r.outcome, tolerance),
        accuracyT2: forecastAccuracy(r.forecastT2, r.outcome, tolerance),
      };
    });
}

/** The city-wide picture for one period, from set-based queries (none per organisation). */
export async function consolidate(db: Db, year: number, period: PeriodCode): Promise<Consolidation> {
  const [p, orgs, grid, structure, goalRows, kfGoalRows, forecasts, activityRows, activityStructure, running, requests] = await Promise.all([
    findPeriod(db, year, period),
    organisationStates(db, year, period),
    resultGrid(db, year, period),
    kfStructure(db, year),
    goalAssessments(db, year, period),
    kfGoalsOfYear(db, year),
    forecastsOfYear(db, year),
    activityGrid(db, year, period),
    kfActivityStructure(db, year),
    commissionsRunningIn(db, year),
    ambitionRequestsOfYear(db, year),
  ]);
  if (!p) throw notFound(`Perioden ${period} för år ${year}`);
  const commissions = await commissionsInPeriod(db, year, period, running);

  const orgCounts = new Map(orgs.map((o) => [o.code, emptyStatusCounts()]));
  const byIndicator = new Map<number, typeof grid>();
  const byOrganisation = new Map<string, typeof grid>();
  for (const row of grid) {
    countStatus(orgCounts.get(row.organisation)!, period, row);
    byIndicator.set(row.indicatorId, [...(byIndicator.get(row.indicatorId) ?? []), row]);
    byOrganisation.set(row.organisation, [...(byOrganisation.get(row.organisation) ?? []), row]);
  }

  const goals = new Map<number, Consolidation['kfGoals'][number]>();
  for (const s of structure) {
    const goal =
      goals.get(s.kfGoalId) ??
      goals
        .set(s.kfGoalId, {
          directionGoalCode: s.directionGoalCode,
          directionGoalTitle: s.directionGoalTitle,
          code: s.kfGoalCode,
          title: s.kfGoalTitle,
          indicators: [],
        })
        .get(s.kfGoalId)!;
    const rows = (byIndicator.get(s.indicatorId) ?? []).sort((a, b) => compareCodes(a.organisation, b.organisation));
    goal.indicators.push({
      indicatorId: s.indicatorId,
      code: s.code,
      title: s.title,
      unit: s.unit,
      direction: s.direction,
      tolerance: num(s.tolerance),
      frequency: s.frequency,
      kfTarget: num(s.kf_annual_target),
      counts: countStatuses(period, rows),
      results: rows.map((r) => ({
        organisation: r.organisation,
        orgTarget: r.orgTarget,
        annualTarget: targetsInForce(r.kfTarget, r.orgTarget).annualTarget,
        outcome: r.outcome,
        forecast: r.forecast,
        status: r.status,
      })),
    });
  }
  const kfGoals = [...goals.values()].sort((a, b) => compareCodes(a.code, b.code));
  kfGoals.forEach((g) => g.indicators.sort((a, b) => compareCodes(a.code, b.code)));

  const belowKfAmbition = kfGoals.flatMap((g) =>
    g.indicators.flatMap((i) =>
      i.results
        .filter((r) => isBelowKfAmbition(i.direction, i.kfTarget, r.orgTarget))
        .map((r) => ({
          organisation: r.organisation,
          indicatorId: i.indicatorId,
          code: i.code,
          title: i.title,
          direction: i.direction,
          kfTarget: i.kfTarget,
          orgTarget: r.orgTarget,
          request: requests.get(`${r.organisation} ${i.indicatorId}`) ?? null,
        })),
    ),
  );

  const goalAssessmentRows = goalRows.map(({ kfGoalId, goalId, ...g }): ConsolidationGoal => ({
    ...g,
    goalId,
    indicators: countStatuses(period, indicatorsOfGoal({ goalId, kfGoalId }, byOrganisation.get(g.organisation) ?? [])),
  }));
  const kfGoalOrder = [...kfGoalRows].sort((a, b) => compareCodes(a.directionGoalCode, b.directionGoalCode) || compareCodes(a.code, b.code));

  const activitiesByOrg = new Map<string, typeof activityRows>();
  const activitiesById = new Map<number, typeof activityRows>();
  for (const row of activityRows) {
    activitiesByOrg.set(row.organisation, [...(activitiesByOrg.get(row.organisation) ?? []), row]);
    activitiesById.set(row.activityId, [...(activitiesById.get(row.activityId) ?? []), row]);
  }
  const activities = activityStructure
    .sort((a, b) => compareCodes(a.kfGoalCode, b.kfGoalCode) || compareCodes(a.code, b.code))
    .map((a) => {
      const rows = (activitiesById.get(a.activityId) ?? []).sort((x, y) => compareCodes(x.organisation, y.organisation));
      return {
        ...a,
        counts: countActivities(rows.map((r) => r.state)),
        results: rows.map((r) => ({ organisation: r.organisation, state: r.state, comment: r.comment })),
      };
    });
  const commissionCounts = new Map(orgs.map((o) => [o.code, emptyCommissionCounts()]));
  for (const c of commissions) {
    const counts = commissionCounts.get(c.responsible.code);
    if (counts) counts[c.state === null ? 'missing' : COMMISSION_COUNT_KEY[c.state]]++;
  }

  return {
    year,
    period,
    periodState: p.state,
    organisations: orgs.map((o) => ({
      ...o,
      counts: orgCounts.get(o.code)!,
      activities: activitiesByOrg.has(o.code) ? countActivities(activitiesByOrg.get(o.code)!.map((r) => r.state)) : emptyActivityCounts(),
      commissions: commissionCounts.get(o.code)!,
    })),
    kfGoals,
    belowKfAmbition,
    deviatingAssessments: goalAssessmentRows.flatMap(({ directionGoalCode: _d, indicators: _i, assessment, ...g }) =>
      assessment !== null && g.suggestedAssessment !== assessment ? [{ ...g, assessment }] : [],
    ),
    goalAssessments: goalAssessmentRows,
    goalRollup: rollUpGoals(kfGoalOrder, goalAssessmentRows),
    forecastAccuracy: forecastAccuracyRows(forecasts),
    notReported: orgs.filter((o) => o.state !== 'submitted').map((o) => o.code),
    activities,
    commissions,
    commissionsNotReported: commissions.filter((c) => !c.reported),
    internalControl: await consolidateInternalControl(db, year, period),
  };
}

/** The city's intern kontroll of a period: one entry per organisation with a risk analysis or an assessment. */
async function consolidateInternalControl(db: Db, year: number, period: PeriodCode): Promise<ConsolidationInternalControl> {
  const { risks, controls, assessments, organisations } = await internalControlOfPeriod(db, year, period);
  const names = new Map(organisations.map((o) => [o.code, o.name]));
  const assessmentOf = new Map(assessments.map((a) => [a.organisation, a]));
  const codes = [...new Set([...risks.map((r) => r.organisation), ...assessments.map((a) => a.organisation)])].sort(compareCodes);
  const entries = codes.map((code) => {
    const own = controls.filter((c) => c.organisation === code);
    const a = assessmentOf.get(code);
    return {
      organisation: code,
      name: names.get(code) ?? code,
      judgement: a?.judgement ?? null,
      motivation: a?.motivation ?? null,
      risks: risks.filter((r) => r.organisation === code).length,
      controls: own.length,
      notPerformed: own.filter((c) => c.performed === 'no').length,
      deviations: own.filter((c) => c.result === 'deviation').length,
      missing: own.filter((c) => c.performed === null).length,
    };
  });
  return {
    sentence: period === 'VB' ? judgementSentence(entries) : null,
    organisations: entries,
    notPerformed: controls.filter((c) => c.performed === 'no').map(({ organisation, code, checked, reason }) => ({ organisation, code, checked, reason })),
    deviations: controls
      .filter((c) => c.result === 'deviation')
      .map(({ organisation, code, checked, findings, actionTaken }) => ({ organisation, code, checked, findings, actionTaken })),
    matrix: riskMatrix(risks),
  };
}

export async function steeringSignals(db: Db, year: number): Promise<SteeringSignals> {
  if (!(await findBudgetYear(db, year))) throw notFound(`Budgetåret ${year}`);
  const previousYear = year - 1;
  const hasPrevious = Boolean(await findBudgetYear(db, previousYear));
  const [kf, kfBefore, orgs, orgsBefore] = await Promise.all([
    kfSignalCounts(db, year),
    hasPrevious ? kfSignalCounts(db, previousYear) : null,
    organisationSignalCounts(db, year),
    hasPrevious ? organisationSignalCounts(db, previousYear) : [],
  ]);
  type Counts = { goals: number; indicators: number; activities: number; commissions: number };
  const diff = (now: Counts, before?: Counts | null): Counts | null =>
    before
      ? {
          goals: now.goals - before.goals,
          indicators: now.indicators - before.indicators,
          activities: now.activities - before.activities,
          commissions: now.commissions - before.commissions,
        }
      : null;
  const before = new Map(orgsBefore.map((o) => [o.code, o]));
  return {
    year,
    previousYear,
    kf: { ...kf, change: diff(kf, kfBefore) },
    organisations: orgs.map((o) => ({ ...o, change: hasPrevious ? diff(o, before.get(o.code) ?? { goals: 0, indicators: 0, activities: 0, commissions: 0 }) : null })),
  };
}
