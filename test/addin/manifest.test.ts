import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';

/**
 * manifest.xml, checked structurally in any clone: parsed as XML (saxes, strict and
 * namespace-aware) and held against what Office and this code need. The full schema validation
 * against Microsoft's XSDs (xmllint and ../shared/office-manifest-xsd) runs in `.ci/run`.
 */
const root = path.resolve(__dirname, '../..');
const MANIFEST_NS = 'http://schemas.microsoft.com/office/appforoffice/1.1';
/** The origin the manifest names; the API rewrites it to its own when it serves /manifest.xml. */
const ORIGIN = 'https://localhost:3000';
/** The top-level elements of a TaskPaneApp, in the order OfficeAppManifestV1_1.xsd requires; the first seven are mandatory. */
const SCHEMA_ORDER = [
  'Id',
  'AlternateId',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'HighResolutionIconUrl',
  'SupportUrl',
  'AppDomains',
  'Hosts',
  'Requirements',
  'DefaultSettings',
  'Permissions',
  'VersionOverrides',
];
const REQUIRED = ['Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The schema's Version type: up to four dot-separated numbers of at most five digits. */
const VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/;

interface Element {
  local: string;
  uri: string;
  /** Attributes by qualified name (xsi:type, DefaultValue); namespace declarations left out. */
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

function parseXml(xml: string): Element {
  const parser = new SaxesParser({ xmlns: true });
  const document: Element = { local: '#document', uri: '', attributes: {}, children: [], text: '' };
  const open: Element[] = [document];
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(
      Object.values(tag.attributes)
        .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
        .map((a) => [a.name, a.value]),
    );
    const element: Element = { local: tag.local, uri: tag.uri, attributes, children: [], text: '' };
    open.at(-1)!.children.push(element);
    open.push(element);
  });
  parser.on('text', (text) => void (open.at(-1)!.text += text));
  parser.on('closetag', () => void open.pop());
  parser.write(xml).close();
  return document.children[0]!;
}

const descendants = (e: Element): Element[] => e.children.flatMap((c) => [c, ...descendants(c)]);
const child = (e: Element, local: string): Element => {
  const found = e.children.find((c) => c.local === local);
  if (!found) throw new Error(`<${e.local}> has no <${local}>`);
  return found;
};
const at = (e: Element, ...locals: string[]) => locals.reduce(child, e);
const named = (e: Element, local: string) => descendants(e).filter((d) => d.local === local);

const xml = fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8');
const manifest = parseXml(xml);
const resources = at(manifest, 'VersionOverrides', 'Resources');
/** Every URL the manifest names, from attributes and text, with where it stands. */
const urls = descendants(manifest).flatMap((e) => [
  ...Object.entries(e.attributes)
    .filter(([, v]) => /^[a-z][a-z0-9+.-]*:/i.test(v) && !v.startsWith('urn:'))
    .map(([name, v]) => ({ where: `<${e.local} ${name}>`, url: v })),
  ...(/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(e.text) ? [{ where: `<${e.local}>`, url: e.text.trim() }] : []),
]);
const resourceUrl = (id: string) => named(resources, 'Url').find((u) => u.attributes.id === id)?.attributes.DefaultValue;

describe('manifest.xml (structure; the XSD validation is in .ci/run)', () => {
  test("is a well-formed task pane add-in manifest, its elements in the schema's order", () => {
    expect([manifest.local, manifest.uri, manifest.attributes['xsi:type']]).toEqual(['OfficeApp', MANIFEST_NS, 'TaskPaneApp']);
    const top = manifest.children.map((c) => c.local);
    expect(top).toEqual(SCHEMA_ORDER.filter((name) => top.includes(name)));
    expect(top).toEqual(expect.arrayContaining(REQUIRED));
    expect(() => parseXml(xml.replace('</Hosts>', ''))).toThrow();
  });

  test("Id is a GUID; Version has the schema's format", () => {
    expect(child(manifest, 'Id').text).toMatch(GUID);
    expect(child(manifest, 'Version').text).toMatch(VERSION);
    expect('1.0.0.0.0').not.toMatch(VERSION);
  });

  test('every URL is https; those of the add-in itself are on the origin the API rewrites', () => {
    expect(urls.length).toBeGreaterThanOrEqual(10);
    for (const { where, url } of urls) expect(`${where} ${url}`).toMatch(/ https:\/\//);
    const appDomains = named(manifest, 'AppDomain').map((d) => d.text.trim());
    for (const { where, url } of urls.filter((u) => !appDomains.includes(u.url))) expect(`${where} ${new URL(url).origin}`).toBe(`${where} ${ORIGIN}`);
    for (const local of ['IconUrl', 'HighResolutionIconUrl', 'SupportUrl']) expect(child(manifest, local).attributes.DefaultValue).toMatch(/^https:\/\//);
    expect(at(manifest, 'DefaultSettings', 'SourceLocation').attributes.DefaultValue).toMatch(/^https:\/\//);
  });

  test('one host, Workbook (Excel); it reads and writes the workbook', () => {
    expect(named(child(manifest, 'Hosts'), 'Host').map((h) => h.attributes.Name)).toEqual(['Workbook']);
    expect(named(child(manifest, 'VersionOverrides'), 'Host').map((h) => h.attributes['xsi:type'])).toEqual(['Workbook']);
    expect(child(manifest, 'Permissions').text).toBe('ReadWriteDocument');
  });

  test('the ExcelApi requirement is the one the Office.js gateway states it needs; what it feature-detects lies above', () => {
    const sets = named(child(manifest, 'Requirements'), 'Set');
    expect(sets.map((s) => s.attributes.Name)).toEqual(['ExcelApi']);
    const minVersion = sets[0]!.attributes.MinVersion!;
    const gateway = fs.readFileSync(path.join(root, 'addin/excel/office-gateway.ts'), 'utf8');
    const stated = gateway.match(/Requirement set ExcelApi (\d+\.\d+)/)?.[1];
    expect({ stated }).toEqual({ stated: minVersion });
    const numeric = (v: string) => v.split('.').map(Number) as [number, number];
    const atLeast = (v: string, min: string) => numeric(v)[0] > numeric(min)[0] || (numeric(v)[0] === numeric(min)[0] && numeric(v)[1] >= numeric(min)[1]);
    const detected = [...gateway.matchAll(/supports\('ExcelApi', '(\d+\.\d+)'\)/g)].map((m) => m[1]!);
    expect(detected.length).toBeGreaterThan(0);
    for (const v of detected) expect({ detected: v, atLeastMin: atLeast(v, minVersion) }).toEqual({ detected: v, atLeastMin: true });
  });

  test("every resid names a resource of the right kind, and strings keep the schema's lengths", () => {
    const ids = (kind: string) => new Set(named(child(resources, kind), kind === 'Images' ? 'Image' : kind === 'Urls' ? 'Url' : 'String').map((r) => r.attributes.id));
    const [images, urlIds, short, long] = [ids('Images'), ids('Urls'), ids('ShortStrings'), ids('LongStrings')];
    const overrides = child(manifest, 'VersionOverrides');
    const uses = descendants(overrides).filter((e) => e.attributes.resid !== undefined);
    expect(uses.length).toBeGreaterThan(5);
    for (const use of uses) {
      const kind = use.local === 'Image' ? images : ['SourceLocation', 'FunctionFile', 'LearnMoreUrl'].includes(use.local) ? urlIds : use.local === 'Description' ? long : short;
      expect(`${use.local} ${use.attributes.resid} ${kind.has(use.attributes.resid!)}`).toBe(`${use.local} ${use.attributes.resid} true`);
    }
    for (const s of named(child(resources, 'ShortStrings'), 'String')) expect(s.attributes.DefaultValue!.length).toBeLessThanOrEqual(125);
    for (const s of named(child(resources, 'LongStrings'), 'String')) expect(s.attributes.DefaultValue!.length).toBeLessThanOrEqual(250);
  });

  test('a Tertial button on the Home tab opens the task pane, whose page exists in addin/taskpane', () => {
    const home = named(manifest, 'OfficeTab').find((t) => t.attributes.id === 'TabHome')!;
    const action = named(home, 'Action').find((a) => a.attributes['xsi:type'] === 'ShowTaskpane')!;
    const paneUrl = new URL(resourceUrl(child(action, 'SourceLocation').attributes.resid!)!);
    expect(at(manifest, 'DefaultSettings', 'SourceLocation').attributes.DefaultValue).toBe(paneUrl.href);
    expect(paneUrl.pathname).toBe('/addin/taskpane.html');
    // The API serves addin/taskpane/* and addin/assets/* under /addin (scripts/build-addin.mjs).
    for (const { url } of urls.filter((u) => u.url.startsWith(`${ORIGIN}/addin/`))) {
      const file = new URL(url).pathname.replace(/^\/addin\/(?!assets\/)/, '/addin/taskpane/');
      expect(`${url} → ${file} ${fs.existsSync(path.join(root, file))}`).toBe(`${url} → ${file} true`);
    }
  });

  test('every icon it names exists as a PNG of that size', () => {
    const icons = urls.map((u) => u.url.match(/^https:\/\/localhost:3000\/addin\/assets\/(icon-(\d+)\.png)$/)).filter((m) => m !== null);
    expect(icons.length).toBeGreaterThanOrEqual(5);
    for (const [, file, size] of icons) {
      const png = fs.readFileSync(path.join(root, 'addin', 'assets', file!));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
    }
  });
});
