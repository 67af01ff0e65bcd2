import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../api/db/connection';

/**
 * A TERTIAL_DATA_DIR whose embedded database is the run's template (migrated, the demo plan):
 * a server starts on it in seconds, without initdb. Under the run's TMPDIR, so teardown removes it.
 */
export async function preparedDataDir(prefix = 'tertial-data-'): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const template = process.env.TERTIAL_TEST_TEMPLATE;
  if (!template) throw new Error('TERTIAL_TEST_TEMPLATE is not set: run the tests through jest (global setup)');
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite'), loadDataDir: new Blob([fs.readFileSync(template)]) });
  await database.close();
  return dataDir;
}
