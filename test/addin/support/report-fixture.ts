import type { Report, ReportGoal, ReportIndicator } from '../../../core/contract/report';
import type { ReportChanges } from '../../../core/contract/report-changes';

export function indicator(n: number, over: Partial<ReportIndicator> = {}): ReportIndicator {
  return {
    indicatorId: 100 + n,
    code: `I${n}`,
    title: `Indikator nummer ${n}`,
    unit: '%',
    direction: 'higher',
    tolerance: null,
    frequency: 'tertial',
    annualTarget: 80,
    kfTarget: 80,
    orgTarget: null,
    partialThresholdPercent: 80,
    kfGoalCode: 'KF1',
    kfGoalTitle: 'Ett KF-mål',
    goalId: null,
    outcome: null,
    forecast: null,
    comment: null,
    status: null,
    previousForecast: null,
    lastYearOutcome: null,
    version: 1,
    changedBy: null,
    changedAt: null,
    ...over,
  };
}

export function goal(n: number, over: Partial<ReportGoal> = {}): ReportGoal {
  return {
    goalId: 900 + n,
    code: `N${n}`,
    title: `Nämndmål ${n}`,
    kfGoalCode: 'KF1',
    kfGoalTitle: 'Ett KF-mål',
    directionGoalCode: '1',
    directionGoalTitle: 'Ett inriktningsmål',
    suggestedAssessment: null,
    evidence: { indicators: { helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 0 }, activities: { done: 0, ongoing: 0, notStarted: 0, cancelled: 0, missing: 0 } },
    assessment: null,
    motivation: null,
    analysis: null,
    version: 1,
    changedBy: null,
    changedAt: null,
    ...over,
  };
}

export function report(indicators: number, goals: number, over: Partial<Report> = {}): Report {
  return {
    organisation: { code: 'sdn-farsta', name: 'Farsta stadsdelsnämnd', kind: 'stadsdelsnamnd' },
    year: 2022,
    period: 'T1',
    state: 'open',
    submittedAt: null,
    submittedBy: null,
    deadline: null,
    indicators: Array.from({ length: indicators }, (_, i) => indicator(i + 1)),
    goals: Array.from({ length: goals }, (_, i) => goal(i + 1)),
    activities: [],
    commissions: [],
    controls: [],
    internalControl: [],
    ...over,
  };
}

/** The short answer of a write (`?answer=changes`) for the fixture's report: nothing changed unless `over` says so. */
export function changes(over: Partial<ReportChanges> = {}): ReportChanges {
  const { organisation, year, period, state } = report(0, 0);
  return {
    answer: 'changes',
    organisation,
    year,
    period,
    state,
    changedBy: null,
    changedAt: null,
    indicators: [],
    goals: [],
    activities: [],
    commissions: [],
    controls: [],
    internalControl: [],
    ...over,
  };
}
