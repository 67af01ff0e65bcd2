import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { freePort } from '../../bench/process';
import { loadConfig } from '../../api/config';
import { openDatabase } from '../../api/db/connection';
import { copyDemoTemplate, demoTemplateKey, startServer } from '../../api/server';
import { preparedDataDir } from '../support/data-dirs';

/**
 * What `npm install` and `npm start` build (scripts/build.mjs, scripts/start.mjs): the bundles only
 * when a source changed, and a demo database that a first start copies instead of running initdb,
 * the migrations and the demo seed itself.
 */
const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);

async function organisations(pgliteDir: string): Promise<string[]> {
  const database = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
  try {
    return (await sql<{ code: string }>`select code from organisation order by code`.execute(database.db)).rows.map((r) => r.code);
  } finally {
    await database.close();
  }
}

describe('the demo template a first start copies', () => {
  const dirs: string[] = [];
  let template: string;
  beforeAll(async () => {
    // A template as the build makes it: a database beside the key of the server that made it.
    const made = await preparedDataDir('tertial-template-');
    dirs.push(made);
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(made, 'pglite') });
    await sql`insert into organisation (code, name, kind) values ('x-from-template', 'Från mallen', 'bolag')`.execute(database.db);
    await database.close();
    template = path.join(made, 'template');
    fs.mkdirSync(template);
    fs.renameSync(path.join(made, 'pglite'), path.join(template, 'pglite'));
    fs.writeFileSync(path.join(template, 'key.json'), JSON.stringify(demoTemplateKey()));
  }, 120_000);
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const emptyDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-first-'));
    dirs.push(dir);
    return dir;
  };

  test('a first start on an empty data dir opens a copy of it (no initdb, no seed)', async () => {
    const dataDir = emptyDataDir();
    const running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }), { demoTemplate: template });
    try {
      const found = await running.database.db.selectFrom('organisation').select('code').where('code', '=', 'x-from-template').execute();
      expect(found).toHaveLength(1);
    } finally {
      await running.stop();
    }
    // The template itself is untouched, and the copy is the data dir's own.
    expect(await organisations(path.join(template, 'pglite'))).toContain('x-from-template');
    expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
  });

  test('only a template made by this server on this PGlite, only into a data dir that has no database', () => {
    const dataDir = emptyDataDir();
    const target = path.join(dataDir, 'pglite');
    expect(copyDemoTemplate(path.join(dataDir, 'none'), target)).toBe('no template');
    const stale = path.join(dataDir, 'stale');
    fs.mkdirSync(stale);
    fs.writeFileSync(path.join(stale, 'key.json'), JSON.stringify({ ...demoTemplateKey(), server: 'another build' }));
    expect(copyDemoTemplate(stale, target)).toBe('stale template');
    fs.writeFileSync(path.join(stale, 'key.json'), JSON.stringify({ ...demoTemplateKey(), pglite: '0.0.1' }));
    expect(copyDemoTemplate(stale, target)).toBe('stale template');
    expect(fs.existsSync(target)).toBe(false);
    expect(copyDemoTemplate(template, target)).toBe('copied');
    expect(copyDemoTemplate(template, target)).toBe('exists');
    // Nothing is left beside it from the copy.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['pglite', 'stale']);
  });
});

describe('scripts/build.mjs and scripts/start.mjs in a fresh clone', () => {
  let clone: string;
  beforeAll(() => {
    // What a clone has (tracked and new files), with this checkout's packages.
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-clone-'));
    for (const dir of ['api', 'core', 'migrations', 'addin', 'data-seed', 'scripts']) fs.cpSync(path.join(root, dir), path.join(clone, dir), { recursive: true });
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.base.json', 'manifest.xml']) fs.copyFileSync(path.join(root, file), path.join(clone, file));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  });
  afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

  const build = (...args: string[]) => run(process.execPath, ['scripts/build.mjs', ...args], { cwd: clone, env: { ...process.env, NODE_OPTIONS: '' } });

  test('--if-stale builds once, then nothing until a source changes', async () => {
    const first = await build('--if-stale', '--no-demo-db');
    expect(first.stderr).toContain('build: dist/api/server.js and dist/addin-web built');
    const server = path.join(clone, 'dist', 'api', 'server.js');
    const builtAt = fs.statSync(server).mtimeMs;
    expect(fs.existsSync(path.join(clone, 'dist', 'addin-web', 'taskpane.js'))).toBe(true);

    const again = await build('--if-stale', '--no-demo-db');
    expect(again.stderr).toBe('');
    expect(fs.statSync(server).mtimeMs).toBe(builtAt);

    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(clone, 'core', 'domain', 'rules.ts'), later, later);
    const changed = await build('--if-stale', '--no-demo-db');
    expect(changed.stderr).toContain('built');
  }, 180_000);

  test('npm install (prepare) makes the demo database with the built server, and a first npm start copies it', async () => {
    const prepare = await run('npm', ['run', 'prepare'], { cwd: clone, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(prepare.stderr).toContain('build: demo database (dist/demo-db) made');
    expect(JSON.parse(fs.readFileSync(path.join(clone, 'dist', 'demo-db', 'key.json'), 'utf8'))).toEqual(demoTemplateKey(path.join(clone, 'dist', 'api', 'server.js')));

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-first-start-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: clone,
      env: { ...process.env, NODE_OPTIONS: '', TERTIAL_DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!output.includes('Tertial API listening') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('first start: database with the demo year copied from the template the build made');
      expect(output).not.toContain('migrations applied');
      expect(output).not.toContain('build:'); // nothing to build after npm install
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
