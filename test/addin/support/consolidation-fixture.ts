import type { Consolidation, SteeringSignals } from '../../../api/contract/consolidation';

/** A small consolidation: two districts under one inriktningsmål, one deviating assessment with formula-looking text. */
export const HOSTILE_MOTIVATION = '=HYPERLINK("http://x","klick")';

export function consolidation(): Consolidation {
  const counts = (helt: number, delvis: number, ej: number, missing: number) => ({ helt, delvis, ej, missing });
  return {
    year: 2022,
    period: 'T1',
    periodState: 'open',
    organisations: [
      { code: 'sdn-farsta', name: 'Farsta stadsdelsnämnd', kind: 'stadsdelsnamnd', state: 'open', submittedAt: null, counts: counts(1, 1, 0, 0) },
      { code: 'sdn-jarva', name: 'Järva stadsdelsnämnd', kind: 'stadsdelsnamnd', state: 'submitted', submittedAt: '2022-05-10T08:30:00Z', counts: counts(2, 0, 0, 0) },
      { code: 'fn-kultur', name: 'Kulturnämnden', kind: 'facknamnd', state: 'not_started', submittedAt: null, counts: counts(0, 0, 0, 1) },
    ],
    kfGoals: [
      {
        directionGoalCode: '1',
        directionGoalTitle: 'En modern storstad med möjligheter för alla',
        code: '1.1',
        title: 'Stockholm är tryggt',
        indicators: [
          {
            indicatorId: 11,
            code: '1.1.1',
            title: 'Andel trygga',
            unit: '%',
            direction: 'higher',
            kfTarget: 80,
            counts: counts(1, 1, 0, 0),
            results: [
              { organisation: 'sdn-farsta', orgTarget: 75, annualTarget: 75, outcome: 50, forecast: 70, status: 'delvis' },
              { organisation: 'sdn-jarva', orgTarget: null, annualTarget: 80, outcome: null, forecast: 85.5, status: 'helt' },
            ],
          },
          {
            indicatorId: 12,
            code: '1.1.2',
            title: 'Brott per 1 000 invånare',
            unit: 'st',
            direction: 'lower',
            kfTarget: 2.5,
            counts: counts(1, 0, 0, 0),
            results: [{ organisation: 'sdn-jarva', orgTarget: null, annualTarget: 2.5, outcome: null, forecast: 2, status: 'helt' }],
          },
        ],
      },
    ],
    belowKfAmbition: [{ organisation: 'sdn-farsta', indicatorId: 11, code: '1.1.1', title: 'Andel trygga', direction: 'higher', kfTarget: 80, orgTarget: 75 }],
    deviatingAssessments: [
      { organisation: 'sdn-farsta', goalId: 5, goalCode: 'N1', goalTitle: 'Trygg stadsdel', kfGoalCode: '1.1', suggestedAssessment: 'helt', assessment: 'delvis', motivation: HOSTILE_MOTIVATION },
    ],
    notReported: ['fn-kultur', 'sdn-farsta'],
  };
}

export function signals(): SteeringSignals {
  return {
    year: 2022,
    previousYear: 2021,
    kf: { goals: 12, indicators: 16, activities: 0, change: null },
    organisations: [
      { code: 'sdn-farsta', name: 'Farsta stadsdelsnämnd', kind: 'stadsdelsnamnd', goals: 3, indicators: 9, activities: 2, change: { goals: 1, indicators: -1, activities: 0 } },
      { code: 'fn-kultur', name: 'Kulturnämnden', kind: 'facknamnd', goals: 2, indicators: 5, activities: 1, change: null },
    ],
  };
}
