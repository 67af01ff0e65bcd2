import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addinCompilerOptions, analyse, declaredFor, manifestSets, tsFilesUnder, type Analysis } from '../support/office-api-sets';

/**
 * The most common way an add-in that passes its mocks fails in a real Excel: it calls an API of a
 * requirement set newer than the Excel it runs in. The manifest declares the minimum (Excel
 * refuses to load the add-in below it); anything newer must be asked for with
 * Office.context.requirements.isSetSupported (the gateway's `supports`) first.
 */
const root = path.join(__dirname, '..', '..');
const declared = manifestSets(fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8'));
/**
 * Common-API sets every Excel that loads add-ins has, so the manifest need not name them: Settings
 * (the document settings the report metadata lives in) is supported by Excel 2013 and later on
 * Windows, Mac, iPad and the web (Microsoft's "Office common API requirement sets" table).
 */
const EVERY_EXCEL_HAS = new Map([['Settings', '1.1']]);
const sets = new Map([...EVERY_EXCEL_HAS, ...declared]);
const compilerOptions = addinCompilerOptions(root);

const describeViolations = (a: Analysis) =>
  a.violations.map(
    (v) => `${v.use.api} needs ${v.use.set} ${v.use.version}, at ${v.use.at}; reached from ${v.path.join(' → ')} without supports('${v.use.set}', '${v.use.version}')`,
  );

describe('Office.js requirement sets', () => {
  let analysis: Analysis;
  beforeAll(() => {
    analysis = analyse({ files: tsFilesUnder(path.join(root, 'addin')), compilerOptions, root, sets });
  }, 120_000);

  test('the manifest declares ExcelApi (the minimum Excel that loads the add-in)', () => {
    expect(declared.get('ExcelApi')).toMatch(/^1\.\d+$/);
  });

  test('every Office.js API the add-in uses is within the manifest, or guarded by isSetSupported for its set', () => {
    expect(describeViolations(analysis)).toEqual([]);
  });

  test("the analysis sees the add-in's uses, with their sets (so an empty list above means something)", () => {
    const byApi = new Map(analysis.uses.map((u) => [u.api, u]));
    // A sample across the versions, from the gateway and its formats.
    expect(byApi.get('Excel.Range.values')).toMatchObject({ set: 'ExcelApi', version: '1.1' });
    expect(byApi.get('Excel.WorksheetCollection.getItemOrNullObject')).toMatchObject({ set: 'ExcelApi', version: '1.4' });
    expect(byApi.get("Excel.ConditionalFormatType.containsText ('ContainsText')")).toMatchObject({ set: 'ExcelApi', version: '1.6' });
    expect(byApi.get('Excel.WorksheetFreezePanes.freezeAt')).toMatchObject({ set: 'ExcelApi', version: '1.7' });
    expect(byApi.get('Excel.DataValidation.clear')).toMatchObject({ set: 'ExcelApi', version: '1.8' });
    // Page layout is 1.9: used, and every use is beyond the manifest's minimum, so each is covered by a guard somewhere up.
    for (const api of ['Excel.Worksheet.pageLayout', 'Excel.PageLayout.paperSize', 'Excel.PageLayout.setPrintTitleRows', 'Excel.PageLayout.headersFooters']) {
      expect(byApi.get(api)).toMatchObject({ set: 'ExcelApi', version: '1.9' });
      expect(declaredFor(sets, byApi.get(api)!)).toBe(false);
    }
    // The common API: the document settings the report metadata lives in.
    expect(byApi.get('Office.Settings.saveAsync')).toMatchObject({ set: 'Settings', version: '1.1' });
    const newest = analysis.uses.filter((u) => u.set === 'ExcelApi').reduce((a, u) => (Number(u.version.split('.')[1]) > Number(a.split('.')[1]) ? u.version : a), '1.1');
    expect(newest).toBe('1.9');
  });

  test('the sets the add-in touches beyond the manifest are known ones', () => {
    const undeclared = [...new Set(analysis.uses.filter((u) => !declaredFor(declared, u)).map((u) => `${u.set} ${u.version}`))].sort();
    // Page layout and autofilter (1.9) lie beyond the manifest's ExcelApi 1.8 (the test above checks their guards); Settings is in every Excel.
    expect(undeclared).toEqual(['ExcelApi 1.9', 'Settings 1.1']);
  });
});

describe('the requirement-set analysis itself', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-api-sets-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const prelude = `
    interface Options { supports(set: string, version: string): boolean }
    function printSetup(sheet: Excel.Worksheet) { sheet.pageLayout.orientation = 'Landscape'; }
  `;
  /** One add-in file per case (each a module of its own), analysed together against a manifest of ExcelApi 1.8. */
  const cases = {
    unguarded: `${prelude} export function pull(sheet: Excel.Worksheet) { printSetup(sheet); }`,
    direct: `${prelude} export function a(o: Options, sheet: Excel.Worksheet) { if (o.supports('ExcelApi', '1.9')) printSetup(sheet); }`,
    variable: `${prelude} export function b(o: Options, sheet: Excel.Worksheet) { const canLayout = o.supports('ExcelApi', '1.9'); if (canLayout) printSetup(sheet); }`,
    property: `${prelude} export function c(o: Options, sheet: Excel.Worksheet) { const flags = { canPrint: o.supports('ExcelApi', '1.9') }; d(sheet, flags); }
       function d(sheet: Excel.Worksheet, flags: { canPrint: boolean }) { if (flags.canPrint) printSetup(sheet); }`,
    earlyReturn: `${prelude} export function e(o: Options, sheet: Excel.Worksheet) { if (!o.supports('ExcelApi', '1.9')) return; printSetup(sheet); }`,
    and: `interface Options { supports(set: string, version: string): boolean } export function f(o: Options, sheet: Excel.Worksheet) { return o.supports('ExcelApi', '1.9') && sheet.pageLayout.orientation; }`,
    isSetSupported: `export function g(sheet: Excel.Worksheet) { if (Office.context.requirements.isSetSupported('ExcelApi', '1.9')) sheet.pageLayout.zoom = { scale: 80 }; }`,
    olderGuard: `${prelude} export function h(o: Options, sheet: Excel.Worksheet) { if (o.supports('ExcelApi', '1.8')) printSetup(sheet); }`,
    elseBranch: `${prelude} export function i(o: Options, sheet: Excel.Worksheet) { if (o.supports('ExcelApi', '1.9')) {} else printSetup(sheet); }`,
    enumWithin: `export function j(range: Excel.Range) { range.conditionalFormats.add('ContainsText'); }`,
    objectLiteral: `export function k(layout: Excel.PageLayout) { layout.zoom = { scale: 80 }; }`,
    enumBeyond: `export function l(sheet: Excel.Worksheet) { sheet.charts.add('Treemap', sheet.getRange('A1:B2')); }`,
    commonSet: `export function m(settings: Office.Settings) { settings.set('x', 1); }`,
  };
  let found: Record<keyof typeof cases, string[]>;
  beforeAll(() => {
    const files = Object.fromEntries(Object.keys(cases).map((name) => [name, path.join(dir, `${name}.ts`)]));
    for (const [name, source] of Object.entries(cases)) fs.writeFileSync(files[name]!, source);
    const result = analyse({ files: Object.values(files), compilerOptions, root: dir, sets: new Map([['ExcelApi', '1.8']]) });
    found = Object.fromEntries(
      Object.keys(cases).map((name) => [
        name,
        result.violations
          .filter((v) => v.use.at.startsWith(`${name}.ts:`))
          .map((v) => `${v.use.api} ${v.use.set} ${v.use.version} ${v.path.map((p) => p.replace(/ \(.*\)$/, '')).join('>')}`)
          .sort(),
      ]),
    ) as typeof found;
  }, 120_000);

  test('an unguarded 1.9 call is found, through the function that makes it', () => {
    expect(found.unguarded).toEqual(['Excel.PageLayout.orientation ExcelApi 1.9 pull>printSetup', 'Excel.Worksheet.pageLayout ExcelApi 1.9 pull>printSetup']);
  });

  test('guarded by supports() for 1.9, directly, through a variable, a property, an early return or &&, or by isSetSupported: nothing found', () => {
    for (const name of ['direct', 'variable', 'property', 'earlyReturn', 'and', 'isSetSupported'] as const) expect([name, found[name]]).toEqual([name, []]);
  });

  test('a guard for an older version, or the other branch of one, does not count', () => {
    expect(found.olderGuard).toHaveLength(2);
    expect(found.elseBranch).toHaveLength(2);
  });

  test('object-literal properties and string literals naming enum members carry their own sets', () => {
    // ConditionalFormatType.containsText is ExcelApi 1.6: within 1.8.
    expect(found.enumWithin).toEqual([]);
    expect(found.objectLiteral).toEqual(['Excel.PageLayout.zoom ExcelApi 1.9 k', 'Excel.PageLayoutZoomOptions.scale ExcelApi 1.9 k']);
    // charts.add (1.1) with the chart type 'Treemap', an ExcelApi 1.9 member of Excel.ChartType.
    expect(found.enumBeyond).toEqual(["Excel.ChartType.treemap ('Treemap') ExcelApi 1.9 l"]);
  });

  test("a common-API set the manifest does not name counts as beyond it (the real add-in's Settings is allowed above, by name)", () => {
    expect(found.commonSet).toEqual(['Office.Settings.set Settings 1.1 m']);
  });
});
