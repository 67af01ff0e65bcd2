import { Kysely, sql } from 'kysely';

/**
 * Intern kontroll in the verksamhetsplan (DOMAIN.md, "Internal control").
 *
 * - `ic_risk`: an organisation's risk of a year (väsentlighets- och riskanalys), identified by
 *   its code within the organisation and year: process, description, probability and
 *   consequence 1–4 (the risk value, their product, is computed, not stored), the decision
 *   (accept / act / control) and the action.
 * - `ic_control`: a control of the internkontrollplan, on one risk of the same organisation and
 *   year, identified by its code within them: what is checked, method, frequency, responsible,
 *   and the periods it is reported in (T2, VB or both).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ic_risk')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('year', 'integer', (c) => c.notNull().references('budget_year.year'))
    .addColumn('organisation_code', 'text', (c) => c.notNull().references('organisation.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull().check(sql`probability between 1 and 4`))
    .addColumn('consequence', 'integer', (c) => c.notNull().check(sql`consequence between 1 and 4`))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('accept', 'act', 'control')`))
    .addColumn('action', 'text')
    .addUniqueConstraint('ic_risk_code', ['year', 'organisation_code', 'code'])
    .execute();
  await db.schema.createIndex('ic_risk_organisation').on('ic_risk').columns(['organisation_code', 'year']).execute();

  await db.schema
    .createTable('ic_control')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('risk_id', 'integer', (c) => c.notNull().references('ic_risk.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('organisation_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('checked', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('reporting_periods', sql`text[]`, (c) => c.notNull().check(sql`cardinality(reporting_periods) between 1 and 2 and reporting_periods <@ array['T2', 'VB']::text[]`))
    .addUniqueConstraint('ic_control_code', ['year', 'organisation_code', 'code'])
    .execute();
  await db.schema.createIndex('ic_control_risk').on('ic_control').column('risk_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
