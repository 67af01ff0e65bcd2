import { sql, type Kysely } from 'kysely';
import { fieldNames, type FieldName, type FieldValue, type RowKindSpec } from '../../core/rows/row-kind';
import type { Actor } from './history-queries';
import type { Database } from './schema';
import { num } from './values';

type Db = Kysely<Database>;

/**
 * The write engine for every row kind, driven by its spec: a report's rows of one kind,
 * written in one statement each batch. Arrays go in through unnest; a row is written only if
 * its version is still the base version; one history row per changed row (its changed fields
 * with old and new values) is appended by the same statement.
 */
export interface VersionedRowWrite {
  id: number;
  baseVersion: number;
  /** Every input field and derived column of the spec, as it is to be stored. */
  values: Record<string, FieldValue>;
}

export interface WrittenRow {
  id: number;
  /** The input fields and derived columns as stored (numbers as numbers). */
  values: Record<string, FieldValue>;
  version: number;
  /** The name shown for who changed it. */
  changedBy: string | null;
  changedAt: string | null;
}

/** A field's column: the spec's camelCase name in snake_case. */
export const columnOf = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const sqlTypeOf = (spec: RowKindSpec, name: string): 'numeric' | 'text' => (spec.fields[name]?.type === 'number' ? 'numeric' : 'text');

/** The select list of a kind's input fields from its table under `alias`, each as the field's name. */
export const selectFields = <S extends RowKindSpec>(spec: S, alias: string) =>
  fieldNames(spec).map((f: FieldName<S>) => sql<string | number | null>`${sql.ref(`${alias}.${columnOf(f)}`)}`.as(f));

/** A kind's input fields from a selected row, numbers as numbers. */
export function fieldsFromDb(spec: RowKindSpec, row: Readonly<Record<string, unknown>>): Record<string, FieldValue> {
  return Object.fromEntries(
    fieldNames(spec).map((f) => {
      const value = (row[f] ?? null) as string | number | null;
      return [f, sqlTypeOf(spec, f) === 'numeric' ? num(value) : value];
    }),
  );
}

/**
 * Arrays go in as one bind parameter each, so a batch of any size stays far under the engines'
 * parameter limits. The old values come from the same statement's snapshot (the table joined
 * to itself in FROM, read before the update), so each row's history is built from the update's
 * own RETURNING: no second pass over the rows, and no join between two CTEs, whose row counts
 * the planner can only guess (with statistics from a smaller year it guessed one row and ran
 * that join as a nested loop, quadratic in the batch).
 */
export async function updateVersionedRows(db: Db, spec: RowKindSpec, reportId: number, rows: readonly VersionedRowWrite[], actor: Actor): Promise<WrittenRow[]> {
  if (rows.length === 0) return [];
  const result = await withPlanGuard(db, rows.length, (conn) => versionedUpdate(spec, reportId, rows, actor).execute(conn));
  // A row is stored as it was sent: numbers go in as their shortest decimal text and numeric keeps
  // them exactly, so the values need not come back. Keys and versions come back as one JSON text
  // (a value per row and column costs PGlite far more), with the statement's time (now(), as iso() shows it).
  const { written, changed_at: changedAt } = result.rows[0]!;
  const columns = [...fieldNames(spec), ...spec.derived];
  const sent = new Map(rows.map((r) => [r.id, r.values]));
  return (JSON.parse(written ?? '[]') as [number, number][]).map(([id, version]) => {
    const values = sent.get(id)!;
    return { id, values: Object.fromEntries(columns.map((c) => [c, values[c] ?? null])), version, changedBy: actor.name, changedAt };
  });
}

/** Batches from this size are planned without nested loops (a nested loop at this size is ≈ 10⁶ comparisons). */
export const NO_NESTED_LOOPS_FROM = 1_000;

/**
 * Runs `statement` for a batch of `size` rows; from NO_NESTED_LOOPS_FROM rows without nested
 * loops. With statistics older than the report's rows the planner expects one row of the report
 * and may loop over the whole batch once per row (minutes at 20,000 rows); hash joins are linear
 * whatever the statistics say. The setting holds for this statement only (in a transaction of
 * its own when the caller has none).
 */
export async function withPlanGuard<T>(db: Db, size: number, statement: (db: Db) => Promise<T>): Promise<T> {
  if (size < NO_NESTED_LOOPS_FROM) return statement(db);
  if (!db.isTransaction) return db.transaction().execute((trx) => withPlanGuard(trx, size, statement));
  const { rows } = await sql<{ setting: string }>`select current_setting('enable_nestloop') as setting, set_config('enable_nestloop', 'off', true)`.execute(db);
  const result = await statement(db);
  // (A failed statement aborts the transaction, and its rollback undoes the setting.)
  await sql`select set_config('enable_nestloop', ${rows[0]!.setting}, true)`.execute(db);
  return result;
}

/** The versioned update of a batch with its history, as one statement (answers the written keys and versions as JSON). */
export function versionedUpdate(spec: RowKindSpec, reportId: number, rows: readonly VersionedRowWrite[], actor: Actor) {
  const fields = fieldNames(spec);
  const columns = [...fields, ...spec.derived];
  const key = sql.id(spec.keyColumn);
  const table = sql.table(spec.table);
  const arrays = sql.join([
    sql`${rows.map((r) => r.id)}::int[]`,
    sql`${rows.map((r) => r.baseVersion)}::int[]`,
    ...columns.map((c) => sql`${rows.map((r) => r.values[c] ?? null)}::${sql.raw(sqlTypeOf(spec, c))}[]`),
  ]);
  const names = sql.join([sql.id('id'), sql.id('base_version'), ...columns.map((c) => sql.id(columnOf(c)))]);
  const sets = sql.join(columns.map((c) => sql`${sql.id(columnOf(c))} = v.${sql.id(columnOf(c))}`));
  // {"field": [old, new]} for every field whose stored value changed.
  const changes = sql.join(
    fields.map((f) => {
      const c = sql.id(columnOf(f));
      return sql`case when o.${c} is distinct from t.${c} then jsonb_build_object(${sql.lit(f)}, jsonb_build_array(o.${c}::text, t.${c}::text)) else '{}'::jsonb end`;
    }),
    sql` || `,
  );
  return sql<{ written: string | null; changed_at: string | null }>`
    with v as (select * from unnest(${arrays}) as v(${names})),
    u as (
      update ${table} as t set ${sets},
        version = t.version + 1, changed_by = ${actor.sub}, changed_by_name = ${actor.name}, changed_at = now()
      from v join ${table} as o on o.report_id = ${reportId} and o.${key} = v.id
      where t.report_id = ${reportId} and t.${key} = v.id and t.version = v.base_version
      returning t.${key} as id, t.version, t.changed_at, ${changes} as changes
    ),
    h as (
      insert into change_history (report_id, entity, entity_id, changes, changed_by, changed_by_name, request_id)
      select ${reportId}, ${sql.lit(spec.historyEntity)}, u.id, u.changes, ${actor.sub}, ${actor.name}, ${actor.requestId}
      from u where u.changes <> '{}'::jsonb
    )
    select (select json_agg(json_build_array(id, version))::text from u) as written,
      to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as changed_at`;
}
