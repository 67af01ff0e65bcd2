import type { z } from 'zod';
import { ApiError, notFound } from '../errors';
import { OrganisationCodeSchema, PeriodCodeSchema, YearSchema, type ErrorDetail } from '../../core/contract/common';

/** Path parameters that do not parse name nothing that exists: 404, not 400. */
export function pathYear(value: unknown): number {
  const parsed = YearSchema.safeParse(value);
  if (!parsed.success || !/^\d{4}$/.test(String(value))) throw notFound(`Budgetåret ${String(value)}`);
  return parsed.data;
}

export function pathPeriod(value: unknown) {
  const parsed = PeriodCodeSchema.safeParse(value);
  if (!parsed.success) throw notFound(`Perioden ${String(value)} (T1, T2 eller VB)`);
  return parsed.data;
}

export function pathOrganisation(value: unknown): string {
  const parsed = OrganisationCodeSchema.safeParse(value);
  if (!parsed.success) throw notFound(`Organisationen ${String(value)}`);
  return parsed.data;
}

/** zod issues as details: the path as field; the code a refinement names (INVALID_CHARACTER), else zod's own. */
export function issueDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((i) => {
    const own = i.code === 'custom' ? (i.params as { code?: unknown } | undefined)?.code : undefined;
    return { field: i.path.join('.') || '(kropp)', code: typeof own === 'string' ? own : i.code.toUpperCase(), message: i.message };
  });
}

/** Parses a whole body with one schema; a wrong shape is MALFORMED with the paths named. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('MALFORMED', 'Begäran har fel form.', issueDetails(parsed.error.issues));
  return parsed.data;
}
