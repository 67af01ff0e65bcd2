import type ExcelJS from 'exceljs';
import { MAX_ROWS_PER_BATCH, type Report } from '../../core/contract/report';
import { reportColumns } from '../../core/sheets/report-layout';
import { IDENTITY_SHEET, readIdentity, writeIdentity } from '../../api/workbooks/workbook-identity';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';
import { downloadWorkbook, getJson, putJson, reportPath, upload, workbookPath, xlsxOf } from './helpers';

/**
 * Uploads that used to slip through: a formula without a value clearing a cell, and an
 * identity listing more rows than one write takes (a 500). Cells are found by the identity's
 * table and the column headers, not by fixed positions.
 */
const ORG = 'sdn-farsta';

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestApi();
  token = await api.token('controller', [ORG], 'ctrl-farsta', 'Farsta Controller');
});
afterAll(() => api.close());

const farsta = (): Promise<Report> => getJson(api, token, reportPath(ORG));

/** The indicator table of a downloaded workbook: its sheet, the row of a key, the column of a field. */
function indicatorTable(workbook: ExcelJS.Workbook) {
  const identity = readIdentity(workbook);
  const { sheet: name, headerRow, keys } = identity.tables.indicators;
  const columns = reportColumns('indicators', identity.period);
  return {
    identity,
    sheet: workbook.getWorksheet(name)!,
    headerRow,
    rowOf: (indicatorId: number) => headerRow + 1 + keys.indexOf(indicatorId),
    column: (key: string) => columns.findIndex((c) => c.key === key) + 1,
  };
}

describe(`workbook uploads on ${testDatabaseKind}`, () => {
  test('a formula in an input cell without a calculated value: 422 on that row and field, the stored value kept', async () => {
    const i111 = (await farsta()).indicators.find((i) => i.code === '1.1.1')!;
    await putJson(api, token, reportPath(ORG), { indicators: [{ indicatorId: i111.indicatorId, baseVersion: i111.version, outcome: 2.4 }] });
    const before = await farsta();

    const workbook = await downloadWorkbook(api, token, workbookPath(ORG));
    const table = indicatorTable(workbook);
    const row = table.rowOf(i111.indicatorId);
    table.sheet.getCell(row, table.column('outcome')).value = { formula: 'A1*2' } as ExcelJS.CellFormulaValue; // as another program may write it
    const res = await upload(api, token, workbookPath(ORG), await xlsxOf(workbook));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ row, field: 'outcome', code: 'FORMULA_NOT_ALLOWED' })]);
    expect(res.body.error.details[0].message).toContain(`Rad ${row}, Utfall: cellen innehåller en formel utan sparat värde`);
    expect(await farsta()).toEqual(before);

    // A formula Excel calculated is read by its value, as before.
    table.sheet.getCell(row, table.column('outcome')).value = 2.4;
    table.sheet.getCell(row, table.column('forecast')).value = { formula: 'A1*2', result: 5 } as ExcelJS.CellFormulaValue;
    const calculated = await upload(api, token, workbookPath(ORG), await xlsxOf(workbook));
    expect(calculated.status).toBe(200);
    expect((calculated.body as Report).indicators.find((i) => i.code === '1.1.1')).toMatchObject({ outcome: 2.4, forecast: 5 });
  });

  test(`an identity listing ${MAX_ROWS_PER_BATCH + 1} changed rows (more than one write takes): 422 with a clear message, not a 500`, async () => {
    const workbook = await downloadWorkbook(api, token, workbookPath(ORG));
    const table = indicatorTable(workbook);
    const keys = Array.from({ length: MAX_ROWS_PER_BATCH + 1 }, (_, i) => i + 1);
    const [keyAt, versionAt, outcomeAt] = [table.column('indicatorId'), table.column('version'), table.column('outcome')];
    keys.forEach((key, i) => {
      const row = table.sheet.getRow(table.headerRow + 1 + i);
      row.getCell(keyAt).value = key;
      row.getCell(versionAt).value = 0;
      row.getCell(outcomeAt).value = 1;
    });
    // The identity is no signature: anyone can write one listing these rows, with a matching checksum.
    const stored = Object.values(table.identity.snapshot.indicators)[0]!;
    const empty = Object.fromEntries(Object.keys(stored).map((f) => [f, f === 'version' ? 0 : null])) as typeof stored;
    workbook.removeWorksheet(workbook.getWorksheet(IDENTITY_SHEET)!.id);
    await writeIdentity(workbook, {
      ...table.identity,
      tables: { ...table.identity.tables, indicators: { ...table.identity.tables.indicators, keys } },
      snapshot: { ...table.identity.snapshot, indicators: Object.fromEntries(keys.map((k) => [k, empty])) },
    });
    const before = await farsta();
    const res = await upload(api, token, workbookPath(ORG), await xlsxOf(workbook));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ code: 'TOO_MANY_ROWS' })]);
    expect(res.body.error.message).toBe(
      `Arbetsboken listar ${keys.length} rader i en tabell; högst ${MAX_ROWS_PER_BATCH} kan skickas på en gång. Hämta rapporten på nytt. Inget har sparats.`,
    );
    expect(await farsta()).toEqual(before);
  }, 120_000);
});
