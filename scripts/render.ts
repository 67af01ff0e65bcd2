import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { consolidate, steeringSignals } from '../api/services/consolidation-service';
import { seedDemo } from '../api/services/demo-seed';
import { getReport } from '../api/services/report-service';
import { consolidationWorkbook } from '../api/workbooks/consolidation-workbook';
import { reportWorkbook } from '../api/workbooks/report-workbook';

/**
 * npm run render [-- OUT_DIR]: the demo's workbooks as a user sees them — Farsta's report for T1
 * of the demo year (the sheets the add-in writes have the same layout) and the centre's
 * consolidation of the earlier year's VB — printed to PDF by LibreOffice and each page to PNG
 * (pdftoppm), in a fresh demo database of their own. Needs soffice and pdftoppm (Debian:
 * libreoffice-calc, poppler-utils).
 */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'test-artifacts/render');
  fs.mkdirSync(out, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-render-'));
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrateToLatest(database.db);
    await seedDemo(database.db);
    const now = new Date();
    const report = await reportWorkbook(await getReport(database.db, { year: 2022, organisation: 'sdn-farsta', period: 'T1' }), now);
    const consolidation = await consolidationWorkbook(await consolidate(database.db, 2021, 'VB'), await steeringSignals(database.db, 2021), now);
    const files = [
      ['rapport-farsta-T1-2022', report.buffer],
      ['konsolidering-VB-2021', consolidation.buffer],
    ] as const;
    for (const [name, buffer] of files) fs.writeFileSync(path.join(out, `${name}.xlsx`), buffer);
    const profile = path.join(dataDir, 'lo-profile');
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', out, ...files.map(([name]) => path.join(out, `${name}.xlsx`))],
      { stdio: 'ignore', timeout: 180_000 },
    );
    for (const [name] of files) execFileSync('pdftoppm', ['-png', '-r', '70', path.join(out, `${name}.pdf`), path.join(out, name)]);
    console.log(`Skrivet till ${out}:`);
    for (const f of fs.readdirSync(out).sort()) console.log(`  ${f}`);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'soffice eller pdftoppm saknas: apt-get install libreoffice-calc poppler-utils' : e);
  process.exit(1);
});
