import { sql, type Kysely } from 'kysely';
import type { Database } from '../../api/db/schema';

const TABLES = [
  'organisation',
  'budget_year',
  'direction_goal',
  'kf_goal',
  'org_goal',
  'indicator',
  'activity',
  'org_indicator',
  'period',
  'report',
  'indicator_result',
  'goal_assessment',
  'org_activity',
  'commission',
  'commission_participant',
  'activity_followup',
  'commission_followup',
  'change_history',
  'plan_history',
  'idempotency_key',
  'ic_risk',
  'ic_control',
  'control_followup',
  'ic_assessment',
] as const;

/** Every row of every table, in a stable order: equal snapshots mean nothing was written. */
export async function databaseSnapshot(db: Kysely<Database>): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t order by t::text`.execute(db);
    parts.push(`${table}:${rows.rows.map((r) => r.row).join('\n')}`);
  }
  return parts.join('\n--\n');
}
