import type { Consolidation, SteeringSignals } from '../../api/contract/consolidation';
import { startTestApi, type TestApi } from '../support/app';
import { DEMO_INDICATOR_ROWS, writeConsolidationFixture } from './fixture';
import { YEAR, download, downloadWorkbook, getJson, loadXlsx, upload, workbookPath, xlsxOf } from './helpers';
import { convertToCsv, describeWithLibreOffice } from './libreoffice';

/**
 * Our workbooks opened by a real spreadsheet program (LibreOffice, headless): the numbers it
 * computes from our formulas match the hand-worked fixture, and hostile text typed by users
 * comes out as the literal text, never evaluated.
 */
const HOSTILE = ['=HYPERLINK("http://x","klick")', '+1+1', '@SUM(A1)', '-2+3'];
const COMMENT_ROWS = [10, 11, 12, 13]; // Farsta T1: indicators 1.5.1, 1.5.2, 1.5.3, 3.1.1
const COMMENT_COLUMN = 10;
const N1_ROW = 20;
const MOTIVATION_COLUMN = 5;

describeWithLibreOffice('LibreOffice opens the workbooks', () => {
  let api: TestApi;
  let sheets: Record<string, string[][]>;
  let consolidation: Consolidation;
  let signals: SteeringSignals;

  beforeAll(async () => {
    api = await startTestApi();
    const central = await api.token('central', [], 'central-lo', 'Stadsledningskontoret');
    await writeConsolidationFixture(api);

    // A user types formulas-looking text into comments and a motivation, offline, and uploads.
    const filled = await downloadWorkbook(api, central, workbookPath('sdn-farsta'));
    HOSTILE.forEach((text, i) => (filled.worksheets[0]!.getCell(COMMENT_ROWS[i]!, COMMENT_COLUMN).value = text));
    filled.worksheets[0]!.getCell(N1_ROW, MOTIVATION_COLUMN).value = HOSTILE[0]!;
    const uploaded = await upload(api, central, workbookPath('sdn-farsta'), await xlsxOf(filled));
    expect(uploaded.status).toBe(200);

    const report = await download(api, central, workbookPath('sdn-farsta'));
    const consolidationFile = await download(api, central, `/api/v1/years/${YEAR}/consolidation/T1.xlsx`);
    // The same workbook with deliberately wrong cached results on the overview's totals.
    const wrong = await loadXlsx(consolidationFile.body);
    const overview = wrong.getWorksheet('Översikt')!;
    overview.getRow(overview.rowCount - 1).eachCell((cell) => {
      const formula = typeof cell.value === 'object' && cell.value && 'formula' in cell.value ? cell.value.formula : undefined;
      if (formula) cell.value = { formula, result: 999 };
    });
    sheets = Object.fromEntries(
      Object.entries(await convertToCsv({ report: report.body, consolidation: consolidationFile.body, wrong: await xlsxOf(wrong) })).flatMap(([file, byName]) =>
        Object.entries(byName).map(([sheet, rows]) => [`${file}/${sheet}`, rows]),
      ),
    );
    consolidation = await getJson(api, central, `/api/v1/years/${YEAR}/consolidation/T1`);
    signals = await getJson(api, central, `/api/v1/years/${YEAR}/steering-signals`);
  }, 180_000);
  afterAll(() => api?.close());

  const row = (sheet: string, first: string) => {
    const found = sheets[sheet]?.find((r) => r[0] === first);
    if (!found) throw new Error(`no row "${first}" in ${sheet}; sheets: ${Object.keys(sheets).join(', ')}`);
    return found;
  };

  test('user text that looks like a formula stays literal text in the report workbook', () => {
    const sheet = sheets['report/T1 2022 Farsta']!;
    expect(COMMENT_ROWS.map((r) => sheet[r - 1]![COMMENT_COLUMN - 1])).toEqual(HOSTILE);
    expect(sheet[N1_ROW - 1]![MOTIVATION_COLUMN - 1]).toBe(HOSTILE[0]);
  });

  test('… and in the consolidation’s deviating assessments', () => {
    expect(row('consolidation/Avvikande bedömningar', 'Farsta stadsdelsnämnd')[5]).toBe(HOSTILE[0]);
  });

  test('overview: LibreOffice computes the per-organisation and total formulas to the hand-worked numbers', () => {
    expect(row('consolidation/Översikt', 'sdn-farsta').slice(0, 10)).toEqual(['sdn-farsta', 'Farsta stadsdelsnämnd', 'Stadsdelsnämnd', 'öppen', '', '1', '1', '1', '6', '9']);
    expect(row('consolidation/Översikt', 'sdn-jarva').slice(3, 10)).toEqual(['inskickad', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), '9', '0', '0', '0', '9']);
    expect(row('consolidation/Översikt', 'fn-kultur').slice(3, 10)).toEqual(['ej påbörjad', '', '0', '0', '0', '5', '5']);
    const totals = ['1', '', '10', '1', '1', String(DEMO_INDICATOR_ROWS - 12), String(DEMO_INDICATOR_ROWS)];
    expect(row('consolidation/Översikt', 'Summa').slice(3, 10)).toEqual(totals);
    // Cached results of 999 are ignored: LibreOffice recalculated.
    expect(row('wrong/Översikt', 'Summa').slice(3, 10)).toEqual(totals);
  });

  test('inriktningsmål sheets: the COUNTIF counts per indicator equal the consolidation’s counts', () => {
    const checked = consolidation.kfGoals.flatMap((goal) =>
      goal.indicators.map((indicator) => {
        const name = Object.keys(sheets).find((s) => s.startsWith(`consolidation/${goal.directionGoalCode} `))!;
        const line = sheets[name]!.find((r) => r[1] === indicator.code)!;
        const { helt, delvis, ej, missing } = indicator.counts;
        expect([indicator.code, ...line.slice(6, 10)]).toEqual([indicator.code, ...[helt, delvis, ej, missing].map(String)]);
        return indicator.code;
      }),
    );
    expect(checked.length).toBe(16);
    const i111 = sheets['consolidation/1 En modern storstad med möjlig']!.find((r) => r[1] === '1.1.1')!;
    expect(i111.slice(6, 10)).toEqual(['2', '0', '0', '11']);
  });

  test('ambition flags: the difference formula; steering signals: the sums', () => {
    expect(row('consolidation/Lägre ambition än KF', 'Farsta stadsdelsnämnd').slice(4, 7)).toEqual(['80', '75', '-5']);
    expect(row('consolidation/Lägre ambition än KF', 'Järva stadsdelsnämnd').slice(4, 7)).toEqual(['2.5', '4', '1.5']);
    expect(row('consolidation/Lägre ambition än KF', 'Kulturnämnden').slice(4, 7)).toEqual(['4500000', '4200000', '-300000']);
    const goals = signals.organisations.reduce((n, o) => n + o.goals, 0);
    const activities = signals.organisations.reduce((n, o) => n + o.activities, 0);
    expect(row('consolidation/Styrsignaler', 'Summa nämnder och bolag').slice(3, 7)).toEqual([goals, DEMO_INDICATOR_ROWS, activities, goals + DEMO_INDICATOR_ROWS + activities].map(String));
    expect(row('consolidation/Styrsignaler', 'kf').slice(3, 7)).toEqual(['12', '16', '0', '28']);
  });
});
