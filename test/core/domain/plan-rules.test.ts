import {
  ambitionStep,
  isMetBy,
  nextPlanState,
  targetsClosedReason,
  type AmbitionAction,
  type AmbitionRequestState,
  type PlanAction,
  type PlanState,
} from '../../../core/domain/plan-rules';

const PLAN_STATES: PlanState[] = ['draft', 'submitted', 'approved'];

test.each<[PlanAction, PlanState, PlanState | null]>([
  ['submit', 'draft', 'submitted'],
  ['submit', 'submitted', null],
  ['submit', 'approved', null],
  ['approve', 'draft', null],
  ['approve', 'submitted', 'approved'],
  ['approve', 'approved', null],
  ['return', 'draft', null],
  ['return', 'submitted', 'draft'],
  ['return', 'approved', 'draft'],
])('plan: %s from %s → %s', (action, from, to) => {
  expect(nextPlanState(from, action)).toBe(to);
});

test('årsmål: a draft’s change for both, a submitted plan’s for nobody, an approved plan’s for the centre only', () => {
  expect(PLAN_STATES.map((s) => [s, targetsClosedReason(s, false), targetsClosedReason(s, true)])).toEqual([
    ['draft', null, null],
    ['submitted', 'PLAN_SUBMITTED', 'PLAN_SUBMITTED'],
    ['approved', 'PLAN_APPROVED', null],
  ]);
});

const current: Array<AmbitionRequestState | null> = [null, 'open', 'answered', 'met', 'accepted'];
test.each<[AmbitionAction, boolean, Array<string>]>([
  // One outcome per current state, in the order of `current`.
  ['request', true, ['open requested', 'WRONG_STATE', 'open repeated', 'open requested', 'open requested']],
  ['request', false, ['NOT_BELOW_KF_AMBITION', 'WRONG_STATE', 'NOT_BELOW_KF_AMBITION', 'NOT_BELOW_KF_AMBITION', 'NOT_BELOW_KF_AMBITION']],
  ['answer', true, ['WRONG_STATE', 'answered answered', 'answered answered', 'WRONG_STATE', 'WRONG_STATE']],
  ['accept', true, ['WRONG_STATE', 'WRONG_STATE', 'accepted accepted', 'WRONG_STATE', 'WRONG_STATE']],
])('ambition request: %s (below KF’s: %s) from none, open, answered, met, accepted', (action, below, outcomes) => {
  expect(current.map((c) => ambitionStep(c, action, below)).map((s) => (s.ok ? `${s.state} ${s.event}` : s.code))).toEqual(outcomes);
});

test('a pending request is met once its årsmål is no longer below KF’s; a closed one stays as it is', () => {
  expect((['open', 'answered', 'met', 'accepted'] as const).map((s) => [isMetBy(s, false), isMetBy(s, true)])).toEqual([
    [true, false],
    [true, false],
    [false, false],
    [false, false],
  ]);
});
