// Bundles the task pane (TypeScript) with esbuild into dist/addin-web, which the API serves.
// `node scripts/build-addin.mjs` (npm run build:addin); scripts/build.mjs calls buildAddin().
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the bundle beside dist/addin-web and swaps it in, so a running server never serves half a build. */
export async function buildAddin() {
  const { build } = await import('esbuild');
  const out = path.join(root, 'dist', 'addin-web');
  const staging = `${out}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'addin', 'taskpane', 'taskpane.ts')],
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'safari15'],
    platform: 'browser',
    sourcemap: true,
    minify: process.env.NODE_ENV === 'production',
    outfile: path.join(staging, 'taskpane.js'),
    logLevel: 'warning',
  });
  for (const file of ['taskpane.html', 'taskpane.css']) {
    fs.copyFileSync(path.join(root, 'addin', 'taskpane', file), path.join(staging, file));
  }
  fs.cpSync(path.join(root, 'addin', 'assets'), path.join(staging, 'assets'), { recursive: true });
  const old = `${out}.${process.pid}.old`;
  // Another build may swap at the same moment: move whatever is there aside, and try again.
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(out, old);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    try {
      fs.renameSync(staging, out);
      break;
    } catch (e) {
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST'].includes(e.code)) throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAddin();
