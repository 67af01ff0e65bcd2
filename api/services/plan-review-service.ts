import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AmbitionItem, AmbitionReview, PlanStatus } from '../../core/contract/plan-review';
import {
  AMBITION_REQUEST_STATE_LABELS,
  ambitionStep,
  isClosedRequest,
  isMetBy,
  isPendingRequest,
  nextPlanState,
  PLAN_STATE_LABELS,
  targetsClosedReason,
  type AmbitionAction,
  type PlanAction,
} from '../../core/domain/plan-rules';
import { isBelowKfAmbition } from '../../core/domain/rules';
import { ApiError, forbidden, notFound } from '../errors';
import type { Actor } from '../db/history-queries';
import { findIdempotentResponse, saveIdempotentResponse } from '../db/idempotency-queries';
import { findOrganisation } from '../db/organisation-queries';
import { findBudgetYear } from '../db/plan-queries';
import {
  ambitionEventsOf,
  ambitionTargets,
  appendAmbitionEvents,
  findPlan,
  insertAmbitionRequest,
  lockAmbitionRequest,
  lockPlan,
  setPlanState,
  updateAmbitionRequests,
  type AmbitionEventRow,
  type AmbitionTarget,
  type PlanRow,
} from '../db/plan-review-queries';
import type { Database } from '../db/schema';
import { iso, num } from '../db/values';
import { idempotencyKeyReused } from './report-service';

type Db = Kysely<Database>;

export async function requireYear(db: Db, year: number) {
  const row = await findBudgetYear(db, year);
  if (!row) throw notFound(`Budgetåret ${year}`);
  return row;
}

export async function requireOrganisation(db: Db, code: string) {
  const organisation = await findOrganisation(db, code);
  if (!organisation) throw notFound(`Organisationen ${code}`);
  return organisation;
}

export interface Rights {
  central: boolean;
}

export interface KeyedWrite {
  idempotencyKey?: string;
}

/**
 * Runs a write once per user and Idempotency-Key: a repeat with the same key and request
 * answers the first answer and writes nothing; another request with the key is 422. Called
 * inside the write's transaction, after its locks.
 */
async function once<T>(db: Db, actor: Actor, options: KeyedWrite, request: unknown, write: () => Promise<T>): Promise<{ value: T; replayed: boolean }> {
  const key = options.idempotencyKey;
  if (!key) return { value: await write(), replayed: false };
  const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const previous = await findIdempotentResponse(db, actor.sub, key);
  if (previous) {
    if (previous.request_hash !== hash) throw idempotencyKeyReused();
    return { value: previous.response as T, replayed: true };
  }
  const value = await write();
  if (!(await saveIdempotentResponse(db, actor.sub, key, hash, 200, value))) throw idempotencyKeyReused();
  return { value, replayed: false };
}

// The plan's state

const planStatus = (year: number, organisation: string, row: PlanRow | undefined): PlanStatus => ({
  year,
  organisation,
  state: row?.state ?? 'draft',
  version: row?.version ?? 0,
  changedBy: row ? (row.changed_by_name ?? row.changed_by) : null,
  changedAt: row ? iso(row.changed_at) : null,
});

export async function getPlanStatus(db: Db, year: number, organisation: string): Promise<PlanStatus> {
  return planStatus(year, organisation, await findPlan(db, year, organisation));
}

const stalePlan = (plan: PlanRow, year: number, code: 'STALE' | 'WRONG_STATE', message: string) =>
  new ApiError('CONFLICT', message, [{ field: code === 'STALE' ? 'baseVersion' : 'state', code, message, current: planStatus(year, plan.organisation_code, plan) }]);

const ACTION_WORDS: Record<PlanAction, string> = { submit: 'skickas in', approve: 'godkännas', return: 'skickas tillbaka till utkast' };

/**
 * Submits, approves or returns an organisation's plan: checks the version the client read and
 * that the plan's state allows the action; an approval needs every ambition request closed
 * (met or accepted). The change of state goes into the plan history.
 */
export async function changePlanState(
  db: Db,
  year: number,
  organisation: string,
  action: PlanAction,
  baseVersion: number,
  actor: Actor,
  options: KeyedWrite = {},
): Promise<{ value: PlanStatus; replayed: boolean }> {
  await requireYear(db, year);
  await requireOrganisation(db, organisation);
  return db.transaction().execute(async (trx) => {
    const plan = await lockPlan(trx, year, organisation);
    return once(trx, actor, options, { plan: action, year, organisation, baseVersion }, async () => {
      if (plan.version !== baseVersion) {
        throw stalePlan(
          plan,
          year,
          'STALE',
          `Planen har ändrats${plan.changed_by_name ? ` av ${plan.changed_by_name}` : ''} sedan du läste den (version ${plan.version}, inte ${baseVersion}). Inget har sparats.`,
        );
      }
      const next = nextPlanState(plan.state, action);
      if (next === null) throw stalePlan(plan, year, 'WRONG_STATE', `Planen är ${PLAN_STATE_LABELS[plan.state]} och kan inte ${ACTION_WORDS[action]}.`);
      if (action === 'approve') {
        const pending = (await ambitionTargets(trx, year, { organisation })).filter((t) => t.state !== null && isPendingRequest(t.state));
        if (pending.length > 0) {
          throw new ApiError(
            'INCOMPLETE',
            `Planen kan inte godkännas: ${pending.length} begäran om högre ambition är inte avslutad.`,
            pending.map((t) => ({
              indicatorId: t.indicator_id,
              field: 'ambitionRequest',
              code: 'AMBITION_REQUEST_PENDING',
              message: `${t.code} ${t.title}: begäran är ${t.state === 'open' ? 'obesvarad' : 'besvarad men inte godtagen'}.`,
            })),
          );
        }
      }
      return planStatus(year, organisation, await setPlanState(trx, plan, next, actor));
    });
  });
}

/** The organisation's plan, locked for a change of its årsmål (before the rows it changes). */
export const lockPlanForTargets = (db: Db, year: number, organisation: string): Promise<PlanRow> => lockPlan(db, year, organisation);

/** 423 when this user may not change the plan's årsmål now: it is submitted, or approved and the user is not the centre. */
export function assertTargetsWritable(plan: PlanRow, rights: Rights): void {
  const reason = targetsClosedReason(plan.state, rights.central);
  if (reason === null) return;
  const message =
    reason === 'PLAN_SUBMITTED'
      ? `Verksamhetsplanen för ${plan.year} är inskickad och granskas; årsmålen kan inte ändras förrän stadsledningskontoret godkänner den eller skickar tillbaka den.`
      : `Verksamhetsplanen för ${plan.year} är godkänd; därefter ändras årsmålen bara av stadsledningskontoret.`;
  throw new ApiError('PERIOD_CLOSED', `${message} Inget har sparats.`, [{ field: 'planState', code: reason, message }]);
}

// The ambition loop

function toItem(t: AmbitionTarget, events: readonly AmbitionEventRow[]): AmbitionItem {
  const kfTarget = num(t.kf_annual_target);
  const orgTarget = num(t.annual_target);
  const name = (id: string | null, shown: string | null) => shown ?? id;
  return {
    organisation: t.organisation_code,
    indicatorId: t.indicator_id,
    code: t.code,
    title: t.title,
    unit: t.unit,
    direction: t.direction,
    kfTarget,
    orgTarget,
    belowKfAmbition: isBelowKfAmbition(t.direction, kfTarget, orgTarget),
    request:
      t.request_id === null || t.state === null
        ? null
        : {
            state: t.state,
            closed: isClosedRequest(t.state),
            version: t.version ?? 0,
            comment: t.comment ?? '',
            requestedAt: iso(t.requested_at)!,
            requestedBy: name(t.requested_by, t.requested_by_name) ?? '',
            motivation: t.motivation,
            answeredAt: iso(t.answered_at),
            answeredBy: name(t.answered_by, t.answered_by_name),
            closedAt: iso(t.closed_at),
            closedBy: name(t.closed_by, t.closed_by_name),
            events: events
              .filter((e) => e.request_id === t.request_id)
              .map((e) => ({
                action: e.action,
                state: e.state,
                text: e.text,
                orgTarget: num(e.org_target),
                at: iso(e.changed_at)!,
                by: e.changed_by,
                byName: e.changed_by_name,
              })),
          },
  };
}

async function itemsOf(db: Db, targets: readonly AmbitionTarget[]): Promise<AmbitionItem[]> {
  const events = await ambitionEventsOf(
    db,
    targets.flatMap((t) => (t.request_id === null ? [] : [t.request_id])),
  );
  return targets.map((t) => toItem(t, events));
}

/**
 * The årsmål under review: every organisation årsmål of the year below KF's ambition (the rule
 * of core/domain), and every one with a request, open or closed; of one organisation, or all.
 */
export async function getAmbitionReview(db: Db, year: number, organisation: string | null): Promise<AmbitionReview> {
  await requireYear(db, year);
  if (organisation !== null) await requireOrganisation(db, organisation);
  const targets = (await ambitionTargets(db, year, organisation === null ? {} : { organisation })).filter(
    (t) => t.request_id !== null || isBelowKfAmbition(t.direction, num(t.kf_annual_target), num(t.annual_target)),
  );
  return { year, organisation, items: await itemsOf(db, targets) };
}

/** The requests of the year (without their steps), by organisation and indicator: `${organisation} ${indicatorId}`. */
export async function ambitionRequestsOfYear(db: Db, year: number): Promise<Map<string, Omit<NonNullable<AmbitionItem['request']>, 'events'>>> {
  const requested = (await ambitionTargets(db, year)).filter((t) => t.request_id !== null);
  return new Map(
    requested.map((t) => {
      const { events: _events, ...request } = toItem(t, []).request!;
      return [`${t.organisation_code} ${t.indicator_id}`, request];
    }),
  );
}

export type AmbitionWrite =
  | { action: 'request'; baseVersion: number; comment: string }
  | { action: 'answer'; baseVersion: number; motivation: string }
  | { action: 'accept'; baseVersion: number; comment?: string };

const AMBITION_ACTION_WORDS: Record<AmbitionAction, string> = { request: 'skickas', answer: 'besvaras', accept: 'godtas' };

const ROLE_OF_ACTION: Record<AmbitionAction, 'central' | 'organisation'> = { request: 'central', answer: 'organisation', accept: 'central' };

/**
 * One step of the loop on an organisation's årsmål: the centre sends (or repeats) a request,
 * the organisation answers with a motivation, the centre accepts it. The årsmål row and the
 * request are locked; a base version other than the request's (0: none sent yet) is 409, an
 * action the request's state does not allow is 409 WRONG_STATE, a request on an årsmål that is
 * not below KF's ambition is 422. Every step is recorded with who and when.
 */
export async function actOnAmbition(
  db: Db,
  year: number,
  organisation: string,
  indicatorId: number,
  write: AmbitionWrite,
  actor: Actor,
  rights: Rights,
  options: KeyedWrite = {},
): Promise<{ value: AmbitionItem; replayed: boolean }> {
  if (ROLE_OF_ACTION[write.action] === 'central' && !rights.central) throw forbidden('Endast stadsledningskontoret (rollen central) får göra detta.');
  await requireYear(db, year);
  await requireOrganisation(db, organisation);
  return db.transaction().execute(async (trx) => {
    const [target] = await ambitionTargets(trx, year, { organisation, indicatorId, lock: true });
    if (!target) throw notFound(`Indikatorn ${indicatorId} för ${organisation} ${year}`);
    const request = await lockAmbitionRequest(trx, year, organisation, indicatorId);
    const read = async () => (await itemsOf(trx, await ambitionTargets(trx, year, { organisation, indicatorId })))[0]!;
    return once(trx, actor, options, { ambition: write, year, organisation, indicatorId }, async () => {
      const current = (request?.version ?? 0) === write.baseVersion ? undefined : await read();
      if (current) {
        throw new ApiError('CONFLICT', 'Begäran har ändrats av någon annan sedan du läste den. Inget har sparats.', [
          { indicatorId, field: 'baseVersion', code: 'STALE', message: `Begäran är nu version ${request?.version ?? 0}, inte ${write.baseVersion}.`, current },
        ]);
      }
      const orgTarget = num(target.annual_target);
      const below = isBelowKfAmbition(target.direction, num(target.kf_annual_target), orgTarget);
      const step = ambitionStep(request?.state ?? null, write.action, below);
      if (!step.ok) {
        if (step.code === 'NOT_BELOW_KF_AMBITION') {
          throw new ApiError('VALIDATION_FAILED', 'Årsmålet är inte lägre än KF:s ambition; det finns inget att begära. Inget har sparats.', [
            {
              indicatorId,
              field: 'indicatorId',
              code: 'NOT_BELOW_KF_AMBITION',
              message: `${target.code}: nämndens årsmål ${orgTarget ?? 'saknas'} är inte mindre ambitiöst än KF:s.`,
            },
          ]);
        }
        const state = request ? AMBITION_REQUEST_STATE_LABELS[request.state] : 'inte skickad';
        throw new ApiError('CONFLICT', `Begäran kan inte ${AMBITION_ACTION_WORDS[write.action]} när den är ${state}.`, [
          { indicatorId, field: 'state', code: 'WRONG_STATE', message: `Begärans läge: ${state}.`, current: await read() },
        ]);
      }
      const text = write.action === 'answer' ? write.motivation : (write.comment ?? null);
      const by = { sub: actor.sub, name: actor.name };
      let id: number;
      if (!request) {
        const inserted = await insertAmbitionRequest(trx, {
          year,
          organisation_code: organisation,
          indicator_id: indicatorId,
          state: step.state,
          comment: text!,
          requested_by: by.sub,
          requested_by_name: by.name,
          requested_at: new Date(),
        });
        if (!inserted)
          throw new ApiError('CONFLICT', 'Någon annan skickade en begäran samtidigt. Inget har sparats.', [
            { indicatorId, field: 'baseVersion', code: 'STALE', message: 'Läs begäran igen.' },
          ]);
        id = inserted.id;
      } else {
        id = request.id;
        const now = new Date();
        await updateAmbitionRequests(
          trx,
          [id],
          write.action === 'request'
            ? {
                state: step.state,
                comment: text!,
                requested_by: by.sub,
                requested_by_name: by.name,
                requested_at: now,
                // A new request after a closed one starts over; a repeated one keeps the answer it repeats.
                ...(step.event === 'requested' ? { motivation: null, answered_by: null, answered_by_name: null, answered_at: null } : {}),
                closed_by: null,
                closed_by_name: null,
                closed_at: null,
              }
            : write.action === 'answer'
              ? { state: step.state, motivation: text!, answered_by: by.sub, answered_by_name: by.name, answered_at: now }
              : { state: step.state, closed_by: by.sub, closed_by_name: by.name, closed_at: now },
        );
      }
      await appendAmbitionEvents(trx, [{ request_id: id, action: step.event, state: step.state, text, org_target: orgTarget }], actor);
      return read();
    });
  });
}

/**
 * Closes, as met, every pending request on these årsmål that is no longer below KF's ambition
 * (the organisation raised its årsmål, or followed KF's). Called in the transaction that
 * changed the årsmål, after it holds their rows; the step is the actor's.
 */
export async function closeMetRequests(db: Db, year: number, which: { organisation?: string; indicatorIds?: readonly number[] }, actor: Actor): Promise<void> {
  const ids = which.indicatorIds === undefined ? undefined : new Set(which.indicatorIds);
  const met = (await ambitionTargets(db, year, which.organisation === undefined ? {} : { organisation: which.organisation })).filter(
    (t) =>
      t.request_id !== null &&
      t.state !== null &&
      (ids === undefined || ids.has(t.indicator_id)) &&
      isMetBy(t.state, isBelowKfAmbition(t.direction, num(t.kf_annual_target), num(t.annual_target))),
  );
  if (met.length === 0) return;
  await updateAmbitionRequests(
    db,
    met.map((t) => t.request_id!),
    { state: 'met', closed_by: actor.sub, closed_by_name: actor.name, closed_at: new Date() },
  );
  await appendAmbitionEvents(
    db,
    met.map((t) => ({ request_id: t.request_id!, action: 'met' as const, state: 'met' as const, text: null, org_target: t.annual_target })),
    actor,
  );
}
