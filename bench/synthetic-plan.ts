import { PlanDocumentSchema, type PlanDocument } from '../core/contract/plan';

/**
 * A budget year in which one organisation reports on `indicators` KF indicators (100 per KF
 * goal), for measuring and stressing very large reports. The organisation must already exist.
 */
export function syntheticPlan(year: number, organisation: string, indicators: number): PlanDocument {
  const perGoal = 100;
  const goals = Math.ceil(indicators / perGoal);
  return PlanDocumentSchema.parse({
    year,
    directionGoals: [
      {
        code: 'S',
        title: 'Syntetiskt inriktningsmål',
        kfGoals: Array.from({ length: goals }, (_, g) => ({
          code: `S.${g + 1}`,
          title: `Syntetiskt KF-mål ${g + 1}`,
          indicators: Array.from({ length: Math.min(perGoal, indicators - g * perGoal) }, (_, n) => ({
            code: `S.${g + 1}.${n + 1}`,
            title: `Syntetisk indikator ${g + 1}.${n + 1}`,
            unit: 'antal',
            direction: 'higher',
            frequency: 'tertial',
            annualTarget: 100,
            reportedBy: [organisation],
          })),
        })),
      },
    ],
  });
}
