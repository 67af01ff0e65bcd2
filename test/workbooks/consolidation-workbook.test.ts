import request from 'supertest';
import type ExcelJS from 'exceljs';
import type { Consolidation } from '../../api/contract/consolidation';
import { XLSX_MIME } from '../../api/workbooks/xlsx-format';
import { startTestApi, type TestApi } from '../support/app';
import { DEMO_INDICATOR_ROWS, FARSTA_MOTIVATION, writeConsolidationFixture } from './fixture';
import { YEAR, download, getJson, loadXlsx } from './helpers';

/** The centre's consolidation, JSON and workbook, against numbers worked out by hand from the fixture. */
const CONSOLIDATION = `/api/v1/years/${YEAR}/consolidation/T1`;

let api: TestApi;
let central: string;
let consolidation: Consolidation;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  api = await startTestApi();
  central = await api.token('central');
  await writeConsolidationFixture(api);
  consolidation = await getJson(api, central, CONSOLIDATION);
  const res = await download(api, central, `${CONSOLIDATION}.xlsx`);
  expect(res.status).toBe(200);
  workbook = await loadXlsx(res.body);
});
afterAll(() => api.close());

const org = (code: string) => consolidation.organisations.find((o) => o.code === code)!;
const indicator = (code: string) => consolidation.kfGoals.flatMap((g) => g.indicators).find((i) => i.code === code)!;
/** A sheet's rows as arrays of cell values, 1-based like the sheet (index 0 unused). */
const rowsOf = (sheet: ExcelJS.Worksheet) => Array.from({ length: sheet.rowCount }, (_, r) => (sheet.getRow(r + 1).values as ExcelJS.CellValue[]) ?? []);
const rowStarting = (sheet: ExcelJS.Worksheet, first: string) => rowsOf(sheet).find((r) => r[1] === first)!;

describe('the consolidation (JSON)', () => {
  test('counts per organisation follow from the forecasts and the targets in force', () => {
    expect(org('sdn-farsta')).toMatchObject({ state: 'open', submittedAt: null, counts: { helt: 1, delvis: 1, ej: 1, missing: 6 } });
    expect(org('sdn-jarva')).toMatchObject({ state: 'submitted', counts: { helt: 9, delvis: 0, ej: 0, missing: 0 } });
    expect(org('sdn-jarva').submittedAt).not.toBeNull();
    expect(org('fn-kultur')).toMatchObject({ state: 'not_started', counts: { helt: 0, delvis: 0, ej: 0, missing: 5 } });
    const totals = consolidation.organisations.reduce((t, o) => ({ helt: t.helt + o.counts.helt, delvis: t.delvis + o.counts.delvis, ej: t.ej + o.counts.ej, missing: t.missing + o.counts.missing }), { helt: 0, delvis: 0, ej: 0, missing: 0 });
    expect(totals).toEqual({ helt: 10, delvis: 1, ej: 1, missing: DEMO_INDICATOR_ROWS - 12 });
    expect(consolidation.notReported).toHaveLength(consolidation.organisations.length - 1);
    expect(consolidation.notReported).not.toContain('sdn-jarva');
  });

  test('per indicator: every reporting organisation’s value and status', () => {
    // 1.1.1 is reported by 11 districts, fn-arbetsmarknad and fn-social.
    expect(indicator('1.1.1').counts).toEqual({ helt: 2, delvis: 0, ej: 0, missing: 11 });
    expect(indicator('1.1.1').results.find((r) => r.organisation === 'sdn-jarva')).toMatchObject({ orgTarget: 4, annualTarget: 4, forecast: 3.9, status: 'helt' });
    expect(indicator('1.2.1').counts).toEqual({ helt: 1, delvis: 1, ej: 0, missing: 11 });
    expect(indicator('1.2.1').results.find((r) => r.organisation === 'sdn-farsta')).toMatchObject({ orgTarget: 75, annualTarget: 75, forecast: 70, status: 'delvis' });
    expect(indicator('1.5.1').counts).toEqual({ helt: 1, delvis: 0, ej: 1, missing: 10 });
  });

  test('årsmål below KF’s: the seed’s six and Farsta’s new one; the deviating assessment with its motivation', () => {
    expect(consolidation.belowKfAmbition.map((b) => `${b.organisation} ${b.code} ${b.orgTarget}`).sort()).toEqual(
      ['fn-aldre 1.5.3 75', 'fn-kultur 2.4.1 4200000', 'fn-utbildning 1.3.1 85', 'sdn-farsta 1.2.1 75', 'sdn-jarva 1.1.1 4', 'sdn-skarholmen 1.1.1 3.5', 'sdn-sodermalm 1.5.1 87'].sort(),
    );
    expect(consolidation.deviatingAssessments).toEqual([
      expect.objectContaining({ organisation: 'sdn-farsta', goalCode: 'N1', suggestedAssessment: 'helt', assessment: 'delvis', motivation: FARSTA_MOTIVATION }),
    ]);
  });
});

describe('the consolidation workbook', () => {
  test('is served for Accept: xlsx and for the .xlsx path, to the centre only; JSON stays the default', async () => {
    const byAccept = await download(api, central, CONSOLIDATION, XLSX_MIME);
    expect(byAccept.status).toBe(200);
    expect(byAccept.headers['content-type']).toContain(XLSX_MIME);
    expect(byAccept.headers['content-disposition']).toContain('konsolidering-T1-2022.xlsx');
    expect((await loadXlsx(byAccept.body)).worksheets.length).toBe(workbook.worksheets.length);
    expect((await request(api.app).get(CONSOLIDATION).auth(central, { type: 'bearer' }).set('Accept', '*/*')).headers['content-type']).toContain('application/json');
    const controller = await api.token('controller', ['sdn-farsta']);
    expect((await download(api, controller, `${CONSOLIDATION}.xlsx`)).status).toBe(403);
    expect((await download(api, central, `/api/v1/years/${YEAR}/consolidation/T4.xlsx`)).status).toBe(404);
  });

  test('has an overview, one sheet per inriktningsmål, deviations, ambition flags and steering signals', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Översikt',
      '1 En modern storstad med möjlig',
      '2 En hållbart växande och dynam',
      '3 En ekonomiskt hållbar och inn',
      'Avvikande bedömningar',
      'Lägre ambition än KF',
      'Styrsignaler',
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen' });
      expect(sheet.autoFilter).toBeTruthy();
    }
  });

  test('overview: counts as numbers, totals as formulas without cached results', () => {
    const sheet = workbook.getWorksheet('Översikt')!;
    const farsta = rowStarting(sheet, 'sdn-farsta');
    expect(farsta.slice(1, 10)).toEqual(['sdn-farsta', 'Farsta stadsdelsnämnd', 'Stadsdelsnämnd', 'öppen', undefined, 1, 1, 1, 6]);
    const r = rowsOf(sheet).findIndex((x) => x[1] === 'sdn-farsta') + 1;
    expect(farsta[10]).toEqual({ formula: `SUM(F${r}:I${r})` });
    const jarva = rowStarting(sheet, 'sdn-jarva');
    expect(jarva[4]).toBe('inskickad');
    expect(jarva[5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const total = rowStarting(sheet, 'Summa');
    expect(total[6]).toEqual({ formula: `SUM(F5:F${4 + consolidation.organisations.length})` });
  });

  test('inriktningsmål 1: indicators × organisations with the value compared and its status', () => {
    const sheet = workbook.getWorksheet('1 En modern storstad med möjlig')!;
    const names = rowsOf(sheet)[2]!;
    const header = rowsOf(sheet)[3]!;
    expect(header.slice(1, 13)).toEqual(['KF-mål', 'Kod', 'Indikator', 'Enhet', 'Riktning', 'KF:s årsmål', 'Helt', 'Delvis', 'Ej', 'Saknas', 'Värde', 'Status']);
    const at = (name: string) => names.indexOf(name);
    const i111 = rowsOf(sheet).find((x) => x[2] === '1.1.1')!;
    expect(i111[1]).toMatch(/^1\.1 I Stockholm/);
    expect(i111[6]).toBe(2.5);
    expect(i111.slice(at('Järva stadsdelsnämnd'), at('Järva stadsdelsnämnd') + 2)).toEqual([3.9, 'helt']);
    expect(i111.slice(at('Farsta stadsdelsnämnd'), at('Farsta stadsdelsnämnd') + 2)).toEqual([2.4, 'helt']);
    expect(i111.slice(at('Bromma stadsdelsnämnd'), at('Bromma stadsdelsnämnd') + 2)).toEqual([undefined, 'saknas']);
    expect(at('Kulturnämnden')).toBe(-1); // reports nothing under inriktningsmål 1
    expect(i111[7]).toMatchObject({ formula: expect.stringMatching(/^COUNTIF\(K\d+:[A-Z]+\d+,"helt"\)$/) });
  });

  test('deviating assessments with motivation, ambition flags with the difference, steering signals', () => {
    const deviations = rowsOf(workbook.getWorksheet('Avvikande bedömningar')!);
    expect(deviations[4]!.slice(1)).toEqual(['Farsta stadsdelsnämnd', '1.1', expect.stringMatching(/^N1 /), 'helt', 'delvis', FARSTA_MOTIVATION]);
    const ambition = workbook.getWorksheet('Lägre ambition än KF')!;
    const farsta = rowStarting(ambition, 'Farsta stadsdelsnämnd');
    expect(farsta.slice(2, 7)).toEqual(['1.2.1', expect.any(String), 'Högre är bättre', 80, 75]);
    expect(farsta[7]).toMatchObject({ formula: expect.stringMatching(/^F\d+-E\d+$/) });
    const signals = workbook.getWorksheet('Styrsignaler')!;
    expect(rowStarting(signals, 'kf').slice(1, 7)).toEqual(['kf', 'Kommunfullmäktige', 'KF', 12, 16, 0]);
  });
});
