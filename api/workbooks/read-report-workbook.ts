import ExcelJS from 'exceljs';
import {
  changedGoalWrites,
  changedIndicatorWrites,
  headerProblems,
  readGoalRows,
  readIndicatorRows,
  type PendingWrite,
  type SheetProblem,
} from '../../addin/sheets/read-report-sheet';
import { GOAL_COLUMNS, INDICATOR_COLUMNS, type CellValue, type ColumnSpec } from '../../addin/sheets/report-layout';
import { problemMessage } from '../contract/messages';
import type { GoalWrite, IndicatorWrite } from '../contract/report';
import { ApiError, validationFailed } from '../errors';
import type { ReportAddress } from '../services/report-service';
import { readIdentity, requireSameReport, type WorkbookIdentity } from './workbook-identity';

/**
 * An uploaded report workbook read back with the add-in's own pure reader: the same number
 * parsing, the same sheet-row problems. Nothing here touches the database.
 */
export interface WorkbookWrites {
  indicators: PendingWrite<IndicatorWrite>[];
  goals: PendingWrite<GoalWrite>[];
}

export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new ApiError('MALFORMED', 'Filen kunde inte läsas som en xlsx-arbetsbok. Spara den i Excel som "Excel-arbetsbok (*.xlsx)" och försök igen.');
  }
  return workbook;
}

/** What a cell holds as the sheet reader sees it: formulas by their result, rich text as plain text. */
export function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return cellValue(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : cellValue(value.result as ExcelJS.CellValue);
  return String(value);
}

function rowValues(sheet: ExcelJS.Worksheet, row: number, columns: number): CellValue[] {
  return Array.from({ length: columns }, (_, i) => cellValue(sheet.getCell(row, i + 1).value));
}

function readTable(sheet: ExcelJS.Worksheet, columns: readonly ColumnSpec[], headerRow: number, rowCount: number) {
  return {
    header: headerProblems(columns, rowValues(sheet, headerRow, columns.length), headerRow),
    values: Array.from({ length: rowCount }, (_, i) => rowValues(sheet, headerRow + 1 + i, columns.length)),
  };
}

/** Each row must still carry the key it was made with: a changed key would write to another row. */
function changedKeys<R extends { row: number }>(rows: R[], keyOf: (r: R) => number, expected: number[], headerRow: number): SheetProblem[] {
  return rows
    .filter((r) => keyOf(r) !== expected[r.row - headerRow - 1])
    .map((r) => ({ row: r.row, code: 'KEY_TAMPERED', message: `Rad ${r.row}: ${problemMessage('KEY_TAMPERED')}` }));
}

/**
 * The writes an uploaded workbook asks for: the rows changed since the download (compared with
 * the snapshot in its identification), on the versions downloaded.
 * Refused (422, nothing written) when it was made for another report, its identity or keys
 * were changed, its columns moved, or a cell cannot be read; every problem at once.
 */
export function readReportWorkbook(workbook: ExcelJS.Workbook, address: ReportAddress): WorkbookWrites {
  const identity: WorkbookIdentity = readIdentity(workbook);
  requireSameReport(identity, address);
  const sheet = workbook.getWorksheet(identity.sheet);
  if (!sheet) {
    throw validationFailed(
      [{ code: 'LAYOUT_CHANGED', message: `Bladet "${identity.sheet}" saknas. Byt tillbaka namnet eller hämta rapporten på nytt.` }],
      'Arbetsbokens rapportblad saknas. Inget har sparats.',
    );
  }
  const indicatorTable = readTable(sheet, INDICATOR_COLUMNS, identity.indicatorHeaderRow, identity.indicatorKeys.length);
  const goalTable = readTable(sheet, GOAL_COLUMNS, identity.goalHeaderRow, identity.goalKeys.length);
  const layout = [...indicatorTable.header, ...goalTable.header];
  if (layout.length > 0) throw validationFailed(layout, 'Arbetsbokens kolumner har ändrats. Inget har sparats.');

  const indicators = readIndicatorRows(indicatorTable.values, identity.indicatorHeaderRow + 1);
  const goals = readGoalRows(goalTable.values, identity.goalHeaderRow + 1);
  const problems = [
    ...indicators.problems,
    ...changedKeys(indicators.rows, (r) => r.indicatorId, identity.indicatorKeys, identity.indicatorHeaderRow),
    ...goals.problems,
    ...changedKeys(goals.rows, (r) => r.goalId, identity.goalKeys, identity.goalHeaderRow),
  ].sort((a, b) => a.row - b.row);
  if (problems.length > 0) throw validationFailed(problems);
  // Only what the user changed since the download, on the versions downloaded: a colleague's
  // change to another row meanwhile is no conflict; a change to the same row is a 409.
  const indicatorWrites = changedIndicatorWrites(indicators.rows, identity.snapshot);
  const goalWrites = changedGoalWrites(goals.rows, identity.snapshot);
  const unknown = [...indicatorWrites.problems, ...goalWrites.problems];
  if (unknown.length > 0) throw validationFailed(unknown);
  return { indicators: indicatorWrites.writes, goals: goalWrites.writes };
}
