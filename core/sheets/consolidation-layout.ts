import type { OrganisationKind, PeriodCode } from '../contract/common';
import type { AssessmentCounts, Consolidation, StatusCounts, SteeringSignals } from '../contract/consolidation';
import { JUDGEMENT_LABELS } from '../contract/internal-control';
import { ACTIVITY_STATE_LABELS, COMMISSION_STATE_LABELS } from '../contract/followup';
import { FORECAST_TOLERANCE_PERCENT, dueCount } from '../domain/consolidation-rules';
import { AMBITION_REQUEST_STATE_LABELS } from '../domain/plan-rules';
import { valueToAssess } from '../domain/rules';
import { columnLetter, safeSheetName } from './a1';
import { INTEGER_FORMAT, NUMBER_FORMAT, PERIOD_NAMES, PRINT_ZOOM, decimalsFormat, decimalsOf, directionText, rowHeight, type CellValue, type PrintSetup } from './report-layout';

/**
 * The centre's consolidation of one period city-wide as sheets, pure: an overview per
 * organisation, the måluppfyllelse (every nämndmål's assessment rolled up to KF goals and
 * inriktningsmål), one sheet per inriktningsmål (indicators × organisations), the deviating goal
 * assessments, the forecast accuracy, the årsmål below KF's, KF's activities and the uppdrag, and
 * the steering signals. Sums and counts are formulas over the sheet's own cells, built from the
 * columns' keys (never fixed letters), so the numbers can be followed and checked. Every sheet
 * prints on A4 landscape at a readable size. Drawn by exceljs for the annual report's workbook
 * (api/workbooks/consolidation-workbook.ts) and by Office.js into the centre's open workbook
 * (addin/excel/write-consolidation.ts).
 */
export interface Formula {
  formula: string;
}

/** Text is always a plain value, whatever it starts with (=, +, -, @): only a Formula built here is a formula. */
export type LayoutCell = CellValue | Formula;

export interface LayoutColumn {
  /** Names the column: formulas and totals find it by key. */
  key: string;
  header: string;
  width: number;
  numFmt?: string;
  wrap?: boolean;
  /** An indicator's numbers: formatted by the row's own format (`rowFormats`), with the indicator's decimals. */
  rowFormat?: boolean;
}

export interface ConsolidationSheet {
  name: string;
  /** Row 1 is the title, the lines below it explain the sheet. */
  titles: string[];
  /** 1-based; the data rows follow directly below. */
  headerRow: number;
  columns: LayoutColumn[];
  rows: LayoutCell[][];
  /** Per data row: the number format of its `rowFormat` columns (null: the column's own). */
  rowFormats: (string | null)[];
  /** Points: the header row's height for its wrapped headers, each data row's for its wrapped text. */
  headerHeight: number;
  rowHeights: number[];
  /** Data rows (0-based) shown bold: the summary rows of a hierarchy. */
  boldRows: number[];
  frozenColumns: number;
  /** The first of three header cells coloured as helt, delvis, ej. */
  statusHeaderColumn: number | null;
  /** Data columns (1-based) coloured by their status text, each on its own: a column between two of them is not one. */
  statusColumns: number[];
  /** Below the table after an empty row: a bold line of totals, and a note under it. */
  totals: { row: number; label: string; cells: { column: number; value: LayoutCell; numFmt: string }[]; note?: string } | null;
  print: PrintSetup;
}

type Org = Consolidation['organisations'][number];

const KIND_TEXT: Record<OrganisationKind, string> = { stadsdelsnamnd: 'Stadsdelsnämnd', facknamnd: 'Facknämnd', bolag: 'Bolag' };
const STATE_TEXT: Record<Org['state'], string> = { not_started: 'ej påbörjad', open: 'öppen', submitted: 'inskickad' };
const MISSING = 'saknas';
/** An annual indicator's cell at T1 and T2: reported at VB, neither due nor missing. */
const NOT_DUE = 'i VB';
const CHANGE_FORMAT = '+#,##0;-#,##0;0';
const SHARE_FORMAT = '0%';

export const isFormula = (value: LayoutCell): value is Formula => typeof value === 'object' && value !== null;
const formula = (text: string): Formula => ({ formula: text });
const stockholmTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : null);

export const consolidationTitle = (c: Pick<Consolidation, 'period' | 'year'>) => `Konsolidering ${PERIOD_NAMES[c.period]} ${c.year}`;
export const lastRowOf = (sheet: ConsolidationSheet) => sheet.headerRow + sheet.rows.length;

/** The 1-based column of `key`; a key the layout does not have is a mistake in this file. */
export function columnOf(columns: readonly LayoutColumn[], key: string): number {
  const i = columns.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`Kolumnen ${key} finns inte`);
  return i + 1;
}

/** A1 references by column key: `at('helt', 7)` → "F7", `range('helt', 5, 9)` → "F5:F9". */
function addresses(columns: readonly LayoutColumn[]) {
  const letter = (key: string) => columnLetter(columnOf(columns, key));
  return {
    at: (key: string, row: number) => `${letter(key)}${row}`,
    range: (key: string, from: number, to: number) => `${letter(key)}${from}:${letter(key)}${Math.max(from, to)}`,
    across: (fromKey: string, toKey: string, row: number) => `${letter(fromKey)}${row}:${letter(toKey)}${row}`,
  };
}

interface SheetContext {
  title: string;
  generatedAt: Date;
}

/** A titled sheet with one table; `rowsAt` gets the sheet row of the first data row. */
function tableSheet(
  context: SheetContext,
  name: string,
  titles: string[],
  columns: LayoutColumn[],
  rowsAt: (firstRow: number) => LayoutCell[][],
  extra: Partial<Pick<ConsolidationSheet, 'frozenColumns' | 'statusHeaderColumn' | 'statusColumns' | 'rowFormats' | 'boldRows'>> = {},
): ConsolidationSheet {
  const headerRow = titles.length + 2;
  const frozenColumns = extra.frozenColumns ?? 0;
  const sheetName = safeSheetName(name);
  const rows = rowsAt(headerRow + 1);
  const bold = new Set(extra.boldRows ?? []);
  // Bold text is wider: its height is estimated on narrower columns than drawn.
  const narrowed = (share: number, wrap?: boolean) => columns.map((c) => ({ width: c.width * share, wrap: wrap ?? c.wrap }));
  return {
    name: sheetName,
    titles,
    headerRow,
    columns,
    rows,
    rowFormats: [],
    headerHeight: Math.max(
      30,
      rowHeight(
        narrowed(0.85, true),
        columns.map((c) => c.header),
      ),
    ),
    rowHeights: rows.map((r, i) =>
      rowHeight(
        narrowed(bold.has(i) ? 0.85 : 1),
        r.map((v) => (isFormula(v) ? null : v)),
      ),
    ),
    boldRows: [],
    frozenColumns,
    statusHeaderColumn: null,
    statusColumns: [],
    totals: null,
    ...extra,
    print: {
      orientation: 'landscape',
      paper: 'A4',
      zoom: PRINT_ZOOM,
      titleRows: [headerRow, headerRow],
      titleColumns: [1, Math.max(1, frozenColumns)],
      header: { left: 'Stadsledningskontoret', center: context.title, right: sheetName },
      footer: { left: '', center: 'Sida &P av &N', right: context.generatedAt.toISOString().slice(0, 10) },
    },
  };
}

/** The status columns: helt, delvis, ej, saknas, and at T1/T2 the annual indicators reported at VB. */
function statusCountColumns(period: PeriodCode): LayoutColumn[] {
  return [
    { key: 'helt', header: 'Helt', width: 6, numFmt: INTEGER_FORMAT },
    { key: 'delvis', header: 'Delvis', width: 7, numFmt: INTEGER_FORMAT },
    { key: 'ej', header: 'Ej', width: 5, numFmt: INTEGER_FORMAT },
    { key: 'missing', header: 'Saknas', width: 7, numFmt: INTEGER_FORMAT },
    ...(period === 'VB' ? [] : [{ key: 'notDue', header: 'Rapporteras i VB', width: 12, numFmt: INTEGER_FORMAT }]),
  ];
}
const countValues = (period: PeriodCode, c: StatusCounts): number[] => [c.helt, c.delvis, c.ej, c.missing, ...(period === 'VB' ? [] : [c.notDue])];
const lastCountKey = (period: PeriodCode) => (period === 'VB' ? 'missing' : 'notDue');

function overviewSheet(c: Consolidation, context: SheetContext): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { key: 'name', header: 'Organisation', width: 35, wrap: true },
    { key: 'kind', header: 'Typ', width: 14 },
    { key: 'state', header: 'Läge', width: 11 },
    { key: 'submittedAt', header: 'Inskickad', width: 15 },
    ...statusCountColumns(c.period),
    { key: 'indicators', header: 'Indikatorer', width: 11, numFmt: INTEGER_FORMAT },
    { key: 'share', header: 'Andel helt', width: 10, numFmt: SHARE_FORMAT },
  ];
  const { at, range, across } = addresses(columns);
  const last = lastCountKey(c.period);
  /** Helt as a share of the indicators due now (annual ones at T1/T2 are not). */
  const share = (r: number) =>
    c.period === 'VB'
      ? formula(`IF(${at('indicators', r)}=0,"",${at('helt', r)}/${at('indicators', r)})`)
      : formula(`IF(${at('indicators', r)}-${at('notDue', r)}=0,"",${at('helt', r)}/(${at('indicators', r)}-${at('notDue', r)}))`);
  const sheet = tableSheet(
    context,
    'Översikt',
    [
      consolidationTitle(c),
      `Skapad ${context.generatedAt.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' })} · Periodens läge: ${c.periodState === 'locked' ? 'låst' : 'öppen'} · Indikatorernas status, beräknad med samma regel för alla.`,
      c.period === 'VB'
        ? 'Saknas: indikatorer utan värde eller årsmål. Andel helt: av alla indikatorer.'
        : 'Saknas: tertialindikatorer utan värde eller årsmål. Årsindikatorer rapporteras i VB och räknas inte som saknade.',
      ...(c.period === 'VB' ? [] : ['Andel helt: av indikatorerna som ska rapporteras nu.']),
    ],
    columns,
    (first) =>
      c.organisations.map((o, i): LayoutCell[] => {
        const r = first + i;
        return [
          o.name,
          KIND_TEXT[o.kind],
          STATE_TEXT[o.state],
          stockholmTime(o.submittedAt),
          ...countValues(c.period, o.counts),
          formula(`SUM(${across('helt', last, r)})`),
          share(r),
        ];
      }),
    { statusHeaderColumn: columnOf(columns, 'helt'), frozenColumns: 1 },
  );
  const first = sheet.headerRow + 1;
  const lastRow = lastRowOf(sheet);
  const total = lastRow + 2;
  const sums = ['helt', 'delvis', 'ej', 'missing', ...(c.period === 'VB' ? [] : ['notDue']), 'indicators'];
  sheet.totals = {
    row: total,
    label: 'Summa',
    cells: [
      { column: columnOf(columns, 'state'), value: formula(`COUNTIF(${range('state', first, lastRow)},"${STATE_TEXT.submitted}")`), numFmt: INTEGER_FORMAT },
      ...sums.map((key) => ({ column: columnOf(columns, key), value: formula(`SUM(${range(key, first, lastRow)})`), numFmt: INTEGER_FORMAT })),
      { column: columnOf(columns, 'share'), value: share(total), numFmt: SHARE_FORMAT },
    ],
    note: 'Läge: antal inskickade rapporter.',
  };
  return sheet;
}

// --- måluppfyllelse ------------------------------------------------------------------------------

const fulfils = (period: PeriodCode) => (period === 'VB' ? 'uppfylls' : 'förväntas uppfyllas');

/** "2 delvis, 1 ej": the levels after the first, those with a count. */
const restOf = (c: AssessmentCounts | StatusCounts) =>
  (['delvis', 'ej'] as const)
    .filter((level) => c[level] > 0)
    .map((level) => `, ${c[level]} ${level}`)
    .join('');

/** "1 nämnd", "2 nämnder": a count with its noun in the right number. */
const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "24 av 27 nämnder bedömer att målet uppfylls helt, 3 delvis", as the annual report says it;
 * where an organisation has more than one nämndmål under the goal, the nämndmål are counted.
 */
export function assessmentSentence(period: PeriodCode, a: AssessmentCounts, organisations: number): string {
  const total = a.helt + a.delvis + a.ej + a.missing;
  if (total === 0) return 'Ingen nämnd har ett nämndmål under målet.';
  if (organisations !== total) {
    const levels = (['helt', 'delvis', 'ej'] as const).filter((level) => a[level] > 0).map((level) => `${a[level]} ${level}`);
    if (a.missing > 0) levels.push(counted(a.missing, 'ej bedömt', 'ej bedömda'));
    return `${total} nämndmål hos ${counted(organisations, 'nämnd', 'nämnder')}: ${levels.join(', ')}.`;
  }
  if (a.missing === total) return `${counted(total, 'nämnd', 'nämnder')} har inte bedömt målet.`;
  const unassessed = a.missing > 0 ? `; ${a.missing} har inte bedömt det` : '';
  return `${a.helt} av ${counted(total, 'nämnd', 'nämnder')} bedömer att målet ${fulfils(period)} helt${restOf(a)}${unassessed}.`;
}

/** "6 av 10 indikatorer helt, 4 delvis" (of the indicators due now). */
export function indicatorSentence(i: StatusCounts): string {
  const due = dueCount(i);
  const later = i.notDue > 0 ? ` ${i.notDue} rapporteras i VB.` : '';
  if (due === 0) return `Inga indikatorer att bedöma nu.${later}`;
  const missing = i.missing > 0 ? `, ${i.missing} saknas` : '';
  return `${i.helt} av ${counted(due, 'indikator', 'indikatorer')} helt${restOf(i)}${missing}.${later}`;
}

function kfGoalsSentence(period: PeriodCode, k: AssessmentCounts): string {
  const assessed = k.helt + k.delvis + k.ej;
  const without = k.missing > 0 ? ` ${k.missing} KF-mål har inga bedömda nämndmål.` : '';
  if (assessed === 0) return `Inget KF-mål är bedömt.${without}`;
  return `${k.helt} av ${assessed} KF-mål ${fulfils(period)} helt${restOf(k)} enligt nämndernas bedömningar.${without}`;
}

/**
 * Every inriktningsmål, under it each KF goal, under that each nämndmål with the nämnd's
 * assessment beside Tertial's suggestion. The summary rows count the nämndmål rows below them
 * with COUNTIFS on the level column, so every count can be followed to its rows.
 */
function goalFulfilmentSheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { key: 'code', header: 'Kod', width: 5 },
    { key: 'goal', header: 'Mål', width: 26, wrap: true },
    { key: 'organisation', header: 'Nämnd eller bolag', width: 21, wrap: true },
    { key: 'assessment', header: 'Bedömning', width: 11 },
    { key: 'suggested', header: 'Enligt indikatorerna', width: 13, wrap: true },
    { key: 'helt', header: 'Helt', width: 6, numFmt: INTEGER_FORMAT },
    { key: 'delvis', header: 'Delvis', width: 7, numFmt: INTEGER_FORMAT },
    { key: 'ej', header: 'Ej', width: 5, numFmt: INTEGER_FORMAT },
    { key: 'missing', header: 'Ej bedömt', width: 8, numFmt: INTEGER_FORMAT },
    { key: 'summary', header: 'Sammanfattning eller motivering', width: 28, wrap: true },
  ];
  const { range, across } = addresses(columns);
  type Entry =
    | { level: 'direction'; rollup: Consolidation['goalRollup']['directionGoals'][number]; blockEnd: number }
    | { level: 'kf'; rollup: Consolidation['goalRollup']['kfGoals'][number]; blockEnd: number }
    | { level: 'org'; goal: Consolidation['goalAssessments'][number] };
  const entries: Entry[] = [];
  for (const direction of c.goalRollup.directionGoals) {
    const head: Entry = { level: 'direction', rollup: direction, blockEnd: 0 };
    entries.push(head);
    for (const kf of c.goalRollup.kfGoals.filter((k) => k.directionGoalCode === direction.code)) {
      const kfHead: Entry = { level: 'kf', rollup: kf, blockEnd: 0 };
      entries.push(kfHead);
      const goals = c.goalAssessments
        .filter((g) => g.kfGoalCode === kf.code)
        .sort((a, b) => (names.get(a.organisation) ?? a.organisation).localeCompare(names.get(b.organisation) ?? b.organisation, 'sv') || a.goalCode.localeCompare(b.goalCode));
      entries.push(...goals.map((goal): Entry => ({ level: 'org', goal })));
      kfHead.blockEnd = entries.length - 1;
    }
    head.blockEnd = entries.length - 1;
  }
  /** COUNTIFS over the nämndmål rows of a block, or 0 for a block without any. */
  const countBelow = (first: number, index: number, blockEnd: number, level: string): LayoutCell => {
    if (blockEnd === index) return 0;
    const from = first + index + 1;
    const to = first + blockEnd;
    return formula(`COUNTIFS(${range('assessment', from, to)},"${level}",${range('organisation', from, to)},"<>")`);
  };
  /** Not assessed: the nämndmål rows less the assessed ones (a criterion "" for an empty cell is not read alike by every program). */
  const unassessed = (row: number, from: number, to: number) => formula(`COUNTIF(${range('organisation', from, to)},"<>")-SUM(${across('helt', 'ej', row)})`);
  const countsBelow = (first: number, index: number, blockEnd: number): LayoutCell[] => [
    ...(['helt', 'delvis', 'ej'] as const).map((level) => countBelow(first, index, blockEnd, level)),
    blockEnd === index ? 0 : unassessed(first + index, first + index + 1, first + blockEnd),
  ];
  const sheet = tableSheet(
    context,
    'Måluppfyllelse',
    [
      `Måluppfyllelse, ${PERIOD_NAMES[c.period]} ${c.year}`,
      'Varje inriktningsmål, under det varje KF-mål och under det nämndernas nämndmål med nämndens bedömning.',
      'Bedömning av KF-mål och inriktningsmål: regeln (helt om alla är helt, ej om fler än hälften är ej, annars delvis) på nivån under.',
      'Enligt indikatorerna: samma kedja från Tertials förslag för varje nämndmål. Helt, Delvis, Ej, Ej bedömt: antal nämndmål under målet.',
    ],
    columns,
    (first) =>
      entries.map((e, index): LayoutCell[] => {
        if (e.level === 'org') {
          const g = e.goal;
          const motivation = g.motivation ? ` Motivering: ${g.motivation}` : '';
          return [
            g.goalCode,
            g.goalTitle,
            names.get(g.organisation) ?? g.organisation,
            g.assessment,
            g.suggestedAssessment,
            null,
            null,
            null,
            null,
            `${indicatorSentence(g.indicators)}${motivation}`,
          ];
        }
        const r = e.rollup;
        const judged = e.level === 'kf' ? assessmentSentence(c.period, e.rollup.assessments, e.rollup.organisations) : kfGoalsSentence(c.period, e.rollup.kfGoals);
        return [
          r.code,
          e.level === 'direction' ? `Inriktningsmål ${r.code}: ${r.title}` : r.title,
          null,
          r.suggestedAssessment,
          r.suggestedFromIndicators,
          ...countsBelow(first, index, e.blockEnd),
          `${judged} ${indicatorSentence(r.indicators)}`,
        ];
      }),
    {
      frozenColumns: 2,
      statusHeaderColumn: columnOf(columns, 'helt'),
      statusColumns: [columnOf(columns, 'assessment'), columnOf(columns, 'suggested')],
      boldRows: entries.flatMap((e, i) => (e.level === 'org' ? [] : [i])),
    },
  );
  const first = sheet.headerRow + 1;
  const last = lastRowOf(sheet);
  sheet.totals = {
    row: last + 2,
    label: 'Alla nämndmål',
    cells: (['helt', 'delvis', 'ej', 'missing'] as const).map((key) => ({
      column: columnOf(columns, key),
      value: key === 'missing' ? unassessed(last + 2, first, last) : formula(`COUNTIFS(${range('assessment', first, last)},"${key}",${range('organisation', first, last)},"<>")`),
      numFmt: INTEGER_FORMAT,
    })),
    note: 'Antalen på raderna för KF-mål och inriktningsmål räknar nämndmålsraderna under dem. Ett nämndmål utan bedömning räknas som ej bedömt.',
  };
  return sheet;
}

// --- indicators ----------------------------------------------------------------------------------

/**
 * One inriktningsmål's indicators, each with every reporting organisation on a row of its own
 * (its årsmål in force, the value compared and the status): under each KF goal, a bold row per
 * indicator with KF's årsmål and the counts by status, COUNTIF over the organisation rows below it.
 * A list rather than a matrix: it prints one page wide however many organisations report.
 */
function directionGoalSheet(c: Consolidation, context: SheetContext, code: string, kfGoals: Consolidation['kfGoals']): ConsolidationSheet {
  const names = new Map(c.organisations.map((o) => [o.code, o.name]));
  const columns: LayoutColumn[] = [
    { key: 'code', header: 'Kod', width: 7 },
    { key: 'indicator', header: 'Indikator (enhet)', width: 26, wrap: true },
    { key: 'organisation', header: 'Nämnd eller bolag', width: 21, wrap: true },
    { key: 'direction', header: 'Riktning', width: 11, wrap: true },
    { key: 'target', header: 'Årsmål', width: 10, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'value', header: 'Värde', width: 10, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'status', header: 'Status', width: 9 },
    ...statusCountColumns(c.period),
  ];
  const { range } = addresses(columns);
  /** Each count column with the status word it counts. */
  const counted: [string, string][] = [
    ['helt', 'helt'],
    ['delvis', 'delvis'],
    ['ej', 'ej'],
    ['missing', MISSING],
    ...(c.period === 'VB' ? [] : [['notDue', NOT_DUE] as [string, string]]),
  ];
  const blank = (row: Partial<Record<string, LayoutCell>>): LayoutCell[] => columns.map((col) => row[col.key] ?? null);
  const rows: { cells: (first: number, index: number) => LayoutCell[]; format: string | null; bold: boolean }[] = [];
  for (const goal of kfGoals) {
    rows.push({ cells: () => blank({ code: goal.code, indicator: `KF-mål ${goal.code}: ${goal.title}` }), format: null, bold: true });
    for (const indicator of goal.indicators) {
      const format = decimalsFormat(decimalsOf([indicator.kfTarget, ...indicator.results.flatMap((x) => [x.annualTarget, valueToAssess(c.period, x.outcome, x.forecast)])]));
      const notDue = c.period !== 'VB' && indicator.frequency === 'annual';
      const below = indicator.results.length;
      const count = (first: number, index: number, status: string): LayoutCell =>
        below === 0 ? 0 : formula(`COUNTIF(${range('status', first + index + 1, first + index + below)},"${status}")`);
      rows.push({
        cells: (first, index) =>
          blank({
            code: indicator.code,
            indicator: `${indicator.title} (${indicator.unit})`,
            direction: directionText(indicator.direction, indicator.tolerance),
            target: indicator.kfTarget,
            ...Object.fromEntries(counted.map(([key, word]) => [key, count(first, index, word)])),
          }),
        format,
        bold: true,
      });
      for (const result of indicator.results) {
        rows.push({
          cells: () =>
            blank({
              code: indicator.code,
              organisation: names.get(result.organisation) ?? result.organisation,
              target: result.annualTarget,
              value: valueToAssess(c.period, result.outcome, result.forecast),
              status: result.status ?? (notDue ? NOT_DUE : MISSING),
            }),
          format,
          bold: false,
        });
      }
    }
  }
  const title = kfGoals[0]!.directionGoalTitle;
  return tableSheet(
    context,
    `${code} ${title}`,
    [
      `Inriktningsmål ${code}: ${title}`,
      'Per indikator KF:s årsmål och antalet nämnder per status; under den varje nämnd som rapporterar indikatorn med sitt årsmål (nämndens eget, annars KF:s).',
      `Värde: ${c.period === 'VB' ? 'utfallet (prognosen om utfall saknas)' : 'prognosen för helåret (utfallet om prognos saknas)'}. Status: värdet mot årsmålet.`,
      c.period === 'VB'
        ? 'Saknas: inget värde eller inget årsmål.'
        : `Saknas: tertialindikator utan värde eller årsmål. ${NOT_DUE}: årsindikator, rapporteras i verksamhetsberättelsen.`,
    ],
    columns,
    (first) => rows.map((row, index) => row.cells(first, index)),
    {
      frozenColumns: 2,
      statusHeaderColumn: columnOf(columns, 'helt'),
      statusColumns: [columnOf(columns, 'status')],
      rowFormats: rows.map((row) => row.format),
      boldRows: rows.flatMap((row, index) => (row.bold ? [index] : [])),
    },
  );
}

function deviationsSheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { key: 'organisation', header: 'Organisation', width: 26, wrap: true },
    { key: 'kfGoal', header: 'KF-mål', width: 7 },
    { key: 'goal', header: 'Nämndmål', width: 32, wrap: true },
    { key: 'suggested', header: 'Föreslagen bedömning', width: 11, wrap: true },
    { key: 'assessment', header: 'Bedömning', width: 11 },
    { key: 'motivation', header: 'Motivering', width: 42, wrap: true },
  ];
  return tableSheet(
    context,
    'Avvikande bedömningar',
    [
      `Målbedömningar som avviker från Tertials förslag, ${PERIOD_NAMES[c.period]} ${c.year}`,
      'Förslaget: helt om alla indikatorer är helt, ej om fler än hälften är ej, annars delvis.',
    ],
    columns,
    () =>
      c.deviatingAssessments.map((d) => [
        names.get(d.organisation) ?? d.organisation,
        d.kfGoalCode,
        `${d.goalCode} ${d.goalTitle}`,
        d.suggestedAssessment,
        d.assessment,
        d.motivation,
      ]),
    { statusColumns: [columnOf(columns, 'suggested'), columnOf(columns, 'assessment')], frozenColumns: 1 },
  );
}

/** Each indicator's T1 and T2 full-year forecast against the year's outcome, per organisation, by the band rule. */
function forecastAccuracySheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { key: 'organisation', header: 'Organisation', width: 21, wrap: true },
    { key: 'indicator', header: 'Indikator (enhet)', width: 24, wrap: true },
    { key: 'annualTarget', header: 'Årsmål', width: 9, numFmt: NUMBER_FORMAT, rowFormat: true },
    // Its own precision: 5 % of an årsmål has more decimals than the indicator's values.
    { key: 'tolerance', header: 'Tolerans ±', width: 9, numFmt: 'General' },
    { key: 'forecastT1', header: 'Prognos T1', width: 9, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'deviationT1', header: 'Avvikelse T1', width: 10, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'accuracyT1', header: 'Bedömning T1', width: 11, wrap: true },
    { key: 'forecastT2', header: 'Prognos T2', width: 9, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'deviationT2', header: 'Avvikelse T2', width: 10, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'accuracyT2', header: 'Bedömning T2', width: 11, wrap: true },
    { key: 'outcome', header: 'Utfall helår', width: 9, numFmt: NUMBER_FORMAT, rowFormat: true },
  ];
  const { at, range } = addresses(columns);
  const deviation = (forecast: string, r: number) => formula(`IF(OR(${at(forecast, r)}="",${at('outcome', r)}=""),"",${at(forecast, r)}-${at('outcome', r)})`);
  const sheet = tableSheet(
    context,
    'Prognossäkerhet',
    [
      `Prognossäkerhet ${c.year}`,
      'Helårsprognoserna vid T1 och T2 mot utfallet i verksamhetsberättelsen, per nämnd och indikator. Avvikelse: prognos minus utfall.',
      'Bandregeln med utfallet som mål: helt om prognosen ligger inom ± toleransen från utfallet, delvis inom 2 × toleransen, annars ej.',
      `Tolerans: bandindikatorns egen (t.ex. budgetföljsamhet ±1), för övriga ${FORECAST_TOLERANCE_PERCENT} % av årsmålet. Årsindikatorer visas där nämnden gett en prognos vid T1 eller T2.`,
      ...(c.period === 'VB' ? [] : ['Utfallet för helåret kommer i verksamhetsberättelsen; till dess visas prognoserna hittills.']),
    ],
    columns,
    (first) =>
      c.forecastAccuracy.map((f, n): LayoutCell[] => {
        const r = first + n;
        return [
          names.get(f.organisation) ?? f.organisation,
          `${f.code} ${f.title} (${f.unit})`,
          f.annualTarget,
          f.tolerance,
          f.forecastT1,
          deviation('forecastT1', r),
          f.accuracyT1,
          f.forecastT2,
          deviation('forecastT2', r),
          f.accuracyT2,
          f.outcome,
        ];
      }),
    {
      frozenColumns: 2,
      statusColumns: [columnOf(columns, 'accuracyT1'), columnOf(columns, 'accuracyT2')],
      rowFormats: c.forecastAccuracy.map((f) => decimalsFormat(decimalsOf([f.annualTarget, f.forecastT1, f.forecastT2, f.outcome]))),
    },
  );
  const first = sheet.headerRow + 1;
  const last = lastRowOf(sheet);
  sheet.totals = {
    row: last + 2,
    label: 'Prognoser inom toleransen (helt)',
    cells: (['accuracyT1', 'accuracyT2'] as const).map((key) => ({
      column: columnOf(columns, key),
      value: formula(`COUNTIF(${range(key, first, last)},"helt")`),
      numFmt: INTEGER_FORMAT,
    })),
    note: 'Räknat på raderna ovan; filtrera på organisation för en nämnds prognossäkerhet.',
  };
  return sheet;
}

/** The date of an ISO time (UTC), as the sheets show dates: YYYY-MM-DD. */
/** The request's dates, one line each: begärd, besvarad, avslutad (those it has). */
function requestDates(q: { requestedAt: string; answeredAt: string | null; closedAt: string | null } | null): string | null {
  if (!q) return null;
  const lines: [string, string | null][] = [
    ['begärd', q.requestedAt],
    ['besvarad', q.answeredAt],
    ['avslutad', q.closedAt],
  ];
  return lines
    .filter(([, at]) => at !== null)
    .map(([word, at]) => `${word} ${at!.slice(0, 10)}`)
    .join('\n');
}

function ambitionSheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    // One printed page wide (≈ 150 characters of column and cell padding at 80 % on A4 landscape): the request's dates share a column.
    { key: 'organisation', header: 'Organisation', width: 16, wrap: true },
    { key: 'code', header: 'Kod', width: 6 },
    { key: 'indicator', header: 'Indikator', width: 20, wrap: true },
    { key: 'direction', header: 'Riktning', width: 10, wrap: true },
    { key: 'kfTarget', header: 'KF:s årsmål', width: 9, numFmt: NUMBER_FORMAT, rowFormat: true, wrap: true },
    { key: 'orgTarget', header: 'Nämndens årsmål', width: 10, numFmt: NUMBER_FORMAT, rowFormat: true, wrap: true },
    { key: 'difference', header: 'Skillnad', width: 8, numFmt: NUMBER_FORMAT, rowFormat: true },
    { key: 'request', header: 'Läge', width: 10, wrap: true },
    { key: 'comment', header: 'Begäran från SLK', width: 14, wrap: true },
    { key: 'answer', header: 'Nämndens svar', width: 14, wrap: true },
    { key: 'dates', header: 'Datum', width: 13, wrap: true },
  ];
  const { at } = addresses(columns);
  return tableSheet(
    context,
    'Lägre ambition än KF',
    [
      `Nämndernas årsmål som är mindre ambitiösa än KF:s, ${c.year}`,
      'Skillnad: nämndens årsmål minus KF:s, i indikatorns enhet.',
      'Läge: stadsledningskontorets (SLK:s) begäran om ett mer ambitiöst värde – ingen, begärd, besvarad (med motivering), höjt årsmål eller motivering godtagen.',
    ],
    columns,
    (first) =>
      c.belowKfAmbition.map((b, n) => {
        const r = first + n;
        const q = b.request;
        return [
          names.get(b.organisation) ?? b.organisation,
          b.code,
          b.title,
          directionText(b.direction, null),
          b.kfTarget,
          b.orgTarget,
          formula(`${at('orgTarget', r)}-${at('kfTarget', r)}`),
          q ? AMBITION_REQUEST_STATE_LABELS[q.state] : 'ingen',
          q?.comment ?? null,
          q?.motivation ?? null,
          requestDates(q),
        ];
      }),
    { frozenColumns: 1, rowFormats: c.belowKfAmbition.map((b) => decimalsFormat(decimalsOf([b.kfTarget, b.orgTarget]))) },
  );
}

/** Every organisation's state of each KF activity, then every uppdrag running in the year with its responsible's state. */
function followupSheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { key: 'kind', header: 'Typ', width: 9 },
    { key: 'code', header: 'Kod', width: 10 },
    { key: 'title', header: 'Aktivitet eller uppdrag', width: 22, wrap: true },
    { key: 'origin', header: 'KF-mål eller givet av', width: 9, wrap: true },
    { key: 'organisation', header: 'Organisation', width: 20, wrap: true },
    { key: 'state', header: 'Status', width: 14 },
    { key: 'text', header: 'Kommentar eller redovisning', width: 18, wrap: true },
    { key: 'due', header: 'Slutdatum eller sista dag', width: 10, wrap: true },
    { key: 'reported', header: 'Åter-\nrapporterat', width: 12, wrap: true },
    { key: 'overdue', header: 'Försenat', width: 9 },
  ];
  const { range } = addresses(columns);
  const sheet = tableSheet(
    context,
    'Aktiviteter och uppdrag',
    [
      `KF:s aktiviteter och uppdragen, ${PERIOD_NAMES[c.period]} ${c.year}`,
      'En rad per aktivitet och organisation som rapporterar den, och en rad per uppdrag som löper under året',
      '(givet i år eller tidigare och inte återrapporterat ett tidigare år), med den ansvariga organisationens status.',
    ],
    columns,
    () => [
      ...c.activities.flatMap((a) =>
        a.results.map((r): LayoutCell[] => [
          'Aktivitet',
          a.code,
          a.title,
          a.kfGoalCode,
          names.get(r.organisation) ?? r.organisation,
          r.state ? ACTIVITY_STATE_LABELS[r.state] : MISSING,
          r.comment,
          a.endDate,
          null,
          null,
        ]),
      ),
      ...c.commissions.map((u): LayoutCell[] => [
        'Uppdrag',
        u.code,
        u.title,
        `${u.givenBy} ${u.yearGiven}`,
        u.participants.length > 0 ? `${u.responsible.name} (ansvarig), i samverkan med ${u.participants.map((p) => p.name).join(', ')}` : u.responsible.name,
        u.state ? COMMISSION_STATE_LABELS[u.state] : MISSING,
        u.text,
        u.deadline,
        u.reported ? 'ja' : 'nej',
        u.overdue ? 'ja' : null,
      ]),
    ],
    { frozenColumns: 3 },
  );
  const first = sheet.headerRow + 1;
  const last = lastRowOf(sheet);
  sheet.totals = {
    row: last + 2,
    label: 'Uppdrag som inte återrapporterats',
    cells: [
      { column: columnOf(columns, 'reported'), value: formula(`COUNTIF(${range('reported', first, last)},"nej")`), numFmt: INTEGER_FORMAT },
      { column: columnOf(columns, 'overdue'), value: formula(`COUNTIF(${range('overdue', first, last)},"ja")`), numFmt: INTEGER_FORMAT },
    ],
    note: `Status ${MISSING}: ingen status angiven för perioden. Försenat: inte återrapporterat, och sista dagen var senast vid periodens slut.`,
  };
  return sheet;
}

function signalsSheet(s: SteeringSignals, context: SheetContext): ConsolidationSheet {
  type Counts = { goals: number; indicators: number; activities: number; commissions: number };
  const columns: LayoutColumn[] = [
    { key: 'name', header: 'Organisation', width: 30, wrap: true },
    { key: 'kind', header: 'Typ', width: 13 },
    { key: 'goals', header: 'Mål', width: 8, numFmt: INTEGER_FORMAT },
    { key: 'indicators', header: 'Indikatorer', width: 11, numFmt: INTEGER_FORMAT },
    { key: 'activities', header: 'Aktiviteter', width: 11, numFmt: INTEGER_FORMAT },
    { key: 'commissions', header: 'Uppdrag', width: 9, numFmt: INTEGER_FORMAT },
    { key: 'sum', header: 'Summa', width: 8, numFmt: INTEGER_FORMAT },
    { key: 'goalsChange', header: 'Förändring mål', width: 10, numFmt: CHANGE_FORMAT, wrap: true },
    { key: 'indicatorsChange', header: 'Förändring indikatorer', width: 12, numFmt: CHANGE_FORMAT, wrap: true },
    { key: 'activitiesChange', header: 'Förändring aktiviteter', width: 12, numFmt: CHANGE_FORMAT, wrap: true },
    { key: 'commissionsChange', header: 'Förändring uppdrag', width: 10, numFmt: CHANGE_FORMAT, wrap: true },
  ];
  const { range, across } = addresses(columns);
  const counts = (n: Counts, r: number): LayoutCell[] => [n.goals, n.indicators, n.activities, n.commissions, formula(`SUM(${across('goals', 'commissions', r)})`)];
  const change = (d: Counts | null): LayoutCell[] => (d ? [d.goals, d.indicators, d.activities, d.commissions] : [null, null, null, null]);
  const sheet = tableSheet(
    context,
    'Styrsignaler',
    [
      `Styrsignaler ${s.year}: mål, indikatorer, aktiviteter och uppdrag`,
      `Förändring mot ${s.previousYear}; tom om året saknas i Tertial. Uppdrag: givna under året (en nämnd: som ansvarig eller i samverkan).`,
    ],
    columns,
    (first) => [
      ['Kommunfullmäktige', 'KF', ...counts(s.kf, first), ...change(s.kf.change)],
      ...s.organisations.map((o, n) => [o.name, KIND_TEXT[o.kind], ...counts(o, first + 1 + n), ...change(o.change)]),
    ],
    { frozenColumns: 1 },
  );
  const firstOrg = sheet.headerRow + 2;
  const last = lastRowOf(sheet);
  sheet.totals = {
    row: last + 2,
    label: 'Summa nämnder och bolag',
    cells: ['goals', 'indicators', 'activities', 'commissions', 'sum'].map((key) => ({
      column: columnOf(columns, key),
      value: formula(`SUM(${range(key, firstOrg, last)})`),
      numFmt: INTEGER_FORMAT,
    })),
  };
  return sheet;
}

/** Intern kontroll: each organisation's assessment (VB) and follow-up, the annual report's sentence, and the city's risk matrix in words. */
function internalControlSheet(c: Consolidation, context: SheetContext, names: Map<string, string>): ConsolidationSheet {
  const ic = c.internalControl;
  const columns: LayoutColumn[] = [
    { key: 'organisation', header: 'Organisation', width: 20, wrap: true },
    { key: 'judgement', header: 'Bedömning', width: 12, wrap: true },
    { key: 'motivation', header: 'Motivering', width: 28, wrap: true },
    { key: 'risks', header: 'Risker', width: 7, numFmt: INTEGER_FORMAT },
    { key: 'controls', header: 'Kontroller', width: 10, numFmt: INTEGER_FORMAT },
    { key: 'notPerformed', header: 'Ej genomförda', width: 10, wrap: true, numFmt: INTEGER_FORMAT },
    { key: 'deviations', header: 'Avvikelser', width: 10, numFmt: INTEGER_FORMAT },
    { key: 'details', header: 'Ej genomförda kontroller och avvikelser', width: 30, wrap: true },
  ];
  // Short title lines: a long one would spill past the last column and print a page of its own.
  const sentence = (ic.sentence ?? 'Nämndernas bedömningar av den interna kontrollen lämnas i verksamhetsberättelsen.').split(/(?<=\.) /);
  const matrix = ic.matrix.map((row, p) => `Sannolikhet ${p + 1}: ${row.join(' · ')}`).reverse();
  return tableSheet(
    context,
    'Intern kontroll',
    [`Intern kontroll, ${PERIOD_NAMES[c.period]} ${c.year}`, ...sentence, 'Riskmatris, antal risker i staden per konsekvens 1–4:', ...matrix],
    columns,
    () =>
      ic.organisations.map((o) => [
        names.get(o.organisation) ?? o.name,
        o.judgement === null ? null : JUDGEMENT_LABELS[o.judgement],
        o.motivation,
        o.risks,
        o.controls,
        o.notPerformed,
        o.deviations,
        [
          ...ic.notPerformed.filter((n) => n.organisation === o.organisation).map((n) => `${n.code} ej genomförd: ${n.reason ?? ''}`.trim()),
          ...ic.deviations
            .filter((d) => d.organisation === o.organisation)
            .map((d) => `${d.code} avvikelse: ${d.findings ?? ''}${d.actionTaken ? ` Åtgärd: ${d.actionTaken}` : ''}`.trim()),
        ].join('\n') || null,
      ]),
    { frozenColumns: 1 },
  );
}

/**
 * Every sheet of the consolidation, in order: overview, måluppfyllelse, inriktningsmål by code,
 * deviations, forecast accuracy, ambition, activities and uppdrag, intern kontroll, steering signals.
 */
export function consolidationSheets(c: Consolidation, signals: SteeringSignals, generatedAt: Date): ConsolidationSheet[] {
  const context: SheetContext = { title: consolidationTitle(c), generatedAt };
  const names = new Map(c.organisations.map((o) => [o.code, o.name]));
  const byDirectionGoal = new Map<string, Consolidation['kfGoals']>();
  for (const goal of c.kfGoals) byDirectionGoal.set(goal.directionGoalCode, [...(byDirectionGoal.get(goal.directionGoalCode) ?? []), goal]);
  return [
    overviewSheet(c, context),
    goalFulfilmentSheet(c, context, names),
    ...[...byDirectionGoal].map(([code, goals]) => directionGoalSheet(c, context, code, goals)),
    deviationsSheet(c, context, names),
    forecastAccuracySheet(c, context, names),
    ambitionSheet(c, context, names),
    followupSheet(c, context, names),
    internalControlSheet(c, context, names),
    signalsSheet(signals, context),
  ];
}
