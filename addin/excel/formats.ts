import { ASSESSMENTS, HEADER_FILL, STATUS_COLOURS, type CellValue } from '../sheets/report-layout';

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
export const TEXT_FORMAT = '@';
const TEXT_KINDS: ReadonlySet<string> = new Set(['text', 'assessment', 'status', 'error']);
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

/** helt / delvis / ej coloured by conditional formatting, so a changed value recolours itself. */
export function addStatusColours(cells: Excel.Range) {
  for (const assessment of ASSESSMENTS) {
    const format = cells.conditionalFormats.add('CellValue');
    format.cellValue.format.fill.color = STATUS_COLOURS[assessment].fill;
    format.cellValue.format.font.color = STATUS_COLOURS[assessment].font;
    format.cellValue.rule = { formula1: `="${assessment}"`, operator: 'EqualTo' };
  }
}

/** Landscape, one page wide: ExcelApi 1.9, set only where supported. */
export function printLandscape(sheet: Excel.Worksheet) {
  sheet.pageLayout.orientation = 'Landscape';
  sheet.pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
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
