import { ApiClientError, type ApiClient } from '../../addin/api-client';
import { PaneController, isCentral } from '../../addin/taskpane/controller';
import type { Me } from '../../api/contract/common';
import type { Report } from '../../api/contract/report';
import { consolidation, signals } from './support/consolidation-fixture';
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

describe('the centre and the offline workbook', () => {
  const CENTRAL: Me = { sub: 'cia', name: 'Cia Central', roles: ['central'], organisations: [makeReport(1, 0).organisation] };

  function pane(api: Partial<ApiClient>, me = CENTRAL, excel = new MemoryGateway()) {
    const controller = new PaneController(
      { createApi: () => ({ me: async () => me, getReport: async () => makeReport(2, 1), ...api }) as ApiClient, excel, newKey: () => 'key', now: () => new Date('2022-05-12T10:00:00Z') },
      { organisation: 'sdn-farsta', year: 2022, period: 'T1' },
    );
    return { controller, excel };
  }

  test('central: the consolidation and steering signals into sheets; a second pull says what it replaced', async () => {
    const { controller, excel } = pane({ getConsolidation: async () => consolidation(), getSteeringSignals: async () => signals() });
    await controller.signIn(async () => 'tok');
    expect(isCentral(controller.current.me)).toBe(true);
    await controller.pullConsolidation();
    expect([...excel.consolidation.keys()]).toEqual(['Översikt', '1 En modern storstad med möjlig', 'Avvikande bedömningar', 'Lägre ambition än KF', 'Styrsignaler']);
    expect(excel.consolidation.get('Översikt')!.rows[1]!.slice(0, 4)).toEqual(['sdn-jarva', 'Järva stadsdelsnämnd', 'Stadsdelsnämnd', 'inskickad']);
    expect(controller.current.message).toEqual({ kind: 'success', text: 'Hämtade konsolideringen för Tertialrapport 1 2022 till 5 blad: 1 av 3 organisationer har skickat in.' });
    await controller.pullConsolidation();
    expect(controller.current.message?.text).toMatch(/ Ersatte 5 befintliga blad med samma namn: Översikt, 1 En modern storstad med möjlig, /);
  });

  test('a controller is not offered the consolidation, and asking anyway calls nothing', async () => {
    const getConsolidation = jest.fn();
    const { controller } = pane({ getConsolidation }, { ...CENTRAL, roles: ['controller'] });
    await controller.signIn(async () => 'tok');
    expect(isCentral(controller.current.me)).toBe(false);
    await controller.pullConsolidation();
    expect(getConsolidation).not.toHaveBeenCalled();
    expect(controller.current.message).toEqual({ kind: 'error', text: 'Konsolideringen är till för stadsledningskontoret.' });
  });

  const file = { fileName: 'T1 2022 Farsta.xlsx', bytes: new Uint8Array([80, 75, 3, 4, 255]) };

  test('download: opened as a new workbook in Excel; where it cannot be, offered as a file', async () => {
    const { controller, excel } = pane({ downloadWorkbook: async () => file });
    await controller.signIn(async () => 'tok');
    await controller.downloadWorkbook();
    expect(excel.openedWorkbooks).toEqual([Buffer.from(file.bytes).toString('base64')]);
    expect(controller.current.message?.text).toBe('Arbetsboken "T1 2022 Farsta.xlsx" är öppnad som en ny arbetsbok. Fyll i de gula cellerna, spara den och ladda upp den här.');
    expect(controller.current.download).toBeNull();
    excel.canOpenWorkbooks = false;
    await controller.downloadWorkbook();
    expect(controller.current.download).toBe(file);
    expect(controller.current.message?.kind).toBe('info');
  });

  test('upload: the rows whose version moved are counted as saved; unchanged says so', async () => {
    const before = makeReport(3, 1);
    const after = structuredClone(before);
    after.indicators[0]!.version = 2;
    after.goals[0]!.version = 4;
    let answer = after;
    const uploadWorkbook = jest.fn(async () => answer);
    const { controller } = pane({ getReport: async () => before, uploadWorkbook }, { ...CENTRAL, roles: ['controller'] });
    await controller.signIn(async () => 'tok');
    await controller.uploadWorkbook(file.bytes);
    expect(uploadWorkbook).toHaveBeenCalledWith({ organisation: 'sdn-farsta', year: 2022, period: 'T1' }, file.bytes);
    expect(controller.current.message).toEqual({ kind: 'success', text: 'Arbetsboken är uppladdad: 2 rader sparade i Tertial.' });
    answer = before;
    await controller.uploadWorkbook(file.bytes);
    expect(controller.current.message?.text).toBe('Arbetsboken är uppladdad. Inga värden skilde sig från Tertial, så inget behövde sparas.');
  });

  test('upload refused: 422 and 409 list their rows; 423 says the period is closed', async () => {
    const details = [
      { section: 'indicators', index: 0, row: 14, field: 'forecast', code: 'NOT_A_NUMBER', message: 'Rad 14, Prognos: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.' },
      { section: 'goals', index: 0, row: 20, field: 'motivation', code: 'MOTIVATION_REQUIRED', message: 'Rad 20, Motivering: krävs.' },
    ];
    let failure = new ApiClientError(422, 'VALIDATION_FAILED', '2 fel i sändningen. Inget har sparats.', details);
    const { controller } = pane({ uploadWorkbook: async () => Promise.reject(failure) }, { ...CENTRAL, roles: ['controller'] });
    await controller.signIn(async () => 'tok');
    await controller.uploadWorkbook(file.bytes);
    expect(controller.current.uploadErrors).toEqual(details.map((d) => d.message));
    expect(controller.current.message).toEqual({ kind: 'error', text: '2 fel i sändningen. Inget har sparats. Rätta raderna nedan i arbetsboken, spara och ladda upp den igen.' });
    failure = new ApiClientError(409, 'CONFLICT', 'Någon annan har ändrat.', [{ index: 0, row: 11, code: 'STALE', message: 'Rad 11: Raden har ändrats av Bo.' }]);
    await controller.uploadWorkbook(file.bytes);
    expect(controller.current.uploadErrors).toEqual(['Rad 11: Raden har ändrats av Bo.']);
    failure = new ApiClientError(423, 'PERIOD_CLOSED', 'Perioden T1 2022 är låst av stadsledningskontoret.');
    await controller.uploadWorkbook(file.bytes);
    expect(controller.current.uploadErrors).toEqual([]);
    expect(controller.current.message).toEqual({ kind: 'error', text: 'Perioden T1 2022 är låst av stadsledningskontoret.' });
    controller.select({ period: 'T2' });
    expect(controller.current.message).toBeNull();
  });
});
