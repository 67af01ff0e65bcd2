import type { ErrorDetail } from '../../api/contract/common';
import { fieldLabel, problemMessage, type RowProblemCode } from '../../api/contract/messages';
import type { GoalWrite, IndicatorWrite } from '../../api/contract/report';
import { parseSwedishNumber } from '../../api/domain/numbers';
import { sameValue, type FieldValue } from '../../api/domain/row-writes';
import { ASSESSMENTS, GOAL_COLUMNS, INDICATOR_COLUMNS, columnIndex, type CellValue, type ColumnSpec } from './report-layout';

/**
 * Reading a report sheet back, pure: what the user typed (Swedish decimals, blanks, pasted
 * text) parsed by the same rules as the API, rows found by their hidden key whatever their
 * order, and problems named by sheet row and column.
 */
export interface SheetProblem extends ErrorDetail {
  row: number;
}

export interface SheetIndicatorRow {
  row: number;
  indicatorId: number;
  version: number;
  outcome: number | null;
  forecast: number | null;
  comment: string | null;
}

export interface SheetGoalRow {
  row: number;
  goalId: number;
  version: number;
  assessment: 'helt' | 'delvis' | 'ej' | null;
  motivation: string | null;
  analysis: string | null;
}

export interface SheetRead<R> {
  rows: R[];
  problems: SheetProblem[];
}

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

export function rowProblem(row: number, field: string, code: RowProblemCode | string, extra: Partial<ErrorDetail> = {}): SheetProblem {
  const base = problemMessage(code, field);
  return { row, field, code, message: `Rad ${row}, ${base}`, ...extra };
}

/** The header must be the layout's, in its order: a moved column would shift every value. */
export function headerProblems(columns: readonly ColumnSpec[], header: readonly unknown[], row: number): SheetProblem[] {
  const wrong = columns.findIndex((c, i) => String(header[i] ?? '').trim() !== c.header);
  if (wrong === -1) return [];
  return [
    {
      row,
      code: 'LAYOUT_CHANGED',
      message: `Rad ${row}: kolumnerna har flyttats eller bytt namn (väntade "${columns[wrong]!.header}" i kolumn ${wrong + 1}). Hämta rapporten på nytt.`,
    },
  ];
}

function key(value: CellValue): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function text(value: CellValue): string | null {
  if (isBlank(value)) return null;
  return typeof value === 'number' ? String(value) : String(value);
}

function number(value: CellValue, row: number, field: string, problems: SheetProblem[]): number | null {
  const parsed = parseSwedishNumber(value);
  if (parsed.ok) return parsed.value;
  problems.push(rowProblem(row, field, 'NOT_A_NUMBER'));
  return null;
}

function readKeys(cells: CellValue[], idAt: number, versionAt: number, row: number, problems: SheetProblem[]) {
  const id = key(cells[idAt] ?? null);
  const version = key(cells[versionAt] ?? null);
  if (id === null || id === 0 || version === null) {
    problems.push({ row, code: 'KEY_TAMPERED', message: `Rad ${row}: ${problemMessage('KEY_TAMPERED')}` });
    return null;
  }
  return { id, version };
}

/** `firstRow` is the sheet row of values[0]; fully blank rows (deleted content) are skipped. */
export function readIndicatorRows(values: CellValue[][], firstRow: number): SheetRead<SheetIndicatorRow> {
  const at = (k: (typeof INDICATOR_COLUMNS)[number]['key']) => columnIndex(INDICATOR_COLUMNS, k);
  const problems: SheetProblem[] = [];
  const rows: SheetIndicatorRow[] = [];
  values.forEach((cells, i) => {
    const row = firstRow + i;
    if (cells.every(isBlank)) return;
    const keys = readKeys(cells, at('indicatorId'), at('version'), row, problems);
    if (!keys) return;
    const before = problems.length;
    const parsed = {
      row,
      indicatorId: keys.id,
      version: keys.version,
      outcome: number(cells[at('outcome')] ?? null, row, 'outcome', problems),
      forecast: number(cells[at('forecast')] ?? null, row, 'forecast', problems),
      comment: text(cells[at('comment')] ?? null),
    };
    if (problems.length === before) rows.push(parsed);
  });
  return { rows, problems: [...problems, ...duplicateKeys(rows.map((r) => [r.row, r.indicatorId]))] };
}

export function readGoalRows(values: CellValue[][], firstRow: number): SheetRead<SheetGoalRow> {
  const at = (k: (typeof GOAL_COLUMNS)[number]['key']) => columnIndex(GOAL_COLUMNS, k);
  const problems: SheetProblem[] = [];
  const rows: SheetGoalRow[] = [];
  values.forEach((cells, i) => {
    const row = firstRow + i;
    if (cells.every(isBlank)) return;
    const keys = readKeys(cells, at('goalId'), at('version'), row, problems);
    if (!keys) return;
    const raw = text(cells[at('assessment')] ?? null)?.trim().toLowerCase() ?? null;
    if (raw !== null && !(ASSESSMENTS as readonly string[]).includes(raw)) {
      problems.push(rowProblem(row, 'assessment', 'INVALID_VALUE'));
      return;
    }
    rows.push({
      row,
      goalId: keys.id,
      version: keys.version,
      assessment: raw as SheetGoalRow['assessment'],
      motivation: text(cells[at('motivation')] ?? null),
      analysis: text(cells[at('analysis')] ?? null),
    });
  });
  return { rows, problems: [...problems, ...duplicateKeys(rows.map((r) => [r.row, r.goalId]))] };
}

function duplicateKeys(pairs: [row: number, id: number][]): SheetProblem[] {
  const seen = new Map<number, number>();
  return pairs.flatMap(([row, id]) => {
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, row);
      return [];
    }
    return [{ row, code: 'DUPLICATE_ROW', message: `Rad ${row}: samma rad finns redan på rad ${first} (kopierad rad?).` }];
  });
}

/** What was pulled, per row: the base for finding what the user changed. */
export interface Snapshot {
  indicators: Record<string, { version: number; outcome: number | null; forecast: number | null; comment: string | null }>;
  goals: Record<string, { version: number; assessment: string | null; motivation: string | null; analysis: string | null }>;
}

export interface PendingWrite<W> {
  row: number;
  write: W;
}

function changedFields<K extends string>(fields: readonly K[], now: Record<K, FieldValue>, before: Record<K, FieldValue>) {
  const out: Partial<Record<K, FieldValue>> = {};
  for (const f of fields) if (!sameValue(now[f], before[f])) out[f] = now[f];
  return out;
}

/**
 * Rows whose values differ from the snapshot, with only the changed fields and the base
 * version from the snapshot. A row without a snapshot entry is not part of this report.
 */
export function changedIndicatorWrites(rows: SheetIndicatorRow[], snapshot: Snapshot): { writes: PendingWrite<IndicatorWrite>[]; problems: SheetProblem[] } {
  const writes: PendingWrite<IndicatorWrite>[] = [];
  const problems: SheetProblem[] = [];
  for (const r of rows) {
    const before = snapshot.indicators[String(r.indicatorId)];
    if (!before) {
      problems.push({ row: r.row, code: 'KEY_TAMPERED', message: `Rad ${r.row}: ${problemMessage('KEY_TAMPERED')}` });
      continue;
    }
    const fields = changedFields(['outcome', 'forecast', 'comment'] as const, r, before);
    if (Object.keys(fields).length > 0) {
      writes.push({ row: r.row, write: { indicatorId: r.indicatorId, baseVersion: before.version, ...(fields as Partial<IndicatorWrite>) } });
    }
  }
  return { writes, problems };
}

export function changedGoalWrites(rows: SheetGoalRow[], snapshot: Snapshot): { writes: PendingWrite<GoalWrite>[]; problems: SheetProblem[] } {
  const writes: PendingWrite<GoalWrite>[] = [];
  const problems: SheetProblem[] = [];
  for (const r of rows) {
    const before = snapshot.goals[String(r.goalId)];
    if (!before) {
      problems.push({ row: r.row, code: 'KEY_TAMPERED', message: `Rad ${r.row}: ${problemMessage('KEY_TAMPERED')}` });
      continue;
    }
    const fields = changedFields(['assessment', 'motivation', 'analysis'] as const, r, before);
    if (Object.keys(fields).length > 0) {
      writes.push({ row: r.row, write: { goalId: r.goalId, baseVersion: before.version, ...(fields as Partial<GoalWrite>) } });
    }
  }
  return { writes, problems };
}

export function snapshotOf(report: { indicators: Array<{ indicatorId: number; version: number; outcome: number | null; forecast: number | null; comment: string | null }>; goals: Array<{ goalId: number; version: number; assessment: string | null; motivation: string | null; analysis: string | null }> }): Snapshot {
  return {
    indicators: Object.fromEntries(report.indicators.map((i) => [String(i.indicatorId), { version: i.version, outcome: i.outcome, forecast: i.forecast, comment: i.comment }])),
    goals: Object.fromEntries(report.goals.map((g) => [String(g.goalId), { version: g.version, assessment: g.assessment, motivation: g.motivation, analysis: g.analysis }])),
  };
}

/**
 * Maps the API's row details (section + index in what was sent) back to sheet rows, so that
 * errors land next to the row the user typed in.
 */
export function detailsToSheetRows(
  details: readonly ErrorDetail[],
  sent: { indicators: readonly PendingWrite<unknown>[]; goals: readonly PendingWrite<unknown>[] },
): SheetProblem[] {
  return details.flatMap((d) => {
    const list = d.section === 'goals' ? sent.goals : d.section === 'indicators' ? sent.indicators : undefined;
    const pending = list && typeof d.index === 'number' ? list[d.index] : undefined;
    if (!pending) return [];
    const message = d.message.startsWith('Rad ') ? d.message : `Rad ${pending.row}, ${d.field && !d.message.startsWith(fieldLabel(d.field)) ? `${fieldLabel(d.field)}: ` : ''}${d.message}`;
    return [{ ...d, row: pending.row, message }];
  });
}
