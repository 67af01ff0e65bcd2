import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { signDevToken } from '../../api/auth/verifier';
import { loadConfig } from '../../api/config';
import { XLSX_MIME } from '../../core/contract/common';
import type { Consolidation } from '../../core/contract/consolidation';
import type { Report } from '../../core/contract/report';
import { startServer, type RunningServer } from '../../api/server';
import { MAX_ATTEMPTS } from '../../addin/api-client';
import type { MemoryGateway } from './support/memory-gateway';

/**
 * The task pane in real headless Chromium against the real API (own data dir, demo data), with
 * the Excel layer replaced by the in-memory double (injected as window.__tertialExcel).
 * Office.js: the page keeps its CDN <script>; the CDN is unreachable here, so the route below
 * answers it from node_modules/@microsoft/office-js/dist. Office.onReady then reports no host.
 */
const root = path.resolve(__dirname, '../..');
const OFFICE_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/';
const OFFICE_DIST = path.join(root, 'node_modules/@microsoft/office-js/dist');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

jest.setTimeout(180_000);

let server: RunningServer;
let browser: Browser;
let page: Page;
let dataDir: string;
let anna: string;
let bo: string;
let central: string;
let doubleScript: string;

async function api<T>(token: string, method: string, pathname: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const report = (token: string) => api<Report>(token, 'GET', '/years/2022/organisations/sdn-farsta/reports/T1');

/** Runs a method of the in-page double. */
function onDouble<T>(fn: (d: MemoryGateway, ...args: any[]) => T, ...args: unknown[]): Promise<T> {
  return page.evaluate(([source, a]) => new Function('d', 'args', `return (${source})(d, ...args)`)((window as any).__tertialDouble, a), [
    fn.toString(),
    args,
  ] as const) as Promise<T>;
}

/** The Office.js CDN answered from the npm package's copy (office.js and the files it loads next to it). */
async function officeFromNodeModules(route: Route) {
  const file = path.join(OFFICE_DIST, new URL(route.request().url()).pathname.slice('/lib/1/hosted/'.length));
  if (file.startsWith(OFFICE_DIST) && fs.existsSync(file)) await route.fulfill({ path: file, contentType: 'text/javascript' });
  else await route.fulfill({ status: 404, body: '' });
}

async function message(): Promise<string> {
  await page.waitForSelector('#busy', { state: 'hidden' });
  return (await page.textContent('#message')) ?? '';
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist/addin-web/taskpane.html'))) {
    execFileSync('node', [path.join(root, 'scripts/build-addin.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const bundle = await build({
    entryPoints: [path.join(__dirname, 'support/memory-gateway.browser.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    logLevel: 'warning',
  });
  doubleScript = bundle.outputFiles[0]!.text;

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-browser-'));
  server = await startServer(loadConfig({ PORT: '0', TERTIAL_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const keys = await loadOrCreateDevKeys(dataDir);
  anna = await signDevToken(keys, { sub: 'anna', name: 'Anna Andersson', roles: ['controller'], orgs: ['sdn-farsta'] });
  bo = await signDevToken(keys, { sub: 'bo', name: 'Bo Berg', roles: ['controller'], orgs: ['sdn-farsta'] });
  central = await signDevToken(keys, { sub: 'cia', name: 'Cia Central', roles: ['central'], orgs: [] });

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 360, height: 1100 }, locale: 'sv-SE' });
  await context.route(`${OFFICE_CDN}**`, officeFromNodeModules);
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
});

/** A fresh browser profile (no remembered token) with the double, signed in and set to 2022 T1. */
async function signedIn(token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 1100 }, locale: 'sv-SE' });
  await context.route(`${OFFICE_CDN}**`, officeFromNodeModules);
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.addInitScript({ content: doubleScript });
  await page.goto(`${server.url}/addin/taskpane.html`);
  await page.fill('#dev-token', token);
  await page.click('#dev-sign-in button[type=submit]');
  await page.waitForSelector('#report', { state: 'visible' });
  await page.fill('#year', '2022');
  await page.press('#year', 'Tab');
  await page.selectOption('#period', 'T1');
  return page;
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('outside Excel and without a test double, the pane asks to be opened in Excel', async () => {
  const plain = await browser.newPage();
  await plain.route(`${OFFICE_CDN}**`, officeFromNodeModules);
  await plain.goto(`${server.url}/addin/taskpane.html`);
  await plain.waitForSelector('#no-excel', { state: 'visible' });
  expect(await plain.textContent('#no-excel h2')).toBe('Öppna Tertial i Excel');
  expect(await plain.isVisible('#sign-in')).toBe(false);
  await plain.close();
});

test('sign-in: an API out of reach says so and offers a retry (not "not configured"); a refused token is said on the sign-in form', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 1100 }, locale: 'sv-SE' });
  await context.route(`${OFFICE_CDN}**`, officeFromNodeModules);
  const pane = await context.newPage();
  await pane.addInitScript({ content: doubleScript });
  await pane.route('**/api/v1/auth-config', (route) => route.abort('connectionrefused'));
  await pane.goto(`${server.url}/addin/taskpane.html`);
  await pane.waitForSelector('#sign-in-problem', { state: 'visible' });
  expect(await pane.textContent('#sign-in-problem-text')).toBe('Tertial går inte att nå, så det går inte att logga in just nu. Kontrollera nätverket och tryck Försök igen.');
  expect(await pane.isVisible('#dev-sign-in')).toBe(false);
  await pane.unroute('**/api/v1/auth-config');
  await pane.click('#sign-in-retry');
  await pane.waitForSelector('#dev-sign-in', { state: 'visible' });
  expect(await pane.isVisible('#sign-in-problem')).toBe(false);

  await pane.fill('#dev-token', 'not-a-token');
  await pane.click('#dev-sign-in button[type=submit]');
  await pane.waitForSelector('#sign-in-message', { state: 'visible' });
  expect(await pane.getAttribute('#sign-in-message', 'class')).toBe('message error');
  expect(await pane.textContent('#sign-in-message')).toBe('Ogiltig eller utgången inloggning. Logga in igen.');
  expect(await pane.isVisible('#report')).toBe(false);
  await context.close();
});

test('sign in, pull, send with an error and a conflict, resolve, refresh, retry after a network failure, submit', async () => {
  await page.addInitScript({ content: doubleScript });
  await page.goto(`${server.url}/addin/taskpane.html`);

  // sign in with a development token
  await page.waitForSelector('#sign-in', { state: 'visible' });
  await page.fill('#dev-token', anna);
  await page.click('#dev-sign-in button[type=submit]');
  await page.waitForSelector('#report', { state: 'visible' });
  expect(await page.textContent('#who')).toBe('Anna Andersson');
  expect(await page.evaluate(() => localStorage.getItem('tertial.devToken'))).toBe(anna);

  // pick the nämnd, year and period, and pull
  await page.selectOption('#organisation', 'sdn-farsta');
  await page.fill('#year', '2022');
  await page.press('#year', 'Tab');
  await page.selectOption('#period', 'T1');
  await page.click('#pull');
  expect(await message()).toMatch(/^Hämtade \d+ indikatorer och \d+ mål till bladen "T1 2022 Farsta Indikatorer" och "T1 2022 Farsta Mål"/);

  const pulled = await report(anna);
  const [a, b, c, d] = pulled.indicators.filter((i) => i.frequency === 'tertial');
  expect(d).toBeDefined();
  const idOf = (i: typeof a) => i!.indicatorId;

  // the user types: a decimal comma, a typo, and a value someone else changes before we send
  await onDouble((dbl, id) => dbl.type('sdn-farsta/2022/T1', 'indicators', id, 'outcome', '12,5'), idOf(a));
  await onDouble((dbl, id) => dbl.type('sdn-farsta/2022/T1', 'indicators', id, 'forecast', 'abc'), idOf(b));
  await onDouble((dbl, id) => dbl.type('sdn-farsta/2022/T1', 'indicators', id, 'forecast', 80), idOf(c));
  await api(bo, 'PUT', '/years/2022/organisations/sdn-farsta/reports/T1', { indicators: [{ indicatorId: idOf(c), baseVersion: c!.version, forecast: 70 }] });

  // every write the pane sends asks for the short answer (?answer=changes)
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') writes.push(new URL(r.url()).search);
  });
  await page.click('#send');
  expect(await message()).toBe('1 rad sparad, 1 rad med fel ligger kvar i bladet (se listan), 1 konflikt.');
  expect(writes).toEqual(['?answer=changes', '?answer=changes']); // the first answered 409 for one row; the rest went again
  const afterSend = await report(anna);
  expect(afterSend.indicators.find((i) => i.indicatorId === idOf(a))!.outcome).toBe(12.5);
  // the short answer put the new version, status and "Senast ändrad" into the sheet, as the whole report would have
  const savedA = afterSend.indicators.find((i) => i.indicatorId === idOf(a))!;
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'version'), idOf(a))).toBe(savedA.version);
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'changed'), idOf(a))).toMatch(/^Anna Andersson, \d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(afterSend.indicators.find((i) => i.indicatorId === idOf(c))!.forecast).toBe(70);
  const rowB = await onDouble((dbl, id) => dbl.rowOf('sdn-farsta/2022/T1', 'indicators', id), idOf(b));
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'error'), idOf(b))).toBe(
    `Rad ${rowB}, Prognos: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.`,
  );
  expect(await onDouble((dbl) => dbl.highlights('sdn-farsta/2022/T1'))).toEqual(expect.arrayContaining([`indicators:${rowB}:forecast`, `indicators:${rowB}:error`]));
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'outcome'), idOf(a))).toBe(12.5);
  // the row left in the sheet is listed in the pane; a click selects it
  const left = page.locator('#row-problems li button');
  expect(await left.allTextContents()).toEqual([`Rad ${rowB}, Prognos: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.`]);
  await left.first().click();
  expect(await onDouble((dbl) => dbl.selected)).toEqual({ sheet: 'T1 2022 Farsta Indikatorer', table: 'indicators', row: rowB });
  const conflict = page.locator('#conflicts li');
  await expect(conflict.count()).resolves.toBe(1);
  const conflictText = (await conflict.textContent()) ?? '';
  expect(conflictText).toContain('Ändrad av Bo Berg');
  expect(conflictText).toMatch(/Prognos, din:80Prognos, deras:70/);
  fs.mkdirSync(path.join(root, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'test-artifacts/taskpane.png'), fullPage: true });

  // send mine again, on their version
  await conflict.getByRole('button', { name: 'Skicka min igen' }).click();
  expect(await message()).toBe('1 rad sparad, 1 rad med fel ligger kvar i bladet (se listan).');
  expect((await report(anna)).indicators.find((i) => i.indicatorId === idOf(c))!.forecast).toBe(80);
  expect(await page.isVisible('#conflicts')).toBe(false);

  // a row sent before goes again on the version the short answer gave it: saved, not a conflict
  await onDouble((dbl, id) => dbl.type('sdn-farsta/2022/T1', 'indicators', id, 'outcome', 13), idOf(a));
  await page.click('#send');
  expect(await message()).toBe('1 rad sparad, 1 rad med fel ligger kvar i bladet (se listan).');
  const resent = (await report(anna)).indicators.find((i) => i.indicatorId === idOf(a))!;
  expect([resent.outcome, resent.version]).toEqual([13, savedA.version + 1]);
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'version'), idOf(a))).toBe(resent.version);
  expect(writes).toEqual(Array(4).fill('?answer=changes'));

  // someone changes a row we did not touch: Uppdatera brings it in; our unsent typo stays
  const current = await report(bo);
  await api(bo, 'PUT', '/years/2022/organisations/sdn-farsta/reports/T1', {
    indicators: [{ indicatorId: idOf(d), baseVersion: current.indicators.find((i) => i.indicatorId === idOf(d))!.version, forecast: 33 }],
  });
  await page.click('#refresh');
  expect(await message()).toMatch(/^1 rad uppdaterad från Tertial/);
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'forecast'), idOf(d))).toBe(33);
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'forecast'), idOf(b))).toBe('abc');

  // the network fails: the client retries, then says so; nothing lost; the user's retry carries the same Idempotency-Key
  await onDouble((dbl, id) => dbl.type('sdn-farsta/2022/T1', 'indicators', id, 'forecast', '55'), idOf(b));
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') keys.push(r.headers()['idempotency-key'] ?? '');
  });
  let aborted = 0;
  const reportT1 = (url: URL) => url.pathname.endsWith('/reports/T1');
  await page.route(reportT1, (route) => (route.request().method() === 'PUT' && aborted++ < MAX_ATTEMPTS ? route.abort('connectionreset') : route.fallback()));
  await page.click('#send');
  expect(await message()).toMatch(/^Ingen kontakt med Tertial/);
  expect(keys).toHaveLength(MAX_ATTEMPTS);
  expect(await onDouble((dbl, id) => dbl.cell('sdn-farsta/2022/T1', 'indicators', id, 'forecast'), idOf(b))).toBe('55');
  await page.click('#send');
  expect(await message()).toBe('1 rad sparad.');
  await page.unroute(reportT1);
  expect(keys).toHaveLength(MAX_ATTEMPTS + 1);
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).not.toBe('');

  // submit: what is missing is listed; a click selects its row in the sheet
  await page.click('#submit');
  expect(await message()).toMatch(/^Rapporten kan inte skickas in: \d+ uppgifter saknas\./);
  const missing = page.locator('#incomplete li button');
  expect(await missing.count()).toBeGreaterThan(0);
  // the first missing item as the API states it (a refused submit writes nothing)
  const refused = await fetch(`${server.url}/api/v1/years/2022/organisations/sdn-farsta/reports/T1/submit`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${anna}` },
  }).then((r) => r.json() as Promise<{ error: { code: string; details: Array<{ section: string; indicatorId?: number; goalId?: number; message: string }> } }>);
  expect(refused.error.code).toBe('INCOMPLETE');
  const first = refused.error.details[0]!;
  expect(await missing.first().textContent()).toBe(first.message);
  const expected = first.section === 'goals' ? { table: 'goals', id: first.goalId } : { table: 'indicators', id: first.indicatorId };
  await missing.first().click();
  expect(await message()).toMatch(/^Rapporten kan inte skickas in/);
  expect(await onDouble((dbl) => dbl.selected)).toEqual({
    sheet: expected.table === 'goals' ? 'T1 2022 Farsta Mål' : 'T1 2022 Farsta Indikatorer',
    table: expected.table,
    row: await onDouble((dbl, t, id) => dbl.rowOf('sdn-farsta/2022/T1', t, id), expected.table, expected.id),
  });
  await page.screenshot({ path: path.join(root, 'test-artifacts/taskpane-submit.png'), fullPage: true });
});

test('the centre pulls the consolidation into sheets; pulling again replaces them', async () => {
  await signedIn(central);
  expect(await page.isVisible('#consolidation')).toBe(true);
  await page.click('#pull-consolidation');
  expect(await message()).toMatch(/^Hämtade konsolideringen för Tertialrapport 1 2022 till \d+ blad: \d+ av \d+ organisationer har skickat in\.$/);
  const fromApi = await api<Consolidation>(central, 'GET', '/years/2022/consolidation/T1');
  const farsta = fromApi.organisations.find((o) => o.code === 'sdn-farsta')!;
  const row = await onDouble((dbl, name) => dbl.consolidation.get('Översikt')!.rows.find((r) => r[0] === name), farsta.name);
  expect(row!.slice(0, 8)).toEqual([farsta.name, 'Stadsdelsnämnd', 'öppen', null, farsta.counts.helt, farsta.counts.delvis, farsta.counts.ej, farsta.counts.missing]);
  expect(await onDouble((dbl) => [...dbl.consolidation.keys()])).toEqual(
    expect.arrayContaining(['Översikt', 'Måluppfyllelse', 'Prognossäkerhet', 'Avvikande bedömningar', 'Lägre ambition än KF', 'Styrsignaler']),
  );
  fs.mkdirSync(path.join(root, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'test-artifacts/taskpane-central.png'), fullPage: true });
  await page.click('#pull-consolidation');
  expect(await message()).toMatch(/ Ersatte \d+ befintliga blad med samma namn: Översikt, /);
});

test('a controller downloads the workbook into Excel, uploads it unchanged, then with a typo; without Excel it is a file to save', async () => {
  await signedIn(anna);
  expect(await page.isVisible('#consolidation')).toBe(false);
  await page.selectOption('#organisation', 'sdn-farsta');
  await page.click('#download-workbook');
  expect(await message()).toBe('Arbetsboken "T1-2022-sdn-farsta.xlsx" är öppnad som en ny arbetsbok. Fyll i de blå cellerna, spara den och ladda upp den här.');
  const file = Buffer.from(await onDouble((dbl) => dbl.openedWorkbooks[0]!), 'base64');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('T1 2022 Farsta Indikatorer')!;
  expect(sheet).toBeDefined();

  const upload = async (buffer: Buffer) => {
    await page.setInputFiles('#upload-file', { name: 'T1 2022 Farsta.xlsx', mimeType: XLSX_MIME, buffer });
    return message();
  };
  expect(await upload(file)).toBe('Arbetsboken är uppladdad. Inga värden skilde sig från Tertial, så inget behövde sparas.');

  let header = 0;
  let forecast = 0;
  sheet.eachRow((r, n) =>
    r.eachCell((c, col) => {
      if (!header && c.value === 'Prognos helår') [header, forecast] = [n, col];
    }),
  );
  sheet.getCell(header + 2, forecast).value = 'abc';
  expect(await upload(Buffer.from(await workbook.xlsx.writeBuffer()))).toMatch(/Inget har sparats\. Rätta raderna nedan i arbetsboken/);
  expect(await page.locator('#upload-errors li').allTextContents()).toEqual([
    `Bladet "T1 2022 Farsta Indikatorer": Rad ${header + 2}, Prognos: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.`,
  ]);
  await page.screenshot({ path: path.join(root, 'test-artifacts/taskpane-upload.png'), fullPage: true });

  await onDouble((dbl) => void (dbl.canOpenWorkbooks = false));
  await page.click('#download-workbook');
  expect(await message()).toMatch(/^Arbetsboken är klar\. Spara den med länken nedan/);
  expect(await page.textContent('#download-link')).toBe('Spara T1-2022-sdn-farsta.xlsx');
  expect(await page.getAttribute('#download-link', 'download')).toBe('T1-2022-sdn-farsta.xlsx');
  expect(await page.isVisible('#upload-errors')).toBe(false);
});
