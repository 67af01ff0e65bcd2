import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys } from '../../api/auth/dev-key';
import { signDevToken } from '../../api/auth/verifier';
import { loadConfig } from '../../api/config';
import { startServer, type RunningServer } from '../../api/server';

/**
 * The README's ```bash examples, run as written against a freshly started server (an empty data
 * directory: the first start's database and demo year, exactly what `npm start` gives), on a free
 * port: the only change to a block is `localhost:3000` → that port, and the shell has PORT and
 * TERTIAL_DATA_DIR set as a user running the server there would. Blocks that install, start a
 * server, run the tests or change the machine's certificate trust are the setup around the
 * examples, not examples to run against it: they are listed, not run.
 */
const root = path.join(__dirname, '..', '..');
const curl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();

const SETUP = /^\s*(npm (install|start|test|run start:https)\b|npx office-addin-dev-certs\b|sudo\b|certutil\b|mkdir -p \/usr\/local\/share\/ca-certificates)/m;

function bashBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```bash\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

interface Ran {
  block: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBlock(block: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', block], { cwd: root, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ block, code, stdout, stderr }));
  });
}

describe("the README's command examples, verbatim, against a freshly started server", () => {
  const blocks = bashBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  const examples = blocks.filter((b) => !SETUP.test(b));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-readme-'));
  let running: RunningServer;
  let port: number;
  let ran: Ran[] = [];

  beforeAll(async () => {
    if (!curl) throw new Error('curl not found: apt-get install -y curl (npm test installs it as root: scripts/ensure-test-tools.sh)');
    // A first start: initdb, migrations, the demo year with its T1 results.
    running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    port = (running.server.address() as { port: number }).port;
    for (const block of examples) {
      ran.push(await runBlock(block.replaceAll('localhost:3000', `localhost:${port}`), { PORT: String(port), TERTIAL_DATA_DIR: dataDir }));
    }
  }, 600_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the README has examples to run, besides the setup blocks', () => {
    expect(blocks.length).toBeGreaterThan(examples.length);
    expect(examples.some((b) => b.includes('npm run --silent token') && b.includes('-X PUT'))).toBe(true);
  });

  test('every example block runs to the end without an error (curl --fail-with-body fails on any 4xx/5xx)', () => {
    ran = ran.map((r) => ({ ...r, stdout: r.stdout.slice(0, 2000), stderr: r.stderr.slice(0, 2000) }));
    expect(ran.filter((r) => r.code !== 0)).toEqual([]);
  });

  test("the write landed: the report now has the example's forecast, at a version after the demo's", async () => {
    const token = await signDevToken(await loadOrCreateDevKeys(dataDir), { sub: 'check', name: 'Check', roles: ['central'], orgs: [], expiresIn: '5m' });
    const res = await fetch(`${running.url}/api/v1/years/2022/organisations/sdn-farsta/reports/T1`, { headers: { Authorization: `Bearer ${token}` } });
    const report = (await res.json()) as { indicators: { indicatorId: number; forecast: number | null; version: number }[] };
    const indicator = report.indicators.find((i) => i.indicatorId === 1)!;
    expect(indicator.forecast).toBe(2.9);
    // The demo year has T1 results filled in: the row was at version 1 before the example wrote it.
    expect(indicator.version).toBe(2);
  });

  test('the ambition loop ran: Järva’s plan approved, its request on 1.1.1 met by the raised årsmål', async () => {
    const token = await signDevToken(await loadOrCreateDevKeys(dataDir), { sub: 'check', name: 'Check', roles: ['central'], orgs: [], expiresIn: '5m' });
    const get = async (url: string) => (await fetch(`${running.url}/api/v1/years/2022${url}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(await get('/organisations/sdn-jarva/plan/state')).toMatchObject({ state: 'approved', version: 4 });
    const review = (await get('/organisations/sdn-jarva/ambition-requests')) as {
      items: { code: string; orgTarget: number; request: { state: string; closedBy: string } | null }[];
    };
    expect(review.items.find((i) => i.code === '1.1.1')).toMatchObject({ orgTarget: 2.5, request: { state: 'met', closedBy: 'Jon Järva' } });
  });
});
