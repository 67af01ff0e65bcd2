import { columnLetter } from '../../core/sheets/a1';
import { ASSESSMENTS, HEADER_FILL, STATUS_COLOURS, type CellValue, type PrintSetup } from '../../core/sheets/report-layout';

/** Office.js pieces both kinds of sheet (a report, the consolidation) are drawn with. */
export const PROTECTION: Excel.WorksheetProtectionOptions = {
  allowAutoFilter: true,
  allowSort: true,
  allowFormatColumns: true,
  allowFormatRows: true,
};
/** Excel measures column width in points; the layouts in characters of the default font. */
export const POINTS_PER_CHARACTER = 5.6;

/** User text stays text: a comment starting with =, +, - or @ is never parsed as a formula. */
export { TEXT_FORMAT } from '../../core/sheets/report-layout';
const TEXT_KINDS: ReadonlySet<string> = new Set(['text', 'choice', 'status', 'error']);
export const isTextColumn = (kind: string) => TEXT_KINDS.has(kind);

/** Office.js leaves a cell unchanged for null; a cleared cell is ''. */
export const excelValue = (v: CellValue): string | number => (v === null ? '' : v);
export const column = <T>(values: readonly T[]): T[][] => values.map((v) => [v]);

/** The title in row 1 (large, bold), the lines explaining the sheet below it. */
export function writeTitleLines(sheet: Excel.Worksheet, lines: readonly string[]) {
  const titles = sheet.getRangeByIndexes(0, 0, lines.length, 1);
  titles.values = column(lines);
  titles.format.font.color = '#404040';
  const title = sheet.getRangeByIndexes(0, 0, 1, 1).format.font;
  title.bold = true;
  title.size = 14;
  title.color = HEADER_FILL;
}

export function styleHeader(format: Excel.RangeFormat) {
  format.fill.color = HEADER_FILL;
  format.font.color = '#FFFFFF';
  format.font.bold = true;
  format.wrapText = true;
}

/**
 * helt / delvis / ej coloured by conditional formatting, so a changed value recolours itself.
 * A status reads "förväntas uppfyllas helt", "uppfyllt delvis", "ej uppfyllt" …: each holds its
 * level's word, and only that one.
 */
export function addStatusColours(cells: Excel.Range) {
  for (const assessment of ASSESSMENTS) {
    const format = cells.conditionalFormats.add('ContainsText');
    format.textComparison.format.fill.color = STATUS_COLOURS[assessment].fill;
    format.textComparison.format.font.color = STATUS_COLOURS[assessment].font;
    format.textComparison.rule = { operator: 'Contains', text: assessment };
  }
}

/** A4 landscape at a readable zoom, header row and key columns on every page, header and footer: ExcelApi 1.9, set only where supported. */
export function printSetup(sheet: Excel.Worksheet, print: PrintSetup) {
  const layout = sheet.pageLayout;
  layout.orientation = 'Landscape';
  layout.paperSize = 'A4';
  layout.zoom = { scale: print.zoom };
  layout.setPrintTitleRows(`$${print.titleRows[0]}:$${print.titleRows[1]}`);
  layout.setPrintTitleColumns(`$${columnLetter(print.titleColumns[0])}:$${columnLetter(print.titleColumns[1])}`);
  const page = layout.headersFooters.defaultForAllPages;
  page.leftHeader = print.header.left;
  page.centerHeader = print.header.center;
  page.rightHeader = print.header.right;
  page.leftFooter = print.footer.left;
  page.centerFooter = print.footer.center;
  page.rightFooter = print.footer.right;
}

/** A sheet named `name` added; one already there (`existing`, loaded) is deleted once the new one stands. */
export function replaceSheet(sheets: Excel.WorksheetCollection, existing: Excel.Worksheet, name: string): Excel.Worksheet {
  const sheet = sheets.add(existing.isNullObject ? name : undefined);
  if (!existing.isNullObject) {
    existing.delete();
    sheet.name = name;
  }
  return sheet;
}
