import { Kysely, sql } from 'kysely';

/**
 * The report history: one row per changed row (or per change of the report's state), its field
 * changes in `changes` as `{"field": [old, new], …}` (values as text, exactly as the columns
 * print them, null as JSON null). Before, each changed field was a row of its own, and a
 * 2,000-row write appended 6,000 rows, each checked against `report` by a foreign key.
 *
 * - Existing rows keep their ids (the order of the history) and become one-field changes.
 * - No foreign key on `report_id`: the writer takes it from the report row it holds locked in
 *   the same transaction, and reports are never deleted (nothing in the API deletes one).
 * - Queryable per field: `select h.*, f.key as field, f.value->>0 as old_value, f.value->>1 as
 *   new_value from change_history h cross join lateral jsonb_each(h.changes) f`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table change_history add column changes jsonb`.execute(db);
  await sql`update change_history set changes = jsonb_build_object(field, jsonb_build_array(old_value, new_value))`.execute(db);
  await sql`alter table change_history alter column changes set not null`.execute(db);
  await sql`alter table change_history drop column field, drop column old_value, drop column new_value`.execute(db);
  await sql`alter table change_history add constraint change_history_changes_object check (jsonb_typeof(changes) = 'object')`.execute(db);
  // Named by PostgreSQL when migration 0001 declared the reference inline.
  await sql`alter table change_history drop constraint if exists change_history_report_id_fkey`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
