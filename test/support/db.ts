import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type DatabaseTimeouts } from '../../api/db/connection';
import { migrateToLatest } from '../../api/db/migrate';
import { seedDemoIfEmpty } from '../../api/db/seed';

/** Where the database tests run: PGlite always; a real PostgreSQL when TEST_DATABASE_URL is set. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testDatabaseKind = testDatabaseUrl ? 'postgres' : 'pglite';

/**
 * A migrated database with the demo data, private to the caller: on PGlite a copy of the
 * template made in global setup; on PostgreSQL a schema of its own, dropped on close.
 * `migrate: false` gives an empty one (no migrations, no data).
 */
export async function openTestDatabase(options: { seed?: boolean; migrate?: boolean; poolSize?: number; timeouts?: Partial<DatabaseTimeouts> } = {}): Promise<DatabaseHandle> {
  const migrate = options.migrate ?? true;
  const seed = migrate && (options.seed ?? true);
  if (testDatabaseUrl) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ kind: 'postgres', url: testDatabaseUrl, poolSize: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    const handle = await openDatabase({
      kind: 'postgres',
      url: testDatabaseUrl,
      searchPath: schema,
      poolSize: options.poolSize ?? 10,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    });
    if (migrate) await migrateToLatest(handle.db);
    if (seed) await seedDemoIfEmpty(handle.db);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const cleanup = await openDatabase({ kind: 'postgres', url: testDatabaseUrl, poolSize: 1 });
        await sql`drop schema ${sql.id(schema)} cascade`.execute(cleanup.db);
        await cleanup.close();
      },
    };
  }
  if (!seed) {
    const handle = await openDatabase({ kind: 'pglite' });
    if (migrate) await migrateToLatest(handle.db);
    return handle;
  }
  const template = process.env.TERTIAL_TEST_TEMPLATE;
  if (!template) throw new Error('TERTIAL_TEST_TEMPLATE is not set: run the tests through jest (global setup)');
  return openDatabase({ kind: 'pglite', loadDataDir: new Blob([fs.readFileSync(template)]) });
}
