import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../bench/process';
import { loadConfig } from '../../api/config';
import { startServer, type RunningServer } from '../../api/server';
import { preparedDataDir } from '../support/data-dirs';

/**
 * `npm run --silent token -- --role controller --org X` checks X against the running server's
 * organisations (it must not open the embedded database the server holds), refuses an unknown
 * one, and prints the token alone on stdout otherwise (the contract in ../shared/API.md).
 */
const root = path.join(__dirname, '..', '..');

function token(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/token.ts', ...args],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

describe('npm run token checks --org', () => {
  let dataDir: string;
  let running: RunningServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await preparedDataDir('tertial-token-');
    running = await startServer(loadConfig({ TERTIAL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    env = { TERTIAL_DATA_DIR: dataDir, PORT: String((running.server.address() as { port: number }).port) };
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an organisation that does not exist is refused, with the near ones named, and no token', async () => {
    const result = await token(['--role', 'controller', '--org', 'farsta'], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('token: okänd organisation farsta (unknown organisation');
    expect(result.stderr).toContain('Menade du: sdn-farsta?');
  });

  test('known organisations: the token alone on stdout, nothing on stderr, while the server holds the database', async () => {
    const result = await token(['--role', 'controller', '--org', 'sdn-farsta', '--org', 'fn-social'], env);
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(JWT), stderr: '' });
    const me = await fetch(`${running.url}/api/v1/me`, { headers: { Authorization: `Bearer ${result.stdout.trim()}` } });
    expect(((await me.json()) as { organisations: { code: string }[] }).organisations.map((o) => o.code).sort()).toEqual(['fn-social', 'sdn-farsta']);
  });

  test('no server running: the codes cannot be checked; it says so and makes the token anyway', async () => {
    const result = await token(['--role', 'controller', '--org', 'nope'], { ...env, PORT: String(await freePort()) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(JWT);
    expect(result.stderr).toContain('--org nope kunde inte kontrolleras: ingen Tertial-server svarar på http://localhost:');
  });

  test('a central token needs no --org and checks nothing', async () => {
    const result = await token(['--role', 'central'], { ...env, PORT: String(await freePort()) });
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(JWT), stderr: '' });
  });
});
