import type { ReportChanges } from '../../core/contract/report-changes';
import type { Assessment } from '../../core/domain/rules';
import type { ReportHead, ReportScope } from '../db/report-queries';
import type { WrittenRow } from '../db/versioned-rows';

/**
 * The answer of a write with `?answer=changes` (core/contract/report-changes.ts): the rows it
 * wrote with their new versions (indicators with their statuses), and the goals whose suggested
 * assessment it moved. `goals` are the report's goals after the write with their new
 * suggestions; `suggestionChanged` the ids whose suggestion moved.
 */
export function changesAnswer(
  scope: ReportScope,
  head: ReportHead,
  written: { indicators: WrittenRow[]; goals: WrittenRow[]; activities: WrittenRow[]; commissions: WrittenRow[]; controls: WrittenRow[]; internalControl: WrittenRow[] },
  goals: ReadonlyArray<{ goalId: number; suggestedAssessment: Assessment | null; version: number }>,
  suggestionChanged: ReadonlySet<number>,
): ReportChanges {
  const any = [...written.indicators, ...written.goals, ...written.activities, ...written.commissions, ...written.controls, ...written.internalControl][0];
  const goalsNow = new Map(goals.map((g) => [g.goalId, g]));
  const writtenGoals = new Map(written.goals.map((g) => [g.id, g.version]));
  return {
    answer: 'changes',
    organisation: scope.organisation,
    year: scope.year,
    period: scope.period,
    state: scope.periodState === 'locked' ? 'locked' : head.state,
    changedBy: any?.changedBy ?? null,
    changedAt: any?.changedAt ?? null,
    indicators: written.indicators.map((r) => ({ indicatorId: r.id, version: r.version, status: (r.values.status ?? null) as Assessment | null })),
    goals: [...new Set([...writtenGoals.keys(), ...suggestionChanged])].map((goalId) => ({
      goalId,
      version: writtenGoals.get(goalId) ?? goalsNow.get(goalId)!.version,
      suggestedAssessment: goalsNow.get(goalId)?.suggestedAssessment ?? null,
    })),
    activities: written.activities.map((r) => ({ activityId: r.id, version: r.version })),
    commissions: written.commissions.map((r) => ({ commissionId: r.id, version: r.version })),
    controls: written.controls.map((r) => ({ controlId: r.id, version: r.version })),
    internalControl: written.internalControl.map((r) => ({ reportId: r.id, version: r.version })),
  };
}
