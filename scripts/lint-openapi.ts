import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildOpenApiDocument } from '../api/http/openapi';

/**
 * npm run lint:openapi (part of npm test): writes the document GET /openapi.json serves to a
 * temporary file and lints it with Redocly under redocly.yaml. Any error fails; warnings print.
 */
const root = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-openapi-'));
const file = path.join(dir, 'openapi.json');
try {
  fs.writeFileSync(file, JSON.stringify(buildOpenApiDocument(), null, 2));
  const lint = spawnSync(
    path.join(root, 'node_modules', '.bin', 'redocly'),
    ['lint', '--config', path.join(root, 'redocly.yaml'), '--format', 'stylish', file],
    // No telemetry and no update check: the lint must not depend on the network.
    { stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  if (lint.error) throw lint.error;
  process.exitCode = lint.status ?? 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
