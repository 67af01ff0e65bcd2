import { consolidationSheets } from '../../../core/sheets/consolidation-layout';
import { consolidation, signals } from '../../addin/support/consolidation-fixture';

/** The consolidation's Intern kontroll sheet, pure: the sentence, the matrix in words, one row per organisation. */
test('Intern kontroll: the sentence, the city matrix, each organisation with its assessment and what was not performed or deviated', () => {
  const matrix = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  matrix[2]![3] = 2;
  const c = {
    ...consolidation(),
    period: 'VB' as const,
    internalControl: {
      sentence: 'Alla nämnder utom en bedömer att deras interna kontroll är tillräcklig. Farsta stadsdelsnämnd bedömer den delvis tillräcklig.',
      organisations: [
        {
          organisation: 'sdn-farsta',
          name: 'Farsta stadsdelsnämnd',
          judgement: 'partly' as const,
          motivation: 'En kontroll gjordes inte.',
          risks: 4,
          controls: 3,
          notPerformed: 1,
          deviations: 1,
          missing: 0,
        },
      ],
      notPerformed: [{ organisation: 'sdn-farsta', code: 'K4', checked: 'Behörigheter', reason: 'Systembyte.' }],
      deviations: [{ organisation: 'sdn-farsta', code: 'K3', checked: 'Akter', findings: 'Två akter saknade underlag.', actionTaken: 'Ny checklista.' }],
      matrix,
    },
  };
  const sheet = consolidationSheets(c, signals(), new Date('2023-02-20T10:00:00Z')).find((s) => s.name === 'Intern kontroll')!;
  expect(sheet.titles.slice(1)).toEqual([
    'Alla nämnder utom en bedömer att deras interna kontroll är tillräcklig.',
    'Farsta stadsdelsnämnd bedömer den delvis tillräcklig.',
    'Riskmatris, antal risker i staden per konsekvens 1–4:',
    'Sannolikhet 4: 0 · 0 · 0 · 0',
    'Sannolikhet 3: 0 · 0 · 0 · 2',
    'Sannolikhet 2: 0 · 0 · 0 · 0',
    'Sannolikhet 1: 0 · 0 · 0 · 0',
  ]);
  expect(sheet.rows).toEqual([
    [
      'Farsta stadsdelsnämnd',
      'delvis tillräcklig',
      'En kontroll gjordes inte.',
      4,
      3,
      1,
      1,
      'K4 ej genomförd: Systembyte.\nK3 avvikelse: Två akter saknade underlag. Åtgärd: Ny checklista.',
    ],
  ]);
});
