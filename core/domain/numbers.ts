/**
 * Numbers as Swedes type them. Accepted: JSON numbers; strings with a decimal comma or point
 * (`12,5`, `12.5`), thousands grouped by a space, no-break space, narrow no-break space or
 * thin space (`1 234,5`), a leading `-`, `+` or Unicode minus (`−3,2`). Empty or blank → null.
 * Rejected on purpose: exponents (`1e3`), both separators at once (`1.234,5` is ambiguous),
 * units or percent signs (`12 %`), and anything else; a typo must never become a number.
 */
export type ParsedNumber = { ok: true; value: number | null } | { ok: false };

const GROUP_SPACES = /[ \u00a0\u202f\u2009]/g;
const PLAIN = /^[+-]?\d+(?:[.,]\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?$/;

export function parseSwedishNumber(input: unknown): ParsedNumber {
  if (input === null || input === undefined) return { ok: true, value: null };
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : { ok: false };
  if (typeof input !== 'string') return { ok: false };
  const text = input.trim().replace(/^\u2212/, '-');
  if (text === '') return { ok: true, value: null };
  if (!PLAIN.test(text) && !GROUPED.test(text)) return { ok: false };
  const value = Number(text.replace(GROUP_SPACES, '').replace(',', '.'));
  return Number.isFinite(value) ? { ok: true, value } : { ok: false };
}

/** Swedish display: decimal comma, no-break space between thousands, up to `decimals` decimals. */
export function formatSwedishNumber(value: number | null, decimals = 2): string {
  if (value === null) return '';
  return new Intl.NumberFormat('sv-SE', { maximumFractionDigits: decimals, useGrouping: true }).format(value);
}

/** Values compared after rounding away float noise (numeric(…) from the database is exact). */
export function roundForCompare(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
