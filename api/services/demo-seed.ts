import type { Kysely } from 'kysely';
import type { ImportSummary } from '../db/plan-import';
import type { Database } from '../db/schema';
import { seedDemoIfEmpty } from '../db/seed';
import { refreshStatistics } from '../db/statistics';
import { seedDemoEarlierYear } from './demo-earlier-year';
import { seedDemoResults } from './demo-service';

/**
 * The whole demo in an empty database: the demo year's plan, the full earlier year and the demo
 * year's T1; a database that has any organisation is left alone (null).
 */
export async function seedDemo(db: Kysely<Database>): Promise<ImportSummary | null> {
  const seeded = await seedDemoIfEmpty(db);
  if (!seeded) return null;
  await seedDemoEarlierYear(db);
  await seedDemoResults(db);
  // The planner starts from what the seed wrote (PGlite has no autovacuum to do it later).
  await refreshStatistics(db);
  return seeded;
}
