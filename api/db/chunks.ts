/**
 * Statement size. PostgreSQL's protocol carries at most 65,535 bind parameters per statement;
 * PGlite breaks earlier and silently: from 32,768 the statement writes nothing and every later
 * query on the connection returns no rows (../shared/STACK.md). A multi-row `.values([...])`
 * takes one parameter per row and column, so every bulk insert goes in chunks under both limits
 * (inside the caller's transaction, so still all or nothing). Where a statement can take arrays
 * (`unnest`, `= any(…)`), one parameter per column is better still.
 */
export const MAX_BIND_PARAMETERS = 16_000;

/** `rows` cut into consecutive chunks of at most `MAX_BIND_PARAMETERS` parameters (`parametersPerRow` each). */
export function chunked<T>(rows: readonly T[], parametersPerRow: number, maxParameters = MAX_BIND_PARAMETERS): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / Math.max(1, parametersPerRow)));
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/** The parameters a row of a multi-row `.values([...])` takes: one per column it sets. */
export const parametersOf = (row: object): number => Object.keys(row).length;
