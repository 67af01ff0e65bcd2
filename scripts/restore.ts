import path from 'node:path';
import { loadConfig } from '../api/config';
import { BackupError, restoreEmbeddedDatabase } from '../api/db/backup';
import { DatabaseLockedError } from '../api/db/lock';

/** npm run restore -- FILE.tar.gz: replaces the embedded database by a backup, whole or not at all. */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('användning: npm run restore -- FIL.tar.gz');
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error('DATABASE_URL är satt: återställ PostgreSQL med pg_restore, t.ex. pg_restore --clean --if-exists -d "$DATABASE_URL" tertial.dump (se README).');
    return 2;
  }
  try {
    const summary = await restoreEmbeddedDatabase(path.join(config.dataDir, 'pglite'), file);
    console.log(JSON.stringify(summary));
    if (summary.previous) console.error(`Den tidigare databasen finns kvar i ${summary.previous}; ta bort den när du är nöjd.`);
    return 0;
  } catch (e) {
    if (e instanceof DatabaseLockedError || e instanceof BackupError) {
      console.error(`${e.message}\nInget återställdes; databasen är som förut.`);
      return 1;
    }
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
