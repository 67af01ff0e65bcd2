import { OfficeMockObject } from 'office-addin-mock';
import type { CellValue } from '../../../core/sheets/report-layout';

/**
 * An Excel workbook faked with office-addin-mock, only as far as Tertial's glue uses it:
 * worksheets, getRangeByIndexes, tables, formats, validation, conditional formats, protection,
 * merges, freeze panes and autofilters (recorded as events), formulas, createWorkbook.
 * Ranges from getRangeByIndexes are recorded (what was set where); values written to them land
 * in a cell grid at each sync, and tables read their values from that grid. Loading works as in
 * office-addin-mock: a property read before load + sync is an error string.
 */
export interface RangeRecord {
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  mock: any;
  applied: boolean;
  at: number;
}

export interface TableRecord {
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  mock: any;
}

export interface SheetRecord {
  mock: any;
  grid: Map<string, CellValue>;
  /** Number formats the user's typing left (Excel gives "3,2 %" a percent format); the glue's own are in the range records. */
  formats: Map<string, string>;
  protected: boolean;
  deleted: boolean;
  protection: { at: number; on: boolean }[];
}

export function createExcelMock() {
  const sheets: SheetRecord[] = [];
  const ranges: RangeRecord[] = [];
  const tables: TableRecord[] = [];
  const events: string[] = [];
  const created: any[] = [];
  /** Commands run in order within a sync: a write counts at the protection state of its moment. */
  let clock = 0;
  let pendingError: (Error & { code?: string }) | undefined;

  const track = (seed: object) => {
    const m = new OfficeMockObject(seed) as any;
    created.push(m);
    return m;
  };
  const sheetName = (s: SheetRecord) => s.mock.name as string;
  const live = () => sheets.filter((s) => !s.deleted);
  const findSheet = (name: string) => live().find((s) => sheetName(s) === name);
  const cell = (s: SheetRecord, r: number, c: number) => s.grid.get(`${r},${c}`) ?? '';
  /** A range in events: 0-based row,col and size. */
  const at = (row: number, col: number, rows: number, cols: number) => `${row},${col} ${rows}x${cols}`;
  const rangeOf = (mock: unknown) => {
    const r = ranges.find((x) => x.mock === mock)!;
    return at(r.row, r.col, r.rows, r.cols);
  };

  function gridValues(s: SheetRecord, row: number, col: number, rows: number, cols: number): CellValue[][] {
    return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => cell(s, row + i, col + j)));
  }

  /** Only navigation and methods: properties the glue only sets need no seed (reading one unset gives undefined). */
  function rangeSeed() {
    return {
      format: {
        fill: { clear: () => events.push('fill.clear') },
        font: {},
        protection: {},
        autofitRows: () => undefined,
      },
      dataValidation: { clear: () => events.push('dataValidation.clear') },
      select: () => events.push('select'),
    };
  }

  function newRange(s: SheetRecord, row: number, col: number, rows: number, cols: number) {
    const formats: any[] = [];
    const mock = track({
      ...rangeSeed(),
      merge: () => events.push(`merge ${sheetName(s)} ${at(row, col, rows, cols)}`),
      conditionalFormats: {
        add: (type: string) => {
          const f = new OfficeMockObject({ type, cellValue: { format: { fill: {}, font: {} } }, textComparison: { format: { fill: {}, font: {} } } }) as any;
          formats.push(f);
          return f;
        },
      },
    });
    mock.addedConditionalFormats = formats;
    ranges.push({ sheet: sheetName(s), row, col, rows, cols, mock, applied: false, at: ++clock });
    return mock;
  }

  /** A range read from the grid (tables' header and body). */
  function loadedRange(s: SheetRecord, row: number, col: number, rows: number, cols: number) {
    const numberFormat = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => s.formats.get(`${row + i},${col + j}`) ?? 'General'));
    return track({ ...rangeSeed(), values: gridValues(s, row, col, rows, cols), numberFormat, rowIndex: row });
  }

  function tableMock(s: SheetRecord, rec: Omit<TableRecord, 'mock'>) {
    const t = track({
      getHeaderRowRange: () => loadedRange(s, rec.row, rec.col, 1, rec.cols),
      getDataBodyRange: () => loadedRange(s, rec.row + 1, rec.col, rec.rows - 1, rec.cols),
    });
    tables.push({ ...rec, mock: t });
    return t;
  }

  /** What Excel answers at sync for an unknown item. */
  function missing(what: string) {
    const e = new Error(`${what} not found`) as Error & { code?: string };
    e.code = 'ItemNotFound';
    pendingError = e;
    // Anything asked of a missing item is queued like in Office.js; the sync then fails.
    const missingProxy: any = new Proxy(function () {}, {
      get: (_target, property) => (property === 'then' ? undefined : missingProxy),
      apply: () => missingProxy,
    });
    return missingProxy;
  }

  function newSheet(name: string) {
    const rec = { name, grid: new Map(), formats: new Map(), protected: false, deleted: false, protection: [] } as unknown as SheetRecord & { name: string };
    rec.mock = track({
      isNullObject: false,
      getRangeByIndexes: (row: number, col: number, rows: number, cols: number) => newRange(rec, row, col, rows, cols),
      tables: {
        add: (range: any, hasHeaders: boolean) => {
          const r = ranges.find((x) => x.mock === range)!;
          events.push(`table.add hasHeaders=${hasHeaders}`);
          return tableMock(rec, { sheet: sheetName(rec), row: r.row, col: r.col, rows: r.rows, cols: r.cols });
        },
        getItem: (tableName: string) => {
          const t = tables.find((x) => x.sheet === sheetName(rec) && x.mock.name === tableName);
          return t ? t.mock : missing(`table ${tableName}`);
        },
      },
      freezePanes: {
        freezeRows: (n: number) => events.push(`freezeRows ${n}`),
        freezeAt: (range: unknown) => events.push(`freezeAt ${sheetName(rec)} ${rangeOf(range)}`),
      },
      autoFilter: { apply: (range: unknown) => events.push(`autoFilter ${sheetName(rec)} ${rangeOf(range)}`) },
      pageLayout: {
        setPrintTitleRows: (rows: string) => events.push(`printTitleRows ${sheetName(rec)} ${rows}`),
        setPrintTitleColumns: (columns: string) => events.push(`printTitleColumns ${sheetName(rec)} ${columns}`),
        headersFooters: { defaultForAllPages: {} },
      },
      protection: {
        protect: (options: object) => {
          rec.protected = true;
          rec.protection.push({ at: ++clock, on: true });
          events.push(`protect ${JSON.stringify(options)}`);
        },
        unprotect: () => {
          rec.protected = false;
          rec.protection.push({ at: ++clock, on: false });
          events.push('unprotect');
        },
      },
      activate: () => events.push(`activate ${sheetName(rec)}`),
      delete: () => {
        rec.deleted = true;
        events.push(`delete ${sheetName(rec)}`);
      },
    });
    // The sheet's name is set by the glue (rename) and read by this fake: a plain accessor.
    Object.defineProperty(rec.mock, 'name', { get: () => rec.name, set: (v: string) => void (rec.name = v) });
    sheets.push(rec);
    return rec;
  }

  newSheet('Blad1');

  // Not tracked: its sync is the one below, which syncs everything tracked.
  const context: any = new OfficeMockObject({
    workbook: {
      tables: {
        getItem: (tableName: string) => {
          const t = tables.find((x) => findSheet(x.sheet) && x.mock.name === tableName);
          return t ? t.mock : missing(`table ${tableName}`);
        },
      },
      worksheets: {
        getItemOrNullObject: (name: string) => {
          const s = findSheet(name);
          return s ? s.mock : track({ isNullObject: true });
        },
        getItem: (name: string) => findSheet(name)?.mock ?? missing(`sheet ${name}`),
        add: (name?: string) => newSheet(name ?? `Blad${sheets.length + 1}`).mock,
      },
    },
    application: { suspendApiCalculationUntilNextSync: () => events.push('suspendCalculation') },
    sync: async () => {
      events.push('sync');
      if (pendingError) {
        const e = pendingError;
        pendingError = undefined;
        throw e;
      }
      for (const m of created) await m.sync();
      for (const r of ranges) {
        // Formulas land in the grid as their text ("=SUM(…)"), as Range.formulas reads them back.
        const written = Array.isArray(r.mock.values) ? r.mock.values : Array.isArray(r.mock.formulas) ? r.mock.formulas : undefined;
        if (r.applied || !written) continue;
        const s = live().find((x) => sheetName(x) === r.sheet) ?? sheets.find((x) => sheetName(x) === r.sheet)!;
        const protectedThen = s.protection.filter((p) => p.at < r.at).at(-1)?.on ?? false;
        if (protectedThen) throw Object.assign(new Error('The cell you are trying to change is protected'), { code: 'AccessDenied' });
        (written as CellValue[][]).forEach((cells, i) => cells.forEach((v, j) => s.grid.set(`${r.row + i},${r.col + j}`, v)));
        r.applied = true;
      }
    },
  });
  const excel = track({
    run: async (work: (ctx: unknown) => Promise<unknown>) => work(context),
    createWorkbook: async (base64: string) => void events.push(`createWorkbook ${base64.length}`),
  });

  return {
    excel,
    context,
    ranges,
    tables,
    events,
    sheet: (name: string) => findSheet(name),
    sheetNames: () => live().map(sheetName),
    /** The grid's value at a 1-based row and 0-based column. */
    value: (name: string, row: number, col: number) => cell(findSheet(name)!, row - 1, col),
    /** As if the user typed: changes the grid directly; with a format, as Excel formats what it recognised (0,032 as "3,2 %"). */
    type: (name: string, row: number, col: number, value: CellValue, format?: string) => {
      findSheet(name)!.grid.set(`${row - 1},${col}`, value);
      if (format) findSheet(name)!.formats.set(`${row - 1},${col}`, format);
    },
    /** The last range written exactly at these 0-based coordinates and size. */
    rangeAt: (name: string, row: number, col: number, rows: number, cols: number) =>
      [...ranges].reverse().find((r) => r.sheet === name && r.row === row && r.col === col && r.rows === rows && r.cols === cols),
  };
}

/** Office settings as the document keeps them: JSON, so only serialisable data survives. */
export function fakeSettings() {
  const stored = new Map<string, string>();
  let saves = 0;
  return {
    get: (name: string) => (stored.has(name) ? JSON.parse(stored.get(name)!) : null),
    set: (name: string, value: unknown) => void stored.set(name, JSON.stringify(value)),
    saveAsync: (callback?: (r: Office.AsyncResult<void>) => void) => {
      saves += 1;
      callback?.({ status: 'succeeded' } as unknown as Office.AsyncResult<void>);
    },
    saves: () => saves,
    raw: (name: string) => stored.get(name),
  };
}
