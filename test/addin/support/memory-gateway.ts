import { SheetMissingError, type ExcelGateway, type ReportMeta, type ReportSession } from '../../../addin/excel/gateway';
import type { ConsolidationSheet } from '../../../core/sheets/consolidation-layout';
import { columnIndex, reportColumns, type CellValue, type ReportModel } from '../../../core/sheets/report-layout';
import { ROW_KINDS } from '../../../core/rows/report-rows';
import { firstRow, rowsById, type RawReport, type RowKind, type SheetUpdate } from '../../../core/sheets/sheet-sync';

/**
 * The test double of the Excel layer: an in-memory workbook behind the same ExcelGateway the
 * task pane uses. It lives under test/ only; the browser test injects it as window.__tertialExcel.
 */
/** A pulled report: its sheets' titles by kind, the tables as one read returns them, the cells last highlighted. */
interface MemoryReport {
  titleRows: Record<RowKind, string[]>;
  tables: RawReport;
  highlights: string[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class MemoryGateway implements ExcelGateway {
  /** Report sheets by name, each pointing at its report. */
  readonly sheets = new Map<string, MemoryReport>();
  /** The consolidation's sheets as written, by name. */
  readonly consolidation = new Map<string, ConsolidationSheet>();
  /** Workbooks opened with openWorkbook (base64); with `canOpenWorkbooks` false the host cannot, as in a plain browser. */
  readonly openedWorkbooks: string[] = [];
  canOpenWorkbooks = true;
  private readonly metas = new Map<string, ReportMeta>();
  selected: { sheet: string; table: RowKind; row: number } | null = null;
  runs = 0;

  async listReports() {
    return [...this.metas.values()].map(clone);
  }

  async pullReport(model: ReportModel, meta: ReportMeta) {
    this.runs += 1;
    const report: MemoryReport = { titleRows: {} as Record<RowKind, string[]>, tables: { period: meta.period } as RawReport, highlights: [] };
    for (const m of model.sheets) {
      report.titleRows[m.kind] = [...m.titleRows];
      report.tables[m.kind] = { headerRow: m.table.headerRow, header: m.table.columns.map((c) => c.header), values: m.table.rows.map((r) => [...r]) };
      this.sheets.set(m.name, report);
    }
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
          const at = columnIndex(reportColumns(c.table, meta.period), c.key);
          c.values.forEach((v, i) => (sheet.tables[c.table].values[i]![at] = v));
        }
        for (const c of update.cells) this.setCell(sheet, c.table, c.row, c.key, c.value);
        sheet.highlights = update.highlights.map((h) => `${h.table}:${h.row}:${h.key}`);
        this.metas.set(key, clone(next));
      },
    });
  }

  async selectRecord(key: string, table: RowKind, id: number) {
    this.runs += 1;
    const meta = this.meta(key);
    const row = rowsById(this.sheetOf(meta).tables[table], table, meta.period).get(id);
    if (row === undefined) return false;
    this.selected = { sheet: meta.tables[table].sheet, table, row };
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
  rowOf(key: string, table: RowKind, id: number): number {
    const meta = this.meta(key);
    const row = rowsById(this.sheetOf(meta).tables[table], table, meta.period).get(id);
    if (row === undefined) throw new Error(`no row for ${table} ${id}`);
    return row;
  }

  type(key: string, table: RowKind, id: number, column: string, value: CellValue) {
    this.setCell(this.sheetOf(this.meta(key)), table, this.rowOf(key, table, id), column, value);
  }

  cell(key: string, table: RowKind, id: number, column: string): CellValue {
    const sheet = this.sheetOf(this.meta(key));
    const t = sheet.tables[table];
    return t.values[this.rowOf(key, table, id) - firstRow(t)]![columnIndex(reportColumns(table, sheet.tables.period), column)] ?? null;
  }

  highlights(key: string): string[] {
    return [...this.sheetOf(this.meta(key)).highlights];
  }

  private setCell(sheet: MemoryReport, table: RowKind, row: number, column: string, value: CellValue) {
    const t = sheet.tables[table];
    t.values[row - firstRow(t)]![columnIndex(reportColumns(table, sheet.tables.period), column)] = value;
  }

  private meta(key: string): ReportMeta {
    const meta = this.metas.get(key);
    if (!meta) throw new Error(`no report ${key}`);
    return meta;
  }

  /** The report behind the meta's sheets; every one of them must still be there. */
  private sheetOf(meta: ReportMeta): MemoryReport {
    const names = ROW_KINDS.map((k) => meta.tables[k].sheet);
    const report = this.sheets.get(names[0]!);
    if (!report || names.some((n) => this.sheets.get(n) !== report)) throw new SheetMissingError(names.join(' / '));
    return report;
  }
}
