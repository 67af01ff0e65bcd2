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
}

export interface OrgIndicatorTable {
  organisation_code: string;
  indicator_id: number;
  annual_target: Numeric | null;
  changed_by: string | null;
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
  submitted_by: string | null;
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
  entity: 'indicator' | 'goal' | 'report';
  entity_id: number | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Generated<Date>;
  request_id: string | null;
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
  org_indicator: OrgIndicatorTable;
  period: PeriodTable;
  report: ReportTable;
  indicator_result: IndicatorResultTable;
  goal_assessment: GoalAssessmentTable;
  change_history: ChangeHistoryTable;
  idempotency_key: IdempotencyKeyTable;
}
