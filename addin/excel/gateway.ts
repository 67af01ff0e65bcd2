import { z } from 'zod';
import { PeriodCodeSchema } from '../../api/contract/common';
import { ReportStateSchema } from '../../api/contract/report';
import type { ConsolidationSheet } from '../sheets/consolidation-layout';
import type { SheetModel } from '../sheets/report-layout';
import type { RawReport, SheetUpdate, TableKind } from '../sheets/sheet-sync';

/**
 * The task pane's only way into the workbook. The Office.js implementation is office-gateway.ts;
 * tests drive the pane with an in-memory one. Every method is one user action: one Excel.run.
 */
export interface ExcelGateway {
  /** Report sheets this workbook holds, from the metadata stored in the workbook. */
  listReports(): Promise<ReportMeta[]>;
  /** Writes a freshly pulled report into its sheet (replacing one of the same name) and stores its metadata. */
  pullReport(model: SheetModel, meta: ReportMeta): Promise<void>;
  /** Reads the report's tables, lets `work` talk to the API, then writes back: one Excel.run. */
  withReport<T>(key: string, work: (session: ReportSession) => Promise<T>): Promise<T>;
  /** Activates the report's sheet and selects the row with this key; false if it is not there. */
  selectRecord(key: string, table: TableKind, id: number): Promise<boolean>;
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
export class SheetMissingError extends Error {
  constructor(sheetName: string) {
    super(`Bladet "${sheetName}" finns inte längre i arbetsboken. Hämta rapporten igen.`);
    this.name = 'SheetMissingError';
  }
}

const SnapshotSchema = z.object({
  indicators: z.record(
    z.string(),
    z.object({ version: z.number(), outcome: z.number().nullable(), forecast: z.number().nullable(), comment: z.string().nullable() }),
  ),
  goals: z.record(
    z.string(),
    z.object({ version: z.number(), assessment: z.string().nullable(), motivation: z.string().nullable(), analysis: z.string().nullable() }),
  ),
});

/** What the add-in keeps about a pulled report inside the workbook, so it survives save, close and reopen. */
export const ReportMetaSchema = z.object({
  key: z.string(),
  sheetName: z.string(),
  organisation: z.object({ code: z.string(), name: z.string() }),
  year: z.number().int(),
  period: PeriodCodeSchema,
  state: ReportStateSchema,
  pulledAt: z.string(),
  tables: z.object({ indicators: z.string(), goals: z.string() }),
  snapshot: SnapshotSchema,
});
export type ReportMeta = z.infer<typeof ReportMetaSchema>;

export const reportKey = (organisation: string, year: number, period: string) => `${organisation}/${year}/${period}`;

/** Excel table names are unique in a workbook: letters, digits and _ only. */
export function tableNames(key: string): ReportMeta['tables'] {
  const base = key.replace(/[^A-Za-z0-9]/g, '_');
  return { indicators: `Tertial_ind_${base}`, goals: `Tertial_mal_${base}` };
}
