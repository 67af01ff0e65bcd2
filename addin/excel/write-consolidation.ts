import { isFormula, type ConsolidationSheet, type LayoutCell } from '../../core/sheets/consolidation-layout';
import { STATUS_COLOURS } from '../../core/sheets/report-layout';
import { POINTS_PER_CHARACTER, PROTECTION, TEXT_FORMAT, addStatusColours, column, excelValue, printSetup, styleHeader, writeTitleLines } from './formats';
import { type SyncBudget, payloadBytes, rowChunks } from './payload';

/**
 * One sheet of the consolidation (core/sheets/consolidation-layout.ts) drawn with Office.js,
 * queued on the caller's context: values as 2D runs under the request budget, formulas where the
 * layout has them, formats by column (an indicator's values by its row), summary rows bold,
 * status colours as conditional formats, A4 landscape print set-up, read-only.
 */

/** Text columns are formatted as text before values land: user text such as "=HYPERLINK(…)" or a code like 1.1 stays as typed. */
const plain = (v: LayoutCell): string | number => (isFormula(v) ? '' : excelValue(v));

/** Runs of consecutive rows of the same height, as (first row index, count, height): one request each. */
function heightRuns(heights: readonly number[]): { start: number; count: number; height: number }[] {
  const runs: { start: number; count: number; height: number }[] = [];
  heights.forEach((height, i) => {
    const last = runs.at(-1);
    if (last && last.height === height && last.start + last.count === i) last.count++;
    else runs.push({ start: i, count: 1, height });
  });
  return runs;
}

/** Each column's runs of formula cells, as (first row index, formulas) to write in one go. */
function formulaRuns(rows: readonly LayoutCell[][], width: number): { col: number; start: number; formulas: string[] }[] {
  const runs: { col: number; start: number; formulas: string[] }[] = [];
  for (let col = 0; col < width; col++) {
    let run: { col: number; start: number; formulas: string[] } | undefined;
    rows.forEach((row, i) => {
      const cell = row[col] ?? null;
      if (!isFormula(cell)) {
        run = undefined;
        return;
      }
      if (!run) runs.push((run = { col, start: i, formulas: [] }));
      run.formulas.push(`=${cell.formula}`);
    });
  }
  return runs;
}

export interface DrawOptions {
  budget: SyncBudget;
  /** ExcelApi 1.9: autofilter and page layout. */
  canFilter: boolean;
}

export async function writeConsolidationSheet(sheet: Excel.Worksheet, layout: ConsolidationSheet, { budget, canFilter }: DrawOptions) {
  const width = layout.columns.length;
  const top = layout.headerRow - 1;
  const rows = layout.rows.length > 0 ? layout.rows : [layout.columns.map(() => null)];
  writeTitleLines(sheet, layout.titles);

  for (const [i, spec] of layout.columns.entries()) {
    const cells = sheet.getRangeByIndexes(top + 1, i, rows.length, 1);
    const formats = rows.map((_, r) => (spec.rowFormat ? layout.rowFormats[r] : null) ?? spec.numFmt ?? TEXT_FORMAT);
    await budget.queue(payloadBytes(formats), () => {
      cells.numberFormat = column(formats);
      if (spec.wrap) cells.format.wrapText = true;
      sheet.getRangeByIndexes(0, i, 1, 1).format.columnWidth = Math.round(spec.width * POINTS_PER_CHARACTER);
    });
  }
  const values = [layout.columns.map((c) => c.header), ...rows.map((r) => layout.columns.map((_, i) => plain(r[i] ?? null)))];
  for (const chunk of rowChunks(values, budget.limit)) {
    await budget.queue(chunk.bytes, () => {
      sheet.getRangeByIndexes(top + chunk.start, 0, chunk.rows.length, width).values = chunk.rows;
    });
  }
  for (const run of formulaRuns(rows, width)) {
    await budget.queue(payloadBytes(run.formulas), () => {
      sheet.getRangeByIndexes(top + 1 + run.start, run.col, run.formulas.length, 1).formulas = column(run.formulas);
    });
  }

  for (const run of heightRuns(layout.rowHeights)) {
    await budget.queue(payloadBytes(run), () => {
      sheet.getRangeByIndexes(top + 1 + run.start, 0, run.count, 1).format.rowHeight = run.height;
    });
  }
  for (const r of layout.boldRows) {
    await budget.queue(payloadBytes(r), () => {
      sheet.getRangeByIndexes(top + 1 + r, 0, 1, width).format.font.bold = true;
    });
  }

  const headerFormat = sheet.getRangeByIndexes(top, 0, 1, width).format;
  styleHeader(headerFormat);
  headerFormat.rowHeight = layout.headerHeight;
  if (layout.statusHeaderColumn !== null) {
    (['helt', 'delvis', 'ej'] as const).forEach((status, i) => {
      const cell = sheet.getRangeByIndexes(top, layout.statusHeaderColumn! - 1 + i, 1, 1).format;
      cell.fill.color = STATUS_COLOURS[status].fill;
      cell.font.color = STATUS_COLOURS[status].font;
    });
  }
  for (const column of layout.statusColumns) addStatusColours(sheet.getRangeByIndexes(top + 1, column - 1, rows.length, 1));

  if (layout.totals) {
    const { row, label, cells, note } = layout.totals;
    sheet.getRangeByIndexes(row - 1, 0, 1, 1).values = [[label]];
    sheet.getRangeByIndexes(row - 1, 0, 1, width).format.font.bold = true;
    for (const cell of cells) {
      const at = sheet.getRangeByIndexes(row - 1, cell.column - 1, 1, 1);
      at.numberFormat = [[cell.numFmt]];
      at.formulas = [[isFormula(cell.value) ? `=${cell.value.formula}` : excelValue(cell.value)]];
    }
    if (note) sheet.getRangeByIndexes(row, 0, 1, 1).values = [[note]];
  }

  if (layout.frozenColumns > 0) sheet.freezePanes.freezeAt(sheet.getRangeByIndexes(0, 0, layout.headerRow, layout.frozenColumns));
  else sheet.freezePanes.freezeRows(layout.headerRow);
  if (canFilter) {
    sheet.autoFilter.apply(sheet.getRangeByIndexes(top, 0, rows.length + 1, width));
    printSetup(sheet, layout.print);
  }
  sheet.protection.protect(PROTECTION);
}
