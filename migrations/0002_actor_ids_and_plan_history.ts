import { Kysely, sql } from 'kysely';

/**
 * One meaning for who changed something: `changed_by` / `submitted_by` hold the user id (the
 * token's `sub`), the name shown to people sits beside it (`…_name`). Until now org_indicator
 * and report kept the display name in the id column; those names move beside it.
 *
 * The plan's history (every årsmål change: who, when, from, to), and the årsmål a handed-in
 * report keeps once the plan's årsmål change after it was handed in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('org_indicator').addColumn('changed_by_name', 'text').execute();
  // The user id behind an old name is unknown; only the plan import had a fixed one.
  await sql`
    update org_indicator
    set changed_by_name = case when changed_by = 'import' then 'Planimport' else changed_by end,
        changed_by = case when changed_by = 'import' then 'import' else null end
    where changed_by is not null`.execute(db);

  await db.schema.alterTable('report').addColumn('submitted_by_name', 'text').execute();
  // The submitter's id is in the report's history (the state change to submitted).
  await sql`
    update report as r
    set submitted_by_name = r.submitted_by,
        submitted_by = (
          select h.changed_by from change_history h
          where h.report_id = r.id and h.entity = 'report' and h.field = 'state' and h.new_value = 'submitted'
          order by h.id desc limit 1
        )
    where r.submitted_by is not null`.execute(db);

  // Append-only, like change_history; organisation_code null is KF's plan.
  await db.schema
    .createTable('plan_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('organisation_code', 'text', (c) => c.references('organisation.code'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('indicator')`))
    .addColumn('entity_id', 'integer')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('plan_history_plan').on('plan_history').columns(['year', 'organisation_code', 'id']).execute();

  // Set when the plan's årsmål change after the report was handed in (submitted or its period
  // locked): the targets its statuses were computed against. Cleared when the report opens again.
  await db.schema
    .alterTable('indicator_result')
    .addColumn('targets_fixed_at', 'timestamptz')
    .addColumn('fixed_kf_target', 'numeric')
    .addColumn('fixed_org_target', 'numeric')
    .execute();
  await sql`
    alter table indicator_result add constraint indicator_result_fixed_targets
    check (targets_fixed_at is not null or (fixed_kf_target is null and fixed_org_target is null))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
