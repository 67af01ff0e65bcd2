import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emit, log, median, round1 } from './measure';
import { freePort, waitForHealth } from './process';
import { openTarget, type BenchTarget } from './target';

const ROOT = path.resolve(__dirname, '..');

/** Issue 15's targets on a 2-core machine: from `npm start` to /api/v1/health answering. */
export const START_TARGETS_MS = { first: 10_000, later: 3_000 };

/**
 * A fresh clone of the working tree (tracked files and new ones not ignored: what `git clone` of
 * it would give), sharing this checkout's node_modules: `npm install` there would only add the
 * same packages and then run the `prepare` hook, which is timed here instead.
 */
function freshClone(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-clone-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function npm(cwd: string, args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn('npm', args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** True while any process of the group `pgid` runs. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops `npm start` as Ctrl+C in a terminal does: a signal to its whole process group (npm does not
 * pass SIGTERM on to the server: a SIGTERM to npm alone leaves the server running, orphaned), then
 * waits until the server itself has exited and released the database.
 */
async function stopGroup(pgid: number, timeoutMs = 30_000): Promise<void> {
  process.kill(-pgid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/**
 * CPU time (user + system, ms) the processes of group `pgid` have used so far, their reaped children
 * included (Linux /proc; 0 elsewhere). On a machine other work keeps busy, the wall time of a start
 * grows with the load; this is what the start itself costs, about its wall time on an idle 2-core machine.
 */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // After the command name in parentheses: state ppid pgrp … utime(14) stime(15) cutime(16) cstime(17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

interface StartTime {
  ms: number;
  cpuMs: number;
}

/** `npm start` in `cwd` on a free port: the ms until /api/v1/health answered (and the CPU spent by then), then stops it. */
async function timeNpmStart(cwd: string, env: Record<string, string>): Promise<StartTime> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, 300_000);
    return { ms: performance.now() - started, cpuMs: groupCpuMs(child.pid!) };
  } finally {
    await stopGroup(child.pid!);
  }
}

const load = () => round1(os.loadavg()[0]!);

/**
 * What `npm start` really does, from the command to /api/v1/health answering, in a fresh clone
 * after its `npm install` (whose `prepare` hook builds dist/ and the demo database):
 * - first start: an empty data directory;
 * - later starts: the same directory again;
 * - a start after a source file changed (the build runs again first).
 * On PostgreSQL (DATABASE_URL) the database is the bench's scratch one, already migrated: later
 * starts only. Each line carries the load average, since other work on the machine slows all of it.
 */
export async function benchColdStart(target?: Pick<BenchTarget, 'kind' | 'databaseUrl'>, later = 3): Promise<Record<string, unknown>[]> {
  const kind = target?.kind ?? 'pglite';
  const clone = freshClone();
  const dataDir = path.join(clone, 'data-bench');
  const env: Record<string, string> = { TERTIAL_DATA_DIR: dataDir, ...(target?.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}) };
  const results: Record<string, unknown>[] = [];
  try {
    const installLoad = load();
    const build = performance.now();
    if ((await npm(clone, ['run', 'prepare'], {})) !== 0) throw new Error('npm run prepare failed');
    const buildMs = performance.now() - build;
    log(`npm install's prepare hook (bundles + demo database): ${round1(buildMs)} ms`);
    results.push({ name: 'install-build-ms', db: kind, command: 'npm run prepare (run by npm install)', value: round1(buildMs), loadavg: installLoad });

    if (kind === 'pglite') {
      const firstLoad = load();
      const first = await timeNpmStart(clone, env);
      log(`npm start, first (empty data dir): ${round1(first.ms)} ms (CPU ${first.cpuMs} ms)`);
      results.push({
        name: 'start-first-ms',
        db: kind,
        command: 'npm start',
        value: round1(first.ms),
        cpuMs: first.cpuMs,
        target: START_TARGETS_MS.first,
        met: first.ms < START_TARGETS_MS.first,
        loadavg: firstLoad,
      });
    } else {
      await timeNpmStart(clone, env);
    }

    const laterLoad = load();
    const runs: StartTime[] = [];
    for (let n = 1; n <= later; n++) {
      runs.push(await timeNpmStart(clone, env));
      log(`npm start, later ${n}: ${round1(runs.at(-1)!.ms)} ms (CPU ${runs.at(-1)!.cpuMs} ms)`);
    }
    const laterMs = median(runs.map((r) => r.ms));
    results.push({
      name: 'start-later-ms',
      db: kind,
      command: 'npm start',
      value: round1(laterMs),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      runs: runs.map((r) => round1(r.ms)),
      target: START_TARGETS_MS.later,
      met: laterMs < START_TARGETS_MS.later,
      loadavg: laterLoad,
    });

    // A developer's edit: the next start rebuilds the bundles first (the demo database is left for npm run build).
    const edited = path.join(clone, 'api', 'server.ts');
    fs.utimesSync(edited, new Date(), new Date());
    const editLoad = load();
    const afterEdit = await timeNpmStart(clone, env);
    log(`npm start after a source change (rebuild first): ${round1(afterEdit.ms)} ms (CPU ${afterEdit.cpuMs} ms)`);
    results.push({ name: 'start-after-edit-ms', db: kind, command: 'npm start', value: round1(afterEdit.ms), cpuMs: afterEdit.cpuMs, loadavg: editLoad });
    return results;
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}

// `npm run bench:start`: these lines alone (npm run bench runs them among the others).
if (require.main === module) {
  (async () => {
    const target = process.env.DATABASE_URL ? await openTarget() : undefined;
    try {
      for (const result of await benchColdStart(target)) emit(result);
    } finally {
      await target?.close();
    }
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
