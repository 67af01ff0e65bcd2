import type { Kysely } from 'kysely';
import { ApiError } from '../errors';
import { getReport, submitReport, writeReport } from '../services/report-service';
import type { Database } from './schema';

/** Deterministic "random" in [0, 1) from a string, so the demo looks the same on every machine. */
function unit(seed: string): number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

/**
 * The demo's T1 2022: most organisations have sent forecasts around their targets (some off),
 * goal assessments (one deviating from the suggestion, with a motivation), and about half have
 * submitted; a few have not started, so the centre's picture has every state in it.
 */
export async function seedDemoResults(db: Kysely<Database>): Promise<void> {
  const organisations = await db.selectFrom('organisation').select('code').orderBy('code').execute();
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
    const afterValues = await writeReport(db, address, { indicators, goals: [] }, actor);
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
    await writeReport(db, address, { indicators: [], goals }, actor);
    if (n % 2 === 0) {
      try {
        await submitReport(db, address, actor);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'INCOMPLETE')) throw e;
      }
    }
  }
}
