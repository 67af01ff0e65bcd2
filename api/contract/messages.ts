/** Swedish words for fields and problems, shared by the API, the add-in and the workbook import. */
export const FIELD_LABELS: Record<string, string> = {
  indicatorId: 'Indikator',
  goalId: 'Mål',
  baseVersion: 'Version',
  outcome: 'Utfall',
  forecast: 'Prognos',
  comment: 'Kommentar',
  assessment: 'Bedömning',
  motivation: 'Motivering',
  analysis: 'Analys',
  annualTarget: 'Årsmål',
};

export type RowProblemCode =
  | 'REQUIRED'
  | 'NOT_A_NUMBER'
  | 'INVALID_VALUE'
  | 'TOO_LONG'
  | 'UNKNOWN_FIELD'
  | 'NOT_AN_OBJECT'
  | 'DUPLICATE_ROW'
  | 'UNKNOWN_INDICATOR'
  | 'UNKNOWN_GOAL'
  | 'MOTIVATION_REQUIRED'
  | 'KEY_TAMPERED';

export function fieldLabel(field: string | undefined): string {
  if (!field) return 'Raden';
  return FIELD_LABELS[field] ?? field;
}

export function problemMessage(code: RowProblemCode | string, field?: string, extra?: { max?: number }): string {
  const label = fieldLabel(field);
  switch (code) {
    case 'REQUIRED':
      return `${label}: värde saknas.`;
    case 'NOT_A_NUMBER':
      return `${label}: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.`;
    case 'INVALID_VALUE':
      return field === 'assessment'
        ? `${label}: välj helt, delvis eller ej.`
        : `${label}: ogiltigt värde.`;
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
    case 'KEY_TAMPERED':
      return 'Raden har en ändrad eller okänd nyckel och kan inte kopplas till rapporten.';
    default:
      return `${label}: ogiltigt värde.`;
  }
}
