import type ExcelJS from 'exceljs';
import {
  GOAL_CAPTION,
  GOAL_COLUMNS,
  INDICATOR_COLUMNS,
  INPUT_FILL,
  NUMBER_FORMAT,
  columnIndex,
  reportToSheet,
  type ColumnSpec,
  type TableModel,
} from '../../addin/sheets/report-layout';
import { rangeRef } from '../../addin/sheets/a1';
import { TEXT_LIMITS, type Report } from '../contract/report';
import { snapshotOf } from '../../addin/sheets/read-report-sheet';
import { writeIdentity } from './workbook-identity';
import {
  addStatusColours,
  finishTableSheet,
  newWorkbook,
  setColumns,
  solidFill,
  writeTable,
  xlsxBuffer,
  type XlsxColumn,
} from './xlsx-format';

/**
 * A nämnd's report as an xlsx workbook, drawn from the same layout module as the add-in's
 * sheet, for working offline and uploading again.
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

const ASSESSMENT_VALIDATION: ExcelJS.DataValidation = {
  type: 'list',
  formulae: ['"helt,delvis,ej"'],
  allowBlank: true,
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: 'Bedömning',
  error: 'Välj helt, delvis eller ej.',
};

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

const VALIDATIONS: Partial<Record<string, ExcelJS.DataValidation>> = {
  outcome: NUMBER_VALIDATION,
  forecast: NUMBER_VALIDATION,
  comment: textValidation(TEXT_LIMITS.comment),
  assessment: ASSESSMENT_VALIDATION,
  motivation: textValidation(TEXT_LIMITS.motivation),
  analysis: textValidation(TEXT_LIMITS.analysis),
};

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

/**
 * Input cells unlocked and yellow with their validation; the rest stays locked. Key cells show
 * nothing: the goal table's keys sit in columns the indicator table shows.
 */
function markTable<K extends string>(sheet: ExcelJS.Worksheet, table: TableModel<K>, editable: boolean): void {
  const lastRow = table.headerRow + table.rows.length;
  table.columns.forEach((column, i) => {
    const ref = rangeRef(table.headerRow + 1, i + 1, lastRow, i + 1);
    for (let row = table.headerRow; row <= lastRow; row++) {
      const cell = sheet.getCell(row, i + 1);
      if (column.kind === 'hidden') cell.numFmt = INVISIBLE_FORMAT;
      if (row > table.headerRow && column.input && editable) {
        cell.protection = { locked: false };
        cell.fill = solidFill(INPUT_FILL);
      }
    }
    if (lastRow === table.headerRow) return;
    const validation = VALIDATIONS[column.key];
    if (validation && column.input && editable) addValidation(sheet, ref, validation);
    if (column.kind === 'status' || column.kind === 'assessment') addStatusColours(sheet, ref);
  });
}

export interface ReportWorkbook {
  buffer: Buffer;
  fileName: string;
}

export async function reportWorkbook(report: Report, generatedAt: Date): Promise<ReportWorkbook> {
  const model = reportToSheet(report, generatedAt);
  const workbook = newWorkbook(model.titleRows[0]!, generatedAt);
  const sheet = workbook.addWorksheet(model.name);

  model.titleRows.forEach((text, i) => {
    const cell = sheet.getCell(i + 1, 1);
    cell.value = text;
    cell.font = i === 0 ? { bold: true, size: 14 } : { size: 10, italic: i > 1 };
  });
  writeTable(sheet, model.indicators.headerRow, INDICATOR_COLUMNS.map(xlsxColumn), model.indicators.rows);
  const caption = sheet.getCell(model.goalCaptionRow, 1);
  caption.value = GOAL_CAPTION;
  caption.font = { bold: true, size: 12 };
  writeTable(sheet, model.goals.headerRow, GOAL_COLUMNS.map(xlsxColumn), model.goals.rows);

  // The tables share the sheet's columns: the wider spec wins, and only columns that are
  // hidden in the indicator table and unused by the goal table are hidden.
  setColumns(
    sheet,
    INDICATOR_COLUMNS.map((c, i) => ({ ...xlsxColumn(c), width: Math.max(c.width, GOAL_COLUMNS[i]?.width ?? 0), hidden: c.kind === 'hidden' && i >= GOAL_COLUMNS.length })),
  );
  const editable = report.state === 'open';
  markTable(sheet, model.indicators, editable);
  markTable(sheet, model.goals, editable);

  finishTableSheet(sheet, {
    headerRow: model.indicators.headerRow,
    lastRow: model.indicators.headerRow + model.indicators.rows.length,
    columns: columnIndex(INDICATOR_COLUMNS, 'error') + 1,
  });
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true });

  await writeIdentity(workbook, {
    organisation: report.organisation.code,
    year: report.year,
    period: report.period,
    generatedAt: generatedAt.toISOString(),
    sheet: model.name,
    indicatorHeaderRow: model.indicators.headerRow,
    goalHeaderRow: model.goals.headerRow,
    indicatorKeys: report.indicators.map((i) => i.indicatorId),
    goalKeys: report.goals.map((g) => g.goalId),
    snapshot: snapshotOf(report),
  });
  return { buffer: await xlsxBuffer(workbook), fileName: `${report.period}-${report.year}-${report.organisation.code}.xlsx` };
}
