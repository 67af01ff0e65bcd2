import { ApiClientError, type ApiClient } from '../../addin/api-client';
import { UserFacingError, genericMessage } from '../../addin/errors';
import { SheetMissingError } from '../../addin/excel/gateway';
import { PaneController, isCentral } from '../../addin/taskpane/controller';
import type { Me } from '../../core/contract/common';
import type { Report } from '../../core/contract/report';
import { consolidation, signals } from './support/consolidation-fixture';
import { MemoryGateway } from './support/memory-gateway';
import { changes, report as makeReport } from './support/report-fixture';

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
  expect(controller.current.message).toEqual({ kind: 'error', text: 'Perioden T1 2022 är låst av stadsledningskontoret. (0 rader sparade)' });
  expect(excel.cell(KEY, 'indicators', 101, 'outcome')).toBe('3');
  expect((await excel.listReports())[0]!.snapshot.indicators['101']!.outcome).toBeNull();
});

test("Skicka hands the body to the API client as it is; keys and retries are the client's business", async () => {
  const pulled = makeReport(2, 0);
  const putReport = jest.fn(async () => changes({ indicators: [{ indicatorId: 101, version: 2, status: 'ej' }] }));
  const { controller, excel } = await paneWith({ putReport }, pulled);
  excel.type(KEY, 'indicators', 101, 'outcome', '3');
  await controller.send();
  expect(putReport.mock.calls).toEqual([
    [{ organisation: 'sdn-farsta', year: 2022, period: 'T1' }, expect.objectContaining({ indicators: [expect.objectContaining({ indicatorId: 101, outcome: 3 })] })],
  ]);
});

test('Skicka asks for the short answer and applies it: versions, status, "Senast ändrad" and suggestions; a second send of the row is no 409', async () => {
  const pulled = makeReport(3, 1);
  // A server that keeps versions and refuses a stale baseVersion, as the API does, answering ?answer=changes.
  const versions = new Map(pulled.indicators.map((i) => [i.indicatorId, i.version]));
  const putReport = jest.fn<ReturnType<ApiClient['putReport']>, Parameters<ApiClient['putReport']>>(async (_address, body) => {
    const stale = (body.indicators ?? []).filter((i) => i.baseVersion !== versions.get(i.indicatorId));
    if (stale.length > 0) throw new ApiClientError(409, 'CONFLICT', 'Konflikt', []);
    for (const i of body.indicators ?? []) versions.set(i.indicatorId, i.baseVersion + 1);
    return changes({
      changedBy: 'Anna',
      changedAt: '2022-05-02T08:00:00Z',
      indicators: (body.indicators ?? []).map((i) => ({ indicatorId: i.indicatorId, version: versions.get(i.indicatorId)!, status: 'helt' as const })),
      goals: [{ goalId: 901, version: 1, suggestedAssessment: 'helt' }],
    });
  });
  const { controller, excel } = await paneWith({ putReport }, pulled);
  excel.type(KEY, 'indicators', 101, 'forecast', '85,5');
  excel.type(KEY, 'indicators', 102, 'comment', 'Ny kommentar');
  expect(await controller.send()).toBe(true);
  expect(controller.current.message).toEqual({ kind: 'success', text: '2 rader sparade.' });
  expect(excel.cell(KEY, 'indicators', 101, 'forecast')).toBe(85.5); // the typed text, as the API stored it
  expect(excel.cell(KEY, 'indicators', 101, 'version')).toBe(2);
  expect(excel.cell(KEY, 'indicators', 101, 'status')).toBe('förväntas uppfyllas helt');
  expect(excel.cell(KEY, 'indicators', 101, 'changed')).toBe('Anna, 2022-05-02 10:00');
  expect(excel.cell(KEY, 'indicators', 103, 'version')).toBe(1); // not sent: as it was
  expect(excel.cell(KEY, 'goals', 901, 'suggested')).toBe('förväntas uppfyllas helt');
  expect((await excel.listReports())[0]!.snapshot.indicators['101']).toEqual({ version: 2, outcome: null, forecast: 85.5, comment: null });
  expect((await excel.listReports())[0]!.snapshot.indicators['102']).toEqual({ version: 2, outcome: null, forecast: null, comment: 'Ny kommentar' });

  // nothing left to send; the next edit of the same row goes on the version the answer gave
  await controller.send();
  expect(controller.current.message?.text).toMatch(/^Inga ändringar att spara/);
  excel.type(KEY, 'indicators', 101, 'forecast', 90);
  await controller.send();
  expect(controller.current.message).toEqual({ kind: 'success', text: '1 rad sparad.' });
  expect(putReport).toHaveBeenCalledTimes(2);
  expect(putReport.mock.calls[1]![1].indicators).toEqual([{ indicatorId: 101, baseVersion: 2, forecast: 90 }]);
  expect(excel.cell(KEY, 'indicators', 101, 'version')).toBe(3);
});

test('a sent row the API found already stored (a no-op, left out of the answer) is no longer unsent, and keeps its version', async () => {
  const pulled = makeReport(2, 0);
  const putReport = jest.fn(async () => changes());
  const { controller, excel } = await paneWith({ putReport }, pulled);
  excel.type(KEY, 'indicators', 101, 'outcome', 12);
  await controller.send();
  expect(controller.current.message).toEqual({ kind: 'success', text: '1 rad sparad.' });
  expect((await excel.listReports())[0]!.snapshot.indicators['101']).toEqual({ version: 1, outcome: 12, forecast: null, comment: null });
  await controller.send();
  expect(putReport).toHaveBeenCalledTimes(1);
  expect(controller.current.message?.text).toMatch(/^Inga ändringar att spara/);
});

describe('error policy: our own errors are shown, anything else is a Swedish generic message and logged', () => {
  const AT = new Date('2022-05-02T08:00:00Z');
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  test.each([
    ['a TypeError of ours', new TypeError("Cannot read properties of undefined (reading 'values')")],
    ['an Office.js error in English', Object.assign(new Error('The requested resource does not exist.'), { name: 'RichApi.Error', code: 'ItemNotFound' })],
    ['something thrown that is not an Error', 'boom'],
  ])('%s: the generic message with the time, and the original in the log', async (_what, thrown) => {
    const { controller, excel } = await paneWith({}, makeReport(2, 0));
    excel.withReport = async () => Promise.reject(thrown);
    expect(await controller.refresh()).toBe(false);
    expect(controller.current.message).toEqual({ kind: 'error', text: genericMessage(AT) });
    expect(controller.current.message!.text).toMatch(
      /^Något gick fel i tillägget \(\d{4}-\d\d-\d\d \d\d:\d\d:00\)\. Försök igen; kvarstår felet, kontakta stadsledningskontoret och ange tiden\.$/,
    );
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('oväntat fel'), thrown);
  });

  test.each([
    ['the sheet is gone', new SheetMissingError('T1 2022 Farsta'), 'Bladet "T1 2022 Farsta" finns inte längre i arbetsboken. Hämta rapporten igen.'],
    ['an API answer', new ApiClientError(404, 'NOT_FOUND', 'Det finns ingen rapport T1 2022 för sdn-farsta.'), 'Det finns ingen rapport T1 2022 för sdn-farsta.'],
    ['a problem the user can act on', new UserFacingError('Bladets rubrikrad är ändrad. Hämta rapporten igen.'), 'Bladets rubrikrad är ändrad. Hämta rapporten igen.'],
  ])('%s: its own Swedish message, nothing logged', async (_what, thrown, text) => {
    const { controller, excel } = await paneWith({}, makeReport(2, 0));
    excel.withReport = async () => Promise.reject(thrown);
    await controller.refresh();
    expect(controller.current.message).toEqual({ kind: 'error', text });
    expect(logged).not.toHaveBeenCalled();
  });

  test('a typed error that wraps a cause shows its message and logs the cause', async () => {
    const cause = new Error('AADSTS50076: Due to a configuration change made by your administrator');
    const { controller, excel } = await paneWith({}, makeReport(2, 0));
    excel.withReport = async () => Promise.reject(new UserFacingError('Inloggningen misslyckades (felkod x).', { cause }));
    await controller.refresh();
    expect(controller.current.message?.text).toBe('Inloggningen misslyckades (felkod x).');
    expect(logged).toHaveBeenCalledWith(expect.any(String), cause);
  });
});

test('a 409 conflict resolved with "behåll deras": their value into the sheet and the snapshot', async () => {
  const pulled = makeReport(2, 0);
  const theirs = structuredClone(pulled);
  theirs.indicators[0] = { ...theirs.indicators[0]!, forecast: 70, version: 2, changedBy: 'Bo' };
  const conflict = new ApiClientError(409, 'CONFLICT', 'Konflikt', [
    {
      section: 'indicators',
      index: 0,
      indicatorId: 101,
      code: 'STALE',
      message: 'ändrad',
      current: { outcome: null, forecast: 70, comment: null, version: 2, changedBy: 'Bo', changedAt: null },
    },
  ]);
  let server = pulled;
  const { controller, excel } = await paneWith({ putReport: async () => Promise.reject(conflict), getReport: async () => server }, pulled);
  server = theirs;
  excel.type(KEY, 'indicators', 101, 'forecast', 80);
  await controller.send();
  expect(controller.current.message?.text).toBe('0 rader sparade, 1 konflikt.');
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
  expect(controller.current.message?.text).toBe('Bladet har 1 rad som inte är sparad eller har fel. Spara i Tertial först, lämna sedan in.');
});

describe('the centre and the offline workbook', () => {
  const CENTRAL: Me = { sub: 'cia', name: 'Cia Central', roles: ['central'], organisations: [makeReport(1, 0).organisation] };

  function pane(api: Partial<ApiClient>, me = CENTRAL, excel = new MemoryGateway()) {
    const controller = new PaneController(
      { createApi: () => ({ me: async () => me, getReport: async () => makeReport(2, 1), ...api }) as ApiClient, excel, now: () => new Date('2022-05-12T10:00:00Z') },
      { organisation: 'sdn-farsta', year: 2022, period: 'T1' },
    );
    return { controller, excel };
  }

  test('central: the consolidation and steering signals into sheets; a second pull says what it replaced', async () => {
    const { controller, excel } = pane({ getConsolidation: async () => consolidation(), getSteeringSignals: async () => signals() });
    await controller.signIn(async () => 'tok');
    expect(isCentral(controller.current.me)).toBe(true);
    await controller.pullConsolidation();
    expect([...excel.consolidation.keys()]).toEqual([
      'Översikt',
      'Måluppfyllelse',
      '1 En modern storstad med möjlig',
      'Avvikande bedömningar',
      'Prognossäkerhet',
      'Lägre ambition än KF',
      'Aktiviteter och uppdrag',
      'Intern kontroll',
      'Styrsignaler',
    ]);
    expect(excel.consolidation.get('Översikt')!.rows[1]!.slice(0, 3)).toEqual(['Järva stadsdelsnämnd', 'Stadsdelsnämnd', 'inskickad']);
    expect(controller.current.message).toEqual({ kind: 'success', text: 'Hämtade konsolideringen för Tertialrapport 1 2022 till 9 blad: 1 av 3 organisationer har skickat in.' });
    await controller.pullConsolidation();
    expect(controller.current.message?.text).toMatch(/ Ersatte 9 befintliga blad med samma namn: Översikt, Måluppfyllelse, 1 En modern storstad med möjlig, /);
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
    expect(controller.current.message?.text).toBe('Arbetsboken "T1 2022 Farsta.xlsx" är öppnad som en ny arbetsbok. Fyll i de blå cellerna, spara den och ladda upp den här.');
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
