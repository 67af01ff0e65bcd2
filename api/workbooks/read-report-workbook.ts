import ExcelJS from 'exceljs';
import { changedWrites, headerProblems, readRows, rowProblem, type Pending, type SheetProblem, type SheetRow } from '../../core/sheets/read-report-sheet';
import { reportColumns, type CellValue, type ColumnSpec } from '../../core/sheets/report-layout';
import { problemMessage } from '../../core/contract/messages';
import { MAX_ROWS_PER_BATCH, type ReportAddress } from '../../core/contract/report';
import { REPORT_ROW_KINDS, ROW_KINDS, type RowKind } from '../../core/rows/report-rows';
import type { RowKindSpec } from '../../core/rows/row-kind';
import { ApiError, validationFailed } from '../errors';
import { readIdentity, requireSameReport, type WorkbookIdentity } from './workbook-identity';
import { assertSafeXlsx, NOT_AN_XLSX_MESSAGE } from './xlsx-guard';

/**
 * An uploaded report workbook read back with the add-in's own pure reader: the same number
 * parsing, the same sheet-row problems. Nothing here touches the database.
 */
/** The rows an upload writes, per row kind, and the sheet each kind was read from (for naming errors). */
export type WorkbookWrites = Pending & { sheets: Record<RowKind, string> };

/** An uploaded workbook, opened only after its zip has passed the size checks (xlsx-guard). */
export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  await assertSafeXlsx(buffer);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new ApiError('MALFORMED', NOT_AN_XLSX_MESSAGE);
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

/**
 * Input cells holding a formula Excel never calculated (no cached result, e.g. written by
 * another program): there is no value to read, and reading one as empty would clear the field.
 */
function uncalculatedFormulas(sheet: ExcelJS.Worksheet, columns: readonly ColumnSpec[], firstRow: number, rowCount: number): SheetProblem[] {
  const problems: SheetProblem[] = [];
  for (let row = firstRow; row < firstRow + rowCount; row++) {
    columns.forEach((column, i) => {
      const value = sheet.getCell(row, i + 1).value;
      const formula = typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
      if (column.input && formula && value.result === undefined) problems.push(rowProblem(row, column.key, 'FORMULA_NOT_ALLOWED'));
    });
  }
  return problems;
}

function readTable(sheet: ExcelJS.Worksheet, columns: readonly ColumnSpec[], headerRow: number, rowCount: number) {
  return {
    header: headerProblems(columns, rowValues(sheet, headerRow, columns.length), headerRow),
    values: Array.from({ length: rowCount }, (_, i) => rowValues(sheet, headerRow + 1 + i, columns.length)),
    formulas: uncalculatedFormulas(sheet, columns, headerRow + 1, rowCount),
    formats: Array.from({ length: rowCount }, (_, i) => columns.map((_, c) => sheet.getCell(headerRow + 1 + i, c + 1).numFmt ?? '')),
  };
}

/** A problem on a sheet of the workbook, named by the sheet as well as the row (each row kind has its own sheet). */
export const onSheet =
  (sheet: string) =>
  <P extends { message: string }>(problem: P): P & { sheet: string } => ({ ...problem, sheet, message: `Bladet "${sheet}": ${problem.message}` });

/** Each row must still carry the key it was made with: a changed key would write to another row. */
function changedKeys(rows: readonly SheetRow[], expected: readonly number[], headerRow: number): SheetProblem[] {
  return rows
    .filter((r) => r.id !== expected[r.row - headerRow - 1])
    .map((r) => ({ row: r.row, code: 'KEY_TAMPERED', message: `Rad ${r.row}: ${problemMessage('KEY_TAMPERED')}` }));
}

/** No more rows than one write takes: the identity lists the rows, and it is no signature. */
function requireWritableSize(rowCounts: number[]): void {
  const rows = Math.max(...rowCounts);
  if (rows <= MAX_ROWS_PER_BATCH) return;
  const message = `Arbetsboken listar ${rows} rader i en tabell; högst ${MAX_ROWS_PER_BATCH} kan skickas på en gång. Hämta rapporten på nytt. Inget har sparats.`;
  throw validationFailed([{ code: 'TOO_MANY_ROWS', message }], message);
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
  requireWritableSize(ROW_KINDS.map((kind) => identity.tables[kind].keys.length));
  const columns = (kind: RowKind) => reportColumns(kind, identity.period);
  const missing = ROW_KINDS.filter((kind) => !workbook.getWorksheet(identity.tables[kind].sheet));
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((kind) => ({ code: 'LAYOUT_CHANGED', message: `Bladet "${identity.tables[kind].sheet}" saknas. Byt tillbaka namnet eller hämta rapporten på nytt.` })),
      'Arbetsbokens rapportblad saknas. Inget har sparats.',
    );
  }
  const tables = ROW_KINDS.map((kind) => {
    const { sheet, headerRow, keys } = identity.tables[kind];
    return { kind, headerRow, keys, ...readTable(workbook.getWorksheet(sheet)!, columns(kind), headerRow, keys.length) };
  });
  const layout = tables.flatMap((t) => t.header.map(onSheet(identity.tables[t.kind].sheet)));
  if (layout.length > 0) throw validationFailed(layout, 'Arbetsbokens kolumner har ändrats. Inget har sparats.');

  const read = tables.map((t) => ({
    ...t,
    spec: REPORT_ROW_KINDS[t.kind] as RowKindSpec,
    ...readRows(REPORT_ROW_KINDS[t.kind], columns(t.kind), t.values, t.headerRow + 1, t.formats),
  }));
  const problems = read.flatMap((t) =>
    [...t.formulas, ...t.problems, ...changedKeys(t.rows, t.keys, t.headerRow)].sort((a, b) => a.row - b.row).map(onSheet(identity.tables[t.kind].sheet)),
  );
  if (problems.length > 0) throw validationFailed(problems);
  // Only what the user changed since the download, on the versions downloaded: a colleague's
  // change to another row meanwhile is no conflict; a change to the same row is a 409.
  const writes = { sheets: Object.fromEntries(ROW_KINDS.map((k) => [k, identity.tables[k].sheet])) } as Record<string, unknown>;
  const unknown: SheetProblem[] = [];
  for (const t of read) {
    const changed = changedWrites(t.spec, t.rows, identity.snapshot[t.kind] as never);
    writes[t.kind] = changed.writes;
    unknown.push(...changed.problems.map(onSheet(identity.tables[t.kind].sheet)));
  }
  if (unknown.length > 0) throw validationFailed(unknown);
  return writes as unknown as WorkbookWrites;
}
