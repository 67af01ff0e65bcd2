import type { Kysely } from 'kysely';
import { demoPlanDocument } from './demo-plan';
import { hasAnyOrganisation } from './organisation-queries';
import { importPlan, type ImportSummary } from './plan-import';
import type { Database } from './schema';

/** Seeds the demo plan into an empty database; a database that has any organisation is left alone. */
export async function seedDemoIfEmpty(db: Kysely<Database>): Promise<ImportSummary | null> {
  if (await hasAnyOrganisation(db)) return null;
  return importPlan(db, demoPlanDocument());
}
