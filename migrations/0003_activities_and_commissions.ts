import { Kysely, sql } from 'kysely';

/**
 * Activities and uppdrag (DOMAIN.md, "Activities and uppdrag").
 *
 * - An activity gets optional start and end dates; a KF activity names the organisations that
 *   report on it (`org_activity`); a nämnd's own activity is reported by the organisation that
 *   owns its nämndmål.
 * - An uppdrag (`commission`) is given by KF or KS in a year, to one responsible organisation
 *   with any number taking part; it is identified by its code and the year it was given, and
 *   runs over years until it is reported back.
 * - Their follow-up per report: `activity_followup` and `commission_followup`, in the write
 *   engine's column convention (key, fields, version, who and when).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activity').addColumn('start_date', 'date').addColumn('end_date', 'date').execute();
  await sql`alter table activity add constraint activity_dates check (start_date is null or end_date is null or start_date <= end_date)`.execute(db);
  // The importer matches an activity by its parent and code; hold it to that.
  await sql`create unique index activity_kf_goal_code on activity (kf_goal_id, code) where kf_goal_id is not null`.execute(db);
  await sql`create unique index activity_org_goal_code on activity (org_goal_id, code) where org_goal_id is not null`.execute(db);

  await db.schema
    .createTable('org_activity')
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('org_activity_pk', ['organisation_code', 'activity_id'])
    .execute();
  await db.schema.createIndex('org_activity_activity').on('org_activity').column('activity_id').execute();

  await db.schema
    .createTable('commission')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('year_given', 'integer', (c) => c.notNull().check(sql`year_given between 2000 and 2100`))
    .addColumn('given_by', 'text', (c) => c.notNull().check(sql`given_by in ('KF', 'KS')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('deadline', 'date')
    .addColumn('responsible_organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addUniqueConstraint('commission_code_year', ['code', 'year_given'])
    .execute();
  await db.schema.createIndex('commission_responsible').on('commission').columns(['responsible_organisation_code', 'year_given']).execute();

  await db.schema
    .createTable('commission_participant')
    .addColumn('commission_id', 'integer', (c) => c.notNull().references('commission.id').onDelete('cascade'))
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addPrimaryKeyConstraint('commission_participant_pk', ['commission_id', 'organisation_code'])
    .execute();

  await db.schema
    .createTable('activity_followup')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.check(sql`state in ('not_started', 'ongoing', 'done', 'cancelled')`))
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('activity_followup_pk', ['report_id', 'activity_id'])
    .execute();
  await db.schema.createIndex('activity_followup_activity').on('activity_followup').column('activity_id').execute();

  await db.schema
    .createTable('commission_followup')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('commission_id', 'integer', (c) => c.notNull().references('commission.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.check(sql`state in ('not_started', 'ongoing', 'done', 'reported')`))
    .addColumn('text', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('commission_followup_pk', ['report_id', 'commission_id'])
    .execute();
  await db.schema.createIndex('commission_followup_commission').on('commission_followup').column('commission_id').execute();

  // The history names the new row kinds.
  await sql`alter table change_history drop constraint change_history_entity_check`.execute(db);
  await sql`
    alter table change_history add constraint change_history_entity_check
    check (entity in ('indicator', 'goal', 'activity', 'commission', 'report'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
