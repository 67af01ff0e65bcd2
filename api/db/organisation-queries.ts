import type { Kysely, Selectable } from 'kysely';
import type { Database, OrganisationTable } from './schema';

type Db = Kysely<Database>;

export type Organisation = Selectable<OrganisationTable>;

export async function findOrganisation(db: Db, code: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').select(['code', 'name', 'kind']).where('code', '=', code).executeTakeFirst();
}

/** Organisations in the given order; only those with the given codes when `codes` is given. */
export async function listOrganisations(db: Db, order: 'code' | 'name' | 'kind-name', codes?: readonly string[]): Promise<Organisation[]> {
  if (codes?.length === 0) return [];
  let query = db.selectFrom('organisation').select(['code', 'name', 'kind']);
  if (codes) query = query.where('code', 'in', codes);
  if (order === 'kind-name') query = query.orderBy('kind');
  return query.orderBy(order === 'code' ? 'code' : 'name').execute();
}

export async function hasAnyOrganisation(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('organisation').select('code').limit(1).executeTakeFirst());
}
