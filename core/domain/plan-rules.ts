/**
 * The verksamhetsplan's states and KS's ambition loop (DOMAIN.md, "The verksamhetsplan and KS's
 * review"), pure:
 * - a plan is `draft` → `submitted` (by the organisation) → `approved` (by the centre), or back
 *   to `draft` by the centre (from submitted or approved);
 * - årsmål: a draft plan's are the organisation's to change (the centre may too); a submitted
 *   plan's change for nobody until the centre approves it or sends it back; an approved plan's
 *   only through the centre;
 * - an ambition request is `open` (sent or repeated by the centre) → `answered` (the
 *   organisation's motivation) → `accepted` (by the centre) or `open` again (repeated); an open
 *   or answered request is `met` by itself once the årsmål is no longer below KF's.
 */

export type PlanState = 'draft' | 'submitted' | 'approved';
export type PlanAction = 'submit' | 'approve' | 'return';

export type AmbitionRequestState = 'open' | 'answered' | 'met' | 'accepted';
/** What a user does to a request; `met` is what the årsmål does by itself. */
export type AmbitionAction = 'request' | 'answer' | 'accept';
export type AmbitionEvent = 'requested' | 'repeated' | 'answered' | 'accepted' | 'met';

export const PLAN_STATE_LABELS: Record<PlanState, string> = { draft: 'utkast', submitted: 'inskickad', approved: 'godkänd' };
export const AMBITION_REQUEST_STATE_LABELS: Record<AmbitionRequestState, string> = {
  open: 'begärd',
  answered: 'besvarad',
  met: 'höjt årsmål',
  accepted: 'motivering godtagen',
};

const PLAN_TRANSITIONS: Record<PlanAction, { from: readonly PlanState[]; to: PlanState; central: boolean }> = {
  submit: { from: ['draft'], to: 'submitted', central: false },
  approve: { from: ['submitted'], to: 'approved', central: true },
  return: { from: ['submitted', 'approved'], to: 'draft', central: true },
};

/** The state a plan action leads to, or null when the plan's state does not allow it. */
export function nextPlanState(current: PlanState, action: PlanAction): PlanState | null {
  const t = PLAN_TRANSITIONS[action];
  return t.from.includes(current) ? t.to : null;
}

/** Whether only the centre may take the action (the organisation's controllers submit). */
export const planActionNeedsCentral = (action: PlanAction): boolean => PLAN_TRANSITIONS[action].central;

/** Why the plan's årsmål may not be changed by this user now, or null when they may. */
export function targetsClosedReason(state: PlanState, central: boolean): 'PLAN_SUBMITTED' | 'PLAN_APPROVED' | null {
  if (state === 'submitted') return 'PLAN_SUBMITTED';
  if (state === 'approved' && !central) return 'PLAN_APPROVED';
  return null;
}

export const isClosedRequest = (state: AmbitionRequestState): boolean => state === 'met' || state === 'accepted';
/** Waiting on someone: the organisation (open) or the centre (answered). */
export const isPendingRequest = (state: AmbitionRequestState): boolean => !isClosedRequest(state);

export type AmbitionStep = { ok: true; state: AmbitionRequestState; event: AmbitionEvent } | { ok: false; code: 'WRONG_STATE' | 'NOT_BELOW_KF_AMBITION' };

/**
 * What an action does to a request in its current state (null: none sent yet), given whether
 * the årsmål is below KF's ambition now. A request is sent on a less ambitious årsmål only;
 * sent again on an answered one it is repeated; on a closed one (met or accepted) whose
 * årsmål is below KF's again, it is a new request.
 */
export function ambitionStep(current: AmbitionRequestState | null, action: AmbitionAction, belowKfAmbition: boolean): AmbitionStep {
  switch (action) {
    case 'request':
      if (current === 'open') return { ok: false, code: 'WRONG_STATE' };
      if (!belowKfAmbition) return { ok: false, code: 'NOT_BELOW_KF_AMBITION' };
      return { ok: true, state: 'open', event: current === 'answered' ? 'repeated' : 'requested' };
    case 'answer':
      return current === 'open' || current === 'answered' ? { ok: true, state: 'answered', event: 'answered' } : { ok: false, code: 'WRONG_STATE' };
    case 'accept':
      return current === 'answered' ? { ok: true, state: 'accepted', event: 'accepted' } : { ok: false, code: 'WRONG_STATE' };
  }
}

/** A pending request is met by itself once its årsmål is no longer below KF's. */
export const isMetBy = (state: AmbitionRequestState, belowKfAmbition: boolean): boolean => isPendingRequest(state) && !belowKfAmbition;
