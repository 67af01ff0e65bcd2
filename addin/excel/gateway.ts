import { z } from 'zod';
import { PeriodCodeSchema } from '../../core/contract/common';
import { ReportStateSchema } from '../../core/contract/report';
import type { ConsolidationSheet } from '../../core/sheets/consolidation-layout';
import type { ReportModel } from '../../core/sheets/report-layout';
import type { RawReport, RowKind, SheetUpdate } from '../../core/sheets/sheet-sync';
import { ROW_KINDS, SnapshotSchema } from '../../core/rows/report-rows';
import { SheetRulesSchema } from '../../core/sheets/sheet-rules';
import { UserFacingError } from '../errors';

/**
 * The task pane's only way into the workbook. The Office.js implementation is office-gateway.ts;
 * tests drive the pane with an in-memory one. Every method is one user action: one Excel.run.
 */
export interface ExcelGateway {
  /** Report sheets this workbook holds, from the metadata stored in the workbook. */
  listReports(): Promise<ReportMeta[]>;
  /** Writes a freshly pulled report into its sheets (replacing any of the same names) and stores its metadata. */
  pullReport(model: ReportModel, meta: ReportMeta): Promise<void>;
  /** Reads the report's tables, lets `work` talk to the API, then writes back: one Excel.run. */
  withReport<T>(key: string, work: (session: ReportSession) => Promise<T>): Promise<T>;
  /** Activates the sheet of the row's kind and selects the row with this key; false if it is not there. */
  selectRecord(key: string, table: RowKind, id: number): Promise<boolean>;
  /** Writes the consolidation's sheets, read-only, replacing sheets of the same names; answers the names it replaced. */
  pullConsolidation(sheets: readonly ConsolidationSheet[]): Promise<string[]>;
  /** Opens an xlsx file (base64) as a new workbook; false where the host cannot, so that the pane offers a download. */
  openWorkbook(base64: string): Promise<boolean>;
}

export interface ReportSession {
  readonly meta: ReportMeta;
  read(): Promise<RawReport>;
  /** Writes the update and stores the metadata (new snapshot); call after read(). */
  write(update: SheetUpdate, meta: ReportMeta): Promise<void>;
}

/** The sheet is gone or renamed: the user must pull again. */
export class SheetMissingError extends UserFacingError {
  override name = 'SheetMissingError';

  constructor(sheetName: string) {
    super(`Bladet "${sheetName}" finns inte längre i arbetsboken. Hämta rapporten igen.`);
  }
}

/** What the add-in keeps about a pulled report inside the workbook, so it survives save, close and reopen. */
export const ReportMetaSchema = z.object({
  key: z.string(),
  organisation: z.object({ code: z.string(), name: z.string() }),
  year: z.number().int(),
  period: PeriodCodeSchema,
  state: ReportStateSchema,
  pulledAt: z.string(),
  /** Per row kind: the sheet and the Excel table that hold its rows. */
  tables: z.object(Object.fromEntries(ROW_KINDS.map((k) => [k, z.object({ sheet: z.string(), table: z.string() })]))) as unknown as z.ZodType<
    Record<RowKind, { sheet: string; table: string }>
  >,
  snapshot: SnapshotSchema,
  /** What the sheet checks before sending (the motivation rule); absent in metadata from before it was kept. */
  rules: SheetRulesSchema.optional(),
});
export type ReportMeta = z.infer<typeof ReportMetaSchema>;

export const reportKey = (organisation: string, year: number, period: string) => `${organisation}/${year}/${period}`;

/** Where each kind's rows go: its sheet (from the model) and a table name unique in the workbook (letters, digits and _ only). */
export function reportTables(key: string, model: ReportModel): ReportMeta['tables'] {
  const base = key.replace(/[^A-Za-z0-9]/g, '_');
  return Object.fromEntries(model.sheets.map((s) => [s.kind, { sheet: s.name, table: `Tertial_${s.kind}_${base}` }])) as ReportMeta['tables'];
}
