import { sql, type Kysely, type Transaction } from 'kysely';
import type { PlanDocument } from '../contract/plan';
import { DEFAULT_PARTIAL_THRESHOLD_PERCENT } from '../domain/rules';
import type { Database } from './schema';

export interface ImportSummary {
  year: number;
  organisations: number;
  directionGoals: number;
  kfGoals: number;
  indicators: number;
  organisationGoals: number;
  assignments: number;
  organisationTargets: number;
}

export class PlanReferenceError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'PlanReferenceError';
  }
}

/**
 * Merges a validated plan document into the database in one transaction: everything is
 * matched by code and updated, nothing is deleted (reported results hang on the rows).
 * Indicators without `reportedBy` keep the organisations that reported on the same code the
 * year before. Throws PlanReferenceError (nothing written) when a code refers to nothing.
 */
export async function importPlan(db: Kysely<Database>, doc: PlanDocument): Promise<ImportSummary> {
  return db.transaction().execute((trx) => importInTransaction(trx, doc));
}

async function importInTransaction(trx: Transaction<Database>, doc: PlanDocument): Promise<ImportSummary> {
  const { year } = doc;
  const summary: ImportSummary = {
    year,
    organisations: doc.organisations.length,
    directionGoals: 0,
    kfGoals: 0,
    indicators: 0,
    organisationGoals: 0,
    assignments: 0,
    organisationTargets: 0,
  };

  if (doc.organisations.length > 0) {
    await trx
      .insertInto('organisation')
      .values(doc.organisations)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind') })))
      .execute();
  }
  const knownOrgs = new Set((await trx.selectFrom('organisation').select('code').execute()).map((o) => o.code));

  await trx
    .insertInto('budget_year')
    .values({ year, partial_threshold_percent: doc.assessmentDefaults?.partialThresholdPercent ?? DEFAULT_PARTIAL_THRESHOLD_PERCENT })
    .onConflict((oc) =>
      doc.assessmentDefaults
        ? oc.column('year').doUpdateSet({ partial_threshold_percent: doc.assessmentDefaults.partialThresholdPercent })
        : oc.column('year').doNothing(),
    )
    .execute();
  await trx
    .insertInto('period')
    .values((['T1', 'T2', 'VB'] as const).map((code) => ({ year, code })))
    .onConflict((oc) => oc.columns(['year', 'code']).doNothing())
    .execute();

  const kfGoalIds = new Map<string, number>();
  const indicatorIds = new Map<string, number>();
  const explicitReporters = new Map<number, string[]>();

  for (const [d, dg] of doc.directionGoals.entries()) {
    const { id: directionGoalId } = await trx
      .insertInto('direction_goal')
      .values({ year, code: dg.code, title: dg.title })
      .onConflict((oc) => oc.columns(['year', 'code']).doUpdateSet({ title: dg.title }))
      .returning('id')
      .executeTakeFirstOrThrow();
    summary.directionGoals++;
    for (const [k, g] of dg.kfGoals.entries()) {
      const { id: kfGoalId } = await trx
        .insertInto('kf_goal')
        .values({ year, code: g.code, title: g.title, direction_goal_id: directionGoalId })
        .onConflict((oc) => oc.columns(['year', 'code']).doUpdateSet({ title: g.title, direction_goal_id: directionGoalId }))
        .returning('id')
        .executeTakeFirstOrThrow();
      kfGoalIds.set(g.code, kfGoalId);
      summary.kfGoals++;
      for (const [n, i] of g.indicators.entries()) {
        const values = {
          year,
          kf_goal_id: kfGoalId,
          code: i.code,
          title: i.title,
          unit: i.unit,
          direction: i.direction,
          tolerance: i.tolerance ?? null,
          frequency: i.frequency,
          source: i.source ?? null,
          kf_annual_target: i.annualTarget ?? null,
          partial_threshold_percent: i.partialThresholdPercent ?? null,
        };
        const { kf_goal_id: _kf, year: _y, code: _c, ...updatable } = values;
        const { id } = await trx
          .insertInto('indicator')
          .values(values)
          .onConflict((oc) =>
            oc
              .columns(['year', 'code'])
              .where('owner_organisation_code', 'is', null)
              .doUpdateSet({ ...updatable, kf_goal_id: kfGoalId }),
          )
          .returning('id')
          .executeTakeFirstOrThrow();
        indicatorIds.set(i.code, id);
        summary.indicators++;
        if (i.reportedBy) {
          i.reportedBy.forEach((org, o) => {
            if (!knownOrgs.has(org)) {
              throw new PlanReferenceError(
                `directionGoals[${d}].kfGoals[${k}].indicators[${n}].reportedBy[${o}]`,
                `unknown organisation ${org}`,
              );
            }
          });
          explicitReporters.set(id, i.reportedBy);
        }
      }
      for (const activity of g.activities) await upsertActivity(trx, year, { kf_goal_id: kfGoalId }, activity);
    }
  }

  // Reporting organisations: explicit lists, else carried over from the year before.
  const assignments: { organisation_code: string; indicator_id: number }[] = [];
  for (const [code, id] of indicatorIds) {
    const explicit = explicitReporters.get(id);
    const reporters =
      explicit ??
      (
        await trx
          .selectFrom('org_indicator as oi')
          .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
          .select('oi.organisation_code')
          .where('i.year', '=', year - 1)
          .where('i.code', '=', code)
          .where('i.owner_organisation_code', 'is', null)
          .execute()
      ).map((r) => r.organisation_code);
    for (const org of reporters) assignments.push({ organisation_code: org, indicator_id: id });
  }
  if (assignments.length > 0) {
    await trx
      .insertInto('org_indicator')
      .values(assignments)
      .onConflict((oc) => oc.columns(['organisation_code', 'indicator_id']).doNothing())
      .execute();
  }
  summary.assignments = assignments.length;

  for (const [n, og] of doc.organisationGoals.entries()) {
    const path = `organisationGoals[${n}]`;
    if (!knownOrgs.has(og.organisation)) throw new PlanReferenceError(`${path}.organisation`, `unknown organisation ${og.organisation}`);
    const kfGoalId = kfGoalIds.get(og.kfGoal);
    if (kfGoalId === undefined) throw new PlanReferenceError(`${path}.kfGoal`, `unknown KF goal ${og.kfGoal}`);
    const { id: orgGoalId } = await trx
      .insertInto('org_goal')
      .values({ year, organisation_code: og.organisation, kf_goal_id: kfGoalId, code: og.code, title: og.title })
      .onConflict((oc) => oc.columns(['year', 'organisation_code', 'code']).doUpdateSet({ title: og.title, kf_goal_id: kfGoalId }))
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const activity of og.activities) await upsertActivity(trx, year, { org_goal_id: orgGoalId }, activity);
    summary.organisationGoals++;
  }

  for (const [n, t] of doc.organisationTargets.entries()) {
    const path = `organisationTargets[${n}]`;
    const indicatorId = indicatorIds.get(t.indicator);
    if (indicatorId === undefined) throw new PlanReferenceError(`${path}.indicator`, `unknown indicator ${t.indicator}`);
    const updated = await trx
      .updateTable('org_indicator')
      .set({ annual_target: t.annualTarget, changed_by: 'import', changed_at: sql<Date>`now()` })
      .where('organisation_code', '=', t.organisation)
      .where('indicator_id', '=', indicatorId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw new PlanReferenceError(`${path}`, `${t.organisation} does not report on indicator ${t.indicator}`);
    }
    summary.organisationTargets++;
  }
  return summary;
}

type ActivityParent = { kf_goal_id: number } | { org_goal_id: number };

async function upsertActivity(
  trx: Transaction<Database>,
  year: number,
  parent: ActivityParent,
  activity: { code: string; title: string },
): Promise<void> {
  const [column, id] = 'kf_goal_id' in parent ? (['kf_goal_id', parent.kf_goal_id] as const) : (['org_goal_id', parent.org_goal_id] as const);
  const existing = await trx
    .selectFrom('activity')
    .select('id')
    .where(column, '=', id)
    .where('code', '=', activity.code)
    .executeTakeFirst();
  if (existing) await trx.updateTable('activity').set({ title: activity.title }).where('id', '=', existing.id).execute();
  else await trx.insertInto('activity').values({ year, ...parent, code: activity.code, title: activity.title }).execute();
}
