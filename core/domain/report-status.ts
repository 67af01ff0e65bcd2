import { indicatorStatus, suggestAssessment, valueToAssess, type Assessment, type Direction, type PeriodCode } from './rules';

export interface AssessableIndicator {
  indicatorId: number;
  direction: Direction;
  tolerance: number | null;
  annualTarget: number | null;
  partialThresholdPercent: number;
  outcome: number | null;
  forecast: number | null;
  kfGoalId: number | null;
  orgGoalId: number | null;
}

export interface AssessableGoal {
  goalId: number;
  kfGoalId: number;
}

export function statusOf(period: PeriodCode, row: AssessableIndicator): Assessment | null {
  return indicatorStatus(valueToAssess(period, row.outcome, row.forecast), row);
}

/** A goal's indicators: the KF indicators of the KF goal it concretises, and its own. */
export function indicatorsOfGoal<T extends Pick<AssessableIndicator, 'kfGoalId' | 'orgGoalId'>>(goal: AssessableGoal, indicators: readonly T[]): T[] {
  return indicators.filter((i) => i.orgGoalId === goal.goalId || (i.orgGoalId === null && i.kfGoalId === goal.kfGoalId));
}

export function suggestionFor(period: PeriodCode, goal: AssessableGoal, indicators: readonly AssessableIndicator[]): Assessment | null {
  return suggestAssessment(indicatorsOfGoal(goal, indicators).map((i) => statusOf(period, i)));
}
