import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite has exactly one opener per data directory: a second process (an import while the server
 * runs) reports success yet its writes are lost, and the directory can then hang later openers.
 * So every opener of an embedded database holds `<dataDir>.lock`, created atomically with who
 * holds it; a second opener is refused at once. A lock whose process is gone (killed) is stale
 * and taken over.
 */

export interface LockHolder {
  pid: number;
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  hostname: string;
  /** Linux: the holder's start time in clock ticks since boot, to tell a reused pid from the holder. */
  startTime?: string;
}

export class DatabaseLockedError extends Error {
  readonly code = 'DATABASE_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const since = new Date(holder.since);
    const when = Number.isNaN(since.getTime()) ? holder.since : since.toLocaleString('sv-SE');
    const who = `pid ${holder.pid} på ${holder.hostname} (${holder.command}), sedan ${when}`;
    super(
      [
        `Den inbäddade databasen ${dataDir} används redan av en annan process: ${who}.`,
        'Bara en process i taget får öppna den; annars går data förlorad.',
        `Gör så här: stoppa servern (Ctrl+C där den körs, eller kill ${holder.pid}) och försök igen,`,
        '  eller importera genom den körande servern med rollen central: npm run import -- --url <serverns adress> FIL.json',
        `Om processen inte finns längre (t.ex. på en annan dator): ta bort ${lockFile}.`,
        `(The embedded database ${dataDir} is in use by pid ${holder.pid} on ${holder.hostname} (${holder.command}) since ${holder.since}.`,
        ' Stop that process first, or import through the running API with --url.)',
      ].join('\n'),
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void;
}

/** Lock files this process holds (by path): a second opener inside one process is refused too. */
const held = new Set<string>();

export function lockFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm) " start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function describeCommand(): string {
  const script = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) || process.argv[1] : '';
  const command = [path.basename(process.argv[0] ?? 'node'), script, ...process.argv.slice(2)].filter(Boolean).join(' ');
  const npm = process.env.npm_lifecycle_event;
  return (npm ? `npm run ${npm}: ${command}` : command).slice(0, 300);
}

function readHolder(file: string): { raw: string; holder: LockHolder | undefined } | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return {
        raw,
        holder: {
          pid: parsed.pid,
          command: String(parsed.command ?? '?'),
          since: String(parsed.since ?? '?'),
          hostname: String(parsed.hostname ?? '?'),
          ...(typeof parsed.startTime === 'string' ? { startTime: parsed.startTime } : {}),
        },
      };
    }
  } catch {
    // unreadable: see below
  }
  // The file is written whole (link of a complete temp file), so garbage cannot be a live holder's.
  return { raw, holder: undefined };
}

/** Whether the holder may still be running. Another host's holder cannot be checked: assume so. */
function isAlive(holder: LockHolder, file: string): boolean {
  if (holder.hostname !== os.hostname()) return true;
  if (holder.pid === process.pid) return held.has(file);
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it exists, under another user.
  }
  const startTime = processStartTime(holder.pid);
  return !(holder.startTime && startTime && startTime !== holder.startTime);
}

/** Creates `file` with `content` only if it does not exist, without a moment where it exists half written. */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, content, { mode: 0o644 });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: exclusive create, then write.
    try {
      fs.writeFileSync(file, content, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Takes the lock of an embedded database directory, or throws DatabaseLockedError naming the
 * holder. Released by `release()` and, failing that, when the process exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = lockFileOf(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const startTime = processStartTime(process.pid);
  const me: LockHolder = {
    pid: process.pid,
    command: describeCommand(),
    since: new Date().toISOString(),
    hostname: os.hostname(),
    ...(startTime ? { startTime } : {}),
  };
  const content = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, content)) break;
    const existing = readHolder(file);
    if (existing === undefined) continue; // released meanwhile
    if (existing.holder && isAlive(existing.holder, file)) throw new DatabaseLockedError(path.resolve(dataDir), file, existing.holder);
    if (attempt >= 3) throw new Error(`${file}: could not replace a stale lock`);
    // Stale: its process is gone. Remove it only if it is still the one judged stale.
    if (readHolder(file)?.raw === existing.raw) fs.rmSync(file, { force: true });
  }
  held.add(file);
  const release = () => {
    process.removeListener('exit', release);
    if (!held.delete(file)) return;
    try {
      if (fs.readFileSync(file, 'utf8') === content) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { file, release };
}
