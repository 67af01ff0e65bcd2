import type { PeriodCode } from '../../core/contract/common';
import { WRITE_SCHEMAS } from '../../core/contract/report';
import type { ReportChanges } from '../../core/contract/report-changes';
import { REPORT_ROW_KINDS, ROW_KINDS } from '../../core/rows/report-rows';
import { choiceLabel, idOf, type FieldSpec, type FieldValue, type RowKindSpec } from '../../core/rows/row-kind';
import type { Snapshot } from '../../core/sheets/read-report-sheet';
import { assessmentText, columnIndex, reportColumns, type CellValue } from '../../core/sheets/report-layout';
import { firstRow, inputKeys, notesUpdate, rowsById, type Pending, type RowKind, type RowNote, type SheetState, type SheetUpdate } from '../../core/sheets/sheet-sync';

/**
 * A write answered with only what it changed (`PUT …?answer=changes`, core/contract/report-changes.ts),
 * applied to the sheet and its snapshot the way `afterSend` applies the whole report:
 * - a sent row the write changed takes its new version, its computed status (indicators), who
 *   changed it and when, and its values as the API stored them: exactly as sent, parsed by the
 *   API's own write schema (so "12,5" typed as text becomes the number 12,5 in the cell);
 * - a sent row the write did not change already held those values on the server (a no-op): the
 *   snapshot takes the values and keeps its version, so the row is no longer unsent;
 * - every goal whose suggested assessment the write moved gets the new suggestion;
 * - the snapshot moves only for the sent rows; the Fel column holds this action's notes.
 * Rows, statuses and suggestions the write did not touch keep what the sheet shows ("Uppdatera"
 * brings other people's changes in).
 */
export function afterChanges(state: SheetState, changes: ReportChanges, sent: Pending, snapshot: Snapshot, notes: readonly RowNote[]): { update: SheetUpdate; snapshot: Snapshot } {
  const { raw } = state;
  const period = raw.period;
  const notesOnly = notesUpdate(raw, notes);
  const columns = new Map<string, SheetUpdate['columns'][number]>();
  const cells: SheetUpdate['cells'] = [];
  const next = Object.fromEntries(ROW_KINDS.map((kind) => [kind, { ...snapshot[kind] }])) as unknown as Snapshot;
  const changedText = changedCell(changes.changedBy, changes.changedAt);

  /** A locked column is written whole: it starts as the sheet has it. */
  const setColumnCell = (table: RowKind, row: number, key: string, value: CellValue) => {
    let column = columns.get(`${table}.${key}`);
    if (!column) {
      const at = columnIndex(reportColumns(table, period), key);
      column = { table, key, values: raw[table].values.map((cells) => cells[at] ?? null) };
      columns.set(`${table}.${key}`, column);
    }
    column.values[row - firstRow(raw[table])] = value;
  };
  /** An input cell is written only where the sheet differs, so that nothing else the user typed is touched. */
  const setInputCell = (table: RowKind, row: number, key: string, value: CellValue) => {
    const current = raw[table].values[row - firstRow(raw[table])]?.[columnIndex(reportColumns(table, period), key)] ?? null;
    const blank = (v: CellValue) => v === null || v === '';
    if (current !== value && !(blank(current) && blank(value))) cells.push({ table, row, key, value });
  };

  for (const table of ROW_KINDS) {
    const spec = REPORT_ROW_KINDS[table] as RowKindSpec;
    const answered = new Map((changes[table] as ReadonlyArray<Record<string, unknown> & { version: number }>).map((r) => [idOf(spec, r), r]));
    const stored = next[table] as Record<string, Record<string, FieldValue> & { version: number }>;
    for (const p of sent[table] as ReadonlyArray<{ row: number; write: Record<string, unknown> }>) {
      const id = idOf(spec, p.write);
      const before = stored[String(id)];
      if (!before) continue;
      const values = storedAsSent(table, spec, p.write);
      for (const key of inputKeys(table).filter((k) => k in values)) setInputCell(table, p.row, key, inputCell(spec.fields[key]!, values[key]!, period));
      const written = answered.get(id);
      stored[String(id)] = { ...before, ...values, version: written?.version ?? before.version };
      if (!written) continue;
      setColumnCell(table, p.row, 'version', written.version);
      setColumnCell(table, p.row, 'changed', changedText);
      if (table === 'indicators') setColumnCell(table, p.row, 'status', assessmentText((written.status ?? null) as Parameters<typeof assessmentText>[0], period));
    }
  }
  const goalRows = rowsById(raw.goals, 'goals', period);
  for (const goal of changes.goals) {
    const row = goalRows.get(goal.goalId);
    if (row !== undefined) setColumnCell('goals', row, 'suggested', assessmentText(goal.suggestedAssessment, period));
  }
  return { update: { columns: [...notesOnly.columns, ...columns.values()], cells, highlights: notesOnly.highlights }, snapshot: next };
}

/** The values of a sent row as the API stores them: parsed by the API's write schema (what the answer does not repeat). */
function storedAsSent(table: RowKind, spec: RowKindSpec, write: Record<string, unknown>): Record<string, FieldValue> {
  const parsed = WRITE_SCHEMAS[table].safeParse(write);
  const row = (parsed.success ? parsed.data : write) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(spec.fields).flatMap((f) => (row[f] === undefined ? [] : [[f, row[f] as FieldValue]])));
}

/** An input cell as the sheet's layout writes it: numbers as numbers, choices in the period's words, no text as an empty cell. */
function inputCell(field: FieldSpec, value: FieldValue, period: PeriodCode): CellValue {
  if (field.type === 'number') return value;
  if (field.type === 'choice') return value === null ? '' : choiceLabel(field, String(value), period);
  return value ?? '';
}

/** "Senast ändrad" as the sheet's layout writes it: who, and when in Stockholm time. */
function changedCell(by: string | null, at: string | null): string {
  if (!by && !at) return '';
  const when = at ? new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }) : '';
  return [by, when].filter(Boolean).join(', ');
}
