import os from 'node:os';
import { sql } from 'kysely';
import type { Report } from '../core/contract/report';
import type { ReportChanges } from '../core/contract/report-changes';
import { importPlan } from '../api/db/plan-import';
import { callJson, reportPath } from './http';
import { log, median, rounds, round1, round2, timed } from './measure';
import { sameWorkWrite, type SameWorkRow } from './same-work';
import { syntheticPlan } from './synthetic-plan';
import type { BenchTarget } from './target';

const ORG = 'fn-kultur';

/** Node's CPU time (user + system, ms) while `fn` runs: the server, the client and, on PGlite, the database. */
async function cpuTimed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const t = await timed(fn);
  const used = process.cpuUsage(cpu);
  return { ...t, cpuMs: (used.user + used.system) / 1000 };
}

/** The values a round writes: every row changes (outcome, forecast and comment). */
function values(indicatorIds: readonly number[], round: number) {
  return indicatorIds.map((indicatorId, n) => ({
    indicatorId,
    outcome: round * 10 + (n % 97),
    forecast: round * 10 + (n % 89) + 0.5,
    comment: `Omgång ${round}, rad ${n}`,
  }));
}

/**
 * A `rows`-row report PUT through HTTP, measured side by side in the same rounds with:
 * - the same work in one hand-written statement (`same-work.ts`: lock and state check,
 *   stale/unknown/duplicate rows all or nothing, version-checked update with status, history,
 *   goal suggestions, the changes as its answer), against the PUT with `?answer=changes`;
 * - a bare `INSERT … ON CONFLICT DO UPDATE` of the same values (no checks, no status, no
 *   history), against the PUT with its default answer (the whole report).
 * Each writes its own report of the same organisation (T1: the PUT with the changes, T2: the
 * floor, VB: the whole-report PUT and the bare upsert); the order rotates round by round. After
 * every round the floor's report must hold the same statuses and versions as the PUT's, and
 * both must have appended the same number of history rows.
 */
export async function benchBulkWrite(target: BenchTarget, options: { rows?: number; year?: number; warmup?: number; measured?: number } = {}) {
  const rows = options.rows ?? 2000;
  const year = options.year ?? 2031;
  const warmup = options.warmup ?? 2;
  const measured = options.measured ?? 5;
  const db = target.running.database.db;
  await importPlan(db, syntheticPlan(year, ORG, rows));
  const token = await target.token('controller', [ORG]);
  const base = target.running.url;
  const read = async (period: string) => {
    const report = (await callJson<Report>(base, token, 'GET', reportPath(year, ORG, period))).body;
    if (report.indicators.length !== rows) throw new Error(`expected ${rows} indicators, got ${report.indicators.length}`);
    return new Map(report.indicators.map((i) => [i.indicatorId, i.version]));
  };
  // The first read of each report creates its rows.
  const versions = { T1: await read('T1'), T2: await read('T2'), VB: await read('VB') };
  const indicatorIds = [...versions.T1.keys()];
  const reportIds = Object.fromEntries(
    (await db.selectFrom('report').select(['id', 'period']).where('year', '=', year).where('organisation_code', '=', ORG).execute()).map((r) => [r.period, r.id]),
  ) as Record<'T1' | 'T2' | 'VB', number>;
  const historyCount = async (reportId: number) =>
    Number((await sql<{ n: string }>`select count(*) as n from change_history where report_id = ${reportId}`.execute(db)).rows[0]!.n);

  const samples = { changes: [] as number[], floor: [] as number[], whole: [] as number[], raw: [] as number[] };
  const cpu = { changes: [] as number[], floor: [] as number[], whole: [] as number[], raw: [] as number[] };
  const answerBytes = { changes: 0, whole: 0 };
  const loadBefore = os.loadavg()[0]!;

  await rounds(warmup, measured, async (round) => {
    const sent = values(indicatorIds, round);
    const body = (period: 'T1' | 'VB') => ({ indicators: sent.map((v) => ({ ...v, baseVersion: versions[period].get(v.indicatorId)! })), goals: [] });
    const history = { T1: await historyCount(reportIds.T1), T2: await historyCount(reportIds.T2) };

    const steps: Record<keyof typeof samples, () => Promise<{ ms: number; cpuMs: number }>> = {
      changes: async () => {
        const put = await cpuTimed(() => callJson<ReportChanges>(base, token, 'PUT', `${reportPath(year, ORG, 'T1')}?answer=changes`, body('T1')));
        if (put.value.status !== 200) throw new Error(`PUT ?answer=changes answered ${put.value.status}: ${JSON.stringify(put.value.body).slice(0, 500)}`);
        if (put.value.body.indicators.length !== rows) throw new Error('PUT ?answer=changes did not write every row');
        for (const i of put.value.body.indicators) versions.T1.set(i.indicatorId, i.version);
        answerBytes.changes = JSON.stringify(put.value.body).length;
        return put;
      },
      floor: async () => {
        const floorRows: SameWorkRow[] = sent.map((v) => ({ ...v, baseVersion: versions.T2.get(v.indicatorId)! }));
        const floor = await cpuTimed(() => sameWorkWrite(db, { year, organisation: ORG, period: 'T2' }, floorRows, { sub: 'bench', name: 'Bench', requestId: null }));
        if (floor.value.problems) throw new Error(`same-work statement refused: ${JSON.stringify(floor.value.problems).slice(0, 300)}`);
        if (floor.value.written?.length !== rows) throw new Error('same-work statement did not write every row');
        for (const w of floor.value.written) versions.T2.set(w.id, w.version);
        return floor;
      },
      whole: async () => {
        const put = await cpuTimed(() => callJson<Report>(base, token, 'PUT', reportPath(year, ORG, 'VB'), body('VB')));
        if (put.value.status !== 200) throw new Error(`PUT answered ${put.value.status}: ${JSON.stringify(put.value.body).slice(0, 500)}`);
        if (!put.value.body.indicators.every((i) => i.version === versions.VB.get(i.indicatorId)! + 1)) throw new Error('PUT did not write every row');
        for (const i of put.value.body.indicators) versions.VB.set(i.indicatorId, i.version);
        answerBytes.whole = JSON.stringify(put.value.body).length;
        return put;
      },
      raw: async () => {
        const upsert = await cpuTimed(() =>
          sql<{ indicator_id: number; version: number }>`
            insert into indicator_result (report_id, indicator_id, outcome, forecast, comment, version, changed_by, changed_by_name, changed_at)
            select ${reportIds.VB}, v.indicator_id, v.outcome, v.forecast, v.comment, 1, 'bench', 'Bench', now()
            from unnest(${indicatorIds}::int[], ${sent.map((i) => i.outcome + 0.25)}::numeric[],
                        ${sent.map((i) => i.forecast)}::numeric[], ${sent.map((i) => i.comment)}::text[])
              as v(indicator_id, outcome, forecast, comment)
            on conflict (report_id, indicator_id) do update set
              outcome = excluded.outcome, forecast = excluded.forecast, comment = excluded.comment,
              version = indicator_result.version + 1, changed_by = excluded.changed_by,
              changed_by_name = excluded.changed_by_name, changed_at = excluded.changed_at
            returning indicator_id, version`.execute(db),
        );
        if (upsert.value.rows.length !== rows) throw new Error(`raw upsert wrote ${upsert.value.rows.length} rows`);
        for (const r of upsert.value.rows) versions.VB.set(r.indicator_id, r.version);
        return upsert;
      },
    };
    const order = (['changes', 'floor', 'whole', 'raw'] as const).map((_, n, all) => all[(n + round) % all.length]!);
    const took: Partial<Record<keyof typeof samples, { ms: number; cpuMs: number }>> = {};
    for (const step of order) took[step] = await steps[step]();

    // Like for like: the floor's report holds what the PUT's holds, and both appended one history row per row.
    const compare = await sql<{ differ: string; t1: string; t2: string }>`
      select count(*) filter (where a.status is distinct from b.status or a.outcome is distinct from b.outcome or a.forecast is distinct from b.forecast or a.comment is distinct from b.comment) as differ,
        (select count(*) from change_history where report_id = ${reportIds.T1}) as t1, (select count(*) from change_history where report_id = ${reportIds.T2}) as t2
      from indicator_result a join indicator_result b on b.indicator_id = a.indicator_id and b.report_id = ${reportIds.T2}
      where a.report_id = ${reportIds.T1}`.execute(db);
    const c = compare.rows[0]!;
    if (Number(c.differ) !== 0) throw new Error(`the same-work statement left ${c.differ} rows different from the PUT's`);
    if (Number(c.t1) - history.T1 !== rows || Number(c.t2) - history.T2 !== rows)
      throw new Error(`history grew by ${Number(c.t1) - history.T1} (PUT) and ${Number(c.t2) - history.T2} (floor)`);

    log(`bulk-write ${rows} round ${round}: ${order.map((s) => `${s} ${round1(took[s]!.ms)} ms`).join(', ')}`);
    for (const step of order) {
      samples[step].push(took[step]!.ms);
      cpu[step].push(took[step]!.cpuMs);
    }
    return took.changes!.ms;
  });
  const m = (xs: number[]) => median(xs.slice(warmup));
  const loadavg = round1((loadBefore + os.loadavg()[0]!) / 2);
  return [
    {
      name: 'bulk-write-vs-same-work-sql',
      db: target.kind,
      rows,
      answer: 'changes',
      api_ms: round1(m(samples.changes)),
      floor_ms: round1(m(samples.floor)),
      ratio: round2(m(samples.changes) / m(samples.floor)),
      target: 1.3,
      api_node_cpu_ms: round1(m(cpu.changes)),
      floor_node_cpu_ms: round1(m(cpu.floor)),
      whole_answer_ms: round1(m(samples.whole)),
      whole_answer_ratio: round2(m(samples.whole) / m(samples.floor)),
      answer_bytes: answerBytes.changes,
      loadavg,
    },
    {
      name: 'bulk-write-vs-raw-sql',
      db: target.kind,
      rows,
      answer: 'report',
      api_ms: round1(m(samples.whole)),
      raw_ms: round1(m(samples.raw)),
      ratio: round2(m(samples.whole) / m(samples.raw)),
      target: 2.5,
      api_node_cpu_ms: round1(m(cpu.whole)),
      raw_node_cpu_ms: round1(m(cpu.raw)),
      changes_answer_ratio: round2(m(samples.changes) / m(samples.raw)),
      answer_bytes: answerBytes.whole,
      loadavg,
    },
  ];
}
