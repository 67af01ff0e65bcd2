import { z } from 'zod';
import { DirectionSchema, FrequencySchema, OrganisationCodeSchema, OrganisationSchema } from './common';
import { plainText } from './text';
import { PlanStatusSchema } from './plan-review';
import { CommissionGiverSchema, KfPlanActivitySchema, PlanActivitySchema, PlanCommissionSchema } from './followup';
import { PlanInternalControlInputSchema, PlanInternalControlSchema } from './internal-control';
import { internalControlIssues } from '../domain/internal-control-rules';

const Code = plainText(z.string().trim().min(1).max(32));
/** A year in a document is a JSON number: "2023" in quotes is refused, not read as 2023 (the path's YearSchema coerces; a document does not). */
const DocumentYear = z
  .number({ error: (issue) => (issue.input === undefined ? undefined : `must be a number such as 2023, without quotes (got ${JSON.stringify(issue.input)})`) })
  .int()
  .min(2000)
  .max(2100);
const Title = plainText(z.string().trim().min(1).max(500));
const Target = z.number().finite();

/** An indicator as a plan document states it (the shape of data-seed/reference-budget.json). */
export const PlanIndicatorInputSchema = z
  .object({
    code: Code,
    title: Title,
    unit: plainText(z.string().trim().min(1).max(40)),
    direction: DirectionSchema,
    tolerance: z.number().finite().min(0).optional(),
    frequency: FrequencySchema,
    annualTarget: Target.nullable().optional(),
    illustrativeTarget: z.boolean().optional(),
    source: plainText(z.string().trim().max(100)).optional(),
    partialThresholdPercent: z.number().gt(0).lt(100).optional(),
    /** Organisations that report on this indicator; when absent, last year's carry on. */
    reportedBy: z.array(OrganisationCodeSchema).optional(),
  })
  .refine((i) => i.direction !== 'band' || i.tolerance !== undefined, {
    message: 'a band indicator needs a tolerance',
    path: ['tolerance'],
  });

const activityFields = {
  code: Code,
  title: Title,
  startDate: z.iso.date().optional(),
  endDate: z.iso.date().optional(),
};
const datesInOrder = (a: { startDate?: string; endDate?: string }) => !a.startDate || !a.endDate || a.startDate <= a.endDate;
const datesMessage = { message: 'endDate is before startDate', path: ['endDate'] };

/** A nämnd's activity under its nämndmål (reported on by the organisation itself). */
export const PlanActivityInputSchema = z.object(activityFields).refine(datesInOrder, datesMessage);

/** A KF activity under a KF goal, reported on by the organisations it names. */
export const PlanKfActivityInputSchema = z
  .object({
    ...activityFields,
    /** Organisations that report on this activity; when absent, those of the same code the year before carry on. */
    reportedBy: z.array(OrganisationCodeSchema).optional(),
  })
  .refine(datesInOrder, datesMessage);

/** An uppdrag, identified by its code and the year it was given; listed again in later years' documents while it runs. */
export const PlanCommissionInputSchema = z.object({
  code: Code,
  title: Title,
  givenBy: CommissionGiverSchema,
  yearGiven: DocumentYear,
  /** Återrapporteras senast. */
  deadline: z.iso.date().nullable().optional(),
  responsible: OrganisationCodeSchema,
  /** I samverkan med. */
  participants: z.array(OrganisationCodeSchema).default([]),
});

export const PlanKfGoalInputSchema = z.object({
  code: Code,
  title: Title,
  indicators: z.array(PlanIndicatorInputSchema).default([]),
  activities: z.array(PlanKfActivityInputSchema).default([]),
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
    year: DocumentYear,
    assessmentDefaults: z.object({ partialThresholdPercent: z.number().gt(0).lt(100) }).optional(),
    organisations: z.array(OrganisationSchema.extend({ name: plainText(z.string().min(1)) })).default([]),
    directionGoals: z.array(PlanDirectionGoalInputSchema),
    organisationGoals: z.array(OrganisationGoalInputSchema).default([]),
    organisationTargets: z.array(OrganisationTargetInputSchema).default([]),
    commissions: z.array(PlanCommissionInputSchema).default([]),
    /** Organisations' risk analysis and control plan for the year (docs/api-extensions.md, "Intern kontroll"). */
    internalControl: z.array(PlanInternalControlInputSchema).default([]),
    facts: z.unknown().optional(),
  })
  .superRefine((doc, ctx) => {
    followupIssues(doc).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    internalControlIssues(doc.internalControl).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
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

/** KF activity codes once per document; an uppdrag once per code and year given, given no later than the plan's year, its responsible not also taking part. */
function followupIssues(doc: {
  year: number;
  directionGoals: { kfGoals: { activities: { code: string }[] }[] }[];
  commissions: z.infer<typeof PlanCommissionInputSchema>[];
}): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const activities = new Map<string, string>();
  doc.directionGoals.forEach((dg, d) =>
    dg.kfGoals.forEach((g, k) =>
      g.activities.forEach((a, n) => {
        const first = activities.get(a.code);
        if (first) issues.push({ path: ['directionGoals', d, 'kfGoals', k, 'activities', n, 'code'], message: `activity code ${a.code} appears twice (also at ${first})` });
        else activities.set(a.code, `directionGoals[${d}].kfGoals[${k}].activities[${n}]`);
      }),
    ),
  );
  const commissions = new Map<string, number>();
  doc.commissions.forEach((c, n) => {
    const key = `${c.code} ${c.yearGiven}`;
    const first = commissions.get(key);
    if (first !== undefined) issues.push({ path: ['commissions', n, 'code'], message: `uppdrag ${c.code} given ${c.yearGiven} appears twice (also at commissions[${first}])` });
    else commissions.set(key, n);
    if (c.yearGiven > doc.year) issues.push({ path: ['commissions', n, 'yearGiven'], message: `given ${c.yearGiven}, after the plan's year ${doc.year}` });
    const both = c.participants.indexOf(c.responsible);
    if (both !== -1) issues.push({ path: ['commissions', n, 'participants', both], message: `${c.responsible} is responsible, not also taking part` });
  });
  return issues;
}

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
          activities: z.array(KfPlanActivitySchema),
        }),
      ),
    }),
  ),
  commissions: z.array(PlanCommissionSchema).describe('The uppdrag running in the year: given in it or earlier, not reported back in an earlier year.'),
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
      activities: z.array(PlanActivitySchema),
    }),
  ),
  /** Every indicator the organisation reports on, also those under a KF goal it has no own goal for. */
  indicators: z.array(OrgPlanIndicatorSchema.extend({ kfGoalCode: z.string().nullable() })),
  /** Every activity the organisation reports on: the KF activities it is named for, and its own. */
  activities: z.array(PlanActivitySchema.extend({ owner: z.enum(['kf', 'organisation']), kfGoalCode: z.string(), goalCode: z.string().nullable() })),
  /** The uppdrag running in the year that the organisation is responsible for or takes part in. */
  commissions: z.array(PlanCommissionSchema.extend({ role: z.enum(['responsible', 'participant']) })),
  /** The plan's state: draft → submitted → approved, or back to draft (docs/api-extensions.md). */
  planState: PlanStatusSchema,
  /** The organisation's väsentlighets- och riskanalys and internkontrollplan of the year. */
  internalControl: PlanInternalControlSchema,
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

/** One change to a year's plan (an årsmål, or the plan's state), values as stored (numbers as text, null for none). */
export const PlanHistoryEntrySchema = z.object({
  at: z.string(),
  /** The user id (token `sub`). */
  by: z.string(),
  byName: z.string().nullable(),
  entity: z.enum(['indicator', 'plan']),
  entityId: z.number().int().nullable(),
  entityCode: z.string().nullable(),
  field: z.enum(['annualTarget', 'state']),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  requestId: z.string().nullable(),
});

export type KfPlan = z.infer<typeof KfPlanSchema>;
export type OrgPlan = z.infer<typeof OrgPlanSchema>;
export type SetTargetsRequest = z.infer<typeof SetTargetsRequestSchema>;
export type PlanHistoryEntry = z.infer<typeof PlanHistoryEntrySchema>;
