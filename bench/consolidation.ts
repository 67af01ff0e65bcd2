import { sql } from 'kysely';
import type { Consolidation } from '../core/contract/consolidation';
import { DEMO_YEAR, fillCity } from './city';
import { callJson } from './http';
import { log, median, rounds, round1, round2, timed } from './measure';
import type { BenchTarget } from './target';

const PERIOD = 'T1';

interface RawConsolidation {
  organisations: { organisation: string; helt: number; delvis: number; ej: number; missing: number; notDue: number }[];
  indicators: { indicatorId: number; results: { organisation: string; outcome: number | null; forecast: number | null; status: string | null }[] }[];
}

/** The same numbers as the consolidation, in one hand-written statement. */
function rawConsolidation(target: BenchTarget) {
  return sql<{ result: RawConsolidation }>`
    with grid as (
      select oi.organisation_code as org, i.id as indicator_id, i.owner_organisation_code, i.frequency, r.outcome, r.forecast, r.status
      from org_indicator oi
      join indicator i on i.id = oi.indicator_id
      left join report rep on rep.organisation_code = oi.organisation_code and rep.year = ${DEMO_YEAR} and rep.period = ${PERIOD}
      left join indicator_result r on r.report_id = rep.id and r.indicator_id = i.id
      where i.year = ${DEMO_YEAR}
    )
    select json_build_object(
      'organisations', (
        select json_agg(c) from (
          select o.code as organisation,
            count(*) filter (where g.status = 'helt') as helt, count(*) filter (where g.status = 'delvis') as delvis,
            count(*) filter (where g.status = 'ej') as ej,
            -- an annual indicator without a value is due at VB only: before that it is "rapporteras i VB", not missing
            count(g.org) filter (where g.status is null and (${PERIOD} = 'VB' or g.frequency = 'tertial')) as missing,
            count(g.org) filter (where g.status is null and ${PERIOD} <> 'VB' and g.frequency <> 'tertial') as "notDue"
          from organisation o left join grid g on g.org = o.code group by o.code) c),
      'indicators', (
        select json_agg(x) from (
          select indicator_id as "indicatorId",
            json_agg(json_build_object('organisation', org, 'outcome', outcome, 'forecast', forecast, 'status', status) order by org) as results
          from grid where owner_organisation_code is null group by indicator_id) x)
    ) as result`.execute(target.running.database.db);
}

/** Checks that the raw statement produces the API's numbers, so the comparison is like for like. */
function assertSameNumbers(api: Consolidation, raw: RawConsolidation): void {
  const apiCounts = new Map(api.organisations.map((o) => [o.code, o.counts]));
  for (const o of raw.organisations) {
    const { organisation, ...counts } = o;
    if (JSON.stringify(apiCounts.get(organisation)) !== JSON.stringify(counts)) throw new Error(`counts differ for ${organisation}`);
  }
  const apiResults = new Map(api.kfGoals.flatMap((g) => g.indicators).map((i) => [i.indicatorId, i.results]));
  for (const i of raw.indicators) {
    const expected = (apiResults.get(i.indicatorId) ?? []).map(({ organisation, outcome, forecast, status }) => ({ organisation, outcome, forecast, status }));
    const got = [...i.results].sort((a, b) => a.organisation.localeCompare(b.organisation));
    expected.sort((a, b) => a.organisation.localeCompare(b.organisation));
    if (JSON.stringify(expected) !== JSON.stringify(got)) throw new Error(`results differ for indicator ${i.indicatorId}`);
  }
}

/** GET …/consolidation/T1 as central for the demo city with every report filled, against one raw aggregate. */
export async function benchConsolidation(target: BenchTarget, warmup = 2, measured = 7, options: { fill?: boolean } = {}) {
  const central = await target.token('central');
  const base = target.running.url;
  const organisations = (await callJson<{ code: string }[]>(base, central, 'GET', '/api/v1/organisations')).body.map((o) => o.code);
  if (options.fill ?? true) {
    const filled = await timed(() => fillCity(base, central, organisations, 1));
    log(`consolidation: filled T1, T2 and VB of ${organisations.length} organisations in ${round1(filled.ms)} ms`);
  }

  const path = `/api/v1/years/${DEMO_YEAR}/consolidation/${PERIOD}`;
  const api: number[] = [];
  const raw: number[] = [];
  await rounds(warmup, measured, async (round) => {
    const viaApi = await timed(() => callJson<Consolidation>(base, central, 'GET', path));
    if (viaApi.value.status !== 200) throw new Error(`consolidation answered ${viaApi.value.status}`);
    const viaSql = await timed(() => rawConsolidation(target));
    if (round === 0) assertSameNumbers(viaApi.value.body, viaSql.value.rows[0]!.result);
    log(`consolidation round ${round}: api ${round1(viaApi.ms)} ms, raw ${round1(viaSql.ms)} ms`);
    api.push(viaApi.ms);
    raw.push(viaSql.ms);
    return viaApi.ms;
  });
  const apiMs = median(api.slice(warmup));
  const rawMs = median(raw.slice(warmup));
  return { name: 'consolidation-vs-raw-sql', db: target.kind, orgs: organisations.length, api_ms: round1(apiMs), raw_ms: round1(rawMs), ratio: round2(apiMs / rawMs) };
}
