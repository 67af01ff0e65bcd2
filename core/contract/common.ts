import { z } from 'zod';

/** The media type of the report and consolidation workbooks (xlsx). */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const YearSchema = z.coerce.number().int().min(2000).max(2100);
export const PeriodCodeSchema = z.enum(['T1', 'T2', 'VB']);
export const DirectionSchema = z.enum(['higher', 'lower', 'band']);
export const FrequencySchema = z.enum(['tertial', 'annual']);
export const AssessmentSchema = z.enum(['helt', 'delvis', 'ej']);
export const OrganisationKindSchema = z.enum(['stadsdelsnamnd', 'facknamnd', 'bolag']);
export const RoleSchema = z.enum(['controller', 'central']);
export const OrganisationCodeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'organisation code: a-z, 0-9 and -');

export const OrganisationSchema = z.object({
  code: OrganisationCodeSchema,
  name: z.string().min(1),
  kind: OrganisationKindSchema,
});

export const MeSchema = z.object({
  sub: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  organisations: z.array(OrganisationSchema),
});

export const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
});

/** How the task pane signs in: a pasted development token, or Entra ID through nested app authentication. */
export const SignInConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('development') }),
  z.object({ mode: z.literal('entra'), clientId: z.string(), authority: z.string(), scopes: z.array(z.string()) }),
  z.object({ mode: z.literal('unconfigured') }),
]);

export const ErrorCodeSchema = z.enum([
  'MALFORMED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_LARGE',
  'VALIDATION_FAILED',
  'INCOMPLETE',
  'PERIOD_CLOSED',
  'UNAVAILABLE',
  'INTERNAL',
]);

export const ErrorDetailSchema = z
  .object({
    index: z.number().int().optional(),
    row: z.number().int().optional(),
    indicatorId: z.number().int().optional(),
    goalId: z.number().int().optional(),
    field: z.string().optional(),
    code: z.string(),
    message: z.string(),
  })
  .catchall(z.unknown());

export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
    requestId: z.string().optional(),
  }),
});

export type PeriodCode = z.infer<typeof PeriodCodeSchema>;
export type Direction = z.infer<typeof DirectionSchema>;
export type Frequency = z.infer<typeof FrequencySchema>;
export type Assessment = z.infer<typeof AssessmentSchema>;
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type Organisation = z.infer<typeof OrganisationSchema>;
export type Me = z.infer<typeof MeSchema>;
export type SignInConfig = z.infer<typeof SignInConfigSchema>;
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
