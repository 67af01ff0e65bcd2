import type { ApiClient } from '../../addin/api-client';
import { reportKey, reportTables, type ReportMeta } from '../../addin/excel/gateway';
import { createOfficeGateway } from '../../addin/excel/office-gateway';
import { settingsStore, type SettingsLike } from '../../addin/excel/settings-store';
import { columnOf, consolidationSheets } from '../../core/sheets/consolidation-layout';
import { snapshotOf } from '../../core/sheets/read-report-sheet';
import {
  ERROR_FILL,
  INPUT_FILL,
  INTEGER_FORMAT,
  NOT_APPLICABLE_FILL,
  PRINT_ZOOM,
  REPORTED_AT_VB,
  STATUS_COLOURS,
  columnIndex,
  decimalsFormat,
  reportColumns,
  reportToModel,
} from '../../core/sheets/report-layout';
import { PaneController } from '../../addin/taskpane/controller';
import type { Report } from '../../core/contract/report';
import { HOSTILE_MOTIVATION, consolidation, signals } from './support/consolidation-fixture';
import { createExcelMock, fakeSettings } from './support/excel-mock';
import { changes, indicator, report as makeReport } from './support/report-fixture';

const PULLED_AT = new Date('2022-05-02T08:00:00Z');
const INDICATOR_COLUMNS = reportColumns('indicators', 'T1');
const GOAL_COLUMNS = reportColumns('goals', 'T1');
const ind = (key: string) => columnIndex(INDICATOR_COLUMNS, key);
const goalCol = (key: string) => columnIndex(GOAL_COLUMNS, key);

function setup(options: { supportsPageLayout?: boolean; budget?: number } = {}) {
  const mock = createExcelMock();
  (globalThis as any).Excel = mock.excel;
  const settings = fakeSettings();
  const gateway = createOfficeGateway({
    store: settingsStore(settings as unknown as SettingsLike),
    supports: (_set, version) => Number(version) <= (options.supportsPageLayout === false ? 1.8 : 1.9),
    requestBudgetBytes: options.budget,
  });
  return { mock, settings, gateway };
}

function metaOf(report: Report): ReportMeta {
  const key = reportKey(report.organisation.code, report.year, report.period);
  return {
    key,
    organisation: { code: report.organisation.code, name: report.organisation.name },
    year: report.year,
    period: report.period,
    state: report.state,
    pulledAt: PULLED_AT.toISOString(),
    tables: reportTables(key, reportToModel(report, PULLED_AT)),
    snapshot: snapshotOf(report),
  };
}

async function pulled(report: Report, options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const model = reportToModel(report, PULLED_AT);
  const meta = metaOf(report);
  const sync = jest.spyOn(s.mock.context, 'sync');
  await s.gateway.pullReport(model, meta);
  const [indicators, goals] = model.sheets as [(typeof model.sheets)[number], (typeof model.sheets)[number]];
  return { ...s, model, meta, sync, indicators, goals, name: indicators.name, goalSheet: goals.name };
}

afterEach(() => {
  delete (globalThis as any).Excel;
});

describe('pull into Excel (office-addin-mock)', () => {
  test('a 1,000-row report costs 2 syncs, one sheet per row kind, 2D values where the layout says', async () => {
    const report = makeReport(1000, 40);
    const { mock, model, indicators, goals, sync, name, goalSheet } = await pulled(report);
    expect(sync).toHaveBeenCalledTimes(2);
    expect(mock.sheetNames()).toEqual(['Blad1', ...model.sheets.map((s) => s.name)]);
    expect([name, goalSheet]).toEqual(['T1 2022 Farsta Indikatorer', 'T1 2022 Farsta Mål']);
    expect(mock.value(name, 1, 0)).toBe(indicators.titleRows[0]);
    const header = indicators.table.headerRow;
    INDICATOR_COLUMNS.forEach((c, i) => expect(mock.value(name, header, i)).toBe(c.header));
    expect(mock.value(name, header, ind('outcome'))).toBe('Utfall jan–apr');
    expect(mock.value(name, header + 1, ind('code'))).toBe('I1');
    expect(mock.value(name, header + 1000, ind('indicatorId'))).toBe(1100);
    expect(mock.value(name, header + 1000, ind('outcome'))).toBe(''); // null is written as '' (null means "unchanged")
    expect(mock.value(goalSheet, goals.table.headerRow, goalCol('assessment'))).toBe('Bedömning');
    expect(mock.value(goalSheet, goals.table.headerRow + 40, goalCol('goalId'))).toBe(940);
    // the values were one write per table (plus titles), not a write per row
    const valueWrites = mock.ranges.filter((r) => r.sheet === name && Array.isArray(r.mock.values));
    expect(valueWrites.length).toBeLessThanOrEqual(3);
    expect(valueWrites.find((r) => r.row === header - 1)!.mock.values).toHaveLength(1001);
  });

  test('the first input column sits right after key and title, both frozen', async () => {
    const { mock, model, meta, indicators, goals, name, goalSheet } = await pulled(makeReport(3, 2));
    expect(mock.tables.map((t) => [t.sheet, t.mock.name])).toEqual(model.sheets.map((s) => [s.name, meta.tables[s.kind].table]));
    expect(mock.tables[0]).toMatchObject({ row: indicators.table.headerRow - 1, rows: 4, cols: INDICATOR_COLUMNS.length });
    expect(mock.tables[1]).toMatchObject({ row: goals.table.headerRow - 1, rows: 3, cols: GOAL_COLUMNS.length });
    expect(INDICATOR_COLUMNS.findIndex((c) => c.input)).toBe(2);
    expect(GOAL_COLUMNS.findIndex((c) => c.input)).toBe(2);
    expect(mock.events).toContain(`freezeAt ${name} 0,0 ${indicators.table.headerRow}x2`);
    expect(mock.events).toContain(`freezeAt ${goalSheet} 0,0 ${goals.table.headerRow}x2`);
    expect(mock.events).toContain('table.add hasHeaders=true');
    expect(mock.events.indexOf('suspendCalculation')).toBeLessThan(mock.events.lastIndexOf('sync'));
  });

  test('input cells unlocked and blue, everything else locked under sheet protection', async () => {
    const { mock, indicators, goals, name, goalSheet } = await pulled(makeReport(5, 2));
    const body = (sheet: string, header: number, col: number, rows: number) => mock.rangeAt(sheet, header, col, rows, 1)!.mock;
    for (const c of INDICATOR_COLUMNS) {
      const range = body(name, indicators.table.headerRow, ind(c.key), 5);
      // Excel's cells are locked by default: only inputs are unlocked
      expect([c.key, range.format.protection.locked === false]).toEqual([c.key, c.input]);
      if (c.input) expect(range.format.fill.color).toBe(INPUT_FILL);
    }
    for (const c of GOAL_COLUMNS) expect([c.key, body(goalSheet, goals.table.headerRow, goalCol(c.key), 2).format.protection.locked === false]).toEqual([c.key, c.input]);
    expect(mock.sheet(name)!.protected).toBe(true);
    expect(mock.sheet(goalSheet)!.protected).toBe(true);
    const protect = mock.events.find((e) => e.startsWith('protect'))!;
    expect(JSON.parse(protect.slice('protect '.length))).toMatchObject({ allowSort: true, allowAutoFilter: true });
  });

  test('an annual indicator at T1: its value cells say "rapporteras i VB", locked and grey', async () => {
    const report = makeReport(2, 1);
    report.indicators[1] = indicator(2, { frequency: 'annual' });
    const { mock, indicators, name } = await pulled(report);
    const row = indicators.table.headerRow + 2;
    expect(mock.value(name, row, ind('outcome'))).toBe(REPORTED_AT_VB);
    expect(mock.value(name, row, ind('frequency'))).toBe('helår (VB)');
    const cell = mock.rangeAt(name, row - 1, ind('forecast'), 1, 1)!.mock;
    expect(cell.format.protection.locked).toBe(true);
    expect(cell.format.fill.color).toBe(NOT_APPLICABLE_FILL);
  });

  test('validation, number formats per row, status colours and hidden keys', async () => {
    const report = makeReport(5, 2);
    report.indicators[0] = indicator(1, { kfTarget: 4500000, annualTarget: 4500000, unit: 'kr' });
    report.indicators[1] = indicator(2, { kfTarget: 3.25, annualTarget: 3.25 });
    const { mock, indicators, goals, name, goalSheet } = await pulled(report);
    const at = (sheet: string, header: number, col: number, rows: number) => mock.rangeAt(sheet, header, col, rows, 1)!.mock;
    for (const key of ['outcome', 'forecast']) {
      expect(at(name, indicators.table.headerRow, ind(key), 5).dataValidation.rule).toEqual({ decimal: { operator: 'Between', formula1: -1e15, formula2: 1e15 } });
      expect(at(name, indicators.table.headerRow, ind(key), 5).dataValidation.errorAlert.message).toMatch(/12,5/);
    }
    expect(at(goalSheet, goals.table.headerRow, goalCol('assessment'), 2).dataValidation.rule).toEqual({
      list: { inCellDropDown: true, source: 'förväntas uppfyllas helt,förväntas uppfyllas delvis,förväntas ej uppfyllas' },
    });
    // one 2D number-format write per table, before its values: text columns '@', numbers by the row's decimals
    const formats = mock.ranges.find((r) => r.sheet === name && r.row === indicators.table.headerRow && r.col === 0 && r.mock.numberFormat !== undefined)!;
    const values = mock.ranges.find((r) => r.sheet === name && r.row === indicators.table.headerRow - 1 && Array.isArray(r.mock.values))!;
    expect(formats.at).toBeLessThan(values.at);
    const formatOf = (row: number, key: string) => formats.mock.numberFormat[row][ind(key)];
    expect([formatOf(0, 'kfTarget'), formatOf(0, 'outcome'), formatOf(1, 'forecast'), formatOf(2, 'annualTarget')]).toEqual([
      decimalsFormat(0),
      decimalsFormat(0),
      decimalsFormat(2),
      decimalsFormat(0),
    ]);
    for (const key of ['comment', 'title', 'status']) expect(formatOf(0, key)).toBe('@');
    expect(at(name, indicators.table.headerRow, ind('outcome'), 5).dataValidation.errorAlert.style).toBe('Warning');
    for (const range of [at(name, indicators.table.headerRow, ind('status'), 5), at(goalSheet, goals.table.headerRow, goalCol('suggested'), 2)]) {
      const rules = range.addedConditionalFormats.map((f: any) => ({
        rule: f.textComparison.rule,
        fill: f.textComparison.format.fill.color,
        font: f.textComparison.format.font.color,
      }));
      expect(rules).toEqual(
        (['helt', 'delvis', 'ej'] as const).map((a) => ({ rule: { operator: 'Contains', text: a }, fill: STATUS_COLOURS[a].fill, font: STATUS_COLOURS[a].font })),
      );
    }
    // the Bedömning input is not coloured like a status: input colour only
    expect(at(goalSheet, goals.table.headerRow, goalCol('assessment'), 2).addedConditionalFormats).toEqual([]);
    for (const key of ['indicatorId', 'version']) expect(at(name, indicators.table.headerRow, ind(key), 5).columnHidden).toBe(true);
    expect(at(goalSheet, goals.table.headerRow, goalCol('goalId'), 2).columnHidden).toBe(true);
  });

  test('print: A4 landscape at a zoom that prints 11 pt as 8.8 pt, header row and key columns repeated, header and footer', async () => {
    const withLayout = await pulled(makeReport(2, 1));
    const page = withLayout.mock.sheet(withLayout.name)!.mock.pageLayout;
    expect(page).toMatchObject({ orientation: 'Landscape', paperSize: 'A4', zoom: { scale: PRINT_ZOOM } });
    expect(page.headersFooters.defaultForAllPages).toMatchObject({
      leftHeader: 'Farsta stadsdelsnämnd',
      centerHeader: 'Tertialrapport 1 2022',
      rightHeader: 'Indikatorer',
      centerFooter: 'Sida &P av &N',
    });
    const header = withLayout.indicators.table.headerRow;
    expect(withLayout.mock.events).toEqual(expect.arrayContaining([`printTitleRows ${withLayout.name} $${header}:$${header}`, `printTitleColumns ${withLayout.name} $A:$B`]));
    const without = await pulled(makeReport(2, 1), { supportsPageLayout: false });
    expect(without.mock.sheet(without.name)!.mock.pageLayout.orientation).toBeUndefined();
  });

  test('metadata and snapshot are stored in the document settings, not in cells', async () => {
    const report = makeReport(1000, 5);
    const { settings, meta, mock, name, goalSheet } = await pulled(report);
    expect(settings.saves()).toBe(1);
    const stored = settings.get('tertial.reports');
    expect(stored[meta.key]).toMatchObject({
      tables: { indicators: { sheet: name }, goals: { sheet: goalSheet } },
      year: 2022,
      period: 'T1',
      organisation: { code: 'sdn-farsta' },
    });
    expect(Object.keys(stored[meta.key].snapshot.indicators)).toHaveLength(1000);
    expect(settings.raw('tertial.reports')!.length).toBeLessThan(2_000_000);
    expect([...mock.sheet(name)!.grid.values()].some((v) => typeof v === 'string' && v.includes('snapshot'))).toBe(false);
  });

  test('re-pulling replaces the sheets of the same names', async () => {
    const first = await pulled(makeReport(2, 1));
    const sync = first.sync;
    sync.mockClear();
    await first.gateway.pullReport(first.model, first.meta);
    expect(first.mock.sheetNames()).toEqual(['Blad1', ...first.model.sheets.map((s) => s.name)]);
    expect(first.mock.events).toContain(`delete ${first.name}`);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  test('a report larger than the request budget is written in several runs, each under it', async () => {
    const report = makeReport(1000, 5);
    const budget = 60_000;
    const { mock, name, sync, indicators } = await pulled(report, { budget });
    expect(sync.mock.calls.length).toBeGreaterThan(2);
    const writes = mock.ranges.filter((r) => r.sheet === name && Array.isArray(r.mock.values));
    for (const w of writes) expect(JSON.stringify(w.mock.values).length).toBeLessThanOrEqual(budget);
    expect(mock.value(name, indicators.table.headerRow + 1000, ind('indicatorId'))).toBe(1100);
  });
});

describe('send through the controller on Office.js (office-addin-mock)', () => {
  function controllerWith(gateway: ReturnType<typeof setup>['gateway'], api: Partial<ApiClient>) {
    return new PaneController(
      {
        createApi: () =>
          ({
            me: async () => ({ sub: 'u', name: 'U', roles: ['controller'], organisations: [{ code: 'sdn-farsta', name: 'Farsta', kind: 'stadsdelsnamnd' }] }),
            ...api,
          }) as ApiClient,
        excel: gateway,
        now: () => PULLED_AT,
      },
      { organisation: 'sdn-farsta', year: 2022, period: 'T1' },
    );
  }

  test('1,000 rows: read, send only changed rows, write back versions and errors, in 2 syncs', async () => {
    const report = makeReport(1000, 3);
    const { mock, gateway, indicators, goals, name, goalSheet, sync, settings } = await pulled(report);
    const first = indicators.table.headerRow + 1;
    mock.type(name, first, ind('outcome'), '12,5');
    mock.type(name, first + 1, ind('forecast'), 'abc');
    mock.type(name, first + 999, ind('comment'), 'Sista raden');
    const sent: unknown[] = [];
    const controller = controllerWith(gateway, {
      // The short answer (?answer=changes): versions, statuses and the goals' new suggestions; the values are as sent.
      putReport: async (_address, body) => {
        sent.push(body);
        return changes({
          changedBy: 'Test',
          changedAt: '2022-05-02T09:00:00Z',
          indicators: [
            { indicatorId: 101, version: 2, status: 'ej' },
            { indicatorId: 1100, version: 2, status: null },
          ],
          goals: [{ goalId: 901, version: 1, suggestedAssessment: 'ej' }],
        });
      },
    });
    await controller.signIn(async () => 'token');
    sync.mockClear();
    await controller.send();

    expect(sync.mock.calls.length).toBeLessThanOrEqual(3);
    expect(sync).toHaveBeenCalledTimes(2);
    expect(sent).toEqual([
      {
        indicators: [
          { indicatorId: 101, baseVersion: 1, outcome: 12.5 },
          { indicatorId: 1100, baseVersion: 1, comment: 'Sista raden' },
        ],
        goals: [],
        activities: [],
        commissions: [],
        controls: [],
        internalControl: [],
      },
    ]);
    expect(controller.current.message).toEqual({ kind: 'info', text: '2 rader sparade, 1 rad med fel ligger kvar i bladet (se listan).' });
    // the row left in the sheet is listed in the pane with its key, so that a click finds it
    expect(controller.current.rowProblems).toEqual([{ table: 'indicators', id: 102, message: expect.stringMatching(/^Rad 9, Prognos: inte ett tal/) }]);
    expect(mock.value(name, first, ind('version'))).toBe(2);
    expect(mock.value(name, first, ind('status'))).toBe('förväntas ej uppfyllas');
    expect(mock.value(name, first, ind('outcome'))).toBe(12.5); // the typed text became a number
    expect(mock.value(name, first + 1, ind('error'))).toMatch(/^Rad 9, Prognos: inte ett tal/);
    expect(mock.value(name, first, ind('error'))).toBe('');
    expect(mock.value(goalSheet, goals.table.headerRow + 1, goalCol('suggested'))).toBe('förväntas ej uppfyllas');
    const highlighted = mock.ranges.filter((r) => r.sheet === name && r.mock.format.fill.color === ERROR_FILL).map((r) => [r.row + 1, r.col]);
    expect(highlighted).toEqual([
      [first + 1, ind('error')],
      [first + 1, ind('forecast')],
    ]);
    // protection is lifted only inside the write, and back before its sync
    const tail = mock.events.slice(mock.events.lastIndexOf('unprotect'));
    expect(tail.findIndex((e) => e.startsWith('protect'))).toBeLessThan(tail.indexOf('sync'));
    expect(mock.sheet(name)!.protected).toBe(true);
    const snapshot = settings.get('tertial.reports')['sdn-farsta/2022/T1'].snapshot;
    expect(snapshot.indicators['101']).toEqual({ version: 2, outcome: 12.5, forecast: null, comment: null });
    expect(snapshot.indicators['102'].version).toBe(1);
  });

  test('"3,2 %" typed: Excel stores 0,032 with a percent format; read as 3,2 for a %-indicator, refused for any other unit', async () => {
    const report = makeReport(2, 1);
    report.indicators[1] = indicator(2, { unit: 'antal' });
    const { mock, gateway, indicators, name } = await pulled(report);
    const first = indicators.table.headerRow + 1;
    mock.type(name, first, ind('forecast'), 0.032, '0.0%');
    mock.type(name, first + 1, ind('forecast'), 0.5, '0%');
    const sent: unknown[] = [];
    const controller = controllerWith(gateway, { putReport: async (_a, body) => (sent.push(body), changes({ indicators: [{ indicatorId: 101, version: 2, status: null }] })) });
    await controller.signIn(async () => 'token');
    await controller.send();
    expect(sent).toEqual([{ indicators: [{ indicatorId: 101, baseVersion: 1, forecast: 3.2 }], goals: [], activities: [], commissions: [], controls: [], internalControl: [] }]);
    expect(mock.value(name, first + 1, ind('error'))).toBe('Rad 9, Prognos: indikatorn mäts inte i procent. Skriv talet utan procenttecken.');
  });

  test('nothing changed: one read, one write that clears old errors, no request', async () => {
    const { gateway, sync } = await pulled(makeReport(10, 1));
    const putReport = jest.fn();
    const controller = controllerWith(gateway, { putReport });
    await controller.signIn(async () => 'token');
    sync.mockClear();
    await controller.send();
    expect(putReport).not.toHaveBeenCalled();
    expect(sync).toHaveBeenCalledTimes(2);
    expect(controller.current.message?.text).toMatch(/^Inga ändringar att spara/);
  });

  test('a deleted sheet is reported in words, not as an Excel error', async () => {
    const { gateway, mock, model, name } = await pulled(makeReport(2, 1));
    mock.sheet(name)!.deleted = true;
    const controller = controllerWith(gateway, {});
    await controller.signIn(async () => 'token');
    await controller.send();
    const names = model.sheets.map((s) => s.name).join(' / ');
    expect(controller.current.message).toEqual({ kind: 'error', text: `Bladet "${names}" finns inte längre i arbetsboken. Hämta rapporten igen.` });
  });

  test('selecting a missing row: finds it by key after rows were reordered', async () => {
    const { gateway, mock, indicators, name } = await pulled(makeReport(3, 1));
    const first = indicators.table.headerRow + 1;
    // swap the keys of rows 1 and 3, as a sort would move them
    mock.type(name, first, ind('indicatorId'), 103);
    mock.type(name, first + 2, ind('indicatorId'), 101);
    const sync = jest.spyOn(mock.context, 'sync');
    sync.mockClear();
    expect(await gateway.selectRecord('sdn-farsta/2022/T1', 'indicators', 101)).toBe(true);
    expect(sync).toHaveBeenCalledTimes(2);
    const selected = mock.ranges.filter((r) => r.sheet === name).at(-1)!;
    expect([selected.row + 1, selected.cols]).toEqual([first + 2, INDICATOR_COLUMNS.length]);
    expect(mock.events.at(-2)).toBe('select');
    expect(await gateway.selectRecord('sdn-farsta/2022/T1', 'indicators', 999)).toBe(false);
  });
});

describe('the consolidation into Excel (office-addin-mock)', () => {
  const layouts = consolidationSheets(consolidation(), signals(), PULLED_AT);
  const overview = layouts[0]!;
  const deviations = layouts.find((l) => l.name === 'Avvikande bedömningar')!;
  const goalSheet = layouts.find((l) => l.name === '1 En modern storstad med möjlig')!;
  const fulfilment = layouts.find((l) => l.name === 'Måluppfyllelse')!;

  async function pulledConsolidation(options: Parameters<typeof setup>[0] = {}) {
    const s = setup(options);
    const sync = jest.spyOn(s.mock.context, 'sync');
    const replaced = await s.gateway.pullConsolidation(layouts);
    return { ...s, sync, replaced };
  }

  test('every sheet in one Excel.run and 2 syncs: values as 2D runs, formulas as formulas, read-only', async () => {
    const { mock, sync, replaced } = await pulledConsolidation();
    expect(sync).toHaveBeenCalledTimes(2);
    expect(replaced).toEqual([]);
    expect(mock.sheetNames()).toEqual(['Blad1', ...layouts.map((l) => l.name)]);
    const header = overview.headerRow;
    expect(mock.value('Översikt', 1, 0)).toBe('Konsolidering Tertialrapport 1 2022');
    expect(mock.value('Översikt', header, 2)).toBe('Läge');
    const r = header + 2;
    expect([0, 2, 4, 9, 10].map((c) => mock.value('Översikt', r, c))).toEqual([
      'Järva stadsdelsnämnd',
      'inskickad',
      3,
      `=SUM(E${r}:I${r})`,
      `=IF(J${r}-I${r}=0,"",E${r}/(J${r}-I${r}))`,
    ]);
    expect(mock.value('Översikt', overview.totals!.row, 0)).toBe('Summa');
    expect(mock.value('Översikt', overview.totals!.row, 2)).toBe(`=COUNTIF(C${header + 1}:C${header + 3},"inskickad")`);
    // the table's values are one write per sheet, not a write per row
    const tableWrites = mock.ranges.filter((r) => r.sheet === 'Översikt' && r.row === header - 1 && Array.isArray(r.mock.values));
    expect(tableWrites).toHaveLength(1);
    expect(tableWrites[0]!.mock.values).toHaveLength(4);
    for (const l of layouts) expect(mock.sheet(l.name)!.protected).toBe(true);
    expect(mock.events.indexOf('suspendCalculation')).toBeLessThan(mock.events.lastIndexOf('sync'));
  });

  test('user text stays text: text columns formatted @ before their values, the motivation never a formula', async () => {
    const { mock } = await pulledConsolidation();
    const first = deviations.headerRow;
    expect(mock.value('Avvikande bedömningar', first + 1, 5)).toBe(HOSTILE_MOTIVATION);
    const motivation = mock.rangeAt('Avvikande bedömningar', first, 5, 1, 1)!;
    const values = mock.ranges.find((r) => r.sheet === 'Avvikande bedömningar' && r.row === first - 1 && Array.isArray(r.mock.values))!;
    expect(motivation.mock.numberFormat).toEqual([['@']]);
    expect(motivation.at).toBeLessThan(values.at);
    expect(mock.ranges.some((r) => r.sheet === 'Avvikande bedömningar' && r.col === 5 && r.mock.formulas !== undefined)).toBe(false);
    expect(mock.rangeAt('Översikt', overview.headerRow, 5, 3, 1)!.mock.numberFormat).toEqual(Array(3).fill([INTEGER_FORMAT]));
    // An indicator's values in its own decimals, row by row; text columns as text.
    const valueCells = mock.rangeAt(goalSheet.name, goalSheet.headerRow, columnOf(goalSheet.columns, 'value') - 1, goalSheet.rows.length, 1)!.mock;
    expect(valueCells.numberFormat).toEqual(goalSheet.rowFormats.map((f) => [f ?? goalSheet.columns.find((c) => c.key === 'value')!.numFmt]));
    expect(valueCells.numberFormat[1]).toEqual(['#,##0.0']);
  });

  test('summary rows bold and every row as high as its wrapped text, in runs of equal height', async () => {
    const { mock } = await pulledConsolidation();
    for (const r of fulfilment.boldRows) expect(mock.rangeAt(fulfilment.name, fulfilment.headerRow + r, 0, 1, fulfilment.columns.length)!.mock.format.font.bold).toBe(true);
    for (const l of [fulfilment, goalSheet]) {
      const heights = mock.ranges.filter((x) => x.sheet === l.name && x.col === 0 && x.mock.format?.rowHeight !== undefined && x.row >= l.headerRow);
      expect(heights.flatMap((x) => Array<number>(x.rows).fill(x.mock.format.rowHeight))).toEqual(l.rowHeights);
      expect(mock.rangeAt(l.name, l.headerRow - 1, 0, 1, l.columns.length)!.mock.format.rowHeight).toBe(l.headerHeight);
    }
    const runs = mock.ranges.filter((x) => x.sheet === goalSheet.name && x.col === 0 && x.mock.format?.rowHeight !== undefined && x.row >= goalSheet.headerRow);
    expect(runs.length).toBeLessThan(goalSheet.rows.length);
  });

  test('status colours by conditional format on each status column, panes frozen, filters where ExcelApi 1.9', async () => {
    const { mock } = await pulledConsolidation();
    const name = goalSheet.name;
    const [status] = goalSheet.statusColumns;
    const statuses = mock.rangeAt(name, goalSheet.headerRow, status! - 1, goalSheet.rows.length, 1)!.mock;
    expect(statuses.addedConditionalFormats.map((f: any) => [f.textComparison.rule.text, f.textComparison.format.fill.color])).toEqual(
      (['helt', 'delvis', 'ej'] as const).map((a) => [a, STATUS_COLOURS[a].fill]),
    );
    expect(mock.value(name, goalSheet.headerRow + 3, 2)).toBe('Farsta stadsdelsnämnd');
    expect(mock.events).toContain(`freezeAt ${name} 0,0 ${goalSheet.headerRow}x2`);
    expect(mock.events).toContain(`freezeAt Översikt 0,0 ${overview.headerRow}x1`);
    expect(mock.events).toContain(`autoFilter Översikt ${overview.headerRow - 1},0 4x11`);
    const ambition = layouts.find((l) => l.name === 'Lägre ambition än KF')!;
    expect(mock.events).toContain(`autoFilter ${ambition.name} ${ambition.headerRow - 1},0 ${ambition.rows.length + 1}x${ambition.columns.length}`);
    const without = await pulledConsolidation({ supportsPageLayout: false });
    expect(without.mock.events.some((e) => e.startsWith('autoFilter'))).toBe(false);
  });

  test('print: every sheet A4 landscape at a zoom that prints 11 pt as 8.8 pt, header row and key columns repeated, header and footer', async () => {
    const { mock } = await pulledConsolidation();
    for (const l of layouts) {
      const page = mock.sheet(l.name)!.mock.pageLayout;
      expect([l.name, page]).toEqual([l.name, expect.objectContaining({ orientation: 'Landscape', paperSize: 'A4', zoom: { scale: PRINT_ZOOM } })]);
      expect(page.headersFooters.defaultForAllPages).toMatchObject({
        leftHeader: 'Stadsledningskontoret',
        centerHeader: 'Konsolidering Tertialrapport 1 2022',
        rightHeader: l.name,
        centerFooter: 'Sida &P av &N',
      });
      expect(mock.events).toContain(`printTitleRows ${l.name} $${l.headerRow}:$${l.headerRow}`);
    }
    expect(mock.events).toContain(`printTitleColumns ${goalSheet.name} $A:$B`);
    const without = await pulledConsolidation({ supportsPageLayout: false });
    expect(without.mock.sheet('Översikt')!.mock.pageLayout.orientation).toBeUndefined();
  });

  test('a second pull replaces the sheets of the same name and says which, still in 2 syncs', async () => {
    const first = await pulledConsolidation();
    first.sync.mockClear();
    expect(await first.gateway.pullConsolidation(layouts)).toEqual(layouts.map((l) => l.name));
    expect(first.sync).toHaveBeenCalledTimes(2);
    expect(first.mock.sheetNames()).toEqual(['Blad1', ...layouts.map((l) => l.name)]);
    expect(first.mock.events).toContain('delete Översikt');
  });

  test('openWorkbook: Excel.createWorkbook with the file, only where ExcelApi 1.8 is supported', async () => {
    const { mock, gateway } = setup();
    expect(await gateway.openWorkbook('UEsDBA==')).toBe(true);
    expect(mock.events).toContain('createWorkbook 8');
    const old = createOfficeGateway({ store: settingsStore(fakeSettings() as unknown as SettingsLike), supports: () => false });
    expect(await old.openWorkbook('UEsDBA==')).toBe(false);
  });
});
