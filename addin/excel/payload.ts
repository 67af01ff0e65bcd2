/**
 * Excel on the web refuses a request (one context.sync()) over 5 MB. Writes are sized by their
 * JSON and queued under a budget; only when the next write would cross it is a sync spent.
 */
export const REQUEST_BUDGET_BYTES = 4_000_000;

export const payloadBytes = (value: unknown): number => JSON.stringify(value).length + 64;

/** Rows cut into runs of at most `limit` bytes each (a single larger row stands alone). */
export function rowChunks<T>(rows: readonly T[], limit: number): { start: number; rows: T[]; bytes: number }[] {
  const chunks: { start: number; rows: T[]; bytes: number }[] = [];
  let current: { start: number; rows: T[]; bytes: number } | undefined;
  rows.forEach((row, i) => {
    const bytes = payloadBytes(row);
    if (!current || (current.rows.length > 0 && current.bytes + bytes > limit)) {
      current = { start: i, rows: [], bytes: 0 };
      chunks.push(current);
    }
    current.rows.push(row);
    current.bytes += bytes;
  });
  return chunks;
}

export class SyncBudget {
  private used = 0;
  constructor(
    private readonly context: { sync(): Promise<unknown> },
    readonly limit: number,
  ) {}

  async queue(bytes: number, write: () => void): Promise<void> {
    if (this.used > 0 && this.used + bytes > this.limit) {
      await this.context.sync();
      this.used = 0;
    }
    write();
    this.used += bytes;
  }
}
