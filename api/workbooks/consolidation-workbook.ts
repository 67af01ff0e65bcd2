import type ExcelJS from 'exceljs';
import { rangeRef } from '../../core/sheets/a1';
import { consolidationSheets, consolidationTitle, isFormula, lastRowOf, type ConsolidationSheet } from '../../core/sheets/consolidation-layout';
import { STATUS_COLOURS, statusLevel } from '../../core/sheets/report-layout';
import type { Consolidation, SteeringSignals } from '../../core/contract/consolidation';
import { addStatusColours, argb, finishTableSheet, font, newWorkbook, printReport, setColumns, solidFill, writeTable, xlsxBuffer, xmlSafe } from './xlsx-format';

/**
 * The centre's workbook for the annual report: the consolidation's sheets as the layout module
 * (core/sheets/consolidation-layout.ts) describes them, drawn with exceljs. Formulas are written
 * as formulas, so the spreadsheet program computes the totals. Every sheet is protected without
 * a password, like the report workbook: it keeps the figures from being typed over by mistake;
 * sorting and filtering still work.
 */
function titleRows(sheet: ExcelJS.Worksheet, lines: string[]): void {
  lines.forEach((text, i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = text;
    cell.font = i === 0 ? font({ bold: true, size: 14 }) : font({ size: 10, italic: true });
  });
}

function colourStatusHeaders(sheet: ExcelJS.Worksheet, row: number, firstColumn: number): void {
  (['helt', 'delvis', 'ej'] as const).forEach((status, i) => {
    const cell = sheet.getCell(row, firstColumn + i);
    cell.fill = solidFill(STATUS_COLOURS[status].fill);
    cell.font = font({ bold: true, color: { argb: argb(STATUS_COLOURS[status].font) } });
  });
}

/**
 * Each row's own number format in its indicator-value columns, its height for wrapped text,
 * summary rows bold, and status cells filled as written too (programs that skip the conditional
 * format, LibreOffice among them, still show the colours).
 */
function formatRows(sheet: ExcelJS.Worksheet, layout: ConsolidationSheet): void {
  const valueColumns = layout.columns.flatMap((c, i) => (c.rowFormat ? [i + 1] : []));
  const first = layout.headerRow + 1;
  layout.rowFormats.forEach((format, r) => {
    if (format) for (const column of valueColumns) sheet.getCell(first + r, column).numFmt = format;
  });
  layout.rowHeights.forEach((height, r) => (sheet.getRow(first + r).height = height));
  sheet.getRow(layout.headerRow).height = layout.headerHeight;
  const bold = new Set(layout.boldRows);
  for (const r of bold) sheet.getRow(first + r).font = font({ bold: true });
  layout.rows.forEach((values, r) => {
    for (const column of layout.statusColumns) {
      const value = values[column - 1] ?? null;
      const level = isFormula(value) ? undefined : statusLevel(value);
      if (level)
        Object.assign(sheet.getCell(first + r, column), {
          fill: solidFill(STATUS_COLOURS[level].fill),
          font: font({ bold: bold.has(r), color: { argb: argb(STATUS_COLOURS[level].font) } }),
        });
    }
  });
}

async function writeSheet(workbook: ExcelJS.Workbook, layout: ConsolidationSheet): Promise<void> {
  const sheet = workbook.addWorksheet(layout.name);
  const { headerRow, columns } = layout;
  const firstRow = headerRow + 1;
  const lastRow = lastRowOf(layout);
  titleRows(sheet, layout.titles);
  writeTable(sheet, headerRow, columns, layout.rows);
  formatRows(sheet, layout);
  setColumns(sheet, columns);
  finishTableSheet(sheet, { headerRow, lastRow, columns: columns.length, frozenColumns: layout.frozenColumns });
  printReport(sheet, layout.print);
  if (layout.statusHeaderColumn !== null) colourStatusHeaders(sheet, headerRow, layout.statusHeaderColumn);
  for (const column of layout.statusColumns) addStatusColours(sheet, rangeRef(firstRow, column, Math.max(lastRow, firstRow), column));
  if (layout.totals) {
    const { row, label, cells, note } = layout.totals;
    sheet.getCell(row, 1).value = label;
    sheet.getRow(row).font = font({ bold: true });
    for (const { column, value, numFmt } of cells) {
      const cell = sheet.getCell(row, column);
      cell.value = value;
      cell.numFmt = numFmt;
    }
    if (note) sheet.getCell(row + 1, 1).value = note;
  }
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true, sort: true });
}

export async function consolidationWorkbook(stored: Consolidation, storedSignals: SteeringSignals, generatedAt: Date): Promise<{ buffer: Buffer; fileName: string }> {
  const [c, signals] = [xmlSafe(stored), xmlSafe(storedSignals)];
  const workbook = newWorkbook(consolidationTitle(c), generatedAt);
  for (const sheet of consolidationSheets(c, signals, generatedAt)) await writeSheet(workbook, sheet);
  return { buffer: await xlsxBuffer(workbook), fileName: `konsolidering-${c.period}-${c.year}.xlsx` };
}
