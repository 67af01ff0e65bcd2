import type ExcelJS from 'exceljs';
import {
  INPUT_FILL,
  NOT_APPLICABLE_FILL,
  NUMBER_FORMAT,
  STATUS_COLOURS,
  TEXT_FORMAT,
  reportToModel,
  statusLevel,
  type ColumnSpec,
  type ReportSheet,
} from '../../core/sheets/report-layout';
import { rangeRef } from '../../core/sheets/a1';
import { chooseFrom } from '../../core/contract/messages';
import type { Report } from '../../core/contract/report';
import { snapshotOf } from '../../core/sheets/read-report-sheet';
import { idOf } from '../../core/rows/row-kind';
import { REPORT_ROW_KINDS } from '../../core/rows/report-rows';
import { writeIdentity, type WorkbookIdentity } from './workbook-identity';
import { addStatusColours, argb, finishTableSheet, font, newWorkbook, printReport, setColumns, solidFill, writeTable, xlsxBuffer, xmlSafe, type XlsxColumn } from './xlsx-format';

/**
 * A nämnd's report as an xlsx workbook, drawn from the same layout module as the add-in's
 * sheets (one per row kind), for working offline and uploading again.
 *
 * Sheet protection has no password: it keeps people from typing over the computed columns and
 * the hidden keys by mistake. It is not security; the upload is checked row by row anyway.
 */

/** Excel shows the decimal check as a warning, not a stop: "12,5" typed into an English Excel stays text, and Tertial reads it. */
const NUMBER_VALIDATION: ExcelJS.DataValidation = {
  type: 'decimal',
  operator: 'between',
  formulae: [-1e12, 1e12],
  allowBlank: true,
  showInputMessage: true,
  promptTitle: 'Ett tal',
  prompt: 'Skriv ett tal, t.ex. 12,5 eller 1 234,5. Lämna tomt om värdet saknas.',
  showErrorMessage: true,
  errorStyle: 'warning',
  errorTitle: 'Inte ett tal i Excel',
  error: 'Excel läser inte värdet som ett tal. Skrev du t.ex. 12,5 i ett engelskt Excel kan du fortsätta: Tertial läser det. Annan text avvisas när du laddar upp.',
};

const choiceValidation = (title: string, options: readonly string[]): ExcelJS.DataValidation => ({
  type: 'list',
  formulae: [`"${options.join(',')}"`],
  allowBlank: true,
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: title,
  error: chooseFrom(options),
});

const textValidation = (max: number): ExcelJS.DataValidation => ({
  type: 'textLength',
  operator: 'lessThanOrEqual',
  formulae: [max],
  allowBlank: true,
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: 'För lång text',
  error: `Högst ${max} tecken.`,
});

/** An input column's validation, from its kind and limits (which come from the row kind's spec). */
function validationOf(column: ColumnSpec): ExcelJS.DataValidation | undefined {
  if (column.kind === 'number') return NUMBER_VALIDATION;
  if (column.kind === 'text' && column.maxLength) return textValidation(column.maxLength);
  if (column.kind === 'choice' && column.options) return choiceValidation(column.header, column.options);
  return undefined;
}

/**
 * One validation per column range: exceljs's own merging of per-cell validations writes
 * overlapping ranges once a table passes row 9, which Excel reports as damage.
 */
function addValidation(sheet: ExcelJS.Worksheet, ref: string, validation: ExcelJS.DataValidation): void {
  (sheet as unknown as { dataValidations: { add(ref: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(ref, validation);
}

/** Shows nothing, whatever the value. */
const INVISIBLE_FORMAT = ';;;';

const xlsxColumn = (c: ColumnSpec): XlsxColumn => ({
  header: c.header,
  width: c.width,
  wrap: c.wrap,
  numFmt: c.kind === 'number' ? NUMBER_FORMAT : undefined,
  hidden: c.kind === 'hidden',
});

/** Input cells unlocked and blue with their validation; closed inputs grey; the rest stays locked. */
function markTable(sheet: ExcelJS.Worksheet, m: ReportSheet, editable: boolean): void {
  const { columns, headerRow, rows } = m.table;
  const lastRow = headerRow + rows.length;
  columns.forEach((column, i) => {
    const ref = rangeRef(headerRow + 1, i + 1, lastRow, i + 1);
    for (let r = 0; r < rows.length; r++) {
      const cell = sheet.getCell(headerRow + 1 + r, i + 1);
      if (column.kind === 'hidden') cell.numFmt = INVISIBLE_FORMAT;
      else cell.numFmt = m.table.formats[r]?.[i] ?? (column.kind === 'number' ? NUMBER_FORMAT : TEXT_FORMAT);
      if (column.input && editable && !m.table.closedInputs[r]!.includes(column.key)) {
        cell.protection = { locked: false };
        cell.fill = solidFill(INPUT_FILL);
      } else if (column.input) {
        cell.fill = solidFill(NOT_APPLICABLE_FILL);
      }
    }
    if (rows.length === 0) return;
    const validation = column.input && editable ? validationOf(column) : undefined;
    if (validation) addValidation(sheet, ref, validation);
    if (column.kind === 'status') {
      addStatusColours(sheet, ref);
      // Also coloured as written: spreadsheet programs that skip the conditional format still show it.
      rows.forEach((values, r) => {
        const level = statusLevel(values[i]);
        if (level)
          Object.assign(sheet.getCell(headerRow + 1 + r, i + 1), {
            fill: solidFill(STATUS_COLOURS[level].fill),
            font: font({ color: { argb: argb(STATUS_COLOURS[level].font) } }),
          });
      });
    }
  });
  m.table.rowHeights.forEach((height, r) => (sheet.getRow(headerRow + 1 + r).height = height));
}

export interface ReportWorkbook {
  buffer: Buffer;
  fileName: string;
}

export async function reportWorkbook(stored: Report, generatedAt: Date): Promise<ReportWorkbook> {
  const report = xmlSafe(stored);
  const model = reportToModel(report, generatedAt);
  const workbook = newWorkbook(model.sheets[0]!.titleRows[0]!, generatedAt);
  const editable = report.state === 'open';
  for (const m of model.sheets) {
    const sheet = workbook.addWorksheet(m.name);
    m.titleRows.forEach((text, i) => {
      const cell = sheet.getCell(i + 1, 1);
      cell.value = text;
      cell.font = i === 0 ? font({ bold: true, size: 14 }) : font({ size: 10, italic: i > 1 });
    });
    writeTable(sheet, m.table.headerRow, m.table.columns.map(xlsxColumn), m.table.rows);
    setColumns(sheet, m.table.columns.map(xlsxColumn));
    markTable(sheet, m, editable);
    finishTableSheet(sheet, {
      headerRow: m.table.headerRow,
      lastRow: m.table.headerRow + m.table.rows.length,
      columns: m.table.columns.length,
      frozenColumns: m.frozenColumns,
    });
    printReport(sheet, m.print);
    await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true });
  }

  await writeIdentity(workbook, {
    organisation: report.organisation.code,
    year: report.year,
    period: report.period,
    generatedAt: generatedAt.toISOString(),
    tables: Object.fromEntries(
      model.sheets.map((m) => [
        m.kind,
        { sheet: m.name, headerRow: m.table.headerRow, keys: (report[m.kind] as { readonly [key: string]: unknown }[]).map((r) => idOf(REPORT_ROW_KINDS[m.kind], r)) },
      ]),
    ) as WorkbookIdentity['tables'],
    snapshot: snapshotOf(report),
  });
  return { buffer: await xlsxBuffer(workbook), fileName: `${report.period}-${report.year}-${report.organisation.code}.xlsx` };
}
