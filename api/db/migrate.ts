import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from '../../migrations/0001_model';

/** Every migration, registered here in order; files in migrations/ are never edited once landed. */
const migrations: Record<string, Migration> = {
  '0001_model': m0001,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Name the schema: Kysely otherwise finds its tables in any schema, and parallel test suites
  // (one schema each on one server) would see each other's migration tables.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), migrationTableSchema: rows[0]!.schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
