import type { Frequency } from '../contract/common';
import type { AssessmentCounts, ConsolidationGoal, GoalRollup, StatusCounts } from '../contract/consolidation';
import { DEFAULT_PARTIAL_THRESHOLD_PERCENT, indicatorStatus, suggestAssessment, type Assessment, type Direction, type PeriodCode } from './rules';

/**
 * The centre's rules for the city-wide picture (DOMAIN.md), pure:
 * - what counts as missing: an indicator due in the period without a status. An annual
 *   indicator is due at VB only; at T1 and T2 it is "rapporteras i VB" (`notDue`), never missing,
 *   unless the nämnd gave it a value anyway, which then counts by its status;
 * - måluppfyllelse rolled up from the nämnder's assessments of their nämndmål to KF goals and
 *   inriktningsmål with the suggestion rule, as the annual report speaks of them;
 * - prognossäkerhet: a forecast judged against the year's outcome by the band rule.
 */

// --- status counts -------------------------------------------------------------------------------

export const emptyStatusCounts = (): StatusCounts => ({ helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 0 });

export function isDue(period: PeriodCode, frequency: Frequency): boolean {
  return period === 'VB' || frequency === 'tertial';
}

/** Counts one indicator result into `counts`. */
export function countStatus(counts: StatusCounts, period: PeriodCode, row: { frequency: Frequency; status: Assessment | null }): void {
  if (row.status !== null) counts[row.status]++;
  else counts[isDue(period, row.frequency) ? 'missing' : 'notDue']++;
}

export function countStatuses(period: PeriodCode, rows: ReadonlyArray<{ frequency: Frequency; status: Assessment | null }>): StatusCounts {
  const counts = emptyStatusCounts();
  for (const row of rows) countStatus(counts, period, row);
  return counts;
}

/** The indicators due now: the ones a share of helt is taken of. */
export const dueCount = (c: StatusCounts) => c.helt + c.delvis + c.ej + c.missing;

const addStatusCounts = (a: StatusCounts, b: StatusCounts): StatusCounts => ({
  helt: a.helt + b.helt,
  delvis: a.delvis + b.delvis,
  ej: a.ej + b.ej,
  missing: a.missing + b.missing,
  notDue: a.notDue + b.notDue,
});

// --- måluppfyllelse ------------------------------------------------------------------------------

const emptyAssessmentCounts = (): AssessmentCounts => ({ helt: 0, delvis: 0, ej: 0, missing: 0 });

export function countAssessments(levels: ReadonlyArray<Assessment | null>): AssessmentCounts {
  const counts = emptyAssessmentCounts();
  for (const level of levels) counts[level ?? 'missing']++;
  return counts;
}

export interface RollupStructure {
  directionGoalCode: string;
  directionGoalTitle: string;
  code: string;
  title: string;
}

function rollupOf(goals: readonly ConsolidationGoal[]) {
  return {
    assessments: countAssessments(goals.map((g) => g.assessment)),
    suggestions: countAssessments(goals.map((g) => g.suggestedAssessment)),
    organisations: new Set(goals.map((g) => g.organisation)).size,
    indicators: goals.map((g) => g.indicators).reduce(addStatusCounts, emptyStatusCounts()),
  };
}

/**
 * Every KF goal (in the order given) and inriktningsmål with its nämndmål counted by the nämnder's
 * assessments and by Tertial's suggestions. A KF goal's level: the suggestion rule applied to the
 * nämnder's assessments; an inriktningsmål's: the same rule applied to its KF goals' levels
 * (DOMAIN.md: "An inriktningsmål is assessed from its goals the same way"). The level from the
 * indicators runs the same chain from Tertial's suggestions for the nämndmål.
 */
export function rollUpGoals(kfGoals: readonly RollupStructure[], goals: readonly ConsolidationGoal[]): GoalRollup {
  const rolledKfGoals = kfGoals.map((k) => {
    const under = goals.filter((g) => g.kfGoalCode === k.code);
    return {
      directionGoalCode: k.directionGoalCode,
      code: k.code,
      title: k.title,
      ...rollupOf(under),
      suggestedAssessment: suggestAssessment(under.map((g) => g.assessment)),
      suggestedFromIndicators: suggestAssessment(under.map((g) => g.suggestedAssessment)),
    };
  });
  const directionGoals = [...new Map(kfGoals.map((k) => [k.directionGoalCode, k.directionGoalTitle]))].map(([code, title]) => {
    const under = rolledKfGoals.filter((k) => k.directionGoalCode === code);
    const levels = under.map((k) => k.suggestedAssessment);
    return {
      code,
      title,
      ...rollupOf(goals.filter((g) => g.directionGoalCode === code)),
      kfGoals: countAssessments(levels),
      suggestedAssessment: suggestAssessment(levels),
      suggestedFromIndicators: suggestAssessment(under.map((k) => k.suggestedFromIndicators)),
    };
  });
  return { kfGoals: rolledKfGoals, directionGoals };
}

// --- prognossäkerhet -----------------------------------------------------------------------------

/**
 * The ± a forecast may miss the outcome by and still be helt, for an indicator without a tolerance
 * of its own: 5 % of the årsmål. The status rule gives delvis over a band 20 % of the årsmål wide
 * (80–100 % with the default threshold); a forecast within a quarter of that band cannot by itself
 * have shown a status more than a quarter band wrong, and the city's own prognossäkerhet indicator
 * (3.1.2, ±1 % of the budget) is a money measure that would be too tight for survey and count indicators.
 */
export const FORECAST_TOLERANCE_PERCENT = 5;

/** In the indicator's unit: a band indicator's own tolerance (KF set it), else 5 % of the årsmål in force. */
export function forecastTolerance(direction: Direction, tolerance: number | null, annualTarget: number | null): number | null {
  if (direction === 'band') return tolerance;
  return annualTarget === null ? null : (Math.abs(annualTarget) * FORECAST_TOLERANCE_PERCENT) / 100;
}

/**
 * The band rule with the outcome as the point to hit: helt if |forecast − outcome| ≤ tolerance,
 * delvis if ≤ 2 × tolerance, else ej; null while either value or the tolerance is missing.
 */
export function forecastAccuracy(forecast: number | null, outcome: number | null, tolerance: number | null): Assessment | null {
  if (tolerance === null) return null;
  return indicatorStatus(forecast, { direction: 'band', annualTarget: outcome, tolerance, partialThresholdPercent: DEFAULT_PARTIAL_THRESHOLD_PERCENT });
}
