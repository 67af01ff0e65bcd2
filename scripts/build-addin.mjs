// Bundles the task pane (TypeScript) with esbuild into dist/addin-web, which the API serves.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist', 'addin-web');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(root, 'addin', 'taskpane', 'taskpane.ts')],
  bundle: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'safari15'],
  platform: 'browser',
  sourcemap: true,
  minify: process.env.NODE_ENV === 'production',
  outfile: path.join(out, 'taskpane.js'),
  logLevel: 'warning',
});
for (const file of ['taskpane.html', 'taskpane.css']) {
  fs.copyFileSync(path.join(root, 'addin', 'taskpane', file), path.join(out, file));
}
fs.cpSync(path.join(root, 'addin', 'assets'), path.join(out, 'assets'), { recursive: true });
