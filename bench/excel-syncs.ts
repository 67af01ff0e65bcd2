import type { ApiClient } from '../addin/api-client';
import { createOfficeGateway } from '../addin/excel/office-gateway';
import { settingsStore, type SettingsLike } from '../addin/excel/settings-store';
import { columnIndex, reportColumns, reportToModel } from '../core/sheets/report-layout';
import { PaneController } from '../addin/taskpane/controller';
import type { Report } from '../core/contract/report';
import { createExcelMock, fakeSettings } from '../test/addin/support/excel-mock';
import { report as makeReport } from '../test/addin/support/report-fixture';

const ROWS = 1000;
const NOW = new Date('2022-05-02T08:00:00Z');

/**
 * context.sync() calls of the add-in's Excel glue on office-addin-mock (the seed of the add-in
 * tests): pulling a 1,000-row report into a new sheet, and sending every row changed.
 */
export async function benchExcelSyncs() {
  const mock = createExcelMock();
  (globalThis as any).Excel = mock.excel;
  let syncs = 0;
  const sync = mock.context.sync.bind(mock.context);
  mock.context.sync = () => {
    syncs++;
    return sync();
  };
  const report = makeReport(ROWS, 3);
  let rowsSent = 0;
  const api = {
    me: async () => ({
      sub: 'bench',
      name: 'Bench',
      roles: ['controller'],
      organisations: [{ code: report.organisation.code, name: report.organisation.name, kind: report.organisation.kind }],
    }),
    getReport: async () => report,
    putReport: async (_address: unknown, body: { indicators: { indicatorId: number; outcome?: unknown }[] }) => {
      rowsSent += body.indicators.length;
      const sent = new Map(body.indicators.map((i) => [i.indicatorId, i]));
      return {
        ...report,
        indicators: report.indicators.map((i) => (sent.has(i.indicatorId) ? { ...i, outcome: Number(sent.get(i.indicatorId)!.outcome), version: i.version + 1 } : i)),
      } as Report;
    },
  } as unknown as ApiClient;
  const controller = new PaneController(
    {
      createApi: () => api,
      excel: createOfficeGateway({ store: settingsStore(fakeSettings() as unknown as SettingsLike), supports: () => true }),
      now: () => NOW,
    },
    { organisation: report.organisation.code, year: report.year, period: report.period },
  );
  await controller.signIn(async () => 'token');
  try {
    syncs = 0;
    if (!(await controller.pull())) throw new Error(`pull failed: ${JSON.stringify(controller.current.message)}`);
    const pull = syncs;
    const sheet = reportToModel(report, NOW).sheets.find((s) => s.kind === 'indicators')!;
    const outcome = columnIndex(reportColumns('indicators', report.period), 'outcome');
    for (let row = 0; row < ROWS; row++) mock.type(sheet.name, sheet.table.headerRow + 1 + row, outcome, String(row + 0.5).replace('.', ','));
    syncs = 0;
    if (!(await controller.send())) throw new Error(`send failed: ${JSON.stringify(controller.current.message)}`);
    if (rowsSent !== ROWS) throw new Error(`send sent ${rowsSent} rows, not ${ROWS}`);
    return [
      { name: 'excel-syncs-per-pull', rows: ROWS, value: pull },
      { name: 'excel-syncs-per-send', rows: ROWS, value: syncs },
    ];
  } finally {
    delete (globalThis as any).Excel;
  }
}
