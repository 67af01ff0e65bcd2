import { SheetMissingError, type ExcelGateway, type ReportMeta, type ReportSession } from '../../../addin/excel/gateway';
import type { ConsolidationSheet } from '../../../addin/sheets/consolidation-layout';
import { columnIndex, type CellValue, type SheetModel } from '../../../addin/sheets/report-layout';
import { TABLE_COLUMNS, firstRow, rowsById, type RawReport, type SheetUpdate, type TableKind } from '../../../addin/sheets/sheet-sync';

/**
 * The test double of the Excel layer: an in-memory workbook behind the same ExcelGateway the
 * task pane uses. It lives under test/ only; the browser test injects it as window.__tertialExcel.
 */
interface MemorySheet {
  titleRows: string[];
  tables: RawReport;
  highlights: string[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class MemoryGateway implements ExcelGateway {
  readonly sheets = new Map<string, MemorySheet>();
  /** The consolidation's sheets as written, by name. */
  readonly consolidation = new Map<string, ConsolidationSheet>();
  /** Workbooks opened with openWorkbook (base64); with `canOpenWorkbooks` false the host cannot, as in a plain browser. */
  readonly openedWorkbooks: string[] = [];
  canOpenWorkbooks = true;
  private readonly metas = new Map<string, ReportMeta>();
  selected: { sheet: string; table: TableKind; row: number } | null = null;
  runs = 0;

  async listReports() {
    return [...this.metas.values()].map(clone);
  }

  async pullReport(model: SheetModel, meta: ReportMeta) {
    this.runs += 1;
    const table = (t: SheetModel['indicators'] | SheetModel['goals']) => ({
      headerRow: t.headerRow,
      header: t.columns.map((c) => c.header),
      values: t.rows.map((r) => [...r]),
    });
    this.sheets.set(model.name, { titleRows: [...model.titleRows], tables: { indicators: table(model.indicators), goals: table(model.goals) }, highlights: [] });
    this.metas.set(meta.key, clone(meta));
  }

  async withReport<T>(key: string, work: (session: ReportSession) => Promise<T>): Promise<T> {
    this.runs += 1;
    const meta = this.meta(key);
    const sheet = this.sheetOf(meta);
    return work({
      meta: clone(meta),
      read: async () => clone(sheet.tables),
      write: async (update: SheetUpdate, next: ReportMeta) => {
        for (const c of update.columns) {
          const at = columnIndex(TABLE_COLUMNS[c.table], c.key);
          c.values.forEach((v, i) => (sheet.tables[c.table].values[i]![at] = v));
        }
        for (const c of update.cells) this.setCell(sheet, c.table, c.row, c.key, c.value);
        sheet.highlights = update.highlights.map((h) => `${h.table}:${h.row}:${h.key}`);
        this.metas.set(key, clone(next));
      },
    });
  }

  async selectRecord(key: string, table: TableKind, id: number) {
    this.runs += 1;
    const meta = this.meta(key);
    const row = rowsById(this.sheetOf(meta).tables[table], table).get(id);
    if (row === undefined) return false;
    this.selected = { sheet: meta.sheetName, table, row };
    return true;
  }

  async pullConsolidation(sheets: readonly ConsolidationSheet[]) {
    this.runs += 1;
    const replaced = sheets.filter((s) => this.sheets.has(s.name) || this.consolidation.has(s.name)).map((s) => s.name);
    for (const sheet of sheets) {
      this.sheets.delete(sheet.name);
      this.consolidation.set(sheet.name, clone(sheet));
    }
    return replaced;
  }

  async openWorkbook(base64: string) {
    if (!this.canOpenWorkbooks) return false;
    this.openedWorkbooks.push(base64);
    return true;
  }

  // ---- for the test: what a user would type and see ----


  /** The sheet row of a record, found by its key as the add-in would. */
  rowOf(key: string, table: TableKind, id: number): number {
    const row = rowsById(this.sheetOf(this.meta(key)).tables[table], table).get(id);
    if (row === undefined) throw new Error(`no row for ${table} ${id}`);
    return row;
  }

  type(key: string, table: TableKind, id: number, column: string, value: CellValue) {
    this.setCell(this.sheetOf(this.meta(key)), table, this.rowOf(key, table, id), column, value);
  }

  cell(key: string, table: TableKind, id: number, column: string): CellValue {
    const sheet = this.sheetOf(this.meta(key));
    const t = sheet.tables[table];
    return t.values[this.rowOf(key, table, id) - firstRow(t)]![columnIndex(TABLE_COLUMNS[table], column)] ?? null;
  }

  highlights(key: string): string[] {
    return [...this.sheetOf(this.meta(key)).highlights];
  }

  private setCell(sheet: MemorySheet, table: TableKind, row: number, column: string, value: CellValue) {
    const t = sheet.tables[table];
    t.values[row - firstRow(t)]![columnIndex(TABLE_COLUMNS[table], column)] = value;
  }

  private meta(key: string): ReportMeta {
    const meta = this.metas.get(key);
    if (!meta) throw new Error(`no report ${key}`);
    return meta;
  }

  private sheetOf(meta: ReportMeta): MemorySheet {
    const sheet = this.sheets.get(meta.sheetName);
    if (!sheet) throw new SheetMissingError(meta.sheetName);
    return sheet;
  }
}
