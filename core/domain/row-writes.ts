import type { FieldValue } from '../rows/row-kind';
import { roundForCompare } from './numbers';

export type { FieldValue };

export interface FieldChange<K extends string> {
  field: K;
  old: FieldValue;
  new: FieldValue;
}

/** One row of a batch: its place in the batch, its key, the version it was read at, the fields sent. */
export interface KeyedWrite<V extends Record<string, FieldValue>> {
  index: number;
  id: number;
  baseVersion: number;
  /** Only the fields the client sent; omitted fields stay as they are. */
  values: Partial<V>;
}

export type StoredRow<V extends Record<string, FieldValue>> = V & { version: number };

export interface PlannedChange<V extends Record<string, FieldValue>> {
  index: number;
  id: number;
  baseVersion: number;
  /** Every field as it will be stored. */
  next: V;
  changes: FieldChange<keyof V & string>[];
}

export interface WritePlan<V extends Record<string, FieldValue>> {
  unknown: KeyedWrite<V>[];
  stale: { write: KeyedWrite<V>; current: StoredRow<V> }[];
  changes: PlannedChange<V>[];
}

export function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return roundForCompare(a) === roundForCompare(b);
  return a === b;
}

/**
 * Decides what a batch does to stored rows, without touching them: rows that do not exist,
 * rows written on a stale version, and the field changes of the rest. A row equal to what is
 * stored is a no-op, whatever its base version: nothing would be lost by it.
 */
export function planRowWrites<V extends Record<string, FieldValue>>(
  fields: readonly (keyof V & string)[],
  writes: ReadonlyArray<KeyedWrite<V>>,
  current: ReadonlyMap<number, StoredRow<V>>,
): WritePlan<V> {
  const plan: WritePlan<V> = { unknown: [], stale: [], changes: [] };
  for (const write of writes) {
    const stored = current.get(write.id);
    if (!stored) {
      plan.unknown.push(write);
      continue;
    }
    const changes: FieldChange<keyof V & string>[] = [];
    const next = {} as V;
    for (const field of fields) {
      const wanted = (field in write.values ? write.values[field] : stored[field]) as V[typeof field];
      next[field] = wanted;
      if (!sameValue(wanted, stored[field])) changes.push({ field, old: stored[field], new: wanted });
    }
    if (changes.length === 0) continue;
    if (write.baseVersion !== stored.version) plan.stale.push({ write, current: stored });
    else plan.changes.push({ index: write.index, id: write.id, baseVersion: write.baseVersion, next, changes });
  }
  return plan;
}
