import { sql, type Kysely } from 'kysely';
import type { Assessment, PeriodCode } from '../../core/contract/common';
import { targetsInForce } from '../../core/domain/rules';
import { ensureFollowupRows } from './followup-queries';
import type { ActivityState, Database } from './schema';
import { num } from './values';

/**
 * The demo's earlier year written in bulk: a handful of set-based statements instead of a
 * report write per organisation and period, so that a first `npm start` stays quick. Used
 * only for the demo; real reports go through the report service.
 */
type Db = Kysely<Database>;

/** What each organisation reports on in a year, as the demo generator needs it. */
export async function demoScopeOf(db: Db, year: number) {
  const [indicators, goals, activities] = await Promise.all([
    db
      .selectFrom('org_indicator as oi')
      .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
      .innerJoin('budget_year as y', 'y.year', 'i.year')
      .select([
        'oi.organisation_code',
        'i.id',
        'i.code',
        'i.unit',
        'i.direction',
        'i.tolerance',
        'i.frequency',
        'i.kf_goal_id',
        'i.org_goal_id',
        'i.kf_annual_target',
        'oi.annual_target',
        sql<string>`coalesce(i.partial_threshold_percent, y.partial_threshold_percent)`.as('threshold'),
      ])
      .where('i.year', '=', year)
      .orderBy('oi.organisation_code')
      .orderBy('i.code')
      .execute(),
    db.selectFrom('org_goal').select(['organisation_code', 'id', 'code', 'kf_goal_id']).where('year', '=', year).orderBy('organisation_code').orderBy('code').execute(),
    // Every activity with the organisation reporting on it: KF's through org_activity, an organisation's own through its nämndmål.
    db
      .selectFrom('activity as a')
      .leftJoin('org_activity as oa', 'oa.activity_id', 'a.id')
      .leftJoin('org_goal as og', 'og.id', 'a.org_goal_id')
      .select([sql<string>`coalesce(oa.organisation_code, og.organisation_code)`.as('organisation'), 'a.id', 'a.code'])
      .where('a.year', '=', year)
      .orderBy('organisation')
      .orderBy('a.code')
      .execute(),
  ]);
  return {
    indicators: indicators.map((r) => ({
      organisation: r.organisation_code,
      indicatorId: r.id,
      code: r.code,
      unit: r.unit,
      direction: r.direction,
      tolerance: num(r.tolerance),
      frequency: r.frequency,
      kfGoalId: r.kf_goal_id,
      orgGoalId: r.org_goal_id,
      annualTarget: targetsInForce(num(r.kf_annual_target), num(r.annual_target)).annualTarget,
      partialThresholdPercent: Number(r.threshold),
    })),
    goals: goals.map((g) => ({ organisation: g.organisation_code, goalId: g.id, code: g.code, kfGoalId: g.kf_goal_id })),
    activities: activities.map((a) => ({ organisation: a.organisation, activityId: a.id, code: a.code })),
  };
}

export type DemoScope = Awaited<ReturnType<typeof demoScopeOf>>;

export interface DemoReport {
  organisation: string;
  period: PeriodCode;
  state: 'open' | 'submitted';
  /** When the values were written, and when it was handed in if submitted. */
  at: Date;
  indicators: { indicatorId: number; outcome: number | null; forecast: number | null; comment: string | null; status: Assessment | null }[];
  goals: { goalId: number; suggested: Assessment | null; assessment: Assessment | null; motivation: string | null; analysis: string | null }[];
  /** The state and comment of each activity the organisation reports on (rows left out keep no state). */
  activities: { activityId: number; state: ActivityState; comment: string | null }[];
  /** The state and text of every uppdrag on the organisation's list in the year. */
  commissions: { state: 'not_started' | 'ongoing' | 'done' | 'reported'; text: string } | null;
}

/** Writes the reports of a year with their rows (version 1, by `actor`), each with its follow-up rows as the report service would make them. */
export async function insertDemoReports(db: Db, year: number, reports: readonly DemoReport[], actor: { sub: string; name: string }): Promise<void> {
  if (reports.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const ids = await trx
      .insertInto('report')
      .values(
        reports.map((r) => ({
          year,
          period: r.period,
          organisation_code: r.organisation,
          state: r.state,
          submitted_at: r.state === 'submitted' ? r.at : null,
          submitted_by: r.state === 'submitted' ? actor.sub : null,
          submitted_by_name: r.state === 'submitted' ? actor.name : null,
        })),
      )
      .returning('id')
      .execute();
    const changed = (r: DemoReport) => ({ version: 1, changed_by: actor.sub, changed_by_name: actor.name, changed_at: r.at });
    const indicatorRows = reports.flatMap((r, n) =>
      r.indicators.map((i) => ({
        report_id: ids[n]!.id,
        indicator_id: i.indicatorId,
        outcome: i.outcome,
        forecast: i.forecast,
        comment: i.comment,
        status: i.status,
        ...changed(r),
      })),
    );
    // Under PGlite's bind-parameter limit (STACK.md) with room to spare.
    for (let from = 0; from < indicatorRows.length; from += 1000)
      await trx
        .insertInto('indicator_result')
        .values(indicatorRows.slice(from, from + 1000))
        .execute();
    const goalRows = reports.flatMap((r, n) => r.goals.map(({ goalId, ...g }) => ({ report_id: ids[n]!.id, org_goal_id: goalId, ...g, ...changed(r) })));
    if (goalRows.length > 0) await trx.insertInto('goal_assessment').values(goalRows).execute();
    for (const [n, r] of reports.entries()) {
      await ensureFollowupRows(trx, ids[n]!.id, { organisation: r.organisation, year });
      for (const a of r.activities)
        await trx
          .updateTable('activity_followup')
          .set({ state: a.state, comment: a.comment, ...changed(r) })
          .where('report_id', '=', ids[n]!.id)
          .where('activity_id', '=', a.activityId)
          .execute();
      if (r.commissions) {
        await trx
          .updateTable('commission_followup')
          .set({ state: r.commissions.state, text: r.commissions.text, ...changed(r) })
          .where('report_id', '=', ids[n]!.id)
          .execute();
      }
    }
  });
}
