import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateCertificates } from 'office-addin-dev-certs';
import { freePort } from '../../bench/process';
import { loadConfig } from '../../api/config';
import { HttpsFilesError, startServer, type RunningServer } from '../../api/server';
import { preparedDataDir } from '../support/data-dirs';

/**
 * Office loads add-ins over HTTPS only. `npm run start:https` (HTTPS=true) serves the API, the task
 * pane and the manifest on https://localhost with the office-addin-dev-certs certificates: a CA of
 * its own and a localhost certificate it signs. These tests make such certificates in a temporary
 * directory and talk to the server with real TLS clients (Node's https, curl) that trust that CA.
 */
const root = path.join(__dirname, '..', '..');
const runFile = promisify(execFile);
const curl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET over TLS, trusting exactly `ca` (not the system's CAs), with the server name checked against the certificate. */
function get(url: string, ca: Buffer | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(ca ? { ca } : {}), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1'), headers: res.headers }));
    });
    req.on('error', reject);
  });
}

async function makeCerts(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const files = { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'localhost.crt'), key: path.join(dir, 'localhost.key') };
  await generateCertificates(files.ca, files.cert, files.key, 2);
  return files;
}

describe('HTTPS with the office-addin-dev-certs certificates', () => {
  const dirs: string[] = [];
  let certs: Awaited<ReturnType<typeof makeCerts>>;
  let ca: Buffer;
  let running: RunningServer;
  let port: number;
  beforeAll(async () => {
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-certs-'));
    dirs.push(certDir);
    certs = await makeCerts(certDir);
    ca = fs.readFileSync(certs.ca);
    const dataDir = await preparedDataDir('tertial-https-');
    dirs.push(dataDir);
    running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', HTTPS: 'true', HTTPS_CERT_DIR: certDir }));
    port = (running.server.address() as { port: number }).port;
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the API answers on https://localhost to a client that trusts the dev CA', async () => {
    expect(running.url).toBe(`https://127.0.0.1:${port}`);
    const health = await get(`https://localhost:${port}/api/v1/health`, ca);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'pglite' });
  });

  test('the served manifest names https://localhost:PORT for the task pane, icons and support page', async () => {
    const { status, body } = await get(`https://localhost:${port}/manifest.xml`, ca);
    expect(status).toBe(200);
    expect(body).toContain(`<SourceLocation DefaultValue="https://localhost:${port}/addin/taskpane.html" />`);
    expect(body).toContain(`<IconUrl DefaultValue="https://localhost:${port}/addin/assets/icon-32.png" />`);
    expect(body).not.toMatch(/http:\/\/localhost|localhost:3000/);
  });

  test('the task pane and its icons are served over the same TLS origin', async () => {
    if (!fs.existsSync(path.join(root, 'dist', 'addin-web', 'taskpane.html'))) {
      await runFile(process.execPath, [path.join(root, 'scripts', 'build-addin.mjs')], { cwd: root });
    }
    const page = await get(`https://localhost:${port}/addin/taskpane.html`, ca);
    expect(page.status).toBe(200);
    expect(page.body).toContain('taskpane.js');
    expect((await get(`https://localhost:${port}/addin/assets/icon-32.png`, ca)).status).toBe(200);
  });

  test('a client that does not trust the dev CA is refused by its own TLS check (the certificate is not a public one)', async () => {
    await expect(get(`https://localhost:${port}/api/v1/health`, undefined)).rejects.toThrow(/certificate/i);
  });

  test('curl with --cacert the dev CA gets the health answer; without it, curl refuses the certificate', async () => {
    if (!curl) throw new Error('curl not found: apt-get install -y curl (npm test installs it as root: scripts/ensure-test-tools.sh)');
    const { stdout } = await runFile(curl, ['-sS', '--fail', '--cacert', certs.ca, `https://localhost:${port}/api/v1/health`]);
    expect(JSON.parse(stdout)).toEqual({ status: 'ok', database: 'pglite' });
    // Another CA (as any CA but the dev one): curl refuses the server, so the check above means something.
    const other = await makeCerts(fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-other-ca-')));
    dirs.push(path.dirname(other.ca));
    // (Not spawnSync: the server answers from this very process.)
    const refused = await runFile(curl, ['-sS', '--fail', '--max-time', '60', '--cacert', other.ca, `https://localhost:${port}/api/v1/health`]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    // 60: the peer's certificate is not from a trusted CA; 35: the handshake fails on it (a CA of the same name whose signature does not match).
    expect([35, 60]).toContain(refused.code);
    expect(refused.stderr).toMatch(/SSL|certificate/i);
  });

  test('HTTPS=true without the certificate files stops the start with what to run', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-https-missing-'));
    dirs.push(dataDir);
    const start = startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', HTTPS: 'true', HTTPS_CERT_DIR: path.join(dataDir, 'no-certs') }));
    await expect(start).rejects.toThrow(HttpsFilesError);
    await expect(start).rejects.toThrow(/npm run start:https/);
  });
});

describe('npm run start:https (scripts/start.mjs --https)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('makes the dev certificates where office-addin-dev-certs keeps them, builds if needed and serves the built server over HTTPS', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-home-'));
    dirs.push(home);
    const dataDir = await preparedDataDir('tertial-start-https-');
    dirs.push(dataDir);
    const port = await freePort();
    // As `npm run start:https` runs it; HOME decides where ~/.office-addin-dev-certs is.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--https'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', HOME: home, USERPROFILE: home, TERTIAL_DATA_DIR: dataDir, PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const caFile = path.join(home, '.office-addin-dev-certs', 'ca.crt');
      const deadline = Date.now() + 150_000;
      while (!output.includes('Tertial API listening') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(output).toContain('Tertial API listening');
      expect(output).toContain('utvecklingscertifikat skapade');
      const ca = fs.readFileSync(caFile);
      const health = await get(`https://localhost:${port}/api/v1/health`, ca);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'pglite' });
      const manifest = await get(`https://localhost:${port}/manifest.xml`, ca);
      expect(manifest.body).toContain(`https://localhost:${port}/addin/taskpane.html`);
      // The built server (one bundle, exceljs loaded on first use) answers an xlsx route too.
      // The token command checks --org with the running server: over HTTPS, trusting the same dev CA.
      const { stdout: token, stderr } = await runFile(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--role', 'controller', '--org', 'sdn-farsta'], {
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: '', HOME: home, TERTIAL_DATA_DIR: dataDir, PORT: String(port), HTTPS: 'true' },
      });
      expect(stderr).toBe('');
      const workbook = await get(`https://localhost:${port}/api/v1/years/2022/organisations/sdn-farsta/reports/T1/workbook`, ca, { Authorization: `Bearer ${token.trim()}` });
      expect(workbook.status).toBe(200);
      expect(workbook.body.slice(0, 2)).toBe('PK');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 240_000);
});
