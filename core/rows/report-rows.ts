import { AssessmentSchema, type PeriodCode } from '../contract/common';
import { ACTIVITY_STATE_LABELS, ActivityStateSchema, COMMISSION_STATE_LABELS, CommissionStateSchema } from '../contract/followup';
import {
  CONTROL_PERFORMED_LABELS,
  CONTROL_RESULT_LABELS,
  ControlPerformedSchema,
  ControlResultSchema,
  InternalControlJudgementSchema,
  JUDGEMENT_LABELS,
} from '../contract/internal-control';
import { z } from 'zod';
import { storedSchema, type RowKindSpec, type RowWrite, type RowWriteInput, type StoredValues } from './row-kind';

/**
 * The row kinds of a report (tertialrapport or verksamhetsberättelse). Each is described once
 * here; everything else derives from these entries.
 */
export const INDICATOR_RESULTS = {
  kind: 'indicators',
  idKey: 'indicatorId',
  idLabel: 'Indikator',
  unknownCode: 'UNKNOWN_INDICATOR',
  historyEntity: 'indicator',
  table: 'indicator_result',
  keyColumn: 'indicator_id',
  fields: {
    outcome: { type: 'number', label: 'Utfall', sheet: { header: 'Utfall', width: 15 } },
    forecast: { type: 'number', label: 'Prognos', sheet: { header: 'Prognos helår', width: 15 } },
    comment: { type: 'text', label: 'Kommentar', maxLength: 2000, sheet: { header: 'Kommentar', width: 40, wrap: true } },
  },
  derived: ['status'],
} as const satisfies RowKindSpec;

export const GOAL_ASSESSMENTS = {
  kind: 'goals',
  idKey: 'goalId',
  idLabel: 'Mål',
  unknownCode: 'UNKNOWN_GOAL',
  historyEntity: 'goal',
  table: 'goal_assessment',
  keyColumn: 'org_goal_id',
  fields: {
    assessment: {
      type: 'choice',
      label: 'Bedömning',
      options: AssessmentSchema.options,
      optionLabels: (period: PeriodCode) =>
        period === 'VB'
          ? { helt: 'uppfyllt helt', delvis: 'uppfyllt delvis', ej: 'ej uppfyllt' }
          : { helt: 'förväntas uppfyllas helt', delvis: 'förväntas uppfyllas delvis', ej: 'förväntas ej uppfyllas' },
      sheet: { header: 'Bedömning', width: 24, wrap: true },
    },
    motivation: { type: 'text', label: 'Motivering', maxLength: 4000, sheet: { header: 'Motivering (krävs vid avvikelse)', width: 40, wrap: true } },
    analysis: { type: 'text', label: 'Analys', maxLength: 20000, sheet: { header: 'Analys', width: 50, wrap: true } },
  },
  derived: [],
} as const satisfies RowKindSpec;

/** The follow-up of an activity (a KF activity the organisation reports on, or one under its own nämndmål). */
export const ACTIVITY_FOLLOWUPS = {
  kind: 'activities',
  idKey: 'activityId',
  idLabel: 'Aktivitet',
  unknownCode: 'UNKNOWN_ACTIVITY',
  historyEntity: 'activity',
  table: 'activity_followup',
  keyColumn: 'activity_id',
  fields: {
    state: {
      type: 'choice',
      label: 'Status',
      options: ActivityStateSchema.options,
      optionLabels: ACTIVITY_STATE_LABELS,
      sheet: { header: 'Status', width: 14 },
    },
    comment: {
      type: 'text',
      label: 'Kommentar',
      maxLength: 4000,
      sheet: { header: 'Kommentar (krävs om avbruten, och vid VB om inte genomförd)', width: 50, wrap: true },
    },
  },
  derived: [],
} as const satisfies RowKindSpec;

/** The follow-up of an uppdrag, by the organisation responsible for it. */
export const COMMISSION_FOLLOWUPS = {
  kind: 'commissions',
  idKey: 'commissionId',
  idLabel: 'Uppdrag',
  unknownCode: 'UNKNOWN_COMMISSION',
  historyEntity: 'commission',
  table: 'commission_followup',
  keyColumn: 'commission_id',
  fields: {
    state: {
      type: 'choice',
      label: 'Status',
      options: CommissionStateSchema.options,
      optionLabels: COMMISSION_STATE_LABELS,
      sheet: { header: 'Status', width: 16 },
    },
    text: { type: 'text', label: 'Redovisning', maxLength: 20000, sheet: { header: 'Redovisning', width: 60, wrap: true } },
  },
  derived: [],
} as const satisfies RowKindSpec;

/** The follow-up of a control of the internkontrollplan, at T2 and VB (the periods the control is reported in). */
export const CONTROL_FOLLOWUPS = {
  kind: 'controls',
  idKey: 'controlId',
  idLabel: 'Kontroll',
  unknownCode: 'UNKNOWN_CONTROL',
  historyEntity: 'control',
  table: 'control_followup',
  keyColumn: 'control_id',
  fields: {
    performed: {
      type: 'choice',
      label: 'Genomförd',
      options: ControlPerformedSchema.options,
      optionLabels: CONTROL_PERFORMED_LABELS,
      sheet: { header: 'Genomförd', width: 11 },
    },
    result: { type: 'choice', label: 'Resultat', options: ControlResultSchema.options, optionLabels: CONTROL_RESULT_LABELS, sheet: { header: 'Resultat', width: 16 } },
    findings: { type: 'text', label: 'Iakttagelser', maxLength: 4000, sheet: { header: 'Iakttagelser (krävs vid avvikelse)', width: 40, wrap: true } },
    actionTaken: { type: 'text', label: 'Vidtagen åtgärd', maxLength: 4000, sheet: { header: 'Vidtagen åtgärd', width: 36, wrap: true } },
    reason: { type: 'text', label: 'Skäl', maxLength: 2000, sheet: { header: 'Skäl (krävs om ej genomförd)', width: 32, wrap: true } },
  },
  derived: [],
} as const satisfies RowKindSpec;

/** The verksamhetsberättelse's assessment of the internal control: one row per report, keyed by the report. */
export const INTERNAL_CONTROL_ASSESSMENTS = {
  kind: 'internalControl',
  idKey: 'reportId',
  idLabel: 'Intern kontroll',
  unknownCode: 'UNKNOWN_INTERNAL_CONTROL',
  historyEntity: 'internal_control',
  table: 'ic_assessment',
  keyColumn: 'report_id',
  fields: {
    judgement: {
      type: 'choice',
      label: 'Bedömning av den interna kontrollen',
      options: InternalControlJudgementSchema.options,
      optionLabels: JUDGEMENT_LABELS,
      sheet: { header: 'Bedömning', width: 20, wrap: true },
    },
    motivation: { type: 'text', label: 'Motivering', maxLength: 4000, sheet: { header: 'Motivering (krävs om inte tillräcklig)', width: 60, wrap: true } },
  },
  derived: [],
} as const satisfies RowKindSpec;

/** A report's row kinds, in the order they appear in the contract and the sheet. */
export const REPORT_ROW_KINDS = {
  indicators: INDICATOR_RESULTS,
  goals: GOAL_ASSESSMENTS,
  activities: ACTIVITY_FOLLOWUPS,
  commissions: COMMISSION_FOLLOWUPS,
  controls: CONTROL_FOLLOWUPS,
  internalControl: INTERNAL_CONTROL_ASSESSMENTS,
} as const;
export type RowKind = keyof typeof REPORT_ROW_KINDS;
export type ReportRowSpec = (typeof REPORT_ROW_KINDS)[RowKind];
export const ROW_KINDS = Object.keys(REPORT_ROW_KINDS) as RowKind[];

export type IndicatorWrite = RowWrite<typeof INDICATOR_RESULTS>;
export type GoalWrite = RowWrite<typeof GOAL_ASSESSMENTS>;
export type ActivityWrite = RowWrite<typeof ACTIVITY_FOLLOWUPS>;
export type CommissionWrite = RowWrite<typeof COMMISSION_FOLLOWUPS>;
export type ControlWrite = RowWrite<typeof CONTROL_FOLLOWUPS>;
export type InternalControlWrite = RowWrite<typeof INTERNAL_CONTROL_ASSESSMENTS>;

/** A report write as the server has parsed it: rows of every kind. */
export type ReportWrite = { [K in RowKind]: RowWrite<(typeof REPORT_ROW_KINDS)[K]>[] };
/** A report write as a client sends it (the body of PUT …/reports/{period}). */
export type ReportWriteRequest = { [K in RowKind]?: RowWriteInput<(typeof REPORT_ROW_KINDS)[K]>[] };

/** What was read, per kind and row key: the base for finding what a user changed. */
export type Snapshot = { [K in RowKind]: Record<string, StoredValues<(typeof REPORT_ROW_KINDS)[K]>> };

/** The snapshot as a schema (a boundary: settings in a workbook, a workbook's hidden identity). */
export const SnapshotSchema = z.object(
  // A kind missing from a snapshot kept before it existed had no rows then.
  Object.fromEntries(ROW_KINDS.map((kind) => [kind, z.record(z.string(), storedSchema(REPORT_ROW_KINDS[kind] as RowKindSpec)).default({})])),
) as unknown as z.ZodType<Snapshot>;
