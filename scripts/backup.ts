import path from 'node:path';
import { loadConfig } from '../api/config';
import { BackupError, backupEmbeddedDatabase } from '../api/db/backup';
import { DatabaseLockedError } from '../api/db/lock';

/** npm run backup -- FILE.tar.gz: the embedded database (TERTIAL_DATA_DIR/pglite) to one file. */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('användning: npm run backup -- FIL.tar.gz');
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error('DATABASE_URL är satt: säkerhetskopiera PostgreSQL med pg_dump, t.ex. pg_dump -Fc -f tertial.dump "$DATABASE_URL" (se README).');
    return 2;
  }
  try {
    console.log(JSON.stringify(await backupEmbeddedDatabase(path.join(config.dataDir, 'pglite'), file)));
    return 0;
  } catch (e) {
    if (e instanceof DatabaseLockedError || e instanceof BackupError) {
      console.error(`${e.message}\nIngen säkerhetskopia gjordes.`);
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
