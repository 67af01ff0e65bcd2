import { REPORT_ROW_KINDS } from '../rows/report-rows';

/** Swedish words for fields and problems, shared by the API, the add-in and the workbook import. */
export const FIELD_LABELS: Record<string, string> = {
  baseVersion: 'Version',
  annualTarget: 'Årsmål',
  ...Object.fromEntries(
    Object.values(REPORT_ROW_KINDS).flatMap((spec) => [[spec.idKey, spec.idLabel], ...Object.entries(spec.fields).map(([name, field]) => [name, field.label])]),
  ),
};

export type RowProblemCode =
  | 'REQUIRED'
  | 'NOT_A_NUMBER'
  | 'PERCENT_NOT_ALLOWED'
  | 'INVALID_VALUE'
  | 'TOO_LONG'
  | 'UNKNOWN_FIELD'
  | 'NOT_AN_OBJECT'
  | 'DUPLICATE_ROW'
  | 'UNKNOWN_INDICATOR'
  | 'UNKNOWN_GOAL'
  | 'MOTIVATION_REQUIRED'
  | 'UNKNOWN_ACTIVITY'
  | 'UNKNOWN_COMMISSION'
  | 'COMMENT_REQUIRED'
  | 'UNKNOWN_CONTROL'
  | 'UNKNOWN_INTERNAL_CONTROL'
  | 'REASON_REQUIRED'
  | 'FINDINGS_REQUIRED'
  | 'KEY_TAMPERED'
  | 'INVALID_CHARACTER'
  | 'FORMULA_NOT_ALLOWED';

/** "Välj helt, delvis eller ej." for a dropdown's options. */
export const chooseFrom = (options: readonly string[]): string => `Välj ${options.slice(0, -1).join(', ')} eller ${options.at(-1)}.`;

export function fieldLabel(field: string | undefined): string {
  if (!field) return 'Raden';
  return FIELD_LABELS[field] ?? field;
}

export function problemMessage(code: RowProblemCode | string, field?: string, extra?: { max?: number }): string {
  const label = fieldLabel(field);
  switch (code) {
    case 'REQUIRED':
      return `${label}: värde saknas.`;
    case 'PERCENT_NOT_ALLOWED':
      return `${label}: indikatorn mäts inte i procent. Skriv talet utan procenttecken.`;
    case 'NOT_A_NUMBER':
      return `${label}: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.`;
    case 'INVALID_VALUE':
      return field === 'assessment' ? `${label}: välj helt, delvis eller ej.` : `${label}: ogiltigt värde.`;
    case 'TOO_LONG':
      return `${label}: texten är för lång (högst ${extra?.max ?? '?'} tecken).`;
    case 'UNKNOWN_FIELD':
      return `${label}: okänt fält.`;
    case 'NOT_AN_OBJECT':
      return 'Raden har fel form.';
    case 'DUPLICATE_ROW':
      return `${label}: raden förekommer mer än en gång i samma sändning.`;
    case 'UNKNOWN_INDICATOR':
      return 'Indikatorn finns inte i den här rapporten.';
    case 'UNKNOWN_GOAL':
      return 'Målet finns inte i den här rapporten.';
    case 'MOTIVATION_REQUIRED':
      return 'Motivering: krävs när bedömningen skiljer sig från den föreslagna.';
    case 'UNKNOWN_ACTIVITY':
      return 'Aktiviteten finns inte i den här rapporten.';
    case 'UNKNOWN_COMMISSION':
      return 'Uppdraget finns inte i den här rapporten.';
    case 'COMMENT_REQUIRED':
      return 'Kommentar: krävs när aktiviteten är avbruten, och i verksamhetsberättelsen när den inte är genomförd.';
    case 'UNKNOWN_CONTROL':
      return 'Kontrollen finns inte i den här rapporten (den rapporteras inte i den här perioden).';
    case 'UNKNOWN_INTERNAL_CONTROL':
      return 'Bedömningen av den interna kontrollen hör till verksamhetsberättelsen för den här rapporten.';
    case 'REASON_REQUIRED':
      return 'Skäl: krävs när kontrollen inte är genomförd. Skriv varför.';
    case 'FINDINGS_REQUIRED':
      return 'Iakttagelser: krävs när kontrollen visar en avvikelse. Skriv vad som hittades.';
    case 'KEY_TAMPERED':
      return 'Raden har en ändrad eller okänd nyckel och kan inte kopplas till rapporten.';
    case 'INVALID_CHARACTER':
      return `${label}: texten innehåller ett tecken som inte är tillåtet (t.ex. ett osynligt styrtecken). Ta bort det och försök igen.`;
    case 'FORMULA_NOT_ALLOWED':
      return `${label}: cellen innehåller en formel utan sparat värde. Skriv in värdet i stället för formeln, eller öppna och spara arbetsboken i Excel så att formeln räknas ut.`;
    default:
      return `${label}: ogiltigt värde.`;
  }
}
