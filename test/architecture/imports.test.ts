import fs from 'node:fs';
import path from 'node:path';

/**
 * The house rule: core/ is shared by both halves and imports neither; api/ and addin/ import
 * core/, never each other. Checked on every relative import of every source file.
 */
const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|mjs)$/.test(entry.name) ? [rel] : [];
  });
}

function importsOf(file: string): string[] {
  const source = fs.readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => path.relative(root, path.resolve(path.dirname(path.join(root, file)), s)));
}

const topFolder = (rel: string) => rel.split(path.sep)[0];

const forbidden: Record<string, string[]> = {
  core: ['api', 'addin', 'migrations', 'scripts', 'bench', 'test'],
  api: ['addin', 'bench', 'test'],
  addin: ['api', 'migrations', 'scripts', 'bench', 'test'],
};

describe('imports between the halves', () => {
  for (const [folder, notInto] of Object.entries(forbidden)) {
    it(`${folder}/ imports nothing from ${notInto.join(', ')}`, () => {
      const crossings = sourceFiles(folder).flatMap((file) =>
        importsOf(file)
          .filter((target) => notInto.includes(topFolder(target)!))
          .map((target) => `${file} → ${target}`),
      );
      expect(crossings).toEqual([]);
    });
  }

  it('finds the imports it checks (the scan itself works)', () => {
    expect(importsOf(path.join('api', 'server.ts')).some((t) => t.startsWith('api'))).toBe(true);
    expect(sourceFiles('core').length).toBeGreaterThan(5);
  });
});
