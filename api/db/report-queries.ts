import { sql, type Kysely, type Selectable } from 'kysely';
import type { Organisation, PeriodCode } from '../../core/contract/common';
import type { ReportGoal, ReportIndicator } from '../../core/contract/report';
import { byCode } from '../../core/domain/codes';
import { targetsInForce, type Assessment } from '../../core/domain/rules';
import type { RowValues } from '../../core/rows/row-kind';
import { GOAL_ASSESSMENTS, INDICATOR_RESULTS } from '../../core/rows/report-rows';
import { ensureFollowupRows } from './followup-queries';
import { ensureInternalControlRows } from './internal-control-queries';
import type { Actor } from './history-queries';
import type { Database } from './schema';
import { refreshAfterRowsCreated } from './statistics';
import { iso, num } from './values';
import { fieldsFromDb, selectFields } from './versioned-rows';

type Db = Kysely<Database>;

/** The report's place: its organisation and period, and the period's state. */
export interface ReportScope {
  organisation: Organisation;
  year: number;
  period: PeriodCode;
  periodState: Selectable<Database['period']>['state'];
  deadline: string | null;
}

/** The organisation and period a report belongs to, or which of them is unknown. */
export async function findReportScope(db: Db, year: number, organisationCode: string, period: PeriodCode): Promise<ReportScope | 'unknown-organisation' | 'unknown-period'> {
  const organisation = await db.selectFrom('organisation').select(['code', 'name', 'kind']).where('code', '=', organisationCode).executeTakeFirst();
  if (!organisation) return 'unknown-organisation';
  const p = await db.selectFrom('period').select(['state', 'deadline']).where('year', '=', year).where('code', '=', period).executeTakeFirst();
  if (!p) return 'unknown-period';
  return { organisation, year, period, periodState: p.state, deadline: iso(p.deadline) };
}

/**
 * Makes sure the report and a row for every indicator, goal, activity and uppdrag it covers
 * exist (version 0), so that every write is an update of a known row with a known version.
 */
export async function ensureReport(db: Db, scope: ReportScope): Promise<number> {
  const { year, period } = scope;
  const org = scope.organisation.code;
  await db
    .insertInto('report')
    .values({ year, period, organisation_code: org })
    .onConflict((oc) => oc.columns(['year', 'period', 'organisation_code']).doNothing())
    .execute();
  const id = (await findReportId(db, scope))!;
  const indicatorRows = await db
    .insertInto('indicator_result')
    .columns(['report_id', 'indicator_id'])
    .expression(
      db
        .selectFrom('org_indicator as oi')
        .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
        .select([sql.lit(id).as('report_id'), 'i.id'])
        .where('oi.organisation_code', '=', org)
        .where('i.year', '=', year),
    )
    .onConflict((oc) => oc.columns(['report_id', 'indicator_id']).doNothing())
    .executeTakeFirst();
  const goalRows = await db
    .insertInto('goal_assessment')
    .columns(['report_id', 'org_goal_id'])
    .expression(
      db
        .selectFrom('org_goal')
        .select([sql.lit(id).as('report_id'), 'id'])
        .where('organisation_code', '=', org)
        .where('year', '=', year),
    )
    .onConflict((oc) => oc.columns(['report_id', 'org_goal_id']).doNothing())
    .executeTakeFirst();
  await ensureFollowupRows(db, id, { organisation: org, year });
  await ensureInternalControlRows(db, id, { organisation: org, year, period });
  // A big report's first read: the planner must know these rows before the first write of them.
  await refreshAfterRowsCreated(db, Number(indicatorRows.numInsertedOrUpdatedRows ?? 0) + Number(goalRows.numInsertedOrUpdatedRows ?? 0));
  return id;
}

export async function findReportId(db: Db, scope: ReportScope): Promise<number | undefined> {
  const row = await db
    .selectFrom('report')
    .select('id')
    .where('year', '=', scope.year)
    .where('period', '=', scope.period)
    .where('organisation_code', '=', scope.organisation.code)
    .executeTakeFirst();
  return row?.id;
}

export interface ReportHead {
  state: Selectable<Database['report']>['state'];
  submittedAt: string | null;
  submittedBy: string | null;
}

/** The report's state; with `lock`, takes the report's row lock, so that every write to one report runs one at a time. */
export async function readReportHead(db: Db, reportId: number, options: { lock?: boolean } = {}): Promise<ReportHead> {
  // The name is shown; rows from before user ids were stored hold the name in submitted_by.
  const query = db
    .selectFrom('report')
    .select(['state', 'submitted_at', sql<string | null>`coalesce(submitted_by_name, submitted_by)`.as('submitted_by')])
    .where('id', '=', reportId);
  const r = await (options.lock ? query.forUpdate() : query).executeTakeFirstOrThrow();
  return { state: r.state, submittedAt: iso(r.submitted_at), submittedBy: r.submitted_by };
}

/** An indicator row of a report as the contract shows it, with the goals it belongs to (for suggestions). */
export type IndicatorResultRow = ReportIndicator & { kfGoalId: number | null; orgGoalId: number | null };

/** The period before in the same year, whose forecast a report shows beside its own. */
const PREVIOUS_PERIOD = sql<PeriodCode>`case rep.period when 'T2' then 'T1' when 'VB' then 'T2' end`;

export async function loadIndicatorResults(db: Db, reportId: number): Promise<IndicatorResultRow[]> {
  const rows = await db
    .selectFrom('indicator_result as r')
    .innerJoin('report as rep', 'rep.id', 'r.report_id')
    .innerJoin('indicator as i', 'i.id', 'r.indicator_id')
    .innerJoin('budget_year as y', 'y.year', 'i.year')
    .leftJoin('org_indicator as oi', (j) => j.onRef('oi.indicator_id', '=', 'i.id').onRef('oi.organisation_code', '=', 'rep.organisation_code'))
    .leftJoin('org_goal as og', 'og.id', 'i.org_goal_id')
    .leftJoin('kf_goal as g', (j) => j.on(sql<boolean>`g.id = coalesce(i.kf_goal_id, og.kf_goal_id)`))
    // The same indicator's forecast in the period before, and its outcome at VB last year (same code and owner).
    .leftJoin('report as prev', (j) => j.onRef('prev.year', '=', 'rep.year').onRef('prev.organisation_code', '=', 'rep.organisation_code').on('prev.period', '=', PREVIOUS_PERIOD))
    .leftJoin('indicator_result as pr', (j) => j.onRef('pr.report_id', '=', 'prev.id').onRef('pr.indicator_id', '=', 'r.indicator_id'))
    .leftJoin('indicator as li', (j) =>
      j
        .on('li.year', '=', sql<number>`i.year - 1`)
        .onRef('li.code', '=', 'i.code')
        .on(sql<boolean>`li.owner_organisation_code is not distinct from i.owner_organisation_code`),
    )
    .leftJoin('report as last', (j) =>
      j
        .on('last.year', '=', sql<number>`rep.year - 1`)
        .on('last.period', '=', 'VB')
        .onRef('last.organisation_code', '=', 'rep.organisation_code'),
    )
    .leftJoin('indicator_result as lr', (j) => j.onRef('lr.report_id', '=', 'last.id').onRef('lr.indicator_id', '=', 'li.id'))
    .select([
      'i.id as indicatorId',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.tolerance',
      'i.frequency',
      // A handed-in report keeps the årsmål it was handed in with (copied when an årsmål changed after).
      sql<string | null>`case when r.targets_fixed_at is null then i.kf_annual_target else r.fixed_kf_target end`.as('kf_annual_target'),
      sql<string | null>`case when r.targets_fixed_at is null then oi.annual_target else r.fixed_org_target end`.as('org_target'),
      sql<string>`coalesce(i.partial_threshold_percent, y.partial_threshold_percent)`.as('threshold'),
      'g.id as kf_goal_id',
      'i.org_goal_id',
      'g.code as kf_goal_code',
      'g.title as kf_goal_title',
      ...selectFields(INDICATOR_RESULTS, 'r'),
      'r.status',
      'pr.forecast as previous_forecast',
      'lr.outcome as last_year_outcome',
      'r.version',
      sql<string | null>`coalesce(r.changed_by_name, r.changed_by)`.as('changed_by'),
      'r.changed_at',
    ])
    .where('r.report_id', '=', reportId)
    .execute();
  return rows
    .map((r) => ({
      indicatorId: r.indicatorId,
      code: r.code,
      title: r.title,
      unit: r.unit,
      direction: r.direction,
      tolerance: num(r.tolerance),
      frequency: r.frequency,
      ...targetsInForce(num(r.kf_annual_target), num(r.org_target)),
      partialThresholdPercent: Number(r.threshold),
      kfGoalId: r.kf_goal_id,
      orgGoalId: r.org_goal_id,
      goalId: r.org_goal_id,
      kfGoalCode: r.kf_goal_code,
      kfGoalTitle: r.kf_goal_title,
      ...(fieldsFromDb(INDICATOR_RESULTS, r) as RowValues<typeof INDICATOR_RESULTS>),
      status: r.status,
      previousForecast: num(r.previous_forecast),
      lastYearOutcome: num(r.last_year_outcome),
      version: r.version,
      changedBy: r.changed_by,
      changedAt: iso(r.changed_at),
    }))
    .sort(byCode);
}

/** A goal row of a report as the contract shows it, with the KF goal it concretises. */
export type GoalAssessmentRow = Omit<ReportGoal, 'evidence'> & { kfGoalId: number };

export async function loadGoalAssessments(db: Db, reportId: number): Promise<GoalAssessmentRow[]> {
  const rows = await db
    .selectFrom('goal_assessment as a')
    .innerJoin('org_goal as og', 'og.id', 'a.org_goal_id')
    .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
    .innerJoin('direction_goal as d', 'd.id', 'g.direction_goal_id')
    .select([
      'og.id as goalId',
      'og.code',
      'og.title',
      'g.id as kfGoalId',
      'g.code as kfGoalCode',
      'g.title as kfGoalTitle',
      'd.code as directionGoalCode',
      'd.title as directionGoalTitle',
      'a.suggested as suggestedAssessment',
      ...selectFields(GOAL_ASSESSMENTS, 'a'),
      'a.version',
      sql<string | null>`coalesce(a.changed_by_name, a.changed_by)`.as('changedBy'),
      'a.changed_at',
    ])
    .where('a.report_id', '=', reportId)
    .execute();
  return rows
    .map((r) => ({
      goalId: r.goalId,
      code: r.code,
      title: r.title,
      kfGoalId: r.kfGoalId,
      kfGoalCode: r.kfGoalCode,
      kfGoalTitle: r.kfGoalTitle,
      directionGoalCode: r.directionGoalCode,
      directionGoalTitle: r.directionGoalTitle,
      suggestedAssessment: r.suggestedAssessment,
      ...(fieldsFromDb(GOAL_ASSESSMENTS, r) as RowValues<typeof GOAL_ASSESSMENTS>),
      version: r.version,
      changedBy: r.changedBy,
      changedAt: iso(r.changed_at),
    }))
    .sort(byCode);
}

/** Derived values (computed status, suggested assessment): no new version, no history. */
export async function updateStatuses(db: Db, reportId: number, rows: { indicatorId: number; status: Assessment | null }[]) {
  if (rows.length === 0) return;
  await sql`
    update indicator_result as r set status = v.status
    from unnest(${rows.map((r) => r.indicatorId)}::int[], ${rows.map((r) => r.status)}::text[]) as v(indicator_id, status)
    where r.report_id = ${reportId} and r.indicator_id = v.indicator_id`.execute(db);
}

export async function updateSuggestions(db: Db, reportId: number, rows: { goalId: number; suggestedAssessment: Assessment | null }[]) {
  if (rows.length === 0) return;
  await sql`
    update goal_assessment as a set suggested = v.suggested
    from unnest(${rows.map((r) => r.goalId)}::int[], ${rows.map((r) => r.suggestedAssessment)}::text[]) as v(goal_id, suggested)
    where a.report_id = ${reportId} and a.org_goal_id = v.goal_id`.execute(db);
}

export async function setReportState(db: Db, reportId: number, state: 'open' | 'submitted', actor: Actor): Promise<void> {
  await db
    .updateTable('report')
    .set(
      state === 'submitted'
        ? { state, submitted_at: sql<Date>`now()`, submitted_by: actor.sub, submitted_by_name: actor.name }
        : { state, submitted_at: null, submitted_by: null, submitted_by_name: null },
    )
    .where('id', '=', reportId)
    .execute();
}
