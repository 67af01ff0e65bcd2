import { Kysely, sql } from 'kysely';

/**
 * The whole ILS model: organisations, the goal hierarchy per budget year, indicators with
 * KF and organisation årsmål, periods and reports, results, goal assessments, history and
 * idempotency keys. Values are `numeric`; enums are check constraints.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('stadsdelsnamnd', 'facknamnd', 'bolag')`))
    .execute();

  await db.schema
    .createTable('budget_year')
    .addColumn('year', 'integer', (c) => c.primaryKey().check(sql`year between 2000 and 2100`))
    .addColumn('partial_threshold_percent', 'numeric', (c) =>
      c
        .notNull()
        .defaultTo(80)
        .check(sql`partial_threshold_percent > 0 and partial_threshold_percent < 100`),
    )
    .execute();

  await db.schema
    .createTable('direction_goal')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addUniqueConstraint('direction_goal_year_code', ['year', 'code'])
    .execute();

  await db.schema
    .createTable('kf_goal')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('direction_goal_id', 'integer', (c) => c.notNull().references('direction_goal.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addUniqueConstraint('kf_goal_year_code', ['year', 'code'])
    .execute();

  await db.schema
    .createTable('org_goal')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('kf_goal_id', 'integer', (c) => c.notNull().references('kf_goal.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addUniqueConstraint('org_goal_year_org_code', ['year', 'organisation_code', 'code'])
    .execute();

  await db.schema
    .createTable('indicator')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    // KF-owned indicators hang under a KF goal; an organisation's own indicators under its goal.
    .addColumn('kf_goal_id', 'integer', (c) => c.references('kf_goal.id'))
    .addColumn('org_goal_id', 'integer', (c) => c.references('org_goal.id'))
    .addColumn('owner_organisation_code', 'text', (c) => c.references('organisation.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('higher', 'lower', 'band')`))
    .addColumn('tolerance', 'numeric', (c) => c.check(sql`tolerance >= 0`))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('tertial', 'annual')`))
    .addColumn('source', 'text')
    .addColumn('kf_annual_target', 'numeric')
    .addColumn('partial_threshold_percent', 'numeric', (c) => c.check(sql`partial_threshold_percent > 0 and partial_threshold_percent < 100`))
    .addCheckConstraint('indicator_band_has_tolerance', sql`direction <> 'band' or tolerance is not null`)
    .addCheckConstraint(
      'indicator_owner',
      sql`(owner_organisation_code is null and kf_goal_id is not null and org_goal_id is null)
       or (owner_organisation_code is not null and org_goal_id is not null)`,
    )
    .execute();
  await sql`create unique index indicator_kf_code on indicator (year, code) where owner_organisation_code is null`.execute(db);
  await sql`create unique index indicator_org_code on indicator (year, owner_organisation_code, code) where owner_organisation_code is not null`.execute(db);

  await db.schema
    .createTable('activity')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('kf_goal_id', 'integer', (c) => c.references('kf_goal.id'))
    .addColumn('org_goal_id', 'integer', (c) => c.references('org_goal.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addCheckConstraint('activity_one_parent', sql`(kf_goal_id is null) <> (org_goal_id is null)`)
    .execute();

  // Which organisation reports on which indicator, and the organisation's own årsmål for it.
  await db.schema
    .createTable('org_indicator')
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
    .addColumn('annual_target', 'numeric')
    .addColumn('changed_by', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('org_indicator_pk', ['organisation_code', 'indicator_id'])
    .execute();

  await db.schema
    .createTable('period')
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code in ('T1', 'T2', 'VB')`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open', 'locked')`),
    )
    .addColumn('deadline', 'timestamptz')
    .addPrimaryKeyConstraint('period_pk', ['year', 'code'])
    .execute();

  await db.schema
    .createTable('report')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open', 'submitted')`),
    )
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_by', 'text')
    .addForeignKeyConstraint('report_period_fk', ['year', 'period'], 'period', ['year', 'code'])
    .addUniqueConstraint('report_year_period_org', ['year', 'period', 'organisation_code'])
    .execute();

  await db.schema
    .createTable('indicator_result')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
    .addColumn('outcome', 'numeric')
    .addColumn('forecast', 'numeric')
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) => c.check(sql`status in ('helt', 'delvis', 'ej')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('indicator_result_pk', ['report_id', 'indicator_id'])
    .execute();

  await db.schema
    .createTable('goal_assessment')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('org_goal_id', 'integer', (c) => c.notNull().references('org_goal.id').onDelete('cascade'))
    .addColumn('suggested', 'text', (c) => c.check(sql`suggested in ('helt', 'delvis', 'ej')`))
    .addColumn('assessment', 'text', (c) => c.check(sql`assessment in ('helt', 'delvis', 'ej')`))
    .addColumn('motivation', 'text')
    .addColumn('analysis', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz')
    .addPrimaryKeyConstraint('goal_assessment_pk', ['report_id', 'org_goal_id'])
    .execute();

  // Append-only: the application only ever inserts here.
  await db.schema
    .createTable('change_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('indicator', 'goal', 'report')`))
    .addColumn('entity_id', 'integer')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_by_name', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('change_history_report').on('change_history').columns(['report_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_key')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_key_pk', ['subject', 'key'])
    .execute();

  await db.schema.createIndex('org_goal_org').on('org_goal').columns(['organisation_code', 'year']).execute();
  await db.schema.createIndex('indicator_kf_goal').on('indicator').column('kf_goal_id').execute();
  await db.schema.createIndex('org_indicator_indicator').on('org_indicator').column('indicator_id').execute();
  await db.schema.createIndex('indicator_result_indicator').on('indicator_result').column('indicator_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
