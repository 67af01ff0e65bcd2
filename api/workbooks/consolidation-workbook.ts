import type ExcelJS from 'exceljs';
import { INTEGER_FORMAT, NUMBER_FORMAT, PERIOD_NAMES, STATUS_COLOURS, directionText } from '../../addin/sheets/report-layout';
import type { OrganisationKind } from '../contract/common';
import type { Consolidation, SteeringSignals } from '../contract/consolidation';
import { valueToAssess } from '../domain/rules';
import {
  addStatusColours,
  argb,
  columnLetter,
  finishTableSheet,
  newWorkbook,
  rangeRef,
  safeSheetName,
  setColumns,
  solidFill,
  styleHeaderRow,
  writeTable,
  xlsxBuffer,
  type XlsxColumn,
  type XlsxValue,
} from './xlsx-format';

/**
 * The centre's workbook for the annual report, one period city-wide: an overview per
 * organisation, one sheet per inriktningsmål (indicators × organisations), the deviating goal
 * assessments, the årsmål below KF's, and the steering signals. Sums and counts are Excel
 * formulas over the sheet's own cells, so the numbers can be followed and checked.
 */
type Org = Consolidation['organisations'][number];

const KIND_TEXT: Record<OrganisationKind, string> = { stadsdelsnamnd: 'Stadsdelsnämnd', facknamnd: 'Facknämnd', bolag: 'Bolag' };
const STATE_TEXT: Record<Org['state'], string> = { not_started: 'ej påbörjad', open: 'öppen', submitted: 'inskickad' };
const MISSING = 'saknas';
const CHANGE_FORMAT = '+#,##0;-#,##0;0';
const SHARE_FORMAT = '0%';

const formula = (text: string): XlsxValue => ({ formula: text });
const stockholmTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : null;

function titleRows(sheet: ExcelJS.Worksheet, lines: string[]): void {
  lines.forEach((text, i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = text;
    cell.font = i === 0 ? { bold: true, size: 14 } : { size: 10, italic: true };
  });
}

/** A titled sheet with one filtered, frozen table; `rowsAt` gets the sheet row of the first data row. */
function tableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  titles: string[],
  columns: XlsxColumn[],
  rowsAt: (firstRow: number) => XlsxValue[][],
  frozenColumns = 0,
) {
  const sheet = workbook.addWorksheet(safeSheetName(name));
  titleRows(sheet, titles);
  const headerRow = titles.length + 2;
  const rows = rowsAt(headerRow + 1);
  writeTable(sheet, headerRow, columns, rows);
  setColumns(sheet, columns);
  finishTableSheet(sheet, { headerRow, lastRow: headerRow + rows.length, columns: columns.length, frozenColumns });
  return { sheet, headerRow, firstRow: headerRow + 1, lastRow: headerRow + rows.length };
}

function colourStatusHeaders(sheet: ExcelJS.Worksheet, row: number, firstColumn: number): void {
  (['helt', 'delvis', 'ej'] as const).forEach((status, i) => {
    const cell = sheet.getCell(row, firstColumn + i);
    cell.fill = solidFill(STATUS_COLOURS[status].fill);
    cell.font = { bold: true, color: { argb: argb(STATUS_COLOURS[status].font) } };
  });
}

function totalsRow(sheet: ExcelJS.Worksheet, row: number, label: string, values: Array<[column: number, value: XlsxValue, numFmt: string]>): void {
  sheet.getCell(row, 1).value = label;
  sheet.getRow(row).font = { bold: true };
  for (const [column, value, numFmt] of values) {
    const cell = sheet.getCell(row, column);
    cell.value = value;
    cell.numFmt = numFmt;
  }
}

function overviewSheet(workbook: ExcelJS.Workbook, c: Consolidation, generatedAt: Date): void {
  const columns: XlsxColumn[] = [
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
  const rowsAt = (first: number) =>
    c.organisations.map((o, i): XlsxValue[] => {
      const r = first + i;
      return [o.code, o.name, KIND_TEXT[o.kind], STATE_TEXT[o.state], stockholmTime(o.submittedAt), o.counts.helt, o.counts.delvis, o.counts.ej, o.counts.missing, formula(`SUM(F${r}:I${r})`), formula(`IF(J${r}=0,"",F${r}/J${r})`)];
    });
  const { sheet, headerRow, firstRow: first, lastRow } = tableSheet(
    workbook,
    'Översikt',
    [
      `Konsolidering ${PERIOD_NAMES[c.period]} ${c.year}`,
      `Skapad ${generatedAt.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' })} · Periodens läge: ${c.periodState === 'locked' ? 'låst' : 'öppen'} · Indikatorernas status per organisation, beräknad med samma regel för alla.`,
    ],
    columns,
    rowsAt,
  );
  colourStatusHeaders(sheet, headerRow, 6);
  const sum = (column: string) => formula(`SUM(${column}${first}:${column}${lastRow})`);
  totalsRow(sheet, lastRow + 2, 'Summa', [
    [4, formula(`COUNTIF(D${first}:D${lastRow},"${STATE_TEXT.submitted}")`), INTEGER_FORMAT],
    [6, sum('F'), INTEGER_FORMAT],
    [7, sum('G'), INTEGER_FORMAT],
    [8, sum('H'), INTEGER_FORMAT],
    [9, sum('I'), INTEGER_FORMAT],
    [10, sum('J'), INTEGER_FORMAT],
    [11, formula(`IF(J${lastRow + 2}=0,"",F${lastRow + 2}/J${lastRow + 2})`), SHARE_FORMAT],
  ]);
  sheet.getCell(lastRow + 3, 1).value = 'Läge: antal inskickade rapporter.';
}

/** Indicators × organisations for one inriktningsmål: the value compared and its status. */
function directionGoalSheet(workbook: ExcelJS.Workbook, c: Consolidation, code: string, kfGoals: Consolidation['kfGoals']): void {
  const reporting = new Set(kfGoals.flatMap((g) => g.indicators.flatMap((i) => i.results.map((r) => r.organisation))));
  const orgs = c.organisations.filter((o) => reporting.has(o.code));
  const fixed: XlsxColumn[] = [
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
  const columns: XlsxColumn[] = [
    ...fixed,
    ...orgs.flatMap((): XlsxColumn[] => [
      { header: 'Värde', width: 11, numFmt: NUMBER_FORMAT },
      { header: 'Status', width: 9 },
    ]),
  ];
  const firstOrgColumn = fixed.length + 1;
  const lastColumn = columns.length;
  const indicators = kfGoals.flatMap((g) => g.indicators.map((i) => ({ goal: g, indicator: i })));
  const rowsAt = (first: number) => indicators.map(({ goal, indicator }, n): XlsxValue[] => {
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
  });
  const title = kfGoals[0]!.directionGoalTitle;
  const { sheet, headerRow, firstRow, lastRow } = tableSheet(
    workbook,
    `${code} ${title}`,
    [
      `Inriktningsmål ${code}: ${title}`,
      `Värde: ${c.period === 'VB' ? 'utfallet (prognosen om utfall saknas)' : 'prognosen för helåret (utfallet om prognos saknas)'}. Status mot nämndens årsmål, KF:s om nämnden inte satt något eget. Tom cell: organisationen rapporterar inte indikatorn.`,
    ],
    columns,
    rowsAt,
    3,
  );
  colourStatusHeaders(sheet, headerRow, 7);
  orgs.forEach((o, i) => {
    const column = firstOrgColumn + 2 * i;
    sheet.getCell(headerRow - 1, column).value = o.name;
    sheet.mergeCells(headerRow - 1, column, headerRow - 1, column + 1);
  });
  if (orgs.length > 0) {
    styleHeaderRow(sheet, headerRow - 1, lastColumn);
    addStatusColours(sheet, rangeRef(firstRow, firstOrgColumn, Math.max(lastRow, firstRow), lastColumn));
  }
}

function deviationsSheet(workbook: ExcelJS.Workbook, c: Consolidation, names: Map<string, string>): void {
  const { sheet, firstRow, lastRow } = tableSheet(
    workbook,
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
  );
  addStatusColours(sheet, rangeRef(firstRow, 4, Math.max(lastRow, firstRow), 5));
}

function ambitionSheet(workbook: ExcelJS.Workbook, c: Consolidation, names: Map<string, string>): void {
  tableSheet(
    workbook,
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
    (first) => c.belowKfAmbition.map((b, n) => {
      const r = first + n;
      return [names.get(b.organisation) ?? b.organisation, b.code, b.title, directionText(b.direction, null), b.kfTarget, b.orgTarget, formula(`F${r}-E${r}`)];
    }),
  );
}

function signalsSheet(workbook: ExcelJS.Workbook, s: SteeringSignals): void {
  const counts = (n: { goals: number; indicators: number; activities: number }, r: number): XlsxValue[] => [n.goals, n.indicators, n.activities, formula(`SUM(D${r}:F${r})`)];
  const change = (d: { goals: number; indicators: number; activities: number } | null): XlsxValue[] => (d ? [d.goals, d.indicators, d.activities] : [null, null, null]);
  const rowsAt = (first: number): XlsxValue[][] => [
    ['kf', 'Kommunfullmäktige', 'KF', ...counts(s.kf, first), ...change(s.kf.change)],
    ...s.organisations.map((o, n) => [o.code, o.name, KIND_TEXT[o.kind], ...counts(o, first + 1 + n), ...change(o.change)]),
  ];
  const { sheet, firstRow, lastRow } = tableSheet(
    workbook,
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
    rowsAt,
  );
  const firstOrg = firstRow + 1;
  totalsRow(
    sheet,
    lastRow + 2,
    'Summa nämnder och bolag',
    (['D', 'E', 'F', 'G'] as const).map((col, i) => [4 + i, formula(`SUM(${col}${firstOrg}:${col}${lastRow})`), INTEGER_FORMAT]),
  );
}

export async function consolidationWorkbook(c: Consolidation, signals: SteeringSignals, generatedAt: Date): Promise<{ buffer: Buffer; fileName: string }> {
  const workbook = newWorkbook(`Konsolidering ${PERIOD_NAMES[c.period]} ${c.year}`, generatedAt);
  const names = new Map(c.organisations.map((o) => [o.code, o.name]));
  overviewSheet(workbook, c, generatedAt);
  const byDirectionGoal = new Map<string, Consolidation['kfGoals']>();
  for (const goal of c.kfGoals) byDirectionGoal.set(goal.directionGoalCode, [...(byDirectionGoal.get(goal.directionGoalCode) ?? []), goal]);
  for (const [code, goals] of byDirectionGoal) directionGoalSheet(workbook, c, code, goals);
  deviationsSheet(workbook, c, names);
  ambitionSheet(workbook, c, names);
  signalsSheet(workbook, signals);
  return { buffer: await xlsxBuffer(workbook), fileName: `konsolidering-${c.period}-${c.year}.xlsx` };
}
