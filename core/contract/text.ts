import type { z } from 'zod';

/**
 * Text we store must be writable into an xlsx workbook again, and xlsx is XML 1.0. XML 1.0
 * forbids the C0 control characters except tab, line feed and carriage return (NUL among them,
 * which PostgreSQL cannot store either), lone UTF-16 surrogates, and U+FFFE/U+FFFF. With the
 * `u` flag a surrogate pair is one code point, so the surrogate range matches only lone halves.
 */
const INVALID_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;
const INVALID_CHARACTERS = new RegExp(INVALID_CHARACTER.source, 'gu');

export const INVALID_CHARACTER_CODE = 'INVALID_CHARACTER';

/** The first character XML 1.0 forbids, as U+XXXX, or null. */
export function invalidCharacterIn(text: string): string | null {
  const found = INVALID_CHARACTER.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** The text with every character XML 1.0 forbids replaced (by U+FFFD, the replacement character). */
export function withoutInvalidCharacters(text: string, replacement = '\uFFFD'): string {
  return text.replace(INVALID_CHARACTERS, replacement);
}

/**
 * The one refinement for text people send: characters XML 1.0 forbids are refused with the
 * detail code INVALID_CHARACTER and a Swedish message naming the field by its path.
 */
export function plainText<S extends z.ZodString>(schema: S): S {
  return schema.refine((text) => invalidCharacterIn(text) === null, {
    params: { code: INVALID_CHARACTER_CODE },
    error: (issue) => {
      const which = typeof issue.input === 'string' ? invalidCharacterIn(issue.input) : null;
      const problem = `ett tecken som inte är tillåtet${which ? ` (${which})` : ''}, t.ex. ett osynligt styrtecken. Ta bort det och försök igen.`;
      return issue.path && issue.path.length > 0 ? `${issue.path.join('.')}: texten innehåller ${problem}` : `Texten innehåller ${problem}`;
    },
  }) as S;
}
