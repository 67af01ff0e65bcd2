import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * LibreOffice as the independent spreadsheet program: it opens our xlsx files, recalculates
 * every formula (forced by the OOXMLRecalcMode setting in a private profile) and writes each
 * sheet as UTF-8 CSV. See shared/STACK.md.
 */
export const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim() || null;

/** A missing LibreOffice fails the suite (npm test installs it when it can): never a silent skip. */
export function describeWithLibreOffice(name: string, body: () => void): void {
  if (soffice) return describe(name, body);
  return describe(name, () => {
    test('LibreOffice is installed', () => {
      throw new Error('soffice not found: apt-get install -y --no-install-recommends libreoffice-calc (npm test does it as root)');
    });
  });
}

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** Every sheet of every file as CSV rows, keyed by `file name → sheet name`. */
export async function convertToCsv(files: Record<string, Buffer>): Promise<Record<string, Record<string, string[][]>>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-lo-'));
  try {
    fs.mkdirSync(path.join(dir, 'profile', 'user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'profile', 'user', 'registrymodifications.xcu'), RECALC_ALWAYS);
    const inputs = Object.entries(files).map(([name, buffer]) => {
      const file = path.join(dir, `${name}.xlsx`);
      fs.writeFileSync(file, buffer);
      return file;
    });
    const out = path.join(dir, 'out');
    await promisify(execFile)(
      soffice!,
      [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', CSV_FILTER, '--outdir', out, ...inputs],
      { timeout: 120_000 },
    );
    const result: Record<string, Record<string, string[][]>> = {};
    for (const name of Object.keys(files)) {
      result[name] = Object.fromEntries(
        fs
          .readdirSync(out)
          .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.csv'))
          .map((f) => [f.slice(name.length + 1, -'.csv'.length), parseCsv(fs.readFileSync(path.join(out, f), 'utf8'))]),
      );
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
