/**
 * Activities in a year's plan: KF activities under KF goals with the organisations that report
 * on them (org_activity), and nämnd activities under nämndmål (reported by the goal's owner).
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { chunked } from './chunks';
import type { Database } from './schema';

type Db = Kysely<Database>;

export type ActivityParent = { kf_goal_id: number } | { org_goal_id: number };

export interface ActivityValues {
  code: string;
  title: string;
  startDate?: string;
  endDate?: string;
}

/** Creates or updates an activity, matched by its parent goal and code; dates as the document states them. */
export async function upsertActivity(db: Db, year: number, parent: ActivityParent, activity: ActivityValues): Promise<number> {
  const [column, id] = 'kf_goal_id' in parent ? (['kf_goal_id', parent.kf_goal_id] as const) : (['org_goal_id', parent.org_goal_id] as const);
  const values = { title: activity.title, start_date: activity.startDate ?? null, end_date: activity.endDate ?? null };
  const existing = await db.selectFrom('activity').select('id').where(column, '=', id).where('code', '=', activity.code).executeTakeFirst();
  if (existing) {
    await db.updateTable('activity').set(values).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const inserted = await db
    .insertInto('activity')
    .values({ year, ...parent, code: activity.code, ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The organisations that reported on the KF activity with this code the year before. */
export async function lastYearsActivityReporters(db: Db, year: number, code: string): Promise<string[]> {
  const rows = await db
    .selectFrom('org_activity as oa')
    .innerJoin('activity as a', 'a.id', 'oa.activity_id')
    .select('oa.organisation_code')
    .where('a.year', '=', year - 1)
    .where('a.code', '=', code)
    .where('a.kf_goal_id', 'is not', null)
    .execute();
  return rows.map((r) => r.organisation_code);
}

/** Adds who reports on which KF activity; nothing is removed (reported follow-up hangs on it). */
export async function assignActivityReporters(db: Db, assignments: readonly { organisation_code: string; activity_id: number }[]): Promise<void> {
  for (const chunk of chunked(assignments, 2)) {
    await db
      .insertInto('org_activity')
      .values(chunk)
      .onConflict((oc) => oc.columns(['organisation_code', 'activity_id']).doNothing())
      .execute();
  }
}

/** The year's KF activities with their dates and who reports on each. */
export async function kfActivitiesWithReporters(db: Db, year: number) {
  return db
    .selectFrom('activity as a')
    .select([
      'a.id',
      'a.code',
      'a.title',
      'a.kf_goal_id',
      sql<string | null>`a.start_date::text`.as('startDate'),
      sql<string | null>`a.end_date::text`.as('endDate'),
      sql<string[]>`coalesce((select array_agg(oa.organisation_code order by oa.organisation_code) from org_activity oa where oa.activity_id = a.id), '{}')`.as('reportedBy'),
    ])
    .where('a.year', '=', year)
    .where('a.kf_goal_id', 'is not', null)
    .execute();
}

/** Every activity an organisation reports on in a year: KF activities it is named for, and those under its nämndmål. */
export function activitiesReportedBy(db: Db, year: number, organisation: string) {
  return db
    .selectFrom('activity as a')
    .leftJoin('org_goal as og', 'og.id', 'a.org_goal_id')
    .innerJoin('kf_goal as g', (j) => j.on(sql<SqlBool>`g.id = coalesce(a.kf_goal_id, og.kf_goal_id)`))
    .select([
      'a.id',
      'a.code',
      'a.title',
      'a.kf_goal_id',
      'a.org_goal_id',
      sql<string | null>`a.start_date::text`.as('startDate'),
      sql<string | null>`a.end_date::text`.as('endDate'),
      'g.code as kfGoalCode',
      'og.code as goalCode',
    ])
    .where('a.year', '=', year)
    .where((eb) =>
      eb.or([
        eb('og.organisation_code', '=', organisation),
        eb.exists(eb.selectFrom('org_activity as oa').select('oa.activity_id').whereRef('oa.activity_id', '=', 'a.id').where('oa.organisation_code', '=', organisation)),
      ]),
    );
}
