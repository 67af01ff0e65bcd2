import { sql, type Kysely } from 'kysely';
import type { Database } from '../api/db/schema';

/**
 * The same-work floor of a report PUT: one hand-written statement that does what the API's bulk
 * write of indicator rows does, and no more: finds and locks the report (FOR UPDATE) and checks
 * that it and its period are open; refuses the whole batch when a row is sent twice, is not the
 * report's, or changes a row on a stale version; writes only rows that change, version-checked,
 * with the status computed by DOMAIN.md's rule (the SQL twin of core/domain/rules.ts, kept here
 * for the bench only); appends the history in the API's shape (one row per changed row, its
 * field changes as JSON, api/db/versioned-rows.ts); recomputes the suggested assessment of the
 * report's goals from the new statuses; and answers with what `?answer=changes` answers: the
 * written rows' versions and statuses and the goals' new suggestions.
 *
 * The bench checks after each round that it left the same statuses, versions and history as the
 * API (benchBulkWrite), so the comparison is like for like.
 */
export interface SameWorkRow {
  indicatorId: number;
  baseVersion: number;
  outcome: number | null;
  forecast: number | null;
  comment: string | null;
}

export interface SameWorkResult {
  problems: { code: string; id: number | null }[] | null;
  written: { id: number; version: number; status: string | null }[] | null;
  suggestions: { goalId: number; suggested: string | null }[] | null;
}

export async function sameWorkWrite(
  db: Kysely<Database>,
  address: { year: number; organisation: string; period: 'T1' | 'T2' | 'VB' },
  rows: readonly SameWorkRow[],
  actor: { sub: string; name: string; requestId: string | null },
): Promise<SameWorkResult> {
  const { year, organisation, period } = address;
  // roundForCompare(x) = round(x, 9) (core/domain/numbers.ts); the value assessed: at VB the outcome first, else the forecast.
  const value = period === 'VB' ? sql`coalesce(st.outcome, st.forecast)` : sql`coalesce(st.forecast, st.outcome)`;
  const { rows: result } = await sql<SameWorkResult>`
    with rep as (
      select r.id, r.state, p.state as period_state
      from report r join period p on p.year = r.year and p.code = r.period
      where r.year = ${year} and r.period = ${period} and r.organisation_code = ${organisation}
      for update of r
    ),
    v as (
      select * from unnest(${rows.map((r) => r.indicatorId)}::int[], ${rows.map((r) => r.baseVersion)}::int[],
        ${rows.map((r) => r.outcome)}::numeric[], ${rows.map((r) => r.forecast)}::numeric[], ${rows.map((r) => r.comment)}::text[])
        as v(id, base_version, outcome, forecast, comment)
    ),
    cur as (
      select v.*, t.indicator_id is not null as known, t.version,
        (v.outcome is distinct from t.outcome or v.forecast is distinct from t.forecast or v.comment is distinct from t.comment) as changed,
        i.direction, coalesce(i.tolerance, 0) as tolerance,
        coalesce(case when t.targets_fixed_at is null then oi.annual_target else t.fixed_org_target end,
                 case when t.targets_fixed_at is null then i.kf_annual_target else t.fixed_kf_target end) as target,
        coalesce(i.partial_threshold_percent, y.partial_threshold_percent) / 100 as share
      from v
      left join indicator_result t on t.report_id = (select id from rep) and t.indicator_id = v.id
      left join indicator i on i.id = t.indicator_id
      left join budget_year y on y.year = i.year
      left join org_indicator oi on oi.indicator_id = t.indicator_id and oi.organisation_code = ${organisation}
    ),
    problems as (
      select 'NOT_FOUND' as code, null::int as id where not exists (select 1 from rep)
      union all select 'PERIOD_CLOSED', null from rep where rep.state <> 'open' or rep.period_state = 'locked'
      union all select 'DUPLICATE_ROW', id from v group by id having count(*) > 1
      union all select 'UNKNOWN_INDICATOR', id from cur where not known
      union all select 'STALE', id from cur where known and changed and version <> base_version
    ),
    st as (
      select st.*, ${value} as value from cur st where known and changed and not exists (select 1 from problems)
    ),
    next as (
      select st.*, case
        when st.value is null or st.target is null then null
        when st.direction = 'higher' then case when round(st.value, 9) >= round(st.target, 9) then 'helt'
          when round(st.value, 9) >= round(st.target * st.share, 9) then 'delvis' else 'ej' end
        when st.direction = 'lower' then case when round(st.value, 9) <= round(st.target, 9) then 'helt'
          when round(st.value, 9) <= round(st.target * (2 - st.share), 9) then 'delvis' else 'ej' end
        else case when round(abs(st.value - st.target), 9) <= round(st.tolerance, 9) then 'helt'
          when round(abs(st.value - st.target), 9) <= round(2 * st.tolerance, 9) then 'delvis' else 'ej' end
      end as status
      from st
    ),
    u as (
      update indicator_result as t set outcome = n.outcome, forecast = n.forecast, comment = n.comment, status = n.status,
        version = t.version + 1, changed_by = ${actor.sub}, changed_by_name = ${actor.name}, changed_at = now()
      from next n join indicator_result o on o.report_id = (select id from rep) and o.indicator_id = n.id
      where t.report_id = (select id from rep) and t.indicator_id = n.id and t.version = n.base_version
      returning t.indicator_id as id, t.version, t.status,
        case when o.outcome is distinct from t.outcome then jsonb_build_object('outcome', jsonb_build_array(o.outcome::text, t.outcome::text)) else '{}'::jsonb end
        || case when o.forecast is distinct from t.forecast then jsonb_build_object('forecast', jsonb_build_array(o.forecast::text, t.forecast::text)) else '{}'::jsonb end
        || case when o.comment is distinct from t.comment then jsonb_build_object('comment', jsonb_build_array(o.comment, t.comment)) else '{}'::jsonb end
        as changes
    ),
    h as (
      insert into change_history (report_id, entity, entity_id, changes, changed_by, changed_by_name, request_id)
      select (select id from rep), 'indicator', u.id, u.changes, ${actor.sub}, ${actor.name}, ${actor.requestId} from u where u.changes <> '{}'::jsonb
    ),
    goals as (
      select a.org_goal_id as goal_id, og.kf_goal_id, a.suggested from goal_assessment a join org_goal og on og.id = a.org_goal_id
      where a.report_id = (select id from rep) and not exists (select 1 from problems)
    ),
    statuses as (
      select coalesce(i.kf_goal_id, og.kf_goal_id) as kf_goal_id, i.org_goal_id, coalesce(u.status, t.status) as status
      from indicator_result t join indicator i on i.id = t.indicator_id left join org_goal og on og.id = i.org_goal_id
      left join u on u.id = t.indicator_id
      where t.report_id = (select id from rep) and exists (select 1 from goals)
    ),
    suggestion as (
      select g.goal_id, g.suggested as old, case
        when count(s.status) = 0 then null
        when bool_and(s.status = 'helt') then 'helt'
        when count(*) filter (where s.status = 'ej') * 2 > count(s.status) then 'ej'
        else 'delvis' end as suggested
      from goals g left join statuses s on s.org_goal_id = g.goal_id or (s.org_goal_id is null and s.kf_goal_id = g.kf_goal_id)
      group by g.goal_id, g.suggested
    ),
    gu as (
      update goal_assessment as a set suggested = s.suggested from suggestion s
      where a.report_id = (select id from rep) and a.org_goal_id = s.goal_id and s.suggested is distinct from s.old
      returning a.org_goal_id as "goalId", a.suggested
    )
    select (select json_agg(json_build_object('code', code, 'id', id)) from problems) as problems,
      (select json_agg(json_build_object('id', id, 'version', version, 'status', status)) from u) as written,
      (select json_agg(gu) from gu) as suggestions`.execute(db);
  return result[0]!;
}
