import ExcelJS from 'exceljs';
import { columnLetter, rangeRef } from '../../core/sheets/a1';
import type { LayoutCell, LayoutColumn } from '../../core/sheets/consolidation-layout';
import { ASSESSMENTS, HEADER_FILL, STATUS_COLOURS, type PrintSetup } from '../../core/sheets/report-layout';
import { withoutInvalidCharacters } from '../../core/contract/text';

/**
 * What both workbooks (a nämnd's report, the centre's consolidation) look like in xlsx: the
 * layout module's colours and formats, header rows, tables with filters, print setup.
 */
export { XLSX_MIME } from '../../core/contract/common';

/**
 * A cell as the workbooks write it. Text is always a plain string cell, whatever it starts
 * with (=, +, -, @): only `{ formula }` built by our own code becomes a formula.
 */
export type XlsxValue = LayoutCell;

export interface XlsxColumn extends Pick<LayoutColumn, 'header' | 'width' | 'numFmt' | 'wrap'> {
  hidden?: boolean;
}

/**
 * Data with every string made writable into XML 1.0, which xlsx is: characters XML forbids
 * (control characters, U+FFFE/U+FFFF, lone surrogates) become U+FFFD. The API refuses them at
 * input, but text stored before that, or by other means, must never make a workbook unreadable.
 */
export function xmlSafe<T>(value: T): T {
  if (typeof value === 'string') return withoutInvalidCharacters(value) as T;
  if (Array.isArray(value)) return value.map(xmlSafe) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)])) as T;
  }
  return value;
}

export const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;

/**
 * The workbook's font with a style: a font written without its name is drawn by some programs
 * (LibreOffice among them) in their own default, a serif, unlike the cells beside it.
 */
export const font = (style: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: 'Calibri', family: 2, size: 11, ...style });

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
    cell.font = font({ bold: true, color: { argb: 'FFFFFFFF' } });
    cell.fill = solidFill(HEADER_FILL);
    cell.alignment = { vertical: 'middle', wrapText: true };
  }
  sheet.getRow(row).height = 30;
}

/**
 * helt / delvis / ej coloured by conditional formatting, so a changed value recolours itself.
 * A status reads "förväntas uppfyllas helt", "uppfyllt delvis", "ej uppfyllt" or just the
 * level: each holds its level's word, and only that one.
 */
export function addStatusColours(sheet: ExcelJS.Worksheet, ref: string): void {
  sheet.addConditionalFormatting({
    ref,
    rules: ASSESSMENTS.map((status) => ({
      type: 'containsText' as const,
      operator: 'containsText' as const,
      text: status,
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

/** A report sheet's page set-up: A4 landscape at a readable zoom, header row and key columns on every page, header and footer. */
export function printReport(sheet: ExcelJS.Worksheet, print: PrintSetup): void {
  const [from, to] = print.titleColumns;
  sheet.pageSetup = {
    ...sheet.pageSetup,
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: false,
    scale: print.zoom,
    printTitlesRow: `${print.titleRows[0]}:${print.titleRows[1]}`,
    printTitlesColumn: `${columnLetter(from)}:${columnLetter(to)}`,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
  };
  const part = (left: string, center: string, right: string) => `&L${headerText(left)}&C${headerText(center)}&R${headerText(right)}`;
  sheet.headerFooter = {
    oddHeader: part(print.header.left, print.header.center, print.header.right),
    oddFooter: `&L${headerText(print.footer.left)}&C${print.footer.center.replace('&P', '&P').replace('&N', '&N')}&R${headerText(print.footer.right)}`,
  };
}

/** Text in a header or footer: an ampersand is Excel's code character, so a literal one is doubled. */
const headerText = (text: string) => text.replaceAll('&', '&&');
