import type { Consolidation } from '../../core/contract/consolidation';
import { PERIOD_NAMES } from '../../core/sheets/report-layout';

/** Swedish wording that depends on numbers; pure, so that it is tested once. */
export const plural = (n: number, one: string, many: string) => `${n.toLocaleString('sv-SE')} ${n === 1 ? one : many}`;

export function sendSummary(sent: number, errors: number, conflicts: number): string {
  const parts = [plural(sent, 'rad sparad', 'rader sparade')];
  if (errors > 0) parts.push(`${plural(errors, 'rad', 'rader')} med fel ligger kvar i bladet (se listan)`);
  if (conflicts > 0) parts.push(plural(conflicts, 'konflikt', 'konflikter'));
  return parts.join(', ');
}

export function refreshSummary(merged: number, kept: number, missing: number): string {
  const parts = [`${plural(merged, 'rad uppdaterad', 'rader uppdaterade')} från Tertial`];
  if (kept > 0) parts.push(`${plural(kept, 'rad', 'rader')} med dina osända ändringar lämnades orörda (se Fel-kolumnen)`);
  if (missing > 0) parts.push(`${plural(missing, 'ny rad', 'nya rader')} finns i Tertial men inte i bladet: skicka dina ändringar och hämta rapporten på nytt`);
  return `${parts.join('; ')}.`;
}

export function pullSummary(indicators: number, goals: number, sheetNames: readonly string[]): string {
  const sheets = sheetNames.map((n) => `"${n}"`).join(' och ');
  if (indicators === 0 && goals === 0) return `Rapporten har inga indikatorer eller mål för den här perioden. Bladen ${sheets} är tomma.`;
  return `Hämtade ${plural(indicators, 'indikator', 'indikatorer')} och ${plural(goals, 'mål', 'mål')} till bladen ${sheets}. Fyll i de blå cellerna och tryck Spara i Tertial.`;
}

export function formatValue(value: string | number | null): string {
  if (value === null || value === '') return '(tomt)';
  return typeof value === 'number' ? value.toLocaleString('sv-SE', { maximumFractionDigits: 6 }) : value;
}

export function consolidationSummary(c: Pick<Consolidation, 'year' | 'period' | 'organisations'>, sheets: number, replaced: readonly string[]): string {
  const submitted = c.organisations.filter((o) => o.state === 'submitted').length;
  const text = `Hämtade konsolideringen för ${PERIOD_NAMES[c.period]} ${c.year} till ${plural(sheets, 'blad', 'blad')}: ${submitted} av ${plural(c.organisations.length, 'organisation', 'organisationer')} har skickat in.`;
  return replaced.length > 0 ? `${text} Ersatte ${plural(replaced.length, 'befintligt blad', 'befintliga blad')} med samma namn: ${replaced.join(', ')}.` : text;
}

export function uploadSummary(saved: number, reportInWorkbook: boolean): string {
  if (saved === 0) return 'Arbetsboken är uppladdad. Inga värden skilde sig från Tertial, så inget behövde sparas.';
  const text = `Arbetsboken är uppladdad: ${plural(saved, 'rad sparad', 'rader sparade')} i Tertial.`;
  return reportInWorkbook ? `${text} Tryck Uppdatera för att få in dem i bladet här.` : text;
}
