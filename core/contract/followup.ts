import { z } from 'zod';
import { OrganisationKindSchema } from './common';

/**
 * Activities and uppdrag in a report (DOMAIN.md, "Activities and uppdrag"): what a report shows
 * of each, beside the indicators and goals, and the evidence a goal's assessment rests on.
 */
export const ActivityStateSchema = z.enum(['not_started', 'ongoing', 'done', 'cancelled']);
export const CommissionStateSchema = z.enum(['not_started', 'ongoing', 'done', 'reported']);
export const CommissionGiverSchema = z.enum(['KF', 'KS']);

export const ACTIVITY_STATE_LABELS = {
  not_started: 'ej påbörjad',
  ongoing: 'pågår',
  done: 'genomförd',
  cancelled: 'avbruten',
} as const satisfies Record<ActivityState, string>;

export const COMMISSION_STATE_LABELS = {
  not_started: 'ej påbörjat',
  ongoing: 'pågår',
  done: 'slutfört',
  reported: 'återrapporterat',
} as const satisfies Record<CommissionState, string>;

const IsoDate = z.string().describe('A date, YYYY-MM-DD.');

export const ReportActivitySchema = z.object({
  activityId: z.number().int(),
  code: z.string(),
  title: z.string(),
  /** Who decided it: KF (under a KF goal, reported on by the organisations it names) or the organisation (under its nämndmål). */
  owner: z.enum(['kf', 'organisation']),
  goalId: z.number().int().nullable().describe("The nämndmål an organisation's own activity belongs to; null for KF activities."),
  goalCode: z.string().nullable(),
  goalTitle: z.string().nullable(),
  kfGoalCode: z.string(),
  kfGoalTitle: z.string(),
  startDate: IsoDate.nullable(),
  endDate: IsoDate.nullable(),
  state: ActivityStateSchema.nullable(),
  comment: z.string().nullable(),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export const OrganisationRefSchema = z.object({ code: z.string(), name: z.string() });

export const ReportCommissionSchema = z.object({
  commissionId: z.number().int(),
  code: z.string(),
  title: z.string(),
  givenBy: CommissionGiverSchema,
  yearGiven: z.number().int(),
  deadline: IsoDate.nullable().describe('Återrapporteras senast.'),
  responsible: OrganisationRefSchema,
  participants: z.array(OrganisationRefSchema).describe('The organisations taking part (i samverkan med).'),
  state: CommissionStateSchema.nullable(),
  text: z.string().nullable(),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export const ActivityCountsSchema = z.object({
  done: z.number().int(),
  ongoing: z.number().int(),
  notStarted: z.number().int(),
  cancelled: z.number().int(),
  /** No state given yet. */
  missing: z.number().int(),
});

/** What a goal's assessment rests on: its indicators' statuses and its activities' states (the suggestion itself stays the indicator rule). */
export const GoalEvidenceSchema = z.object({
  indicators: z.object({
    helt: z.number().int(),
    delvis: z.number().int(),
    ej: z.number().int(),
    missing: z.number().int(),
    notDue: z.number().int().describe('Annual indicators before VB: reported in the verksamhetsberättelse, not missing.'),
  }),
  activities: ActivityCountsSchema,
});

// --- the plan's view ---------------------------------------------------------------------

export const PlanActivitySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  startDate: IsoDate.nullable(),
  endDate: IsoDate.nullable(),
});

export const KfPlanActivitySchema = PlanActivitySchema.extend({
  reportedBy: z.array(z.string()).describe('The organisations that report on this KF activity.'),
});

export const PlanCommissionSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  givenBy: CommissionGiverSchema,
  yearGiven: z.number().int(),
  deadline: IsoDate.nullable(),
  responsible: OrganisationRefSchema.extend({ kind: OrganisationKindSchema }),
  participants: z.array(OrganisationRefSchema),
});

export type ActivityState = z.infer<typeof ActivityStateSchema>;
export type CommissionState = z.infer<typeof CommissionStateSchema>;
export type CommissionGiver = z.infer<typeof CommissionGiverSchema>;
export type ReportActivity = z.infer<typeof ReportActivitySchema>;
export type ReportCommission = z.infer<typeof ReportCommissionSchema>;
export type ActivityCounts = z.infer<typeof ActivityCountsSchema>;
export type GoalEvidence = z.infer<typeof GoalEvidenceSchema>;
export type PlanActivity = z.infer<typeof PlanActivitySchema>;
export type PlanCommission = z.infer<typeof PlanCommissionSchema>;
