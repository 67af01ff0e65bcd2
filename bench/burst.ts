import type { Report } from '../core/contract/report';
import { DEMO_YEAR, wholeReportBody } from './city';
import { callJson, reportPath } from './http';
import os from 'node:os';
import { log, percentile, rounds, round1, round2, timed } from './measure';
import type { BenchTarget } from './target';

const PERIOD = 'T2';

/**
 * The deadline: every organisation sends its whole report at the same moment, each with its own
 * controller token; several rounds, latency percentiles over all requests, failures counted.
 */
export async function benchDeadlineBurst(target: BenchTarget, warmup = 1, measured = 8) {
  const base = target.running.url;
  const central = await target.token('central');
  const organisations = (await callJson<{ code: string }[]>(base, central, 'GET', '/api/v1/organisations')).body.map((o) => o.code);
  const clients = await Promise.all(
    organisations.map(async (org) => {
      const token = await target.token('controller', [org]);
      const path = reportPath(DEMO_YEAR, org, PERIOD);
      let report = (await callJson<Report>(base, central, 'GET', path)).body;
      if (report.state === 'submitted') report = (await callJson<Report>(base, central, 'POST', `${path}/reopen`)).body;
      return { org, token, path, report };
    }),
  );
  const latencies: number[] = [];
  const orderCorrelations: number[] = [];
  let errors = 0;
  const loadBefore = os.loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  await rounds(warmup, measured, async (round) => {
    // Sent one after another in this order within a few milliseconds (fetch does not wait for the answer).
    const results = await Promise.all(
      clients.map(async (c) => {
        const put = await timed(() => callJson<Report>(base, c.token, 'PUT', c.path, wholeReportBody(c.report, 10 + round)));
        const done = performance.now();
        if (put.value.status === 200) c.report = put.value.body;
        else {
          log(`burst: ${c.org} answered ${put.value.status} ${JSON.stringify(put.value.body).slice(0, 200)}`);
          c.report = (await callJson<Report>(base, c.token, 'GET', c.path)).body;
        }
        return { ms: put.ms, ok: put.value.status === 200, done };
      }),
    );
    if (round >= warmup) {
      latencies.push(...results.map((r) => r.ms));
      errors += results.filter((r) => !r.ok).length;
      orderCorrelations.push(rankCorrelation(results.map((r) => r.done)));
    }
    log(`burst round ${round}: slowest ${round1(Math.max(...results.map((r) => r.ms)))} ms`);
    return 0;
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    name: 'deadline-burst-p95-ms',
    db: target.kind,
    orgs: organisations.length,
    requests: latencies.length,
    p50: round1(percentile(latencies, 50)),
    value: round1(percentile(latencies, 95)),
    max: round1(Math.max(...latencies)),
    // 1: answered exactly in the order sent (first come, first served); 0: no relation to it.
    arrival_order_correlation: round2(orderCorrelations.reduce((a, b) => a + b, 0) / orderCorrelations.length),
    node_cpu_ms_per_request: round1((cpu.user + cpu.system) / 1000 / ((warmup + measured) * clients.length)),
    errors,
    loadavg: round1((loadBefore + os.loadavg()[0]!) / 2),
  };
}

/** Spearman's rank correlation between the order requests were sent (their index) and the order they were answered. */
function rankCorrelation(doneAt: readonly number[]): number {
  const n = doneAt.length;
  if (n < 2) return 1;
  const rank = new Map([...doneAt.keys()].sort((a, b) => doneAt[a]! - doneAt[b]!).map((index, r) => [index, r]));
  const d2 = doneAt.reduce((sum, _, i) => sum + (i - rank.get(i)!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
