/** PostgreSQL `numeric` and `timestamptz` as the API shows them: numbers and ISO strings. */
export const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
export const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
