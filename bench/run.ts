import { benchBulkWrite } from './bulk-write';
import { benchDeadlineBurst } from './burst';
import { benchColdStart } from './cold-start';
import { benchConsolidation } from './consolidation';
import { benchExcelSyncs } from './excel-syncs';
import { emit, log } from './measure';
import { openTarget } from './target';

/**
 * `npm run bench`: one JSON line per result on stdout, progress on stderr. Embedded PGlite by
 * default; a scratch database beside DATABASE_URL's when it is set.
 */
async function main() {
  const target = await openTarget();
  log(`bench on ${target.kind}`);
  try {
    emit(await benchBulkWrite(target));
    emit(await benchConsolidation(target));
    emit(await benchDeadlineBurst(target));
    emit(await benchColdStart(target));
    for (const result of await benchExcelSyncs()) emit(result);
  } finally {
    await target.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
