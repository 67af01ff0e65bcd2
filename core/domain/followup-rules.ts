import type { ActivityCounts, ActivityState, CommissionState, GoalEvidence } from '../contract/followup';
import { ACTIVITY_STATE_LABELS } from '../contract/followup';
import { indicatorsOfGoal, type AssessableGoal, type AssessableIndicator } from './report-status';
import type { Assessment, PeriodCode } from './rules';
import type { Frequency } from '../contract/common';

/**
 * The rules of activities and uppdrag (DOMAIN.md, "Activities and uppdrag"), pure:
 * - an activity `cancelled` needs a comment saying why; so, in the verksamhetsberättelse (VB),
 *   does every activity with a state other than `done`;
 * - submit needs a state for every activity and every uppdrag;
 * - a goal shows its evidence beside the suggested assessment: its indicators' statuses and
 *   its activities' states (the suggestion itself stays the indicator rule).
 */

/** Why an activity's comment is required, or null when it is not. */
export function commentRequirement(period: PeriodCode, state: ActivityState | null): string | null {
  if (state === 'cancelled') return 'Kommentar: krävs när aktiviteten är avbruten. Skriv varför.';
  if (period === 'VB' && state !== null && state !== 'done') {
    return `Kommentar: krävs i verksamhetsberättelsen när aktiviteten inte är genomförd (den är ${ACTIVITY_STATE_LABELS[state]}). Skriv varför.`;
  }
  return null;
}

/** The message when an activity's comment is missing, or null when none is needed or one is given. */
export function missingComment(period: PeriodCode, row: { state: ActivityState | null; comment: string | null }): string | null {
  return row.comment === null ? commentRequirement(period, row.state) : null;
}

/** A state is what submit needs of every activity and uppdrag. */
export const hasState = (row: { state: ActivityState | CommissionState | null }): boolean => row.state !== null;

export const emptyActivityCounts = (): ActivityCounts => ({ done: 0, ongoing: 0, notStarted: 0, cancelled: 0, missing: 0 });

const ACTIVITY_COUNT_KEY: Record<ActivityState, keyof ActivityCounts> = {
  done: 'done',
  ongoing: 'ongoing',
  not_started: 'notStarted',
  cancelled: 'cancelled',
};

export function countActivities(states: ReadonlyArray<ActivityState | null>): ActivityCounts {
  const counts = emptyActivityCounts();
  for (const state of states) counts[state === null ? 'missing' : ACTIVITY_COUNT_KEY[state]]++;
  return counts;
}

export interface EvidenceActivity {
  owner: 'kf' | 'organisation';
  goalId: number | null;
  kfGoalId: number;
  state: ActivityState | null;
}

/**
 * A goal's activities: the KF activities of the KF goal it concretises that the organisation
 * reports on (a report holds only those), and those under the goal itself.
 */
export function activitiesOfGoal<T extends EvidenceActivity>(goal: AssessableGoal, activities: readonly T[]): T[] {
  return activities.filter((a) => a.goalId === goal.goalId || (a.owner === 'kf' && a.kfGoalId === goal.kfGoalId));
}

/** An annual indicator without a status before VB is not missing: it is reported in the verksamhetsberättelse. */
export function goalEvidence(
  period: PeriodCode,
  goal: AssessableGoal,
  indicators: ReadonlyArray<AssessableIndicator & { status: Assessment | null; frequency: Frequency }>,
  activities: readonly EvidenceActivity[],
): GoalEvidence {
  const statuses = { helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 0 };
  for (const i of indicatorsOfGoal(goal, indicators)) statuses[i.status ?? (i.frequency === 'annual' && period !== 'VB' ? 'notDue' : 'missing')]++;
  return { indicators: statuses, activities: countActivities(activitiesOfGoal(goal, activities).map((a) => a.state)) };
}
