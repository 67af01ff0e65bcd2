import { z } from 'zod';
import { documentedWriteSchema, writeSchema } from '../rows/row-kind';
import {
  ACTIVITY_FOLLOWUPS,
  COMMISSION_FOLLOWUPS,
  CONTROL_FOLLOWUPS,
  GOAL_ASSESSMENTS,
  INDICATOR_RESULTS,
  INTERNAL_CONTROL_ASSESSMENTS,
  ROW_KINDS,
  type RowKind,
} from '../rows/report-rows';
import { ReportControlSchema, ReportInternalControlSchema } from './internal-control';
import { GoalEvidenceSchema, ReportActivitySchema, ReportCommissionSchema } from './followup';
import { AssessmentSchema, DirectionSchema, FrequencySchema, OrganisationSchema, PeriodCodeSchema } from './common';

export const MAX_ROWS_PER_BATCH = 20000;

export const ReportStateSchema = z.enum(['open', 'submitted', 'locked']);

export const ReportIndicatorSchema = z.object({
  indicatorId: z.number().int(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  direction: DirectionSchema,
  tolerance: z.number().nullable(),
  frequency: FrequencySchema,
  annualTarget: z.number().nullable(),
  kfTarget: z.number().nullable(),
  orgTarget: z.number().nullable(),
  partialThresholdPercent: z.number(),
  kfGoalCode: z.string().nullable(),
  kfGoalTitle: z.string().nullable(),
  goalId: z.number().int().nullable().describe("The nämndmål an organisation's own indicator belongs to; null for KF indicators."),
  outcome: z.number().nullable(),
  forecast: z.number().nullable(),
  comment: z.string().nullable(),
  status: AssessmentSchema.nullable(),
  previousForecast: z.number().nullable().describe('The full-year forecast of the period before in the same year (T1 at T2, T2 at VB); null at T1.'),
  lastYearOutcome: z.number().nullable().describe('The outcome reported at VB the year before for the indicator with the same code.'),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export const ReportGoalSchema = z.object({
  goalId: z.number().int(),
  code: z.string(),
  title: z.string(),
  kfGoalCode: z.string(),
  kfGoalTitle: z.string(),
  directionGoalCode: z.string(),
  directionGoalTitle: z.string(),
  suggestedAssessment: AssessmentSchema.nullable(),
  evidence: GoalEvidenceSchema.describe("What the assessment rests on: the goal's indicators by status, its activities by state."),
  assessment: AssessmentSchema.nullable(),
  motivation: z.string().nullable(),
  analysis: z.string().nullable(),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export const ReportSchema = z.object({
  organisation: OrganisationSchema,
  year: z.number().int(),
  period: PeriodCodeSchema,
  state: ReportStateSchema,
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  deadline: z.string().nullable(),
  indicators: z.array(ReportIndicatorSchema),
  goals: z.array(ReportGoalSchema),
  activities: z.array(ReportActivitySchema),
  commissions: z.array(ReportCommissionSchema),
  controls: z.array(ReportControlSchema).describe('Intern kontroll: the follow-up of the controls reported in this period (T2, VB); none at T1.'),
  internalControl: z.array(ReportInternalControlSchema).describe("Intern kontroll: the VB's assessment, one row keyed by the report; none at T1 and T2."),
});

/** The server's parser of one written row, per row kind. */
export const WRITE_SCHEMAS = {
  indicators: writeSchema(INDICATOR_RESULTS),
  goals: writeSchema(GOAL_ASSESSMENTS),
  activities: writeSchema(ACTIVITY_FOLLOWUPS),
  commissions: writeSchema(COMMISSION_FOLLOWUPS),
  controls: writeSchema(CONTROL_FOLLOWUPS),
  internalControl: writeSchema(INTERNAL_CONTROL_ASSESSMENTS),
} as const;

/** The top level of a report write; rows are parsed one by one so that every problem is reported. */
export const ReportWriteEnvelopeSchema = z
  .object(Object.fromEntries(ROW_KINDS.map((kind) => [kind, z.array(z.unknown()).max(MAX_ROWS_PER_BATCH).default([])])) as Record<RowKind, z.ZodDefault<z.ZodArray<z.ZodUnknown>>>)
  .strict();

/** The documented request body (for OpenAPI); the server parses it with the schemas above. */
export const ReportWriteRequestSchema = z
  .object({
    indicators: z.array(documentedWriteSchema(INDICATOR_RESULTS)).max(MAX_ROWS_PER_BATCH).optional(),
    goals: z.array(documentedWriteSchema(GOAL_ASSESSMENTS)).max(MAX_ROWS_PER_BATCH).optional(),
    activities: z.array(documentedWriteSchema(ACTIVITY_FOLLOWUPS)).max(MAX_ROWS_PER_BATCH).optional(),
    commissions: z.array(documentedWriteSchema(COMMISSION_FOLLOWUPS)).max(MAX_ROWS_PER_BATCH).optional(),
    controls: z.array(documentedWriteSchema(CONTROL_FOLLOWUPS)).max(MAX_ROWS_PER_BATCH).optional(),
    internalControl: z.array(documentedWriteSchema(INTERNAL_CONTROL_ASSESSMENTS)).max(1).optional(),
  })
  .strict();

export const ReportHistoryEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  byName: z.string().nullable(),
  entity: z.enum(['indicator', 'goal', 'activity', 'commission', 'control', 'internal_control', 'report']),
  entityId: z.number().int().nullable(),
  entityCode: z.string().nullable(),
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  requestId: z.string().nullable(),
});

export const SetPeriodRequestSchema = z
  .object({
    state: z.enum(['open', 'locked']),
    deadline: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const PeriodSchema = z.object({
  year: z.number().int(),
  period: PeriodCodeSchema,
  state: z.enum(['open', 'locked']),
  deadline: z.string().nullable(),
});

/** Which report: an organisation's report for a year and period (the path of every report route). */
export interface ReportAddress {
  organisation: string;
  year: number;
  period: z.infer<typeof PeriodCodeSchema>;
}

export type ReportState = z.infer<typeof ReportStateSchema>;
export type ReportIndicator = z.infer<typeof ReportIndicatorSchema>;
export type ReportGoal = z.infer<typeof ReportGoalSchema>;
export type Report = z.infer<typeof ReportSchema>;
export type { IndicatorWrite, GoalWrite } from '../rows/report-rows';
export type { ReportWriteRequest } from '../rows/report-rows';
export type ReportHistoryEntry = z.infer<typeof ReportHistoryEntrySchema>;
export type SetPeriodRequest = z.infer<typeof SetPeriodRequestSchema>;
export type PeriodInfo = z.infer<typeof PeriodSchema>;
