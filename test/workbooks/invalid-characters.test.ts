import { sql } from 'kysely';
import type ExcelJS from 'exceljs';
import type { Report } from '../../core/contract/report';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { FARSTA_MOTIVATION, writeConsolidationFixture } from './fixture';
import { YEAR, download, getJson, loadXlsx, reportPath, upload, workbookPath } from './helpers';
import { convertToCsv, describeWithLibreOffice } from './libreoffice';

/**
 * Text already stored with characters XML 1.0 forbids (written before the API refused them, or
 * by other means) must never make a workbook unreadable: both workbooks replace them with
 * U+FFFD and open in exceljs and in LibreOffice; the report workbook still uploads unchanged.
 */
const ORG = 'sdn-farsta';
const BAD_COMMENT = 'Före\uFFFEefter\u0001slut\uFFFF';
const BAD_MOTIVATION = `${FARSTA_MOTIVATION}\u001F\u000B`;
const BAD_NAME = 'Farsta\u0008 stadsdelsnämnd';
const CLEAN_COMMENT = 'Före\uFFFDefter\uFFFDslut\uFFFD';
const CLEAN_MOTIVATION = `${FARSTA_MOTIVATION}\uFFFD\uFFFD`;

let api: TestApi;
let central: string;
let reportFile: Buffer;
let consolidationFile: Buffer;

/** Every string cell of every sheet. */
function texts(workbook: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && out.push(cell.value))));
  return out;
}

beforeAll(async () => {
  api = await startTestApi();
  central = await api.token('central');
  await writeConsolidationFixture(api);
  const farsta = sql`(select id from report where organisation_code = ${ORG} and year = ${YEAR} and period = 'T1')`;
  const db = api.database.db;
  await sql`update indicator_result set comment = ${BAD_COMMENT} where report_id = ${farsta} and forecast is not null`.execute(db);
  await sql`update goal_assessment set motivation = ${BAD_MOTIVATION} where report_id = ${farsta} and motivation is not null`.execute(db);
  await sql`update organisation set name = ${BAD_NAME} where code = ${ORG}`.execute(db);
  reportFile = (await download(api, central, workbookPath(ORG))).body;
  consolidationFile = (await download(api, central, `/api/v1/years/${YEAR}/consolidation/T1.xlsx`)).body;
});
afterAll(() => api.close());

describe(`stored text with characters XML forbids, on ${testDatabaseKind}`, () => {
  test('the report workbook opens, with U+FFFD where the characters were', async () => {
    const workbook = await loadXlsx(reportFile);
    const all = texts(workbook);
    expect(all.filter((t) => t === CLEAN_COMMENT)).toHaveLength(3 * 2); // 3 rows, in the sheet and in its snapshot
    expect(all).toContain(CLEAN_MOTIVATION);
    expect(workbook.worksheets.map((s) => s.name)).toContainEqual(expect.stringMatching(/^T1 2022 Farsta\uFFFD/));
    expect(all.some((t) => /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(t))).toBe(false);
  });

  test('the consolidation workbook opens, with U+FFFD where the characters were', async () => {
    const all = texts(await loadXlsx(consolidationFile));
    expect(all).toContain(CLEAN_MOTIVATION);
    expect(all).toContain('Farsta\uFFFD stadsdelsnämnd');
  });

  test('the report workbook uploads again unchanged: the rows with that text are not written, the stored text is left as it is', async () => {
    const before: Report = await getJson(api, central, reportPath(ORG));
    const res = await upload(api, central, workbookPath(ORG), reportFile);
    expect(res.status).toBe(200);
    const after: Report = await getJson(api, central, reportPath(ORG));
    const i111 = (r: Report) => r.indicators.find((i) => i.code === '1.1.1')!;
    const n1 = (r: Report) => r.goals.find((g) => g.code === 'N1')!;
    expect(i111(after)).toEqual(i111(before));
    expect(n1(after)).toEqual(n1(before));
    expect(i111(after).comment).toBe(BAD_COMMENT);
    expect(n1(after).motivation).toBe(BAD_MOTIVATION);
  });
});

describeWithLibreOffice('LibreOffice opens both workbooks despite the stored characters', () => {
  test('every sheet converts, and the text is there with U+FFFD', async () => {
    const csv = await convertToCsv({ report: reportFile, consolidation: consolidationFile });
    const cells = (book: string) => Object.values(csv[book]!).flat(2);
    expect(Object.keys(csv.report!)).toContainEqual(expect.stringMatching(/^T1 2022 Farsta\uFFFD/));
    expect(cells('report')).toContain(CLEAN_COMMENT);
    expect(cells('report')).toContain(CLEAN_MOTIVATION);
    expect(cells('consolidation')).toContain(CLEAN_MOTIVATION);
  });
});
