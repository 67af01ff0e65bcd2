import { z } from 'zod';
import { parseSwedishNumber } from '../domain/numbers';
import {
  AssessmentSchema,
  DirectionSchema,
  FrequencySchema,
  OrganisationSchema,
  PeriodCodeSchema,
} from './common';

export const TEXT_LIMITS = { comment: 2000, motivation: 4000, analysis: 20000 } as const;
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
  outcome: z.number().nullable(),
  forecast: z.number().nullable(),
  comment: z.string().nullable(),
  status: AssessmentSchema.nullable(),
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
  suggestedAssessment: AssessmentSchema.nullable(),
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
});

/** A number as JSON or as Swedes type it; `null` or `""` clears. */
export const NumberInputSchema = z.union([z.number(), z.string(), z.null()]).transform((raw, ctx) => {
  const parsed = parseSwedishNumber(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'not a number', params: { code: 'NOT_A_NUMBER' }, input: raw });
    return z.NEVER;
  }
  return parsed.value;
});

const text = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .transform((v) => (v === null || v.trim() === '' ? null : v));

export const IndicatorWriteSchema = z
  .object({
    indicatorId: z.number().int().positive(),
    baseVersion: z.number().int().min(0),
    outcome: NumberInputSchema.optional(),
    forecast: NumberInputSchema.optional(),
    comment: text(TEXT_LIMITS.comment).optional(),
  })
  .strict();

export const GoalWriteSchema = z
  .object({
    goalId: z.number().int().positive(),
    baseVersion: z.number().int().min(0),
    assessment: AssessmentSchema.nullable().optional(),
    motivation: text(TEXT_LIMITS.motivation).optional(),
    analysis: text(TEXT_LIMITS.analysis).optional(),
  })
  .strict();

/** The top level of a report write; rows are parsed one by one so that every problem is reported. */
export const ReportWriteEnvelopeSchema = z
  .object({
    indicators: z.array(z.unknown()).max(MAX_ROWS_PER_BATCH).default([]),
    goals: z.array(z.unknown()).max(MAX_ROWS_PER_BATCH).default([]),
  })
  .strict();

/** The documented request body (for OpenAPI); the server parses it with the schemas above. */
const DocumentedNumber = z
  .union([z.number(), z.string(), z.null()])
  .describe('A number, or a string as Swedes type it ("12,5", "1 234,5", "12.5"); "" or null clears.');
export const ReportWriteRequestSchema = z.object({
  indicators: z
    .array(
      z.object({
        indicatorId: z.number().int(),
        baseVersion: z.number().int().describe('The version you read; 409 CONFLICT if someone wrote since.'),
        outcome: DocumentedNumber.optional(),
        forecast: DocumentedNumber.optional(),
        comment: z.string().max(TEXT_LIMITS.comment).nullable().optional(),
      }),
    )
    .optional(),
  goals: z
    .array(
      z.object({
        goalId: z.number().int(),
        baseVersion: z.number().int(),
        assessment: AssessmentSchema.nullable().optional(),
        motivation: z.string().max(TEXT_LIMITS.motivation).nullable().optional(),
        analysis: z.string().max(TEXT_LIMITS.analysis).nullable().optional(),
      }),
    )
    .optional(),
});

export const ReportHistoryEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  byName: z.string().nullable(),
  entity: z.enum(['indicator', 'goal', 'report']),
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

export type ReportState = z.infer<typeof ReportStateSchema>;
export type ReportIndicator = z.infer<typeof ReportIndicatorSchema>;
export type ReportGoal = z.infer<typeof ReportGoalSchema>;
export type Report = z.infer<typeof ReportSchema>;
export type IndicatorWrite = z.infer<typeof IndicatorWriteSchema>;
export type GoalWrite = z.infer<typeof GoalWriteSchema>;
export type ReportWriteRequest = z.input<typeof ReportWriteRequestSchema>;
export type ReportHistoryEntry = z.infer<typeof ReportHistoryEntrySchema>;
export type SetPeriodRequest = z.infer<typeof SetPeriodRequestSchema>;
export type PeriodInfo = z.infer<typeof PeriodSchema>;
