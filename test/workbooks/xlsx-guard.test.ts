import JSZip from 'jszip';
import type { Report } from '../../core/contract/report';
import { XLSX_LIMITS } from '../../api/workbooks/xlsx-guard';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { download, getJson, reportPath, upload, workbookPath } from './helpers';
import { writeZip, type ZipPart } from './zip-writer';

/**
 * Zip bombs sent as report workbooks, built here on the fly: each is refused from the zip's
 * directory (or a capped inflate) before exceljs — which unpacks every part in full — sees it.
 */
const ORG = 'sdn-farsta';
const SHEET_XML = 'xl/worksheets/sheet1.xml';
const MiB = 1024 * 1024;

let api: TestApi;
let token: string;
let parts: ZipPart[];
let loadAsync: jest.SpyInstance;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.token('controller', [ORG]);
  const file = (await download(api, token, workbookPath(ORG))).body;
  const zip = await JSZip.loadAsync(file);
  parts = await Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map(async (f) => ({ name: f.name, content: await f.async('nodebuffer') })),
  );
});
afterAll(() => api.close());
beforeEach(() => {
  loadAsync = jest.spyOn(JSZip, 'loadAsync');
});
afterEach(() => loadAsync.mockRestore());

/** The downloaded workbook with one part replaced or added. */
function workbookWith(part: ZipPart): Buffer {
  return writeZip([...parts.filter((p) => p.name !== part.name), part]);
}

const sheetXml = () => parts.find((p) => p.name === SHEET_XML)!.content;

async function expectRefused(file: Buffer, status: number, code: string) {
  const before: Report = await getJson(api, token, reportPath(ORG));
  const res = await upload(api, token, workbookPath(ORG), file);
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(loadAsync).not.toHaveBeenCalled(); // exceljs never opened it
  expect(await getJson(api, token, reportPath(ORG))).toEqual(before);
  return res.body.error.message as string;
}

describe(`xlsx uploads that unpack to too much, on ${testDatabaseKind}`, () => {
  test('the real workbook, zipped again part by part, still uploads (the zips below differ only in the bomb)', async () => {
    const res = await upload(api, token, workbookPath(ORG), writeZip(parts));
    expect(res.status).toBe(200);
    expect(loadAsync).toHaveBeenCalledTimes(1);
  });

  test(`a sheet whose XML unpacks beyond ${XLSX_LIMITS.uncompressedBytes / MiB} MB: 413 TOO_LARGE`, async () => {
    const padded = Buffer.concat([sheetXml(), Buffer.alloc(XLSX_LIMITS.uncompressedBytes + MiB, 0x20)]);
    const file = workbookWith({ name: SHEET_XML, content: padded });
    expect(file.length).toBeLessThan(MiB); // a small upload…
    expect(await expectRefused(file, 413, 'TOO_LARGE')).toMatch(/blir för stor när den packas upp \(över 64 MB\)/);
  });

  test('a part declared at 7.5 GiB (zip64), like the bomb that ended the process: 413 from the directory alone', async () => {
    const file = workbookWith({ name: SHEET_XML, content: Buffer.alloc(MiB, 0x20), declaredSize: 7.5 * 1024 * MiB });
    expect(await expectRefused(file, 413, 'TOO_LARGE')).toMatch(/packas upp/);
  });

  test('a part packed far tighter than any workbook (2 MB from a few KB): 413', async () => {
    const file = workbookWith({ name: 'xl/media/image1.png', content: Buffer.alloc(2 * MiB, 0) });
    expect(await expectRefused(file, 413, 'TOO_LARGE')).toMatch(`Delen xl/media/image1.png i arbetsboken är packad mer än ${XLSX_LIMITS.ratio} gånger`);
  });

  test('a directory that understates a part: caught by the capped inflate, 413', async () => {
    // 30 MB of spaces declared as 400 KB: total and ratio look harmless; the data does not.
    const file = workbookWith({ name: SHEET_XML, content: Buffer.alloc(30 * MiB, 0x20), declaredSize: 400 * 1024 });
    expect(await expectRefused(file, 413, 'TOO_LARGE')).toMatch(/packas upp till mer än den uppger/);
  });

  test(`more than ${XLSX_LIMITS.entries} parts: 413`, async () => {
    const many = Array.from({ length: XLSX_LIMITS.entries + 1 }, (_, i) => ({ name: `xl/media/p${i}.bin`, content: Buffer.from('x') }));
    const file = writeZip([...parts, ...many]);
    expect(await expectRefused(file, 413, 'TOO_LARGE')).toMatch(/för många delar/);
  });

  test('not a plain zip (bytes before it, or a broken deflate stream): 400 MALFORMED', async () => {
    await expectRefused(Buffer.concat([Buffer.from('MZ-prefix'), writeZip(parts)]), 400, 'MALFORMED');
    const broken = writeZip(parts.map((p) => (p.name === SHEET_XML ? { ...p, content: Buffer.from('<worksheet/>') } : p)));
    const at = broken.indexOf(Buffer.from(SHEET_XML)) + SHEET_XML.length;
    broken.fill(0xff, at, at + 4); // the deflate data of sheet1.xml follows its local header
    await expectRefused(broken, 400, 'MALFORMED');
  });
});
