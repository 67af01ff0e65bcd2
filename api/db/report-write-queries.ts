import { sql, type Kysely } from 'kysely';
import type { ReportGoal, ReportIndicator } from '../../core/contract/report';
import { targetsInForce } from '../../core/domain/rules';
import { fieldNames, type FieldValue, type RowKindSpec, type RowValues } from '../../core/rows/row-kind';
import { GOAL_ASSESSMENTS, INDICATOR_RESULTS } from '../../core/rows/report-rows';
import type { Database } from './schema';
import { columnOf } from './versioned-rows';

type Db = Kysely<Database>;

/**
 * What a write needs of a report's rows, and nothing it only shows: keys, stored values and
 * versions (planning, 409 details), what a status is computed from, and the goals a row belongs
 * to (suggestions). The whole report's read (report-queries.ts) joins eleven tables for codes,
 * titles, last year's outcome and the period before; a write answered with its changes
 * (`?answer=changes`) reads this instead.
 */

/**
 * The rows come back as one JSON text, not as rows: PGlite hands each field of each row to
 * JavaScript on its own (2,000 rows of 14 columns: ≈ 30 ms of CPU, one JSON value: ≈ 15 ms), and
 * node-postgres parses one string faster than 28,000 fields too. Timestamps are formatted as the
 * API shows them (ISO, milliseconds, UTC) by the database.
 */
const ISO = (column: string) => sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function jsonRows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const { rows } = await sql<{ rows: string | null }>`select coalesce(json_agg(r), '[]')::text as rows from (${query}) r`.execute(db);
  return JSON.parse(rows[0]?.rows ?? '[]') as T[];
}

const number = (v: string | number | null): number | null => (v === null ? null : Number(v));

export type IndicatorWriteRow = Pick<
  ReportIndicator,
  | 'indicatorId'
  | 'direction'
  | 'tolerance'
  | 'annualTarget'
  | 'kfTarget'
  | 'orgTarget'
  | 'partialThresholdPercent'
  | 'outcome'
  | 'forecast'
  | 'comment'
  | 'status'
  | 'version'
  | 'changedBy'
  | 'changedAt'
> & { kfGoalId: number | null; orgGoalId: number | null };

export async function loadIndicatorWriteRows(db: Db, reportId: number): Promise<IndicatorWriteRow[]> {
  const rows = await jsonRows<{
    i: number;
    d: IndicatorWriteRow['direction'];
    t: number | null;
    kf: number | null;
    org: number | null;
    th: number;
    kg: number | null;
    og: number | null;
    v: number;
    s: IndicatorWriteRow['status'];
    by: string | null;
    at: string | null;
    f: Record<string, FieldValue>;
  }>(
    db,
    sql`
      select i.id as i, i.direction as d, i.tolerance as t,
        -- A handed-in report keeps the årsmål it was handed in with (as report-queries.ts reads them).
        case when r.targets_fixed_at is null then i.kf_annual_target else r.fixed_kf_target end as kf,
        case when r.targets_fixed_at is null then oi.annual_target else r.fixed_org_target end as org,
        coalesce(i.partial_threshold_percent, y.partial_threshold_percent) as th,
        coalesce(i.kf_goal_id, og.kf_goal_id) as kg, i.org_goal_id as og,
        r.version as v, r.status as s, coalesce(r.changed_by_name, r.changed_by) as by, ${ISO('r.changed_at')} as at,
        json_build_object(${fieldsAsJson(INDICATOR_RESULTS, 'r')}) as f
      from indicator_result r
      join report rep on rep.id = r.report_id
      join indicator i on i.id = r.indicator_id
      join budget_year y on y.year = i.year
      left join org_indicator oi on oi.indicator_id = i.id and oi.organisation_code = rep.organisation_code
      left join org_goal og on og.id = i.org_goal_id
      where r.report_id = ${reportId}`,
  );
  return rows.map((r) => ({
    indicatorId: r.i,
    direction: r.d,
    tolerance: number(r.t),
    ...targetsInForce(number(r.kf), number(r.org)),
    partialThresholdPercent: Number(r.th),
    kfGoalId: r.kg,
    orgGoalId: r.og,
    ...(fieldsFromJson(INDICATOR_RESULTS, r.f) as RowValues<typeof INDICATOR_RESULTS>),
    status: r.s,
    version: r.v,
    changedBy: r.by,
    changedAt: r.at,
  }));
}

export type GoalWriteRow = Pick<ReportGoal, 'goalId' | 'suggestedAssessment' | 'assessment' | 'motivation' | 'analysis' | 'version' | 'changedBy' | 'changedAt'> & {
  kfGoalId: number;
};

export async function loadGoalWriteRows(db: Db, reportId: number): Promise<GoalWriteRow[]> {
  const rows = await jsonRows<{ g: number; kg: number; sa: GoalWriteRow['suggestedAssessment']; v: number; by: string | null; at: string | null; f: Record<string, FieldValue> }>(
    db,
    sql`
      select og.id as g, og.kf_goal_id as kg, a.suggested as sa, a.version as v,
        coalesce(a.changed_by_name, a.changed_by) as by, ${ISO('a.changed_at')} as at,
        json_build_object(${fieldsAsJson(GOAL_ASSESSMENTS, 'a')}) as f
      from goal_assessment a join org_goal og on og.id = a.org_goal_id
      where a.report_id = ${reportId}`,
  );
  return rows.map((r) => ({
    goalId: r.g,
    kfGoalId: r.kg,
    suggestedAssessment: r.sa,
    ...(fieldsFromJson(GOAL_ASSESSMENTS, r.f) as RowValues<typeof GOAL_ASSESSMENTS>),
    version: r.v,
    changedBy: r.by,
    changedAt: r.at,
  }));
}

/** `'field', alias.column, …` for json_build_object: a kind's input fields under their names. */
const fieldsAsJson = (spec: RowKindSpec, alias: string) => sql.join(fieldNames(spec).flatMap((f) => [sql.lit(f), sql.ref(`${alias}.${columnOf(f)}`)]));

/** A kind's input fields from JSON (numeric arrives as a JSON number, exact to the double it came from). */
const fieldsFromJson = (spec: RowKindSpec, f: Record<string, FieldValue>) => Object.fromEntries(fieldNames(spec).map((name) => [name, f[name] ?? null]));
