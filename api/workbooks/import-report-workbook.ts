import type { Kysely } from 'kysely';
import { detailsToSheetRows } from '../../core/sheets/read-report-sheet';
import type { ErrorDetail } from '../../core/contract/common';
import { parseReportWrite } from '../../core/contract/report-write';
import type { Actor } from '../db/history-queries';
import type { Database } from '../db/schema';
import { ApiError, validationFailed } from '../errors';
import { writeReport, type ReportAddress, type WriteOptions, type WriteOutcome } from '../services/report-service';
import { ROW_KINDS } from '../../core/rows/report-rows';
import { loadWorkbook, onSheet, readReportWorkbook, type WorkbookWrites } from './read-report-workbook';

/** Row details of the API (section + index) named by the sheet rows the user typed in. */
function onSheetRows(details: readonly ErrorDetail[], sent: WorkbookWrites): ErrorDetail[] {
  return details.map((d) => {
    const kind = ROW_KINDS.find((k) => k === d.section);
    const placed = detailsToSheetRows([d], sent)[0];
    return placed && kind ? onSheet(sent.sheets[kind])(placed) : d;
  });
}

/**
 * An uploaded report workbook written exactly like the JSON bulk write: the same parsing of
 * the body, the same service (all or nothing, versions, motivations, period state), with
 * every error pointing at sheet rows.
 */
export async function importReportWorkbook(db: Kysely<Database>, address: ReportAddress, file: Buffer, actor: Actor, options: WriteOptions = {}): Promise<WriteOutcome> {
  const sent = readReportWorkbook(await loadWorkbook(file), address);
  const parsed = parseReportWrite(Object.fromEntries(ROW_KINDS.map((k) => [k, sent[k].map((p) => p.write)])));
  if (!parsed.ok) {
    if (parsed.malformed) throw new Error(`workbook writes do not fit the write envelope: ${parsed.message}`);
    throw validationFailed(onSheetRows(parsed.details, sent));
  }
  try {
    return await writeReport(db, address, parsed.value, actor, options);
  } catch (e) {
    if (e instanceof ApiError && e.details) throw new ApiError(e.code, e.message, onSheetRows(e.details, sent));
    throw e;
  }
}
