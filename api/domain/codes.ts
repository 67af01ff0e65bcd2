/** Goal and indicator codes in their natural order: 1.2 before 1.10, Swedish letters in place. */
export const compareCodes = (a: string, b: string): number => a.localeCompare(b, 'sv', { numeric: true });

export const byCode = <T extends { code: string }>(a: T, b: T): number => compareCodes(a.code, b.code);
