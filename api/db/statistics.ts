import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

type Db = Kysely<Database>;
type Table = keyof Database & string;

/**
 * The planner's statistics, refreshed where the data grows in bulk. PostgreSQL's autovacuum
 * gets to a table a minute or more after it grew, and PGlite has no autovacuum at all: a table
 * last analysed when it was smaller makes the planner expect one row where there are 20,000,
 * and a bulk write then runs as a nested loop for minutes (docs/performance.md). ANALYZE reads
 * a sample of at most 30,000 rows per table (default_statistics_target 100), so it costs tens
 * of milliseconds whatever the table's size.
 */

/** What a plan import (or the demo seed) writes. */
export const PLAN_TABLES: readonly Table[] = [
  'organisation',
  'budget_year',
  'period',
  'direction_goal',
  'kf_goal',
  'indicator',
  'org_indicator',
  'org_goal',
  'activity',
  'org_activity',
  'commission',
  'commission_participant',
];

/** The report rows a first read of a report creates (report-queries.ts ensureReport). */
export const REPORT_ROW_TABLES: readonly Table[] = ['report', 'indicator_result', 'goal_assessment', 'activity_followup', 'commission_followup'];

/** Rows created at once above which the report row tables are analysed right away. */
export const ANALYZE_AFTER_ROWS = 1_000;

/** ANALYZE of these tables (all of the database's when none are named). */
export async function refreshStatistics(db: Db, tables?: readonly Table[]): Promise<void> {
  if (tables && tables.length === 0) return;
  await (tables ? sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}` : sql`analyze`).execute(db);
}

/** Refreshes the report row tables' statistics when a first read created many rows at once. */
export async function refreshAfterRowsCreated(db: Db, created: number): Promise<void> {
  if (created >= ANALYZE_AFTER_ROWS) await refreshStatistics(db, REPORT_ROW_TABLES);
}
