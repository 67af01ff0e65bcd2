/** A1 references and sheet names as Excel takes them; pure, shared by the add-in and the xlsx workbooks. */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export function rangeRef(fromRow: number, fromColumn: number, toRow: number, toColumn: number): string {
  return `${columnLetter(fromColumn)}${fromRow}:${columnLetter(toColumn)}${toRow}`;
}

/** A sheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] : */
export function safeSheetName(name: string): string {
  return name
    .replace(/[\\/?*[\]:]/g, ' ')
    .slice(0, 31)
    .trim();
}
