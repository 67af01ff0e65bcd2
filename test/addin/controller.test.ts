import { ApiClientError, type ApiClient } from '../../addin/api-client';
import { PaneController } from '../../addin/taskpane/controller';
import type { Report } from '../../api/contract/report';
import { MemoryGateway } from './support/memory-gateway';
import { report as makeReport } from './support/report-fixture';

const KEY = 'sdn-farsta/2022/T1';

async function paneWith(api: Partial<ApiClient>, pulled: Report) {
  const excel = new MemoryGateway();
  const controller = new PaneController(
    {
      createApi: () =>
        ({
          me: async () => ({ sub: 'anna', name: 'Anna', roles: ['controller'], organisations: [pulled.organisation] }),
          getReport: async () => pulled,
          ...api,
        }) as ApiClient,
      excel,
      newKey: () => 'key',
      now: () => new Date('2022-05-02T08:00:00Z'),
    },
    { organisation: 'sdn-farsta', year: 2022, period: 'T1' },
  );
  await controller.signIn(async () => 'tok');
  await controller.pull();
  return { controller, excel };
}

test('423: the period is closed — said plainly, the edit stays in the sheet and unsent', async () => {
  const pulled = makeReport(2, 0);
  const { controller, excel } = await paneWith(
    { putReport: async () => Promise.reject(new ApiClientError(423, 'PERIOD_CLOSED', 'Perioden T1 2022 är låst av stadsledningskontoret.')) },
    pulled,
  );
  excel.type(KEY, 'indicators', 101, 'outcome', '3');
  await controller.send();
  expect(controller.current.message).toEqual({ kind: 'error', text: 'Perioden T1 2022 är låst av stadsledningskontoret. (0 rader skickade, 0 fel)' });
  expect(excel.cell(KEY, 'indicators', 101, 'outcome')).toBe('3');
  expect((await excel.listReports())[0]!.snapshot.indicators['101']!.outcome).toBeNull();
});

test('a 409 conflict resolved with "behåll deras": their value into the sheet and the snapshot', async () => {
  const pulled = makeReport(2, 0);
  const theirs = structuredClone(pulled);
  theirs.indicators[0] = { ...theirs.indicators[0]!, forecast: 70, version: 2, changedBy: 'Bo' };
  const conflict = new ApiClientError(409, 'CONFLICT', 'Konflikt', [
    { section: 'indicators', index: 0, indicatorId: 101, code: 'STALE', message: 'ändrad', current: { outcome: null, forecast: 70, comment: null, version: 2, changedBy: 'Bo', changedAt: null } },
  ]);
  let server = pulled;
  const { controller, excel } = await paneWith({ putReport: async () => Promise.reject(conflict), getReport: async () => server }, pulled);
  server = theirs;
  excel.type(KEY, 'indicators', 101, 'forecast', 80);
  await controller.send();
  expect(controller.current.message?.text).toBe('0 rader skickade, 0 fel, 1 konflikt.');
  expect(controller.current.conflicts).toHaveLength(1);
  expect(excel.cell(KEY, 'indicators', 101, 'error')).toMatch(/ändrad av Bo/);
  await controller.resolve(controller.current.conflicts[0]!, 'theirs');
  expect(excel.cell(KEY, 'indicators', 101, 'forecast')).toBe(70);
  expect(excel.cell(KEY, 'indicators', 101, 'error')).toBe('');
  expect((await excel.listReports())[0]!.snapshot.indicators['101']).toEqual({ version: 2, outcome: null, forecast: 70, comment: null });
  expect(controller.current.conflicts).toEqual([]);
});

test('"Skicka in" with unsent edits refuses and says why, without calling the API', async () => {
  const submitReport = jest.fn();
  const { controller, excel } = await paneWith({ submitReport }, makeReport(2, 0));
  excel.type(KEY, 'indicators', 102, 'comment', 'ny');
  await controller.submit();
  expect(submitReport).not.toHaveBeenCalled();
  expect(controller.current.message?.text).toBe('Bladet har 1 rad som väntar på att skickas eller har fel. Skicka först, sedan Skicka in.');
});
