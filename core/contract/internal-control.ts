import { z } from 'zod';
import { OrganisationCodeSchema } from './common';
import { plainText } from './text';

/**
 * Intern kontroll in the verksamhetsplan (DOMAIN.md, "Internal control"): per organisation and
 * year a väsentlighets- och riskanalys (risks, each with probability and consequence 1–4 and a
 * decision) and an internkontrollplan (the controls of the risks decided `control`).
 */

/** What the nämnd decides about a risk: accept it, act on it (an åtgärd), or control it. */
export const RiskDecisionSchema = z.enum(['accept', 'act', 'control']);
export type RiskDecision = z.infer<typeof RiskDecisionSchema>;
export const RISK_DECISION_LABELS: Readonly<Record<RiskDecision, string>> = { accept: 'acceptera', act: 'åtgärda', control: 'kontrollera' };

/** When a control is reported on: the tertialrapport T2, the verksamhetsberättelse, or both. */
export const ControlReportingPeriodSchema = z.enum(['T2', 'VB']);
export type ControlReportingPeriod = z.infer<typeof ControlReportingPeriodSchema>;

/** Probability or consequence: 1 (låg) to 4 (mycket hög). */
export const RiskScaleSchema = z.number().int().min(1).max(4);

const Code = plainText(z.string().trim().min(1).max(32));
const text = (max: number) => plainText(z.string().trim().min(1).max(max));

/** A control of the internkontrollplan, as a plan document states it. */
export const PlanControlInputSchema = z.object({
  code: Code,
  /** Kontrollmoment: what is checked. */
  checked: text(1000),
  /** Kontrollmetod. */
  method: text(1000),
  /** Frekvens, in words ("varje månad", "två gånger per år"). */
  frequency: text(200),
  /** Ansvarig: a role or a unit, not a person's name. */
  responsible: text(200),
  /** When it is reported: T2, VB or both. */
  reportingPeriods: z.array(ControlReportingPeriodSchema).min(1).max(2),
});

/** A risk of the väsentlighets- och riskanalys, with its controls when decided `control`. */
export const PlanRiskInputSchema = z.object({
  code: Code,
  process: text(200),
  description: text(2000),
  probability: RiskScaleSchema,
  consequence: RiskScaleSchema,
  decision: RiskDecisionSchema,
  /** The åtgärd: required when the decision is `act`. */
  action: text(2000).nullable().optional(),
  controls: z.array(PlanControlInputSchema).default([]),
});

/** One organisation's risk analysis and control plan for the document's year. */
export const PlanInternalControlInputSchema = z.object({
  organisation: OrganisationCodeSchema,
  risks: z.array(PlanRiskInputSchema).max(500),
});

export type PlanControlInput = z.infer<typeof PlanControlInputSchema>;
export type PlanRiskInput = z.infer<typeof PlanRiskInputSchema>;
export type PlanInternalControlInput = z.infer<typeof PlanInternalControlInputSchema>;

export const PlanControlSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  checked: z.string(),
  method: z.string(),
  frequency: z.string(),
  responsible: z.string(),
  reportingPeriods: z.array(ControlReportingPeriodSchema),
});

export const PlanRiskSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  process: z.string(),
  description: z.string(),
  probability: z.number().int(),
  consequence: z.number().int(),
  riskValue: z.number().int().describe('probability × consequence, 1–16'),
  riskLevel: z.enum(['low', 'medium', 'high', 'very_high']).describe('low 1–3, medium 4–6, high 8–9, very_high 12–16'),
  decision: RiskDecisionSchema,
  action: z.string().nullable(),
  controls: z.array(PlanControlSchema),
});

/** An organisation's internal control of a year, as GET …/plan shows it. */
export const PlanInternalControlSchema = z.object({
  risks: z.array(PlanRiskSchema),
  /** Risks per cell: `matrix[probability - 1][consequence - 1]`. */
  matrix: z.array(z.array(z.number().int()).length(4)).length(4),
});

export type PlanControl = z.infer<typeof PlanControlSchema>;
export type PlanRisk = z.infer<typeof PlanRiskSchema>;
export type PlanInternalControl = z.infer<typeof PlanInternalControlSchema>;

// --- follow-up in reports (T2, VB) and the VB assessment ------------------------------------

export const ControlPerformedSchema = z.enum(['yes', 'no']);
export const ControlResultSchema = z.enum(['no_deviation', 'deviation']);
/** The nämnd's assessment of its internal control at VB. */
export const InternalControlJudgementSchema = z.enum(['sufficient', 'partly', 'insufficient']);
export type ControlPerformed = z.infer<typeof ControlPerformedSchema>;
export type ControlResult = z.infer<typeof ControlResultSchema>;
export type InternalControlJudgement = z.infer<typeof InternalControlJudgementSchema>;

export const CONTROL_PERFORMED_LABELS = { yes: 'ja', no: 'nej' } as const satisfies Record<ControlPerformed, string>;
export const CONTROL_RESULT_LABELS = { no_deviation: 'utan avvikelse', deviation: 'avvikelse' } as const satisfies Record<ControlResult, string>;
export const JUDGEMENT_LABELS = {
  sufficient: 'tillräcklig',
  partly: 'delvis tillräcklig',
  insufficient: 'inte tillräcklig',
} as const satisfies Record<InternalControlJudgement, string>;

/** A control's follow-up row in a report (T2 or VB, the periods the control is reported in). */
export const ReportControlSchema = z.object({
  controlId: z.number().int(),
  code: z.string(),
  checked: z.string().describe('Kontrollmoment: what is checked.'),
  method: z.string(),
  frequency: z.string(),
  responsible: z.string(),
  reportingPeriods: z.array(ControlReportingPeriodSchema),
  riskCode: z.string(),
  riskProcess: z.string(),
  riskDescription: z.string(),
  riskValue: z.number().int(),
  performed: ControlPerformedSchema.nullable(),
  result: ControlResultSchema.nullable(),
  findings: z.string().nullable(),
  actionTaken: z.string().nullable(),
  reason: z.string().nullable().describe('Why the control was not performed; required when performed is no.'),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

/** The VB's assessment of the internal control: one row, keyed by the report (`reportId`). */
export const ReportInternalControlSchema = z.object({
  reportId: z.number().int(),
  judgement: InternalControlJudgementSchema.nullable(),
  motivation: z.string().nullable().describe('Required unless the judgement is sufficient.'),
  controls: z.number().int().describe("The controls of the organisation's plan reported at VB."),
  notPerformed: z.number().int(),
  deviations: z.number().int(),
  version: z.number().int(),
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

export type ReportControl = z.infer<typeof ReportControlSchema>;
export type ReportInternalControl = z.infer<typeof ReportInternalControlSchema>;

// --- consolidation -------------------------------------------------------------------------------

/** The city's picture of intern kontroll in a period's consolidation (T2: the follow-up so far; VB: with the assessments). */
export const ConsolidationInternalControlSchema = z.object({
  /** The sentence the annual report needs, from the VB assessments ("Alla nämnder utom fyra bedömer …"); null before VB. */
  sentence: z.string().nullable(),
  organisations: z.array(
    z.object({
      organisation: z.string(),
      name: z.string(),
      judgement: InternalControlJudgementSchema.nullable(),
      motivation: z.string().nullable(),
      risks: z.number().int(),
      controls: z.number().int().describe("Control rows of the organisation's report in this period."),
      notPerformed: z.number().int(),
      deviations: z.number().int(),
      missing: z.number().int().describe('Control rows without an answer to performed.'),
    }),
  ),
  /** Controls not performed this period, by organisation and code, with the reason. */
  notPerformed: z.array(z.object({ organisation: z.string(), code: z.string(), checked: z.string(), reason: z.string().nullable() })),
  /** Controls that found a deviation this period, with what was found and the action taken. */
  deviations: z.array(z.object({ organisation: z.string(), code: z.string(), checked: z.string(), findings: z.string().nullable(), actionTaken: z.string().nullable() })),
  /** The whole city's risks per cell: `matrix[probability - 1][consequence - 1]` (each organisation's own is in its plan). */
  matrix: z.array(z.array(z.number().int()).length(4)).length(4),
});
export type ConsolidationInternalControl = z.infer<typeof ConsolidationInternalControlSchema>;
