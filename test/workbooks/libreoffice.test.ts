import type { Consolidation, SteeringSignals } from '../../core/contract/consolidation';
import { startTestApi, type TestApi } from '../support/app';
import { DEMO_INDICATOR_ROWS, DEMO_TERTIAL_ROWS, writeConsolidationFixture } from './fixture';
import { YEAR, download, downloadWorkbook, getJson, loadXlsx, upload, workbookPath, xlsxOf } from './helpers';
import { convertToCsv, describeWithLibreOffice } from './libreoffice';
import { columnIndex, reportColumns } from '../../core/sheets/report-layout';

/**
 * Our workbooks opened by a real spreadsheet program (LibreOffice, headless): the numbers it
 * computes from our formulas match the hand-worked fixture, and hostile text typed by users
 * comes out as the literal text, never evaluated.
 */
const HOSTILE = ['=HYPERLINK("http://x","klick")', '+1+1', '@SUM(A1)', '-2+3'];
const COMMENT_ROWS = [10, 11, 12, 13]; // Farsta T1, sheet Indikatorer: indicators 1.5.1, 1.5.2, 1.5.3, 3.1.1
const COMMENT_COLUMN = columnIndex(reportColumns('indicators', 'T1'), 'comment') + 1;
const N1_ROW = 7; // sheet Mål
const MOTIVATION_COLUMN = columnIndex(reportColumns('goals', 'T1'), 'motivation') + 1;
const INDICATOR_SHEET = 'T1 2022 Farsta Indikatorer';
const GOAL_SHEET = 'T1 2022 Farsta Mål';

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
    HOSTILE.forEach((text, i) => (filled.getWorksheet(INDICATOR_SHEET)!.getCell(COMMENT_ROWS[i]!, COMMENT_COLUMN).value = text));
    filled.getWorksheet(GOAL_SHEET)!.getCell(N1_ROW, MOTIVATION_COLUMN).value = HOSTILE[0]!;
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
    const sheet = sheets[`report/${INDICATOR_SHEET}`]!;
    expect(COMMENT_ROWS.map((r) => sheet[r - 1]![COMMENT_COLUMN - 1])).toEqual(HOSTILE);
    expect(sheets[`report/${GOAL_SHEET}`]![N1_ROW - 1]![MOTIVATION_COLUMN - 1]).toBe(HOSTILE[0]);
  });

  test('… and in the consolidation’s deviating assessments', () => {
    expect(row('consolidation/Avvikande bedömningar', 'Farsta stadsdelsnämnd')[5]).toBe(HOSTILE[0]);
  });

  test('overview: LibreOffice computes the per-organisation and total formulas to the hand-worked numbers; the share of helt is of the indicators due', () => {
    // Farsta: 1 of its 6 indicators due at T1 (4 tertial, 2 annual given a forecast) is helt; 3 annual ones are reported at VB.
    // The share is written as LibreOffice computed it (15 significant digits), with its per cent sign.
    const share = (part: number, whole: number) => `${Number(((100 * part) / whole).toPrecision(15))}%`;
    expect(row('consolidation/Översikt', 'Farsta stadsdelsnämnd')).toEqual(['Farsta stadsdelsnämnd', 'Stadsdelsnämnd', 'öppen', '', '1', '1', '1', '3', '3', '9', share(1, 6)]);
    expect(row('consolidation/Översikt', 'Järva stadsdelsnämnd').slice(2)).toEqual([
      'inskickad',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      '9',
      '0',
      '0',
      '0',
      '0',
      '9',
      '100%',
    ]);
    expect(row('consolidation/Översikt', 'Kulturnämnden').slice(2)).toEqual(['ej påbörjad', '', '0', '0', '0', '3', '2', '5', '0%']);
    const notDue = DEMO_INDICATOR_ROWS - DEMO_TERTIAL_ROWS - 7;
    const totals = ['1', '', '10', '1', '1', String(DEMO_TERTIAL_ROWS - 5), String(notDue), String(DEMO_INDICATOR_ROWS), share(10, DEMO_INDICATOR_ROWS - notDue)];
    expect(row('consolidation/Översikt', 'Summa').slice(2)).toEqual(totals);
    // Cached results of 999 are ignored: LibreOffice recalculated.
    expect(row('wrong/Översikt', 'Summa').slice(2)).toEqual(totals);
  });

  test('inriktningsmål sheets: the COUNTIF counts per indicator equal the consolidation’s counts', () => {
    const checked = consolidation.kfGoals.flatMap((goal) =>
      goal.indicators.map((indicator) => {
        const name = Object.keys(sheets).find((s) => s.startsWith(`consolidation/${goal.directionGoalCode} `))!;
        // The indicator's own row: its code, no organisation.
        const line = sheets[name]!.find((r) => r[0] === indicator.code && r[2] === '')!;
        const { helt, delvis, ej, missing, notDue } = indicator.counts;
        expect([indicator.code, ...line.slice(7, 12)]).toEqual([indicator.code, ...[helt, delvis, ej, missing, notDue].map(String)]);
        return indicator.code;
      }),
    );
    expect(checked.length).toBe(16);
    const i121 = sheets['consolidation/1 En modern storstad med möjlig']!.find((r) => r[0] === '1.2.1' && r[2] === '')!;
    expect(i121.slice(7, 12)).toEqual(['1', '1', '0', '0', '11']);
  });

  test('måluppfyllelse: LibreOffice’s COUNTIFS over the nämndmål rows give the roll-up’s counts for every KF goal and inriktningsmål', () => {
    const sheet = sheets['consolidation/Måluppfyllelse']!;
    const rolled = [...consolidation.goalRollup.directionGoals, ...consolidation.goalRollup.kfGoals];
    for (const goal of rolled) {
      const line = sheet.find((r) => r[0] === goal.code && r[2] === '')!;
      const { helt, delvis, ej, missing } = goal.assessments;
      expect([goal.code, ...line.slice(5, 9)]).toEqual([goal.code, ...[helt, delvis, ej, missing].map(String)]);
    }
    expect(rolled).toHaveLength(15);
    const all = consolidation.goalAssessments;
    expect(row('consolidation/Måluppfyllelse', 'Alla nämndmål').slice(5, 9)).toEqual(
      ['helt', 'delvis', 'ej', null].map((level) => String(all.filter((g) => g.assessment === level).length)),
    );
  });

  test('ambition flags: the difference formula; steering signals: the sums', () => {
    expect(row('consolidation/Lägre ambition än KF', 'Farsta stadsdelsnämnd').slice(4, 7)).toEqual(['80', '75', '-5']);
    expect(row('consolidation/Lägre ambition än KF', 'Järva stadsdelsnämnd').slice(4, 7)).toEqual(['2.5', '4', '1.5']);
    expect(row('consolidation/Lägre ambition än KF', 'Kulturnämnden').slice(4, 7)).toEqual(['4500000', '4200000', '-300000']);
    const goals = signals.organisations.reduce((n, o) => n + o.goals, 0);
    const activities = signals.organisations.reduce((n, o) => n + o.activities, 0);
    const commissions = signals.organisations.reduce((n, o) => n + o.commissions, 0);
    expect(commissions).toBeGreaterThan(0);
    expect(row('consolidation/Styrsignaler', 'Summa nämnder och bolag').slice(2, 7)).toEqual(
      [goals, DEMO_INDICATOR_ROWS, activities, commissions, goals + DEMO_INDICATOR_ROWS + activities + commissions].map(String),
    );
    const kf = signals.kf;
    expect(row('consolidation/Styrsignaler', 'Kommunfullmäktige').slice(2, 7)).toEqual(['12', '16', '5', String(kf.commissions), String(33 + kf.commissions)]);
  });

  test('activities and uppdrag: states in Swedish, and the uppdrag not reported back counted as the consolidation lists them', () => {
    expect(row('consolidation/Aktiviteter och uppdrag', 'Uppdrag som inte återrapporterats')[8]).toBe(String(consolidation.commissionsNotReported.length));
    const jarvaSafety = sheets['consolidation/Aktiviteter och uppdrag']!.find((r) => r[1] === '1.2.A1' && r[4] === 'Järva stadsdelsnämnd');
    expect(jarvaSafety?.[5]).toBe('pågår'); // the fixture sets every Järva activity ongoing
  });
});
