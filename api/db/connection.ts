import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { lockDataDir } from './lock';
import type { Database } from './schema';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  { kind: 'postgres'; url: string; searchPath?: string; poolSize?: number; timeouts?: Partial<DatabaseTimeouts> } | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

/**
 * Limits every PostgreSQL session runs under, so that no statement, lock wait or forgotten
 * transaction holds a report's lock and a connection for ever; a statement cut off by them is
 * answered 503 UNAVAILABLE (error-handler.ts). Zero turns a limit off. PGlite cannot apply them:
 * it runs each statement to its end on the Node thread (its WebAssembly build has no timer to
 * cancel one, and with one connection there is no lock to wait for).
 */
export interface DatabaseTimeouts {
  /** Longest statement (a 20,000-row write takes ≈ 2 s; the migrations lift it for their own session). */
  statementMs: number;
  /** Longest wait for a lock held by another transaction (a report written by someone else). */
  lockMs: number;
  /** Longest a transaction may sit idle between statements before its session is closed. */
  idleInTransactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 };

/** Opens Kysely on either an embedded PGlite (default) or a PostgreSQL server through pg. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...target.timeouts };
    const pool = new Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      // Sent in the startup packet: every session of the pool has them from its first statement.
      statement_timeout: timeouts.statementMs,
      lock_timeout: timeouts.lockMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      ...(target.searchPath ? { options: `-c search_path=${target.searchPath}` } : {}),
    });
    // A client that loses its server must not crash the process: an idle one reports to the
    // pool, a checked-out one to itself (its query fails too, and that becomes a 503).
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (target.dataDir) fs.mkdirSync(path.dirname(target.dataDir), { recursive: true });
  // One opener per data directory (see lock.ts): refused here, before PGlite touches it.
  const lock = target.dataDir ? lockDataDir(target.dataDir) : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
  } catch (e) {
    lock?.release();
    throw e;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
