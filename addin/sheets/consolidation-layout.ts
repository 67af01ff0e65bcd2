import type { OrganisationKind } from '../../api/contract/common';
import type { Consolidation, SteeringSignals } from '../../api/contract/consolidation';
import { valueToAssess } from '../../api/domain/rules';
import { columnLetter, safeSheetName } from './a1';
import { INTEGER_FORMAT, NUMBER_FORMAT, PERIOD_NAMES, directionText, type CellValue } from './report-layout';

/**
 * The centre's consolidation of one period city-wide as sheets, pure: an overview per
 * organisation, one sheet per inriktningsmål (indicators × organisations), the deviating goal
 * assessments, the årsmål below KF's, and the steering signals. Sums and counts are formulas
 * over the sheet's own cells, so the numbers can be followed and checked. Drawn by exceljs for
 * the annual report's workbook (api/workbooks/consolidation-workbook.ts) and by Office.js into
 * the centre's open workbook (addin/excel/write-consolidation.ts).
 */
export interface Formula {
  formula: string;
}

/** Text is always a plain value, whatever it starts with (=, +, -, @): only a Formula built here is a formula. */
export type LayoutCell = CellValue | Formula;

export interface LayoutColumn {
  header: string;
  width: number;
  numFmt?: string;
  wrap?: boolean;
}

export interface ConsolidationSheet {
  name: string;
  /** Row 1 is the title, the lines below it explain the sheet. */
  titles: string[];
  /** 1-based; the data rows follow directly below. */
  headerRow: number;
  columns: LayoutColumn[];
  rows: LayoutCell[][];
  frozenColumns: number;
  /** Captions in the row above the header, each over `span` columns from `column` (1-based): the organisation names. */
  captions: { column: number; span: number; text: string }[];
  /** The first of three header cells coloured as helt, delvis, ej. */
  statusHeaderColumn: number | null;
  /** Data columns (1-based, inclusive) coloured by their status text. */
  statusColumns: { from: number; to: number } | null;
  /** Below the table after an empty row: a bold line of totals, and a note under it. */
  totals: { row: number; label: string; cells: { column: number; value: LayoutCell; numFmt: string }[]; note?: string } | null;
}

type Org = Consolidation['organisations'][number];

const KIND_TEXT: Record<OrganisationKind, string> = { stadsdelsnamnd: 'Stadsdelsnämnd', facknamnd: 'Facknämnd', bolag: 'Bolag' };
const STATE_TEXT: Record<Org['state'], string> = { not_started: 'ej påbörjad', open: 'öppen', submitted: 'inskickad' };
const MISSING = 'saknas';
const CHANGE_FORMAT = '+#,##0;-#,##0;0';
const SHARE_FORMAT = '0%';

export const isFormula = (value: LayoutCell): value is Formula => typeof value === 'object' && value !== null;
const formula = (text: string): Formula => ({ formula: text });
const stockholmTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : null;

export const consolidationTitle = (c: Pick<Consolidation, 'period' | 'year'>) => `Konsolidering ${PERIOD_NAMES[c.period]} ${c.year}`;
export const lastRowOf = (sheet: ConsolidationSheet) => sheet.headerRow + sheet.rows.length;

/** A titled sheet with one table; `rowsAt` gets the sheet row of the first data row. */
function tableSheet(
  name: string,
  titles: string[],
  columns: LayoutColumn[],
  rowsAt: (firstRow: number) => LayoutCell[][],
  extra: Partial<Pick<ConsolidationSheet, 'frozenColumns' | 'captions' | 'statusHeaderColumn' | 'statusColumns'>> = {},
): ConsolidationSheet {
  const headerRow = titles.length + 2;
  return {
    name: safeSheetName(name),
    titles,
    headerRow,
    columns,
    rows: rowsAt(headerRow + 1),
    frozenColumns: 0,
    captions: [],
    statusHeaderColumn: null,
    statusColumns: null,
    totals: null,
    ...extra,
  };
}

function overviewSheet(c: Consolidation, generatedAt: Date): ConsolidationSheet {
  const columns: LayoutColumn[] = [
    { header: 'Kod', width: 24 },
    { header: 'Organisation', width: 36 },
    { header: 'Typ', width: 16 },
    { header: 'Läge', width: 12 },
    { header: 'Inskickad', width: 17 },
    { header: 'Helt', width: 9, numFmt: INTEGER_FORMAT },
    { header: 'Delvis', width: 9, numFmt: INTEGER_FORMAT },
    { header: 'Ej', width: 9, numFmt: INTEGER_FORMAT },
    { header: 'Saknas', width: 9, numFmt: INTEGER_FORMAT },
    { header: 'Indikatorer', width: 12, numFmt: INTEGER_FORMAT },
    { header: 'Andel helt', width: 11, numFmt: SHARE_FORMAT },
  ];
  const sheet = tableSheet(
    'Översikt',
    [
      consolidationTitle(c),
      `Skapad ${generatedAt.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' })} · Periodens läge: ${c.periodState === 'locked' ? 'låst' : 'öppen'} · Indikatorernas status per organisation, beräknad med samma regel för alla.`,
    ],
    columns,
    (first) =>
      c.organisations.map((o, i): LayoutCell[] => {
        const r = first + i;
        return [o.code, o.name, KIND_TEXT[o.kind], STATE_TEXT[o.state], stockholmTime(o.submittedAt), o.counts.helt, o.counts.delvis, o.counts.ej, o.counts.missing, formula(`SUM(F${r}:I${r})`), formula(`IF(J${r}=0,"",F${r}/J${r})`)];
      }),
    { statusHeaderColumn: 6 },
  );
  const first = sheet.headerRow + 1;
  const last = lastRowOf(sheet);
  const total = last + 2;
  const sum = (column: string) => formula(`SUM(${column}${first}:${column}${last})`);
  sheet.totals = {
    row: total,
    label: 'Summa',
    cells: [
      { column: 4, value: formula(`COUNTIF(D${first}:D${last},"${STATE_TEXT.submitted}")`), numFmt: INTEGER_FORMAT },
      ...(['F', 'G', 'H', 'I', 'J'] as const).map((col, i) => ({ column: 6 + i, value: sum(col), numFmt: INTEGER_FORMAT })),
      { column: 11, value: formula(`IF(J${total}=0,"",F${total}/J${total})`), numFmt: SHARE_FORMAT },
    ],
    note: 'Läge: antal inskickade rapporter.',
  };
  return sheet;
}

/** Indicators × organisations for one inriktningsmål: the value compared and its status. */
function directionGoalSheet(c: Consolidation, code: string, kfGoals: Consolidation['kfGoals']): ConsolidationSheet {
  const reporting = new Set(kfGoals.flatMap((g) => g.indicators.flatMap((i) => i.results.map((r) => r.organisation))));
  const orgs = c.organisations.filter((o) => reporting.has(o.code));
  const fixed: LayoutColumn[] = [
    { header: 'KF-mål', width: 24, wrap: true },
    { header: 'Kod', width: 8 },
    { header: 'Indikator', width: 36, wrap: true },
    { header: 'Enhet', width: 8 },
    { header: 'Riktning', width: 15 },
    { header: 'KF:s årsmål', width: 12, numFmt: NUMBER_FORMAT },
    { header: 'Helt', width: 7, numFmt: INTEGER_FORMAT },
    { header: 'Delvis', width: 7, numFmt: INTEGER_FORMAT },
    { header: 'Ej', width: 7, numFmt: INTEGER_FORMAT },
    { header: 'Saknas', width: 7, numFmt: INTEGER_FORMAT },
  ];
  const columns: LayoutColumn[] = [
    ...fixed,
    ...orgs.flatMap((): LayoutColumn[] => [
      { header: 'Värde', width: 11, numFmt: NUMBER_FORMAT },
      { header: 'Status', width: 9 },
    ]),
  ];
  const firstOrgColumn = fixed.length + 1;
  const lastColumn = columns.length;
  const indicators = kfGoals.flatMap((g) => g.indicators.map((i) => ({ goal: g, indicator: i })));
  const title = kfGoals[0]!.directionGoalTitle;
  return tableSheet(
    `${code} ${title}`,
    [
      `Inriktningsmål ${code}: ${title}`,
      `Värde: ${c.period === 'VB' ? 'utfallet (prognosen om utfall saknas)' : 'prognosen för helåret (utfallet om prognos saknas)'}. Status mot nämndens årsmål, KF:s om nämnden inte satt något eget. Tom cell: organisationen rapporterar inte indikatorn.`,
    ],
    columns,
    (first) =>
      indicators.map(({ goal, indicator }, n): LayoutCell[] => {
        const r = first + n;
        const block = `${columnLetter(firstOrgColumn)}${r}:${columnLetter(lastColumn)}${r}`;
        const results = new Map(indicator.results.map((x) => [x.organisation, x]));
        return [
          `${goal.code} ${goal.title}`,
          indicator.code,
          indicator.title,
          indicator.unit,
          directionText(indicator.direction, null),
          indicator.kfTarget,
          ...(['helt', 'delvis', 'ej', MISSING] as const).map((status) => formula(`COUNTIF(${block},"${status}")`)),
          ...orgs.flatMap((o) => {
            const result = results.get(o.code);
            if (!result) return [null, null];
            return [valueToAssess(c.period, result.outcome, result.forecast), result.status ?? MISSING];
          }),
        ];
      }),
    {
      frozenColumns: 3,
      statusHeaderColumn: 7,
      captions: orgs.map((o, i) => ({ column: firstOrgColumn + 2 * i, span: 2, text: o.name })),
      statusColumns: orgs.length > 0 ? { from: firstOrgColumn, to: lastColumn } : null,
    },
  );
}

function deviationsSheet(c: Consolidation, names: Map<string, string>): ConsolidationSheet {
  return tableSheet(
    'Avvikande bedömningar',
    [`Målbedömningar som avviker från Tertials förslag, ${PERIOD_NAMES[c.period]} ${c.year}`, 'Förslaget: helt om alla indikatorer är helt, ej om fler än hälften är ej, annars delvis.'],
    [
      { header: 'Organisation', width: 32, wrap: true },
      { header: 'KF-mål', width: 8 },
      { header: 'Nämndmål', width: 40, wrap: true },
      { header: 'Föreslagen bedömning', width: 13 },
      { header: 'Bedömning', width: 12 },
      { header: 'Motivering', width: 70, wrap: true },
    ],
    () => c.deviatingAssessments.map((d) => [names.get(d.organisation) ?? d.organisation, d.kfGoalCode, `${d.goalCode} ${d.goalTitle}`, d.suggestedAssessment, d.assessment, d.motivation]),
    { statusColumns: { from: 4, to: 5 } },
  );
}

function ambitionSheet(c: Consolidation, names: Map<string, string>): ConsolidationSheet {
  return tableSheet(
    'Lägre ambition än KF',
    [`Nämndernas årsmål som är mindre ambitiösa än KF:s, ${c.year}`, 'Skillnad: nämndens årsmål minus KF:s, i indikatorns enhet.'],
    [
      { header: 'Organisation', width: 32, wrap: true },
      { header: 'Kod', width: 8 },
      { header: 'Indikator', width: 40, wrap: true },
      { header: 'Riktning', width: 16 },
      { header: 'KF:s årsmål', width: 13, numFmt: NUMBER_FORMAT },
      { header: 'Nämndens årsmål', width: 13, numFmt: NUMBER_FORMAT },
      { header: 'Skillnad', width: 13, numFmt: NUMBER_FORMAT },
    ],
    (first) =>
      c.belowKfAmbition.map((b, n) => {
        const r = first + n;
        return [names.get(b.organisation) ?? b.organisation, b.code, b.title, directionText(b.direction, null), b.kfTarget, b.orgTarget, formula(`F${r}-E${r}`)];
      }),
  );
}

function signalsSheet(s: SteeringSignals): ConsolidationSheet {
  type Counts = { goals: number; indicators: number; activities: number };
  const counts = (n: Counts, r: number): LayoutCell[] => [n.goals, n.indicators, n.activities, formula(`SUM(D${r}:F${r})`)];
  const change = (d: Counts | null): LayoutCell[] => (d ? [d.goals, d.indicators, d.activities] : [null, null, null]);
  const sheet = tableSheet(
    'Styrsignaler',
    [`Styrsignaler ${s.year}: mål, indikatorer och aktiviteter`, `Förändring mot ${s.previousYear}; tom om året saknas i Tertial.`],
    [
      { header: 'Kod', width: 24 },
      { header: 'Organisation', width: 36 },
      { header: 'Typ', width: 16 },
      { header: 'Mål', width: 9, numFmt: INTEGER_FORMAT },
      { header: 'Indikatorer', width: 11, numFmt: INTEGER_FORMAT },
      { header: 'Aktiviteter', width: 11, numFmt: INTEGER_FORMAT },
      { header: 'Summa', width: 9, numFmt: INTEGER_FORMAT },
      { header: 'Förändring mål', width: 12, numFmt: CHANGE_FORMAT },
      { header: 'Förändring indikatorer', width: 12, numFmt: CHANGE_FORMAT },
      { header: 'Förändring aktiviteter', width: 12, numFmt: CHANGE_FORMAT },
    ],
    (first) => [
      ['kf', 'Kommunfullmäktige', 'KF', ...counts(s.kf, first), ...change(s.kf.change)],
      ...s.organisations.map((o, n) => [o.code, o.name, KIND_TEXT[o.kind], ...counts(o, first + 1 + n), ...change(o.change)]),
    ],
  );
  const firstOrg = sheet.headerRow + 2;
  const last = lastRowOf(sheet);
  sheet.totals = {
    row: last + 2,
    label: 'Summa nämnder och bolag',
    cells: (['D', 'E', 'F', 'G'] as const).map((col, i) => ({ column: 4 + i, value: formula(`SUM(${col}${firstOrg}:${col}${last})`), numFmt: INTEGER_FORMAT })),
  };
  return sheet;
}

/** Every sheet of the consolidation, in order: overview, inriktningsmål by code, deviations, ambition, steering signals. */
export function consolidationSheets(c: Consolidation, signals: SteeringSignals, generatedAt: Date): ConsolidationSheet[] {
  const names = new Map(c.organisations.map((o) => [o.code, o.name]));
  const byDirectionGoal = new Map<string, Consolidation['kfGoals']>();
  for (const goal of c.kfGoals) byDirectionGoal.set(goal.directionGoalCode, [...(byDirectionGoal.get(goal.directionGoalCode) ?? []), goal]);
  return [
    overviewSheet(c, generatedAt),
    ...[...byDirectionGoal].map(([code, goals]) => directionGoalSheet(c, code, goals)),
    deviationsSheet(c, names),
    ambitionSheet(c, names),
    signalsSheet(signals),
  ];
}
