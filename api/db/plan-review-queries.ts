/**
 * Queries on a plan's state and on KS's ambition requests: the organisation's plan row, the
 * årsmål under review with their requests, the requests' steps.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Actor } from './history-queries';
import type { AmbitionRequestEventTable, AmbitionRequestTable, Database, OrgPlanTable, PlanState } from './schema';

type Db = Kysely<Database>;

export type PlanRow = Selectable<OrgPlanTable>;
export type AmbitionRequestRow = Selectable<AmbitionRequestTable>;
export type AmbitionEventRow = Selectable<AmbitionRequestEventTable>;

/** The plan's row; undefined while it is a draft whose state never changed. */
export async function findPlan(db: Db, year: number, organisation: string): Promise<PlanRow | undefined> {
  return db.selectFrom('org_plan').selectAll().where('year', '=', year).where('organisation_code', '=', organisation).executeTakeFirst();
}

/** The plan's row, made (a draft at version 0) when missing, locked until the transaction ends. */
export async function lockPlan(db: Db, year: number, organisation: string): Promise<PlanRow> {
  await db
    .insertInto('org_plan')
    .values({ year, organisation_code: organisation, state: 'draft' })
    .onConflict((oc) => oc.columns(['year', 'organisation_code']).doNothing())
    .execute();
  return db.selectFrom('org_plan').selectAll().where('year', '=', year).where('organisation_code', '=', organisation).forUpdate().executeTakeFirstOrThrow();
}

/** Sets the plan's state (one version more) and appends the change to the plan history. */
export async function setPlanState(db: Db, plan: PlanRow, state: PlanState, actor: Actor): Promise<PlanRow> {
  const row = await db
    .updateTable('org_plan')
    .set((eb) => ({ state, version: eb('version', '+', 1), changed_by: actor.sub, changed_by_name: actor.name, changed_at: sql<Date>`now()` }))
    .where('year', '=', plan.year)
    .where('organisation_code', '=', plan.organisation_code)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('plan_history')
    .values({
      year: plan.year,
      organisation_code: plan.organisation_code,
      entity: 'plan',
      entity_id: null,
      field: 'state',
      old_value: plan.state,
      new_value: state,
      changed_by: actor.sub,
      changed_by_name: actor.name,
      request_id: actor.requestId,
    })
    .execute();
  return row;
}

/** Which årsmål: of one organisation or all, of one indicator or all, and whether to lock them (the årsmål row, then its request). */
export interface TargetFilter {
  organisation?: string;
  indicatorId?: number;
  lock?: boolean;
}

/** The organisations' årsmål of the year with KF's, the indicator's direction, and the request on each (null columns when none). */
export async function ambitionTargets(db: Db, year: number, filter: TargetFilter = {}) {
  let query = db
    .selectFrom('org_indicator as oi')
    .innerJoin('indicator as i', 'i.id', 'oi.indicator_id')
    .leftJoin('ambition_request as ar', (j) =>
      j.onRef('ar.indicator_id', '=', 'oi.indicator_id').onRef('ar.organisation_code', '=', 'oi.organisation_code').on('ar.year', '=', year),
    )
    .select([
      'oi.organisation_code',
      'i.id as indicator_id',
      'i.code',
      'i.title',
      'i.unit',
      'i.direction',
      'i.kf_annual_target',
      'oi.annual_target',
      'ar.id as request_id',
      'ar.state',
      'ar.comment',
      'ar.requested_by',
      'ar.requested_by_name',
      'ar.requested_at',
      'ar.motivation',
      'ar.answered_by',
      'ar.answered_by_name',
      'ar.answered_at',
      'ar.closed_by',
      'ar.closed_by_name',
      'ar.closed_at',
      'ar.version',
    ])
    .where('i.year', '=', year);
  if (filter.organisation !== undefined) query = query.where('oi.organisation_code', '=', filter.organisation);
  if (filter.indicatorId !== undefined) query = query.where('oi.indicator_id', '=', filter.indicatorId);
  if (filter.lock) query = query.forUpdate('oi');
  return query.orderBy('oi.organisation_code').orderBy('i.code').execute();
}

export type AmbitionTarget = Awaited<ReturnType<typeof ambitionTargets>>[number];

/** The request on an organisation's årsmål, locked until the transaction ends; undefined when none was sent. */
export async function lockAmbitionRequest(db: Db, year: number, organisation: string, indicatorId: number): Promise<AmbitionRequestRow | undefined> {
  return db
    .selectFrom('ambition_request')
    .selectAll()
    .where('year', '=', year)
    .where('organisation_code', '=', organisation)
    .where('indicator_id', '=', indicatorId)
    .forUpdate()
    .executeTakeFirst();
}

/** A first request; undefined when another one was sent meanwhile (the unique key waits for it). */
export async function insertAmbitionRequest(db: Db, values: Insertable<AmbitionRequestTable>): Promise<AmbitionRequestRow | undefined> {
  return db
    .insertInto('ambition_request')
    .values(values)
    .onConflict((oc) => oc.columns(['year', 'organisation_code', 'indicator_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** A step of the requests with these ids: one version more each. */
export async function updateAmbitionRequests(db: Db, ids: readonly number[], values: Updateable<AmbitionRequestTable>): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('ambition_request')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', sql<number>`any(${[...ids]}::int[])`)
    .execute();
}

export async function appendAmbitionEvents(
  db: Db,
  events: ReadonlyArray<Omit<Insertable<AmbitionRequestEventTable>, 'changed_by' | 'changed_by_name' | 'http_request_id'>>,
  actor: Actor,
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('ambition_request_event')
    .values(events.map((e) => ({ ...e, changed_by: actor.sub, changed_by_name: actor.name, http_request_id: actor.requestId })))
    .execute();
}

/** The steps of these requests, oldest first. */
export async function ambitionEventsOf(db: Db, requestIds: readonly number[]): Promise<AmbitionEventRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('ambition_request_event')
    .selectAll()
    .where('request_id', '=', sql<number>`any(${[...requestIds]}::int[])`)
    .orderBy('id')
    .execute();
}
