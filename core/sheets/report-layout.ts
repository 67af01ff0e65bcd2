import { AssessmentSchema, type Assessment, type PeriodCode } from '../contract/common';
import type { GoalEvidence, ReportActivity, ReportCommission } from '../contract/followup';
import type { Report, ReportGoal, ReportIndicator } from '../contract/report';
import { DEFAULT_PARTIAL_THRESHOLD_PERCENT } from '../domain/rules';
import { choiceLabel, choiceLabels, fieldNames, idOf, valuesOf, type FieldName, type FieldSpec, type RowKindSpec } from '../rows/row-kind';
import {
  ACTIVITY_FOLLOWUPS,
  COMMISSION_FOLLOWUPS,
  CONTROL_FOLLOWUPS,
  GOAL_ASSESSMENTS,
  INDICATOR_RESULTS,
  INTERNAL_CONTROL_ASSESSMENTS,
  REPORT_ROW_KINDS,
  ROW_KINDS,
  type RowKind,
} from '../rows/report-rows';
import type { ReportControl, ReportInternalControl } from '../contract/internal-control';
import { safeSheetName } from './a1';

/**
 * The report in Excel, pure: one sheet per row kind (Indikatorer, Mål, …), each with its own
 * columns — key and title at the left, frozen; the input columns right after them, then the
 * status and the row's problems, then the read-only context. Drives both the add-in's sheets
 * (Office.js) and the offline xlsx workbook (exceljs).
 */
export type CellValue = string | number | null;
/** `choice`: one of `options`, chosen from a dropdown. */
export type ColumnKind = 'text' | 'number' | 'status' | 'choice' | 'hidden' | 'error';

export interface ColumnSpec<K extends string = string> {
  key: K;
  header: string;
  width: number;
  kind: ColumnKind;
  input: boolean;
  wrap?: boolean;
  /** Input text: at most this many characters. */
  maxLength?: number;
  /** Input choice: the words offered (what the cells show). */
  options?: readonly string[];
}

export const columnIndex = <K extends string>(columns: readonly ColumnSpec<K>[], key: K): number => columns.findIndex((c) => c.key === key);

// --- words -------------------------------------------------------------------------------------

export const PERIOD_NAMES: Record<PeriodCode, string> = {
  T1: 'Tertialrapport 1',
  T2: 'Tertialrapport 2',
  VB: 'Verksamhetsberättelse',
};
/** The months an outcome covers. */
export const PERIOD_MONTHS: Record<PeriodCode, string> = { T1: 'jan–apr', T2: 'jan–aug', VB: 'helår' };
const PREVIOUS_PERIOD: Record<PeriodCode, PeriodCode | null> = { T1: null, T2: 'T1', VB: 'T2' };

/** The three levels, in the order shown. */
export const ASSESSMENTS = AssessmentSchema.options;

/** An assessment in the words of its period: a forecast at T1/T2, a result at VB. */
export function assessmentText(assessment: Assessment | null, period: PeriodCode): string {
  if (assessment === null) return '';
  return choiceLabel(GOAL_ASSESSMENTS.fields.assessment, assessment, period);
}

/** What an annual indicator's value cells say at T1 and T2: nothing to fill in now. */
export const REPORTED_AT_VB = 'rapporteras i VB';

export function directionText(direction: ReportIndicator['direction'], tolerance: number | null): string {
  if (direction === 'higher') return 'Högre är bättre';
  if (direction === 'lower') return 'Lägre är bättre';
  return `Inom ±${String(tolerance ?? 0).replace('.', ',')}`;
}

const FREQUENCY_TEXT: Record<ReportIndicator['frequency'], string> = { tertial: 'varje tertial', annual: 'helår (VB)' };

export function stateText(state: Report['state']): string {
  return state === 'open' ? 'öppen' : state === 'submitted' ? 'inskickad' : 'låst';
}

// --- colours and formats -----------------------------------------------------------------------

/** Colours that mean the same everywhere; the legend says it in words. Status texts are recognised by these words. */
export const STATUS_COLOURS = {
  helt: { fill: '#C6EFCE', font: '#006100' },
  delvis: { fill: '#FFEB9C', font: '#9C5700' },
  ej: { fill: '#FFC7CE', font: '#9C0006' },
} as const;
/** Input cells: light blue, unlike any status colour. */
/** The level a status text speaks of ("förväntas ej uppfyllas" → ej): each text holds its level's word and no other's. */
export const statusLevel = (text: CellValue | undefined): Assessment | undefined => (typeof text === 'string' ? ASSESSMENTS.find((level) => text.includes(level)) : undefined);

export const INPUT_FILL = '#DDEBF7';
export const INPUT_COLOUR_NAME = 'Blå';
/** Cells that take no input now (an annual indicator at T1/T2). */
export const NOT_APPLICABLE_FILL = '#F2F2F2';
export const HEADER_FILL = '#1F4E78';
export const ERROR_FILL = '#F8CBAD';

export const NUMBER_FORMAT = '#,##0.0##';
export const INTEGER_FORMAT = '#,##0';
export const TEXT_FORMAT = '@';

/** A number format with thousands grouped and exactly `decimals` decimals. */
export const decimalsFormat = (decimals: number): string => (decimals <= 0 ? INTEGER_FORMAT : `#,##0.${'0'.repeat(decimals)}`);

/** The decimals an indicator's numbers need: as many as the most precise of its known values (at most 3). */
export function decimalsOf(values: ReadonlyArray<number | null>): number {
  const places = values
    .filter((v): v is number => v !== null)
    .map((v) => {
      const text = String(Math.round(v * 1000) / 1000);
      return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
    });
  return Math.min(3, Math.max(0, ...places));
}

// --- printing ------------------------------------------------------------------------------------

/** Page set-up every report sheet and workbook gets: A4 landscape, readable, titles repeated. */
export interface PrintSetup {
  orientation: 'landscape';
  paper: 'A4';
  /** Percent; with the sheet's 11 pt text this prints at ≥ 8 pt. */
  zoom: number;
  /** Rows repeated on every page (1-based, inclusive): the table's header. */
  titleRows: [number, number];
  /** Columns repeated on every page (1-based, inclusive): key and title. */
  titleColumns: [number, number];
  header: { left: string; center: string; right: string };
  /** Excel's codes: &P page, &N pages. */
  footer: { left: string; center: string; right: string };
}
export const BASE_FONT_SIZE = 11;
export const PRINT_ZOOM = 80;

// --- tables ------------------------------------------------------------------------------------

export interface TableModel<K extends string = string> {
  columns: readonly ColumnSpec<K>[];
  /** 1-based sheet row of the header; data follows directly below. */
  headerRow: number;
  rows: CellValue[][];
  /** Per row and column: a number format other than the column's, or null. */
  formats: (string | null)[][];
  /** Per row: the input columns that take nothing now (shown, locked, greyed). */
  closedInputs: string[][];
  /** Per row: a height in points that shows its wrapped text (also where Excel does not autofit). */
  rowHeights: number[];
}

export interface ReportSheet {
  kind: RowKind;
  name: string;
  titleRows: string[];
  caption: string;
  table: TableModel;
  /** Key and title columns: frozen, and repeated when printed. */
  frozenColumns: number;
  print: PrintSetup;
}

/** A report as Excel shows it: one sheet per row kind, in the order of the row kinds. */
export interface ReportModel {
  sheets: ReportSheet[];
}

/** The input columns of a row kind, in the order of its fields, as its spec describes them. */
function inputColumns<S extends RowKindSpec>(spec: S, period: PeriodCode): ColumnSpec<FieldName<S>>[] {
  return fieldNames(spec).map((key) => {
    const field: FieldSpec = spec.fields[key]!;
    const look = { key, header: field.sheet.header, width: field.sheet.width, input: true, ...(field.sheet.wrap ? { wrap: true } : {}) };
    if (field.type === 'number') return { ...look, kind: 'number' };
    if (field.type === 'text') return { ...look, kind: 'text', maxLength: field.maxLength };
    return { ...look, kind: 'choice', options: choiceLabels(field, period) };
  });
}

/** Columns every table ends with: when the row was last changed, its key and version (hidden). */
function trailingColumns(idKey: string): ColumnSpec[] {
  return [
    { key: 'changed', header: 'Senast ändrad', width: 18, kind: 'text', input: false, wrap: true },
    { key: idKey, header: 'Nyckel', width: 8, kind: 'hidden', input: false },
    { key: 'version', header: 'Version', width: 8, kind: 'hidden', input: false },
  ];
}
const ERROR_COLUMN: ColumnSpec = { key: 'error', header: 'Fel', width: 30, kind: 'error', input: false, wrap: true };

function changedText(by: string | null, at: string | null): string {
  if (!by && !at) return '';
  const when = at ? new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : '';
  return [by, when].filter(Boolean).join(', ');
}

type Row = { readonly version: number; readonly changedBy: string | null; readonly changedAt: string | null; readonly [key: string]: unknown };

/** A row's input cells, by field: numbers as numbers, choices in the period's words, empty text as an empty cell. */
function inputCells(spec: RowKindSpec, row: Row, period: PeriodCode): Record<string, CellValue> {
  const values = valuesOf(spec, row);
  return Object.fromEntries(
    fieldNames(spec).map((f) => {
      const field = spec.fields[f]!;
      const value = values[f] ?? null;
      if (field.type === 'number') return [f, value];
      if (field.type === 'choice') return [f, value === null ? '' : choiceLabel(field, String(value), period)];
      return [f, value ?? ''];
    }),
  );
}

function trailingCells(spec: RowKindSpec, row: Row): Record<string, CellValue> {
  return { changed: changedText(row.changedBy, row.changedAt), error: '', [spec.idKey]: idOf(spec, row), version: row.version };
}

/** How one row kind's sheet looks: its tab, its columns around the spec's inputs, its cells. */
interface KindLayout<R extends Row> {
  tab: string;
  caption: string;
  /** Columns before the inputs: key and title; frozen. */
  leading: readonly ColumnSpec[];
  /** Columns after the inputs and before Fel (server-owned: status, suggestion). */
  outcome: readonly ColumnSpec[];
  /** Read-only context after Fel. */
  context(period: PeriodCode): readonly ColumnSpec[];
  cells(row: R, period: PeriodCode): Record<string, CellValue>;
  /** Input fields that take nothing for this row now. */
  closed?(row: R, period: PeriodCode): string[];
  /** The number format of this row's number cells. */
  numberFormat?(row: R): string;
  legend(report: Report): string[];
}

const indicatorLayout: KindLayout<ReportIndicator> = {
  tab: 'Indikatorer',
  caption: 'Indikatorer',
  leading: [
    { key: 'code', header: 'Kod', width: 7, kind: 'text', input: false },
    { key: 'title', header: 'Indikator', width: 38, kind: 'text', input: false, wrap: true },
  ],
  outcome: [{ key: 'status', header: 'Status', width: 22, kind: 'status', input: false, wrap: true }],
  context: (period) => [
    { key: 'annualTarget', header: 'Årsmål', width: 10, kind: 'number', input: false },
    { key: 'kfTarget', header: 'KF:s årsmål', width: 10, kind: 'number', input: false },
    { key: 'orgTarget', header: 'Nämndens årsmål', width: 10, kind: 'number', input: false },
    ...(PREVIOUS_PERIOD[period] ? [{ key: 'previousForecast', header: `Prognos ${PREVIOUS_PERIOD[period]}`, width: 10, kind: 'number', input: false } as const] : []),
    { key: 'lastYearOutcome', header: 'Utfall förra året', width: 10, kind: 'number', input: false },
    { key: 'unit', header: 'Enhet', width: 7, kind: 'text', input: false },
    { key: 'direction', header: 'Riktning', width: 14, kind: 'text', input: false, wrap: true },
    { key: 'frequency', header: 'Frekvens', width: 10, kind: 'text', input: false },
    { key: 'kfGoal', header: 'KF-mål', width: 30, kind: 'text', input: false, wrap: true },
  ],
  cells: (i, period) => ({
    code: i.code,
    title: i.title,
    ...inputCells(INDICATOR_RESULTS, i, period),
    ...Object.fromEntries(indicatorLayout.closed!(i, period).map((f) => [f, REPORTED_AT_VB])),
    status: assessmentText(i.status, period),
    annualTarget: i.annualTarget,
    kfTarget: i.kfTarget,
    orgTarget: i.orgTarget,
    previousForecast: i.previousForecast,
    lastYearOutcome: i.lastYearOutcome,
    unit: i.unit,
    direction: directionText(i.direction, i.tolerance),
    frequency: FREQUENCY_TEXT[i.frequency],
    kfGoal: i.kfGoalCode ? `${i.kfGoalCode} ${i.kfGoalTitle ?? ''}`.trim() : '',
    ...trailingCells(INDICATOR_RESULTS, i),
  }),
  // An annual indicator is reported at VB: at T1 and T2 it has nothing to fill in (and is never "missing").
  closed: (i, period) => (i.frequency === 'annual' && period !== 'VB' ? ['outcome', 'forecast'] : []),
  numberFormat: (i) => decimalsFormat(decimalsOf([i.kfTarget, i.orgTarget, i.outcome, i.forecast, i.previousForecast, i.lastYearOutcome, i.tolerance])),
  legend: (report) => {
    const threshold = report.indicators[0]?.partialThresholdPercent ?? DEFAULT_PARTIAL_THRESHOLD_PERCENT;
    const compared = report.period === 'VB' ? 'utfallet för helåret' : 'prognosen för helåret (utfallet om prognos saknas)';
    return [
      `Status beräknas av Tertial med samma regel för alla nämnder: ${compared} jämförs med årsmålet (nämndens om det finns, annars KF:s).`,
      `Högre är bättre: helt om värdet ≥ årsmålet, delvis om ≥ ${threshold} % av det. Lägre är bättre: helt om ≤ årsmålet, delvis om ≤ ${200 - threshold} % av det. Inom ±t: helt om avvikelsen ≤ t, delvis om ≤ 2t. Annars ej.`,
      `${INPUT_COLOUR_NAME} celler fyller du i. Indikatorer som mäts en gång om året rapporteras i verksamhetsberättelsen.`,
    ];
  },
};

/** Counted words: `1 genomförd`, `2 genomförda`; zero counts left out unless nothing is counted. */
function counted(parts: readonly [number, string, string][], none: string): string {
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length > 0 ? said.join(', ') : none;
}

/** What a goal's assessment rests on, in words: its indicators by status, its activities by state. */
export function evidenceTexts(e: GoalEvidence): { indicators: string; activities: string } {
  const i = e.indicators;
  const a = e.activities;
  return {
    indicators: counted(
      [
        [i.helt, 'helt', 'helt'],
        [i.delvis, 'delvis', 'delvis'],
        [i.ej, 'ej', 'ej'],
        [i.missing, 'saknar värde', 'saknar värde'],
        [i.notDue, 'rapporteras i VB', 'rapporteras i VB'],
      ],
      'inga indikatorer',
    ),
    activities: counted(
      [
        [a.done, 'genomförd', 'genomförda'],
        [a.ongoing, 'pågår', 'pågår'],
        [a.notStarted, 'ej påbörjad', 'ej påbörjade'],
        [a.cancelled, 'avbruten', 'avbrutna'],
        [a.missing, 'utan status', 'utan status'],
      ],
      'inga aktiviteter',
    ),
  };
}

const goalLayout: KindLayout<ReportGoal> = {
  tab: 'Mål',
  caption: 'Nämndmål och bedömningar',
  leading: [
    { key: 'code', header: 'Kod', width: 7, kind: 'text', input: false },
    { key: 'goal', header: 'Nämndmål', width: 38, kind: 'text', input: false, wrap: true },
  ],
  outcome: [
    { key: 'suggested', header: 'Föreslagen bedömning', width: 22, kind: 'status', input: false, wrap: true },
    { key: 'indicatorEvidence', header: 'Indikatorer', width: 16, kind: 'text', input: false, wrap: true },
    { key: 'activityEvidence', header: 'Aktiviteter', width: 18, kind: 'text', input: false, wrap: true },
  ],
  context: () => [
    { key: 'kfGoal', header: 'KF-mål', width: 30, kind: 'text', input: false, wrap: true },
    { key: 'directionGoal', header: 'Inriktningsmål', width: 30, kind: 'text', input: false, wrap: true },
  ],
  cells: (g, period) => ({
    code: g.code,
    goal: g.title,
    ...inputCells(GOAL_ASSESSMENTS, g, period),
    suggested: assessmentText(g.suggestedAssessment, period),
    indicatorEvidence: evidenceTexts(g.evidence).indicators,
    activityEvidence: evidenceTexts(g.evidence).activities,
    kfGoal: `${g.kfGoalCode} ${g.kfGoalTitle}`,
    directionGoal: `${g.directionGoalCode} ${g.directionGoalTitle}`,
    ...trailingCells(GOAL_ASSESSMENTS, g),
  }),
  legend: () => [
    'Föreslagen bedömning följer indikatorerna: helt om alla är helt, ej om fler än hälften är ej, annars delvis. Indikatorer och Aktiviteter visar vad bedömningen vilar på.',
    `Bedömningen är nämndens egen. Avviker den från förslaget krävs en motivering. ${INPUT_COLOUR_NAME} celler fyller du i.`,
  ],
};

const activityLayout: KindLayout<ReportActivity> = {
  tab: 'Aktiviteter',
  caption: 'Aktiviteter',
  leading: [
    { key: 'code', header: 'Kod', width: 9, kind: 'text', input: false },
    { key: 'title', header: 'Aktivitet', width: 38, kind: 'text', input: false, wrap: true },
  ],
  outcome: [],
  context: () => [
    { key: 'decidedBy', header: 'Beslutad av', width: 12, kind: 'text', input: false },
    { key: 'goal', header: 'Nämndmål', width: 30, kind: 'text', input: false, wrap: true },
    { key: 'kfGoal', header: 'KF-mål', width: 30, kind: 'text', input: false, wrap: true },
    { key: 'startDate', header: 'Startdatum', width: 11, kind: 'text', input: false },
    { key: 'endDate', header: 'Slutdatum', width: 11, kind: 'text', input: false },
  ],
  cells: (a, period) => ({
    code: a.code,
    title: a.title,
    ...inputCells(ACTIVITY_FOLLOWUPS, a, period),
    decidedBy: a.owner === 'kf' ? 'KF' : 'Nämnden',
    goal: a.goalCode ? `${a.goalCode} ${a.goalTitle ?? ''}`.trim() : '',
    kfGoal: `${a.kfGoalCode} ${a.kfGoalTitle}`,
    startDate: a.startDate ?? '',
    endDate: a.endDate ?? '',
    ...trailingCells(ACTIVITY_FOLLOWUPS, a),
  }),
  legend: (report) => [
    `Status: ${choiceLabels(ACTIVITY_FOLLOWUPS.fields.state).join(', ')}. Aktiviteter beslutade av KF rapporteras av varje nämnd som KF pekat ut; nämndens egna hör till dess nämndmål.`,
    report.period === 'VB'
      ? 'Kommentar krävs för varje aktivitet som inte är genomförd: skriv varför. Inlämning kräver en status för varje aktivitet.'
      : 'Kommentar krävs när en aktivitet är avbruten: skriv varför. Inlämning kräver en status för varje aktivitet.',
    `${INPUT_COLOUR_NAME} celler fyller du i.`,
  ],
};

const commissionLayout: KindLayout<ReportCommission> = {
  tab: 'Uppdrag',
  caption: 'Uppdrag från KF och KS',
  leading: [
    { key: 'code', header: 'Kod', width: 12, kind: 'text', input: false },
    { key: 'title', header: 'Uppdrag', width: 38, kind: 'text', input: false, wrap: true },
  ],
  outcome: [],
  context: () => [
    { key: 'deadline', header: 'Återrapporteras senast', width: 13, kind: 'text', input: false, wrap: true },
    { key: 'givenBy', header: 'Givet av', width: 10, kind: 'text', input: false },
    { key: 'participants', header: 'I samverkan med', width: 30, kind: 'text', input: false, wrap: true },
  ],
  cells: (c, period) => ({
    code: c.code,
    title: c.title,
    ...inputCells(COMMISSION_FOLLOWUPS, c, period),
    deadline: c.deadline ?? '',
    givenBy: `${c.givenBy} ${c.yearGiven}`,
    participants: c.participants.map((p) => p.name).join(', '),
    ...trailingCells(COMMISSION_FOLLOWUPS, c),
  }),
  legend: () => [
    `Uppdrag som nämnden ansvarar för. Status: ${choiceLabels(COMMISSION_FOLLOWUPS.fields.state).join(', ')}.`,
    'Ett uppdrag står kvar här, även följande år, tills det är återrapporterat. Inlämning kräver en status för varje uppdrag.',
    `${INPUT_COLOUR_NAME} celler fyller du i.`,
  ],
};

const controlLayout: KindLayout<ReportControl> = {
  tab: 'Kontroller',
  caption: 'Intern kontroll: uppföljning av kontroller',
  leading: [
    { key: 'code', header: 'Kod', width: 8, kind: 'text', input: false },
    { key: 'checked', header: 'Kontrollmoment', width: 38, kind: 'text', input: false, wrap: true },
  ],
  outcome: [],
  context: () => [
    { key: 'risk', header: 'Risk', width: 36, kind: 'text', input: false, wrap: true },
    { key: 'riskValue', header: 'Riskvärde', width: 9, kind: 'number', input: false },
    { key: 'method', header: 'Metod', width: 28, kind: 'text', input: false, wrap: true },
    { key: 'frequency', header: 'Frekvens', width: 16, kind: 'text', input: false, wrap: true },
    { key: 'responsible', header: 'Ansvarig', width: 18, kind: 'text', input: false, wrap: true },
    { key: 'reported', header: 'Rapporteras', width: 11, kind: 'text', input: false },
  ],
  cells: (c, period) => ({
    code: c.code,
    checked: c.checked,
    ...inputCells(CONTROL_FOLLOWUPS, c, period),
    risk: `${c.riskCode} ${c.riskProcess}: ${c.riskDescription}`,
    riskValue: c.riskValue,
    method: c.method,
    frequency: c.frequency,
    responsible: c.responsible,
    reported: c.reportingPeriods.join(', '),
    ...trailingCells(CONTROL_FOLLOWUPS, c),
  }),
  numberFormat: () => INTEGER_FORMAT,
  legend: (report) => [
    report.period === 'T1'
      ? 'Kontrollerna i internkontrollplanen följs upp i tertialrapport 2 och i verksamhetsberättelsen, inte i tertialrapport 1.'
      : `Kontrollerna i nämndens internkontrollplan som rapporteras i ${report.period}. Genomförd: ja eller nej. Resultat: utan avvikelse eller avvikelse.`,
    'Skäl krävs när en kontroll inte är genomförd, iakttagelser när den visar en avvikelse. Inlämning kräver svar för varje kontroll, och resultat för varje genomförd.',
    `${INPUT_COLOUR_NAME} celler fyller du i.`,
  ],
};

/** Counted words of the VB's control follow-up: "12 kontroller, 1 ej genomförd, 2 med avvikelse". */
export function controlCountsText(a: Pick<ReportInternalControl, 'controls' | 'notPerformed' | 'deviations'>): string {
  return [
    `${a.controls} ${a.controls === 1 ? 'kontroll' : 'kontroller'}`,
    `${a.notPerformed} ej genomförd${a.notPerformed === 1 ? '' : 'a'}`,
    `${a.deviations} med avvikelse`,
  ].join(', ');
}

const internalControlLayout: KindLayout<ReportInternalControl> = {
  tab: 'Intern kontroll',
  caption: 'Bedömning av den interna kontrollen',
  leading: [{ key: 'subject', header: 'Intern kontroll', width: 30, kind: 'text', input: false, wrap: true }],
  outcome: [{ key: 'followup', header: 'Uppföljning av kontrollerna', width: 30, kind: 'text', input: false, wrap: true }],
  context: () => [],
  cells: (a, period) => ({
    subject: 'Nämndens bedömning av den interna kontrollen',
    ...inputCells(INTERNAL_CONTROL_ASSESSMENTS, a, period),
    followup: controlCountsText(a),
    ...trailingCells(INTERNAL_CONTROL_ASSESSMENTS, a),
  }),
  legend: (report) => [
    report.period === 'VB'
      ? `Bedömning: ${choiceLabels(INTERNAL_CONTROL_ASSESSMENTS.fields.judgement).join(', ')}. Motivering krävs om den inte är tillräcklig. Inlämning kräver en bedömning.`
      : 'Nämnden bedömer sin interna kontroll i verksamhetsberättelsen.',
    `${INPUT_COLOUR_NAME} celler fyller du i.`,
  ],
};

const LAYOUTS: { [K in RowKind]: KindLayout<Report[K][number]> } = {
  indicators: indicatorLayout,
  goals: goalLayout,
  activities: activityLayout,
  commissions: commissionLayout,
  controls: controlLayout,
  internalControl: internalControlLayout,
};
const layoutOf = (kind: RowKind) => LAYOUTS[kind] as unknown as KindLayout<Row>;

/** A row kind's columns in its sheet for a period: key and title, inputs, outcome, Fel, context, trailing. */
export function reportColumns(kind: RowKind, period: PeriodCode): readonly ColumnSpec[] {
  const layout = layoutOf(kind);
  const spec: RowKindSpec = REPORT_ROW_KINDS[kind];
  const inputs = inputColumns(spec, period).map((c) => (c.key === 'outcome' ? { ...c, header: `Utfall ${PERIOD_MONTHS[period]}` } : c));
  return [...layout.leading, ...inputs, ...layout.outcome, ERROR_COLUMN, ...layout.context(period), ...trailingColumns(spec.idKey)];
}

/** A report row as the sheet shows it, by column key. */
export function rowCells(kind: RowKind, row: Row, period: PeriodCode): Record<string, CellValue> {
  return layoutOf(kind).cells(row, period);
}

/** A report row as the sheet's cells, in column order. */
export function rowValues(kind: RowKind, row: Row, period: PeriodCode, columns = reportColumns(kind, period)): CellValue[] {
  const cells = rowCells(kind, row, period);
  return columns.map((c) => cells[c.key] ?? null);
}

export const TITLE_GAP = 1;
const LINE_HEIGHT = 15;

/** The lines a text takes `perLine` characters wide, wrapped at spaces as spreadsheet programs wrap (a longer word is cut). */
function wrappedLines(text: string, perLine: number): number {
  return text.split('\n').reduce((n, paragraph) => {
    let lines = 1;
    let used = -1;
    for (const word of paragraph.split(' ')) {
      used += 1 + word.length;
      if (used > perLine && used > word.length) {
        lines++;
        used = word.length;
      }
      for (; used > perLine; used -= perLine) lines++;
    }
    return n + lines;
  }, 0);
}

/** A height that shows a row's wrapped text: its longest wrapped cell in lines of its column's width. */
export function rowHeight(columns: readonly Pick<ColumnSpec, 'width' | 'wrap'>[], values: readonly CellValue[]): number {
  const lines = columns.reduce((most, c, i) => (c.wrap ? Math.max(most, wrappedLines(String(values[i] ?? ''), Math.max(1, Math.floor(c.width * 1.15)))) : most), 1);
  return lines * LINE_HEIGHT;
}

export function sheetName(period: PeriodCode, year: number, organisationName: string, tab: string): string {
  const short = organisationName
    .replace(/s? stadsdelsnämnd$/i, '')
    .replace(/nämnden$/i, '')
    .trim();
  const prefix = `${period} ${year} `;
  const suffix = ` ${tab}`;
  return safeSheetName(`${prefix}${short.slice(0, Math.max(0, 31 - prefix.length - suffix.length))}${suffix}`);
}

function tableModel(kind: RowKind, report: Report): TableModel {
  const layout = layoutOf(kind);
  const columns = reportColumns(kind, report.period);
  const rows = report[kind] as readonly Row[];
  const values = rows.map((r) => rowValues(kind, r, report.period, columns));
  return {
    columns,
    headerRow: 0,
    rows: values,
    formats: rows.map((r) => {
      const format = layout.numberFormat?.(r) ?? null;
      return columns.map((c) => (c.kind === 'number' ? format : null));
    }),
    closedInputs: rows.map((r) => layout.closed?.(r, report.period) ?? []),
    rowHeights: values.map((v) => rowHeight(columns, v)),
  };
}

export function reportToModel(report: Report, pulledAt: Date): ReportModel {
  const pulled = `Hämtad ${pulledAt.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' })} · Rapportens läge: ${stateText(report.state)}${report.deadline ? ` · Sista dag: ${report.deadline.slice(0, 10)}` : ''}`;
  return {
    sheets: ROW_KINDS.map((kind) => {
      const layout = layoutOf(kind);
      const titleRows = [`${PERIOD_NAMES[report.period]} ${report.year} – ${report.organisation.name} – ${layout.caption}`, pulled, ...layout.legend(report)];
      const table = { ...tableModel(kind, report), headerRow: titleRows.length + 1 + TITLE_GAP };
      const frozenColumns = layout.leading.length;
      return {
        kind,
        name: sheetName(report.period, report.year, report.organisation.name, layout.tab),
        titleRows,
        caption: layout.caption,
        table,
        frozenColumns,
        print: {
          orientation: 'landscape',
          paper: 'A4',
          zoom: PRINT_ZOOM,
          titleRows: [table.headerRow, table.headerRow],
          titleColumns: [1, frozenColumns],
          header: { left: report.organisation.name, center: `${PERIOD_NAMES[report.period]} ${report.year}`, right: layout.tab },
          footer: { left: '', center: 'Sida &P av &N', right: pulledAt.toISOString().slice(0, 10) },
        },
      } satisfies ReportSheet;
    }),
  };
}
