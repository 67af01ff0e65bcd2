import { Kysely, sql } from 'kysely';

/**
 * The verksamhetsplan's state and KS's ambition loop (DOMAIN.md, "The verksamhetsplan and KS's
 * review").
 *
 * - `org_plan`: an organisation's plan of a year, `draft` → `submitted` → `approved`, or back
 *   to `draft` by the centre. No row is a draft at version 0; the row is made at the first
 *   change of state. Each change of state is in `plan_history` (entity `plan`, field `state`).
 * - `ambition_request`: the centre's request that an organisation return with a more ambitious
 *   årsmål, one per organisation, indicator and year; `open` (sent, or repeated) → `answered`
 *   (a motivation) → `accepted`, or `met` when the årsmål is no longer below KF's. Its version
 *   counts the changes; `ambition_request_event` keeps every step with who and when.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('org_plan')
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'submitted', 'approved')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('org_plan_pk', ['year', 'organisation_code'])
    .execute();

  await sql`alter table plan_history drop constraint plan_history_entity_check`.execute(db);
  await sql`alter table plan_history add constraint plan_history_entity_check check (entity in ('indicator', 'plan'))`.execute(db);

  await db.schema
    .createTable('ambition_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'answered', 'met', 'accepted')`))
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('motivation', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_by_name', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('closed_by_name', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('ambition_request_target', ['year', 'organisation_code', 'indicator_id'])
    .execute();
  await db.schema.createIndex('ambition_request_indicator').on('ambition_request').column('indicator_id').execute();

  // Append-only, like the histories.
  await db.schema
    .createTable('ambition_request_event')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('ambition_request.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('requested', 'repeated', 'answered', 'accepted', 'met')`))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('org_target', 'numeric')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('http_request_id', 'text')
    .execute();
  await db.schema.createIndex('ambition_request_event_request').on('ambition_request_event').columns(['request_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
