import ExcelJS from 'exceljs';
import type { Consolidation } from '../../core/contract/consolidation';
import type { Report } from '../../core/contract/report';
import { consolidationSheets } from '../../core/sheets/consolidation-layout';
import { PRINT_ZOOM } from '../../core/sheets/report-layout';
import { seedDemoEarlierYear } from '../../api/services/demo-earlier-year';
import { startTestApi, type TestApi } from '../support/app';
import { download, getJson } from './helpers';
import { convertToCsv, convertToPdf, describeWithLibreOffice, type PdfPage } from './libreoffice';

/**
 * The demo's full earlier year (2021: T1, T2 and VB, see api/services/demo-earlier-year.ts) as
 * the centre sees it: who reported, last year's values in this year's report, the måluppfyllelse
 * the annual report speaks of (reproduced here from every organisation's own report), the
 * forecast accuracy; then the workbooks opened and printed by LibreOffice.
 */
const EARLIER = 2021;
const path = (period: string) => `/api/v1/years/${EARLIER}/consolidation/${period}`;
const reportPath = (year: number, organisation: string, period: string) => `/api/v1/years/${year}/organisations/${organisation}/reports/${period}`;

let api: TestApi;
let central: string;
const atPeriod: Record<string, Consolidation> = {};

beforeAll(async () => {
  api = await startTestApi();
  central = await api.token('central', [], 'central-demo', 'Stadsledningskontoret');
  await seedDemoEarlierYear(api.database.db);
  for (const period of ['T1', 'T2', 'VB']) atPeriod[period] = await getJson(api, central, path(period));
}, 60_000);
afterAll(() => api?.close());

const vb = () => atPeriod.VB!;

describe('the earlier year in the consolidation', () => {
  test('reported by almost every organisation in every period, a few late or missing; the periods locked', () => {
    const notHandedIn = (period: string) => atPeriod[period]!.organisations.filter((o) => o.state !== 'submitted').map((o) => `${o.code} ${o.state}`);
    expect(notHandedIn('T1')).toEqual(['ab-micasa not_started']);
    expect(notHandedIn('T2')).toEqual(['fn-idrott open']);
    expect(notHandedIn('VB').sort()).toEqual(['ab-stockholmshem not_started', 'sdn-skarholmen open']);
    expect(Object.values(atPeriod).map((c) => c.periodState)).toEqual(['locked', 'locked', 'locked']);
    // At VB every indicator is due: nothing is 'rapporteras i VB', and only the organisation that reported nothing misses values.
    const missing = vb()
      .organisations.filter((o) => o.counts.missing > 0)
      .map((o) => o.code);
    expect(missing).toEqual(['ab-stockholmshem']);
    expect(vb().organisations.every((o) => o.counts.notDue === 0)).toBe(true);
    // At T1 the annual indicators are not due, and none is missing for an organisation that reported.
    const farstaT1 = atPeriod.T1!.organisations.find((o) => o.code === 'sdn-farsta')!.counts;
    expect(farstaT1).toMatchObject({ missing: 0, notDue: 5 });
    expect(farstaT1.helt + farstaT1.delvis + farstaT1.ej).toBe(4);
  });

  test('some assessments deviate from the suggestion, each with its motivation; late surveys are reported as a forecast', async () => {
    expect(vb().deviatingAssessments.length).toBeGreaterThanOrEqual(4);
    for (const d of vb().deviatingAssessments) expect(d.motivation).toMatch(/\S{10,}/);
    const bromma: Report = await getJson(api, central, reportPath(EARLIER, 'sdn-bromma', 'VB'));
    expect(bromma.indicators.find((i) => i.code === '1.5.1')).toMatchObject({ outcome: null, forecast: expect.any(Number), status: expect.stringMatching(/^(helt|delvis|ej)$/) });
  });

  test('activities carried out over the year: most started by T1, more done at T2, most done at VB; cancelled and unfinished ones commented', async () => {
    const results = (period: string) => atPeriod[period]!.activities.flatMap((a) => a.results.filter((r) => r.state !== null));
    const share = (period: string, state: string) => results(period).filter((r) => r.state === state).length / results(period).length;
    for (const period of ['T1', 'T2', 'VB']) expect(results(period).length).toBeGreaterThan(20);
    expect(share('T1', 'done')).toBe(0);
    expect(share('T1', 'ongoing')).toBeGreaterThan(0.5);
    expect(share('T2', 'done')).toBeGreaterThan(share('T1', 'done'));
    expect(share('VB', 'done')).toBeGreaterThan(share('T2', 'done'));
    expect(share('VB', 'not_started')).toBe(0);
    expect(results('VB').some((r) => r.state === 'cancelled')).toBe(true);
    // DOMAIN.md: a comment when cancelled, and at VB whenever not done.
    for (const r of results('VB').filter((x) => x.state !== 'done')) expect(r.comment).toMatch(/\S{10,}/);
    // An organisation's own activities are evidence for its goals at VB.
    const farsta: Report = await getJson(api, central, reportPath(EARLIER, 'sdn-farsta', 'VB'));
    expect(farsta.activities.filter((a) => a.owner === 'organisation').length).toBeGreaterThan(0);
    expect(farsta.activities.every((a) => a.state !== null && a.startDate?.startsWith('2022') !== true)).toBe(true);
    const evidence = farsta.goals.reduce((n, g) => n + g.evidence.activities.done + g.evidence.activities.ongoing + g.evidence.activities.cancelled, 0);
    expect(evidence).toBeGreaterThan(0);
  });

  test('previous values: this year’s report shows last year’s VB outcome; the earlier T2 shows its T1 forecast', async () => {
    const farsta2022: Report = await getJson(api, central, reportPath(2022, 'sdn-farsta', 'T1'));
    const farsta2021: Report = await getJson(api, central, reportPath(EARLIER, 'sdn-farsta', 'VB'));
    for (const indicator of farsta2022.indicators) {
      const last = farsta2021.indicators.find((i) => i.code === indicator.code)!;
      expect([indicator.code, indicator.lastYearOutcome]).toEqual([indicator.code, last.outcome]);
    }
    expect(farsta2022.indicators.filter((i) => i.lastYearOutcome !== null)).toHaveLength(9);
    const t1: Report = await getJson(api, central, reportPath(EARLIER, 'sdn-farsta', 'T1'));
    const t2: Report = await getJson(api, central, reportPath(EARLIER, 'sdn-farsta', 'T2'));
    const tertial = t2.indicators.filter((i) => i.frequency === 'tertial');
    expect(tertial.map((i) => i.previousForecast)).toEqual(tertial.map((i) => t1.indicators.find((x) => x.code === i.code)!.forecast));
    expect(tertial.every((i) => i.previousForecast !== null)).toBe(true);
  });

  test('måluppfyllelse: the roll-up per KF goal is what every organisation’s own VB report says, counted here again', async () => {
    const reports: Report[] = [];
    for (const o of vb().organisations) reports.push(await getJson(api, central, reportPath(EARLIER, o.code, 'VB')));
    const goals = reports.flatMap((r) => r.goals.map((g) => ({ organisation: r.organisation.code, ...g })));
    for (const kf of vb().goalRollup.kfGoals) {
      const under = goals.filter((g) => g.kfGoalCode === kf.code);
      const count = (level: string | null) => under.filter((g) => g.assessment === level).length;
      expect([kf.code, kf.assessments]).toEqual([kf.code, { helt: count('helt'), delvis: count('delvis'), ej: count('ej'), missing: count(null) }]);
      expect(kf.organisations).toBe(new Set(under.map((g) => g.organisation)).size);
      // The indicators of the nämndmål: the goals' own evidence in the reports, summed.
      const evidence = under.reduce(
        (n, g) => ({ helt: n.helt + g.evidence.indicators.helt, delvis: n.delvis + g.evidence.indicators.delvis, ej: n.ej + g.evidence.indicators.ej }),
        { helt: 0, delvis: 0, ej: 0 },
      );
      expect([kf.code, kf.indicators]).toEqual([kf.code, expect.objectContaining(evidence)]);
    }
    // As the annual report puts it.
    const kf11 = vb().goalRollup.kfGoals.find((k) => k.code === '1.1')!;
    expect(kf11).toMatchObject({ organisations: 13, assessments: { helt: 6, delvis: 6, ej: 1, missing: 0 }, indicators: { helt: 4, delvis: 8, ej: 1 } });
    const kf31 = vb().goalRollup.kfGoals.find((k) => k.code === '3.1')!;
    expect(kf31).toMatchObject({ organisations: 30, assessments: { helt: 6, delvis: 21, ej: 1, missing: 2 }, suggestedAssessment: 'delvis' });
  });

  test('prognossäkerhet: every tertial indicator’s T1 and T2 forecast against the VB outcome, by the band rule with 5 % of the årsmål or the band’s own tolerance', () => {
    const rows = vb().forecastAccuracy;
    expect(rows.every((r) => r.frequency === 'tertial')).toBe(true);
    expect(rows).toHaveLength(91);
    for (const r of rows.filter((x) => x.outcome !== null && x.forecastT2 !== null)) {
      const tolerance = r.code === '3.1.1' ? 1 : Math.abs(r.annualTarget!) * 0.05;
      expect(r.tolerance).toBeCloseTo(tolerance, 9);
      const off = Math.abs(r.forecastT2! - r.outcome!);
      const expected = off <= tolerance + 1e-9 ? 'helt' : off <= 2 * tolerance + 1e-9 ? 'delvis' : 'ej';
      expect([r.organisation, r.code, r.accuracyT2]).toEqual([r.organisation, r.code, expected]);
    }
    // Something to show: the T1 forecasts were further off than the T2 ones.
    const helt = (key: 'accuracyT1' | 'accuracyT2') => rows.filter((r) => r[key] === 'helt').length;
    expect(helt('accuracyT2')).toBeGreaterThan(helt('accuracyT1'));
    expect(rows.some((r) => r.accuracyT1 === 'ej')).toBe(true);
  });
});

/** A one-cell workbook printed at 100 %: the height of its word is what 11 pt prints as, whatever font the machine has. */
async function calibration(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Kalibrering');
  sheet.getCell(1, 1).value = 'Kalibrering';
  sheet.getCell(1, 1).font = { name: 'Calibri', family: 2, size: 11 };
  sheet.pageSetup = { orientation: 'landscape', paperSize: 9, scale: 100 };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The height most words on a page have: the table's text. */
const bodyHeight = (page: PdfPage) => {
  const counts = new Map<string, number>();
  for (const w of page.words) counts.set(w.height.toFixed(1), (counts.get(w.height.toFixed(1)) ?? 0) + 1);
  return Number([...counts].sort((a, b) => b[1] - a[1])[0]![0]);
};

describeWithLibreOffice('the earlier year’s workbooks in LibreOffice', () => {
  let sheets: Record<string, string[][]>;
  let printed: Record<string, PdfPage[]>;

  beforeAll(async () => {
    const consolidation = (await download(api, central, `${path('VB')}.xlsx`)).body;
    const report = (await download(api, central, `${reportPath(2022, 'sdn-farsta', 'T1')}/workbook`)).body;
    sheets = (await convertToCsv({ consolidation })).consolidation!;
    printed = await convertToPdf({ consolidation, report, calibration: await calibration() });
  }, 240_000);

  test('måluppfyllelse: LibreOffice counts the nämndmål below each KF goal and inriktningsmål as the roll-up does; the annual report’s sentences', () => {
    const sheet = sheets['Måluppfyllelse']!;
    for (const goal of [...vb().goalRollup.directionGoals, ...vb().goalRollup.kfGoals]) {
      const line = sheet.find((r) => r[0] === goal.code && r[2] === '')!;
      const { helt, delvis, ej, missing } = goal.assessments;
      expect([goal.code, ...line.slice(5, 9)]).toEqual([goal.code, ...[helt, delvis, ej, missing].map(String)]);
    }
    expect(sheet.find((r) => r[0] === '1.1')![9]).toBe('6 av 13 nämnder bedömer att målet uppfylls helt, 6 delvis, 1 ej. 4 av 13 indikatorer helt, 8 delvis, 1 ej.');
    expect(sheet.find((r) => r[0] === '3.1')![9]).toMatch(/^6 av 30 nämnder bedömer att målet uppfylls helt, 21 delvis, 1 ej; 2 har inte bedömt det\. /);
  });

  test('prognossäkerhet: LibreOffice computes each deviation as forecast minus outcome, and counts the forecasts within the tolerance', () => {
    const sheet = sheets['Prognossäkerhet']!;
    const header = sheet.findIndex((r) => r[0] === 'Organisation');
    const names = new Map(vb().organisations.map((o) => [o.name, o.code]));
    const rows = sheet.slice(header + 1, header + 1 + vb().forecastAccuracy.length);
    rows.forEach((line, n) => {
      const f = vb().forecastAccuracy[n]!;
      expect([names.get(line[0]!), line[1]!.split(' ')[0]]).toEqual([f.organisation, f.code]);
      const deviation = (forecast: number | null) => (forecast === null || f.outcome === null ? '' : forecast - f.outcome);
      for (const [cell, forecast] of [
        [line[5]!, f.forecastT1],
        [line[8]!, f.forecastT2],
      ] as const) {
        const expected = deviation(forecast);
        if (expected === '') expect(cell).toBe('');
        else expect(Number(cell)).toBeCloseTo(expected, 6);
      }
    });
    const totals = sheet.find((r) => r[0] === 'Prognoser inom toleransen (helt)')!;
    expect([totals[6], totals[9]]).toEqual([
      String(vb().forecastAccuracy.filter((f) => f.accuracyT1 === 'helt').length),
      String(vb().forecastAccuracy.filter((f) => f.accuracyT2 === 'helt').length),
    ]);
  });

  test('both workbooks print: pages on A4 landscape, the text at 80 % of its size (11 pt printed as 8.8 pt, at least 8 pt)', () => {
    const [reference] = printed.calibration!;
    const size11 = bodyHeight(reference!);
    for (const name of ['consolidation', 'report']) {
      const pages = printed[name]!;
      expect(pages.length).toBeGreaterThan(0);
      for (const [n, page] of pages.entries()) {
        expect([name, n + 1, Math.round(page.width), Math.round(page.height)]).toEqual([name, n + 1, 842, 595]);
        // The table's 11 pt text is on every page at the print zoom (a page may hold more explanation than table).
        const atZoom = page.words.filter((w) => Math.abs(w.height / size11 - PRINT_ZOOM / 100) < 0.03);
        expect([name, n + 1, atZoom.length > 0]).toEqual([name, n + 1, true]);
        // The smallest text on the page (the explanations in 10 pt) still prints at 8 pt or more.
        expect((11 * Math.min(...page.words.map((w) => w.height))) / size11).toBeGreaterThanOrEqual(7.9);
      }
    }
  });

  test('every consolidation sheet prints one page wide: each page holds its sheet’s first and last column (the header row repeated)', async () => {
    const layouts = consolidationSheets(vb(), await getJson(api, central, `/api/v1/years/${EARLIER}/steering-signals`), new Date());
    const seen = new Set<string>();
    for (const [n, page] of printed.consolidation!.entries()) {
      const pageHeader = page.words
        .filter((w) => w.top < 40)
        .map((w) => w.text)
        .join(' ');
      const layout = layouts.find((l) => pageHeader.endsWith(` ${l.name}`))!;
      seen.add(layout.name);
      // Every word of every column header is on the page: no column spilled onto a page of its own, no header word cut.
      const words = new Set(page.words.map((w) => w.text));
      const missing = layout.columns.flatMap((c) => c.header.split(/\s+/)).filter((w) => !words.has(w));
      expect([n + 1, layout.name, missing]).toEqual([n + 1, layout.name, []]);
    }
    expect([...seen]).toEqual(layouts.map((l) => l.name));
  });
});
