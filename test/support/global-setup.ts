import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { migrateToLatest } from '../../api/db/migrate';
import { seedDemoIfEmpty } from '../../api/db/seed';
import { beginRun } from './temp-dirs';

/**
 * A fresh PGlite runs initdb for seconds; do it once: migrate and seed the demo data, dump the
 * data directory, and let every test file open its own copy from the dump in well under a second.
 * Everything temporary of the run, the dump included, lives in the run's own directory, which
 * global teardown removes.
 */
export default async function globalSetup(): Promise<void> {
  await beginRun();
  const file = path.join(os.tmpdir(), 'template.tar');
  const pglite = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  await seedDemoIfEmpty(db);
  const dump = await pglite.dumpDataDir('none');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  process.env.TERTIAL_TEST_TEMPLATE = file;
}
