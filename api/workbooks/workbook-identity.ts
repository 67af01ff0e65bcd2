import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { PeriodCodeSchema } from '../../core/contract/common';
import type { ReportAddress } from '../../core/contract/report';
import { fieldNames, storedSchema, type RowKindSpec } from '../../core/rows/row-kind';
import { REPORT_ROW_KINDS, ROW_KINDS, type RowKind, type Snapshot } from '../../core/rows/report-rows';
import { ApiError } from '../errors';

/**
 * Which report a workbook holds, kept in a very hidden sheet (not listed under "Unhide"):
 * the report's address, when it was made, where its tables are, and every row's key, version
 * and values as downloaded — the snapshot an upload is compared with, so that only the rows
 * the user changed are sent (a colleague's change to another row is no conflict).
 * A checksum over all of it tells an upload whether any of it was changed. It is not a
 * signature: it catches mistakes and meddling, while access rights and row versions are what
 * the server enforces.
 *
 * Layout: the named fields in columns A–B (each row kind's sheet and header row among them);
 * then, per row kind, a block of columns: the key, the version and the kind's input fields (from
 * its spec), one empty column between blocks.
 */
export const IDENTITY_SHEET = 'Tertial';
const FORMAT = 'tertial-report-workbook/5';
/** Workbooks made before one sheet per row kind (/1, /2), before activities and uppdrag (/3), or before intern kontroll (/4): refused with a word on what to do. */
const OLDER_FORMATS = ['tertial-report-workbook/1', 'tertial-report-workbook/2', 'tertial-report-workbook/3', 'tertial-report-workbook/4'];
const FIRST_BLOCK_COLUMN = 4;

const headerRowField = (kind: RowKind) => `${REPORT_ROW_KINDS[kind].historyEntity}HeaderRow`;
const sheetField = (kind: RowKind) => `${REPORT_ROW_KINDS[kind].historyEntity}Sheet`;
const FIELDS = ['format', 'organisation', 'year', 'period', 'generatedAt', ...ROW_KINDS.flatMap((k) => [sheetField(k), headerRowField(k)]), 'checksum'];

/** Where each kind's snapshot block starts, and what it holds after the key. */
const BLOCKS = ROW_KINDS.reduce(
  (blocks, kind) => {
    const spec: RowKindSpec = REPORT_ROW_KINDS[kind];
    const column = blocks.length === 0 ? FIRST_BLOCK_COLUMN : blocks.at(-1)!.column + blocks.at(-1)!.fields.length + 2;
    return [...blocks, { kind, name: spec.historyEntity, column, fields: ['version', ...fieldNames(spec)] }];
  },
  [] as { kind: RowKind; name: string; column: number; fields: string[] }[],
);

const TableSchema = z.object({ sheet: z.string().min(1), headerRow: z.coerce.number().int().positive(), keys: z.array(z.number().int().positive()) });

const IdentitySchema = z.object({
  organisation: z.string().min(1),
  year: z.coerce.number().int(),
  period: PeriodCodeSchema,
  generatedAt: z.string().min(1),
  tables: z.object(Object.fromEntries(ROW_KINDS.map((kind) => [kind, TableSchema])) as Record<RowKind, typeof TableSchema>),
  snapshot: z.object(Object.fromEntries(ROW_KINDS.map((kind) => [kind, z.record(z.string(), storedSchema(REPORT_ROW_KINDS[kind] as RowKindSpec))]))),
});

export type WorkbookIdentity = Omit<z.infer<typeof IdentitySchema>, 'snapshot'> & { snapshot: Snapshot };

function checksum(identity: WorkbookIdentity): string {
  const i = identity;
  const rows = (kind: RowKind) => i.tables[kind].keys.map((k) => (i.snapshot[kind] as Record<string, unknown>)[String(k)] ?? null);
  const content = [
    FORMAT,
    i.organisation,
    i.year,
    i.period,
    i.generatedAt,
    ...ROW_KINDS.map((k) => [i.tables[k].sheet, i.tables[k].headerRow]),
    ...ROW_KINDS.map((k) => i.tables[k].keys),
    ...ROW_KINDS.map(rows),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export async function writeIdentity(workbook: ExcelJS.Workbook, identity: WorkbookIdentity): Promise<void> {
  const sheet = workbook.addWorksheet(IDENTITY_SHEET, { state: 'veryHidden' });
  const values: Record<string, string | number> = {
    format: FORMAT,
    organisation: identity.organisation,
    year: identity.year,
    period: identity.period,
    generatedAt: identity.generatedAt,
    ...Object.fromEntries(
      ROW_KINDS.flatMap((k) => [
        [sheetField(k), identity.tables[k].sheet],
        [headerRowField(k), identity.tables[k].headerRow],
      ]),
    ),
    checksum: checksum(identity),
  };
  FIELDS.forEach((field, i) => {
    sheet.getCell(i + 1, 1).value = field;
    sheet.getCell(i + 1, 2).value = values[field]!;
  });
  for (const block of BLOCKS) {
    const snapshot = identity.snapshot[block.kind] as Record<string, Record<string, unknown>>;
    [`${block.name}Key`, ...block.fields].forEach((f, c) => (sheet.getCell(1, block.column + c).value = f));
    identity.tables[block.kind].keys.forEach((key, i) => {
      sheet.getCell(i + 2, block.column).value = key;
      // User text as plain string cells.
      block.fields.forEach((f, c) => (sheet.getCell(i + 2, block.column + 1 + c).value = (snapshot[String(key)]?.[f] ?? null) as ExcelJS.CellValue));
    });
  }
  await sheet.protect('', {});
}

const refused = (code: string, message: string) => new ApiError('VALIDATION_FAILED', message, [{ code, message }]);

function readBlock(sheet: ExcelJS.Worksheet, block: (typeof BLOCKS)[number]): { keys: unknown[]; snapshot: Record<string, Record<string, unknown>> } {
  const keys: unknown[] = [];
  const snapshot: Record<string, Record<string, unknown>> = {};
  for (let row = 2; row <= sheet.rowCount && sheet.getCell(row, block.column).value !== null; row++) {
    const key = sheet.getCell(row, block.column).value;
    keys.push(key);
    snapshot[String(key)] = Object.fromEntries(block.fields.map((f, c) => [f, sheet.getCell(row, block.column + 1 + c).value ?? null]));
  }
  return { keys, snapshot };
}

/** The identity of an uploaded workbook; refused (422) when it is missing or was changed. */
export function readIdentity(workbook: ExcelJS.Workbook): WorkbookIdentity {
  const sheet = workbook.getWorksheet(IDENTITY_SHEET);
  const fields = new Map<unknown, unknown>();
  for (let row = 1; sheet && row <= FIELDS.length; row++) fields.set(sheet.getCell(row, 1).value, sheet.getCell(row, 2).value);
  if (sheet && OLDER_FORMATS.includes(String(fields.get('format')))) {
    throw refused(
      'OLDER_WORKBOOK',
      'Arbetsboken är gjord av en äldre version av Tertial och kan inte läsas in. Hämta rapporten som arbetsbok på nytt och för över dina ändringar.',
    );
  }
  if (!sheet || fields.get('format') !== FORMAT) {
    throw refused(
      'NOT_A_REPORT_WORKBOOK',
      'Filen är inte en rapportarbetsbok från Tertial (identifieringen saknas). Hämta rapporten som arbetsbok, fyll i den och ladda upp den igen.',
    );
  }
  const blocks = Object.fromEntries(BLOCKS.map((b) => [b.kind, readBlock(sheet, b)])) as Record<RowKind, ReturnType<typeof readBlock>>;
  const parsed = IdentitySchema.safeParse({
    ...Object.fromEntries(FIELDS.map((f) => [f, fields.get(f)])),
    tables: Object.fromEntries(ROW_KINDS.map((k) => [k, { sheet: fields.get(sheetField(k)), headerRow: fields.get(headerRowField(k)), keys: blocks[k].keys }])),
    snapshot: Object.fromEntries(ROW_KINDS.map((k) => [k, blocks[k].snapshot])),
  });
  if (!parsed.success || checksum(parsed.data as WorkbookIdentity) !== fields.get('checksum')) {
    throw refused('IDENTIFICATION_ALTERED', 'Arbetsbokens dolda identifiering har ändrats, så den kan inte kopplas säkert till en rapport. Hämta rapporten på nytt.');
  }
  return parsed.data as WorkbookIdentity;
}

/** A workbook is uploaded to the report it was made for, and no other. */
export function requireSameReport(identity: WorkbookIdentity, address: ReportAddress): void {
  const made = `${identity.organisation} ${identity.period} ${identity.year}`;
  const target = `${address.organisation} ${address.period} ${address.year}`;
  if (made !== target) {
    throw refused('WRONG_REPORT', `Arbetsboken gäller ${made}, inte ${target}. Ladda upp den till rätt rapport. Inget har sparats.`);
  }
}
