import type { ErrorDetail } from '../contract/common';
import { fieldLabel, problemMessage, type RowProblemCode } from '../contract/messages';
import { sameValue } from '../domain/row-writes';
import { fieldNames, isBlankCell, readCell, storedValuesOf, type FieldName, type FieldValue, type RowKindSpec, type RowWrite, type StoredValues } from '../rows/row-kind';
import { REPORT_ROW_KINDS, ROW_KINDS, type RowKind, type Snapshot } from '../rows/report-rows';
import { REPORTED_AT_VB, columnIndex, type CellValue, type ColumnSpec } from './report-layout';

/**
 * Reading a report sheet back, pure: what the user typed (Swedish decimals, blanks, pasted
 * text) parsed by the same rules as the API, rows found by their hidden key whatever their
 * order, and problems named by sheet row and column. Works for every row kind from its spec.
 */
export interface SheetProblem extends ErrorDetail {
  row: number;
}

/** One sheet row as read: where it is, its key and version, and every input value (undefined: a closed cell, left as it is). */
export interface SheetRow<S extends RowKindSpec = RowKindSpec> {
  row: number;
  id: number;
  version: number;
  values: Record<FieldName<S>, FieldValue | undefined>;
}

export interface SheetRead<S extends RowKindSpec = RowKindSpec> {
  rows: SheetRow<S>[];
  problems: SheetProblem[];
}

export type { Snapshot };

export function rowProblem(row: number, field: string, code: RowProblemCode | string, extra: Partial<ErrorDetail> = {}): SheetProblem {
  const base = problemMessage(code, field);
  return { row, field, code, message: `Rad ${row}, ${base}`, ...extra };
}

const tampered = (row: number): SheetProblem => ({ row, code: 'KEY_TAMPERED', message: `Rad ${row}: ${problemMessage('KEY_TAMPERED')}` });

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

/** A key or version cell: a whole number ≥ 0, whether Excel kept it as a number or as text. */
export function keyCell(value: CellValue | undefined): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * The rows of one table; `firstRow` is the sheet row of values[0]. Fully blank rows (deleted
 * content) are skipped; a row with a problem is reported and not read.
 */
/**
 * Excel turns "3,2 %" typed into a cell into 0,032 shown with a percent format. For an indicator
 * measured in % that is 3,2 (the unit is in its own column); for any other unit the % is refused.
 */
const isPercentFormat = (format: string | undefined) => format !== undefined && /%/.test(format.replace(/"[^"]*"|\\./g, ''));

export function readRows<S extends RowKindSpec>(
  spec: S,
  columns: readonly ColumnSpec[],
  values: CellValue[][],
  firstRow: number,
  formats?: readonly (readonly string[])[],
): SheetRead<S> {
  const unitAt = columnIndex(columns, 'unit');
  const idAt = columnIndex(columns, spec.idKey);
  const versionAt = columnIndex(columns, 'version');
  const fields = fieldNames(spec).map((name) => ({ name, field: spec.fields[name]!, at: columnIndex(columns, name) }));
  const problems: SheetProblem[] = [];
  const rows: SheetRow<S>[] = [];
  values.forEach((cells, i) => {
    const row = firstRow + i;
    if (cells.every(isBlankCell)) return;
    const id = keyCell(cells[idAt]);
    const version = keyCell(cells[versionAt]);
    if (id === null || id === 0 || version === null) {
      problems.push(tampered(row));
      return;
    }
    const read = {} as Record<FieldName<S>, FieldValue | undefined>;
    let ok = true;
    for (const { name, field, at } of fields) {
      // A closed input (an annual indicator's value at T1/T2) says so in words: it changes nothing.
      const cell = cells[at] === REPORTED_AT_VB ? ({ ok: true, value: undefined } as const) : readCell(field, cells[at] ?? null);
      if (cell.ok && field.type === 'number' && typeof cell.value === 'number' && isPercentFormat(formats?.[i]?.[at])) {
        if (cells[unitAt] === '%') read[name] = Math.round(cell.value * 100 * 1e9) / 1e9;
        else {
          problems.push(rowProblem(row, name, 'PERCENT_NOT_ALLOWED'));
          ok = false;
        }
      } else if (cell.ok) read[name] = cell.value;
      else {
        problems.push(rowProblem(row, name, cell.code));
        ok = false;
      }
    }
    if (ok) rows.push({ row, id, version, values: read });
  });
  return { rows, problems: [...problems, ...duplicateKeys(rows)] };
}

function duplicateKeys(rows: readonly SheetRow[]): SheetProblem[] {
  const seen = new Map<number, number>();
  return rows.flatMap(({ row, id }) => {
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, row);
      return [];
    }
    return [{ row, code: 'DUPLICATE_ROW', message: `Rad ${row}: samma rad finns redan på rad ${first} (kopierad rad?).` }];
  });
}

export interface PendingWrite<W> {
  row: number;
  write: W;
}

/** What a sheet has to send, per row kind. */
export type Pending = { [K in RowKind]: PendingWrite<RowWrite<(typeof REPORT_ROW_KINDS)[K]>>[] };
export const noPending = (): Pending => Object.fromEntries(ROW_KINDS.map((kind) => [kind, []])) as unknown as Pending;

/**
 * Rows whose values differ from the snapshot, with only the changed fields and the base
 * version from the snapshot. A row without a snapshot entry is not part of this report.
 */
export function changedWrites<S extends RowKindSpec>(
  spec: S,
  rows: readonly SheetRow<S>[],
  snapshot: Readonly<Record<string, StoredValues<S>>>,
): { writes: PendingWrite<RowWrite<S>>[]; problems: SheetProblem[] } {
  const writes: PendingWrite<RowWrite<S>>[] = [];
  const problems: SheetProblem[] = [];
  for (const r of rows) {
    const before = snapshot[String(r.id)] as (StoredValues<S> & Record<string, FieldValue>) | undefined;
    if (!before) {
      problems.push(tampered(r.row));
      continue;
    }
    const changed = fieldNames(spec).filter((f) => r.values[f] !== undefined && !sameValue(r.values[f]!, before[f]));
    if (changed.length > 0) {
      const write = { [spec.idKey]: r.id, baseVersion: before.version, ...Object.fromEntries(changed.map((f) => [f, r.values[f]])) };
      writes.push({ row: r.row, write: write as RowWrite<S> });
    }
  }
  return { writes, problems };
}

/** What was read of every row of a report (or a write's answer): the base for the next diff. */
export function snapshotOf(report: { [K in RowKind]: ReadonlyArray<{ readonly version: number; readonly [key: string]: unknown }> }): Snapshot {
  const snapshot = {} as Record<RowKind, Record<string, unknown>>;
  for (const kind of ROW_KINDS) {
    const spec = REPORT_ROW_KINDS[kind];
    snapshot[kind] = Object.fromEntries(report[kind].map((row) => [String(row[spec.idKey]), storedValuesOf(spec, row)]));
  }
  return snapshot as Snapshot;
}

/**
 * Maps the API's row details (section + index in what was sent) back to sheet rows, so that
 * errors land next to the row the user typed in.
 */
export function detailsToSheetRows(details: readonly ErrorDetail[], sent: { [K in RowKind]: readonly PendingWrite<unknown>[] }): SheetProblem[] {
  return details.flatMap((d) => {
    const kind = ROW_KINDS.find((k) => k === d.section);
    const pending = kind && typeof d.index === 'number' ? sent[kind][d.index] : undefined;
    if (!pending) return [];
    const message = d.message.startsWith('Rad ')
      ? d.message
      : `Rad ${pending.row}, ${d.field && !d.message.startsWith(fieldLabel(d.field)) ? `${fieldLabel(d.field)}: ` : ''}${d.message}`;
    return [{ ...d, row: pending.row, message }];
  });
}
