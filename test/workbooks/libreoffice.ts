import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * LibreOffice as the independent spreadsheet program: it opens our xlsx files, recalculates
 * every formula (forced by the OOXMLRecalcMode setting in a private profile) and writes each
 * sheet as UTF-8 CSV, or prints the workbook to PDF as its page set-up says. See shared/STACK.md.
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
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Converts every file with LibreOffice in a private profile that recalculates on load; `read` gets the output directory. */
async function convertWith<T>(files: Record<string, Buffer>, filter: string, read: (out: string) => T): Promise<T> {
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
      [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', filter, '--outdir', out, ...inputs],
      { timeout: 120_000 },
    );
    return read(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every sheet of every file as CSV rows, keyed by `file name → sheet name`. */
export async function convertToCsv(files: Record<string, Buffer>): Promise<Record<string, Record<string, string[][]>>> {
  return convertWith(files, CSV_FILTER, (out) => {
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
  });
}

/** pdftotext (poppler-utils) reads the printed pages back; npm test installs it beside LibreOffice. */
const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' }).stdout.trim() || null;

/** A printed page: its size in points, and each word with the height of its box (proportional to the printed font size). */
export interface PdfPage {
  width: number;
  height: number;
  /** `top`: the distance from the page's top edge, in points. */
  words: { text: string; height: number; top: number }[];
}

const attribute = (tag: string, name: string) => Number(new RegExp(`${name}="([^"]*)"`).exec(tag)![1]);

/** The pages of a PDF as pdftotext's bounding boxes describe them. */
function pdfPages(file: string): PdfPage[] {
  if (!pdftotext) throw new Error('pdftotext not found: apt-get install -y --no-install-recommends poppler-utils (npm test does it as root)');
  const xml = spawnSync(pdftotext, ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
  return xml
    .split('<page ')
    .slice(1)
    .map((page) => ({
      width: attribute(page, 'width'),
      height: attribute(page, 'height'),
      words: [...page.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)].map(([, tag, text]) => ({
        text: text!,
        height: attribute(tag!, 'yMax') - attribute(tag!, 'yMin'),
        top: attribute(tag!, 'yMin'),
      })),
    }));
}

/** Every file printed to PDF by LibreOffice (each sheet with its own page set-up), read back page by page. */
export async function convertToPdf(files: Record<string, Buffer>): Promise<Record<string, PdfPage[]>> {
  return convertWith(files, 'pdf', (out) => Object.fromEntries(Object.keys(files).map((name) => [name, pdfPages(path.join(out, `${name}.pdf`))])));
}
