import { z } from 'zod';
import type { PeriodCode } from '../contract/common';
import { parseSwedishNumber } from '../domain/numbers';
import { plainText } from '../contract/text';

/**
 * A row kind: one kind of row a user fills in (an indicator result, a goal assessment, …),
 * described once. Its key, its input fields with their types and Swedish words, where it is
 * stored and what the history calls it. The write schema, the stored-values schema (the
 * snapshot an add-in or offline workbook keeps), the sheet's input columns, the reading of
 * typed cells, the SQL column list and the error details are all derived from it, so adding a
 * row kind is one spec, one migration, one query module and their tests.
 */
export type FieldValue = number | string | null;

/** Where the field sits in a sheet: its header, width in characters, wrapped or not. */
export interface SheetColumnLook {
  header: string;
  width: number;
  wrap?: boolean;
}

interface FieldBase {
  /** The field's Swedish name in messages ("Utfall: inte ett tal"). */
  label: string;
  sheet: SheetColumnLook;
}
export interface NumberField extends FieldBase {
  type: 'number';
}
export interface TextField extends FieldBase {
  type: 'text';
  maxLength: number;
}
export interface ChoiceField<O extends string = string> extends FieldBase {
  type: 'choice';
  /** The codes the API speaks. */
  options: readonly O[];
  /**
   * Swedish words for the codes, where a sheet shows words rather than codes ("pågår" for
   * `ongoing`); a function where the words depend on the period ("förväntas uppfyllas helt" at
   * T1/T2, "uppfyllt helt" at VB). A cell may hold the code or its word in any period.
   */
  optionLabels?: Readonly<Record<O, string>> | ((period: PeriodCode) => Readonly<Record<O, string>>);
}
export type FieldSpec = NumberField | TextField | ChoiceField;
export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

export type FieldValueOf<F extends FieldSpec> = F extends NumberField ? number | null : F extends ChoiceField<infer O> ? O | null : string | null;

export interface RowKindSpec<K extends string = string, Id extends string = string, F extends FieldSpecs = FieldSpecs> {
  /** The row's array in the contract, the sheet and error details (`section`): "indicators". */
  kind: K;
  /** The key of a row in the contract: "indicatorId". */
  idKey: Id;
  /** The key's Swedish name: "Indikator". */
  idLabel: string;
  /** The detail code when a write names a row the report does not have (its text is in contract/messages). */
  unknownCode: string;
  /** What the change history calls one row of this kind. */
  historyEntity: string;
  /** Storage: the table (one row per report and key) and its key column. */
  table: string;
  keyColumn: string;
  /** What the user writes: compared, versioned and kept in the history. */
  fields: F;
  /** Server-owned columns written along with the fields (a computed status): no version, no history. */
  derived: readonly string[];
}

export type FieldsOf<S extends RowKindSpec> = S['fields'];
export type FieldName<S extends RowKindSpec> = keyof S['fields'] & string;
export type RowValues<S extends RowKindSpec> = { [N in FieldName<S>]: FieldValueOf<S['fields'][N]> };

/** One row of a write: its key, the version it was read at, and only the fields sent. */
export type RowWrite<S extends RowKindSpec> = { [I in S['idKey']]: number } & { baseVersion: number } & Partial<RowValues<S>>;

/** One row of a write as a client may send it: numbers may also be strings as Swedes type them. */
export type RowWriteInput<S extends RowKindSpec> = { [I in S['idKey']]: number } & { baseVersion: number } & Partial<{
    [N in FieldName<S>]: S['fields'][N] extends NumberField ? number | string | null : FieldValueOf<S['fields'][N]>;
  }>;

/** A row as stored and last read: its version and input values (the snapshot a sheet keeps). */
export type StoredValues<S extends RowKindSpec> = { version: number } & RowValues<S>;

export const fieldNames = <S extends RowKindSpec>(spec: S): FieldName<S>[] => Object.keys(spec.fields) as FieldName<S>[];

export const idOf = <S extends RowKindSpec>(spec: S, row: { readonly [key: string]: unknown }): number => row[spec.idKey] as number;

/** The fields a write carries (omitted fields are left as they are, null clears). */
export function sentValues<S extends RowKindSpec>(spec: S, write: { readonly [key: string]: unknown }): Partial<Record<FieldName<S>, FieldValue>> {
  const out: Partial<Record<FieldName<S>, FieldValue>> = {};
  for (const name of fieldNames(spec)) if (write[name] !== undefined) out[name] = write[name] as FieldValue;
  return out;
}

/** Every input field of a row (a report row, a stored row) by name. */
export function valuesOf<S extends RowKindSpec>(spec: S, row: { readonly [key: string]: unknown }): Record<FieldName<S>, FieldValue> {
  return Object.fromEntries(fieldNames(spec).map((name) => [name, (row[name] ?? null) as FieldValue])) as Record<FieldName<S>, FieldValue>;
}

/** The stored values of a row (version and input fields), as a snapshot keeps them. */
export function storedValuesOf<S extends RowKindSpec>(spec: S, row: { readonly version: number; readonly [key: string]: unknown }): StoredValues<S> {
  return { version: row.version, ...valuesOf(spec, row) } as StoredValues<S>;
}

// --- zod schemas derived from a spec ---------------------------------------------------------

/** A number as JSON or as Swedes type it; `null` or `""` clears. */
export const NumberInputSchema = z.union([z.number(), z.string(), z.null()]).transform((raw, ctx) => {
  const parsed = parseSwedishNumber(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'not a number', params: { code: 'NOT_A_NUMBER' }, input: raw });
    return z.NEVER;
  }
  return parsed.value;
});

/** User text: blank becomes null; characters XML forbids are refused (INVALID_CHARACTER). */
export const textInput = (max: number) =>
  plainText(z.string().max(max))
    .nullable()
    .transform((v) => (v === null || v.trim() === '' ? null : v));

function writeFieldSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'number':
      return NumberInputSchema;
    case 'text':
      return textInput(field.maxLength);
    case 'choice':
      return z.enum(field.options as [string, ...string[]]).nullable();
  }
}

function documentedFieldSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'number':
      return z.union([z.number(), z.string(), z.null()]).describe('A number, or a string as Swedes type it ("12,5", "1 234,5", "12.5"); "" or null clears.');
    case 'text':
      return z.string().max(field.maxLength).nullable();
    case 'choice':
      return z.enum(field.options as [string, ...string[]]).nullable();
  }
}

function storedFieldSchema(field: FieldSpec): z.ZodType {
  return field.type === 'number' ? z.number().nullable() : z.string().nullable();
}

function shape(spec: RowKindSpec, of: (field: FieldSpec) => z.ZodType): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(spec.fields).map(([name, field]) => [name, of(field)]));
}

/** The server's parser of one written row: strict (unknown fields are refused), every field optional. */
export function writeSchema<S extends RowKindSpec>(spec: S): z.ZodType<RowWrite<S>> {
  const fields = Object.fromEntries(Object.entries(shape(spec, writeFieldSchema)).map(([n, s]) => [n, s.optional()]));
  return z.object({ [spec.idKey]: z.number().int().positive(), baseVersion: z.number().int().min(0), ...fields }).strict() as unknown as z.ZodType<RowWrite<S>>;
}

/** The same row as documented in OpenAPI (what a client may send, before parsing). */
export function documentedWriteSchema(spec: RowKindSpec) {
  const fields = Object.fromEntries(Object.entries(shape(spec, documentedFieldSchema)).map(([n, s]) => [n, s.optional()]));
  return z
    .object({
      [spec.idKey]: z.number().int().positive(),
      baseVersion: z.number().int().min(0).describe('The version you read; 409 CONFLICT if someone wrote since.'),
      ...fields,
    })
    .strict();
}

/** The stored values of one row (the snapshot entry): version and every input field. */
export function storedSchema<S extends RowKindSpec>(spec: S): z.ZodType<StoredValues<S>> {
  return z.object({ version: z.number().int().min(0), ...shape(spec, storedFieldSchema) }) as unknown as z.ZodType<StoredValues<S>>;
}

// --- reading what a user typed into a sheet cell ---------------------------------------------

export type CellInput = string | number | boolean | null | undefined;
export type CellRead = { ok: true; value: FieldValue } | { ok: false; code: 'NOT_A_NUMBER' | 'INVALID_VALUE' };

export const isBlankCell = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * A typed cell read by the field's type with the API's own rules (Swedish decimals; a choice as
 * its code or its Swedish label, in any case).
 */
export function readCell(field: FieldSpec, value: CellInput): CellRead {
  if (field.type === 'number') {
    const parsed = parseSwedishNumber(value);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, code: 'NOT_A_NUMBER' };
  }
  if (isBlankCell(value)) return { ok: true, value: null };
  const text = String(value);
  if (field.type === 'text') return { ok: true, value: text };
  const choice = text.trim().normalize('NFC').toLowerCase();
  if (field.options.includes(choice)) return { ok: true, value: choice };
  const labelled = field.options.find((o) => PERIODS.some((p) => choiceLabel(field, o, p).normalize('NFC').toLowerCase() === choice));
  return labelled !== undefined ? { ok: true, value: labelled } : { ok: false, code: 'INVALID_VALUE' };
}

const PERIODS: readonly PeriodCode[] = ['T1', 'T2', 'VB'];

/** The word a sheet shows for a choice in a period: its Swedish label, or the code itself when it has none. */
export function choiceLabel(field: ChoiceField, option: string, period: PeriodCode = 'VB'): string {
  const labels = typeof field.optionLabels === 'function' ? field.optionLabels(period) : field.optionLabels;
  return labels?.[option] ?? option;
}

/** The words a sheet's dropdown offers for a choice field in a period, in the order of its options. */
export const choiceLabels = (field: ChoiceField, period: PeriodCode = 'VB'): string[] => field.options.map((o) => choiceLabel(field, o, period));
