import ExcelJS from 'exceljs';
import { columnLetter, rangeRef } from '../../addin/sheets/a1';
import type { LayoutCell, LayoutColumn } from '../../addin/sheets/consolidation-layout';
import { ASSESSMENTS, HEADER_FILL, STATUS_COLOURS } from '../../addin/sheets/report-layout';

/**
 * What both workbooks (a nämnd's report, the centre's consolidation) look like in xlsx: the
 * layout module's colours and formats, header rows, tables with filters, print setup.
 */
export { XLSX_MIME } from '../contract/common';

/**
 * A cell as the workbooks write it. Text is always a plain string cell, whatever it starts
 * with (=, +, -, @): only `{ formula }` built by our own code becomes a formula.
 */
export type XlsxValue = LayoutCell;

export interface XlsxColumn extends LayoutColumn {
  hidden?: boolean;
}

export const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;

export const solidFill = (hex: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb: argb(hex) } });

export function newWorkbook(title: string, generatedAt: Date): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tertial';
  workbook.title = title;
  workbook.created = generatedAt;
  workbook.modified = generatedAt;
  // Formulas are written without cached results: the spreadsheet program computes them.
  workbook.calcProperties.fullCalcOnLoad = true;
  return workbook;
}

export async function xlsxBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function styleHeaderRow(sheet: ExcelJS.Worksheet, row: number, columns: number): void {
  for (let c = 1; c <= columns; c++) {
    const cell = sheet.getCell(row, c);
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = solidFill(HEADER_FILL);
    cell.alignment = { vertical: 'middle', wrapText: true };
  }
  sheet.getRow(row).height = 30;
}

/** helt / delvis / ej coloured by conditional formatting, so a changed value recolours itself. */
export function addStatusColours(sheet: ExcelJS.Worksheet, ref: string): void {
  sheet.addConditionalFormatting({
    ref,
    rules: ASSESSMENTS.map((status) => ({
      type: 'cellIs' as const,
      operator: 'equal' as const,
      formulae: [`"${status}"`],
      priority: 0, // numbered per sheet by exceljs when written
      style: {
        fill: { type: 'pattern' as const, pattern: 'solid' as const, bgColor: { argb: argb(STATUS_COLOURS[status].fill) } },
        font: { color: { argb: argb(STATUS_COLOURS[status].font) } },
      },
    })),
  });
}

export function setColumns(sheet: ExcelJS.Worksheet, columns: readonly XlsxColumn[], from = 1): void {
  columns.forEach((spec, i) => {
    const column = sheet.getColumn(from + i);
    column.width = spec.width;
    if (spec.hidden) column.hidden = true;
  });
}

/** A header row and data rows below it; numbers formatted and text wrapped by column. */
export function writeTable(sheet: ExcelJS.Worksheet, headerRow: number, columns: readonly XlsxColumn[], rows: readonly XlsxValue[][]): void {
  columns.forEach((spec, i) => {
    sheet.getCell(headerRow, i + 1).value = spec.header;
  });
  styleHeaderRow(sheet, headerRow, columns.length);
  rows.forEach((values, r) => {
    columns.forEach((spec, i) => {
      const cell = sheet.getCell(headerRow + 1 + r, i + 1);
      cell.value = values[i] ?? null;
      if (spec.numFmt) cell.numFmt = spec.numFmt;
      cell.alignment = { vertical: 'top', wrapText: spec.wrap ?? false };
    });
  });
}

/** Frozen above `row` (and left of `columns`), a filter on the header, printed landscape on A4 across one page. */
export function finishTableSheet(sheet: ExcelJS.Worksheet, table: { headerRow: number; lastRow: number; columns: number; frozenColumns?: number }): void {
  sheet.views = [{ state: 'frozen', ySplit: table.headerRow, xSplit: table.frozenColumns ?? 0, topLeftCell: columnLetter((table.frozenColumns ?? 0) + 1) + (table.headerRow + 1) }];
  sheet.autoFilter = rangeRef(table.headerRow, 1, Math.max(table.lastRow, table.headerRow), table.columns);
  sheet.pageSetup = {
    ...sheet.pageSetup,
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${table.headerRow}:${table.headerRow}`,
  };
}
