// The build `npm start` runs, made only when its sources changed (a stat of each source file, a
// few milliseconds):
//   dist/api/server.js  the API in one file (esbuild; packages stay in node_modules)
//   dist/addin-web/     the task pane (build-addin.mjs)
//   dist/demo-db/       the database a first start copies: migrations and the demo year, made by
//                       the built server itself, exactly as its own first start would make it
// Type checking is `npm run typecheck` (part of `npm test`); the build only transpiles.
//
//   node scripts/build.mjs              (npm run build) the bundles now; the demo database if it is not this build's
//   node scripts/build.mjs --if-stale   only when a source changed since the last build
//   node scripts/build.mjs --prepare    npm install's hook: --if-stale, and a failure is a warning, not a failed install
//   --no-demo-db                        leave the demo database alone
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddin } from './build-addin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
export const serverFile = path.join(dist, 'api', 'server.js');
export const demoDbDir = path.join(dist, 'demo-db');
const stampFile = path.join(dist, 'build-stamp.json');

/** What the bundles are made of; a change of any file in them (or of the packages) makes the build stale. */
const SOURCE_DIRS = ['api', 'core', 'migrations', 'addin', 'data-seed'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'scripts/build.mjs', 'scripts/build-addin.mjs'];

/** Paths, sizes and modification times of the sources: cheap, and any edit changes it. */
export function sourceFingerprint() {
  const files = [...SOURCE_FILES];
  for (const dir of SOURCE_DIRS) {
    let entries = [];
    try {
      entries = fs.readdirSync(path.join(root, dir), { recursive: true });
    } catch {
      // a folder this checkout does not have
    }
    for (const entry of entries) files.push(path.join(dir, String(entry)));
  }
  files.sort();
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    let stat;
    try {
      stat = fs.statSync(path.join(root, file));
    } catch {
      continue;
    }
    if (stat.isFile()) hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeAtomically(file, text) {
  const staging = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(staging, text);
  fs.renameSync(staging, file);
}

export function isStale(fingerprint = sourceFingerprint()) {
  return readJson(stampFile)?.sources !== fingerprint || !fs.existsSync(serverFile) || !fs.existsSync(path.join(dist, 'addin-web', 'taskpane.js'));
}

/**
 * exceljs takes ~0.5 s of CPU to load, and only the xlsx routes use it: the server bundle gets it on
 * first use instead of at every start. (The sources import it as `import ExcelJS from 'exceljs'`,
 * the default export only; the stand-in loads the package at the first property read.)
 */
const lazyExceljs = {
  name: 'lazy-exceljs',
  setup(build) {
    build.onResolve({ filter: /^exceljs$/ }, (args) => (args.namespace === 'lazy' ? { path: 'exceljs', external: true } : { path: 'exceljs', namespace: 'lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: `let loaded;
const load = () => (loaded ??= require('exceljs'));
export default new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

async function buildServer() {
  const { build } = await import('esbuild');
  const staging = path.join(dist, `.server-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(root, 'api', 'server.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    plugins: [lazyExceljs],
    sourcemap: true,
    outfile: path.join(staging, 'server.js'),
    logLevel: 'warning',
  });
  // The tsc build of before left one .js per source in dist/: gone, so nothing stale is run by mistake.
  for (const leftover of ['core', 'migrations', 'scripts', 'data-seed']) fs.rmSync(path.join(dist, leftover), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(serverFile), { recursive: true });
  for (const entry of fs.readdirSync(path.dirname(serverFile))) {
    if (entry !== 'server.js' && entry !== 'server.js.map') fs.rmSync(path.join(path.dirname(serverFile), entry), { recursive: true, force: true });
  }
  fs.renameSync(path.join(staging, 'server.js.map'), `${serverFile}.map`);
  fs.renameSync(path.join(staging, 'server.js'), serverFile);
  fs.rmSync(staging, { recursive: true, force: true });
}

/** The demo database, made by the built server (a first start on an empty data dir, stopped) unless the one there is this build's. */
async function buildDemoDb() {
  const server = createRequire(import.meta.url)(serverFile);
  const key = server.demoTemplateKey(serverFile);
  const made = readJson(path.join(demoDbDir, 'key.json'));
  if (made?.server === key.server && made?.pglite === key.pglite && fs.existsSync(path.join(demoDbDir, 'pglite'))) return false;
  const staging = path.join(dist, `.demo-db-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    await server.makeDemoTemplate(staging);
    const old = `${demoDbDir}.${process.pid}.old`;
    if (fs.existsSync(demoDbDir)) fs.renameSync(demoDbDir, old);
    fs.renameSync(staging, demoDbDir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return true;
}

const say = (message) => process.stderr.write(`${message}\n`);

/**
 * Brings dist/ up to date: the bundles when a source changed (or `force`), then, with `demoDb`, the
 * demo database when it is not the current server's. Returns what it did.
 */
export async function ensureBuilt({ force = false, demoDb = false, log = say } = {}) {
  const fingerprint = sourceFingerprint();
  let bundles = false;
  if (force || isStale(fingerprint)) {
    const started = performance.now();
    await buildServer();
    await buildAddin();
    writeAtomically(stampFile, JSON.stringify({ sources: fingerprint, builtAt: new Date().toISOString() }));
    log(`build: dist/api/server.js and dist/addin-web built in ${Math.round(performance.now() - started)} ms`);
    bundles = true;
  }
  let database = false;
  if (demoDb) {
    const started = performance.now();
    database = await buildDemoDb();
    if (database) log(`build: demo database (dist/demo-db) made in ${((performance.now() - started) / 1000).toFixed(1)} s; a first npm start copies it`);
  }
  return { bundles, demoDb: database };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const prepare = args.has('--prepare');
  try {
    await ensureBuilt({ force: !prepare && !args.has('--if-stale'), demoDb: !args.has('--no-demo-db') });
    process.exit(0);
  } catch (e) {
    if (!prepare) throw e;
    // A failed build must not fail `npm install` (the packages to fix it with are then missing).
    say(`build: ${e instanceof Error ? e.message : String(e)}\nbuild: npm install went on; npm start builds again and shows what is wrong.`);
    process.exit(0);
  }
}
