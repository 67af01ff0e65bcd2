import type { Kysely } from 'kysely';
import { ApiError } from '../errors';
import { listOrganisations } from '../db/organisation-queries';
import type { Database } from '../db/schema';
import type { Report } from '../../core/contract/report';
import type { ReportWrite } from '../../core/rows/report-rows';
import { getReport, submitReport, writeReport } from './report-service';

/** Deterministic "random" in [0, 1) from a string, so the demo looks the same on every machine. */
export function unit(seed: string): number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

export const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

/** T1's activities: most under way, some done or not started yet, the odd one cancelled, with why. */
function activityFollowups(code: string, report: Report): ReportWrite['activities'] {
  return report.activities.map((a) => {
    const u = unit(`${code}:${a.code}`);
    const state = u < 0.2 ? 'not_started' : u < 0.7 ? 'ongoing' : u < 0.92 ? 'done' : 'cancelled';
    const comment =
      state === 'cancelled'
        ? 'Avbruten: insatsen ersätts av en gemensam satsning i stadsdelsområdet.'
        : state === 'ongoing' && u < 0.3
          ? 'Startade senare än planerat; bemanningen är nu på plats.'
          : null;
    return { activityId: a.activityId, baseVersion: a.version, state, comment };
  });
}

/**
 * T1's uppdrag: one from the year before is done and about to be reported back; of this year's,
 * those due within the year are under way and those due later not started yet.
 */
function commissionFollowups(report: Report): ReportWrite['commissions'] {
  return report.commissions.map((c) => {
    const fromBefore = c.yearGiven < report.year;
    const dueThisYear = c.deadline !== null && c.deadline <= `${report.year}-12-31`;
    const state = fromBefore ? 'done' : dueThisYear ? 'ongoing' : 'not_started';
    const text = fromBefore
      ? 'Utredningen är klar och återrapporteras till kommunfullmäktige i maj.'
      : state === 'ongoing'
        ? 'Arbetsgrupp med de samverkande nämnderna är tillsatt; första avstämning i juni.'
        : null;
    return { commissionId: c.commissionId, baseVersion: c.version, state, text };
  });
}

/**
 * The demo's T1 2022: most organisations have sent forecasts around their targets (some off),
 * goal assessments (one deviating from the suggestion, with a motivation), and about half have
 * submitted; a few have not started, so the centre's picture has every state in it. Activities
 * and uppdrag get states too (see activityFollowups, commissionFollowups).
 */
export async function seedDemoResults(db: Kysely<Database>): Promise<void> {
  const organisations = await listOrganisations(db, 'code');
  const actor = { sub: 'demo', name: 'Demodata', requestId: null };
  for (const [n, { code }] of organisations.entries()) {
    if (n % 7 === 3) continue; // not started
    const address = { year: 2022, organisation: code, period: 'T1' as const };
    const report = await getReport(db, address);
    const indicators = report.indicators
      .filter((i) => i.frequency === 'tertial' && i.annualTarget !== null)
      .map((i) => {
        const target = i.annualTarget!;
        const spread = i.direction === 'band' ? (i.tolerance ?? 1) * 3 : Math.max(Math.abs(target) * 0.45, 1);
        const sign = i.direction === 'lower' ? 1 : -1;
        const forecast = round(target + sign * (unit(`${code}:${i.code}`) - 0.35) * spread, i.unit === 'antal' ? 0 : 1);
        return { indicatorId: i.indicatorId, baseVersion: i.version, forecast, comment: null };
      });
    const afterValues = await writeReport(db, address, { indicators, goals: [], activities: [], commissions: [], controls: [], internalControl: [] }, actor);
    const goals = afterValues.report.goals.map((g, k) => {
      const deviate = n % 5 === 0 && k === 0 && g.suggestedAssessment !== null && g.suggestedAssessment !== 'helt';
      const nothingMeasured = g.suggestedAssessment === null;
      return {
        goalId: g.goalId,
        baseVersion: g.version,
        assessment: deviate ? ('helt' as const) : (g.suggestedAssessment ?? 'delvis'),
        motivation: deviate
          ? 'Indikatorerna täcker bara en del av målet; övriga insatser går enligt plan.'
          : nothingMeasured
            ? 'Indikatorerna mäts årsvis; bedömningen bygger på verksamhetens uppföljning hittills.'
            : null,
        analysis: 'Arbetet fortgår enligt verksamhetsplanen.',
      };
    });
    const followups = { activities: activityFollowups(code, afterValues.report), commissions: commissionFollowups(afterValues.report) };
    await writeReport(db, address, { indicators: [], goals, ...followups, controls: [], internalControl: [] }, actor);
    if (n % 2 === 0) {
      try {
        await submitReport(db, address, actor);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'INCOMPLETE')) throw e;
      }
    }
  }
}
