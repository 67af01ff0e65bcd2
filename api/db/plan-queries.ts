/**
 * Queries on a year's plan: the budget year, its periods, KF's goals and indicators, the
 * organisations' goals, which organisation reports on what with its own årsmål, the plan's
 * history, and the årsmål a handed-in report keeps when the plan's change after it.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { PeriodCode } from '../../core/domain/rules';
import { chunked, parametersOf } from './chunks';
import type { Actor } from './history-queries';
import type { BudgetYearTable, Database, OrgIndicatorTable, PeriodTable, PlanHistoryTable, ReportTable } from './schema';

type Db = Kysely<Database>;

export type BudgetYear = Selectable<BudgetYearTable>;
export type Period = Selectable<PeriodTable>;
export type OrgTarget = Pick<Selectable<OrgIndicatorTable>, 'indicator_id' | 'annual_target' | 'changed_by' | 'changed_by_name' | 'changed_at'>;

/** Whose plan: an organisation's, or KF's (organisation null). */
export interface PlanScope {
  year: number;
  organisation: string | null;
}

export async function findBudgetYear(db: Db, year: number): Promise<BudgetYear | undefined> {
  return db.selectFrom('budget_year').selectAll().where('year', '=', year).executeTakeFirst();
}

export async function findPeriod(db: Db, year: number, code: PeriodCode): Promise<Period | undefined> {
  return db.selectFrom('period').selectAll().where('year', '=', year).where('code', '=', code).executeTakeFirst();
}

export async function updatePeriod(db: Db, year: number, code: PeriodCode, values: Pick<Updateable<PeriodTable>, 'state' | 'deadline'>) {
  return db.updateTable('period').set(values).where('year', '=', year).where('code', '=', code).returningAll().executeTakeFirst();
}

// KF's plan

export async function directionGoalsOf(db: Db, year: number) {
  return db.selectFrom('direction_goal').select(['id', 'code', 'title']).where('year', '=', year).execute();
}

export async function kfGoalsOf(db: Db, year: number) {
  return db.selectFrom('kf_goal').select(['id', 'code', 'title', 'direction_goal_id']).where('year', '=', year).execute();
}

export async function kfIndicatorsOf(db: Db, year: number) {
  return db.selectFrom('indicator').selectAll().where('year', '=', year).where('owner_organisation_code', 'is', null).execute();
}

// An organisation's plan

export async function orgGoalsOf(db: Db, year: number, organisation: string) {
  return db
    .selectFrom('org_goal as og')
    .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
    .select(['og.id', 'og.code', 'og.title', 'g.id as kf_goal_id', 'g.code as kf_goal_code', 'g.title as kf_goal_title'])
    .where('og.year', '=', year)
    .where('og.organisation_code', '=', organisation)
    .execute();
}

/** The indicators an organisation reports on, with KF's årsmål and its own. */
export async function orgIndicatorsOf(db: Db, year: number, organisation: string) {
  return db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .leftJoin('kf_goal as g', 'g.id', 'i.kf_goal_id')
    .select([
      'i.id',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.tolerance',
      'i.frequency',
      'i.source',
      'i.kf_annual_target',
      'i.kf_goal_id',
      'i.org_goal_id',
      'i.owner_organisation_code',
      'g.code as kf_goal_code',
      'oi.annual_target',
    ])
    .where('oi.organisation_code', '=', organisation)
    .where('i.year', '=', year)
    .execute();
}

// The organisation's årsmål

/** The organisation's årsmål rows for these indicators of the year, locked until the transaction ends. */
export async function lockOrgTargets(db: Db, year: number, organisation: string, indicatorIds: readonly number[]): Promise<OrgTarget[]> {
  if (indicatorIds.length === 0) return [];
  return db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .select(['oi.indicator_id', 'oi.annual_target', 'oi.changed_by', 'oi.changed_by_name', 'oi.changed_at'])
    .where('oi.organisation_code', '=', organisation)
    .where('i.year', '=', year)
    .where('oi.indicator_id', '=', sql<number>`any(${[...indicatorIds]}::int[])`)
    .forUpdate('oi')
    .execute();
}

export interface TargetChange {
  indicatorId: number;
  /** As stored before the change. */
  from: OrgTarget['annual_target'];
  to: number | null;
}

/**
 * Writes an organisation's årsmål in one statement and appends one plan history entry per
 * change with the values as stored; handed-in reports keep the årsmål they had. The caller
 * holds the rows' locks (lockOrgTargets).
 */
export async function writeOrgTargets(db: Db, year: number, organisation: string, changes: readonly TargetChange[], actor: Actor): Promise<void> {
  if (changes.length === 0) return;
  await fixTargetsOfClosedReports(db, year, { indicatorIds: changes.map((c) => c.indicatorId), organisation });
  const written = await db
    .updateTable('org_indicator')
    .from(
      sql<{ indicator_id: number; annual_target: string | null }>`unnest(${changes.map((c) => c.indicatorId)}::int[], ${changes.map((c) => c.to)}::numeric[])`.as<'v'>(
        sql`v(indicator_id, annual_target)`,
      ),
    )
    .set((eb) => ({
      annual_target: eb.ref('v.annual_target'),
      changed_by: actor.sub,
      changed_by_name: actor.name,
      changed_at: sql<Date>`now()`,
    }))
    .where('org_indicator.organisation_code', '=', organisation)
    .whereRef('org_indicator.indicator_id', '=', 'v.indicator_id')
    .returning(['org_indicator.indicator_id', 'org_indicator.annual_target'])
    .execute();
  const from = new Map(changes.map((c) => [c.indicatorId, c.from]));
  await appendPlanHistory(
    db,
    { year, organisation },
    written.map((w) => ({ indicatorId: w.indicator_id, from: from.get(w.indicator_id) ?? null, to: w.annual_target })),
    actor,
  );
}

/** Appends one history entry per changed årsmål of a plan (values as stored, numeric text). */
export async function appendPlanHistory(
  db: Db,
  scope: PlanScope,
  entries: ReadonlyArray<{ indicatorId: number; from: string | null; to: string | null }>,
  actor: Actor,
): Promise<void> {
  if (entries.length === 0) return;
  const rows: Insertable<PlanHistoryTable>[] = entries.map((e) => ({
    year: scope.year,
    organisation_code: scope.organisation,
    entity: 'indicator',
    entity_id: e.indicatorId,
    field: 'annualTarget',
    old_value: e.from,
    new_value: e.to,
    changed_by: actor.sub,
    changed_by_name: actor.name,
    request_id: actor.requestId,
  }));
  for (const chunk of chunked(rows, parametersOf(rows[0]!))) await db.insertInto('plan_history').values(chunk).execute();
}

export async function loadPlanHistory(db: Db, scope: PlanScope) {
  return db
    .selectFrom('plan_history as h')
    .leftJoin('indicator as i', (j) => j.onRef('i.id', '=', 'h.entity_id').on('h.entity', '=', 'indicator'))
    .select(['h.changed_at', 'h.changed_by', 'h.changed_by_name', 'h.entity', 'h.entity_id', 'i.code as entity_code', 'h.field', 'h.old_value', 'h.new_value', 'h.request_id'])
    .where('h.year', '=', scope.year)
    .where((eb) => (scope.organisation === null ? eb('h.organisation_code', 'is', null) : eb('h.organisation_code', '=', scope.organisation)))
    .orderBy('h.id')
    .execute();
}

// The reports a plan change reaches

export type ReportOfYear = Pick<Selectable<ReportTable>, 'id' | 'period' | 'state'> & { period_state: Period['state'] };

/**
 * The organisation's reports of the year with their periods' states, locked against writes,
 * submits and period changes until the transaction ends (periods first, as setPeriod does).
 */
export async function lockReportsOfYear(db: Db, year: number, organisation: string): Promise<{ periods: Period[]; reports: ReportOfYear[] }> {
  const periods = await db.selectFrom('period').selectAll().where('year', '=', year).orderBy('code').forShare().execute();
  const reports = await db
    .selectFrom('report')
    .select(['id', 'period', 'state'])
    .where('year', '=', year)
    .where('organisation_code', '=', organisation)
    .orderBy('period')
    .forUpdate()
    .execute();
  const periodState = new Map(periods.map((p) => [p.code, p.state]));
  return { periods, reports: reports.map((r) => ({ ...r, period_state: periodState.get(r.period) ?? 'open' })) };
}

/** Every open report of the year or period (neither submitted nor in a locked period), locked like lockReportsOfYear. */
export async function lockOpenReports(db: Db, year: number, period?: PeriodCode): Promise<Pick<ReportOfYear, 'id' | 'period'>[]> {
  await db.selectFrom('period').select('code').where('year', '=', year).forShare().execute();
  let query = db
    .selectFrom('report as r')
    .innerJoin('period as p', (j) => j.onRef('p.year', '=', 'r.year').onRef('p.code', '=', 'r.period'))
    .select(['r.id', 'r.period'])
    .where('r.year', '=', year)
    .where('r.state', '=', 'open')
    .where('p.state', '=', 'open');
  if (period) query = query.where('r.period', '=', period);
  return query.orderBy('r.id').forUpdate('r').execute();
}

/**
 * Keeps the årsmål a handed-in report (submitted, or in a locked period) was handed in with:
 * called before the årsmål of these indicators change (KF's for every organisation, or one
 * organisation's), it copies the targets in force into the handed-in reports' rows that do
 * not hold them yet. Until the first change they equal the plan's.
 */
export async function fixTargetsOfClosedReports(db: Db, year: number, which: { indicatorIds: readonly number[]; organisation?: string }): Promise<void> {
  if (which.indicatorIds.length === 0) return;
  let query = db
    .updateTable('indicator_result as r')
    .from(['report as rep', 'period as p', 'indicator as i'])
    .set((eb) => ({
      targets_fixed_at: sql<Date>`now()`,
      fixed_kf_target: eb.ref('i.kf_annual_target'),
      fixed_org_target: eb
        .selectFrom('org_indicator as oi')
        .select('oi.annual_target')
        .whereRef('oi.indicator_id', '=', 'r.indicator_id')
        .whereRef('oi.organisation_code', '=', 'rep.organisation_code'),
    }))
    .whereRef('rep.id', '=', 'r.report_id')
    .whereRef('p.year', '=', 'rep.year')
    .whereRef('p.code', '=', 'rep.period')
    .whereRef('i.id', '=', 'r.indicator_id')
    .where('rep.year', '=', year)
    .where('r.indicator_id', '=', sql<number>`any(${[...which.indicatorIds]}::int[])`)
    .where('r.targets_fixed_at', 'is', null)
    .where((eb) => eb.or([eb('rep.state', '=', 'submitted'), eb('p.state', '=', 'locked')]));
  if (which.organisation !== undefined) query = query.where('rep.organisation_code', '=', which.organisation);
  await query.execute();
}

/**
 * A report open again (reopened, or its period unlocked) follows the plan's årsmål again:
 * clears the targets it kept. Returns the reports released, whose statuses need recomputing.
 */
export async function releaseTargetsOfOpenReports(db: Db, which: { reportId: number } | { year: number; period: PeriodCode }): Promise<number[]> {
  let query = db
    .updateTable('indicator_result as r')
    .from(['report as rep', 'period as p'])
    .set({ targets_fixed_at: null, fixed_kf_target: null, fixed_org_target: null })
    .whereRef('rep.id', '=', 'r.report_id')
    .whereRef('p.year', '=', 'rep.year')
    .whereRef('p.code', '=', 'rep.period')
    .where('rep.state', '=', 'open')
    .where('p.state', '=', 'open')
    .where('r.targets_fixed_at', 'is not', null);
  query = 'reportId' in which ? query.where('rep.id', '=', which.reportId) : query.where('rep.year', '=', which.year).where('rep.period', '=', which.period);
  const rows = await query.returning('r.report_id').execute();
  return [...new Set(rows.map((r) => r.report_id))];
}
