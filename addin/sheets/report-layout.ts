import type { Report, ReportGoal, ReportIndicator } from '../../api/contract/report';
import type { PeriodCode } from '../../api/contract/common';
import { DEFAULT_PARTIAL_THRESHOLD_PERCENT } from '../../api/domain/rules';
import { safeSheetName } from './a1';

/**
 * The report sheet, pure: which columns, where, how formatted, what is input. Drives both the
 * add-in's Excel sheets (Office.js) and the offline xlsx workbook (exceljs).
 */
export type CellValue = string | number | null;
export type ColumnKind = 'text' | 'number' | 'status' | 'assessment' | 'hidden' | 'error';

export interface ColumnSpec<K extends string = string> {
  key: K;
  header: string;
  width: number;
  kind: ColumnKind;
  input: boolean;
  wrap?: boolean;
}

export const INDICATOR_COLUMNS = [
  { key: 'kfGoal', header: 'KF-mål', width: 30, kind: 'text', input: false, wrap: true },
  { key: 'code', header: 'Kod', width: 8, kind: 'text', input: false },
  { key: 'title', header: 'Indikator', width: 40, kind: 'text', input: false, wrap: true },
  { key: 'unit', header: 'Enhet', width: 9, kind: 'text', input: false },
  { key: 'direction', header: 'Riktning', width: 16, kind: 'text', input: false },
  { key: 'kfTarget', header: 'KF:s årsmål', width: 13, kind: 'number', input: false },
  { key: 'orgTarget', header: 'Nämndens årsmål', width: 13, kind: 'number', input: false },
  { key: 'outcome', header: 'Utfall', width: 13, kind: 'number', input: true },
  { key: 'forecast', header: 'Prognos helår', width: 13, kind: 'number', input: true },
  { key: 'comment', header: 'Kommentar', width: 40, kind: 'text', input: true, wrap: true },
  { key: 'status', header: 'Status', width: 10, kind: 'status', input: false },
  { key: 'changed', header: 'Senast ändrad', width: 24, kind: 'text', input: false },
  { key: 'error', header: 'Fel', width: 36, kind: 'error', input: false, wrap: true },
  { key: 'indicatorId', header: 'Nyckel', width: 8, kind: 'hidden', input: false },
  { key: 'version', header: 'Version', width: 8, kind: 'hidden', input: false },
] as const satisfies readonly ColumnSpec[];

export const GOAL_COLUMNS = [
  { key: 'goal', header: 'Nämndmål', width: 40, kind: 'text', input: false, wrap: true },
  { key: 'kfGoal', header: 'KF-mål', width: 30, kind: 'text', input: false, wrap: true },
  { key: 'suggested', header: 'Föreslagen bedömning', width: 14, kind: 'status', input: false },
  { key: 'assessment', header: 'Bedömning', width: 13, kind: 'assessment', input: true },
  { key: 'motivation', header: 'Motivering (krävs vid avvikelse)', width: 40, kind: 'text', input: true, wrap: true },
  { key: 'analysis', header: 'Analys', width: 50, kind: 'text', input: true, wrap: true },
  { key: 'changed', header: 'Senast ändrad', width: 24, kind: 'text', input: false },
  { key: 'error', header: 'Fel', width: 36, kind: 'error', input: false, wrap: true },
  { key: 'goalId', header: 'Nyckel', width: 8, kind: 'hidden', input: false },
  { key: 'version', header: 'Version', width: 8, kind: 'hidden', input: false },
] as const satisfies readonly ColumnSpec[];

export type IndicatorColumnKey = (typeof INDICATOR_COLUMNS)[number]['key'];
export type GoalColumnKey = (typeof GOAL_COLUMNS)[number]['key'];

export const columnIndex = <K extends string>(columns: readonly ColumnSpec<K>[], key: K): number =>
  columns.findIndex((c) => c.key === key);

export const PERIOD_NAMES: Record<PeriodCode, string> = {
  T1: 'Tertialrapport 1',
  T2: 'Tertialrapport 2',
  VB: 'Verksamhetsberättelse',
};

export const ASSESSMENTS = ['helt', 'delvis', 'ej'] as const;

/** Colours that mean the same everywhere; the legend says it in words. */
export const STATUS_COLOURS = {
  helt: { fill: '#C6EFCE', font: '#006100' },
  delvis: { fill: '#FFEB9C', font: '#9C5700' },
  ej: { fill: '#FFC7CE', font: '#9C0006' },
} as const;
export const INPUT_FILL = '#FFF9E6';
export const HEADER_FILL = '#1F4E78';
export const ERROR_FILL = '#F8CBAD';

export const NUMBER_FORMAT = '#,##0.0##';
export const INTEGER_FORMAT = '#,##0';

export function directionText(direction: ReportIndicator['direction'], tolerance: number | null): string {
  if (direction === 'higher') return 'Högre är bättre';
  if (direction === 'lower') return 'Lägre är bättre';
  return `Inom ±${String(tolerance ?? 0).replace('.', ',')}`;
}

export function legendLines(partialThresholdPercent: number, period: PeriodCode): string[] {
  const upper = 200 - partialThresholdPercent;
  return [
    `Status beräknas av Tertial, samma regel för alla nämnder. Jämförs: ${period === 'VB' ? 'utfallet' : 'prognosen för helåret (utfallet om prognos saknas)'} mot årsmålet som gäller.`,
    `Högre är bättre: helt om värdet ≥ årsmålet, delvis om ≥ ${partialThresholdPercent} % av årsmålet, annars ej. Lägre är bättre: helt om ≤ årsmålet, delvis om ≤ ${upper} % av årsmålet, annars ej. Inom ±t: helt om avvikelsen ≤ t, delvis om ≤ 2t, annars ej.`,
    'Gula celler fyller du i. Föreslagen bedömning: helt om alla indikatorer är helt, ej om fler än hälften är ej, annars delvis. Avviker din bedömning krävs en motivering.',
  ];
}

export interface TableModel<K extends string> {
  columns: readonly ColumnSpec<K>[];
  /** 1-based sheet row of the header; data follows directly below. */
  headerRow: number;
  rows: CellValue[][];
}

export interface SheetModel {
  name: string;
  titleRows: string[];
  indicators: TableModel<IndicatorColumnKey>;
  goals: TableModel<GoalColumnKey>;
  /** Row of the "Mål och bedömningar" caption above the goal table. */
  goalCaptionRow: number;
}

export function sheetName(period: PeriodCode, year: number, organisationName: string): string {
  const short = organisationName.replace(/s? stadsdelsnämnd$/i, '').replace(/nämnden$/i, '');
  return safeSheetName(`${period} ${year} ${short}`);
}

function changedText(by: string | null, at: string | null): string {
  if (!by && !at) return '';
  const when = at ? new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : '';
  return [by, when].filter(Boolean).join(', ');
}

export function indicatorRow(i: ReportIndicator): CellValue[] {
  const values: Record<IndicatorColumnKey, CellValue> = {
    kfGoal: i.kfGoalCode ? `${i.kfGoalCode} ${i.kfGoalTitle ?? ''}`.trim() : '',
    code: i.code,
    title: i.title,
    unit: i.unit,
    direction: directionText(i.direction, i.tolerance),
    kfTarget: i.kfTarget,
    orgTarget: i.orgTarget,
    outcome: i.outcome,
    forecast: i.forecast,
    comment: i.comment ?? '',
    status: i.status ?? '',
    changed: changedText(i.changedBy, i.changedAt),
    error: '',
    indicatorId: i.indicatorId,
    version: i.version,
  };
  return INDICATOR_COLUMNS.map((c) => values[c.key]);
}

export function goalRow(g: ReportGoal): CellValue[] {
  const values: Record<GoalColumnKey, CellValue> = {
    goal: `${g.code} ${g.title}`,
    kfGoal: `${g.kfGoalCode} ${g.kfGoalTitle}`,
    suggested: g.suggestedAssessment ?? '',
    assessment: g.assessment ?? '',
    motivation: g.motivation ?? '',
    analysis: g.analysis ?? '',
    changed: changedText(g.changedBy, g.changedAt),
    error: '',
    goalId: g.goalId,
    version: g.version,
  };
  return GOAL_COLUMNS.map((c) => values[c.key]);
}

export const TITLE_ROWS = 5;
export const GOAL_CAPTION = 'Mål och bedömningar';

export function reportToSheet(report: Report, pulledAt: Date): SheetModel {
  const threshold = report.indicators[0]?.partialThresholdPercent ?? DEFAULT_PARTIAL_THRESHOLD_PERCENT;
  const titleRows = [
    `${PERIOD_NAMES[report.period]} ${report.year} – ${report.organisation.name}`,
    `Hämtad ${pulledAt.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' })} · Rapportens läge: ${stateText(report.state)}${report.deadline ? ` · Sista dag: ${report.deadline.slice(0, 10)}` : ''}`,
    ...legendLines(threshold, report.period),
  ];
  const indicatorHeaderRow = TITLE_ROWS + 2;
  const goalCaptionRow = indicatorHeaderRow + report.indicators.length + 2;
  return {
    name: sheetName(report.period, report.year, report.organisation.name),
    titleRows,
    indicators: { columns: INDICATOR_COLUMNS, headerRow: indicatorHeaderRow, rows: report.indicators.map(indicatorRow) },
    goals: { columns: GOAL_COLUMNS, headerRow: goalCaptionRow + 1, rows: report.goals.map(goalRow) },
    goalCaptionRow,
  };
}

export function stateText(state: Report['state']): string {
  return state === 'open' ? 'öppen' : state === 'submitted' ? 'inskickad' : 'låst';
}
