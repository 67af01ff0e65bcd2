import { z } from 'zod';
import type { ErrorDetail } from '../contract/common';
import type { Report, ReportWriteRequest } from '../contract/report';
import { fieldNames, idOf, sentValues, storedValuesOf, type FieldValue, type RowKindSpec } from '../rows/row-kind';
import { REPORT_ROW_KINDS, ROW_KINDS, type RowKind } from '../rows/report-rows';
import {
  changedWrites,
  detailsToSheetRows,
  headerProblems,
  keyCell,
  noPending,
  readRows,
  type Pending,
  type PendingWrite,
  type SheetProblem,
  type Snapshot,
} from './read-report-sheet';
import { motivationProblems, type SheetRules } from './sheet-rules';
import { assessmentText, columnIndex, reportColumns, rowCells, type CellValue } from './report-layout';
import type { PeriodCode } from '../contract/common';

/**
 * What one user action does to a report sheet, pure: from the raw cell values read in one
 * sync, find the rows to send; from the API's answer, compute the cells to write back in one
 * sync (versions, statuses, errors) and the new snapshot. The Excel glue only executes it.
 */
export type { Pending, RowKind };

/** A row kind's spec, loosely typed for code that treats every kind alike. */
const specOf = (kind: RowKind): RowKindSpec => REPORT_ROW_KINDS[kind];
/** The input fields of a row kind, by name. */
export const inputKeys = (kind: RowKind): string[] => fieldNames(specOf(kind));

/** A table as read from the sheet: its header row (1-based) and header and body values. */
export interface RawTable {
  headerRow: number;
  header: CellValue[];
  values: CellValue[][];
  /** The body's number formats, where the reader has them (a percent format means the user typed "3,2 %"). */
  formats?: string[][];
}
/** What one read of a report's sheets found: each kind's table, and the period (its columns depend on it). */
export type RawReport = Record<RowKind, RawTable> & { period: PeriodCode };

const columnsOf = (raw: RawReport, kind: RowKind) => reportColumns(kind, raw.period);

/** A message for one sheet row, shown in its Fel column; `field` also highlights that cell. */
export interface RowNote {
  table: RowKind;
  row: number;
  field?: string;
  code: string;
  message: string;
}

/** Whole body columns (locked columns only) and single input cells to write; null clears. */
export interface SheetUpdate {
  columns: { table: RowKind; key: string; values: CellValue[] }[];
  cells: { table: RowKind; row: number; key: string; value: CellValue }[];
  highlights: { table: RowKind; row: number; key: string }[];
}

export interface SheetState {
  raw: RawReport;
  /** The header was changed: nothing can be trusted, nothing is sent. */
  layoutProblems: RowNote[];
  /** Rows that cannot be sent as they are (not a number, tampered key, duplicate…). */
  problems: RowNote[];
  /** Changed rows without problems, with their base versions. */
  pending: Pending;
}

export const firstRow = (t: RawTable) => t.headerRow + 1;

const noteOf =
  (table: RowKind) =>
  (p: SheetProblem): RowNote => ({
    table,
    row: p.row,
    code: p.code,
    message: p.message,
    ...(p.field ? { field: p.field } : {}),
  });

/**
 * Reads a report's sheets: what each row now holds, what differs from the snapshot (to send),
 * and every problem found before sending — values that are not numbers, tampered keys, and,
 * with `rules`, assessments that need a motivation. A row with a problem stays in the sheet,
 * marked; the rest is sent.
 */
export function readSheet(raw: RawReport, snapshot: Snapshot, rules?: SheetRules): SheetState {
  const layoutProblems = ROW_KINDS.flatMap((t) => headerProblems(columnsOf(raw, t), raw[t].header, raw[t].headerRow).map(noteOf(t)));
  if (layoutProblems.length > 0) return { raw, layoutProblems, problems: [], pending: noPending() };
  const problems: RowNote[] = [];
  const pending = {} as Record<RowKind, PendingWrite<unknown>[]>;
  for (const kind of ROW_KINDS) {
    const spec = specOf(kind);
    const read = readRows(spec, columnsOf(raw, kind), raw[kind].values, firstRow(raw[kind]), raw[kind].formats);
    const changed = changedWrites(spec, read.rows, snapshot[kind]);
    const found = [...read.problems, ...changed.problems];
    const bad = new Set(found.map((p) => p.row));
    problems.push(...found.map(noteOf(kind)));
    pending[kind] = changed.writes.filter((w) => !bad.has(w.row));
  }
  const ready = pending as Pending;
  const unmotivated = rules ? motivationProblems(raw.period, rules, snapshot, ready) : [];
  problems.push(...unmotivated.map(({ goalId: _g, ...p }) => noteOf('goals')(p)));
  const held = new Set(unmotivated.map((p) => p.row));
  return { raw, layoutProblems, problems, pending: { ...ready, goals: ready.goals.filter((p) => !held.has(p.row)) } };
}

export const pendingCount = (p: Pending) => ROW_KINDS.reduce((n, kind) => n + p[kind].length, 0);

export function requestBody(pending: Pending): ReportWriteRequest {
  return Object.fromEntries(ROW_KINDS.map((kind) => [kind, pending[kind].map((p) => p.write)]));
}

/** A kind's pending rows, loosely typed for code that treats every kind alike. */
const pendingOf = (pending: Pending, kind: RowKind) => pending[kind] as readonly PendingWrite<{ readonly [key: string]: unknown }>[];

/** Sheet rows by the id in their hidden key column, whatever their order. */
export function rowsById(raw: RawTable, table: RowKind, period: PeriodCode): Map<number, number> {
  const at = columnIndex(reportColumns(table, period), specOf(table).idKey);
  const out = new Map<number, number>();
  raw.values.forEach((cells, i) => {
    const id = keyCell(cells[at]);
    if (id !== null && !out.has(id)) out.set(id, firstRow(raw) + i);
  });
  return out;
}

/** A row of the report by kind and key, loosely typed. */
function reportRow(kind: RowKind, report: Report, id: number) {
  const rows = report[kind] as ReadonlyArray<{ readonly version: number; readonly [key: string]: unknown }>;
  return rows.find((r) => idOf(specOf(kind), r) === id);
}

/** The cells of a report row as the layout writes them, by column key. */
function layoutCells(table: RowKind, report: Report, id: number): Record<string, CellValue> | undefined {
  const row = reportRow(table, report, id);
  return row && rowCells(table, row as Parameters<typeof rowCells>[1], report.period);
}

/** Columns the server owns: rewritten for rows it answered for. */
const serverKeys = (kind: RowKind): readonly string[] => [...specOf(kind).derived, 'changed', 'version'];

/** Collects writes against the raw read; columns start as they are in the sheet. */
class UpdateBuilder {
  private readonly columns = new Map<string, { table: RowKind; key: string; values: CellValue[] }>();
  private readonly cells: SheetUpdate['cells'] = [];

  constructor(private readonly raw: RawReport) {}

  setColumnCell(table: RowKind, row: number, key: string, value: CellValue) {
    const id = `${table}.${key}`;
    let column = this.columns.get(id);
    if (!column) {
      const at = columnIndex(columnsOf(this.raw, table), key);
      column = { table, key, values: this.raw[table].values.map((cells) => cells[at] ?? null) };
      this.columns.set(id, column);
    }
    column.values[row - firstRow(this.raw[table])] = value;
  }

  /** Input cells are written one by one, only where the sheet differs, so that nothing else the user typed is touched. */
  setInputCell(table: RowKind, row: number, key: string, value: CellValue) {
    const current = this.raw[table].values[row - firstRow(this.raw[table])]?.[columnIndex(columnsOf(this.raw, table), key)] ?? null;
    const blank = (v: CellValue) => v === null || v === '';
    if (current === value || (blank(current) && blank(value))) return;
    this.cells.push({ table, row, key, value });
  }

  /** Takes the server's row into the sheet: server-owned columns, and the input cells named. */
  takeServerRow(table: RowKind, row: number, server: Record<string, CellValue>, inputKeys: readonly string[]) {
    for (const key of serverKeys(table)) this.setColumnCell(table, row, key, server[key] ?? null);
    for (const key of inputKeys) this.setInputCell(table, row, key, server[key] ?? null);
  }

  /** Every goal's suggested assessment follows the indicators, whoever changed them. */
  takeSuggestions(report: Report) {
    for (const [id, row] of rowsById(this.raw.goals, 'goals', this.raw.period)) {
      const goal = report.goals.find((g) => g.goalId === id);
      if (goal) this.setColumnCell('goals', row, 'suggested', assessmentText(goal.suggestedAssessment, report.period));
    }
  }

  /** The Fel column of both tables is rewritten whole: notes of this action only. */
  build(notes: readonly RowNote[]): SheetUpdate {
    const highlights: SheetUpdate['highlights'] = [];
    for (const table of ROW_KINDS) {
      const messages = new Map<number, string[]>();
      for (const n of notes.filter((n) => n.table === table)) {
        messages.set(n.row, [...(messages.get(n.row) ?? []), n.message]);
        highlights.push({ table, row: n.row, key: 'error' });
        if (n.field && inputKeys(table).includes(n.field)) highlights.push({ table, row: n.row, key: n.field });
      }
      this.raw[table].values.forEach((_, i) => {
        const row = firstRow(this.raw[table]) + i;
        this.setColumnCell(table, row, 'error', messages.get(row)?.join(' ') ?? '');
      });
    }
    return { columns: [...this.columns.values()], cells: this.cells, highlights };
  }
}

/** Only the Fel column: the notes of an action that changed nothing on the server. */
export function notesUpdate(raw: RawReport, notes: readonly RowNote[]): SheetUpdate {
  return new UpdateBuilder(raw).build(notes);
}

const cloneSnapshot = (s: Snapshot): Snapshot => Object.fromEntries(ROW_KINDS.map((kind) => [kind, { ...s[kind] }])) as unknown as Snapshot;

/** The row's stored values in the snapshot (loosely typed: every kind alike). */
const snapshotRows = (snapshot: Snapshot, kind: RowKind) => snapshot[kind] as Record<string, { version: number } & Record<string, FieldValue>>;

function setSnapshot(snapshot: Snapshot, table: RowKind, report: Report, id: number) {
  const row = reportRow(table, report, id);
  if (row) snapshotRows(snapshot, table)[String(id)] = storedValuesOf(specOf(table), row);
}

/**
 * After a successful write: the sent rows take the server's versions, statuses and (normalised)
 * values, and only they move in the snapshot; other rows keep theirs, so that a change someone
 * else made to them is merged by "Uppdatera", never overwritten by a later send.
 */
export function afterSend(state: SheetState, report: Report, sent: Pending, snapshot: Snapshot, notes: readonly RowNote[]) {
  const builder = new UpdateBuilder(state.raw);
  const next = cloneSnapshot(snapshot);
  for (const table of ROW_KINDS) {
    for (const p of pendingOf(sent, table)) {
      const id = idOf(specOf(table), p.write);
      const server = layoutCells(table, report, id);
      if (!server) continue;
      builder.takeServerRow(
        table,
        p.row,
        server,
        inputKeys(table).filter((k) => k in p.write),
      );
      setSnapshot(next, table, report, id);
    }
  }
  builder.takeSuggestions(report);
  return { update: builder.build(notes), snapshot: next };
}

export interface MergeResult {
  update: SheetUpdate;
  snapshot: Snapshot;
  merged: number;
  kept: RowNote[];
  /** Rows the server has that the sheet lacks: a fresh pull brings them. */
  missing: number;
}

/**
 * "Uppdatera": server changes go into rows the user has not edited; an edited row keeps the
 * user's values and, if the server changed it too, says so (sending it then shows the conflict).
 * Rows in `discard` are taken from the server even if edited ("behåll deras").
 */
export function mergeServer(state: SheetState, report: Report, snapshot: Snapshot, discard: Partial<Record<RowKind, ReadonlySet<number>>> = {}): MergeResult {
  const builder = new UpdateBuilder(state.raw);
  const next = cloneSnapshot(snapshot);
  const kept: RowNote[] = [];
  let merged = 0;
  let missing = 0;
  for (const table of ROW_KINDS) {
    const rows = rowsById(state.raw[table], table, state.raw.period);
    const problemRows = new Set(state.problems.filter((p) => p.table === table).map((p) => p.row));
    const editedRows = new Set([...pendingOf(state.pending, table).map((p) => p.row), ...problemRows]);
    const serverIds = (report[table] as ReadonlyArray<Record<string, unknown>>).map((r) => idOf(specOf(table), r));
    for (const id of serverIds) {
      const row = rows.get(id);
      if (row === undefined) {
        missing += 1;
        continue;
      }
      const server = layoutCells(table, report, id)!;
      const before = snapshotRows(snapshot, table)[String(id)];
      const serverChanged = !before || before.version !== server.version;
      if (editedRows.has(row) && !discard[table]?.has(id)) {
        if (serverChanged) {
          kept.push({
            table,
            row,
            code: 'KEPT_LOCAL_EDIT',
            message: `Rad ${row}: ändrad både här och i Tertial (version ${server.version}). Din ändring ligger kvar; skicka för att välja vilken som gäller.`,
          });
        }
        continue;
      }
      if (serverChanged || discard[table]?.has(id)) merged += 1;
      builder.takeServerRow(table, row, server, inputKeys(table));
      setSnapshot(next, table, report, id);
    }
  }
  builder.takeSuggestions(report);
  const stillBad = state.problems.filter((p) => !discard[p.table]?.has(idAtRow(state.raw, p.table, p.row) ?? -1));
  return { update: builder.build([...stillBad, ...kept]), snapshot: next, merged, kept, missing };
}

/** Notes as the pane lists them: each with the key of its row, so that a click can find the row however it was moved. */
export function noteItems(raw: RawReport, notes: readonly RowNote[]): { table: RowKind; id: number; message: string }[] {
  return notes.flatMap((n) => {
    const id = idAtRow(raw, n.table, n.row);
    return id === undefined ? [] : [{ table: n.table, id, message: n.message }];
  });
}

function idAtRow(raw: RawReport, table: RowKind, row: number): number | undefined {
  for (const [id, r] of rowsById(raw[table], table, raw.period)) if (r === row) return id;
  return undefined;
}

const CurrentSchema = z
  .object({
    version: z.number().int(),
    changedBy: z.string().nullable().optional(),
    changedAt: z.string().nullable().optional(),
  })
  .catchall(z.unknown());

export type FieldValues = Record<string, FieldValue>;

export interface Conflict {
  table: RowKind;
  id: number;
  row: number;
  label: string;
  /** The fields this user sent (only those). */
  mine: Partial<FieldValues>;
  theirs: FieldValues;
  theirVersion: number;
  changedBy: string | null;
  changedAt: string | null;
}

/** The API's 409 details (STALE, with the current row) for what was sent, as conflicts per sheet row. */
export function conflictsFrom(details: readonly ErrorDetail[], sent: Pending, raw: RawReport): Conflict[] {
  return details.flatMap((d) => {
    const table = ROW_KINDS.find((k) => k === d.section);
    const current = CurrentSchema.safeParse(d.current);
    if (!table || typeof d.index !== 'number' || !current.success) return [];
    const p = pendingOf(sent, table)[d.index];
    if (!p) return [];
    const spec = specOf(table);
    return [
      {
        table,
        id: idOf(spec, p.write),
        row: p.row,
        label: rowLabel(raw, table, p.row),
        mine: sentValues(spec, p.write),
        theirs: Object.fromEntries(inputKeys(table).map((f) => [f, (current.data[f] ?? null) as FieldValue])),
        theirVersion: current.data.version,
        changedBy: current.data.changedBy ?? null,
        changedAt: current.data.changedAt ?? null,
      },
    ];
  });
}

export function conflictNote(c: Conflict): RowNote {
  return {
    table: c.table,
    row: c.row,
    code: 'CONFLICT',
    message: `Rad ${c.row}: ändrad av ${c.changedBy ?? 'någon annan'} sedan du hämtade. Inget sparat för raden; välj i Tertial-panelen.`,
  };
}

/** "Skicka min igen": the row's base becomes their version and values, so the next send carries mine on theirs. */
export function rebaseOnTheirs(snapshot: Snapshot, c: Conflict): Snapshot {
  const next = cloneSnapshot(snapshot);
  snapshotRows(next, c.table)[String(c.id)] = { ...c.theirs, version: c.theirVersion };
  return next;
}

/** A short name for a row in the task pane: its code and title (the two frozen columns every sheet starts with). */
export function rowLabel(raw: RawReport, table: RowKind, row: number): string {
  const cells = raw[table].values[row - firstRow(raw[table])] ?? [];
  return `${cells[0] ?? ''} ${cells[1] ?? ''}`.trim();
}

/** The API's 422 details for what was sent, as notes on sheet rows. */
export function validationNotes(details: readonly ErrorDetail[], sent: Pending): RowNote[] {
  return detailsToSheetRows(details, sent).map((p) => ({
    table: ROW_KINDS.find((k) => k === p.section) ?? 'indicators',
    row: p.row,
    code: p.code,
    message: p.message,
    ...(p.field ? { field: p.field } : {}),
  }));
}

/** Drops the given sheet rows from what is to be sent (conflicted rows, before sending the rest). */
export function withoutRows(pending: Pending, rows: { table: RowKind; row: number }[]): Pending {
  const skip = (table: RowKind) => new Set(rows.filter((r) => r.table === table).map((r) => r.row));
  return Object.fromEntries(
    ROW_KINDS.map((kind) => {
      const skipped = skip(kind);
      return [kind, pendingOf(pending, kind).filter((p) => !skipped.has(p.row))];
    }),
  ) as unknown as Pending;
}
