/** Small helpers for the benchmarks: timing, medians, one JSON line per result on stdout. */

export const log = (...parts: unknown[]): void => {
  process.stderr.write(`${parts.map(String).join(' ')}\n`);
};

export const emit = (result: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: number[]): number => percentile(values, 50);
export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Runs `rounds` measured rounds after `warmup` unmeasured ones; round numbers continue across both. */
export async function rounds(warmup: number, measured: number, fn: (round: number) => Promise<number>): Promise<number[]> {
  for (let r = 0; r < warmup; r++) await fn(r);
  const out: number[] = [];
  for (let r = warmup; r < warmup + measured; r++) out.push(await fn(r));
  return out;
}
