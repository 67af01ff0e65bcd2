import { activitiesOfGoal, countActivities, goalEvidence, missingComment } from '../../../core/domain/followup-rules';
import type { ActivityState } from '../../../core/contract/followup';
import type { PeriodCode } from '../../../core/domain/rules';

describe('the comment an activity needs', () => {
  const cases: [PeriodCode, ActivityState | null, boolean][] = [
    ['T1', 'cancelled', true],
    ['T2', 'cancelled', true],
    ['VB', 'cancelled', true],
    ['T1', 'not_started', false],
    ['T1', 'ongoing', false],
    ['T1', 'done', false],
    ['VB', 'not_started', true],
    ['VB', 'ongoing', true],
    ['VB', 'done', false],
    ['VB', null, false], // no state yet: submit asks for the state first
  ];
  test.each(cases)('at %s, %s without a comment: required %s', (period, state, required) => {
    const message = missingComment(period, { state, comment: null });
    expect(message !== null).toBe(required);
    if (message) expect(message).toMatch(/^Kommentar: krävs/);
  });
  test('a comment given satisfies every case', () => {
    for (const [period, state] of cases) expect(missingComment(period, { state, comment: 'Därför.' })).toBeNull();
  });
  test('at VB the message names the state in Swedish', () => {
    expect(missingComment('VB', { state: 'ongoing', comment: null })).toContain('pågår');
  });
});

describe("a goal's evidence", () => {
  const goal = { goalId: 10, kfGoalId: 1 };
  const indicator = (kfGoalId: number | null, orgGoalId: number | null, status: 'helt' | 'delvis' | 'ej' | null, frequency: 'tertial' | 'annual' = 'tertial') => ({
    indicatorId: 0,
    direction: 'higher' as const,
    tolerance: null,
    annualTarget: 1,
    partialThresholdPercent: 80,
    outcome: null,
    forecast: null,
    kfGoalId,
    orgGoalId,
    status,
    frequency,
  });
  const activities = [
    { owner: 'kf' as const, goalId: null, kfGoalId: 1, state: 'done' as const },
    { owner: 'kf' as const, goalId: null, kfGoalId: 1, state: null },
    { owner: 'kf' as const, goalId: null, kfGoalId: 2, state: 'done' as const }, // another KF goal
    { owner: 'organisation' as const, goalId: 10, kfGoalId: 1, state: 'cancelled' as const },
    { owner: 'organisation' as const, goalId: 11, kfGoalId: 1, state: 'ongoing' as const }, // a sibling nämndmål under the same KF goal
    { owner: 'organisation' as const, goalId: 10, kfGoalId: 1, state: 'not_started' as const },
  ];

  test('activities: KF ones of its KF goal and its own, not a sibling goal’s', () => {
    expect(activitiesOfGoal(goal, activities)).toEqual([activities[0], activities[1], activities[3], activities[5]]);
  });

  test('counts indicators by status and activities by state', () => {
    const indicators = [
      indicator(1, null, 'helt'),
      indicator(1, null, 'ej'),
      indicator(null, 10, 'delvis'),
      indicator(null, 10, null),
      indicator(2, null, 'ej'),
      indicator(null, 11, 'helt'),
    ];
    expect(goalEvidence('T2', goal, indicators, activities)).toEqual({
      indicators: { helt: 1, delvis: 1, ej: 1, missing: 1, notDue: 0 },
      activities: { done: 1, ongoing: 0, notStarted: 1, cancelled: 1, missing: 1 },
    });
  });

  test('an annual indicator without a value is reported at VB before then, and missing at VB', () => {
    const indicators = [indicator(1, null, 'helt', 'annual'), indicator(1, null, null, 'annual'), indicator(null, 10, null, 'tertial')];
    expect(goalEvidence('T1', goal, indicators, []).indicators).toEqual({ helt: 1, delvis: 0, ej: 0, missing: 1, notDue: 1 });
    expect(goalEvidence('T2', goal, indicators, []).indicators).toEqual({ helt: 1, delvis: 0, ej: 0, missing: 1, notDue: 1 });
    expect(goalEvidence('VB', goal, indicators, []).indicators).toEqual({ helt: 1, delvis: 0, ej: 0, missing: 2, notDue: 0 });
  });

  test('counting states', () => {
    expect(countActivities(['ongoing', 'ongoing', 'done', null])).toEqual({ done: 1, ongoing: 2, notStarted: 0, cancelled: 0, missing: 1 });
  });
});
