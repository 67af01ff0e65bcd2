import request from 'supertest';
import type ExcelJS from 'exceljs';
import { INPUT_FILL, PRINT_ZOOM, columnIndex, decimalsFormat, evidenceTexts, reportColumns } from '../../core/sheets/report-layout';
import { columnLetter } from '../../core/sheets/a1';
import type { Report } from '../../core/contract/report';
import { argb } from '../../api/workbooks/xlsx-format';
import { startTestApi, type TestApi } from '../support/app';
import { YEAR, downloadWorkbook, getJson, putJson, reportPath, upload, workbookPath, xlsxOf } from './helpers';

/**
 * The report workbook: what it looks like when opened, and the round trip — download, fill in
 * as a user would, upload, and the report has the values; every way of getting it wrong refused
 * with nothing written. Farsta's T1: indicators on rows 8–16 of their sheet, goals on rows 7–9 of theirs.
 */
const SHEET = 'T1 2022 Farsta Indikatorer';
const GOAL_SHEET = 'T1 2022 Farsta Mål';
const ACTIVITY_SHEET = 'T1 2022 Farsta Aktiviteter';
const COMMISSION_SHEET = 'T1 2022 Farsta Uppdrag';
const INDICATOR_COLUMNS = reportColumns('indicators', 'T1');
const GOAL_COLUMNS = reportColumns('goals', 'T1');
const col = (key: string) => columnIndex(INDICATOR_COLUMNS, key) + 1;
const goalCol = (key: string) => columnIndex(GOAL_COLUMNS, key) + 1;
const ROW_111 = 8; // indicator 1.1.1: lower is better, KF 2,5
const ROW_121 = 9; // indicator 1.2.1: higher is better, KF 80
const ROW_N1 = 7; // goal N1 under KF goal 1.1
const ROW_N2 = 8; // goal N2 under KF goal 1.2

let api: TestApi;
let central: string;
let farstaController: string;

beforeAll(async () => {
  api = await startTestApi();
  central = await api.token('central', [], 'central-1', 'Stadsledningskontoret');
  farstaController = await api.token('controller', ['sdn-farsta'], 'ctrl-farsta', 'Farsta Controller');
});
afterAll(() => api.close());

const sheetOf = (workbook: ExcelJS.Workbook) => workbook.getWorksheet(SHEET)!;
const goalSheetOf = (workbook: ExcelJS.Workbook) => workbook.getWorksheet(GOAL_SHEET)!;
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
  let goals: ExcelJS.Worksheet;
  beforeAll(async () => {
    workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheet = sheetOf(workbook);
    goals = goalSheetOf(workbook);
  });

  test('has one sheet per row kind with the layout module’s titles and columns', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      SHEET,
      GOAL_SHEET,
      ACTIVITY_SHEET,
      COMMISSION_SHEET,
      'T1 2022 Farsta Kontroller',
      'T1 2022 Farsta Intern kontroll',
      'Tertial',
    ]);
    expect(sheet.getCell('A1').value).toBe(`Tertialrapport 1 ${YEAR} – Farsta stadsdelsnämnd – Indikatorer`);
    expect(String(sheet.getCell('A3').value)).toMatch(/^Status beräknas av Tertial/);
    expect(INDICATOR_COLUMNS.map((_, i) => sheet.getCell(7, i + 1).value)).toEqual(INDICATOR_COLUMNS.map((c) => c.header));
    expect(goals.getCell('A1').value).toBe(`Tertialrapport 1 ${YEAR} – Farsta stadsdelsnämnd – Nämndmål och bedömningar`);
    expect(GOAL_COLUMNS.map((_, i) => goals.getCell(6, i + 1).value)).toEqual(GOAL_COLUMNS.map((c) => c.header));
    expect(sheet.getCell(ROW_111, col('code')).value).toBe('1.1.1');
    expect(sheet.getCell(ROW_111, col('kfTarget')).value).toBe(2.5);
    expect(sheet.getCell(ROW_111, col('kfTarget')).numFmt).toBe(decimalsFormat(1));
    expect(sheet.getCell(ROW_121, col('kfTarget')).numFmt).toBe(decimalsFormat(0));
    expect(goals.getCell(ROW_N1, goalCol('code')).value).toBe('N1');
    expect(goals.getCell(ROW_N1, goalCol('directionGoal')).value).toMatch(/^1 En modern storstad/);
    expect(sheet.getColumn(col('title')).width).toBe(38);
  });

  test('the goals sheet shows what each assessment rests on, beside the suggestion: indicators by status, activities by state', async () => {
    const report = await farstaReport();
    for (const [n, goal] of report.goals.entries()) {
      const row = ROW_N1 + n;
      const texts = evidenceTexts(goal.evidence);
      expect([goal.code, goals.getCell(row, goalCol('indicatorEvidence')).value, goals.getCell(row, goalCol('activityEvidence')).value]).toEqual([
        goal.code,
        texts.indicators,
        texts.activities,
      ]);
    }
    expect(goalCol('indicatorEvidence')).toBe(goalCol('suggested') + 1);
    expect(
      evidenceTexts({ indicators: { helt: 2, delvis: 1, ej: 0, missing: 1, notDue: 2 }, activities: { done: 1, ongoing: 2, notStarted: 0, cancelled: 0, missing: 0 } }),
    ).toEqual({
      indicators: '2 helt, 1 delvis, 1 saknar värde, 2 rapporteras i VB',
      activities: '1 genomförd, 2 pågår',
    });
    expect(
      evidenceTexts({ indicators: { helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 0 }, activities: { done: 0, ongoing: 0, notStarted: 3, cancelled: 1, missing: 0 } }),
    ).toEqual({
      indicators: 'inga indikatorer',
      activities: '3 ej påbörjade, 1 avbruten',
    });
  });

  test('the first input column comes right after key and title, within the first screen beside an open task pane', () => {
    const first = INDICATOR_COLUMNS.findIndex((c) => c.input);
    expect(INDICATOR_COLUMNS[first]!.key).toBe('outcome');
    // Excel's default font: about 7 px a character of width; a 1920 px screen with a 350 px task pane leaves ~1500 px.
    const left = INDICATOR_COLUMNS.slice(0, first).reduce((sum, c) => sum + sheet.getColumn(INDICATOR_COLUMNS.indexOf(c) + 1).width! * 7, 0);
    expect(left).toBeLessThan(400);
    expect(INDICATOR_COLUMNS.slice(first, columnIndex(INDICATOR_COLUMNS, 'error') + 1).reduce((sum, c) => sum + c.width * 7, left)).toBeLessThan(1500);
  });

  test('hides the key and version columns of both sheets', () => {
    expect(sheet.getColumn(col('indicatorId')).hidden).toBe(true);
    expect(sheet.getColumn(col('version')).hidden).toBe(true);
    expect(sheet.getCell(ROW_111, col('indicatorId')).value).toBe(1);
    expect(sheet.getColumn(col('outcome')).hidden).toBe(false);
    expect(goals.getColumn(goalCol('goalId')).hidden).toBe(true);
    expect(typeof goals.getCell(ROW_N1, goalCol('goalId')).value).toBe('number');
  });

  test('is protected without a password, with only the input cells unlocked and blue', () => {
    const protection = (sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
    expect(protection.sheet).toBe(true);
    expect(protection.hashValue).toBeUndefined();
    for (const key of ['outcome', 'forecast', 'comment'] as const) {
      const cell = sheet.getCell(ROW_111, col(key));
      expect(cell.protection?.locked).toBe(false);
      expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(argb(INPUT_FILL));
    }
    for (const key of ['assessment', 'motivation', 'analysis'] as const) expect(goals.getCell(ROW_N1, goalCol(key)).protection?.locked).toBe(false);
    for (const key of ['code', 'kfTarget', 'status', 'indicatorId', 'version'] as const) expect(sheet.getCell(ROW_111, col(key)).protection?.locked).not.toBe(false);
    expect(goals.getCell(ROW_N1, goalCol('suggested')).protection?.locked).not.toBe(false);
  });

  test('validates numbers with a warning (text like "12,5" may stay) and assessments with a list', () => {
    const number = sheet.getCell(ROW_111, col('forecast')).dataValidation;
    expect(number).toMatchObject({ type: 'decimal', errorStyle: 'warning', allowBlank: true });
    expect(sheet.getCell(16, col('outcome')).dataValidation).toMatchObject({ type: 'decimal' });
    expect(goals.getCell(ROW_N2, goalCol('assessment')).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"förväntas uppfyllas helt,förväntas uppfyllas delvis,förväntas ej uppfyllas"'],
      errorStyle: 'stop',
    });
    expect(sheet.getCell(ROW_111, col('comment')).dataValidation).toMatchObject({ type: 'textLength', formulae: [2000] });
    expect(sheet.getCell(ROW_111, col('kfTarget')).dataValidation).toBeUndefined();
  });

  test('colours statuses by their word, freezes header, key and title, filters, and prints A4 landscape at a readable size', () => {
    type Formats = Array<{ ref: string; rules: Array<{ formulae: string[] }> }>;
    const refs = (s: ExcelJS.Worksheet) => (s as unknown as { conditionalFormattings: Formats }).conditionalFormattings;
    const statusColumn = columnLetter(col('status'));
    const words = refs(sheet)
      .find((cf) => cf.ref === `${statusColumn}8:${statusColumn}16`)
      ?.rules.map((r) => r.formulae[0]);
    expect(words).toEqual(['helt', 'delvis', 'ej'].map((w) => `NOT(ISERROR(SEARCH("${w}",${statusColumn}8)))`));
    const suggested = columnLetter(goalCol('suggested'));
    expect(refs(goals).map((cf) => cf.ref)).toEqual([`${suggested}7:${suggested}9`]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 7, xSplit: 2 });
    expect(sheet.autoFilter).toBe(`A7:${columnLetter(INDICATOR_COLUMNS.length)}16`);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, scale: PRINT_ZOOM, printTitlesRow: '7:7', printTitlesColumn: 'A:B' });
    // 11 pt text at the print zoom: at least 8 pt on paper
    expect((11 * PRINT_ZOOM) / 100).toBeGreaterThanOrEqual(8);
    expect(sheet.headerFooter).toMatchObject({ oddHeader: '&LFarsta stadsdelsnämnd&CTertialrapport 1 2022&RIndikatorer', oddFooter: expect.stringContaining('&CSida &P av &N') });
    expect(sheet.getRow(ROW_111).height).toBeGreaterThanOrEqual(15);
  });

  test('identifies its report in a very hidden sheet', () => {
    const identity = workbook.getWorksheet('Tertial')!;
    expect(identity.state).toBe('veryHidden');
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [identity.getCell(i + 1, 1).value, identity.getCell(i + 1, 2).value]));
    expect(fields).toMatchObject({ organisation: 'sdn-farsta', year: YEAR, period: 'T1', indicatorSheet: SHEET, indicatorHeaderRow: 7, goalSheet: GOAL_SHEET, goalHeaderRow: 6 });
    expect(fields).toMatchObject({ activitySheet: ACTIVITY_SHEET, commissionSheet: COMMISSION_SHEET });
    expect(new Date(String(fields.generatedAt)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(fields.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('uploading a filled workbook', () => {
  const HOSTILE = { comment: '=HYPERLINK("http://x","klick")', motivation: '+1+1', analysis: '@SUM(A1)' };

  test('writes what the user typed, like the JSON write: Swedish text numbers, versions, statuses', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const sheet = sheetOf(workbook);
    const goals = goalSheetOf(workbook);
    sheet.getCell(ROW_111, col('outcome')).value = 2.4; // a number
    sheet.getCell(ROW_111, col('forecast')).value = '2,6'; // typed in an English Excel: text
    sheet.getCell(ROW_111, col('comment')).value = HOSTILE.comment;
    sheet.getCell(ROW_121, col('forecast')).value = '12,5';
    goals.getCell(ROW_N1, goalCol('assessment')).value = 'förväntas uppfyllas helt'; // from the dropdown; suggested: delvis (1.1.1 at 2,6 vs 2,5)
    goals.getCell(ROW_N1, goalCol('motivation')).value = HOSTILE.motivation;
    goals.getCell(ROW_N1, goalCol('analysis')).value = HOSTILE.analysis;
    goals.getCell(ROW_N2, goalCol('assessment')).value = 'ej'; // typed as the level's word, as suggested (1.2.1 at 12,5 vs 80)

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
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const sheet = sheetOf(workbook);
    expect(sheet.getCell(ROW_111, col('comment')).value).toBe(HOSTILE.comment);
    expect(sheet.getCell(ROW_111, col('comment')).type).toBe(3 /* ExcelJS.ValueType.String */);
    expect(goalSheetOf(workbook).getCell(ROW_N1, goalCol('motivation')).value).toBe(HOSTILE.motivation);
    expect(goalSheetOf(workbook).getCell(ROW_N1, goalCol('analysis')).value).toBe(HOSTILE.analysis);
    expect(goalSheetOf(workbook).getCell(ROW_N1, goalCol('assessment')).value).toBe('förväntas uppfyllas helt');
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
    expect(error.details![0]!.message).toMatch(/^Bladet "T1 2022 Farsta Indikatorer": Rad 9, Prognos: inte ett tal/);
  });

  test('an assessment that differs from the suggestion without a motivation: 422 on the goal’s row', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    goalSheetOf(workbook).getCell(ROW_N2, goalCol('assessment')).value = 'helt';
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ row: ROW_N2, code: 'MOTIVATION_REQUIRED', sheet: GOAL_SHEET })]);
    expect(error.details![0]!.message).toMatch(/^Bladet "T1 2022 Farsta Mål": Rad 8, Motivering/);
  });

  test('activities and uppdrag: states chosen as Swedish words are written as codes; cancelled without a comment is 422 on its row', async () => {
    const activityColumns = reportColumns('activities', 'T1');
    const commissionColumns = reportColumns('commissions', 'T1');
    const at = (columns: typeof activityColumns, key: string) => columnIndex(columns, key) + 1;
    const rowOf = (sheet: ExcelJS.Worksheet, columns: typeof activityColumns, code: string) => {
      for (let r = 1; r <= sheet.rowCount; r++) if (sheet.getCell(r, at(columns, 'code')).value === code) return r;
      throw new Error(`no row ${code}`);
    };
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    const activities = workbook.getWorksheet(ACTIVITY_SHEET)!;
    const uppdrag = workbook.getWorksheet(COMMISSION_SHEET)!;
    expect(activities.getCell(rowOf(activities, activityColumns, 'N2.A1'), at(activityColumns, 'goal')).value).toMatch(/^N2 /);
    expect(activities.getCell(rowOf(activities, activityColumns, '1.1.A1'), at(activityColumns, 'state')).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"ej påbörjad,pågår,genomförd,avbruten"'],
    });
    const cancelledRow = rowOf(activities, activityColumns, '1.1.A1');
    activities.getCell(cancelledRow, at(activityColumns, 'state')).value = 'avbruten';
    activities.getCell(rowOf(activities, activityColumns, 'N2.A1'), at(activityColumns, 'state')).value = 'Pågår';
    uppdrag.getCell(rowOf(uppdrag, commissionColumns, 'KS-2022-07'), at(commissionColumns, 'state')).value = 'slutfört';
    const error = await expectRefused(await xlsxOf(workbook), 422, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ row: cancelledRow, field: 'comment', code: 'COMMENT_REQUIRED', sheet: ACTIVITY_SHEET })]);

    activities.getCell(cancelledRow, at(activityColumns, 'comment')).value = 'Ersatt av sommarjobb i egen regi.';
    const res = await upload(api, farstaController, workbookPath('sdn-farsta'), await xlsxOf(workbook));
    expect(res.status).toBe(200);
    const report = await farstaReport();
    expect(report.activities.filter((a) => a.state !== null).map((a) => [a.code, a.state, a.comment])).toEqual([
      ['1.1.A1', 'cancelled', 'Ersatt av sommarjobb i egen regi.'],
      ['N2.A1', 'ongoing', null],
    ]);
    expect(report.commissions[0]).toMatchObject({ code: 'KS-2022-07', state: 'done', version: 1 });
    const again = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    expect(again.getWorksheet(COMMISSION_SHEET)!.getCell(rowOf(uppdrag, commissionColumns, 'KS-2022-07'), at(commissionColumns, 'state')).value).toBe('slutfört');
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
      expect.arrayContaining([expect.objectContaining({ row: ROW_121, code: 'KEY_TAMPERED' }), expect.objectContaining({ row: ROW_121, code: 'DUPLICATE_ROW' })]),
    );
    expect(error.details!.find((d) => d.code === 'KEY_TAMPERED')!.message).toMatch(/^Bladet "T1 2022 Farsta Indikatorer": Rad 9: /);
  });

  test('a key that is not a number, and a goal key changed: refused', async () => {
    const workbook = await downloadWorkbook(api, farstaController, workbookPath('sdn-farsta'));
    sheetOf(workbook).getCell(ROW_111, col('indicatorId')).value = 'x';
    goalSheetOf(workbook).getCell(ROW_N1, goalCol('goalId')).value = 99999;
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
    sheet.getCell(7, col('forecast')).value = 'Utfall jan–apr';
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
    expect(error.details![0]!.message).toMatch(/^Bladet "T1 2022 Farsta Indikatorer": Rad 8, Raden har ändrats av Stadsledningskontoret/);
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
    const vbSheet = (workbook: ExcelJS.Workbook) => workbook.getWorksheet('VB 2022 Farsta Indikatorer')!;
    expect(vbSheet(locked).getCell(ROW_111, col('outcome')).protection?.locked).not.toBe(false);

    vbSheet(open).getCell(ROW_111, col('outcome')).value = 2;
    const res = await upload(api, farstaController, workbookPath('sdn-farsta', 'VB'), await xlsxOf(open));
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe('PERIOD_CLOSED');
  });
});
