import request from 'supertest';
import type ExcelJS from 'exceljs';
import { GOAL_COLUMNS, INDICATOR_COLUMNS, INPUT_FILL, NUMBER_FORMAT, columnIndex } from '../../addin/sheets/report-layout';
import type { Report } from '../../api/contract/report';
import { argb } from '../../api/workbooks/xlsx-format';
import { startTestApi, type TestApi } from '../support/app';
import { YEAR, downloadWorkbook, getJson, putJson, reportPath, upload, workbookPath, xlsxOf } from './helpers';

/**
 * The report workbook: what it looks like when opened, and the round trip — download, fill in
 * as a user would, upload, and the report has the values; every way of getting it wrong refused
 * with nothing written. Farsta's T1 sheet: indicators on rows 8–16, goals on rows 20–22.
 */
const SHEET = 'T1 2022 Farsta';
const col = (key: (typeof INDICATOR_COLUMNS)[number]['key']) => columnIndex(INDICATOR_COLUMNS, key) + 1;
const goalCol = (key: (typeof GOAL_COLUMNS)[number]['key']) => columnIndex(GOAL_COLUMNS, key) + 1;
const ROW_111 = 8; // indicator 1.1.1: lower is better, KF 2,5
const ROW_121 = 9; // indicator 1.2.1: higher is better, KF 80
const ROW_N1 = 20; // goal N1 under KF goal 1.1
const ROW_N2 = 21; // goal N2 under KF goal 1.2

let api: TestApi;
let central: string;
let farstaController: string;

beforeAll(async () => {
  api = await startTestApi();
  central = await api.token('central', [], 'central-1', 'Stadsledningskontoret');
  farstaController = await api.token('controller', ['sdn-farsta'], 'ctrl-farsta', 'Farsta Controller');
});
afterAll(() => api.close());

const sheetOf = (workbook: ExcelJS.Workbook) => workbook.worksheets[0]!;
const farstaReport = (): Promise<Report> => getJson(api, central, reportPath('sdn-farsta'));

async function expectRefused(file: Buffer, status: number, code: string, token = farstaController) {
  const before = await farstaReport();
  const res = await upload(api, token, workbookPath('sdn-farsta'), file);
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(await farstaReport()).toEqual(before);
  return res.body.error as { code: string; message: string; details?: Array<{ row?: number; code: string; field?: string; message: string }> };
}

describe('the downloaded report workbook', () => {
  let workbook: ExcelJS.Workbook;
  let sheet: ExcelJS.Worksheet;
  beforeAll(async () => {
    workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheet = sheetOf(workbook);
  });

  test('has the layout module’s title, tables and columns', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([SHEET, 'Tertial']);
    expect(sheet.getCell('A1').value).toBe(`Tertialrapport 1 ${YEAR} – Farsta stadsdelsnämnd`);
    expect(String(sheet.getCell('A3').value)).toMatch(/^Status beräknas av Tertial/);
    expect(INDICATOR_COLUMNS.map((_, i) => sheet.getCell(7, i + 1).value)).toEqual(INDICATOR_COLUMNS.map((c) => c.header));
    expect(sheet.getCell(18, 1).value).toBe('Mål och bedömningar');
    expect(GOAL_COLUMNS.map((_, i) => sheet.getCell(19, i + 1).value)).toEqual(GOAL_COLUMNS.map((c) => c.header));
    expect(sheet.getCell(ROW_111, col('code')).value).toBe('1.1.1');
    expect(sheet.getCell(ROW_111, col('kfTarget')).value).toBe(2.5);
    expect(sheet.getCell(ROW_111, col('kfTarget')).numFmt).toBe(NUMBER_FORMAT);
    expect(sheet.getCell(ROW_N1, goalCol('goal')).value).toMatch(/^N1 /);
    expect(sheet.getColumn(col('title')).width).toBe(40);
  });

  test('hides the key and version columns and keeps the goal keys invisible', () => {
    expect(sheet.getColumn(col('indicatorId')).hidden).toBe(true);
    expect(sheet.getColumn(col('version')).hidden).toBe(true);
    expect(sheet.getCell(ROW_111, col('indicatorId')).value).toBe(1);
    expect(sheet.getColumn(col('outcome')).hidden).toBe(false);
    // The goal table's keys share columns with visible indicator columns: shown as nothing.
    expect(sheet.getCell(ROW_N1, goalCol('goalId')).numFmt).toBe(';;;');
    expect(typeof sheet.getCell(ROW_N1, goalCol('goalId')).value).toBe('number');
  });

  test('is protected without a password, with only the input cells unlocked and yellow', () => {
    const protection = (sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
    expect(protection.sheet).toBe(true);
    expect(protection.hashValue).toBeUndefined();
    for (const key of ['outcome', 'forecast', 'comment'] as const) {
      const cell = sheet.getCell(ROW_111, col(key));
      expect(cell.protection?.locked).toBe(false);
      expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(argb(INPUT_FILL));
    }
    for (const key of ['assessment', 'motivation', 'analysis'] as const) expect(sheet.getCell(ROW_N1, goalCol(key)).protection?.locked).toBe(false);
    for (const key of ['code', 'kfTarget', 'status', 'indicatorId', 'version'] as const) expect(sheet.getCell(ROW_111, col(key)).protection?.locked).not.toBe(false);
    expect(sheet.getCell(ROW_N1, goalCol('suggested')).protection?.locked).not.toBe(false);
  });

  test('validates numbers with a warning (text like "12,5" may stay) and assessments with a list', () => {
    const number = sheet.getCell(ROW_111, col('forecast')).dataValidation;
    expect(number).toMatchObject({ type: 'decimal', errorStyle: 'warning', allowBlank: true });
    expect(sheet.getCell(16, col('outcome')).dataValidation).toMatchObject({ type: 'decimal' });
    expect(sheet.getCell(ROW_N2, goalCol('assessment')).dataValidation).toMatchObject({ type: 'list', formulae: ['"helt,delvis,ej"'], errorStyle: 'stop' });
    expect(sheet.getCell(ROW_111, col('comment')).dataValidation).toMatchObject({ type: 'textLength', formulae: [2000] });
    expect(sheet.getCell(ROW_111, col('kfTarget')).dataValidation).toBeUndefined();
  });

  test('colours statuses, freezes the header, filters, and prints landscape on one page wide', () => {
    const refs = (sheet as unknown as { conditionalFormattings: Array<{ ref: string; rules: Array<{ formulae: string[] }> }> }).conditionalFormattings;
    const statusColumn = String.fromCharCode(64 + col('status'));
    expect(refs.find((cf) => cf.ref === `${statusColumn}8:${statusColumn}16`)?.rules.map((r) => r.formulae[0])).toEqual(['"helt"', '"delvis"', '"ej"']);
    expect(refs.map((cf) => cf.ref)).toEqual(expect.arrayContaining(['C20:C22', 'D20:D22']));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 7 });
    expect(sheet.autoFilter).toBe('A7:M16');
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
  });

  test('identifies its report in a very hidden sheet', () => {
    const identity = workbook.getWorksheet('Tertial')!;
    expect(identity.state).toBe('veryHidden');
    const fields = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [identity.getCell(i + 1, 1).value, identity.getCell(i + 1, 2).value]));
    expect(fields).toMatchObject({ organisation: 'sdn-farsta', year: YEAR, period: 'T1', sheet: SHEET, indicatorHeaderRow: 7, goalHeaderRow: 19 });
    expect(new Date(String(fields.generatedAt)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(fields.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('uploading a filled workbook', () => {
  const HOSTILE = { comment: '=HYPERLINK("http://x","klick")', motivation: '+1+1', analysis: '@SUM(A1)' };

  test('writes what the user typed, like the JSON write: Swedish text numbers, versions, statuses', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const sheet = sheetOf(workbook);
    sheet.getCell(ROW_111, col('outcome')).value = 2.4; // a number
    sheet.getCell(ROW_111, col('forecast')).value = '2,6'; // typed in an English Excel: text
    sheet.getCell(ROW_111, col('comment')).value = HOSTILE.comment;
    sheet.getCell(ROW_121, col('forecast')).value = '12,5';
    sheet.getCell(ROW_N1, goalCol('assessment')).value = 'helt'; // suggested: delvis (1.1.1 at 2,6 vs 2,5)
    sheet.getCell(ROW_N1, goalCol('motivation')).value = HOSTILE.motivation;
    sheet.getCell(ROW_N1, goalCol('analysis')).value = HOSTILE.analysis;
    sheet.getCell(ROW_N2, goalCol('assessment')).value = 'ej'; // as suggested (1.2.1 at 12,5 vs 80)

    const res = await upload(api, farstaController, workbookPath('sdn-farsta'), await xlsxOf(workbook));
    expect(res.status).toBe(200);

    const report = await farstaReport();
    expect(res.body).toEqual(report);
    const [i111, i121] = [report.indicators.find((i) => i.code === '1.1.1')!, report.indicators.find((i) => i.code === '1.2.1')!];
    expect(i111).toMatchObject({ outcome: 2.4, forecast: 2.6, comment: HOSTILE.comment, status: 'delvis', version: 1, changedBy: 'Farsta Controller' });
    expect(i121).toMatchObject({ forecast: 12.5, status: 'ej', version: 1 });
    expect(report.indicators.filter((i) => i.version > 0)).toHaveLength(2);
    const [n1, n2] = [report.goals.find((g) => g.code === 'N1')!, report.goals.find((g) => g.code === 'N2')!];
    expect(n1).toMatchObject({ suggestedAssessment: 'delvis', assessment: 'helt', motivation: HOSTILE.motivation, analysis: HOSTILE.analysis, version: 1 });
    expect(n2).toMatchObject({ suggestedAssessment: 'ej', assessment: 'ej', motivation: null, version: 1 });
  });

  test('gives the user’s text back as text cells, never as formulas', async () => {
    const sheet = sheetOf(await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta')));
    expect(sheet.getCell(ROW_111, col('comment')).value).toBe(HOSTILE.comment);
    expect(sheet.getCell(ROW_111, col('comment')).type).toBe(3 /* ExcelJS.ValueType.String */);
    expect(sheet.getCell(ROW_N1, goalCol('motivation')).value).toBe(HOSTILE.motivation);
    expect(sheet.getCell(ROW_N1, goalCol('analysis')).value).toBe(HOSTILE.analysis);
    expect(sheet.getCell(ROW_111, col('version')).value).toBe(1);
  });

  test('uploading the same workbook again changes nothing', async () => {
    const before = await farstaReport();
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const res = await upload(api, farstaController, workbookPath('sdn-farsta'), await xlsxOf(workbook));
    expect(res.status).toBe(200);
    expect(await farstaReport()).toEqual(before);
  });

  test('an upload retried with the same Idempotency-Key replays the first answer', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheetOf(workbook).getCell(ROW_121, col('comment')).value = 'Enkäten kommer i maj';
    const file = await xlsxOf(workbook);
    const first = await upload(api, farstaController, workbookPath('sdn-farsta'), file).set('Idempotency-Key', 'upload-1');
    expect(first.status).toBe(200);
    const after = await farstaReport();
    const retry = await upload(api, farstaController, workbookPath('sdn-farsta'), file).set('Idempotency-Key', 'upload-1');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await farstaReport()).toEqual(after);
  });

  test('"abc" in a number cell: 422 naming the sheet row and column, nothing written', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheetOf(workbook).getCell(ROW_121, col('forecast')).value = 'abc';
    sheetOf(workbook).getCell(ROW_111, col('outcome')).value = 3; // a good change in the same upload
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ row: ROW_121, field: 'forecast', code: 'NOT_A_NUMBER' })]);
    expect(error.details![0]!.message).toMatch(/^Rad 9, Prognos: inte ett tal/);
  });

  test('an assessment that differs from the suggestion without a motivation: 422 on the goal’s row', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheetOf(workbook).getCell(ROW_N2, goalCol('assessment')).value = 'helt';
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ row: ROW_N2, code: 'MOTIVATION_REQUIRED' })]);
    expect(error.details![0]!.message).toMatch(/^Rad 21, Motivering/);
  });

  test('another organisation’s workbook sent to this report: refused, nothing written', async () => {
    const jarva = await downloadWorkbook(api, central, workbookPath('sdn-jarva'));
    const error = await expectRefused(await xlsxOf(jarva), 422, 'VALIDATION_FAILED', central);
    expect(error.details).toEqual([expect.objectContaining({ code: 'WRONG_REPORT' })]);
    expect(error.message).toMatch(/gäller sdn-jarva T1 2022, inte sdn-farsta T1 2022/);
  });

  test('another period’s workbook: refused', async () => {
    const t2 = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta', 'T2'));
    const error = await expectRefused(await xlsxOf(t2), 422, 'VALIDATION_FAILED');
    expect(error.details![0]!.code).toBe('WRONG_REPORT');
  });

  test('a changed key: refused as KEY_TAMPERED on that row', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const sheet = sheetOf(workbook);
    sheet.getCell(ROW_121, col('indicatorId')).value = 1; // now a duplicate of row 8: would write 1.1.1 twice
    sheet.getCell(ROW_121, col('forecast')).value = 99;
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: ROW_121, code: 'KEY_TAMPERED' }),
        expect.objectContaining({ row: ROW_121, code: 'DUPLICATE_ROW' }),
      ]),
    );
    expect(error.details!.find((d) => d.code === 'KEY_TAMPERED')!.message).toMatch(/^Rad 9: /);
  });

  test('a key that is not a number, and a goal key changed: refused', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheetOf(workbook).getCell(ROW_111, col('indicatorId')).value = 'x';
    sheetOf(workbook).getCell(ROW_N1, goalCol('goalId')).value = 99999;
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details!.map((d) => [d.row, d.code])).toEqual([
      [ROW_111, 'KEY_TAMPERED'],
      [ROW_N1, 'KEY_TAMPERED'],
    ]);
  });

  test('an altered or missing identification: refused', async () => {
    const altered = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    altered.getWorksheet('Tertial')!.getCell('B2').value = 'sdn-jarva';
    expect((await expectRefused(await xlsxOf(altered), 422, 'VALIDATION_FAILED')).details![0]!.code).toBe('IDENTIFICATION_ALTERED');

    const missing = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    missing.removeWorksheet(missing.getWorksheet('Tertial')!.id);
    expect((await expectRefused(await xlsxOf(missing), 422, 'VALIDATION_FAILED')).details![0]!.code).toBe('NOT_A_REPORT_WORKBOOK');
  });

  test('a moved column: refused as LAYOUT_CHANGED', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const sheet = sheetOf(workbook);
    sheet.getCell(7, col('outcome')).value = 'Prognos helår';
    sheet.getCell(7, col('forecast')).value = 'Utfall';
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ row: 7, code: 'LAYOUT_CHANGED' })]);
  });

  test('a stale workbook: a colleague’s change to another row is kept, a change to the same row is a 409 on that row', async () => {
    const stale = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const current = await farstaReport();
    const i111 = current.indicators.find((i) => i.code === '1.1.1')!;
    await putJson(api, central, reportPath('sdn-farsta'), { indicators: [{ indicatorId: i111.indicatorId, baseVersion: i111.version, outcome: 2.2 }] });

    // I only touched 1.2.1: my change is written, the colleague's 2,2 on 1.1.1 stays.
    sheetOf(stale).getCell(ROW_121, col('comment')).value = 'Enkäten kommer i oktober.';
    const mine = await upload(api, farstaController, workbookPath('sdn-farsta'), await xlsxOf(stale));
    expect(mine.status).toBe(200);
    const after = await farstaReport();
    expect(after.indicators.find((i) => i.code === '1.2.1')!.comment).toBe('Enkäten kommer i oktober.');
    expect(after.indicators.find((i) => i.code === '1.1.1')!).toMatchObject({ outcome: 2.2, version: i111.version + 1 });

    // I also changed 1.1.1, which the colleague changed after my download: 409 on that row, nothing written.
    sheetOf(stale).getCell(ROW_111, col('outcome')).value = 2.3;
    const error = await expectRefused(await xlsxOf(stale), 409, 'CONFLICT');
    expect(error.details).toEqual([expect.objectContaining({ row: ROW_111, code: 'STALE', indicatorId: i111.indicatorId })]);
    expect(error.details![0]!.message).toMatch(/^Rad 8, Raden har ändrats av Stadsledningskontoret/);
  });

  test('a controller uploading for another organisation: 403', async () => {
    const jarvaController = await api.token('controller', ['sdn-jarva'], 'ctrl-jarva');
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    await expectRefused(await xlsxOf(workbook), 403, 'FORBIDDEN', jarvaController);
    expect((await request(api.app).get(workbookPath('sdn-farsta')).auth(jarvaController, { type: 'bearer' })).status).toBe(403);
  });

  test('not an xlsx: 400 MALFORMED; too large: 413 TOO_LARGE; nothing written', async () => {
    await expectRefused(Buffer.from('Kod;Utfall\n1.1.1;12,5\n'), 400, 'MALFORMED');
    const error = await expectRefused(Buffer.alloc(10 * 1024 * 1024 + 1), 413, 'TOO_LARGE');
    expect(error.message).toMatch(/Arbetsboken är större än 10MB/);
  });

  test('a locked period: the workbook has no input cells, and an upload is refused with 423', async () => {
    const open = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta', 'VB'));
    await putJson(api, central, `/api/v1/years/${YEAR}/periods/VB`, { state: 'locked' });
    const locked = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta', 'VB'));
    expect(sheetOf(locked).getCell(ROW_111, col('outcome')).protection?.locked).not.toBe(false);

    sheetOf(open).getCell(ROW_111, col('outcome')).value = 2;
    const res = await upload(api, farstaController, workbookPath('sdn-farsta', 'VB'), await xlsxOf(open));
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe('PERIOD_CLOSED');
  });
});
