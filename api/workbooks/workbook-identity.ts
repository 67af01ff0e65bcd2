import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { PeriodCodeSchema } from '../contract/common';
import { ApiError } from '../errors';
import type { ReportAddress } from '../services/report-service';

/**
 * Which report a workbook holds, kept in a very hidden sheet (not listed under "Unhide"):
 * the report's address, when it was made, where its tables are, and every row's key, version
 * and values as downloaded — the snapshot an upload is compared with, so that only the rows
 * the user changed are sent (a colleague's change to another row is no conflict).
 * A checksum over all of it tells an upload whether any of it was changed. It is not a
 * signature: it catches mistakes and meddling, while access rights and row versions are what
 * the server enforces.
 */
export const IDENTITY_SHEET = 'Tertial';
const FORMAT = 'tertial-report-workbook/2';
const FIELDS = ['format', 'organisation', 'year', 'period', 'generatedAt', 'sheet', 'indicatorHeaderRow', 'goalHeaderRow', 'checksum'] as const;
/** Columns of the row snapshots: key first, then version and the input fields. */
const INDICATOR_SNAPSHOT = { column: 4, fields: ['version', 'outcome', 'forecast', 'comment'] } as const;
const GOAL_SNAPSHOT = { column: 10, fields: ['version', 'assessment', 'motivation', 'analysis'] } as const;

const IdentitySchema = z.object({
  organisation: z.string().min(1),
  year: z.coerce.number().int(),
  period: PeriodCodeSchema,
  generatedAt: z.string().min(1),
  sheet: z.string().min(1),
  indicatorHeaderRow: z.coerce.number().int().positive(),
  goalHeaderRow: z.coerce.number().int().positive(),
  indicatorKeys: z.array(z.number().int().positive()),
  goalKeys: z.array(z.number().int().positive()),
  snapshot: z.object({
    indicators: z.record(
      z.string(),
      z.object({ version: z.number().int().min(0), outcome: z.number().nullable(), forecast: z.number().nullable(), comment: z.string().nullable() }),
    ),
    goals: z.record(
      z.string(),
      z.object({ version: z.number().int().min(0), assessment: z.string().nullable(), motivation: z.string().nullable(), analysis: z.string().nullable() }),
    ),
  }),
});

export type WorkbookIdentity = z.infer<typeof IdentitySchema>;

function checksum(identity: WorkbookIdentity): string {
  const i = identity;
  const rows = <T>(keys: number[], snapshot: Record<string, T>) => keys.map((k) => snapshot[String(k)] ?? null);
  const content = [
    FORMAT, i.organisation, i.year, i.period, i.generatedAt, i.sheet, i.indicatorHeaderRow, i.goalHeaderRow,
    i.indicatorKeys, i.goalKeys, rows(i.indicatorKeys, i.snapshot.indicators), rows(i.goalKeys, i.snapshot.goals),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export async function writeIdentity(workbook: ExcelJS.Workbook, identity: WorkbookIdentity): Promise<void> {
  const sheet = workbook.addWorksheet(IDENTITY_SHEET, { state: 'veryHidden' });
  const values: Record<(typeof FIELDS)[number], string | number> = {
    format: FORMAT,
    organisation: identity.organisation,
    year: identity.year,
    period: identity.period,
    generatedAt: identity.generatedAt,
    sheet: identity.sheet,
    indicatorHeaderRow: identity.indicatorHeaderRow,
    goalHeaderRow: identity.goalHeaderRow,
    checksum: checksum(identity),
  };
  FIELDS.forEach((field, i) => {
    sheet.getCell(i + 1, 1).value = field;
    sheet.getCell(i + 1, 2).value = values[field];
  });
  writeRows(sheet, INDICATOR_SNAPSHOT, 'indicator', identity.indicatorKeys, identity.snapshot.indicators);
  writeRows(sheet, GOAL_SNAPSHOT, 'goal', identity.goalKeys, identity.snapshot.goals);
  await sheet.protect('', {});
}

const refused = (code: string, message: string) => new ApiError('VALIDATION_FAILED', message, [{ code, message }]);

type SnapshotColumns = typeof INDICATOR_SNAPSHOT | typeof GOAL_SNAPSHOT;

/** One row per report row: its key, then the snapshot's fields; user text as plain string cells. */
function writeRows(sheet: ExcelJS.Worksheet, spec: SnapshotColumns, name: string, keys: number[], snapshot: Record<string, Record<string, unknown>>) {
  [`${name}Key`, ...spec.fields].forEach((f, c) => (sheet.getCell(1, spec.column + c).value = f));
  keys.forEach((key, i) => {
    sheet.getCell(i + 2, spec.column).value = key;
    spec.fields.forEach((f, c) => (sheet.getCell(i + 2, spec.column + 1 + c).value = (snapshot[String(key)]?.[f] ?? null) as ExcelJS.CellValue));
  });
}

function readRows(sheet: ExcelJS.Worksheet, spec: SnapshotColumns): { keys: unknown[]; snapshot: Record<string, Record<string, unknown>> } {
  const keys: unknown[] = [];
  const snapshot: Record<string, Record<string, unknown>> = {};
  for (let row = 2; row <= sheet.rowCount && sheet.getCell(row, spec.column).value !== null; row++) {
    const key = sheet.getCell(row, spec.column).value;
    keys.push(key);
    snapshot[String(key)] = Object.fromEntries(spec.fields.map((f, c) => [f, sheet.getCell(row, spec.column + 1 + c).value ?? null]));
  }
  return { keys, snapshot };
}

/** The identity of an uploaded workbook; refused (422) when it is missing or was changed. */
export function readIdentity(workbook: ExcelJS.Workbook): WorkbookIdentity {
  const sheet = workbook.getWorksheet(IDENTITY_SHEET);
  const fields = new Map<unknown, unknown>();
  for (let row = 1; sheet && row <= FIELDS.length; row++) fields.set(sheet.getCell(row, 1).value, sheet.getCell(row, 2).value);
  if (!sheet || fields.get('format') !== FORMAT) {
    throw refused(
      'NOT_A_REPORT_WORKBOOK',
      'Filen är inte en rapportarbetsbok från Tertial (identifieringen saknas). Hämta rapporten som arbetsbok, fyll i den och ladda upp den igen.',
    );
  }
  const indicators = readRows(sheet, INDICATOR_SNAPSHOT);
  const goals = readRows(sheet, GOAL_SNAPSHOT);
  const parsed = IdentitySchema.safeParse({
    ...Object.fromEntries(FIELDS.map((f) => [f, fields.get(f)])),
    indicatorKeys: indicators.keys,
    goalKeys: goals.keys,
    snapshot: { indicators: indicators.snapshot, goals: goals.snapshot },
  });
  if (!parsed.success || checksum(parsed.data) !== fields.get('checksum')) {
    throw refused('IDENTIFICATION_ALTERED', 'Arbetsbokens dolda identifiering har ändrats, så den kan inte kopplas säkert till en rapport. Hämta rapporten på nytt.');
  }
  return parsed.data;
}

/** A workbook is uploaded to the report it was made for, and no other. */
export function requireSameReport(identity: WorkbookIdentity, address: ReportAddress): void {
  const made = `${identity.organisation} ${identity.period} ${identity.year}`;
  const target = `${address.organisation} ${address.period} ${address.year}`;
  if (made !== target) {
    throw refused('WRONG_REPORT', `Arbetsboken gäller ${made}, inte ${target}. Ladda upp den till rätt rapport. Inget har sparats.`);
  }
}
