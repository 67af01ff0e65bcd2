import {
  ERROR_FILL,
  INPUT_FILL,
  NOT_APPLICABLE_FILL,
  NUMBER_FORMAT,
  STATUS_COLOURS,
  TEXT_FORMAT,
  columnIndex,
  reportColumns,
  type CellValue,
  type ColumnSpec,
  type ReportSheet,
} from '../../core/sheets/report-layout';
import { firstRow, inputKeys, rowsById, type RawReport, type RowKind, type SheetUpdate } from '../../core/sheets/sheet-sync';
import { chooseFrom } from '../../core/contract/messages';
import { ROW_KINDS } from '../../core/rows/report-rows';
import { POINTS_PER_CHARACTER, PROTECTION, addStatusColours, column, excelValue, isTextColumn, printSetup, replaceSheet, styleHeader, writeTitleLines } from './formats';
import { SheetMissingError, type ExcelGateway, type ReportMeta, type ReportSession } from './gateway';
import { REQUEST_BUDGET_BYTES, SyncBudget, payloadBytes, rowChunks } from './payload';
import type { MetaStore } from './settings-store';
import { writeConsolidationSheet } from './write-consolidation';

/**
 * The Excel gateway on Office.js. Requirement set ExcelApi 1.8 (data validation; 1.7 for
 * getRangeByIndexes, freezePanes and unprotect); page layout (1.9) only where supported.
 * One Excel.run per action; a pull costs 2 syncs whatever the number of sheets, a send 2 (read,
 * write), the consolidation's sheets 2 together, plus one per 4 MB beyond the first when more is
 * written than Excel on the web takes in one request.
 */
export interface OfficeGatewayOptions {
  store: MetaStore;
  /** Office.context.requirements.isSetSupported, injected so that tests can answer. */
  supports(set: string, version: string): boolean;
  requestBudgetBytes?: number;
}

const cellValue = (v: unknown): CellValue => (v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v));

export function createOfficeGateway(options: OfficeGatewayOptions): ExcelGateway {
  const budgetBytes = options.requestBudgetBytes ?? REQUEST_BUDGET_BYTES;

  const sheetOf = (context: Excel.RequestContext, meta: ReportMeta, kind: RowKind) => context.workbook.worksheets.getItem(meta.tables[kind].sheet);

  /** The first sync of an action on an existing sheet: a missing sheet or table becomes a message. */
  async function syncExisting(context: Excel.RequestContext, meta: ReportMeta) {
    try {
      await context.sync();
    } catch (e) {
      if ((e as { code?: string }).code === 'ItemNotFound') throw new SheetMissingError(ROW_KINDS.map((k) => meta.tables[k].sheet).join(' / '));
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
        const existing = model.sheets.map((m) => {
          const sheet = sheets.getItemOrNullObject(m.name);
          // eslint-disable-next-line office-addins/no-navigational-load -- isNullObject is a plain property; office-addin-mock needs it loaded, Office.js loads it anyway
          sheet.load('isNullObject');
          return sheet;
        });
        await context.sync();
        context.application.suspendApiCalculationUntilNextSync();
        const budget = new SyncBudget(context, budgetBytes);
        const canLayoutPages = options.supports('ExcelApi', '1.9');
        for (const [i, m] of model.sheets.entries()) {
          const sheet = replaceSheet(sheets, existing[i]!, m.name);
          writeTitleLines(sheet, m.titleRows);
          await writeTable(sheet, m, meta.tables[m.kind].table, budget);
          m.table.columns.forEach((c, n) => (sheet.getRangeByIndexes(0, n, 1, 1).format.columnWidth = Math.round(c.width * POINTS_PER_CHARACTER)));
          // Key and title stay in view while the user scrolls right to the context, and down the rows.
          sheet.freezePanes.freezeAt(sheet.getRangeByIndexes(0, 0, m.table.headerRow, m.frozenColumns));
          if (canLayoutPages) printSetup(sheet, m.print);
          sheet.protection.protect(PROTECTION);
        }
        sheets.getItem(model.sheets[0]!.name).activate();
        await context.sync();
      });
      await options.store.put(meta);
    },

    async withReport(key, work) {
      const meta = metaFor(key);
      return Excel.run(async (context) => {
        let raw: RawReport | undefined;
        const session: ReportSession = {
          meta,
          async read() {
            const loaded = ROW_KINDS.map((kind) => {
              const table = context.workbook.tables.getItem(meta.tables[kind].table);
              return {
                kind,
                header: table.getHeaderRowRange().load('values,rowIndex'),
                body: table.getDataBodyRange().load('values,numberFormat'),
              };
            });
            await syncExisting(context, meta);
            const read = { period: meta.period } as RawReport;
            for (const { kind, header, body } of loaded) {
              read[kind] = {
                headerRow: header.rowIndex + 1,
                header: (header.values[0] ?? []).map(cellValue),
                values: body.values.map((row) => row.map(cellValue)),
                formats: (body.numberFormat as unknown[][]).map((row) => row.map((f) => (typeof f === 'string' ? f : ''))),
              };
            }
            raw = read;
            return read;
          },
          async write(update, next) {
            if (!raw) throw new Error('read() before write()');
            const sheets = Object.fromEntries(ROW_KINDS.map((k) => [k, sheetOf(context, meta, k)])) as Record<RowKind, Excel.Worksheet>;
            for (const k of ROW_KINDS) sheets[k].protection.unprotect();
            context.application.suspendApiCalculationUntilNextSync();
            await applyUpdate(sheets, raw, update, new SyncBudget(context, budgetBytes));
            for (const k of ROW_KINDS) sheets[k].protection.protect(PROTECTION);
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
          // eslint-disable-next-line office-addins/no-navigational-load -- isNullObject is a plain property; office-addin-mock needs it loaded, Office.js loads it anyway
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
        const sheet = sheetOf(context, meta, kind);
        const table = context.workbook.tables.getItem(meta.tables[kind].table);
        const header = table.getHeaderRowRange().load('rowIndex');
        const body = table.getDataBodyRange().load('values');
        await syncExisting(context, meta);
        const rows = { headerRow: header.rowIndex + 1, header: [], values: body.values.map((r) => r.map(cellValue)) };
        const row = rowsById(rows, kind, meta.period).get(id);
        if (row === undefined) return false;
        sheet.activate();
        sheet.getRangeByIndexes(row - 1, 0, 1, reportColumns(kind, meta.period).length).select();
        await context.sync();
        return true;
      });
    },
  };
}

/** Formats and values in 2D runs under the request budget, then the table, its column formats, validation and locks. */
async function writeTable(sheet: Excel.Worksheet, m: ReportSheet, name: string, budget: SyncBudget) {
  const { columns, headerRow } = m.table;
  const width = columns.length;
  const top = headerRow - 1;
  const body = m.table.rows.length === 0 ? [columns.map(() => '')] : m.table.rows.map((r) => r.map(excelValue));
  const values = [columns.map((c) => c.header), ...body];
  // Text columns are text before any value lands in them, so user text never becomes a formula;
  // number cells take their row's format (decimals by the indicator).
  const formats = body.map((_, r) => columns.map((c, i) => (isTextColumn(c.kind) ? TEXT_FORMAT : (m.table.formats[r]?.[i] ?? (c.kind === 'number' ? NUMBER_FORMAT : 'General')))));
  await budget.queue(payloadBytes(formats), () => {
    sheet.getRangeByIndexes(top + 1, 0, body.length, width).numberFormat = formats;
  });
  for (const chunk of rowChunks(values, budget.limit)) {
    await budget.queue(chunk.bytes, () => {
      sheet.getRangeByIndexes(top + chunk.start, 0, chunk.rows.length, width).values = chunk.rows;
    });
  }
  const table = sheet.tables.add(sheet.getRangeByIndexes(top, 0, body.length + 1, width), true);
  table.name = name;
  table.style = 'TableStyleLight1';
  styleHeader(table.getHeaderRowRange().format);
  for (const [i, spec] of columns.entries()) {
    const cells = sheet.getRangeByIndexes(top + 1, i, body.length, 1);
    await budget.queue(payloadBytes(body.length * 12), () => formatColumn(cells, spec));
  }
  for (const [r, closed] of m.table.closedInputs.entries()) {
    for (const key of closed) {
      const cell = sheet.getRangeByIndexes(top + 1 + r, columnIndex(columns, key), 1, 1);
      cell.format.protection.locked = true;
      cell.format.fill.color = NOT_APPLICABLE_FILL;
      cell.format.font.color = '#595959';
      cell.dataValidation.clear();
    }
  }
  sheet.getRangeByIndexes(top + 1, 0, body.length, width).format.autofitRows();
}

function formatColumn(cells: Excel.Range, spec: ColumnSpec) {
  if (spec.wrap) cells.format.wrapText = true;
  cells.format.verticalAlignment = 'Top';
  if (spec.kind === 'error') cells.format.font.color = STATUS_COLOURS.ej.font;
  if (spec.kind === 'status') addStatusColours(cells);
  if (spec.kind === 'hidden') cells.columnHidden = true;
  if (spec.input) {
    cells.format.protection.locked = false;
    cells.format.fill.color = INPUT_FILL;
    if (spec.kind === 'number') {
      cells.dataValidation.rule = { decimal: { operator: 'Between', formula1: -1e15, formula2: 1e15 } };
      // A warning, not a stop: in an English Excel "12,5" stays text, and Tertial reads it as 12,5.
      cells.dataValidation.errorAlert = { showAlert: true, style: 'Warning', title: 'Inte ett tal', message: 'Skriv ett tal, t.ex. 12,5 eller 1 234,5.' };
    }
    if (spec.kind === 'choice' && spec.options) {
      cells.dataValidation.rule = { list: { inCellDropDown: true, source: spec.options.join(',') } };
      cells.dataValidation.errorAlert = { showAlert: true, style: 'Stop', title: spec.header, message: chooseFrom(spec.options) };
    }
  }
}

/** Locked columns whole, input cells one by one, then the Fel column's and inputs' fills reset and errors highlighted. */
async function applyUpdate(sheets: Record<RowKind, Excel.Worksheet>, raw: RawReport, update: SheetUpdate, budget: SyncBudget) {
  const rangeAt = (kind: RowKind, row: number, key: string, rows = 1) => sheets[kind].getRangeByIndexes(row - 1, columnIndex(reportColumns(kind, raw.period), key), rows, 1);
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
  for (const kind of ROW_KINDS) {
    const rows = raw[kind].values.length;
    if (rows === 0) continue;
    rangeAt(kind, firstRow(raw[kind]), 'error', rows).format.fill.clear();
    for (const key of inputKeys(kind)) rangeAt(kind, firstRow(raw[kind]), key, rows).format.fill.color = INPUT_FILL;
  }
  for (const h of update.highlights) {
    await budget.queue(payloadBytes(h), () => {
      rangeAt(h.table, h.row, h.key).format.fill.color = ERROR_FILL;
    });
  }
}
