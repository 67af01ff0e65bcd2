import { sql } from 'kysely';
import type { Report } from '../core/contract/report';
import type { ReportChanges } from '../core/contract/report-changes';
import { importPlan } from '../api/db/plan-import';
import { refreshStatistics } from '../api/db/statistics';
import { benchBulkWrite } from './bulk-write';
import { benchDeadlineBurst } from './burst';
import { DEMO_YEAR } from './city';
import { benchConsolidation } from './consolidation';
import { callJson, reportPath } from './http';
import { emit, log, median, round1, round2, timed } from './measure';
import { syntheticPlan } from './synthetic-plan';
import type { BenchTarget } from './target';

/**
 * `npm run bench -- --scale`: how each cost grows, so a reader sees that nothing grows faster
 * than linearly. One JSON line per size:
 * - bulk-write-growth: a PUT of 200, 2,000 and 20,000 rows (same work as bulk-write.ts);
 * - consolidation-growth and deadline-burst at 30 (the demo city), 300 and 1,000 organisations;
 * - history-growth: a 2,000-row PUT and the report's history read with 1 and with 5 years of
 *   history in the database.
 */
export async function benchScale(target: BenchTarget): Promise<void> {
  for (const [n, rows] of [200, 2_000, 20_000].entries()) {
    const big = rows >= 20_000;
    const [same, raw] = await benchBulkWrite(target, { rows, year: 2041 + n, warmup: 1, measured: big ? 2 : 4 });
    emit({
      name: 'bulk-write-growth',
      db: target.kind,
      rows,
      api_changes_ms: same!.api_ms,
      api_report_ms: raw!.api_ms,
      floor_ms: same!.floor_ms,
      raw_ms: raw!.raw_ms,
      api_changes_us_per_row: round1(((same!.api_ms as number) * 1000) / rows),
      floor_us_per_row: round1(((same!.floor_ms as number) * 1000) / rows),
      ratio_same_work: same!.ratio,
      ratio_raw: raw!.ratio,
      loadavg: same!.loadavg,
    });
  }

  for (const orgs of [30, 300, 1_000]) {
    if (orgs > 30) await growCity(target, orgs);
    const consolidation = await benchConsolidation(target, 1, 5, { fill: orgs === 30 });
    emit({ ...consolidation, name: 'consolidation-growth' });
    if (orgs <= 300) emit({ ...(await benchDeadlineBurst(target, 1, orgs > 30 ? 2 : 8)), name: 'deadline-burst-growth' });
  }

  await benchHistoryGrowth(target);
}

/**
 * Grows the demo city to `total` organisations for year DEMO_YEAR: each new one reports on what a
 * demo organisation reports on, with that organisation's T1/T2/VB values and statuses (bench only:
 * written by SQL, so the city grows in seconds).
 */
async function growCity(target: BenchTarget, total: number): Promise<void> {
  const db = target.running.database.db;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from organisation`.execute(db);
  const add = total - rows[0]!.n;
  if (add <= 0) return;
  const grown = await timed(async () => {
    await sql`
      insert into organisation (code, name, kind)
      select 'skala-' || lpad(g::text, 4, '0'), 'Skalnämnd ' || g, 'facknamnd' from generate_series(${rows[0]!.n + 1}::int, ${total}::int) g`.execute(db);
    // Each new organisation copies a demo organisation (round robin): its assignments, reports and values.
    await sql`
      create temporary table bench_template as
      with grown as (
        select code, row_number() over (order by code) - 1 as n from organisation o
        where code like 'skala-%' and not exists (select 1 from org_indicator oi where oi.organisation_code = o.code)
      ),
      demo as (select code, row_number() over (order by code) - 1 as n, count(*) over () as count from organisation where code not like 'skala-%')
      select grown.code, demo.code as template from grown join demo on demo.n = grown.n % demo.count`.execute(db);
    await sql`
      insert into org_indicator (organisation_code, indicator_id, annual_target)
      select b.code, oi.indicator_id, oi.annual_target from bench_template b join org_indicator oi on oi.organisation_code = b.template
      join indicator i on i.id = oi.indicator_id where i.year = ${DEMO_YEAR}`.execute(db);
    await sql`
      insert into report (year, period, organisation_code)
      select ${DEMO_YEAR}, p.period, b.code from bench_template b cross join (values ('T1'), ('T2'), ('VB')) as p(period)`.execute(db);
    await sql`
      insert into indicator_result (report_id, indicator_id, outcome, forecast, comment, status, version, changed_by, changed_by_name, changed_at)
      select r.id, t.indicator_id, t.outcome, t.forecast, t.comment, t.status, t.version, t.changed_by, t.changed_by_name, t.changed_at
      from bench_template b
      join report r on r.organisation_code = b.code and r.year = ${DEMO_YEAR}
      join report tr on tr.organisation_code = b.template and tr.year = r.year and tr.period = r.period
      join indicator_result t on t.report_id = tr.id`.execute(db);
    await sql`drop table bench_template`.execute(db);
    await refreshStatistics(db);
  });
  log(`scale: the city now has ${total} organisations (${round1(grown.ms)} ms)`);
}

/**
 * A 2,000-row PUT and the report's history read, with the history of one year in the database
 * and then of five (the 2,000-row report written ten times in each period of each year, as
 * history rows of other reports: what makes the table grow).
 */
async function benchHistoryGrowth(target: BenchTarget): Promise<void> {
  const db = target.running.database.db;
  const year = 2050;
  const org = 'fn-kultur';
  await importPlan(db, syntheticPlan(year, org, 2000));
  const token = await target.token('controller', [org]);
  const base = target.running.url;
  const path = reportPath(year, org, 'T1');
  const report = (await callJson<Report>(base, token, 'GET', path)).body;
  const versions = new Map(report.indicators.map((i) => [i.indicatorId, i.version]));
  let round = 0;
  const measure = async (years: number) => {
    const puts: number[] = [];
    const reads: number[] = [];
    for (let n = 0; n < 4; n++) {
      round++;
      const body = { indicators: report.indicators.map((i, k) => ({ indicatorId: i.indicatorId, baseVersion: versions.get(i.indicatorId)!, forecast: round * 10 + (k % 50) })) };
      const put = await timed(() => callJson<ReportChanges>(base, token, 'PUT', `${path}?answer=changes`, body));
      if (put.value.status !== 200) throw new Error(`history-growth PUT answered ${put.value.status}`);
      for (const i of put.value.body.indicators) versions.set(i.indicatorId, i.version);
      const read = await timed(() => callJson<unknown[]>(base, token, 'GET', `${path}/history`));
      if (n > 0) {
        puts.push(put.ms);
        reads.push(read.ms);
      }
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from change_history`.execute(db);
    emit({
      name: 'history-growth',
      db: target.kind,
      years,
      history_rows: rows[0]!.n,
      put_2000_ms: round1(median(puts)),
      read_history_ms: round1(median(reads)),
      report_history_entries: round * 2000,
    });
    return median(puts);
  };
  // One year: the report's own history and a year's worth beside it.
  await addHistory(db, 1);
  const one = await measure(1);
  await addHistory(db, 4);
  const five = await measure(5);
  log(`history-growth: PUT 2,000 rows ${round1(one)} ms with 1 year, ${round1(five)} ms with 5 years (×${round2(five / one)})`);
}

/** `years` × 3 periods × 10 writes × 2,000 rows of history for reports that are not the one measured. */
async function addHistory(db: BenchTarget['running']['database']['db'], years: number): Promise<void> {
  await sql`
    insert into change_history (report_id, entity, entity_id, changes, changed_by, changed_by_name, changed_at, request_id)
    select -g / 20000, 'indicator', g % 2000, jsonb_build_object('forecast', jsonb_build_array((g % 97)::text, (g % 89)::text)), 'bench', 'Bench', now() - (g || ' seconds')::interval, null
    from generate_series(1, ${years * 3 * 10 * 2000}::int) g`.execute(db);
  await refreshStatistics(db, ['change_history']);
}
