import type { Report } from '../core/contract/report';
import { callJson, reportPath } from './http';

export const DEMO_YEAR = 2022;
export const PERIODS = ['T1', 'T2', 'VB'] as const;
const ASSESSMENTS = ['helt', 'delvis', 'ej'] as const;
const FACTORS = [1.1, 0.9, 0.5];

/**
 * A write of the whole report with new values for `round`: every indicator (outcome, forecast,
 * comment) and every goal (assessment with a motivation, analysis), spread over helt/delvis/ej.
 */
export function wholeReportBody(report: Report, round: number) {
  return {
    indicators: report.indicators.map((i, n) => {
      const target = i.annualTarget ?? 100;
      const value = Math.round(target * FACTORS[(n + round) % FACTORS.length]! * 100) / 100 + round / 100;
      return { indicatorId: i.indicatorId, baseVersion: i.version, outcome: value, forecast: value, comment: `Omgång ${round}` };
    }),
    goals: report.goals.map((g, n) => ({
      goalId: g.goalId,
      baseVersion: g.version,
      assessment: ASSESSMENTS[(n + round) % ASSESSMENTS.length]!,
      motivation: 'Bedömningen bygger på verksamhetens egen uppföljning.',
      analysis: `Analys, omgång ${round}.`,
    })),
  };
}

/** Fills every organisation's reports for the periods through the API (reopening submitted ones). */
export async function fillCity(baseUrl: string, centralToken: string, organisations: string[], round: number): Promise<void> {
  for (const period of PERIODS) {
    for (const org of organisations) {
      const path = reportPath(DEMO_YEAR, org, period);
      let report = (await callJson<Report>(baseUrl, centralToken, 'GET', path)).body;
      if (report.state === 'submitted') report = (await callJson<Report>(baseUrl, centralToken, 'POST', `${path}/reopen`)).body;
      const put = await callJson(baseUrl, centralToken, 'PUT', path, wholeReportBody(report, round));
      if (put.status !== 200) throw new Error(`filling ${org} ${period}: ${put.status} ${JSON.stringify(put.body).slice(0, 300)}`);
    }
  }
}
