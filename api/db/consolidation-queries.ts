import { sql, type Kysely } from 'kysely';
import type { PeriodCode } from '../domain/rules';
import type { Database } from './schema';
import { iso, num } from './report-queries';

type Db = Kysely<Database>;

/** Every organisation with its report state for one period (no report yet: not_started). */
export async function organisationStates(db: Db, year: number, period: PeriodCode) {
  const rows = await db
    .selectFrom('organisation as o')
    .leftJoin('report as r', (j) =>
      j.onRef('r.organisation_code', '=', 'o.code').on('r.year', '=', year).on('r.period', '=', period),
    )
    .select(['o.code', 'o.name', 'o.kind', 'r.state', 'r.submitted_at'])
    .orderBy('o.kind')
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    state: (r.state ?? 'not_started') as 'not_started' | 'open' | 'submitted',
    submittedAt: iso(r.submitted_at),
  }));
}

/** One row per organisation × indicator it reports on, with the period's values (if any). */
export async function resultGrid(db: Db, year: number, period: PeriodCode) {
  const rows = await db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .leftJoin('report as rep', (j) =>
      j.onRef('rep.organisation_code', '=', 'oi.organisation_code').on('rep.year', '=', year).on('rep.period', '=', period),
    )
    .leftJoin('indicator_result as r', (j) => j.onRef('r.report_id', '=', 'rep.id').onRef('r.indicator_id', '=', 'i.id'))
    .select([
      'oi.organisation_code',
      'i.id as indicator_id',
      'i.kf_goal_id',
      'i.owner_organisation_code',
      'oi.annual_target as org_target',
      'i.kf_annual_target',
      'r.outcome',
      'r.forecast',
      'r.status',
    ])
    .where('i.year', '=', year)
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation_code,
    indicatorId: r.indicator_id,
    kfGoalId: r.kf_goal_id,
    ownedByOrganisation: r.owner_organisation_code !== null,
    orgTarget: num(r.org_target),
    kfTarget: num(r.kf_annual_target),
    outcome: num(r.outcome),
    forecast: num(r.forecast),
    status: r.status,
  }));
}

export async function kfStructure(db: Db, year: number) {
  return db
    .selectFrom('indicator as i')
    .innerJoin('kf_goal as g', 'g.id', 'i.kf_goal_id')
    .innerJoin('direction_goal as d', 'd.id', 'g.direction_goal_id')
    .select([
      'd.code as directionGoalCode',
      'd.title as directionGoalTitle',
      'g.id as kfGoalId',
      'g.code as kfGoalCode',
      'g.title as kfGoalTitle',
      'i.id as indicatorId',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.kf_annual_target',
    ])
    .where('i.year', '=', year)
    .where('i.owner_organisation_code', 'is', null)
    .execute();
}

export async function deviatingAssessments(db: Db, year: number, period: PeriodCode) {
  return db
    .selectFrom('goal_assessment as a')
    .innerJoin('report as rep', 'rep.id', 'a.report_id')
    .innerJoin('org_goal as og', 'og.id', 'a.org_goal_id')
    .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
    .select([
      'rep.organisation_code as organisation',
      'og.id as goalId',
      'og.code as goalCode',
      'og.title as goalTitle',
      'g.code as kfGoalCode',
      'a.suggested as suggestedAssessment',
      'a.assessment',
      'a.motivation',
    ])
    .where('rep.year', '=', year)
    .where('rep.period', '=', period)
    .where('a.assessment', 'is not', null)
    .where((eb) => eb.or([eb('a.suggested', 'is', null), eb('a.suggested', '<>', eb.ref('a.assessment'))]))
    .orderBy('rep.organisation_code')
    .orderBy('og.code')
    .execute();
}

/** Counts of steering signals per organisation for a year: own goals, indicators reported on, activities. */
export async function organisationSignalCounts(db: Db, year: number) {
  const rows = await db
    .selectFrom('organisation as o')
    .select((eb) => [
      'o.code',
      'o.name',
      'o.kind',
      eb.selectFrom('org_goal as og').select(sql<string>`count(*)`.as('n')).whereRef('og.organisation_code', '=', 'o.code').where('og.year', '=', year).as('goals'),
      eb
        .selectFrom('org_indicator as oi')
        .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('oi.organisation_code', '=', 'o.code')
        .where('i.year', '=', year)
        .as('indicators'),
      eb
        .selectFrom('activity as a')
        .innerJoin('org_goal as og', 'og.id', 'a.org_goal_id')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('og.organisation_code', '=', 'o.code')
        .where('og.year', '=', year)
        .as('activities'),
    ])
    .orderBy('o.kind')
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    goals: Number(r.goals ?? 0),
    indicators: Number(r.indicators ?? 0),
    activities: Number(r.activities ?? 0),
  }));
}

export async function kfSignalCounts(db: Db, year: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('kf_goal').select(sql<string>`count(*)`.as('n')).where('year', '=', year).as('goals'),
      eb.selectFrom('indicator').select(sql<string>`count(*)`.as('n')).where('year', '=', year).where('owner_organisation_code', 'is', null).as('indicators'),
      eb.selectFrom('activity').select(sql<string>`count(*)`.as('n')).where('year', '=', year).where('kf_goal_id', 'is not', null).as('activities'),
    ])
    .executeTakeFirstOrThrow();
  return { goals: Number(row.goals ?? 0), indicators: Number(row.indicators ?? 0), activities: Number(row.activities ?? 0) };
}
