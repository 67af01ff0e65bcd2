import { sql, type Kysely, type Transaction } from 'kysely';
import type { PlanDocument } from '../../core/contract/plan';
import { sameValue } from '../../core/domain/row-writes';
import { DEFAULT_PARTIAL_THRESHOLD_PERCENT } from '../../core/domain/rules';
import { appendPlanHistory, fixTargetsOfClosedReports, kfIndicatorsOf, lockOrgTargets, writeOrgTargets, type TargetChange } from './plan-queries';
import { assignActivityReporters, lastYearsActivityReporters, upsertActivity } from './activity-queries';
import { upsertCommission } from './commission-queries';
import { upsertInternalControl } from './internal-control-queries';
import { chunked, parametersOf } from './chunks';
import { PLAN_TABLES, refreshStatistics } from './statistics';
import type { Actor } from './history-queries';
import { num } from './values';
import type { Database } from './schema';

/** Who a plan imported from a file or the demo seed is recorded as (in org_indicator and the plan history). */
export const PLAN_IMPORT_ACTOR: Actor = { sub: 'import', name: 'Planimport', requestId: null };

export interface ImportSummary {
  year: number;
  organisations: number;
  directionGoals: number;
  kfGoals: number;
  indicators: number;
  organisationGoals: number;
  assignments: number;
  organisationTargets: number;
  activities: number;
  activityAssignments: number;
  commissions: number;
  /** Intern kontroll: risks and controls written. */
  risks: number;
  controls: number;
}

export class PlanReferenceError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'PlanReferenceError';
  }
}

/**
 * Merges a validated plan document into the database in one transaction: everything is
 * matched by code and updated, nothing is deleted (reported results hang on the rows).
 * Indicators and KF activities without `reportedBy` keep the organisations that reported on the
 * same code the year before. An uppdrag is matched by code and year given (so a later year's
 * document may list it again); who takes part in it is replaced as the document states it. Throws PlanReferenceError (nothing written) when a code refers to nothing.
 * Every changed årsmål (KF's or an organisation's) goes into the plan history under `actor`;
 * handed-in reports keep the årsmål they were handed in with. Statuses of open reports are
 * not recomputed here (the plan service does that).
 */
export async function importPlan(db: Kysely<Database>, doc: PlanDocument, actor: Actor = PLAN_IMPORT_ACTOR): Promise<ImportSummary> {
  const summary = await db.transaction().execute((trx) => importPlanInto(trx, doc, actor));
  // A new year's rows, perhaps many: the planner must know them before the first big write.
  await refreshStatistics(db, PLAN_TABLES);
  return summary;
}

export async function importPlanInto(trx: Transaction<Database>, doc: PlanDocument, actor: Actor): Promise<ImportSummary> {
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
    activities: 0,
    activityAssignments: 0,
    commissions: 0,
    risks: 0,
    controls: 0,
  };

  for (const organisations of chunked(doc.organisations, 3)) {
    await trx
      .insertInto('organisation')
      .values(organisations)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind') })))
      .execute();
  }
  const knownOrgs = new Set((await trx.selectFrom('organisation').select('code').execute()).map((o) => o.code));

  await trx
    .insertInto('budget_year')
    .values({ year, partial_threshold_percent: doc.assessmentDefaults?.partialThresholdPercent ?? DEFAULT_PARTIAL_THRESHOLD_PERCENT })
    .onConflict((oc) =>
      doc.assessmentDefaults ? oc.column('year').doUpdateSet({ partial_threshold_percent: doc.assessmentDefaults.partialThresholdPercent }) : oc.column('year').doNothing(),
    )
    .execute();
  await trx
    .insertInto('period')
    .values((['T1', 'T2', 'VB'] as const).map((code) => ({ year, code })))
    .onConflict((oc) => oc.columns(['year', 'code']).doNothing())
    .execute();

  const kfTargetsBefore = new Map((await kfIndicatorsOf(trx, year)).map((i) => [i.code, i]));
  const kfTargetChanges: { indicatorId: number; from: string | null; to: string | null }[] = [];

  const kfGoalIds = new Map<string, number>();
  const indicatorIds = new Map<string, number>();
  const explicitReporters = new Map<number, string[]>();
  const kfActivities: { id: number; code: string; reportedBy?: string[] }[] = [];

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
      // The goal's indicators in one upsert (in chunks under the parameter limit), not one statement each:
      // a year of 20,000 indicators is 200 statements, not 20,000.
      g.indicators.forEach((i, n) =>
        i.reportedBy?.forEach((org, o) => {
          if (!knownOrgs.has(org)) {
            throw new PlanReferenceError(`directionGoals[${d}].kfGoals[${k}].indicators[${n}].reportedBy[${o}]`, `unknown organisation ${org}`);
          }
        }),
      );
      const rows = g.indicators.map((i) => ({
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
      }));
      // KF årsmål about to change: handed-in reports keep the ones they had.
      const changed = new Map(
        rows.flatMap((r) => {
          const before = kfTargetsBefore.get(r.code);
          return before && !sameValue(num(before.kf_annual_target), r.kf_annual_target) ? [[r.code, before] as const] : [];
        }),
      );
      await fixTargetsOfClosedReports(trx, year, { indicatorIds: [...changed.values()].map((b) => b.id) });
      for (const chunk of chunked(rows, rows.length > 0 ? parametersOf(rows[0]!) : 1)) {
        if (chunk.length === 0) continue;
        const stored = await trx
          .insertInto('indicator')
          .values(chunk)
          .onConflict((oc) =>
            oc
              .columns(['year', 'code'])
              .where('owner_organisation_code', 'is', null)
              .doUpdateSet((eb) => ({
                kf_goal_id: eb.ref('excluded.kf_goal_id'),
                title: eb.ref('excluded.title'),
                unit: eb.ref('excluded.unit'),
                direction: eb.ref('excluded.direction'),
                tolerance: eb.ref('excluded.tolerance'),
                frequency: eb.ref('excluded.frequency'),
                source: eb.ref('excluded.source'),
                kf_annual_target: eb.ref('excluded.kf_annual_target'),
                partial_threshold_percent: eb.ref('excluded.partial_threshold_percent'),
              })),
          )
          .returning(['id', 'code', 'kf_annual_target'])
          .execute();
        const byCode = new Map(stored.map((r) => [r.code, r]));
        for (const r of chunk) {
          const { id, kf_annual_target: target } = byCode.get(r.code)!;
          const before = changed.get(r.code);
          if (before) kfTargetChanges.push({ indicatorId: id, from: before.kf_annual_target, to: target });
          indicatorIds.set(r.code, id);
          summary.indicators++;
        }
      }
      for (const i of g.indicators) if (i.reportedBy) explicitReporters.set(indicatorIds.get(i.code)!, i.reportedBy);
      for (const [n, activity] of g.activities.entries()) {
        activity.reportedBy?.forEach((org, o) => {
          if (!knownOrgs.has(org)) {
            throw new PlanReferenceError(`directionGoals[${d}].kfGoals[${k}].activities[${n}].reportedBy[${o}]`, `unknown organisation ${org}`);
          }
        });
        const id = await upsertActivity(trx, year, { kf_goal_id: kfGoalId }, activity);
        kfActivities.push({ id, code: activity.code, ...(activity.reportedBy ? { reportedBy: activity.reportedBy } : {}) });
        summary.activities++;
      }
    }
  }

  // Who reports on a KF activity: its explicit list, else those of the same code the year before.
  const activityAssignments: { organisation_code: string; activity_id: number }[] = [];
  for (const a of kfActivities) {
    const reporters = a.reportedBy ?? (await lastYearsActivityReporters(trx, year, a.code));
    for (const org of reporters) activityAssignments.push({ organisation_code: org, activity_id: a.id });
  }
  await assignActivityReporters(trx, activityAssignments);
  summary.activityAssignments = activityAssignments.length;

  // Reporting organisations: explicit lists, else carried over from the year before (one query for all of them).
  const carried = [...indicatorIds].filter(([, id]) => !explicitReporters.has(id)).map(([code]) => code);
  const lastYear = new Map<string, string[]>();
  if (carried.length > 0) {
    const rows = await trx
      .selectFrom('org_indicator as oi')
      .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
      .select(['i.code', 'oi.organisation_code'])
      .where('i.year', '=', year - 1)
      .where('i.code', '=', sql<string>`any(${carried}::text[])`)
      .where('i.owner_organisation_code', 'is', null)
      .orderBy('oi.organisation_code')
      .execute();
    for (const r of rows) lastYear.set(r.code, [...(lastYear.get(r.code) ?? []), r.organisation_code]);
  }
  const assignments: { organisation_code: string; indicator_id: number }[] = [];
  for (const [code, id] of indicatorIds) {
    const reporters = explicitReporters.get(id) ?? lastYear.get(code) ?? [];
    for (const org of reporters) assignments.push({ organisation_code: org, indicator_id: id });
  }
  for (const chunk of chunked(assignments, 2)) {
    await trx
      .insertInto('org_indicator')
      .values(chunk)
      .onConflict((oc) => oc.columns(['organisation_code', 'indicator_id']).doNothing())
      .execute();
  }
  summary.assignments = assignments.length;
  // A year nobody reports on is a mistake, not a plan (its reports would be empty): say how to name the reporters.
  if (indicatorIds.size > 0) {
    const anyReporter = await trx
      .selectFrom('org_indicator as oi')
      .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
      .select('oi.organisation_code')
      .where('i.year', '=', year)
      .where('i.owner_organisation_code', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (!anyReporter) {
      throw new PlanReferenceError(
        'directionGoals',
        `no organisation would report on any indicator of ${year}: no indicator names its reporters, and ${year - 1} has none to carry over for these codes. ` +
          'Name them on each indicator, e.g. "reportedBy": ["sdn-farsta", "fn-social"] (codes from GET /api/v1/organisations or the document\'s "organisations")',
      );
    }
  }

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
    summary.activities += og.activities.length;
    summary.organisationGoals++;
  }

  for (const [n, c] of doc.commissions.entries()) {
    const path = `commissions[${n}]`;
    if (!knownOrgs.has(c.responsible)) throw new PlanReferenceError(`${path}.responsible`, `unknown organisation ${c.responsible}`);
    c.participants.forEach((org, p) => {
      if (!knownOrgs.has(org)) throw new PlanReferenceError(`${path}.participants[${p}]`, `unknown organisation ${org}`);
    });
    await upsertCommission(trx, { ...c, deadline: c.deadline ?? null });
    summary.commissions++;
  }

  for (const [n, plan] of doc.internalControl.entries()) {
    if (!knownOrgs.has(plan.organisation)) throw new PlanReferenceError(`internalControl[${n}].organisation`, `unknown organisation ${plan.organisation}`);
    const written = await upsertInternalControl(trx, year, plan);
    summary.risks += written.risks;
    summary.controls += written.controls;
  }

  await appendPlanHistory(trx, { year, organisation: null }, kfTargetChanges, actor);

  // Organisations' årsmål; a later row for the same organisation and indicator wins.
  const targets = new Map<string, Map<number, { path: string; indicator: string; annualTarget: number }>>();
  for (const [n, t] of doc.organisationTargets.entries()) {
    const path = `organisationTargets[${n}]`;
    if (!knownOrgs.has(t.organisation)) throw new PlanReferenceError(`${path}.organisation`, `unknown organisation ${t.organisation}`);
    const indicatorId = indicatorIds.get(t.indicator);
    if (indicatorId === undefined) throw new PlanReferenceError(`${path}.indicator`, `unknown indicator ${t.indicator}`);
    const ofOrganisation = targets.get(t.organisation) ?? targets.set(t.organisation, new Map()).get(t.organisation)!;
    ofOrganisation.set(indicatorId, { path, indicator: t.indicator, annualTarget: t.annualTarget });
    summary.organisationTargets++;
  }
  for (const [organisation, wanted] of targets) {
    const current = new Map((await lockOrgTargets(trx, year, organisation, [...wanted.keys()])).map((r) => [r.indicator_id, r.annual_target]));
    const changes: TargetChange[] = [];
    for (const [indicatorId, t] of wanted) {
      if (!current.has(indicatorId)) throw new PlanReferenceError(t.path, `${organisation} does not report on indicator ${t.indicator}`);
      const from = current.get(indicatorId)!;
      if (!sameValue(num(from), t.annualTarget)) changes.push({ indicatorId, from, to: t.annualTarget });
    }
    await writeOrgTargets(trx, year, organisation, changes, actor);
  }
  return summary;
}
