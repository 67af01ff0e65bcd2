import type { Kysely } from 'kysely';
import type { Me, Organisation } from '../../core/contract/common';
import { isCentral, type Principal } from '../auth/principal';
import { listOrganisations } from '../db/organisation-queries';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/** The signed-in user and the organisations they may work for (the centre: all). */
export async function me(db: Db, p: Principal): Promise<Me> {
  return { sub: p.sub, name: p.name, roles: p.roles, organisations: await listOrganisations(db, 'name', isCentral(p) ? undefined : p.orgs) };
}

export async function allOrganisations(db: Db): Promise<Organisation[]> {
  return listOrganisations(db, 'kind-name');
}
