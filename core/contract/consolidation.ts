import { z } from 'zod';
import { ConsolidationInternalControlSchema } from './internal-control';
import { AssessmentSchema, DirectionSchema, FrequencySchema, OrganisationKindSchema, PeriodCodeSchema } from './common';
import { AmbitionRequestSchema } from './plan-review';
import { ActivityCountsSchema, ActivityStateSchema, CommissionGiverSchema, CommissionStateSchema, OrganisationRefSchema } from './followup';

export const StatusCountsSchema = z.object({
  helt: z.number().int(),
  delvis: z.number().int(),
  ej: z.number().int(),
  missing: z.number().int().describe('Due now and without a status: no value, or no årsmål to compare it with.'),
  notDue: z.number().int().describe('Annual indicators at T1 and T2 without a value: reported at VB (rapporteras i VB), neither due nor missing. Always 0 at VB.'),
});

/** How many goal assessments are at each level; `missing`: not assessed (yet). */
export const AssessmentCountsSchema = z.object({
  helt: z.number().int(),
  delvis: z.number().int(),
  ej: z.number().int(),
  missing: z.number().int(),
});

/** One nämndmål of one organisation in the period: Tertial's suggestion beside the nämnd's own assessment, and its indicators. */
export const ConsolidationGoalSchema = z.object({
  organisation: z.string(),
  goalId: z.number().int(),
  goalCode: z.string(),
  goalTitle: z.string(),
  kfGoalCode: z.string(),
  directionGoalCode: z.string(),
  suggestedAssessment: AssessmentSchema.nullable(),
  assessment: AssessmentSchema.nullable().describe("The nämnd's own assessment; null while it has not assessed the goal."),
  motivation: z.string().nullable(),
  indicators: StatusCountsSchema.describe("The statuses of the goal's indicators: the KF indicators of its KF goal the organisation reports on, and its own."),
});

const RollupFields = {
  assessments: AssessmentCountsSchema.describe("The nämndmål under it by the nämnder's own assessment."),
  suggestions: AssessmentCountsSchema.describe("The same nämndmål by Tertial's suggestion from their indicators."),
  organisations: z.number().int().describe('How many organisations have a nämndmål under it.'),
  indicators: StatusCountsSchema.describe('The indicators of those nämndmål, summed (one per organisation and indicator).'),
};

/**
 * Måluppfyllelse: the nämnder's assessments rolled up the way the annual report speaks ("24 av 27
 * nämnder bedömer att målet uppfylls helt, 3 delvis"). A KF goal's suggested level is the
 * suggestion rule (helt if all are helt; ej if more than half are ej; else delvis) applied to the
 * nämnder's assessments of its nämndmål; an inriktningsmål's, the same rule applied to its KF goals' levels.
 * Beside each, the same chain started from Tertial's suggestions (what the indicators alone say).
 */
export const GoalRollupSchema = z.object({
  kfGoals: z.array(
    z.object({
      directionGoalCode: z.string(),
      code: z.string(),
      title: z.string(),
      ...RollupFields,
      suggestedAssessment: AssessmentSchema.nullable().describe("The rule applied to the nämnder's assessments; null when none has assessed."),
      suggestedFromIndicators: AssessmentSchema.nullable().describe("The rule applied to Tertial's suggestions for the same nämndmål: what the indicators alone say."),
    }),
  ),
  directionGoals: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      ...RollupFields,
      kfGoals: AssessmentCountsSchema.describe('Its KF goals by their suggested level (missing: no nämnd has assessed it).'),
      suggestedAssessment: AssessmentSchema.nullable().describe("The rule applied to its KF goals' suggested levels."),
      suggestedFromIndicators: AssessmentSchema.nullable().describe("The rule applied to its KF goals' levels from the indicators."),
    }),
  ),
});

/**
 * Prognossäkerhet: an indicator's full-year forecasts at T1 and T2 against the outcome at VB, for one
 * organisation, judged by the band rule with the outcome as the point to hit (see core/domain/forecast-accuracy.ts).
 */
export const ForecastAccuracySchema = z.object({
  organisation: z.string(),
  indicatorId: z.number().int(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  frequency: FrequencySchema,
  annualTarget: z.number().nullable(),
  tolerance: z.number().nullable().describe("± in the indicator's unit: a band indicator's own tolerance, else 5 % of the årsmål in force; null without either."),
  forecastT1: z.number().nullable(),
  forecastT2: z.number().nullable(),
  outcome: z.number().nullable().describe('The outcome at VB; null until it is reported.'),
  accuracyT1: AssessmentSchema.nullable(),
  accuracyT2: AssessmentSchema.nullable(),
});

export const CommissionCountsSchema = z.object({
  notStarted: z.number().int(),
  ongoing: z.number().int(),
  done: z.number().int(),
  reported: z.number().int(),
  missing: z.number().int(),
});

/** An uppdrag running in the year, with its responsible organisation's follow-up in the period. */
export const ConsolidationCommissionSchema = z.object({
  commissionId: z.number().int(),
  code: z.string(),
  title: z.string(),
  givenBy: CommissionGiverSchema,
  yearGiven: z.number().int(),
  deadline: z.string().nullable(),
  responsible: OrganisationRefSchema,
  participants: z.array(OrganisationRefSchema),
  state: CommissionStateSchema.nullable(),
  text: z.string().nullable(),
  /** Reported back (`reported`) in this period or an earlier one. */
  reported: z.boolean(),
  /** Not reported back and its deadline (återrapporteras senast) falls within the period or before it. */
  overdue: z.boolean(),
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
      /** Every activity the organisation reports on (KF's and its own), by state. */
      activities: ActivityCountsSchema,
      /** The uppdrag it is responsible for, by state. */
      commissions: CommissionCountsSchema,
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
          tolerance: z.number().nullable(),
          frequency: FrequencySchema,
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
      request: AmbitionRequestSchema.omit({ events: true })
        .nullable()
        .describe('The centre’s request that the organisation return with a more ambitious årsmål (KS’s ambition loop); null: none sent.'),
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
  goalAssessments: z.array(ConsolidationGoalSchema).describe('Every nämndmål of every organisation, assessed or not, by organisation and code.'),
  goalRollup: GoalRollupSchema,
  forecastAccuracy: z
    .array(ForecastAccuracySchema)
    .describe(
      "Per organisation and indicator with a forecast to judge (every tertial indicator; an annual one when it has a T1 or T2 forecast), the year's forecasts against the VB outcome.",
    ),
  notReported: z.array(z.string()),
  /** Every KF activity of the year with every reporting organisation's state. */
  activities: z.array(
    z.object({
      activityId: z.number().int(),
      code: z.string(),
      title: z.string(),
      kfGoalCode: z.string(),
      kfGoalTitle: z.string(),
      startDate: z.string().nullable(),
      endDate: z.string().nullable(),
      counts: ActivityCountsSchema,
      results: z.array(z.object({ organisation: z.string(), state: ActivityStateSchema.nullable(), comment: z.string().nullable() })),
    }),
  ),
  /** Every uppdrag running in the year: given in it or earlier, not reported back in an earlier year. */
  commissions: z.array(ConsolidationCommissionSchema),
  /** Uppdrag som inte återrapporterats: the running uppdrag not reported back by this period. */
  commissionsNotReported: z.array(ConsolidationCommissionSchema),
  /** Intern kontroll: assessments, the generated sentence, controls not performed, deviations, the risk matrix (docs/api-extensions.md). */
  internalControl: ConsolidationInternalControlSchema,
});

const SignalCountsSchema = z.object({
  goals: z.number().int(),
  indicators: z.number().int(),
  activities: z.number().int(),
  /** Uppdrag given that year (KF: by KF or KS; an organisation: those it is responsible for or takes part in). */
  commissions: z.number().int(),
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
export type AssessmentCounts = z.infer<typeof AssessmentCountsSchema>;
export type ConsolidationGoal = z.infer<typeof ConsolidationGoalSchema>;
export type GoalRollup = z.infer<typeof GoalRollupSchema>;
export type ForecastAccuracy = z.infer<typeof ForecastAccuracySchema>;
export type CommissionCounts = z.infer<typeof CommissionCountsSchema>;
export type ConsolidationCommission = z.infer<typeof ConsolidationCommissionSchema>;
export type SteeringSignals = z.infer<typeof SteeringSignalsSchema>;
