import { z } from 'zod';
import { AssessmentSchema, DirectionSchema, OrganisationKindSchema, PeriodCodeSchema } from './common';

export const StatusCountsSchema = z.object({
  helt: z.number().int(),
  delvis: z.number().int(),
  ej: z.number().int(),
  missing: z.number().int(),
});

export const ConsolidationSchema = z.object({
  year: z.number().int(),
  period: PeriodCodeSchema,
  periodState: z.enum(['open', 'locked']),
  organisations: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: OrganisationKindSchema,
      state: z.enum(['not_started', 'open', 'submitted']),
      submittedAt: z.string().nullable(),
      counts: StatusCountsSchema,
    }),
  ),
  kfGoals: z.array(
    z.object({
      directionGoalCode: z.string(),
      directionGoalTitle: z.string(),
      code: z.string(),
      title: z.string(),
      indicators: z.array(
        z.object({
          indicatorId: z.number().int(),
          code: z.string(),
          title: z.string(),
          unit: z.string(),
          direction: DirectionSchema,
          kfTarget: z.number().nullable(),
          counts: StatusCountsSchema,
          results: z.array(
            z.object({
              organisation: z.string(),
              orgTarget: z.number().nullable(),
              annualTarget: z.number().nullable(),
              outcome: z.number().nullable(),
              forecast: z.number().nullable(),
              status: AssessmentSchema.nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
  belowKfAmbition: z.array(
    z.object({
      organisation: z.string(),
      indicatorId: z.number().int(),
      code: z.string(),
      title: z.string(),
      direction: DirectionSchema,
      kfTarget: z.number().nullable(),
      orgTarget: z.number().nullable(),
    }),
  ),
  deviatingAssessments: z.array(
    z.object({
      organisation: z.string(),
      goalId: z.number().int(),
      goalCode: z.string(),
      goalTitle: z.string(),
      kfGoalCode: z.string(),
      suggestedAssessment: AssessmentSchema.nullable(),
      assessment: AssessmentSchema,
      motivation: z.string().nullable(),
    }),
  ),
  notReported: z.array(z.string()),
});

const SignalCountsSchema = z.object({
  goals: z.number().int(),
  indicators: z.number().int(),
  activities: z.number().int(),
});

export const SteeringSignalsSchema = z.object({
  year: z.number().int(),
  previousYear: z.number().int(),
  kf: SignalCountsSchema.extend({ change: SignalCountsSchema.nullable() }),
  organisations: z.array(
    SignalCountsSchema.extend({
      code: z.string(),
      name: z.string(),
      kind: OrganisationKindSchema,
      change: SignalCountsSchema.nullable(),
    }),
  ),
});

export type Consolidation = z.infer<typeof ConsolidationSchema>;
export type StatusCounts = z.infer<typeof StatusCountsSchema>;
export type SteeringSignals = z.infer<typeof SteeringSignalsSchema>;
