import type { ApiClient } from '../addin/api-client';
import { createOfficeGateway } from '../addin/excel/office-gateway';
import { settingsStore, type SettingsLike } from '../addin/excel/settings-store';
import { columnIndex, reportColumns, reportToModel } from '../core/sheets/report-layout';
import { PaneController } from '../addin/taskpane/controller';
import type { ReportChanges } from '../core/contract/report-changes';
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
    // The add-in asks for the short answer (?answer=changes): the written rows' versions and statuses.
    putReport: async (_address: unknown, body: { indicators: { indicatorId: number; baseVersion: number }[] }): Promise<ReportChanges> => {
      rowsSent += body.indicators.length;
      const { organisation, year, period, state } = report;
      return {
        answer: 'changes',
        organisation,
        year,
        period,
        state,
        changedBy: 'Bench',
        changedAt: NOW.toISOString(),
        indicators: body.indicators.map((i) => ({ indicatorId: i.indicatorId, version: i.baseVersion + 1, status: null })),
        goals: [],
        activities: [],
        commissions: [],
        controls: [],
        internalControl: [],
      };
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
