import type { ColumnType, Generated } from 'kysely';

/** PostgreSQL `numeric` comes back as a string from both drivers; written as number or string. */
export type Numeric = ColumnType<string, number | string, number | string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type OrganisationKind = 'stadsdelsnamnd' | 'facknamnd' | 'bolag';
export type Direction = 'higher' | 'lower' | 'band';
export type Frequency = 'tertial' | 'annual';
export type PeriodCode = 'T1' | 'T2' | 'VB';
export type Assessment = 'helt' | 'delvis' | 'ej';

export interface OrganisationTable {
  code: string;
  name: string;
  kind: OrganisationKind;
}

export interface BudgetYearTable {
  year: number;
  partial_threshold_percent: ColumnType<string, number | string | undefined, number | string>;
}

export interface DirectionGoalTable {
  id: Generated<number>;
  year: number;
  code: string;
  title: string;
}

export interface KfGoalTable {
  id: Generated<number>;
  direction_goal_id: number;
  year: number;
  code: string;
  title: string;
}

export interface OrgGoalTable {
  id: Generated<number>;
  year: number;
  organisation_code: string;
  kf_goal_id: number;
  code: string;
  title: string;
}

export interface IndicatorTable {
  id: Generated<number>;
  year: number;
  kf_goal_id: number | null;
  org_goal_id: number | null;
  owner_organisation_code: string | null;
  code: string;
  title: string;
  unit: string;
  direction: Direction;
  tolerance: Numeric | null;
  frequency: Frequency;
  source: string | null;
  kf_annual_target: Numeric | null;
  partial_threshold_percent: Numeric | null;
}

export interface ActivityTable {
  id: Generated<number>;
  year: number;
  kf_goal_id: number | null;
  org_goal_id: number | null;
  code: string;
  title: string;
  /** `date`; read as text (`start_date::text`), YYYY-MM-DD. */
  start_date: IsoDate | null;
  end_date: IsoDate | null;
}

/** `date` columns are written as YYYY-MM-DD and read back cast to text (the drivers would make a local-time Date). */
export type IsoDate = ColumnType<string, string, string>;

/** Which organisations report on a KF activity. */
export interface OrgActivityTable {
  organisation_code: string;
  activity_id: number;
}

export type CommissionGiver = 'KF' | 'KS';
export type ActivityState = 'not_started' | 'ongoing' | 'done' | 'cancelled';
export type CommissionState = 'not_started' | 'ongoing' | 'done' | 'reported';
export type PlanState = 'draft' | 'submitted' | 'approved';
export type AmbitionRequestState = 'open' | 'answered' | 'met' | 'accepted';
export type AmbitionRequestAction = 'requested' | 'repeated' | 'answered' | 'accepted' | 'met';

/** An uppdrag: given by KF or KS in a year (its identity with its code), one organisation responsible. */
export interface CommissionTable {
  id: Generated<number>;
  code: string;
  year_given: number;
  given_by: CommissionGiver;
  title: string;
  deadline: IsoDate | null;
  responsible_organisation_code: string;
}

/** The organisations taking part in an uppdrag (i samverkan med). */
/** A risk of an organisation's väsentlighets- och riskanalys (migration 0006). */
export interface IcRiskTable {
  id: Generated<number>;
  year: number;
  organisation_code: string;
  code: string;
  process: string;
  description: string;
  probability: number;
  consequence: number;
  decision: 'accept' | 'act' | 'control';
  action: string | null;
}

/** A control of an organisation's internkontrollplan, on one of its risks (migration 0006). */
export interface IcControlTable {
  id: Generated<number>;
  risk_id: number;
  year: number;
  organisation_code: string;
  code: string;
  checked: string;
  method: string;
  frequency: string;
  responsible: string;
  reporting_periods: ('T2' | 'VB')[];
}

export interface CommissionParticipantTable {
  commission_id: number;
  organisation_code: string;
}

export interface ActivityFollowupTable {
  report_id: number;
  activity_id: number;
  state: ActivityState | null;
  comment: string | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

export interface CommissionFollowupTable {
  report_id: number;
  commission_id: number;
  state: CommissionState | null;
  text: string | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

/** A control's follow-up in a report (migration 0007). */
export interface ControlFollowupTable {
  report_id: number;
  control_id: number;
  performed: 'yes' | 'no' | null;
  result: 'no_deviation' | 'deviation' | null;
  findings: string | null;
  action_taken: string | null;
  reason: string | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

/** The VB's assessment of the internal control, one per report (migration 0007). */
export interface IcAssessmentTable {
  report_id: number;
  judgement: 'sufficient' | 'partly' | 'insufficient' | null;
  motivation: string | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

export interface OrgIndicatorTable {
  organisation_code: string;
  indicator_id: number;
  annual_target: Numeric | null;
  /** The user id (token `sub`) of the last change; the name shown is `changed_by_name`. */
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

export interface PeriodTable {
  year: number;
  code: PeriodCode;
  state: ColumnType<'open' | 'locked', 'open' | 'locked' | undefined, 'open' | 'locked'>;
  deadline: Timestamp | null;
}

export interface ReportTable {
  id: Generated<number>;
  year: number;
  period: PeriodCode;
  organisation_code: string;
  state: ColumnType<'open' | 'submitted', 'open' | 'submitted' | undefined, 'open' | 'submitted'>;
  submitted_at: Timestamp | null;
  /** The submitter's user id (token `sub`); the name shown is `submitted_by_name`. */
  submitted_by: string | null;
  submitted_by_name: string | null;
}

export interface IndicatorResultTable {
  report_id: number;
  indicator_id: number;
  outcome: Numeric | null;
  forecast: Numeric | null;
  comment: string | null;
  status: Assessment | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
  /** Set when the plan's årsmål changed after the report was handed in: the targets it keeps. */
  targets_fixed_at: Timestamp | null;
  fixed_kf_target: Numeric | null;
  fixed_org_target: Numeric | null;
}

export interface GoalAssessmentTable {
  report_id: number;
  org_goal_id: number;
  suggested: Assessment | null;
  assessment: Assessment | null;
  motivation: string | null;
  analysis: string | null;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

export interface ChangeHistoryTable {
  id: Generated<string>;
  report_id: number;
  entity: 'indicator' | 'goal' | 'activity' | 'commission' | 'control' | 'internal_control' | 'report';
  entity_id: number | null;
  /** `{"field": [old, new], …}`: the row's changed fields, values as text (migration 0004). */
  changes: ColumnType<HistoryChanges, string, never>;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Generated<Date>;
  request_id: string | null;
}

/** A history row's field changes: each changed field's old and new value, as text. */
export type HistoryChanges = Record<string, [string | null, string | null]>;

/** Changes to a year's plan (KF's when organisation_code is null): who, when, from what to what. */
export interface PlanHistoryTable {
  id: Generated<string>;
  year: number;
  organisation_code: string | null;
  entity: 'indicator' | 'plan';
  entity_id: number | null;
  field: 'annualTarget' | 'state';
  old_value: string | null;
  new_value: string | null;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Generated<Date>;
  request_id: string | null;
}

/** An organisation's plan of a year (migration 0005); no row is a draft at version 0. */
export interface OrgPlanTable {
  year: number;
  organisation_code: string;
  state: PlanState;
  version: Generated<number>;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: Timestamp | null;
}

/** The centre's request that an organisation return with a more ambitious årsmål (migration 0005). */
export interface AmbitionRequestTable {
  id: Generated<number>;
  year: number;
  organisation_code: string;
  indicator_id: number;
  state: AmbitionRequestState;
  comment: string;
  requested_by: string;
  requested_by_name: string | null;
  requested_at: Timestamp;
  motivation: string | null;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: Timestamp | null;
  closed_by: string | null;
  closed_by_name: string | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
}

/** Every step of an ambition request: who, when, what, the organisation's årsmål then. */
export interface AmbitionRequestEventTable {
  id: Generated<string>;
  request_id: number;
  action: AmbitionRequestAction;
  state: AmbitionRequestState;
  text: string | null;
  org_target: Numeric | null;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Generated<Date>;
  http_request_id: string | null;
}

export interface IdempotencyKeyTable {
  subject: string;
  key: string;
  request_hash: string;
  status: number;
  response: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface Database {
  organisation: OrganisationTable;
  budget_year: BudgetYearTable;
  direction_goal: DirectionGoalTable;
  kf_goal: KfGoalTable;
  org_goal: OrgGoalTable;
  indicator: IndicatorTable;
  activity: ActivityTable;
  org_activity: OrgActivityTable;
  commission: CommissionTable;
  commission_participant: CommissionParticipantTable;
  activity_followup: ActivityFollowupTable;
  commission_followup: CommissionFollowupTable;
  org_indicator: OrgIndicatorTable;
  period: PeriodTable;
  report: ReportTable;
  indicator_result: IndicatorResultTable;
  goal_assessment: GoalAssessmentTable;
  change_history: ChangeHistoryTable;
  plan_history: PlanHistoryTable;
  org_plan: OrgPlanTable;
  ambition_request: AmbitionRequestTable;
  ambition_request_event: AmbitionRequestEventTable;
  idempotency_key: IdempotencyKeyTable;
  ic_risk: IcRiskTable;
  ic_control: IcControlTable;
  control_followup: ControlFollowupTable;
  ic_assessment: IcAssessmentTable;
}
