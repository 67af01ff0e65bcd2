import { Kysely, sql } from 'kysely';

/**
 * The follow-up of intern kontroll in reports (DOMAIN.md, "Internal control"), in the write
 * engine's column convention (key, fields, version, who and when):
 *
 * - `control_followup`: per report (T2 or VB) and control reported in that period: performed
 *   (`yes` | `no`), result (`no_deviation` | `deviation`), findings, the action taken, and the
 *   reason a control was not performed;
 * - `ic_assessment`: the verksamhetsberättelse's assessment of the internal control, one row per
 *   report keyed by the report itself: `sufficient` | `partly` | `insufficient`, and the
 *   motivation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('control_followup')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('control_id', 'integer', (c) => c.notNull().references('ic_control.id').onDelete('cascade'))
    .addColumn('performed', 'text', (c) => c.check(sql`performed in ('yes', 'no')`))
    .addColumn('result', 'text', (c) => c.check(sql`result in ('no_deviation', 'deviation')`))
    .addColumn('findings', 'text')
    .addColumn('action_taken', 'text')
    .addColumn('reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('control_followup_pk', ['report_id', 'control_id'])
    .execute();
  await db.schema.createIndex('control_followup_control').on('control_followup').column('control_id').execute();

  await db.schema
    .createTable('ic_assessment')
    .addColumn('report_id', 'integer', (c) => c.primaryKey().references('report.id').onDelete('cascade'))
    .addColumn('judgement', 'text', (c) => c.check(sql`judgement in ('sufficient', 'partly', 'insufficient')`))
    .addColumn('motivation', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .execute();

  // The history names the new row kinds.
  await sql`alter table change_history drop constraint change_history_entity_check`.execute(db);
  await sql`
    alter table change_history add constraint change_history_entity_check
    check (entity in ('indicator', 'goal', 'activity', 'commission', 'control', 'internal_control', 'report'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
