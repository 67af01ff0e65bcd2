import { sql, type Kysely } from 'kysely';
import { fieldNames, type RowKindSpec } from '../../core/rows/row-kind';
import { REPORT_ROW_KINDS } from '../../core/rows/report-rows';
import type { Database, HistoryChanges } from './schema';

type Db = Kysely<Database>;

/** Who writes: the user id (`sub`, what `changed_by` holds everywhere), the name shown, the request. */
export interface Actor {
  sub: string;
  name: string;
  requestId: string | null;
}

export interface HistoryEntry {
  entity: Database['change_history']['entity'];
  entityId: number | null;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

/** The fields of each history entity in the order their specs list them (the order of a row's entries in the history). */
const FIELD_ORDER: ReadonlyMap<string, readonly string[]> = new Map([
  ...Object.values(REPORT_ROW_KINDS).map((spec) => [spec.historyEntity, fieldNames(spec as RowKindSpec)] as const),
  ['report', ['state']] as const,
]);

/** A history row's changes as entries, in the spec's field order (fields it does not know after, by name). */
export function historyFields(entity: string, changes: HistoryChanges): Array<{ field: string; oldValue: string | null; newValue: string | null }> {
  const known = FIELD_ORDER.get(entity) ?? [];
  const fields = [
    ...known.filter((f) => f in changes),
    ...Object.keys(changes)
      .filter((f) => !known.includes(f))
      .sort(),
  ];
  return fields.map((field) => ({ field, oldValue: changes[field]![0], newValue: changes[field]![1] }));
}

/** Appends entries; consecutive entries of the same entity and row become one history row. */
export async function appendHistory(db: Db, reportId: number, entries: HistoryEntry[], actor: Actor): Promise<void> {
  const rows: { entity: HistoryEntry['entity']; entityId: number | null; changes: HistoryChanges }[] = [];
  for (const e of entries) {
    const last = rows.at(-1);
    const row = last && last.entity === e.entity && last.entityId === e.entityId && !(e.field in last.changes) ? last : undefined;
    if (row) row.changes[e.field] = [e.oldValue, e.newValue];
    else rows.push({ entity: e.entity, entityId: e.entityId, changes: { [e.field]: [e.oldValue, e.newValue] } });
  }
  if (rows.length === 0) return;
  await sql`
    insert into change_history (report_id, entity, entity_id, changes, changed_by, changed_by_name, request_id)
    select ${reportId}, v.entity, v.entity_id, v.changes, ${actor.sub}, ${actor.name}, ${actor.requestId}
    from unnest(${rows.map((r) => r.entity)}::text[], ${rows.map((r) => r.entityId)}::int[], ${rows.map((r) => JSON.stringify(r.changes))}::jsonb[])
      as v(entity, entity_id, changes)`.execute(db);
}

/** The report's history, one entry per changed field, in the order it was written. */
export async function loadHistory(db: Db, reportId: number) {
  const rows = await db
    .selectFrom('change_history as h')
    .leftJoin('indicator as i', (j) => j.onRef('i.id', '=', 'h.entity_id').on('h.entity', '=', 'indicator'))
    .leftJoin('org_goal as og', (j) => j.onRef('og.id', '=', 'h.entity_id').on('h.entity', '=', 'goal'))
    .leftJoin('activity as a', (j) => j.onRef('a.id', '=', 'h.entity_id').on('h.entity', '=', 'activity'))
    .leftJoin('commission as c', (j) => j.onRef('c.id', '=', 'h.entity_id').on('h.entity', '=', 'commission'))
    .leftJoin('ic_control as k', (j) => j.onRef('k.id', '=', 'h.entity_id').on('h.entity', '=', 'control'))
    .select([
      'h.changed_at',
      'h.changed_by',
      'h.changed_by_name',
      'h.entity',
      'h.entity_id',
      sql<string | null>`coalesce(i.code, og.code, a.code, c.code, k.code)`.as('entity_code'),
      'h.changes',
      'h.request_id',
    ])
    .where('h.report_id', '=', reportId)
    .orderBy('h.id')
    .execute();
  return rows.flatMap((r) =>
    historyFields(r.entity, r.changes).map(({ field, oldValue, newValue }) => ({
      at: new Date(r.changed_at).toISOString(),
      by: r.changed_by,
      byName: r.changed_by_name,
      entity: r.entity,
      entityId: r.entity_id,
      entityCode: r.entity_code,
      field,
      oldValue,
      newValue,
      requestId: r.request_id,
    })),
  );
}
