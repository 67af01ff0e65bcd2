import type { Kysely } from 'kysely';
import type { Consolidation, StatusCounts, SteeringSignals } from '../contract/consolidation';
import { compareCodes } from '../domain/codes';
import { isBelowKfAmbition, targetsInForce, type Assessment, type PeriodCode } from '../domain/rules';
import { notFound } from '../errors';
import {
  deviatingAssessments,
  kfSignalCounts,
  kfStructure,
  organisationSignalCounts,
  organisationStates,
  resultGrid,
} from '../db/consolidation-queries';
import { num } from '../db/report-queries';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

const emptyCounts = (): StatusCounts => ({ helt: 0, delvis: 0, ej: 0, missing: 0 });
const count = (c: StatusCounts, status: Assessment | null) => {
  c[status ?? 'missing']++;
};

/** The city-wide picture for one period, from five set-based queries (none per organisation). */
export async function consolidate(db: Db, year: number, period: PeriodCode): Promise<Consolidation> {
  const [p, orgs, grid, structure, deviations] = await Promise.all([
    db.selectFrom('period').select('state').where('year', '=', year).where('code', '=', period).executeTakeFirst(),
    organisationStates(db, year, period),
    resultGrid(db, year, period),
    kfStructure(db, year),
    deviatingAssessments(db, year, period),
  ]);
  if (!p) throw notFound(`Perioden ${period} för år ${year}`);

  const orgCounts = new Map(orgs.map((o) => [o.code, emptyCounts()]));
  const byIndicator = new Map<number, typeof grid>();
  for (const row of grid) {
    count(orgCounts.get(row.organisation)!, row.status);
    byIndicator.set(row.indicatorId, [...(byIndicator.get(row.indicatorId) ?? []), row]);
  }

  const goals = new Map<number, Consolidation['kfGoals'][number]>();
  for (const s of structure) {
    const goal =
      goals.get(s.kfGoalId) ??
      goals
        .set(s.kfGoalId, {
          directionGoalCode: s.directionGoalCode,
          directionGoalTitle: s.directionGoalTitle,
          code: s.kfGoalCode,
          title: s.kfGoalTitle,
          indicators: [],
        })
        .get(s.kfGoalId)!;
    const rows = (byIndicator.get(s.indicatorId) ?? []).sort((a, b) => compareCodes(a.organisation, b.organisation));
    const counts = emptyCounts();
    rows.forEach((r) => count(counts, r.status));
    goal.indicators.push({
      indicatorId: s.indicatorId,
      code: s.code,
      title: s.title,
      unit: s.unit,
      direction: s.direction,
      kfTarget: num(s.kf_annual_target),
      counts,
      results: rows.map((r) => ({
        organisation: r.organisation,
        orgTarget: r.orgTarget,
        annualTarget: targetsInForce(r.kfTarget, r.orgTarget).annualTarget,
        outcome: r.outcome,
        forecast: r.forecast,
        status: r.status,
      })),
    });
  }
  const kfGoals = [...goals.values()].sort((a, b) => compareCodes(a.code, b.code));
  kfGoals.forEach((g) => g.indicators.sort((a, b) => compareCodes(a.code, b.code)));

  const belowKfAmbition = kfGoals.flatMap((g) =>
    g.indicators.flatMap((i) =>
      i.results
        .filter((r) => isBelowKfAmbition(i.direction, i.kfTarget, r.orgTarget))
        .map((r) => ({ organisation: r.organisation, indicatorId: i.indicatorId, code: i.code, title: i.title, direction: i.direction, kfTarget: i.kfTarget, orgTarget: r.orgTarget })),
    ),
  );

  return {
    year,
    period,
    periodState: p.state,
    organisations: orgs.map((o) => ({ ...o, counts: orgCounts.get(o.code)! })),
    kfGoals,
    belowKfAmbition,
    deviatingAssessments: deviations.map((d) => ({ ...d, assessment: d.assessment! })),
    notReported: orgs.filter((o) => o.state !== 'submitted').map((o) => o.code),
  };
}

export async function steeringSignals(db: Db, year: number): Promise<SteeringSignals> {
  const exists = await db.selectFrom('budget_year').select('year').where('year', '=', year).executeTakeFirst();
  if (!exists) throw notFound(`Budgetåret ${year}`);
  const previousYear = year - 1;
  const hasPrevious = Boolean(await db.selectFrom('budget_year').select('year').where('year', '=', previousYear).executeTakeFirst());
  const [kf, kfBefore, orgs, orgsBefore] = await Promise.all([
    kfSignalCounts(db, year),
    hasPrevious ? kfSignalCounts(db, previousYear) : null,
    organisationSignalCounts(db, year),
    hasPrevious ? organisationSignalCounts(db, previousYear) : [],
  ]);
  const diff = (now: { goals: number; indicators: number; activities: number }, before?: typeof now | null) =>
    before ? { goals: now.goals - before.goals, indicators: now.indicators - before.indicators, activities: now.activities - before.activities } : null;
  const before = new Map(orgsBefore.map((o) => [o.code, o]));
  return {
    year,
    previousYear,
    kf: { ...kf, change: diff(kf, kfBefore) },
    organisations: orgs.map((o) => ({ ...o, change: hasPrevious ? diff(o, before.get(o.code) ?? { goals: 0, indicators: 0, activities: 0 }) : null })),
  };
}
