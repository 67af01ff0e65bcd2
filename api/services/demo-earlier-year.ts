import type { Kysely } from 'kysely';
import type { Assessment, PeriodCode } from '../../core/contract/common';
import type { ActivityState } from '../../core/contract/followup';
import { statusOf, suggestionFor } from '../../core/domain/report-status';
import { earlierYearPlanDocument } from '../db/demo-plan';
import { seedDemoInternalControlFollowup } from './demo-internal-control';
import { demoScopeOf, insertDemoReports, type DemoReport, type DemoScope } from '../db/demo-queries';
import { importPlan } from '../db/plan-import';
import { updatePeriod } from '../db/plan-queries';
import type { Database } from '../db/schema';
import { round, unit } from './demo-service';

/**
 * The demo's earlier year (the demo year − 1), reported in full: T1, T2 and VB by almost every
 * organisation, so that last year's outcome, the T1 forecast beside T2, the måluppfyllelse
 * roll-up and the forecast accuracy have something to show. A few reports are late or missing,
 * a few assessments deviate from the suggestion with a motivation, and a few survey results
 * came too late for VB and are reported as a forecast. The periods are locked, as the centre
 * does after each deadline. Values are deterministic (the same on every machine) and written in
 * bulk (api/db/demo-queries.ts): statuses and suggestions by the same core rules as the report service.
 */
const ACTOR = { sub: 'demo', name: 'Demodata' };
const PERIODS: readonly PeriodCode[] = ['T1', 'T2', 'VB'];

/** Who did not hand in a period, and what they left: open (values, not submitted) or nothing at all. */
const NOT_HANDED_IN: Record<string, Partial<Record<PeriodCode, 'open' | 'not_started'>>> = {
  'ab-micasa': { T1: 'not_started' },
  'fn-idrott': { T2: 'open' },
  'sdn-skarholmen': { VB: 'open' },
  'ab-stockholmshem': { VB: 'not_started' },
};

/** Survey results that came after the VB deadline: reported as a forecast (DOMAIN.md, "Indicators"). */
const LATE_SURVEYS = new Set(['sdn-bromma 1.5.1', 'fn-aldre 1.5.2', 'sdn-kungsholmen 3.2.2']);

/** Handed in on these days (the deadline's week), at 09:00 Stockholm time. */
const HANDED_IN: Record<PeriodCode, (year: number) => string> = {
  T1: (y) => `${y}-05-07`,
  T2: (y) => `${y}-09-10`,
  VB: (y) => `${y + 1}-02-11`,
};
const DEADLINES: Record<PeriodCode, (year: number) => string> = {
  T1: (y) => `${y}-05-14T16:00:00Z`,
  T2: (y) => `${y}-09-17T16:00:00Z`,
  VB: (y) => `${y + 1}-02-18T16:00:00Z`,
};

const PERIOD_SHARE: Record<PeriodCode, number> = { T1: 4 / 12, T2: 8 / 12, VB: 1 };

const COMMISSION_TEXT: Record<PeriodCode, string> = {
  T1: 'Utredningen har startat; en arbetsgrupp med de berörda stadsdelsförvaltningarna är tillsatt.',
  T2: 'Kartläggningen av dagens nattorganisation är klar; förslag tas fram under hösten.',
  VB: 'Förslaget remitteras under våren; återrapporteras till kommunfullmäktige senast i oktober.',
};

const ACTIVITY_COMMENTS = {
  cancelled: 'Avbruten: insatsen ersattes av stadens gemensamma arbete på samma område.',
  continues: 'Försenad av rekryteringsläget; fortsätter under nästa år enligt reviderad tidplan.',
};

/**
 * An activity's state over the year: each has its own pace (a number from its organisation and
 * code), so at T1 most have started, at T2 about half are carried out, and at VB most are done,
 * a few go on into next year and one in eight is cancelled — with the comments the rules ask for.
 */
export function activityStateOf(year: number, period: PeriodCode, organisation: string, code: string): { state: ActivityState; comment: string | null } {
  const pace = unit(`${year}:${organisation}:${code}:activity`);
  if (period === 'T1') return { state: pace < 0.3 ? 'not_started' : 'ongoing', comment: null };
  if (period === 'T2') return { state: pace < 0.1 ? 'not_started' : pace < 0.55 ? 'ongoing' : 'done', comment: null };
  if (pace < 0.125) return { state: 'cancelled', comment: ACTIVITY_COMMENTS.cancelled };
  return pace < 0.3 ? { state: 'ongoing', comment: ACTIVITY_COMMENTS.continues } : { state: 'done', comment: null };
}

const MOTIVATIONS = {
  partialCoverage: 'Indikatorerna täcker bara en del av målet; övriga insatser har genomförts enligt plan och målet bedöms uppfyllt.',
  improving: 'Utvecklingen vände under hösten och flera insatser har gett effekt; målet bedöms delvis uppfyllt.',
  uncertainForecast: 'Prognosen för hösten är osäker med ökade kostnader för inhyrd personal; målet förväntas bara delvis uppfyllas.',
  annualOnly: 'Indikatorerna mäts årsvis; bedömningen bygger på verksamhetens uppföljning hittills.',
} as const;

type Indicator = DemoScope['indicators'][number];

const decimals = (i: Indicator) => (i.unit === 'antal' ? 0 : 1);
/** How far off a value may wander: the band's tolerance, else the size of the årsmål. */
const scale = (i: Indicator) => (i.direction === 'band' ? (i.tolerance ?? 1) * 2 : Math.abs(i.annualTarget ?? 1));

/** The year's outcome: around the årsmål, some better, many a little worse, a few far off. */
function yearOutcome(year: number, i: Indicator): number {
  const u = unit(`${year}:${i.organisation}:${i.code}`);
  const target = i.annualTarget ?? 0;
  const value = i.direction === 'higher' ? target * (0.72 + 0.4 * u) : i.direction === 'lower' ? target * (1.28 - 0.4 * u) : target + (i.tolerance ?? 1) * (5 * u - 2.5);
  return round(value, decimals(i));
}

/** A full-year forecast: off the outcome by up to ±15 % of the scale at T1, ±6 % at T2. */
function forecastOf(year: number, period: 'T1' | 'T2', i: Indicator, outcome: number): number {
  const u = unit(`${year}:${period}:${i.organisation}:${i.code}`);
  return round(outcome + scale(i) * (2 * u - 1) * (period === 'T1' ? 0.15 : 0.06), decimals(i));
}

/** The outcome so far: counts accumulate over the year, rates wander around the year's value. */
function outcomeSoFar(year: number, period: 'T1' | 'T2', i: Indicator, outcome: number): number {
  const u = unit(`${year}:so-far:${period}:${i.organisation}:${i.code}`);
  if (i.unit === 'antal') return round(outcome * PERIOD_SHARE[period] * (0.9 + 0.2 * u), 0);
  return round(outcome + scale(i) * (2 * u - 1) * 0.05, decimals(i));
}

function indicatorValues(year: number, period: PeriodCode, i: Indicator) {
  const outcome = yearOutcome(year, i);
  if (period === 'VB') {
    const late = LATE_SURVEYS.has(`${i.organisation} ${i.code}`);
    return { outcome: late ? null : outcome, forecast: late ? outcome : null };
  }
  if (i.frequency === 'annual') return { outcome: null, forecast: null };
  return { outcome: outcomeSoFar(year, period, i, outcome), forecast: forecastOf(year, period, i, outcome) };
}

/** A deviation from the suggestion of an organisation's goal (the k-th), with its motivation: a few per period, as real nämnder make them. */
function deviation(period: PeriodCode, n: number, k: number, suggested: Assessment | null): { assessment: Assessment; motivation: string } | null {
  if (period === 'VB' && n % 5 === 1 && k === 0 && suggested === 'delvis') return { assessment: 'helt', motivation: MOTIVATIONS.partialCoverage };
  if (period === 'VB' && n % 3 === 0 && suggested === 'ej') return { assessment: 'delvis', motivation: MOTIVATIONS.improving };
  if (period === 'T2' && n % 9 === 2 && k === 0 && suggested === 'helt') return { assessment: 'delvis', motivation: MOTIVATIONS.uncertainForecast };
  return null;
}

function analysisOf(period: PeriodCode, assessment: Assessment | null): string | null {
  if (assessment === null) return null;
  if (period !== 'VB') return 'Arbetet fortgår enligt verksamhetsplanen.';
  return {
    helt: 'Målet har uppnåtts genom de insatser verksamhetsplanen beskriver.',
    delvis: 'Målet har delvis uppnåtts; arbetet fortsätter nästa år.',
    ej: 'Målet har inte uppnåtts; nämnden har beslutat om åtgärder.',
  }[assessment];
}

function reportOf(year: number, scope: DemoScope, organisation: string, n: number, period: PeriodCode, state: 'open' | 'submitted'): DemoReport {
  const indicators = scope.indicators
    .filter((i) => i.organisation === organisation)
    .map((i) => {
      const values = indicatorValues(year, period, i);
      return { ...i, ...values, status: statusOf(period, { ...i, ...values }) };
    });
  const goals = scope.goals
    .filter((g) => g.organisation === organisation)
    .map((g, k) => {
      const suggested = suggestionFor(period, g, indicators);
      // A late report has not got to its later goals yet.
      if (state === 'open' && k > 0) return { goalId: g.goalId, suggested, assessment: null, motivation: null, analysis: null };
      const own = deviation(period, n, k, suggested);
      const assessment = own?.assessment ?? suggested ?? (unit(`${year}:${period}:${organisation}:${g.code}`) < 0.6 ? 'helt' : 'delvis');
      const motivation = own?.motivation ?? (suggested === null ? MOTIVATIONS.annualOnly : null);
      return { goalId: g.goalId, suggested, assessment, motivation, analysis: analysisOf(period, assessment) };
    });
  return {
    organisation,
    period,
    state,
    at: new Date(`${HANDED_IN[period](year)}T${String(7 + (n % 3)).padStart(2, '0')}:00:00Z`),
    indicators: indicators.map((i) => ({
      indicatorId: i.indicatorId,
      outcome: i.outcome,
      forecast: i.forecast,
      comment: period === 'VB' && i.status === 'ej' ? 'Utfallet blev sämre än årsmålet; orsaker och åtgärder i analysen under målet.' : null,
      status: i.status,
    })),
    goals,
    activities: scope.activities.filter((a) => a.organisation === organisation).map((a) => ({ activityId: a.activityId, ...activityStateOf(year, period, organisation, a.code) })),
    commissions: { state: 'ongoing', text: COMMISSION_TEXT[period] },
  };
}

/** Imports the earlier year's plan and writes its three periods; the periods are then locked. */
export async function seedDemoEarlierYear(db: Kysely<Database>): Promise<void> {
  const doc = earlierYearPlanDocument();
  const year = doc.year;
  await importPlan(db, doc);
  const scope = await demoScopeOf(db, year);
  const organisations = [...new Set([...scope.indicators.map((i) => i.organisation), ...scope.goals.map((g) => g.organisation)])].sort();
  const reports = PERIODS.flatMap((period) =>
    organisations.flatMap((organisation, n) => {
      const state = NOT_HANDED_IN[organisation]?.[period] ?? 'submitted';
      return state === 'not_started' ? [] : [reportOf(year, scope, organisation, n, period, state)];
    }),
  );
  await insertDemoReports(db, year, reports, ACTOR);
  await seedDemoInternalControlFollowup(db, year, ACTOR);
  for (const period of PERIODS) await updatePeriod(db, year, period, { state: 'locked', deadline: DEADLINES[period](year) });
}
