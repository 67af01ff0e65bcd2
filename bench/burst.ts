import type { Report } from '../api/contract/report';
import { DEMO_YEAR, wholeReportBody } from './city';
import { callJson, reportPath } from './http';
import { log, percentile, rounds, round1, timed } from './measure';
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
  let errors = 0;
  await rounds(warmup, measured, async (round) => {
    const results = await Promise.all(
      clients.map(async (c) => {
        const put = await timed(() => callJson<Report>(base, c.token, 'PUT', c.path, wholeReportBody(c.report, 10 + round)));
        if (put.value.status === 200) c.report = put.value.body;
        else {
          log(`burst: ${c.org} answered ${put.value.status} ${JSON.stringify(put.value.body).slice(0, 200)}`);
          c.report = (await callJson<Report>(base, c.token, 'GET', c.path)).body;
        }
        return { ms: put.ms, ok: put.value.status === 200 };
      }),
    );
    if (round >= warmup) {
      latencies.push(...results.map((r) => r.ms));
      errors += results.filter((r) => !r.ok).length;
    }
    log(`burst round ${round}: slowest ${round1(Math.max(...results.map((r) => r.ms)))} ms`);
    return 0;
  });
  return {
    name: 'deadline-burst-p95-ms',
    db: target.kind,
    orgs: organisations.length,
    requests: latencies.length,
    p50: round1(percentile(latencies, 50)),
    value: round1(percentile(latencies, 95)),
    errors,
  };
}
