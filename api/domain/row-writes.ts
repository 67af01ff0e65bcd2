import { roundForCompare } from './numbers';

export type FieldValue = number | string | null;

export interface FieldChange<K extends string> {
  field: K;
  old: FieldValue;
  new: FieldValue;
}

export interface RowWrite<K extends string> {
  index: number;
  id: number;
  baseVersion: number;
  /** Only the fields the client sent; omitted fields stay as they are. */
  values: Partial<Record<K, FieldValue>>;
}

export type StoredRow<K extends string> = Record<K, FieldValue> & { version: number };

export interface PlannedChange<K extends string> {
  index: number;
  id: number;
  baseVersion: number;
  next: Record<K, FieldValue>;
  changes: FieldChange<K>[];
}

export interface WritePlan<K extends string> {
  unknown: RowWrite<K>[];
  stale: { write: RowWrite<K>; current: StoredRow<K> }[];
  changes: PlannedChange<K>[];
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
export function planRowWrites<K extends string>(
  fields: readonly K[],
  writes: ReadonlyArray<RowWrite<K>>,
  current: ReadonlyMap<number, StoredRow<K>>,
): WritePlan<K> {
  const plan: WritePlan<K> = { unknown: [], stale: [], changes: [] };
  for (const write of writes) {
    const stored = current.get(write.id);
    if (!stored) {
      plan.unknown.push(write);
      continue;
    }
    const changes: FieldChange<K>[] = [];
    const next = {} as Record<K, FieldValue>;
    for (const field of fields) {
      const wanted = field in write.values ? (write.values[field] as FieldValue) : stored[field];
      next[field] = wanted;
      if (!sameValue(wanted, stored[field])) changes.push({ field, old: stored[field], new: wanted });
    }
    if (changes.length === 0) continue;
    if (write.baseVersion !== stored.version) plan.stale.push({ write, current: stored });
    else plan.changes.push({ index: write.index, id: write.id, baseVersion: write.baseVersion, next, changes });
  }
  return plan;
}
