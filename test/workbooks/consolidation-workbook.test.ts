import request from 'supertest';
import type ExcelJS from 'exceljs';
import type { Consolidation } from '../../core/contract/consolidation';
import { XLSX_MIME } from '../../api/workbooks/xlsx-format';
import { startTestApi, type TestApi } from '../support/app';
import { DEMO_INDICATOR_ROWS, DEMO_TERTIAL_ROWS, FARSTA_MOTIVATION, writeConsolidationFixture } from './fixture';
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
  test('counts per organisation follow from the forecasts and the targets in force; annual indicators without a value are reported at VB, not missing', () => {
    // Farsta: four tertial indicators (1.1.1 helt, three without a value) and five annual (1.2.1 delvis and 1.5.1 ej, given
    // a forecast anyway; three without a value).
    expect(org('sdn-farsta')).toMatchObject({ state: 'open', submittedAt: null, counts: { helt: 1, delvis: 1, ej: 1, missing: 3, notDue: 3 } });
    expect(org('sdn-jarva')).toMatchObject({ state: 'submitted', counts: { helt: 9, delvis: 0, ej: 0, missing: 0, notDue: 0 } });
    expect(org('sdn-jarva').submittedAt).not.toBeNull();
    expect(org('fn-kultur')).toMatchObject({ state: 'not_started', counts: { helt: 0, delvis: 0, ej: 0, missing: 3, notDue: 2 } });
    const totals = consolidation.organisations.reduce(
      (t, o) => ({
        helt: t.helt + o.counts.helt,
        delvis: t.delvis + o.counts.delvis,
        ej: t.ej + o.counts.ej,
        missing: t.missing + o.counts.missing,
        notDue: t.notDue + o.counts.notDue,
      }),
      { helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 0 },
    );
    // Of the 185 pairs, 91 are tertial indicators: 5 with a status, 86 missing; of the 94 annual ones, 7 have a status.
    expect(totals).toEqual({ helt: 10, delvis: 1, ej: 1, missing: DEMO_TERTIAL_ROWS - 5, notDue: DEMO_INDICATOR_ROWS - DEMO_TERTIAL_ROWS - 7 });
    expect(consolidation.notReported).toHaveLength(consolidation.organisations.length - 1);
    expect(consolidation.notReported).not.toContain('sdn-jarva');
  });

  test('per indicator: every reporting organisation’s value and status', () => {
    // 1.1.1 is reported by 11 districts, fn-arbetsmarknad and fn-social.
    expect(indicator('1.1.1').counts).toEqual({ helt: 2, delvis: 0, ej: 0, missing: 11, notDue: 0 });
    expect(indicator('1.1.1').results.find((r) => r.organisation === 'sdn-jarva')).toMatchObject({ orgTarget: 4, annualTarget: 4, forecast: 3.9, status: 'helt' });
    expect(indicator('1.2.1')).toMatchObject({ frequency: 'annual', counts: { helt: 1, delvis: 1, ej: 0, missing: 0, notDue: 11 } });
    expect(indicator('1.2.1').results.find((r) => r.organisation === 'sdn-farsta')).toMatchObject({ orgTarget: 75, annualTarget: 75, forecast: 70, status: 'delvis' });
    expect(indicator('1.5.1').counts).toEqual({ helt: 1, delvis: 0, ej: 1, missing: 0, notDue: 10 });
    expect(indicator('3.1.1')).toMatchObject({ direction: 'band', tolerance: 1, frequency: 'tertial' });
  });

  test('every nämndmål with its assessment and indicators; the roll-up per KF goal', () => {
    const farsta = consolidation.goalAssessments.filter((g) => g.organisation === 'sdn-farsta');
    expect(farsta.map((g) => [g.goalCode, g.kfGoalCode, g.directionGoalCode, g.suggestedAssessment, g.assessment])).toEqual([
      ['N1', '1.1', '1', 'helt', 'delvis'],
      ['N2', '1.2', '1', 'delvis', null],
      ['N3', '3.1', '3', null, null],
    ]);
    // N1's indicators are KF's 1.1.1 (helt); N3's are 3.1.1 (tertial, no value) and 3.1.2 (annual).
    expect(farsta[0]!.indicators).toEqual({ helt: 1, delvis: 0, ej: 0, missing: 0, notDue: 0 });
    expect(farsta[2]!.indicators).toEqual({ helt: 0, delvis: 0, ej: 0, missing: 1, notDue: 1 });
    expect(consolidation.goalAssessments.filter((g) => g.organisation === 'fn-kultur').map((g) => g.assessment)).toEqual([null, null]);
    const kf11 = consolidation.goalRollup.kfGoals.find((k) => k.code === '1.1')!;
    // 1.1 is concretised by the 11 districts, fn-arbetsmarknad and fn-social: Järva assessed its N1 as suggested (helt), Farsta delvis.
    expect(kf11).toMatchObject({ organisations: 13, assessments: { helt: 1, delvis: 1, ej: 0, missing: 11 }, suggestedAssessment: 'delvis', suggestedFromIndicators: 'helt' });
    expect(consolidation.goalRollup.kfGoals.map((k) => k.code)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2', '2.3', '2.4', '2.5', '3.1', '3.2']);
    expect(consolidation.goalRollup.directionGoals.map((d) => d.code)).toEqual(['1', '2', '3']);
  });

  test('årsmål below KF’s: the seed’s six and Farsta’s new one; the deviating assessment with its motivation', () => {
    expect(consolidation.belowKfAmbition.map((b) => `${b.organisation} ${b.code} ${b.orgTarget}`).sort()).toEqual(
      [
        'fn-aldre 1.5.3 75',
        'fn-kultur 2.4.1 4200000',
        'fn-utbildning 1.3.1 85',
        'sdn-farsta 1.2.1 75',
        'sdn-jarva 1.1.1 4',
        'sdn-skarholmen 1.1.1 3.5',
        'sdn-sodermalm 1.5.1 87',
      ].sort(),
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

  test('has an overview, the måluppfyllelse, one sheet per inriktningsmål, deviations, forecast accuracy, ambition flags, activities and uppdrag, and steering signals', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Översikt',
      'Måluppfyllelse',
      '1 En modern storstad med möjlig',
      '2 En hållbart växande och dynam',
      '3 En ekonomiskt hållbar och inn',
      'Avvikande bedömningar',
      'Prognossäkerhet',
      'Lägre ambition än KF',
      'Aktiviteter och uppdrag',
      'Intern kontroll',
      'Styrsignaler',
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen' });
      expect(sheet.autoFilter).toBeTruthy();
    }
  });

  test('every sheet protected without a password, like the report workbook; sorting and filtering allowed', () => {
    for (const sheet of workbook.worksheets) {
      const protection = (sheet as unknown as { sheetProtection: Record<string, unknown> | null }).sheetProtection;
      // exceljs reads an allowed action back as true
      expect([sheet.name, protection]).toEqual([sheet.name, expect.objectContaining({ sheet: true, autoFilter: true, sort: true })]);
      expect(protection).not.toHaveProperty('hashValue');
    }
  });

  test('every sheet prints on A4 landscape at 80 % (11 pt text at 8.8 pt), the header row on every page, header and footer', () => {
    for (const sheet of workbook.worksheets) {
      expect([sheet.name, sheet.pageSetup]).toEqual([sheet.name, expect.objectContaining({ orientation: 'landscape', paperSize: 9, fitToPage: false, scale: 80 })]);
      const header = (sheet.views[0] as { ySplit: number }).ySplit; // frozen just below the header
      expect(sheet.pageSetup.printTitlesRow).toBe(`${header}:${header}`);
      expect(sheet.headerFooter.oddHeader).toContain('Konsolidering Tertialrapport 1 2022');
      expect(sheet.headerFooter.oddFooter).toContain('Sida &P av &N');
    }
  });

  test('overview: counts as numbers, totals as formulas without cached results', () => {
    const sheet = workbook.getWorksheet('Översikt')!;
    const header = rowsOf(sheet)[5]!;
    expect(header.slice(1)).toEqual(['Organisation', 'Typ', 'Läge', 'Inskickad', 'Helt', 'Delvis', 'Ej', 'Saknas', 'Rapporteras i VB', 'Indikatorer', 'Andel helt']);
    const farsta = rowStarting(sheet, 'Farsta stadsdelsnämnd');
    expect(farsta.slice(1, 10)).toEqual(['Farsta stadsdelsnämnd', 'Stadsdelsnämnd', 'öppen', undefined, 1, 1, 1, 3, 3]);
    const r = rowsOf(sheet).findIndex((x) => x[1] === 'Farsta stadsdelsnämnd') + 1;
    expect(farsta.slice(10)).toEqual([{ formula: `SUM(E${r}:I${r})` }, { formula: `IF(J${r}-I${r}=0,"",E${r}/(J${r}-I${r}))` }]);
    const jarva = rowStarting(sheet, 'Järva stadsdelsnämnd');
    expect(jarva[3]).toBe('inskickad');
    expect(jarva[4]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const total = rowStarting(sheet, 'Summa');
    expect(total[5]).toEqual({ formula: `SUM(E7:E${6 + consolidation.organisations.length})` });
  });

  test('inriktningsmål 1: each indicator with its counts, then every reporting organisation with its årsmål, value and status', () => {
    const sheet = workbook.getWorksheet('1 En modern storstad med möjlig')!;
    const rows = rowsOf(sheet);
    const headerRow = rows.findIndex((r) => r[1] === 'Kod');
    expect(rows[headerRow]!.slice(1)).toEqual([
      'Kod',
      'Indikator (enhet)',
      'Nämnd eller bolag',
      'Riktning',
      'Årsmål',
      'Värde',
      'Status',
      'Helt',
      'Delvis',
      'Ej',
      'Saknas',
      'Rapporteras i VB',
    ]);
    const line = (code: string, organisation?: string) => rows.find((r) => r[1] === code && r[3] === organisation)!;
    expect(line('1.1')[2]).toMatch(/^KF-mål 1\.1: I Stockholm/);
    expect(line('1.1.1').slice(2, 6)).toEqual(['Andel av befolkningen med ekonomiskt bistånd (%)', undefined, 'Lägre är bättre', 2.5]);
    expect(line('1.1.1', 'Järva stadsdelsnämnd').slice(5, 8)).toEqual([4, 3.9, 'helt']);
    expect(line('1.1.1', 'Farsta stadsdelsnämnd').slice(5, 8)).toEqual([2.5, 2.4, 'helt']);
    expect(line('1.1.1', 'Bromma stadsdelsnämnd').slice(5, 8)).toEqual([2.5, undefined, 'saknas']);
    expect(line('1.2.1', 'Bromma stadsdelsnämnd').slice(5, 8)).toEqual([80, undefined, 'i VB']);
    expect(line('1.1.1', 'Kulturnämnden')).toBeUndefined(); // reports nothing under inriktningsmål 1
    const at = rows.indexOf(line('1.1.1'));
    expect(line('1.1.1')[8]).toEqual({ formula: `COUNTIF(G${at + 2}:G${at + 14},"helt")` });
    // The band indicator keeps its tolerance.
    expect(rows.find((r) => r[1] === '3.1.1' && r[3] === undefined)).toBeUndefined();
    const economy = rowsOf(workbook.getWorksheet('3 En ekonomiskt hållbar och inn')!);
    expect(economy.find((r) => r[1] === '3.1.1' && r[3] === undefined)![4]).toBe('Inom ±1');
  });

  test('måluppfyllelse: every nämndmål under its KF goal and inriktningsmål, counted by COUNTIFS; prognossäkerhet per organisation', () => {
    const rows = rowsOf(workbook.getWorksheet('Måluppfyllelse')!);
    const kf11 = rows.findIndex((r) => r[1] === '1.1');
    expect(rows[kf11]!.slice(4, 6)).toEqual(['delvis', 'helt']);
    expect(rows[kf11]![6]).toEqual({ formula: expect.stringMatching(/^COUNTIFS\(D\d+:D\d+,"helt",C\d+:C\d+,"<>"\)$/) });
    expect(rows[kf11]![10]).toBe('1 av 13 nämnder bedömer att målet förväntas uppfyllas helt, 1 delvis; 11 har inte bedömt det. 2 av 13 indikatorer helt, 11 saknas.');
    expect(rows.find((r) => r[1] === 'N1' && r[3] === 'Farsta stadsdelsnämnd')!.slice(4, 6)).toEqual(['delvis', 'helt']);
    const accuracy = rowsOf(workbook.getWorksheet('Prognossäkerhet')!);
    expect(accuracy.find((r) => r[1] === 'Järva stadsdelsnämnd' && String(r[2]).startsWith('1.1.1 '))!.slice(3, 6)).toEqual([4, 0.2, 3.9]);
  });

  test('deviating assessments with motivation, ambition flags with the difference, steering signals', () => {
    const deviations = rowsOf(workbook.getWorksheet('Avvikande bedömningar')!);
    expect(deviations[4]!.slice(1)).toEqual(['Farsta stadsdelsnämnd', '1.1', expect.stringMatching(/^N1 /), 'helt', 'delvis', FARSTA_MOTIVATION]);
    const ambition = workbook.getWorksheet('Lägre ambition än KF')!;
    const farsta = rowStarting(ambition, 'Farsta stadsdelsnämnd');
    expect(farsta.slice(2, 7)).toEqual(['1.2.1', expect.any(String), 'Högre är bättre', 80, 75]);
    expect(farsta[7]).toMatchObject({ formula: expect.stringMatching(/^F\d+-E\d+$/) });
    const signals = workbook.getWorksheet('Styrsignaler')!;
    expect(rowStarting(signals, 'Kommunfullmäktige').slice(1, 6)).toEqual(['Kommunfullmäktige', 'KF', 12, 16, 5]);
  });
});
