import type { ApiClient } from '../../addin/api-client';
import { reportKey, tableNames, type ReportMeta } from '../../addin/excel/gateway';
import { createOfficeGateway } from '../../addin/excel/office-gateway';
import { settingsStore, type SettingsLike } from '../../addin/excel/settings-store';
import { consolidationSheets } from '../../addin/sheets/consolidation-layout';
import { snapshotOf } from '../../addin/sheets/read-report-sheet';
import {
  ERROR_FILL,
  GOAL_COLUMNS,
  INDICATOR_COLUMNS,
  INPUT_FILL,
  INTEGER_FORMAT,
  NUMBER_FORMAT,
  STATUS_COLOURS,
  columnIndex,
  reportToSheet,
} from '../../addin/sheets/report-layout';
import { PaneController } from '../../addin/taskpane/controller';
import type { Report } from '../../api/contract/report';
import { HOSTILE_MOTIVATION, consolidation, signals } from './support/consolidation-fixture';
import { createExcelMock, fakeSettings } from './support/excel-mock';
import { report as makeReport } from './support/report-fixture';

const PULLED_AT = new Date('2022-05-02T08:00:00Z');
const ind = (key: (typeof INDICATOR_COLUMNS)[number]['key']) => columnIndex(INDICATOR_COLUMNS, key);
const goalCol = (key: (typeof GOAL_COLUMNS)[number]['key']) => columnIndex(GOAL_COLUMNS, key);

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
    sheetName: reportToSheet(report, PULLED_AT).name,
    organisation: { code: report.organisation.code, name: report.organisation.name },
    year: report.year,
    period: report.period,
    state: report.state,
    pulledAt: PULLED_AT.toISOString(),
    tables: tableNames(key),
    snapshot: snapshotOf(report),
  };
}

async function pulled(report: Report, options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const model = reportToSheet(report, PULLED_AT);
  const meta = metaOf(report);
  const sync = jest.spyOn(s.mock.context, 'sync');
  await s.gateway.pullReport(model, meta);
  return { ...s, model, meta, sync, name: model.name };
}

afterEach(() => {
  delete (globalThis as any).Excel;
});

describe('pull into Excel (office-addin-mock)', () => {
  test('a 1,000-row report costs 2 syncs, and lands as 2D values where the layout says', async () => {
    const report = makeReport(1000, 40);
    const { mock, model, sync, name } = await pulled(report);
    expect(sync).toHaveBeenCalledTimes(2);
    expect(mock.sheetNames()).toEqual(['Blad1', name]);
    expect(mock.value(name, 1, 0)).toBe(model.titleRows[0]);
    const header = model.indicators.headerRow;
    INDICATOR_COLUMNS.forEach((c, i) => expect(mock.value(name, header, i)).toBe(c.header));
    expect(mock.value(name, header + 1, ind('code'))).toBe('I1');
    expect(mock.value(name, header + 1000, ind('indicatorId'))).toBe(1100);
    expect(mock.value(name, header + 1000, ind('outcome'))).toBe(''); // null is written as '' (null means "unchanged")
    expect(mock.value(name, model.goals.headerRow, goalCol('assessment'))).toBe('Bedömning');
    expect(mock.value(name, model.goals.headerRow + 40, goalCol('goalId'))).toBe(940);
    // the values were one write per table (plus titles/captions), not a write per row
    const valueWrites = mock.ranges.filter((r) => r.sheet === name && Array.isArray(r.mock.values));
    expect(valueWrites.length).toBeLessThanOrEqual(6);
    expect(valueWrites.find((r) => r.row === header - 1)!.mock.values).toHaveLength(1001);
  });

  test('two Excel tables with unique names, header formatted, frozen panes, calculation suspended', async () => {
    const report = makeReport(3, 2);
    const { mock, model, meta, name } = await pulled(report);
    expect(mock.tables.map((t) => t.mock.name)).toEqual([meta.tables.indicators, meta.tables.goals]);
    expect(meta.tables.indicators).not.toBe(meta.tables.goals);
    expect(mock.tables[0]).toMatchObject({ sheet: name, row: model.indicators.headerRow - 1, rows: 4, cols: INDICATOR_COLUMNS.length });
    expect(mock.tables[1]).toMatchObject({ row: model.goals.headerRow - 1, rows: 3, cols: GOAL_COLUMNS.length });
    expect(mock.events).toContain(`freezeRows ${model.indicators.headerRow}`);
    expect(mock.events).toContain('table.add hasHeaders=true');
    expect(mock.events.indexOf('suspendCalculation')).toBeLessThan(mock.events.lastIndexOf('sync'));
  });

  test('input cells unlocked and yellow, everything else locked under sheet protection', async () => {
    const { mock, model, name } = await pulled(makeReport(5, 2));
    const body = (table: 'indicators' | 'goals', col: number) =>
      mock.rangeAt(name, model[table].headerRow, col, table === 'indicators' ? 5 : 2, 1)!.mock;
    for (const c of INDICATOR_COLUMNS) {
      const range = body('indicators', ind(c.key));
      // Excel's cells are locked by default: only inputs are unlocked
      expect([c.key, range.format.protection.locked === false]).toEqual([c.key, c.input]);
      if (c.input) expect(range.format.fill.color).toBe(INPUT_FILL);
    }
    for (const c of GOAL_COLUMNS) expect([c.key, body('goals', goalCol(c.key)).format.protection.locked === false]).toEqual([c.key, c.input]);
    expect(mock.sheet(name)!.protected).toBe(true);
    const protect = mock.events.find((e) => e.startsWith('protect'))!;
    expect(JSON.parse(protect.slice('protect '.length))).toMatchObject({ allowSort: true, allowAutoFilter: true });
  });

  test('validation, number formats, status colours and hidden keys', async () => {
    const { mock, model, name } = await pulled(makeReport(5, 2));
    const at = (table: 'indicators' | 'goals', col: number, rows = table === 'indicators' ? 5 : 2) =>
      mock.rangeAt(name, model[table].headerRow, col, rows, 1)!.mock;
    for (const key of ['outcome', 'forecast'] as const) {
      expect(at('indicators', ind(key)).dataValidation.rule).toEqual({ decimal: { operator: 'Between', formula1: -1e15, formula2: 1e15 } });
      expect(at('indicators', ind(key)).dataValidation.errorAlert.message).toMatch(/12,5/);
    }
    expect(at('goals', goalCol('assessment')).dataValidation.rule).toEqual({ list: { inCellDropDown: true, source: 'helt,delvis,ej' } });
    for (const key of ['kfTarget', 'orgTarget', 'outcome', 'forecast'] as const) {
      expect(at('indicators', ind(key)).numberFormat).toEqual(Array(5).fill([NUMBER_FORMAT]));
    }
    // User text stays text: a comment like "=HYPERLINK(…)" must never become a formula.
    const textFormatBeforeValues = (table: 'indicators' | 'goals', col: number, rows: number) => {
      const row = model[table].headerRow;
      const text = mock.ranges.find((r) => r.sheet === name && r.row === row && r.col === col && r.rows === rows && r.mock.numberFormat !== undefined)!;
      const values = mock.ranges.find((r) => r.sheet === name && r.row === row - 1 && r.col === 0 && Array.isArray(r.mock.values))!;
      expect(text.mock.numberFormat).toEqual(Array(rows).fill(['@']));
      expect(text.at).toBeLessThan(values.at);
    };
    for (const key of ['comment', 'title', 'status'] as const) textFormatBeforeValues('indicators', ind(key), 5);
    for (const key of ['assessment', 'motivation', 'analysis'] as const) textFormatBeforeValues('goals', goalCol(key), 2);
    expect(at('indicators', ind('outcome')).dataValidation.errorAlert.style).toBe('Warning');
    for (const range of [at('indicators', ind('status')), at('goals', goalCol('suggested'))]) {
      const formats = range.addedConditionalFormats.map((f: any) => ({
        rule: f.cellValue.rule,
        fill: f.cellValue.format.fill.color,
        font: f.cellValue.format.font.color,
      }));
      expect(formats).toEqual(
        (['helt', 'delvis', 'ej'] as const).map((a) => ({
          rule: { formula1: `="${a}"`, operator: 'EqualTo' },
          fill: STATUS_COLOURS[a].fill,
          font: STATUS_COLOURS[a].font,
        })),
      );
    }
    // indicator keys sit beyond the goal table: whole columns hidden
    expect(at('indicators', ind('indicatorId')).columnHidden).toBe(true);
    expect(at('indicators', ind('version')).columnHidden).toBe(true);
    // goal keys share columns with indicator inputs: masked, never hiding Prognos
    expect(at('goals', goalCol('goalId')).columnHidden).toBeUndefined();
    expect(mock.rangeAt(name, model.goals.headerRow - 1, goalCol('goalId'), 3, 1)!.mock.numberFormat).toEqual(Array(3).fill([';;;']));
  });

  test('page layout landscape, fit to width, only where ExcelApi 1.9 is supported', async () => {
    const withLayout = await pulled(makeReport(2, 1));
    expect(withLayout.mock.sheet(withLayout.name)!.mock.pageLayout.orientation).toBe('Landscape');
    expect(withLayout.mock.sheet(withLayout.name)!.mock.pageLayout.zoom).toEqual({ horizontalFitToPages: 1, verticalFitToPages: 0 });
    const without = await pulled(makeReport(2, 1), { supportsPageLayout: false });
    expect(without.mock.sheet(without.name)!.mock.pageLayout.orientation).toBeUndefined();
  });

  test('metadata and snapshot are stored in the document settings, not in cells', async () => {
    const report = makeReport(1000, 5);
    const { settings, meta, mock, name } = await pulled(report);
    expect(settings.saves()).toBe(1);
    const stored = settings.get('tertial.reports');
    expect(stored[meta.key]).toMatchObject({ sheetName: name, year: 2022, period: 'T1', organisation: { code: 'sdn-farsta' } });
    expect(Object.keys(stored[meta.key].snapshot.indicators)).toHaveLength(1000);
    expect(settings.raw('tertial.reports')!.length).toBeLessThan(2_000_000);
    expect([...mock.sheet(name)!.grid.values()].some((v) => typeof v === 'string' && v.includes('snapshot'))).toBe(false);
  });

  test('re-pulling replaces the sheet of the same name', async () => {
    const first = await pulled(makeReport(2, 1));
    const sync = first.sync;
    sync.mockClear();
    await first.gateway.pullReport(first.model, first.meta);
    expect(first.mock.sheetNames()).toEqual(['Blad1', first.name]);
    expect(first.mock.events).toContain(`delete ${first.name}`);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  test('a report larger than the request budget is written in several runs, each under it', async () => {
    const report = makeReport(1000, 5);
    const budget = 60_000;
    const { mock, name, sync, model } = await pulled(report, { budget });
    expect(sync.mock.calls.length).toBeGreaterThan(2);
    const writes = mock.ranges.filter((r) => r.sheet === name && Array.isArray(r.mock.values));
    for (const w of writes) expect(JSON.stringify(w.mock.values).length).toBeLessThanOrEqual(budget);
    expect(mock.value(name, model.indicators.headerRow + 1000, ind('indicatorId'))).toBe(1100);
  });
});

describe('send through the controller on Office.js (office-addin-mock)', () => {
  function controllerWith(gateway: ReturnType<typeof setup>['gateway'], api: Partial<ApiClient>) {
    let n = 0;
    return new PaneController(
      { createApi: () => ({ me: async () => ({ sub: 'u', name: 'U', roles: ['controller'], organisations: [{ code: 'sdn-farsta', name: 'Farsta', kind: 'stadsdelsnamnd' }] }), ...api }) as ApiClient, excel: gateway, newKey: () => `key-${++n}`, now: () => PULLED_AT },
      { organisation: 'sdn-farsta', year: 2022, period: 'T1' },
    );
  }

  test('1,000 rows: read, send only changed rows, write back versions and errors, in 2 syncs', async () => {
    const report = makeReport(1000, 3);
    const { mock, gateway, model, name, sync, settings } = await pulled(report);
    const first = model.indicators.headerRow + 1;
    mock.type(name, first, ind('outcome'), '12,5');
    mock.type(name, first + 1, ind('forecast'), 'abc');
    mock.type(name, first + 999, ind('comment'), 'Sista raden');
    const sent: unknown[] = [];
    const controller = controllerWith(gateway, {
      putReport: async (_address, body) => {
        sent.push(body);
        const next = structuredClone(report);
        next.indicators[0] = { ...next.indicators[0]!, outcome: 12.5, version: 2, status: 'ej', changedBy: 'Test', changedAt: '2022-05-02T09:00:00Z' };
        next.indicators[999] = { ...next.indicators[999]!, comment: 'Sista raden', version: 2 };
        next.goals[0] = { ...next.goals[0]!, suggestedAssessment: 'ej' };
        return next;
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
      },
    ]);
    expect(controller.current.message).toEqual({ kind: 'info', text: '2 rader skickade, 1 fel.' });
    expect(mock.value(name, first, ind('version'))).toBe(2);
    expect(mock.value(name, first, ind('status'))).toBe('ej');
    expect(mock.value(name, first, ind('outcome'))).toBe(12.5); // the typed text became a number
    expect(mock.value(name, first + 1, ind('error'))).toMatch(/^Rad 9, Prognos: inte ett tal/);
    expect(mock.value(name, first, ind('error'))).toBe('');
    expect(mock.value(name, model.goals.headerRow + 1, goalCol('suggested'))).toBe('ej');
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

  test('nothing changed: one read, one write that clears old errors, no request', async () => {
    const { gateway, sync } = await pulled(makeReport(10, 1));
    const putReport = jest.fn();
    const controller = controllerWith(gateway, { putReport });
    await controller.signIn(async () => 'token');
    sync.mockClear();
    await controller.send();
    expect(putReport).not.toHaveBeenCalled();
    expect(sync).toHaveBeenCalledTimes(2);
    expect(controller.current.message?.text).toMatch(/^Inga ändringar att skicka/);
  });

  test('a deleted sheet is reported in words, not as an Excel error', async () => {
    const { gateway, mock, name } = await pulled(makeReport(2, 1));
    mock.sheet(name)!.deleted = true;
    const controller = controllerWith(gateway, {});
    await controller.signIn(async () => 'token');
    await controller.send();
    expect(controller.current.message).toEqual({ kind: 'error', text: `Bladet "${name}" finns inte längre i arbetsboken. Hämta rapporten igen.` });
  });

  test('selecting a missing row: finds it by key after rows were reordered', async () => {
    const { gateway, mock, model, name } = await pulled(makeReport(3, 1));
    const first = model.indicators.headerRow + 1;
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
  const goalSheet = layouts[1]!;

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
    expect(mock.value('Översikt', header, 3)).toBe('Läge');
    expect([0, 3, 5, 9, 10].map((c) => mock.value('Översikt', header + 2, c))).toEqual(['sdn-jarva', 'inskickad', 2, `=SUM(F${header + 2}:I${header + 2})`, `=IF(J${header + 2}=0,"",F${header + 2}/J${header + 2})`]);
    expect(mock.value('Översikt', overview.totals!.row, 0)).toBe('Summa');
    expect(mock.value('Översikt', overview.totals!.row, 3)).toBe(`=COUNTIF(D5:D7,"inskickad")`);
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
  });

  test('status colours by conditional format, organisation captions merged, panes frozen, filters where ExcelApi 1.9', async () => {
    const { mock } = await pulledConsolidation();
    const name = goalSheet.name;
    const { from, to } = goalSheet.statusColumns!;
    const statuses = mock.rangeAt(name, goalSheet.headerRow, from - 1, goalSheet.rows.length, to - from + 1)!.mock;
    expect(statuses.addedConditionalFormats.map((f: any) => [f.cellValue.rule.formula1, f.cellValue.format.fill.color])).toEqual(
      (['helt', 'delvis', 'ej'] as const).map((a) => [`="${a}"`, STATUS_COLOURS[a].fill]),
    );
    expect(mock.events).toEqual(expect.arrayContaining([`merge ${name} ${goalSheet.headerRow - 2},10 1x2`, `merge ${name} ${goalSheet.headerRow - 2},12 1x2`]));
    expect(mock.value(name, goalSheet.headerRow - 1, 10)).toBe('Farsta stadsdelsnämnd');
    expect(mock.events).toContain(`freezeAt ${name} 0,0 ${goalSheet.headerRow}x3`);
    expect(mock.events).toContain(`freezeRows ${overview.headerRow}`);
    expect(mock.events).toContain(`autoFilter Översikt ${overview.headerRow - 1},0 4x11`);
    const ambition = layouts[3]!;
    expect(mock.events).toContain(`autoFilter ${ambition.name} ${ambition.headerRow - 1},0 ${ambition.rows.length + 1}x7`);
    const without = await pulledConsolidation({ supportsPageLayout: false });
    expect(without.mock.events.some((e) => e.startsWith('autoFilter'))).toBe(false);
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
