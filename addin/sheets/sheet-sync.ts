import { z } from 'zod';
import type { ErrorDetail } from '../../api/contract/common';
import type { GoalWrite, IndicatorWrite, Report, ReportWriteRequest } from '../../api/contract/report';
import {
  changedGoalWrites,
  changedIndicatorWrites,
  detailsToSheetRows,
  headerProblems,
  readGoalRows,
  readIndicatorRows,
  type PendingWrite,
  type SheetProblem,
  type Snapshot,
} from './read-report-sheet';
import { GOAL_COLUMNS, INDICATOR_COLUMNS, columnIndex, goalRow, indicatorRow, type CellValue, type ColumnSpec } from './report-layout';

/**
 * What one user action does to a report sheet, pure: from the raw cell values read in one
 * sync, find the rows to send; from the API's answer, compute the cells to write back in one
 * sync (versions, statuses, errors) and the new snapshot. The Excel glue only executes it.
 */
export type TableKind = 'indicators' | 'goals';

export const TABLE_COLUMNS: Record<TableKind, readonly ColumnSpec[]> = { indicators: INDICATOR_COLUMNS, goals: GOAL_COLUMNS };
export const INPUT_KEYS = { indicators: ['outcome', 'forecast', 'comment'], goals: ['assessment', 'motivation', 'analysis'] } as const;
const ID_KEY = { indicators: 'indicatorId', goals: 'goalId' } as const;
const TABLES: readonly TableKind[] = ['indicators', 'goals'];

/** A table as read from the sheet: its header row (1-based) and header and body values. */
export interface RawTable {
  headerRow: number;
  header: CellValue[];
  values: CellValue[][];
}
export type RawReport = Record<TableKind, RawTable>;

/** A message for one sheet row, shown in its Fel column; `field` also highlights that cell. */
export interface RowNote {
  table: TableKind;
  row: number;
  field?: string;
  code: string;
  message: string;
}

/** Whole body columns (locked columns only) and single input cells to write; null clears. */
export interface SheetUpdate {
  columns: { table: TableKind; key: string; values: CellValue[] }[];
  cells: { table: TableKind; row: number; key: string; value: CellValue }[];
  highlights: { table: TableKind; row: number; key: string }[];
}

export interface Pending {
  indicators: PendingWrite<IndicatorWrite>[];
  goals: PendingWrite<GoalWrite>[];
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

const noteOf = (table: TableKind) => (p: SheetProblem): RowNote => ({
  table,
  row: p.row,
  code: p.code,
  message: p.message,
  ...(p.field ? { field: p.field } : {}),
});

export function readSheet(raw: RawReport, snapshot: Snapshot): SheetState {
  const layoutProblems = TABLES.flatMap((t) => headerProblems(TABLE_COLUMNS[t], raw[t].header, raw[t].headerRow).map(noteOf(t)));
  if (layoutProblems.length > 0) return { raw, layoutProblems, problems: [], pending: { indicators: [], goals: [] } };
  const indicators = readIndicatorRows(raw.indicators.values, firstRow(raw.indicators));
  const goals = readGoalRows(raw.goals.values, firstRow(raw.goals));
  const changedIndicators = changedIndicatorWrites(indicators.rows, snapshot);
  const changedGoals = changedGoalWrites(goals.rows, snapshot);
  const problems = [
    ...[...indicators.problems, ...changedIndicators.problems].map(noteOf('indicators')),
    ...[...goals.problems, ...changedGoals.problems].map(noteOf('goals')),
  ];
  const bad = (table: TableKind) => new Set(problems.filter((p) => p.table === table).map((p) => p.row));
  const badIndicators = bad('indicators');
  const badGoals = bad('goals');
  return {
    raw,
    layoutProblems,
    problems,
    pending: {
      indicators: changedIndicators.writes.filter((w) => !badIndicators.has(w.row)),
      goals: changedGoals.writes.filter((w) => !badGoals.has(w.row)),
    },
  };
}

export const pendingCount = (p: Pending) => p.indicators.length + p.goals.length;

export function requestBody(pending: Pending): ReportWriteRequest {
  return { indicators: pending.indicators.map((p) => p.write), goals: pending.goals.map((p) => p.write) };
}

/** Sheet rows by the id in their hidden key column, whatever their order. */
export function rowsById(raw: RawTable, table: TableKind): Map<number, number> {
  const at = columnIndex(TABLE_COLUMNS[table], ID_KEY[table]);
  const out = new Map<number, number>();
  raw.values.forEach((cells, i) => {
    const id = cells[at];
    const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id.trim()) ? Number(id) : NaN;
    if (Number.isSafeInteger(n) && !out.has(n)) out.set(n, firstRow(raw) + i);
  });
  return out;
}

/** The cells of a report row as the layout writes them, by column key. */
function layoutCells(table: TableKind, report: Report, id: number): Record<string, CellValue> | undefined {
  const values =
    table === 'indicators'
      ? report.indicators.filter((i) => i.indicatorId === id).map(indicatorRow)[0]
      : report.goals.filter((g) => g.goalId === id).map(goalRow)[0];
  if (!values) return undefined;
  return Object.fromEntries(TABLE_COLUMNS[table].map((c, i) => [c.key, values[i] ?? null]));
}

/** Columns the server owns: rewritten for rows it answered for. */
const SERVER_KEYS = { indicators: ['status', 'changed', 'version'], goals: ['changed', 'version'] } as const;

/** Collects writes against the raw read; columns start as they are in the sheet. */
class UpdateBuilder {
  private readonly columns = new Map<string, { table: TableKind; key: string; values: CellValue[] }>();
  private readonly cells: SheetUpdate['cells'] = [];

  constructor(private readonly raw: RawReport) {}

  setColumnCell(table: TableKind, row: number, key: string, value: CellValue) {
    const id = `${table}.${key}`;
    let column = this.columns.get(id);
    if (!column) {
      const at = columnIndex(TABLE_COLUMNS[table], key);
      column = { table, key, values: this.raw[table].values.map((cells) => cells[at] ?? null) };
      this.columns.set(id, column);
    }
    column.values[row - firstRow(this.raw[table])] = value;
  }

  /** Input cells are written one by one, only where the sheet differs, so that nothing else the user typed is touched. */
  setInputCell(table: TableKind, row: number, key: string, value: CellValue) {
    const current = this.raw[table].values[row - firstRow(this.raw[table])]?.[columnIndex(TABLE_COLUMNS[table], key)] ?? null;
    const blank = (v: CellValue) => v === null || v === '';
    if (current === value || (blank(current) && blank(value))) return;
    this.cells.push({ table, row, key, value });
  }

  /** Takes the server's row into the sheet: server-owned columns, and the input cells named. */
  takeServerRow(table: TableKind, row: number, server: Record<string, CellValue>, inputKeys: readonly string[]) {
    for (const key of SERVER_KEYS[table]) this.setColumnCell(table, row, key, server[key] ?? null);
    for (const key of inputKeys) this.setInputCell(table, row, key, server[key] ?? null);
  }

  /** Every goal's suggested assessment follows the indicators, whoever changed them. */
  takeSuggestions(report: Report) {
    for (const [id, row] of rowsById(this.raw.goals, 'goals')) {
      const goal = report.goals.find((g) => g.goalId === id);
      if (goal) this.setColumnCell('goals', row, 'suggested', goal.suggestedAssessment ?? '');
    }
  }

  /** The Fel column of both tables is rewritten whole: notes of this action only. */
  build(notes: readonly RowNote[]): SheetUpdate {
    const highlights: SheetUpdate['highlights'] = [];
    for (const table of TABLES) {
      const messages = new Map<number, string[]>();
      for (const n of notes.filter((n) => n.table === table)) {
        messages.set(n.row, [...(messages.get(n.row) ?? []), n.message]);
        highlights.push({ table, row: n.row, key: 'error' });
        if (n.field && (INPUT_KEYS[table] as readonly string[]).includes(n.field)) highlights.push({ table, row: n.row, key: n.field });
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

const cloneSnapshot = (s: Snapshot): Snapshot => ({ indicators: { ...s.indicators }, goals: { ...s.goals } });

function snapshotEntry(table: TableKind, report: Report, id: number) {
  if (table === 'indicators') {
    const i = report.indicators.find((r) => r.indicatorId === id);
    return i && { version: i.version, outcome: i.outcome, forecast: i.forecast, comment: i.comment };
  }
  const g = report.goals.find((r) => r.goalId === id);
  return g && { version: g.version, assessment: g.assessment, motivation: g.motivation, analysis: g.analysis };
}

function setSnapshot(snapshot: Snapshot, table: TableKind, report: Report, id: number) {
  const entry = snapshotEntry(table, report, id);
  if (!entry) return;
  if (table === 'indicators') snapshot.indicators[String(id)] = entry as Snapshot['indicators'][string];
  else snapshot.goals[String(id)] = entry as Snapshot['goals'][string];
}

const writeId = (table: TableKind, w: IndicatorWrite | GoalWrite) =>
  table === 'indicators' ? (w as IndicatorWrite).indicatorId : (w as GoalWrite).goalId;

/**
 * After a successful write: the sent rows take the server's versions, statuses and (normalised)
 * values, and only they move in the snapshot; other rows keep theirs, so that a change someone
 * else made to them is merged by "Uppdatera", never overwritten by a later send.
 */
export function afterSend(state: SheetState, report: Report, sent: Pending, snapshot: Snapshot, notes: readonly RowNote[]) {
  const builder = new UpdateBuilder(state.raw);
  const next = cloneSnapshot(snapshot);
  for (const table of TABLES) {
    for (const p of sent[table] as PendingWrite<IndicatorWrite | GoalWrite>[]) {
      const id = writeId(table, p.write);
      const server = layoutCells(table, report, id);
      if (!server) continue;
      builder.takeServerRow(table, p.row, server, INPUT_KEYS[table].filter((k) => k in p.write));
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
export function mergeServer(
  state: SheetState,
  report: Report,
  snapshot: Snapshot,
  discard: { indicators: ReadonlySet<number>; goals: ReadonlySet<number> } = { indicators: new Set(), goals: new Set() },
): MergeResult {
  const builder = new UpdateBuilder(state.raw);
  const next = cloneSnapshot(snapshot);
  const kept: RowNote[] = [];
  let merged = 0;
  let missing = 0;
  for (const table of TABLES) {
    const rows = rowsById(state.raw[table], table);
    const problemRows = new Set(state.problems.filter((p) => p.table === table).map((p) => p.row));
    const editedRows = new Set([...(state.pending[table] as PendingWrite<unknown>[]).map((p) => p.row), ...problemRows]);
    const serverIds = table === 'indicators' ? report.indicators.map((i) => i.indicatorId) : report.goals.map((g) => g.goalId);
    for (const id of serverIds) {
      const row = rows.get(id);
      if (row === undefined) {
        missing += 1;
        continue;
      }
      const server = layoutCells(table, report, id)!;
      const before = table === 'indicators' ? snapshot.indicators[String(id)] : snapshot.goals[String(id)];
      const serverChanged = !before || before.version !== server.version;
      if (editedRows.has(row) && !discard[table].has(id)) {
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
      if (serverChanged || discard[table].has(id)) merged += 1;
      builder.takeServerRow(table, row, server, INPUT_KEYS[table]);
      setSnapshot(next, table, report, id);
    }
  }
  builder.takeSuggestions(report);
  const stillBad = state.problems.filter((p) => !discard[p.table].has(idAtRow(state.raw, p.table, p.row) ?? -1));
  return { update: builder.build([...stillBad, ...kept]), snapshot: next, merged, kept, missing };
}

function idAtRow(raw: RawReport, table: TableKind, row: number): number | undefined {
  for (const [id, r] of rowsById(raw[table], table)) if (r === row) return id;
  return undefined;
}

const CurrentSchema = z.object({
  version: z.number().int(),
  changedBy: z.string().nullable().optional(),
  changedAt: z.string().nullable().optional(),
}).catchall(z.unknown());

export type FieldValues = Record<string, string | number | null>;

export interface Conflict {
  table: TableKind;
  id: number;
  row: number;
  label: string;
  mine: FieldValues;
  theirs: FieldValues;
  theirVersion: number;
  changedBy: string | null;
  changedAt: string | null;
}

/** The API's 409 details (STALE, with the current row) for what was sent, as conflicts per sheet row. */
export function conflictsFrom(details: readonly ErrorDetail[], sent: Pending, raw: RawReport): Conflict[] {
  return details.flatMap((d) => {
    const table = d.section === 'goals' ? 'goals' : d.section === 'indicators' ? 'indicators' : undefined;
    const current = CurrentSchema.safeParse(d.current);
    if (!table || typeof d.index !== 'number' || !current.success) return [];
    const p = (sent[table] as PendingWrite<IndicatorWrite | GoalWrite>[])[d.index];
    if (!p) return [];
    const fields = INPUT_KEYS[table].filter((k) => k in p.write);
    const pick = (from: Record<string, unknown>): FieldValues =>
      Object.fromEntries(fields.map((f) => [f, (from[f] ?? null) as string | number | null]));
    return [
      {
        table,
        id: writeId(table, p.write),
        row: p.row,
        label: rowLabel(raw, table, p.row),
        mine: pick(p.write as unknown as Record<string, unknown>),
        theirs: Object.fromEntries(INPUT_KEYS[table].map((f) => [f, (current.data[f] ?? null) as string | number | null])),
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
  if (c.table === 'indicators') {
    next.indicators[String(c.id)] = {
      version: c.theirVersion,
      outcome: c.theirs.outcome as number | null,
      forecast: c.theirs.forecast as number | null,
      comment: c.theirs.comment as string | null,
    };
  } else {
    next.goals[String(c.id)] = {
      version: c.theirVersion,
      assessment: c.theirs.assessment as string | null,
      motivation: c.theirs.motivation as string | null,
      analysis: c.theirs.analysis as string | null,
    };
  }
  return next;
}

/** A short name for a row in the task pane: the indicator's code and title, or the goal. */
export function rowLabel(raw: RawReport, table: TableKind, row: number): string {
  const cells = raw[table].values[row - firstRow(raw[table])] ?? [];
  const columns = TABLE_COLUMNS[table];
  if (table === 'indicators') {
    return `${cells[columnIndex(columns, 'code')] ?? ''} ${cells[columnIndex(columns, 'title')] ?? ''}`.trim();
  }
  return String(cells[columnIndex(columns, 'goal')] ?? '').trim();
}

/** The API's 422 details for what was sent, as notes on sheet rows. */
export function validationNotes(details: readonly ErrorDetail[], sent: Pending): RowNote[] {
  return detailsToSheetRows(details, sent).map((p) => ({
    table: p.section === 'goals' ? 'goals' : 'indicators',
    row: p.row,
    code: p.code,
    message: p.message,
    ...(p.field ? { field: p.field } : {}),
  }));
}

/** Drops the given sheet rows from what is to be sent (conflicted rows, before sending the rest). */
export function withoutRows(pending: Pending, rows: { table: TableKind; row: number }[]): Pending {
  const skip = (table: TableKind) => new Set(rows.filter((r) => r.table === table).map((r) => r.row));
  const i = skip('indicators');
  const g = skip('goals');
  return { indicators: pending.indicators.filter((p) => !i.has(p.row)), goals: pending.goals.filter((p) => !g.has(p.row)) };
}
