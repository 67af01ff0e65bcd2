import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const schema = path.resolve(root, '../shared/office-manifest-xsd/OfficeAppManifestV1_1.xsd');
const manifest = path.join(root, 'manifest.xml');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

function validate(file: string) {
  return spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
}

describe('manifest.xml', () => {
  test('xmllint is at hand (npm test installs libxml2-utils when it can)', () => {
    expect(hasXmllint).toBe(true);
  });
  test('validates against the Office add-in manifest schemas, offline', () => {
    const result = validate(manifest);
    expect(result.stderr.trim()).toBe(`${manifest} validates`);
    expect(result.status).toBe(0);
  });

  test('the validation can fail: a manifest without <Id> is rejected', () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-')), 'manifest.xml');
    fs.writeFileSync(broken, fs.readFileSync(manifest, 'utf8').replace(/<Id>[^<]*<\/Id>/, ''));
    expect(validate(broken).status).not.toBe(0);
  });

  const xml = fs.readFileSync(manifest, 'utf8');

  test('a Tertial button on the Home tab opens the task pane served by the API', () => {
    expect(xml).toMatch(/<OfficeTab id="TabHome">[\s\S]*<Action xsi:type="ShowTaskpane">/);
    expect(xml).toContain('<bt:Url id="Taskpane.Url" DefaultValue="https://localhost:3000/addin/taskpane.html" />');
    expect(xml).toContain('<Set Name="ExcelApi" MinVersion="1.8" />');
  });

  test('every icon it names exists as a PNG of that size', () => {
    const icons = [...xml.matchAll(/https:\/\/localhost:3000\/addin\/assets\/(icon-(\d+)\.png)/g)];
    expect(icons.length).toBeGreaterThanOrEqual(5);
    for (const [, file, size] of icons) {
      const png = fs.readFileSync(path.join(root, 'addin', 'assets', file!));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
    }
  });
});

