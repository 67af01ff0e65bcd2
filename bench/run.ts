import { benchBulkWrite } from './bulk-write';
import { benchDeadlineBurst } from './burst';
import { benchColdStart } from './cold-start';
import { benchConsolidation } from './consolidation';
import { benchExcelSyncs } from './excel-syncs';
import { emit, log } from './measure';
import { benchScale } from './scale';
import { openTarget } from './target';

/**
 * `npm run bench`: one JSON line per result on stdout, progress on stderr. Embedded PGlite by
 * default; a scratch database beside DATABASE_URL's when it is set. `-- --scale`: how the costs
 * grow with rows, organisations and years (bench/scale.ts).
 */
async function main() {
  const target = await openTarget();
  log(`bench on ${target.kind}`);
  try {
    // `npm run bench -- --scale`: the growth lines (bench/scale.ts) instead of the standard run.
    if (process.argv.includes('--scale')) {
      await benchScale(target);
      return;
    }
    for (const result of await benchBulkWrite(target)) emit(result);
    emit(await benchConsolidation(target));
    emit(await benchDeadlineBurst(target));
    for (const result of await benchColdStart(target)) emit(result);
    for (const result of await benchExcelSyncs()) emit(result);
  } finally {
    await target.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
