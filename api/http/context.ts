import type { Kysely } from 'kysely';
import type { Response } from 'express';
import type { Database } from '../db/schema';
import type { DatabaseKind } from '../db/connection';
import type { Actor } from '../db/history-queries';
import { principalOf } from './auth';

export interface AppContext {
  db: Kysely<Database>;
  databaseKind: DatabaseKind;
}

export function actorOf(res: Response): Actor {
  const p = principalOf(res);
  return { sub: p.sub, name: p.name, requestId: (res.req.id as string | undefined) ?? null };
}
