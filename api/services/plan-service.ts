import { sql, type Kysely } from 'kysely';
import type { ErrorDetail } from '../contract/common';
import { problemMessage } from '../contract/messages';
import type { KfPlan, OrgPlan, SetTargetsRequest } from '../contract/plan';
import { byCode } from '../domain/codes';
import { parseSwedishNumber } from '../domain/numbers';
import { sameValue } from '../domain/row-writes';
import { isBelowKfAmbition, targetsInForce, type PeriodCode } from '../domain/rules';
import { ApiError, notFound, validationFailed } from '../errors';
import { num, type Actor } from '../db/report-queries';
import type { Database } from '../db/schema';
import { recomputeReport } from './report-service';

type Db = Kysely<Database>;

async function requireYear(db: Db, year: number): Promise<number> {
  const row = await db.selectFrom('budget_year').select('partial_threshold_percent').where('year', '=', year).executeTakeFirst();
  if (!row) throw notFound(`Budgetåret ${year}`);
  return Number(row.partial_threshold_percent);
}

export async function getKfPlan(db: Db, year: number): Promise<KfPlan> {
  const threshold = await requireYear(db, year);
  const [directionGoals, kfGoals, indicators, activities] = await Promise.all([
    db.selectFrom('direction_goal').select(['id', 'code', 'title']).where('year', '=', year).execute(),
    db.selectFrom('kf_goal').select(['id', 'code', 'title', 'direction_goal_id']).where('year', '=', year).execute(),
    db
      .selectFrom('indicator')
      .selectAll()
      .where('year', '=', year)
      .where('owner_organisation_code', 'is', null)
      .execute(),
    db.selectFrom('activity').select(['id', 'code', 'title', 'kf_goal_id']).where('year', '=', year).where('kf_goal_id', 'is not', null).execute(),
  ]);
  return {
    year,
    partialThresholdPercent: threshold,
    directionGoals: directionGoals.sort(byCode).map((dg) => ({
      ...dg,
      kfGoals: kfGoals
        .filter((g) => g.direction_goal_id === dg.id)
        .sort(byCode)
        .map((g) => ({
          id: g.id,
          code: g.code,
          title: g.title,
          indicators: indicators
            .filter((i) => i.kf_goal_id === g.id)
            .sort(byCode)
            .map((i) => ({
              id: i.id,
              code: i.code,
              title: i.title,
              unit: i.unit,
              direction: i.direction,
              tolerance: num(i.tolerance),
              frequency: i.frequency,
              annualTarget: num(i.kf_annual_target),
              source: i.source,
            })),
          activities: activities.filter((a) => a.kf_goal_id === g.id).sort(byCode).map(({ kf_goal_id: _g, ...a }) => a),
        })),
    })),
  };
}

export async function getOrgPlan(db: Db, year: number, organisationCode: string): Promise<OrgPlan> {
  await requireYear(db, year);
  const organisation = await db.selectFrom('organisation').select(['code', 'name', 'kind']).where('code', '=', organisationCode).executeTakeFirst();
  if (!organisation) throw notFound(`Organisationen ${organisationCode}`);
  const [goals, indicators, activities] = await Promise.all([
    db
      .selectFrom('org_goal as og')
      .innerJoin('kf_goal as g', 'g.id', 'og.kf_goal_id')
      .select(['og.id', 'og.code', 'og.title', 'g.id as kfGoalId', 'g.code as kfGoalCode', 'g.title as kfGoalTitle'])
      .where('og.year', '=', year)
      .where('og.organisation_code', '=', organisationCode)
      .execute(),
    db
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
      .where('oi.organisation_code', '=', organisationCode)
      .where('i.year', '=', year)
      .execute(),
    db
      .selectFrom('activity as a')
      .innerJoin('org_goal as og', 'og.id', 'a.org_goal_id')
      .select(['a.id', 'a.code', 'a.title', 'a.org_goal_id'])
      .where('og.organisation_code', '=', organisationCode)
      .where('og.year', '=', year)
      .execute(),
  ]);
  const planIndicators = indicators.sort(byCode).map((i) => {
    const targets = targetsInForce(num(i.kf_annual_target), num(i.annual_target));
    return {
      id: i.id,
      code: i.code,
      title: i.title,
      unit: i.unit,
      direction: i.direction,
      tolerance: num(i.tolerance),
      frequency: i.frequency,
      source: i.source,
      ...targets,
      belowKfAmbition: isBelowKfAmbition(i.direction, targets.kfTarget, targets.orgTarget),
      owner: i.owner_organisation_code ? ('organisation' as const) : ('kf' as const),
      kfGoalCode: i.kf_goal_code,
      kfGoalId: i.kf_goal_id,
      orgGoalId: i.org_goal_id,
    };
  });
  const strip = ({ kfGoalId: _k, orgGoalId: _o, kfGoalCode: _c, ...i }: (typeof planIndicators)[number]) => i;
  return {
    year,
    organisation,
    goals: goals.sort(byCode).map((g) => ({
      id: g.id,
      code: g.code,
      title: g.title,
      kfGoal: { id: g.kfGoalId, code: g.kfGoalCode, title: g.kfGoalTitle },
      indicators: planIndicators
        .filter((i) => i.orgGoalId === g.id || (i.orgGoalId === null && i.kfGoalId === g.kfGoalId))
        .map(strip),
      activities: activities.filter((a) => a.org_goal_id === g.id).sort(byCode).map(({ org_goal_id: _g, ...a }) => a),
    })),
    indicators: planIndicators.map(({ kfGoalId: _k, orgGoalId: _o, ...i }) => i),
  };
}

/**
 * Sets an organisation's own årsmål (null: follow KF's). All or nothing; statuses and
 * suggestions of the organisation's reports that year are recomputed against the new targets.
 */
export async function setOrgTargets(db: Db, year: number, organisationCode: string, body: SetTargetsRequest, actor: Actor): Promise<OrgPlan> {
  await requireYear(db, year);
  const assigned = new Set(
    (
      await db
        .selectFrom('org_indicator as oi')
        .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
        .select('i.id')
        .where('oi.organisation_code', '=', organisationCode)
        .where('i.year', '=', year)
        .execute()
    ).map((r) => r.id),
  );
  const details: ErrorDetail[] = [];
  const targets: { index: number; indicatorId: number; value: number | null; base?: number | null }[] = [];
  body.targets.forEach((t, index) => {
    const parsed = parseSwedishNumber(t.annualTarget);
    const base = t.baseAnnualTarget === undefined ? undefined : parseSwedishNumber(t.baseAnnualTarget);
    if (!assigned.has(t.indicatorId)) {
      details.push({ index, indicatorId: t.indicatorId, field: 'indicatorId', code: 'UNKNOWN_INDICATOR', message: problemMessage('UNKNOWN_INDICATOR') });
    } else if (!parsed.ok || (base && !base.ok)) {
      const field = parsed.ok ? 'baseAnnualTarget' : 'annualTarget';
      details.push({ index, indicatorId: t.indicatorId, field, code: 'NOT_A_NUMBER', message: problemMessage('NOT_A_NUMBER', 'annualTarget') });
    } else targets.push({ index, indicatorId: t.indicatorId, value: parsed.value, ...(base?.ok ? { base: base.value } : {}) });
  });
  if (details.length > 0) throw validationFailed(details);

  await db.transaction().execute(async (trx) => {
    const current = new Map(
      (
        await trx
          .selectFrom('org_indicator')
          .select(['indicator_id', 'annual_target', 'changed_by', 'changed_at'])
          .where('organisation_code', '=', organisationCode)
          .where('indicator_id', 'in', targets.length > 0 ? targets.map((t) => t.indicatorId) : [0])
          .forUpdate()
          .execute()
      ).map((r) => [r.indicator_id, { annualTarget: num(r.annual_target), changedBy: r.changed_by, changedAt: r.changed_at ? new Date(r.changed_at).toISOString() : null }]),
    );
    const stale = targets
      .filter((t) => t.base !== undefined && !sameValue(t.base, current.get(t.indicatorId)!.annualTarget))
      .map((t) => ({
        index: t.index,
        indicatorId: t.indicatorId,
        field: 'annualTarget',
        code: 'STALE',
        message: `Årsmålet har ändrats av ${current.get(t.indicatorId)!.changedBy ?? 'någon annan'} sedan du läste det.`,
        current: current.get(t.indicatorId)!,
      }));
    if (stale.length > 0) throw new ApiError('CONFLICT', `${stale.length} årsmål har ändrats av någon annan. Inget har sparats.`, stale);
    for (const t of targets.filter((t) => !sameValue(t.value, current.get(t.indicatorId)!.annualTarget))) {
      await trx
        .updateTable('org_indicator')
        .set({ annual_target: t.value, changed_by: actor.name, changed_at: sql<Date>`now()` })
        .where('organisation_code', '=', organisationCode)
        .where('indicator_id', '=', t.indicatorId)
        .execute();
    }
    const reports = await trx
      .selectFrom('report')
      .select(['id', 'period'])
      .where('year', '=', year)
      .where('organisation_code', '=', organisationCode)
      .forUpdate()
      .execute();
    for (const r of reports) await recomputeReport(trx, r.id, r.period as PeriodCode);
  });
  return getOrgPlan(db, year, organisationCode);
}

export async function setPeriod(db: Db, year: number, period: PeriodCode, state: 'open' | 'locked', deadline: string | null | undefined) {
  await requireYear(db, year);
  const row = await db
    .updateTable('period')
    .set({ state, ...(deadline !== undefined ? { deadline } : {}) })
    .where('year', '=', year)
    .where('code', '=', period)
    .returning(['year', 'code', 'state', 'deadline'])
    .executeTakeFirst();
  if (!row) throw notFound(`Perioden ${period} för år ${year}`);
  return { year: row.year, period: row.code, state: row.state, deadline: row.deadline ? new Date(row.deadline).toISOString() : null };
}
