import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { PeriodCodeSchema } from '../contract/common';
import { ApiError } from '../errors';
import type { ReportAddress } from '../services/report-service';

/**
 * Which report a workbook holds, kept in a very hidden sheet (not listed under "Unhide"):
 * the report's address, when it was made, where its tables are and the key of every row.
 * A checksum over all of it tells an upload whether any of it was changed. It is not a
 * signature: it catches mistakes and meddling, while access rights and row versions are what
 * the server enforces.
 */
export const IDENTITY_SHEET = 'Tertial';
const FORMAT = 'tertial-report-workbook/1';
const FIELDS = ['format', 'organisation', 'year', 'period', 'generatedAt', 'sheet', 'indicatorHeaderRow', 'goalHeaderRow', 'checksum'] as const;
const KEY_LISTS_COLUMN = 4;

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
});

export type WorkbookIdentity = z.infer<typeof IdentitySchema>;

function checksum(identity: WorkbookIdentity): string {
  const i = identity;
  const content = [FORMAT, i.organisation, i.year, i.period, i.generatedAt, i.sheet, i.indicatorHeaderRow, i.goalHeaderRow, i.indicatorKeys, i.goalKeys];
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
  sheet.getCell(1, KEY_LISTS_COLUMN).value = 'indicatorKeys';
  sheet.getCell(1, KEY_LISTS_COLUMN + 1).value = 'goalKeys';
  identity.indicatorKeys.forEach((key, i) => (sheet.getCell(i + 2, KEY_LISTS_COLUMN).value = key));
  identity.goalKeys.forEach((key, i) => (sheet.getCell(i + 2, KEY_LISTS_COLUMN + 1).value = key));
  await sheet.protect('', {});
}

const refused = (code: string, message: string) => new ApiError('VALIDATION_FAILED', message, [{ code, message }]);

function keyList(sheet: ExcelJS.Worksheet, column: number): unknown[] {
  const keys: unknown[] = [];
  for (let row = 2; row <= sheet.rowCount && sheet.getCell(row, column).value !== null; row++) keys.push(sheet.getCell(row, column).value);
  return keys;
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
  const parsed = IdentitySchema.safeParse({
    ...Object.fromEntries(FIELDS.map((f) => [f, fields.get(f)])),
    indicatorKeys: keyList(sheet, KEY_LISTS_COLUMN),
    goalKeys: keyList(sheet, KEY_LISTS_COLUMN + 1),
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
