/** Goal and indicator codes in their natural order: 1.2 before 1.10, Swedish letters in place. */
// One collator: localeCompare with a locale builds one per call (≈ 90 ms to sort 2,000 codes).
const collator = new Intl.Collator('sv', { numeric: true });
export const compareCodes = (a: string, b: string): number => collator.compare(a, b);

export const byCode = <T extends { code: string }>(a: T, b: T): number => compareCodes(a.code, b.code);
