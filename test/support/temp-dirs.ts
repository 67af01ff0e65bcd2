import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every temporary file of a test run — the PGlite template, each test's data dirs, PostgreSQL
 * clusters of the fault tests, browser profiles, child processes' files — goes under one
 * directory of the run's own: global setup points TMPDIR (and so os.tmpdir()) there, workers and
 * child processes inherit it, and global teardown removes it. A run that was killed before its
 * teardown is swept by the next run.
 */

const RUN_DIR_PATTERN = /^tertial-test-run-(\d+)-/;
/** What older runs left directly in the temp dir. */
const LEGACY_PATTERN = /^tertial-test-template-(\d+)\.tar$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** PostgreSQL servers still running on a data dir under `dir` get an immediate shutdown (SIGQUIT to the postmaster). */
export async function stopPostgresUnder(dir: string): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const pidFile = path.join(dir, entry.name, 'postmaster.pid');
    let pid: number;
    try {
      pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) continue;
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      continue;
    }
    await waitForExit(pid, 10_000);
  }
}

/** Removes a run directory and whatever still runs on it. */
export async function removeRunDir(runDir: string): Promise<void> {
  await stopPostgresUnder(runDir);
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** Removes what runs that are no longer alive left in `base`. */
export async function sweepDeadRuns(base: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of fs.readdirSync(base)) {
    const match = RUN_DIR_PATTERN.exec(name) ?? LEGACY_PATTERN.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    try {
      await removeRunDir(path.join(base, name));
      removed.push(name);
    } catch {
      // another user's: not ours to remove
    }
  }
  return removed;
}

/** Creates this run's directory in `base` (traversable, so a cluster owned by the postgres user can live in it). */
export function createRunDir(base: string): string {
  const runDir = fs.mkdtempSync(path.join(base, `tertial-test-run-${process.pid}-`));
  fs.chmodSync(runDir, 0o755);
  return runDir;
}

/** The temp dir the run started with, and this run's own directory inside it. */
export const RUN_DIR_ENV = 'TERTIAL_TEST_RUN_DIR';
export const BASE_TMPDIR_ENV = 'TERTIAL_TEST_BASE_TMPDIR';

export async function beginRun(): Promise<string> {
  const base = process.env[BASE_TMPDIR_ENV] ?? os.tmpdir();
  await sweepDeadRuns(base);
  const runDir = createRunDir(base);
  process.env[BASE_TMPDIR_ENV] = base;
  process.env[RUN_DIR_ENV] = runDir;
  process.env.TMPDIR = runDir;
  return runDir;
}

export async function endRun(): Promise<void> {
  const runDir = process.env[RUN_DIR_ENV];
  if (!runDir) return;
  process.env.TMPDIR = process.env[BASE_TMPDIR_ENV];
  delete process.env[RUN_DIR_ENV];
  await removeRunDir(runDir);
}
