import { Kysely, Migrator, type Migration, type MigrationProvider } from 'kysely';
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
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
