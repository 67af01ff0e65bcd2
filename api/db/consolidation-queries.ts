import { sql, type Kysely } from 'kysely';
import { targetsInForce, type PeriodCode } from '../../core/domain/rules';
import type { Database } from './schema';
import { iso, num } from './values';

type Db = Kysely<Database>;

/** Every organisation with its report state for one period (no report yet: not_started). */
export async function organisationStates(db: Db, year: number, period: PeriodCode) {
  const rows = await db
    .selectFrom('organisation as o')
    .leftJoin('report as r', (j) => j.onRef('r.organisation_code', '=', 'o.code').on('r.year', '=', year).on('r.period', '=', period))
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

/**
 * One row per organisation × indicator it reports on, with the period's values (if any) and
 * the årsmål the status was computed against: those a handed-in report kept, else the plan's.
 */
export async function resultGrid(db: Db, year: number, period: PeriodCode) {
  const rows = await db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .leftJoin('report as rep', (j) => j.onRef('rep.organisation_code', '=', 'oi.organisation_code').on('rep.year', '=', year).on('rep.period', '=', period))
    .leftJoin('indicator_result as r', (j) => j.onRef('r.report_id', '=', 'rep.id').onRef('r.indicator_id', '=', 'i.id'))
    .select((eb) => [
      'oi.organisation_code',
      'i.id as indicator_id',
      'i.kf_goal_id',
      'i.org_goal_id',
      'i.owner_organisation_code',
      'i.frequency',
      eb.case().when('r.targets_fixed_at', 'is', null).then(eb.ref('oi.annual_target')).else(eb.ref('r.fixed_org_target')).end().as('org_target'),
      eb.case().when('r.targets_fixed_at', 'is', null).then(eb.ref('i.kf_annual_target')).else(eb.ref('r.fixed_kf_target')).end().as('kf_annual_target'),
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
    orgGoalId: r.org_goal_id,
    ownedByOrganisation: r.owner_organisation_code !== null,
    frequency: r.frequency,
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
      'i.tolerance',
      'i.frequency',
      'i.kf_annual_target',
    ])
    .where('i.year', '=', year)
    .where('i.owner_organisation_code', 'is', null)
    .execute();
}

/** Every KF goal of the year, with or without indicators, under its inriktningsmål. */
export async function kfGoalsOfYear(db: Db, year: number) {
  return db
    .selectFrom('kf_goal as g')
    .innerJoin('direction_goal as d', 'd.id', 'g.direction_goal_id')
    .select(['d.code as directionGoalCode', 'd.title as directionGoalTitle', 'g.id as kfGoalId', 'g.code', 'g.title'])
    .where('g.year', '=', year)
    .execute();
}

/** Every nämndmål of every organisation with its assessment in the period (nulls when there is no report yet). */
export async function goalAssessments(db: Db, year: number, period: PeriodCode) {
  return db
    .selectFrom('org_goal as og')
    .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
    .innerJoin('direction_goal as d', 'd.id', 'g.direction_goal_id')
    .leftJoin('report as rep', (j) => j.onRef('rep.organisation_code', '=', 'og.organisation_code').on('rep.year', '=', year).on('rep.period', '=', period))
    .leftJoin('goal_assessment as a', (j) => j.onRef('a.report_id', '=', 'rep.id').onRef('a.org_goal_id', '=', 'og.id'))
    .select([
      'og.organisation_code as organisation',
      'og.id as goalId',
      'og.code as goalCode',
      'og.title as goalTitle',
      'g.id as kfGoalId',
      'g.code as kfGoalCode',
      'd.code as directionGoalCode',
      'a.suggested as suggestedAssessment',
      'a.assessment',
      'a.motivation',
    ])
    .where('og.year', '=', year)
    .orderBy('og.organisation_code')
    .orderBy('og.code')
    .execute();
}

/**
 * One row per organisation × indicator it reports on, with the full-year forecasts of T1 and T2
 * and the outcome of VB, and the årsmål in force at VB (the one the VB report kept, if handed in
 * before a change; else the plan's).
 */
export async function forecastsOfYear(db: Db, year: number) {
  const rows = await db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .leftJoin('report as r1', (j) => j.onRef('r1.organisation_code', '=', 'oi.organisation_code').on('r1.year', '=', year).on('r1.period', '=', 'T1'))
    .leftJoin('indicator_result as x1', (j) => j.onRef('x1.report_id', '=', 'r1.id').onRef('x1.indicator_id', '=', 'i.id'))
    .leftJoin('report as r2', (j) => j.onRef('r2.organisation_code', '=', 'oi.organisation_code').on('r2.year', '=', year).on('r2.period', '=', 'T2'))
    .leftJoin('indicator_result as x2', (j) => j.onRef('x2.report_id', '=', 'r2.id').onRef('x2.indicator_id', '=', 'i.id'))
    .leftJoin('report as r3', (j) => j.onRef('r3.organisation_code', '=', 'oi.organisation_code').on('r3.year', '=', year).on('r3.period', '=', 'VB'))
    .leftJoin('indicator_result as x3', (j) => j.onRef('x3.report_id', '=', 'r3.id').onRef('x3.indicator_id', '=', 'i.id'))
    .select((eb) => [
      'oi.organisation_code',
      'i.id as indicator_id',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.tolerance',
      'i.frequency',
      eb.case().when('x3.targets_fixed_at', 'is', null).then(eb.ref('oi.annual_target')).else(eb.ref('x3.fixed_org_target')).end().as('org_target'),
      eb.case().when('x3.targets_fixed_at', 'is', null).then(eb.ref('i.kf_annual_target')).else(eb.ref('x3.fixed_kf_target')).end().as('kf_target'),
      'x1.forecast as forecast_t1',
      'x2.forecast as forecast_t2',
      'x3.outcome as outcome',
    ])
    .where('i.year', '=', year)
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation_code,
    indicatorId: r.indicator_id,
    code: r.code,
    title: r.title,
    unit: r.unit,
    direction: r.direction,
    tolerance: num(r.tolerance),
    frequency: r.frequency,
    annualTarget: targetsInForce(num(r.kf_target), num(r.org_target)).annualTarget,
    forecastT1: num(r.forecast_t1),
    forecastT2: num(r.forecast_t2),
    outcome: num(r.outcome),
  }));
}

/**
 * Counts of steering signals per organisation for a year: own goals, indicators and activities
 * reported on (KF's and its own), uppdrag given that year that it is responsible for or takes part in.
 */
export async function organisationSignalCounts(db: Db, year: number) {
  const rows = await db
    .selectFrom('organisation as o')
    .select((eb) => [
      'o.code',
      'o.name',
      'o.kind',
      eb
        .selectFrom('org_goal as og')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('og.organisation_code', '=', 'o.code')
        .where('og.year', '=', year)
        .as('goals'),
      eb
        .selectFrom('org_indicator as oi')
        .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('oi.organisation_code', '=', 'o.code')
        .where('i.year', '=', year)
        .as('indicators'),
      sql<string>`(
        select count(*) from activity a left join org_goal og on og.id = a.org_goal_id
        where a.year = ${year}
          and (og.organisation_code = o.code
            or exists (select 1 from org_activity oa where oa.activity_id = a.id and oa.organisation_code = o.code)))`.as('activities'),
      sql<string>`(
        select count(*) from commission c
        where c.year_given = ${year}
          and (c.responsible_organisation_code = o.code
            or exists (select 1 from commission_participant p where p.commission_id = c.id and p.organisation_code = o.code)))`.as('commissions'),
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
    commissions: Number(r.commissions ?? 0),
  }));
}

export async function kfSignalCounts(db: Db, year: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('kf_goal')
        .select(sql<string>`count(*)`.as('n'))
        .where('year', '=', year)
        .as('goals'),
      eb
        .selectFrom('indicator')
        .select(sql<string>`count(*)`.as('n'))
        .where('year', '=', year)
        .where('owner_organisation_code', 'is', null)
        .as('indicators'),
      eb
        .selectFrom('activity')
        .select(sql<string>`count(*)`.as('n'))
        .where('year', '=', year)
        .where('kf_goal_id', 'is not', null)
        .as('activities'),
      eb
        .selectFrom('commission')
        .select(sql<string>`count(*)`.as('n'))
        .where('year_given', '=', year)
        .as('commissions'),
    ])
    .executeTakeFirstOrThrow();
  return {
    goals: Number(row.goals ?? 0),
    indicators: Number(row.indicators ?? 0),
    activities: Number(row.activities ?? 0),
    commissions: Number(row.commissions ?? 0),
  };
}
