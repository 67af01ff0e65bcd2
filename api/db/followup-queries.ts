/**
 * Activities and uppdrag in reports: which a report has (its follow-up rows) and what it shows
 * of each. The rules for which (README, "Activities and uppdrag"):
 * - activities: the year's KF activities the organisation reports on (org_activity) and the
 *   activities under its own nämndmål of the year;
 * - uppdrag: those the organisation is responsible for, given in the report's year or earlier,
 *   and not `reported` in any report of an earlier year.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { PeriodCode } from '../../core/contract/common';
import type { ReportActivity, ReportCommission } from '../../core/contract/followup';
import { compareCodes } from '../../core/domain/codes';
import type { RowValues } from '../../core/rows/row-kind';
import { ACTIVITY_FOLLOWUPS, COMMISSION_FOLLOWUPS } from '../../core/rows/report-rows';
import { activitiesReportedBy } from './activity-queries';
import type { Database } from './schema';
import { iso } from './values';
import { fieldsFromDb, selectFields } from './versioned-rows';

type Db = Kysely<Database>;

/** Where a report sits: its organisation and year. */
export interface FollowupScope {
  organisation: string;
  year: number;
}

/** An uppdrag `reported` in any report of a year before `year` is off the list from then on. */
export const reportedBefore = (commissionId: Expression<number>, year: number): Expression<SqlBool> =>
  sql<SqlBool>`exists (
    select 1 from commission_followup rf join report rr on rr.id = rf.report_id
    where rf.commission_id = ${commissionId} and rf.state = 'reported' and rr.year < ${year})`;

/** The uppdrag on an organisation's list in a year (see the module comment). */
export function commissionsOfOrganisation(db: Db, scope: FollowupScope) {
  return db
    .selectFrom('commission as c')
    .select('c.id')
    .where('c.responsible_organisation_code', '=', scope.organisation)
    .where('c.year_given', '<=', scope.year)
    .where((eb) => eb.not(reportedBefore(eb.ref('c.id'), scope.year)));
}

/** Creates the report's missing follow-up rows (version 0), so that every write updates a known row. */
export async function ensureFollowupRows(db: Db, reportId: number, scope: FollowupScope): Promise<void> {
  await db
    .insertInto('activity_followup')
    .columns(['report_id', 'activity_id'])
    .expression(db.selectFrom(activitiesReportedBy(db, scope.year, scope.organisation).as('x')).select([sql.lit(reportId).as('report_id'), 'x.id']))
    .onConflict((oc) => oc.columns(['report_id', 'activity_id']).doNothing())
    .execute();
  await db
    .insertInto('commission_followup')
    .columns(['report_id', 'commission_id'])
    .expression(db.selectFrom(commissionsOfOrganisation(db, scope).as('x')).select([sql.lit(reportId).as('report_id'), 'x.id']))
    .onConflict((oc) => oc.columns(['report_id', 'commission_id']).doNothing())
    .execute();
}

/** An activity row of a report as the contract shows it, with the KF goal it hangs under (for the goals' evidence). */
export type ActivityFollowupRow = ReportActivity & { kfGoalId: number };

const ownerOrder = (a: ActivityFollowupRow) => (a.owner === 'kf' ? 0 : 1);

export async function loadActivityFollowups(db: Db, reportId: number): Promise<ActivityFollowupRow[]> {
  const rows = await db
    .selectFrom('activity_followup as f')
    .innerJoin('activity as a', 'a.id', 'f.activity_id')
    .leftJoin('org_goal as og', 'og.id', 'a.org_goal_id')
    .innerJoin('kf_goal as g', (j) => j.on(sql<SqlBool>`g.id = coalesce(a.kf_goal_id, og.kf_goal_id)`))
    .select([
      'a.id as activityId',
      'a.code',
      'a.title',
      'a.kf_goal_id',
      'og.id as goalId',
      'og.code as goalCode',
      'og.title as goalTitle',
      'g.id as kfGoalId',
      'g.code as kfGoalCode',
      'g.title as kfGoalTitle',
      sql<string | null>`a.start_date::text`.as('startDate'),
      sql<string | null>`a.end_date::text`.as('endDate'),
      ...selectFields(ACTIVITY_FOLLOWUPS, 'f'),
      'f.version',
      sql<string | null>`coalesce(f.changed_by_name, f.changed_by)`.as('changedBy'),
      'f.changed_at',
    ])
    .where('f.report_id', '=', reportId)
    .execute();
  return rows
    .map((r): ActivityFollowupRow => ({
      activityId: r.activityId,
      code: r.code,
      title: r.title,
      owner: r.kf_goal_id === null ? 'organisation' : 'kf',
      goalId: r.goalId,
      goalCode: r.goalCode,
      goalTitle: r.goalTitle,
      kfGoalId: r.kfGoalId,
      kfGoalCode: r.kfGoalCode,
      kfGoalTitle: r.kfGoalTitle,
      startDate: r.startDate,
      endDate: r.endDate,
      ...(fieldsFromDb(ACTIVITY_FOLLOWUPS, r) as RowValues<typeof ACTIVITY_FOLLOWUPS>),
      version: r.version,
      changedBy: r.changedBy,
      changedAt: iso(r.changed_at),
    }))
    .sort((a, b) => compareCodes(a.kfGoalCode, b.kfGoalCode) || ownerOrder(a) - ownerOrder(b) || compareCodes(a.goalCode ?? '', b.goalCode ?? '') || compareCodes(a.code, b.code));
}

export type CommissionFollowupRow = ReportCommission;

/** The organisations taking part in these uppdrag, by uppdrag, in Swedish name order. */
export async function participantsOf(db: Db, commissionIds: readonly number[]): Promise<Map<number, { code: string; name: string }[]>> {
  const byCommission = new Map<number, { code: string; name: string }[]>();
  if (commissionIds.length === 0) return byCommission;
  const rows = await db
    .selectFrom('commission_participant as p')
    .innerJoin('organisation as o', 'o.code', 'p.organisation_code')
    .select(['p.commission_id', 'o.code', 'o.name'])
    .where('p.commission_id', 'in', commissionIds)
    .execute();
  for (const r of rows.sort((a, b) => compareCodes(a.name, b.name))) {
    byCommission.set(r.commission_id, [...(byCommission.get(r.commission_id) ?? []), { code: r.code, name: r.name }]);
  }
  return byCommission;
}

export async function loadCommissionFollowups(db: Db, reportId: number): Promise<CommissionFollowupRow[]> {
  const rows = await db
    .selectFrom('commission_followup as f')
    .innerJoin('commission as c', 'c.id', 'f.commission_id')
    .innerJoin('organisation as o', 'o.code', 'c.responsible_organisation_code')
    .select([
      'c.id as commissionId',
      'c.code',
      'c.title',
      'c.given_by',
      'c.year_given',
      sql<string | null>`c.deadline::text`.as('deadline'),
      'o.code as responsibleCode',
      'o.name as responsibleName',
      ...selectFields(COMMISSION_FOLLOWUPS, 'f'),
      'f.version',
      sql<string | null>`coalesce(f.changed_by_name, f.changed_by)`.as('changedBy'),
      'f.changed_at',
    ])
    .where('f.report_id', '=', reportId)
    .execute();
  const participants = await participantsOf(
    db,
    rows.map((r) => r.commissionId),
  );
  return rows
    .map((r): CommissionFollowupRow => ({
      commissionId: r.commissionId,
      code: r.code,
      title: r.title,
      givenBy: r.given_by,
      yearGiven: r.year_given,
      deadline: r.deadline,
      responsible: { code: r.responsibleCode, name: r.responsibleName },
      participants: participants.get(r.commissionId) ?? [],
      ...(fieldsFromDb(COMMISSION_FOLLOWUPS, r) as RowValues<typeof COMMISSION_FOLLOWUPS>),
      version: r.version,
      changedBy: r.changedBy,
      changedAt: iso(r.changed_at),
    }))
    .sort((a, b) => a.yearGiven - b.yearGiven || compareCodes(a.code, b.code));
}

// --- across organisations (consolidation) ------------------------------------------------------

/** The year's KF activities with their KF goal and dates. */
export async function kfActivityStructure(db: Db, year: number) {
  return db
    .selectFrom('activity as a')
    .innerJoin('kf_goal as g', 'g.id', 'a.kf_goal_id')
    .select([
      'a.id as activityId',
      'a.code',
      'a.title',
      'g.code as kfGoalCode',
      'g.title as kfGoalTitle',
      sql<string | null>`a.start_date::text`.as('startDate'),
      sql<string | null>`a.end_date::text`.as('endDate'),
    ])
    .where('a.year', '=', year)
    .execute();
}

/**
 * One row per organisation × activity it reports on in the year (KF activities it is named
 * for, and its own), with the period's state and comment when its report has them.
 */
export async function activityGrid(db: Db, year: number, period: PeriodCode) {
  const reporters = db
    .selectFrom('org_activity as oa')
    .innerJoin('activity as a', 'a.id', 'oa.activity_id')
    .select(['oa.organisation_code', 'a.id as activity_id'])
    .where('a.year', '=', year)
    .unionAll(
      db.selectFrom('activity as a').innerJoin('org_goal as og', 'og.id', 'a.org_goal_id').select(['og.organisation_code', 'a.id as activity_id']).where('og.year', '=', year),
    );
  return db
    .selectFrom(reporters.as('x'))
    .innerJoin('activity as a', 'a.id', 'x.activity_id')
    .leftJoin('report as rep', (j) => j.onRef('rep.organisation_code', '=', 'x.organisation_code').on('rep.year', '=', year).on('rep.period', '=', period))
    .leftJoin('activity_followup as f', (j) => j.onRef('f.report_id', '=', 'rep.id').onRef('f.activity_id', '=', 'x.activity_id'))
    .select(['x.organisation_code as organisation', 'x.activity_id as activityId', 'a.kf_goal_id', 'f.state', 'f.comment'])
    .execute();
}

const PERIODS_UP_TO: Record<PeriodCode, PeriodCode[]> = { T1: ['T1'], T2: ['T1', 'T2'], VB: ['T1', 'T2', 'VB'] };

/** The follow-up of these uppdrag in the year's reports of the period and those before it. */
export async function commissionFollowupsUpTo(db: Db, year: number, period: PeriodCode, commissionIds: readonly number[]) {
  if (commissionIds.length === 0) return [];
  return db
    .selectFrom('commission_followup as f')
    .innerJoin('report as rep', 'rep.id', 'f.report_id')
    .select(['f.commission_id as commissionId', 'rep.organisation_code as organisation', 'rep.period', 'f.state', 'f.text'])
    .where('rep.year', '=', year)
    .where('rep.period', 'in', PERIODS_UP_TO[period])
    .where('f.commission_id', 'in', commissionIds)
    .execute();
}
