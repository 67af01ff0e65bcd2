import fs from 'node:fs';
import { loadConfig } from '../api/config';
import { PlanDocumentSchema } from '../api/contract/plan';
import { openDatabase } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { importPlan, PlanReferenceError } from '../api/db/plan-import';
import path from 'node:path';

/**
 * npm run import -- FILE.json: loads a plan document (the shape of data-seed/reference-budget.json)
 * into the configured database. Every problem is named by its path; nothing is written on error.
 */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run import -- FILE.json');
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: cannot read as JSON: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const parsed = PlanDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${file}: not a valid plan document; nothing was written:`);
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || '(document)'}: ${issue.message}`);
    return 1;
  }
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') },
  );
  try {
    await migrateToLatest(database.db);
    const summary = await importPlan(database.db, parsed.data);
    console.log(JSON.stringify(summary));
    return 0;
  } catch (e) {
    if (e instanceof PlanReferenceError) {
      console.error(`${file}: ${e.message}; nothing was written`);
      return 1;
    }
    throw e;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
