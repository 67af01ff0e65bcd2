import { z } from 'zod';
import {
  DirectionSchema,
  FrequencySchema,
  OrganisationCodeSchema,
  OrganisationSchema,
  YearSchema,
} from './common';

const Code = z.string().trim().min(1).max(32);
const Title = z.string().trim().min(1).max(500);
const Target = z.number().finite();

/** An indicator as a plan document states it (the shape of data-seed/reference-budget.json). */
export const PlanIndicatorInputSchema = z
  .object({
    code: Code,
    title: Title,
    unit: z.string().trim().min(1).max(40),
    direction: DirectionSchema,
    tolerance: z.number().finite().min(0).optional(),
    frequency: FrequencySchema,
    annualTarget: Target.nullable().optional(),
    illustrativeTarget: z.boolean().optional(),
    source: z.string().trim().max(100).optional(),
    partialThresholdPercent: z.number().gt(0).lt(100).optional(),
    /** Organisations that report on this indicator; when absent, last year's carry on. */
    reportedBy: z.array(OrganisationCodeSchema).optional(),
  })
  .refine((i) => i.direction !== 'band' || i.tolerance !== undefined, {
    message: 'a band indicator needs a tolerance',
    path: ['tolerance'],
  });

export const PlanActivityInputSchema = z.object({ code: Code, title: Title });

export const PlanKfGoalInputSchema = z.object({
  code: Code,
  title: Title,
  indicators: z.array(PlanIndicatorInputSchema).default([]),
  activities: z.array(PlanActivityInputSchema).default([]),
});

export const PlanDirectionGoalInputSchema = z.object({
  code: Code,
  title: Title,
  kfGoals: z.array(PlanKfGoalInputSchema),
});

export const OrganisationGoalInputSchema = z.object({
  organisation: OrganisationCodeSchema,
  kfGoal: Code,
  code: Code,
  title: Title,
  activities: z.array(PlanActivityInputSchema).default([]),
});

export const OrganisationTargetInputSchema = z.object({
  organisation: OrganisationCodeSchema,
  indicator: Code,
  annualTarget: Target,
});

/** A plan document: KF's plan for a year, optionally with organisations, their goals and targets. */
export const PlanDocumentSchema = z
  .object({
    about: z.string().optional(),
    year: YearSchema,
    assessmentDefaults: z.object({ partialThresholdPercent: z.number().gt(0).lt(100) }).optional(),
    organisations: z.array(OrganisationSchema).default([]),
    directionGoals: z.array(PlanDirectionGoalInputSchema),
    organisationGoals: z.array(OrganisationGoalInputSchema).default([]),
    organisationTargets: z.array(OrganisationTargetInputSchema).default([]),
    facts: z.unknown().optional(),
  })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, string>();
    doc.directionGoals.forEach((dg, d) =>
      dg.kfGoals.forEach((g, k) =>
        g.indicators.forEach((i, n) => {
          const where = `directionGoals[${d}].kfGoals[${k}].indicators[${n}]`;
          const first = seen.get(i.code);
          if (first) {
            ctx.addIssue({
              code: 'custom',
              path: ['directionGoals', d, 'kfGoals', k, 'indicators', n, 'code'],
              message: `indicator code ${i.code} appears twice (also at ${first})`,
            });
          } else seen.set(i.code, where);
        }),
      ),
    );
  });

export type PlanDocument = z.infer<typeof PlanDocumentSchema>;
export type PlanDocumentInput = z.input<typeof PlanDocumentSchema>;

export const PlanIndicatorSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  direction: DirectionSchema,
  tolerance: z.number().nullable(),
  frequency: FrequencySchema,
  annualTarget: z.number().nullable(),
  source: z.string().nullable(),
});

export const ActivitySchema = z.object({ id: z.number().int(), code: z.string(), title: z.string() });

export const KfPlanSchema = z.object({
  year: z.number().int(),
  partialThresholdPercent: z.number(),
  directionGoals: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      title: z.string(),
      kfGoals: z.array(
        z.object({
          id: z.number().int(),
          code: z.string(),
          title: z.string(),
          indicators: z.array(PlanIndicatorSchema),
          activities: z.array(ActivitySchema),
        }),
      ),
    }),
  ),
});

export const OrgPlanIndicatorSchema = PlanIndicatorSchema.extend({
  kfTarget: z.number().nullable(),
  orgTarget: z.number().nullable(),
  belowKfAmbition: z.boolean(),
  owner: z.enum(['kf', 'organisation']),
});

export const OrgPlanSchema = z.object({
  year: z.number().int(),
  organisation: OrganisationSchema,
  goals: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      title: z.string(),
      kfGoal: z.object({ id: z.number().int(), code: z.string(), title: z.string() }),
      indicators: z.array(OrgPlanIndicatorSchema),
      activities: z.array(ActivitySchema),
    }),
  ),
  /** Every indicator the organisation reports on, also those under a KF goal it has no own goal for. */
  indicators: z.array(OrgPlanIndicatorSchema.extend({ kfGoalCode: z.string().nullable() })),
});

export const SetTargetsRequestSchema = z
  .object({
    targets: z
      .array(
        z
          .object({
            indicatorId: z.number().int().positive(),
            annualTarget: z.union([z.number(), z.string(), z.null()]),
            /** The nämnd årsmål the client read (null: none). When given and another user has changed it since: 409. */
            baseAnnualTarget: z.union([z.number(), z.string(), z.null()]).optional(),
          })
          .strict(),
      )
      .max(5000),
  })
  .strict();

export type KfPlan = z.infer<typeof KfPlanSchema>;
export type OrgPlan = z.infer<typeof OrgPlanSchema>;
export type SetTargetsRequest = z.infer<typeof SetTargetsRequestSchema>;
