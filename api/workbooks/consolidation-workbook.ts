import type ExcelJS from 'exceljs';
import { rangeRef } from '../../addin/sheets/a1';
import { consolidationSheets, consolidationTitle, lastRowOf, type ConsolidationSheet } from '../../addin/sheets/consolidation-layout';
import { STATUS_COLOURS } from '../../addin/sheets/report-layout';
import type { Consolidation, SteeringSignals } from '../contract/consolidation';
import { addStatusColours, argb, finishTableSheet, newWorkbook, setColumns, solidFill, styleHeaderRow, writeTable, xlsxBuffer } from './xlsx-format';

/**
 * The centre's workbook for the annual report: the consolidation's sheets as the layout module
 * (addin/sheets/consolidation-layout.ts) describes them, drawn with exceljs. Formulas are written
 * as formulas, so the spreadsheet program computes the totals.
 */
function titleRows(sheet: ExcelJS.Worksheet, lines: string[]): void {
  lines.forEach((text, i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = text;
    cell.font = i === 0 ? { bold: true, size: 14 } : { size: 10, italic: true };
  });
}

function colourStatusHeaders(sheet: ExcelJS.Worksheet, row: number, firstColumn: number): void {
  (['helt', 'delvis', 'ej'] as const).forEach((status, i) => {
    const cell = sheet.getCell(row, firstColumn + i);
    cell.fill = solidFill(STATUS_COLOURS[status].fill);
    cell.font = { bold: true, color: { argb: argb(STATUS_COLOURS[status].font) } };
  });
}

function writeSheet(workbook: ExcelJS.Workbook, layout: ConsolidationSheet): void {
  const sheet = workbook.addWorksheet(layout.name);
  const { headerRow, columns } = layout;
  const firstRow = headerRow + 1;
  const lastRow = lastRowOf(layout);
  titleRows(sheet, layout.titles);
  writeTable(sheet, headerRow, columns, layout.rows);
  setColumns(sheet, columns);
  finishTableSheet(sheet, { headerRow, lastRow, columns: columns.length, frozenColumns: layout.frozenColumns });
  if (layout.statusHeaderColumn !== null) colourStatusHeaders(sheet, headerRow, layout.statusHeaderColumn);
  for (const caption of layout.captions) {
    sheet.getCell(headerRow - 1, caption.column).value = caption.text;
    sheet.mergeCells(headerRow - 1, caption.column, headerRow - 1, caption.column + caption.span - 1);
  }
  if (layout.captions.length > 0) styleHeaderRow(sheet, headerRow - 1, columns.length);
  if (layout.statusColumns) addStatusColours(sheet, rangeRef(firstRow, layout.statusColumns.from, Math.max(lastRow, firstRow), layout.statusColumns.to));
  if (layout.totals) {
    const { row, label, cells, note } = layout.totals;
    sheet.getCell(row, 1).value = label;
    sheet.getRow(row).font = { bold: true };
    for (const { column, value, numFmt } of cells) {
      const cell = sheet.getCell(row, column);
      cell.value = value;
      cell.numFmt = numFmt;
    }
    if (note) sheet.getCell(row + 1, 1).value = note;
  }
}

export async function consolidationWorkbook(c: Consolidation, signals: SteeringSignals, generatedAt: Date): Promise<{ buffer: Buffer; fileName: string }> {
  const workbook = newWorkbook(consolidationTitle(c), generatedAt);
  for (const sheet of consolidationSheets(c, signals, generatedAt)) writeSheet(workbook, sheet);
  return { buffer: await xlsxBuffer(workbook), fileName: `konsolidering-${c.period}-${c.year}.xlsx` };
}
