import type { Frequency } from '../../../core/contract/common';
import type { ConsolidationGoal } from '../../../core/contract/consolidation';
import { countStatuses, dueCount, forecastAccuracy, forecastTolerance, isDue, rollUpGoals } from '../../../core/domain/consolidation-rules';
import type { Assessment } from '../../../core/domain/rules';

describe('what counts as missing', () => {
  test.each([
    ['T1', 'tertial', true],
    ['T2', 'tertial', true],
    ['VB', 'tertial', true],
    ['T1', 'annual', false],
    ['T2', 'annual', false],
    ['VB', 'annual', true],
  ] as const)('%s, %s indicator: due %s', (period, frequency, due) => {
    expect(isDue(period, frequency)).toBe(due);
  });

  test('an annual indicator without a value at T1/T2 is reported at VB, not missing; with a value it counts by its status', () => {
    // Farsta's nine at T1 in the issue: four tertial (two helt, one delvis, one without a value), five annual.
    const farsta: { frequency: Frequency; status: Assessment | null }[] = [
      { frequency: 'tertial', status: 'helt' },
      { frequency: 'tertial', status: 'helt' },
      { frequency: 'tertial', status: 'delvis' },
      { frequency: 'tertial', status: null },
      ...Array.from({ length: 4 }, () => ({ frequency: 'annual' as const, status: null })),
      { frequency: 'annual', status: 'ej' },
    ];
    const t1 = countStatuses('T1', farsta);
    expect(t1).toEqual({ helt: 2, delvis: 1, ej: 1, missing: 1, notDue: 4 });
    expect(dueCount(t1)).toBe(5);
    expect(countStatuses('VB', farsta)).toEqual({ helt: 2, delvis: 1, ej: 1, missing: 5, notDue: 0 });
  });
});

describe('måluppfyllelse rolled up', () => {
  const goal = (organisation: string, kfGoalCode: string, directionGoalCode: string, assessment: Assessment | null, suggested: Assessment | null): ConsolidationGoal => ({
    organisation,
    goalId: 0,
    goalCode: 'N1',
    goalTitle: 'Nämndmål',
    kfGoalCode,
    directionGoalCode,
    suggestedAssessment: suggested,
    assessment,
    motivation: null,
    indicators: { helt: 1, delvis: 1, ej: 0, missing: 0, notDue: 1 },
  });
  const structure = [
    { directionGoalCode: '1', directionGoalTitle: 'Ett', code: '1.1', title: 'Mål 1.1' },
    { directionGoalCode: '1', directionGoalTitle: 'Ett', code: '1.2', title: 'Mål 1.2' },
    { directionGoalCode: '1', directionGoalTitle: 'Ett', code: '1.3', title: 'Mål 1.3' },
    { directionGoalCode: '2', directionGoalTitle: 'Två', code: '2.1', title: 'Mål 2.1' },
  ];
  const goals = [
    // 1.1: all helt by the nämnder, one delvis by the indicators
    goal('a', '1.1', '1', 'helt', 'helt'),
    goal('b', '1.1', '1', 'helt', 'delvis'),
    // 1.2: 1 helt, 1 delvis, 1 not assessed yet
    goal('a', '1.2', '1', 'helt', 'helt'),
    goal('b', '1.2', '1', 'delvis', 'ej'),
    goal('c', '1.2', '1', null, 'ej'),
    // 2.1: two of three ej → ej
    goal('a', '2.1', '2', 'ej', 'ej'),
    goal('b', '2.1', '2', 'ej', 'ej'),
    goal('c', '2.1', '2', 'helt', 'helt'),
  ];
  const rollup = rollUpGoals(structure, goals);

  test('a KF goal: the nämndmål by the nämnder’s assessment and by Tertial’s suggestion, and the rule on each', () => {
    expect(rollup.kfGoals.map((k) => [k.code, k.assessments, k.suggestedAssessment, k.suggestions, k.suggestedFromIndicators, k.organisations])).toEqual([
      ['1.1', { helt: 2, delvis: 0, ej: 0, missing: 0 }, 'helt', { helt: 1, delvis: 1, ej: 0, missing: 0 }, 'delvis', 2],
      ['1.2', { helt: 1, delvis: 1, ej: 0, missing: 1 }, 'delvis', { helt: 1, delvis: 0, ej: 2, missing: 0 }, 'ej', 3],
      ['1.3', { helt: 0, delvis: 0, ej: 0, missing: 0 }, null, { helt: 0, delvis: 0, ej: 0, missing: 0 }, null, 0],
      ['2.1', { helt: 1, delvis: 0, ej: 2, missing: 0 }, 'ej', { helt: 1, delvis: 0, ej: 2, missing: 0 }, 'ej', 3],
    ]);
    expect(rollup.kfGoals[1]!.indicators).toEqual({ helt: 3, delvis: 3, ej: 0, missing: 0, notDue: 3 });
  });

  test('an inriktningsmål: the rule on its KF goals’ levels (helt + delvis → delvis; a goal without nämndmål left out)', () => {
    expect(rollup.directionGoals.map((d) => [d.code, d.kfGoals, d.suggestedAssessment, d.suggestedFromIndicators, d.assessments, d.organisations])).toEqual([
      ['1', { helt: 1, delvis: 1, ej: 0, missing: 1 }, 'delvis', 'delvis', { helt: 3, delvis: 1, ej: 0, missing: 1 }, 3],
      ['2', { helt: 0, delvis: 0, ej: 1, missing: 0 }, 'ej', 'ej', { helt: 1, delvis: 0, ej: 2, missing: 0 }, 3],
    ]);
  });
});

describe('prognossäkerhet', () => {
  test('the tolerance: a band indicator’s own, else 5 % of the årsmål (of its size, whatever the sign)', () => {
    expect(forecastTolerance('band', 1, 100)).toBe(1);
    expect(forecastTolerance('band', null, 100)).toBeNull();
    expect(forecastTolerance('higher', null, 80)).toBe(4);
    expect(forecastTolerance('lower', 0.5, 2.5)).toBeCloseTo(0.125);
    expect(forecastTolerance('lower', null, -20)).toBe(1);
    expect(forecastTolerance('higher', null, null)).toBeNull();
  });

  test.each([
    [99.3, 100, 1, 'helt'],
    [101, 100, 1, 'helt'], // on the edge
    [98.5, 100, 1, 'delvis'],
    [102, 100, 1, 'delvis'],
    [97.9, 100, 1, 'ej'],
    [5042, 5215, 350, 'helt'],
    [4704, 5215, 350, 'delvis'],
    [null, 100, 1, null],
    [100, null, 1, null],
    [100, 100, null, null],
  ] as const)('forecast %s against outcome %s ± %s: %s', (forecast, outcome, tolerance, expected) => {
    expect(forecastAccuracy(forecast, outcome, tolerance)).toBe(expected);
  });
});
