import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE_TMPDIR_ENV, RUN_DIR_ENV, createRunDir, endRun, removeRunDir, sweepDeadRuns } from './temp-dirs';

/** A process that runs until killed, standing in for a PostgreSQL server (postmaster). */
function longRunning() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  return { child, exited };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe("the test run's temporary files", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-dirs-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test("live in the run's own directory: os.tmpdir() in tests and the PGlite template", () => {
    const runDir = process.env[RUN_DIR_ENV];
    expect(runDir).toMatch(/tertial-test-run-\d+-/);
    expect(os.tmpdir()).toBe(runDir);
    expect(path.dirname(process.env.TERTIAL_TEST_TEMPLATE!)).toBe(runDir);
  });

  test('removing a run directory stops a PostgreSQL left running in it, then removes everything', async () => {
    const runDir = createRunDir(fs.mkdtempSync(path.join(scratch, 'base-')));
    const cluster = path.join(runDir, 'tertial-fault-pg-abc');
    fs.mkdirSync(cluster);
    const postmaster = longRunning();
    fs.writeFileSync(path.join(cluster, 'postmaster.pid'), `${postmaster.child.pid}\n${cluster}\n`);
    await removeRunDir(runDir);
    expect(await postmaster.exited).toBe('SIGQUIT'); // PostgreSQL's immediate shutdown
    expect(fs.existsSync(runDir)).toBe(false);
  });

  test('global teardown removes the run directory and gives TMPDIR back', async () => {
    const base = fs.mkdtempSync(path.join(scratch, 'base-'));
    const runDir = createRunDir(base);
    fs.writeFileSync(path.join(runDir, 'template.tar'), 'x');
    const saved = { run: process.env[RUN_DIR_ENV], base: process.env[BASE_TMPDIR_ENV], tmp: process.env.TMPDIR };
    try {
      Object.assign(process.env, { [RUN_DIR_ENV]: runDir, [BASE_TMPDIR_ENV]: base, TMPDIR: runDir });
      await endRun();
      expect(fs.existsSync(runDir)).toBe(false);
      expect(process.env.TMPDIR).toBe(base);
    } finally {
      Object.assign(process.env, { [RUN_DIR_ENV]: saved.run, [BASE_TMPDIR_ENV]: saved.base, TMPDIR: saved.tmp });
    }
  });

  test("the next run sweeps what a killed run left; a live run's directory and other files stay", async () => {
    const base = fs.mkdtempSync(path.join(scratch, 'base-'));
    const dead = await deadPid();
    for (const dir of [`tertial-test-run-${dead}-abc`, `tertial-test-run-${process.pid}-def`, 'someone-elses']) {
      fs.mkdirSync(path.join(base, dir));
      fs.writeFileSync(path.join(base, dir, 'file'), 'x');
    }
    fs.writeFileSync(path.join(base, `tertial-test-template-${dead}.tar`), 'x');
    expect((await sweepDeadRuns(base)).sort()).toEqual([`tertial-test-run-${dead}-abc`, `tertial-test-template-${dead}.tar`]);
    expect(fs.readdirSync(base).sort()).toEqual(['someone-elses', `tertial-test-run-${process.pid}-def`]);
  });
});
