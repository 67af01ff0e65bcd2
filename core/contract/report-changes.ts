import { z } from 'zod';
import { OrganisationSchema, PeriodCodeSchema } from './common';
import { ReportActivitySchema, ReportCommissionSchema } from './followup';
import { ReportControlSchema, ReportInternalControlSchema } from './internal-control';
import { ReportGoalSchema, ReportIndicatorSchema, ReportStateSchema } from './report';

/**
 * The short answer of a report write (`PUT …/reports/{period}?answer=changes`): only what the
 * write changed, instead of the whole report: for a 2,000-row write ≈ 80 kB of JSON to build,
 * send and parse instead of ≈ 1 MB (10 MB at 20,000 rows).
 */
export const ANSWER_MODES = ['report', 'changes'] as const;
export const AnswerModeSchema = z.enum(ANSWER_MODES);
export type AnswerMode = z.infer<typeof AnswerModeSchema>;

export const ChangedIndicatorSchema = ReportIndicatorSchema.pick({ indicatorId: true, version: true, status: true });
export const ChangedGoalSchema = ReportGoalSchema.pick({ goalId: true, version: true, suggestedAssessment: true });
export const ChangedActivitySchema = ReportActivitySchema.pick({ activityId: true, version: true });
export const ChangedCommissionSchema = ReportCommissionSchema.pick({ commissionId: true, version: true });
export const ChangedControlSchema = ReportControlSchema.pick({ controlId: true, version: true });
export const ChangedInternalControlSchema = ReportInternalControlSchema.pick({ reportId: true, version: true });

/**
 * The rows' values are not repeated: a row is stored exactly as sent (a number sent as Swedish
 * text, "12,5", is stored as the number 12.5), and `changedBy`/`changedAt` are the same for every
 * row one write changes.
 */
export const ReportChangesSchema = z.object({
  answer: z.literal('changes'),
  organisation: OrganisationSchema,
  year: z.number().int(),
  period: PeriodCodeSchema,
  state: ReportStateSchema,
  changedBy: z.string().nullable().describe('Who the written rows are now changed by (null when the write changed nothing).'),
  changedAt: z.string().nullable().describe('When (ISO 8601); null when the write changed nothing.'),
  indicators: z.array(ChangedIndicatorSchema).describe('The indicator rows this write changed: new version and computed status.'),
  goals: z.array(ChangedGoalSchema).describe('The goal rows this write changed (new version), and every goal whose suggested assessment the write moved (version as stored).'),
  activities: z.array(ChangedActivitySchema).describe('The activity rows this write changed: new version.'),
  commissions: z.array(ChangedCommissionSchema).describe('The uppdrag rows this write changed: new version.'),
  controls: z.array(ChangedControlSchema).describe('The control follow-up rows this write changed: new version.'),
  internalControl: z.array(ChangedInternalControlSchema).describe('The internal control assessment this write changed: new version.'),
});

export type ChangedIndicator = z.infer<typeof ChangedIndicatorSchema>;
export type ChangedGoal = z.infer<typeof ChangedGoalSchema>;
export type ReportChanges = z.infer<typeof ReportChangesSchema>;
