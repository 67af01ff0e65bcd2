import { Kysely, Migrator, sql, type Migration } from 'kysely';
import * as m0001 from '../../migrations/0001_model';
import * as m0002 from '../../migrations/0002_actor_ids_and_plan_history';
import * as m0003 from '../../migrations/0003_activities_and_commissions';
import * as m0004 from '../../migrations/0004_history_one_row_per_change';
import * as m0005 from '../../migrations/0005_plan_states_and_ambition_requests';
import * as m0006 from '../../migrations/0006_internal_control';
import * as m0007 from '../../migrations/0007_internal_control_followup';

/** Every migration, registered here in order; files in migrations/ are never edited once landed. */
const migrations: Record<string, Migration> = {
  '0001_model': m0001,
  '0002_actor_ids_and_plan_history': m0002,
  '0003_activities_and_commissions': m0003,
  '0004_history_one_row_per_change': m0004,
  '0005_plan_states_and_ambition_requests': m0005,
  '0006_internal_control': m0006,
  '0007_internal_control_followup': m0007,
};

/**
 * Applies `only` (every migration by default) up to the last of them, in this session's schema.
 * Kysely first looks for its migration tables among the tables of every schema; on a PostgreSQL
 * server where parallel test suites migrate their own schemas, that catalog read can fail while
 * another schema changes (seen as `column … does not exist`). Nothing has run then, so it is tried again.
 */
export async function migrateThrough<DB>(db: Kysely<DB>, only: Record<string, Migration> = migrations): Promise<string[]> {
  // One session, without the pool's statement timeout: a migration rewrites whole tables.
  return db.connection().execute(async (conn) => {
    await sql`set statement_timeout = 0`.execute(conn);
    try {
      // Name the schema: Kysely otherwise finds its tables in any schema, and parallel test suites
      // (one schema each on one server) would see each other's migration tables.
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn);
      const migrator = new Migrator({ db: conn, provider: { getMigrations: async () => only }, migrationTableSchema: rows[0]!.schema });
      for (let attempt = 1; ; attempt++) {
        const { error, results } = await migrator.migrateToLatest();
        if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
        if (results !== undefined || attempt === 5) throw error instanceof Error ? error : new Error(String(error));
      }
    } finally {
      await sql`reset statement_timeout`.execute(conn).catch(() => undefined);
    }
  });
}

export const migrateToLatest = <DB>(db: Kysely<DB>): Promise<string[]> => migrateThrough(db);
