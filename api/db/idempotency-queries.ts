import type { Kysely } from 'kysely';
import type { Database } from './schema';

type Db = Kysely<Database>;

/** The first answer to a write sent with an Idempotency-Key, per user and key. */
export async function findIdempotentResponse(db: Db, subject: string, key: string) {
  return db.selectFrom('idempotency_key').select(['request_hash', 'status', 'response']).where('subject', '=', subject).where('key', '=', key).executeTakeFirst();
}

/**
 * Saves the first answer; false when a concurrent write saved the same key first (the primary
 * key waits for it to commit, then the insert does nothing instead of failing with 23505).
 */
export async function saveIdempotentResponse(db: Db, subject: string, key: string, requestHash: string, status: number, response: unknown): Promise<boolean> {
  const saved = await db
    .insertInto('idempotency_key')
    .values({ subject, key, request_hash: requestHash, status, response: JSON.stringify(response) })
    .onConflict((oc) => oc.columns(['subject', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return saved !== undefined;
}
