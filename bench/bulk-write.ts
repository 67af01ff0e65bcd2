import { sql } from 'kysely';
import type { Report } from '../api/contract/report';
import { importPlan } from '../api/db/plan-import';
import { callJson, reportPath } from './http';
import { log, median, rounds, round1, round2, timed } from './measure';
import { syntheticPlan } from './synthetic-plan';
import type { BenchTarget } from './target';

const YEAR = 2031;
const ORG = 'fn-kultur';
const ROWS = 2000;

/**
 * A 2,000-row report PUT through HTTP (T1) against the same number of rows upserted by one
 * hand-written INSERT … ON CONFLICT DO UPDATE through the same Kysely handle (T2 of the same
 * organisation), alternating round by round. Every round writes new numbers.
 */
export async function benchBulkWrite(target: BenchTarget, warmup = 2, measured = 5) {
  const db = target.running.database.db;
  await importPlan(db, syntheticPlan(YEAR, ORG, ROWS));
  const token = await target.token('controller', [ORG]);
  const base = target.running.url;
  let report = (await callJson<Report>(base, token, 'GET', reportPath(YEAR, ORG, 'T1'))).body;
  if (report.indicators.length !== ROWS) throw new Error(`expected ${ROWS} indicators, got ${report.indicators.length}`);
  await callJson(base, token, 'GET', reportPath(YEAR, ORG, 'T2')); // creates the T2 report and its rows
  const { id: rawReportId } = await db
    .selectFrom('report')
    .select('id')
    .where('year', '=', YEAR)
    .where('period', '=', 'T2')
    .where('organisation_code', '=', ORG)
    .executeTakeFirstOrThrow();
  const indicatorIds = report.indicators.map((i) => i.indicatorId);

  const api: number[] = [];
  const raw: number[] = [];
  await rounds(warmup, measured, async (round) => {
    const body = {
      indicators: report.indicators.map((i, n) => ({
        indicatorId: i.indicatorId,
        baseVersion: i.version,
        outcome: round * 10 + (n % 97),
        forecast: round * 10 + (n % 89) + 0.5,
        comment: `Omgång ${round}, rad ${n}`,
      })),
      goals: [],
    };
    const put = await timed(() => callJson<Report>(base, token, 'PUT', reportPath(YEAR, ORG, 'T1'), body));
    if (put.value.status !== 200) throw new Error(`PUT answered ${put.value.status}: ${JSON.stringify(put.value.body).slice(0, 500)}`);
    report = put.value.body;
    if (!report.indicators.every((i) => i.outcome !== null && i.version === round + 1)) throw new Error('PUT did not write every row');

    const upsert = await timed(() =>
      sql`
        insert into indicator_result (report_id, indicator_id, outcome, forecast, comment, version, changed_by, changed_by_name, changed_at)
        select ${rawReportId}, v.indicator_id, v.outcome, v.forecast, v.comment, 1, 'bench', 'Bench', now()
        from unnest(${indicatorIds}::int[], ${body.indicators.map((i) => i.outcome)}::numeric[],
                    ${body.indicators.map((i) => i.forecast)}::numeric[], ${body.indicators.map((i) => i.comment)}::text[])
          as v(indicator_id, outcome, forecast, comment)
        on conflict (report_id, indicator_id) do update set
          outcome = excluded.outcome, forecast = excluded.forecast, comment = excluded.comment,
          version = indicator_result.version + 1, changed_by = excluded.changed_by,
          changed_by_name = excluded.changed_by_name, changed_at = excluded.changed_at`.execute(db),
    );
    if (Number(upsert.value.numAffectedRows) !== ROWS) throw new Error(`raw upsert wrote ${upsert.value.numAffectedRows} rows`);
    log(`bulk-write round ${round}: api ${round1(put.ms)} ms, raw ${round1(upsert.ms)} ms`);
    api.push(put.ms);
    raw.push(upsert.ms);
    return put.ms;
  });
  const apiMs = median(api.slice(warmup));
  const rawMs = median(raw.slice(warmup));
  return { name: 'bulk-write-vs-raw-sql', db: target.kind, rows: ROWS, api_ms: round1(apiMs), raw_ms: round1(rawMs), ratio: round2(apiMs / rawMs) };
}
