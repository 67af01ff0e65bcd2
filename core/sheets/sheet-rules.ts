import { z } from 'zod';
import { AssessmentSchema, DirectionSchema, type Assessment, type PeriodCode } from '../contract/common';
import { problemMessage } from '../contract/messages';
import type { Report } from '../contract/report';
import { indicatorStatus, suggestAssessment, valueToAssess } from '../domain/rules';
import type { Pending } from './read-report-sheet';
import type { Snapshot } from '../rows/report-rows';

/**
 * The rules a sheet can check before anything is sent, with the API's own rule functions:
 * which indicators a goal covers and how each indicator is assessed. Kept beside the snapshot
 * (in the workbook's settings), so that the motivation rule is the same in the sheet as in the
 * API: a goal whose assessment differs from the suggestion its indicators give needs a motivation.
 */
export const SheetRulesSchema = z.object({
  indicators: z.record(
    z.string(),
    z.object({
      direction: DirectionSchema,
      tolerance: z.number().nullable(),
      annualTarget: z.number().nullable(),
      partialThresholdPercent: z.number(),
      goalId: z.number().nullable(),
      kfGoalCode: z.string().nullable(),
    }),
  ),
  goals: z.record(z.string(), z.object({ kfGoalCode: z.string() })),
});
export type SheetRules = z.infer<typeof SheetRulesSchema>;

export function rulesOf(report: Report): SheetRules {
  return {
    indicators: Object.fromEntries(
      report.indicators.map((i) => [
        String(i.indicatorId),
        {
          direction: i.direction,
          tolerance: i.tolerance,
          annualTarget: i.annualTarget,
          partialThresholdPercent: i.partialThresholdPercent,
          goalId: i.goalId,
          kfGoalCode: i.kfGoalCode,
        },
      ]),
    ),
    goals: Object.fromEntries(report.goals.map((g) => [String(g.goalId), { kfGoalCode: g.kfGoalCode }])),
  };
}

/** Suggested assessments per goal from the values as they will stand after the pending writes. */
export function suggestions(period: PeriodCode, rules: SheetRules, snapshot: Snapshot, pending: Pending): Map<number, Assessment | null> {
  const written = new Map(pending.indicators.map((p) => [p.write.indicatorId, p.write]));
  const statuses = Object.entries(rules.indicators).map(([id, rule]) => {
    const stored = snapshot.indicators[id];
    const write = written.get(Number(id));
    const outcome = write?.outcome !== undefined ? write.outcome : (stored?.outcome ?? null);
    const forecast = write?.forecast !== undefined ? write.forecast : (stored?.forecast ?? null);
    return { rule, status: indicatorStatus(valueToAssess(period, outcome, forecast), rule) };
  });
  return new Map(
    Object.entries(rules.goals).map(([id, goal]) => {
      const goalId = Number(id);
      const covered = statuses.filter(({ rule }) => rule.goalId === goalId || (rule.goalId === null && rule.kfGoalCode === goal.kfGoalCode));
      return [goalId, suggestAssessment(covered.map((c) => c.status))];
    }),
  );
}

export interface MotivationProblem {
  row: number;
  goalId: number;
  field: 'motivation';
  code: 'MOTIVATION_REQUIRED';
  message: string;
}

/**
 * The goal rows about to be sent whose assessment differs from the suggestion, without a
 * motivation: the same check the API makes, made before sending so that the row stays in the
 * sheet, marked, while everything else is sent.
 */
export function motivationProblems(period: PeriodCode, rules: SheetRules, snapshot: Snapshot, pending: Pending): MotivationProblem[] {
  const suggested = suggestions(period, rules, snapshot, pending);
  return pending.goals.flatMap(({ row, write }) => {
    const stored = snapshot.goals[String(write.goalId)];
    const assessment =
      write.assessment !== undefined
        ? write.assessment
        : AssessmentSchema.nullable()
            .catch(null)
            .parse(stored?.assessment ?? null);
    const motivation = write.motivation !== undefined ? write.motivation : (stored?.motivation ?? null);
    if (assessment === null || assessment === suggested.get(write.goalId) || motivation !== null) return [];
    return [{ row, goalId: write.goalId, field: 'motivation' as const, code: 'MOTIVATION_REQUIRED' as const, message: `Rad ${row}, ${problemMessage('MOTIVATION_REQUIRED')}` }];
  });
}
