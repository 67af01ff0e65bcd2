import {
  ERROR_FILL,
  INPUT_FILL,
  NUMBER_FORMAT,
  STATUS_COLOURS,
  ASSESSMENTS,
  columnIndex,
  type CellValue,
  type ColumnSpec,
  type SheetModel,
  type TableModel,
} from '../sheets/report-layout';
import { INPUT_KEYS, TABLE_COLUMNS, firstRow, rowsById, type RawReport, type SheetUpdate, type TableKind } from '../sheets/sheet-sync';
import { POINTS_PER_CHARACTER, PROTECTION, TEXT_FORMAT, addStatusColours, column, excelValue, isTextColumn, printLandscape, replaceSheet, styleHeader, writeTitleLines } from './formats';
import { SheetMissingError, type ExcelGateway, type ReportMeta, type ReportSession } from './gateway';
import { REQUEST_BUDGET_BYTES, SyncBudget, payloadBytes, rowChunks } from './payload';
import type { MetaStore } from './settings-store';
import { writeConsolidationSheet } from './write-consolidation';

/**
 * The Excel gateway on Office.js. Requirement set ExcelApi 1.8 (data validation; 1.7 for
 * getRangeByIndexes, freezePanes and unprotect); page layout (1.9) only where supported.
 * One Excel.run per action; a pull costs 2 syncs, a send 2 (read, write), the consolidation's
 * sheets 2 together, plus one per 4 MB beyond the first when more is written than Excel on the
 * web takes in one request.
 */
export interface OfficeGatewayOptions {
  store: MetaStore;
  /** Office.context.requirements.isSetSupported, injected so that tests can answer. */
  supports(set: string, version: string): boolean;
  requestBudgetBytes?: number;
}

const TABLES: readonly TableKind[] = ['indicators', 'goals'];
const CAPTIONS: Record<TableKind, string> = { indicators: 'Indikatorer', goals: 'Mål och bedömningar' };
/** Shows nothing, keeps the value: for key columns that share a sheet column with the other table. */
const MASK_FORMAT = ';;;';

const cellValue = (v: unknown): CellValue => (v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v));

export function createOfficeGateway(options: OfficeGatewayOptions): ExcelGateway {
  const budgetBytes = options.requestBudgetBytes ?? REQUEST_BUDGET_BYTES;

  function sheetOf(context: Excel.RequestContext, meta: ReportMeta) {
    return context.workbook.worksheets.getItem(meta.sheetName);
  }

  /** The first sync of an action on an existing sheet: a missing sheet or table becomes a message. */
  async function syncExisting(context: Excel.RequestContext, meta: ReportMeta) {
    try {
      await context.sync();
    } catch (e) {
      if ((e as { code?: string }).code === 'ItemNotFound') throw new SheetMissingError(meta.sheetName);
      throw e;
    }
  }

  function metaFor(key: string): ReportMeta {
    const meta = options.store.get(key);
    if (!meta) throw new Error(`Rapporten ${key} har inte hämtats till den här arbetsboken.`);
    return meta;
  }

  return {
    listReports: async () => options.store.all(),

    async pullReport(model, meta) {
      await Excel.run(async (context) => {
        const sheets = context.workbook.worksheets;
        const existing = sheets.getItemOrNullObject(model.name);
        existing.load('isNullObject');
        await context.sync();
        context.application.suspendApiCalculationUntilNextSync();
        const sheet = replaceSheet(sheets, existing, model.name);
        const budget = new SyncBudget(context, budgetBytes);
        writeTitles(sheet, model);
        const widths = new Map<number, number>();
        for (const kind of TABLES) {
          const other = model[kind === 'indicators' ? 'goals' : 'indicators'].columns.length;
          await writeTable(sheet, model[kind], meta.tables[kind], other, budget);
          model[kind].columns.forEach((c, i) => widths.set(i, Math.max(widths.get(i) ?? 0, c.width)));
        }
        for (const [i, width] of widths) sheet.getRangeByIndexes(0, i, 1, 1).format.columnWidth = Math.round(width * POINTS_PER_CHARACTER);
        sheet.freezePanes.freezeRows(model.indicators.headerRow);
        if (options.supports('ExcelApi', '1.9')) printLandscape(sheet);
        sheet.protection.protect(PROTECTION);
        sheet.activate();
        await context.sync();
      });
      await options.store.put(meta);
    },

    async withReport(key, work) {
      const meta = metaFor(key);
      return Excel.run(async (context) => {
        const sheet = sheetOf(context, meta);
        let raw: RawReport | undefined;
        const session: ReportSession = {
          meta,
          async read() {
            const loaded = TABLES.map((kind) => {
              const table = sheet.tables.getItem(meta.tables[kind]);
              return {
                kind,
                header: table.getHeaderRowRange().load('values,rowIndex'),
                body: table.getDataBodyRange().load('values'),
              };
            });
            await syncExisting(context, meta);
            const read = {} as RawReport;
            for (const { kind, header, body } of loaded) {
              read[kind] = {
                headerRow: header.rowIndex + 1,
                header: (header.values[0] ?? []).map(cellValue),
                values: body.values.map((row) => row.map(cellValue)),
              };
            }
            raw = read;
            return read;
          },
          async write(update, next) {
            if (!raw) throw new Error('read() before write()');
            sheet.protection.unprotect();
            context.application.suspendApiCalculationUntilNextSync();
            await applyUpdate(sheet, raw, update, new SyncBudget(context, budgetBytes));
            sheet.protection.protect(PROTECTION);
            await context.sync();
            await options.store.put(next);
          },
        };
        return work(session);
      });
    },

    async pullConsolidation(layouts) {
      return Excel.run(async (context) => {
        const sheets = context.workbook.worksheets;
        const existing = layouts.map((layout) => {
          const sheet = sheets.getItemOrNullObject(layout.name);
          sheet.load('isNullObject');
          return sheet;
        });
        await context.sync();
        context.application.suspendApiCalculationUntilNextSync();
        const budget = new SyncBudget(context, budgetBytes);
        const canFilter = options.supports('ExcelApi', '1.9');
        const written = layouts.map((layout, i) => ({ layout, sheet: replaceSheet(sheets, existing[i]!, layout.name) }));
        for (const { layout, sheet } of written) await writeConsolidationSheet(sheet, layout, { budget, canFilter });
        written[0]?.sheet.activate();
        await context.sync();
        return layouts.filter((_, i) => !existing[i]!.isNullObject).map((layout) => layout.name);
      });
    },

    async openWorkbook(base64) {
      if (!options.supports('ExcelApi', '1.8')) return false;
      await Excel.createWorkbook(base64);
      return true;
    },

    async selectRecord(key, kind, id) {
      const meta = metaFor(key);
      return Excel.run(async (context) => {
        const sheet = sheetOf(context, meta);
        const table = sheet.tables.getItem(meta.tables[kind]);
        const header = table.getHeaderRowRange().load('rowIndex');
        const body = table.getDataBodyRange().load('values');
        await syncExisting(context, meta);
        const row = rowsById({ headerRow: header.rowIndex + 1, header: [], values: body.values.map((r) => r.map(cellValue)) }, kind).get(id);
        if (row === undefined) return false;
        sheet.activate();
        sheet.getRangeByIndexes(row - 1, 0, 1, TABLE_COLUMNS[kind].length).select();
        await context.sync();
        return true;
      });
    },
  };
}

function writeTitles(sheet: Excel.Worksheet, model: SheetModel) {
  writeTitleLines(sheet, model.titleRows);
  for (const kind of TABLES) {
    const captionRow = kind === 'indicators' ? model.indicators.headerRow - 1 : model.goalCaptionRow;
    const caption = sheet.getRangeByIndexes(captionRow - 1, 0, 1, 1);
    caption.values = [[CAPTIONS[kind]]];
    caption.format.font.bold = true;
    caption.format.font.size = 12;
  }
}

/** Values in 2D runs under the request budget, then the table, its formats, validation and locks. */
async function writeTable(
  sheet: Excel.Worksheet,
  model: TableModel<string>,
  name: string,
  otherTableWidth: number,
  budget: SyncBudget,
) {
  const width = model.columns.length;
  const top = model.headerRow - 1;
  const body = model.rows.length > 0 ? model.rows.map((r) => r.map(excelValue)) : [model.columns.map(() => '')];
  const values = [model.columns.map((c) => c.header), ...body];
  // Text columns are text before any value lands in them, so user text never becomes a formula.
  for (const [i, spec] of model.columns.entries()) {
    if (isTextColumn(spec.kind)) sheet.getRangeByIndexes(top + 1, i, body.length, 1).numberFormat = column(Array(body.length).fill(TEXT_FORMAT));
  }
  for (const chunk of rowChunks(values, budget.limit)) {
    await budget.queue(chunk.bytes, () => {
      sheet.getRangeByIndexes(top + chunk.start, 0, chunk.rows.length, width).values = chunk.rows;
    });
  }
  const table = sheet.tables.add(sheet.getRangeByIndexes(top, 0, body.length + 1, width), true);
  table.name = name;
  table.style = 'TableStyleLight1';
  styleHeader(table.getHeaderRowRange().format);
  for (const [i, spec] of model.columns.entries()) {
    const cells = sheet.getRangeByIndexes(top + 1, i, body.length, 1);
    await budget.queue(payloadBytes(body.length * 12), () => formatColumn(sheet, cells, spec, i, top, body.length, i >= otherTableWidth));
  }
  sheet.getRangeByIndexes(top + 1, 0, body.length, width).format.autofitRows();
}

function formatColumn(
  sheet: Excel.Worksheet,
  cells: Excel.Range,
  spec: ColumnSpec,
  index: number,
  top: number,
  rows: number,
  ownsSheetColumn: boolean,
) {
  if (spec.wrap) cells.format.wrapText = true;
  if (spec.kind === 'number') cells.numberFormat = column(Array(rows).fill(NUMBER_FORMAT));
  if (spec.kind === 'error') cells.format.font.color = STATUS_COLOURS.ej.font;
  if (spec.kind === 'status') addStatusColours(cells);
  if (spec.kind === 'hidden') {
    // Both tables share the sheet's columns: hide the whole column only if the other table does not use it.
    if (ownsSheetColumn) cells.columnHidden = true;
    else sheet.getRangeByIndexes(top, index, rows + 1, 1).numberFormat = column(Array(rows + 1).fill(MASK_FORMAT));
  }
  if (spec.input) {
    cells.format.protection.locked = false;
    cells.format.fill.color = INPUT_FILL;
    if (spec.kind === 'number') {
      cells.dataValidation.rule = { decimal: { operator: 'Between', formula1: -1e15, formula2: 1e15 } };
      // A warning, not a stop: in an English Excel "12,5" stays text, and Tertial reads it as 12,5.
      cells.dataValidation.errorAlert = { showAlert: true, style: 'Warning', title: 'Inte ett tal', message: 'Skriv ett tal, t.ex. 12,5 eller 1 234,5.' };
    }
    if (spec.kind === 'assessment') {
      cells.dataValidation.rule = { list: { inCellDropDown: true, source: ASSESSMENTS.join(',') } };
      cells.dataValidation.errorAlert = { showAlert: true, style: 'Stop', title: 'Bedömning', message: 'Välj helt, delvis eller ej.' };
    }
  }
}

/** Locked columns whole, input cells one by one, then the Fel column's and inputs' fills reset and errors highlighted. */
async function applyUpdate(sheet: Excel.Worksheet, raw: RawReport, update: SheetUpdate, budget: SyncBudget) {
  const rangeAt = (kind: TableKind, row: number, key: string, rows = 1) =>
    sheet.getRangeByIndexes(row - 1, columnIndex(TABLE_COLUMNS[kind], key), rows, 1);
  for (const c of update.columns) {
    const values = column(c.values.map(excelValue));
    await budget.queue(payloadBytes(values), () => {
      rangeAt(c.table, firstRow(raw[c.table]), c.key, c.values.length).values = values;
    });
  }
  for (const c of update.cells) {
    await budget.queue(payloadBytes(c.value), () => {
      rangeAt(c.table, c.row, c.key).values = [[excelValue(c.value)]];
    });
  }
  for (const kind of TABLES) {
    const rows = raw[kind].values.length;
    if (rows === 0) continue;
    rangeAt(kind, firstRow(raw[kind]), 'error', rows).format.fill.clear();
    for (const key of INPUT_KEYS[kind]) rangeAt(kind, firstRow(raw[kind]), key, rows).format.fill.color = INPUT_FILL;
  }
  for (const h of update.highlights) {
    await budget.queue(payloadBytes(h), () => {
      rangeAt(h.table, h.row, h.key).format.fill.color = ERROR_FILL;
    });
  }
}
