import { sql } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { migrateToLatest } from '../../api/db/migrate';
import { importPlan } from '../../api/db/plan-import';
import { seedDemoIfEmpty } from '../../api/db/seed';
import { reportPath } from '../../bench/http';
import { syntheticPlan } from '../../bench/synthetic-plan';

/** A 5,000-row report of one organisation: big enough that a write takes a while. */
export const BIG = { year: 2032, organisation: 'fn-kultur', period: 'T1', rows: 5000 } as const;
export const BIG_PATH = reportPath(BIG.year, BIG.organisation, BIG.period);

export async function prepareBigReport(database: DatabaseHandle): Promise<void> {
  await migrateToLatest(database.db);
  await seedDemoIfEmpty(database.db);
  await importPlan(database.db, syntheticPlan(BIG.year, BIG.organisation, BIG.rows));
}

export interface StoredState {
  rows: { indicatorId: number; outcome: number | null; version: number }[];
  history: number;
}

/** The big report's rows and history as stored (empty before the report is first read). */
export async function storedState(database: DatabaseHandle): Promise<StoredState> {
  const { rows } = await sql<{ indicator_id: number; outcome: string | null; version: number }>`
    select r.indicator_id, r.outcome, r.version from indicator_result r join report rep on rep.id = r.report_id
    where rep.year = ${BIG.year} and rep.organisation_code = ${BIG.organisation} and rep.period = ${BIG.period}
    order by r.indicator_id`.execute(database.db);
  const { rows: history } = await sql<{ n: string }>`
    select count(*) as n from change_history h join report rep on rep.id = h.report_id
    where rep.year = ${BIG.year} and rep.organisation_code = ${BIG.organisation} and rep.period = ${BIG.period}`.execute(database.db);
  return {
    rows: rows.map((r) => ({ indicatorId: r.indicator_id, outcome: r.outcome === null ? null : Number(r.outcome), version: r.version })),
    history: Number(history[0]!.n),
  };
}

/** A write of every row with outcome `value` on the stored versions. */
export function bigWrite(state: StoredState, value: number) {
  return { indicators: state.rows.map((r) => ({ indicatorId: r.indicatorId, baseVersion: r.version, outcome: value })), goals: [] };
}

/**
 * All or nothing: either every row carries the batch's value on the next version and the history
 * grew by one entry per row, or nothing changed at all. Returns which.
 */
export function allOrNothing(before: StoredState, after: StoredState, value: number): 'all' | 'nothing' {
  expect(after.rows.map((r) => r.indicatorId)).toEqual(before.rows.map((r) => r.indicatorId));
  if (after.history === before.history) {
    expect(after.rows).toEqual(before.rows);
    return 'nothing';
  }
  expect(after.history).toBe(before.history + before.rows.length);
  expect(after.rows).toEqual(before.rows.map((r) => ({ ...r, outcome: value, version: r.version + 1 })));
  return 'all';
}
