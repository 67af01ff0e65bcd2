import reference from '../../data-seed/reference-budget.json';
import { PlanDocumentSchema, type PlanDocument, type PlanDocumentInput } from '../contract/plan';

/**
 * The demo year: the reference budget (KF's goals, indicators and targets exactly as given),
 * extended with a plausible picture of who reports on what, each organisation's own goals and
 * a few own årsmål, some of them deliberately less ambitious than KF's.
 */
const ECONOMY_FOR_ALL = ['3.1.1', '3.2.1'];
const ECONOMY_FOR_BOARDS = ['3.1.2', '3.2.2'];
const DISTRICT = ['1.1.1', '1.2.1', '1.5.1', '1.5.2', '1.5.3'];

const SPECIALIST: Record<string, string[]> = {
  'fn-arbetsmarknad': ['1.1.1'],
  'fn-social': ['1.1.1', '1.2.1'],
  'fn-utbildning': ['1.3.1', '1.3.2'],
  'fn-aldre': ['1.5.1', '1.5.2', '1.5.3'],
  'fn-stadsbyggnad': ['2.1.1', '2.2.1'],
  'fn-exploatering': ['2.2.1'],
  'fn-miljo-halsoskydd': ['2.1.1', '2.5.1', '2.5.2'],
  'fn-trafik': ['2.5.1'],
  'fn-kultur': ['2.4.1'],
  'fn-idrott': ['1.2.1'],
  'ab-svenska-bostader': ['2.2.1'],
  'ab-familjebostader': ['2.2.1'],
  'ab-stockholmshem': ['2.2.1'],
  'ab-micasa': ['1.5.2'],
  'ab-sisab': ['2.5.1'],
};

/** A board's own wording of a KF goal, as its verksamhetsplan would put it. */
const GOAL_WORDING: Record<string, string> = {
  '1.1': 'Fler invånare blir självförsörjande genom arbete eller studier',
  '1.2': 'Invånarna känner sig trygga i sin närmiljö',
  '1.3': 'Alla elever når kunskapsmålen och är behöriga till gymnasiet',
  '1.5': 'Äldre får en trygg och individanpassad omsorg med hög kvalitet',
  '2.1': 'Företagare får snabb och rättssäker service',
  '2.2': 'Bostadsbyggandet ökar i takt med stadens behov',
  '2.4': 'Kulturutbudet når fler invånare i hela staden',
  '2.5': 'Verksamheten minskar sin klimatpåverkan',
  '3.1': 'Verksamheten bedrivs inom given budget',
  '3.2': 'Medarbetarna har en god och hälsosam arbetsmiljö',
};

const OWN_TARGETS: { organisation: string; indicator: string; annualTarget: number }[] = [
  { organisation: 'sdn-jarva', indicator: '1.1.1', annualTarget: 4.0 },
  { organisation: 'sdn-skarholmen', indicator: '1.1.1', annualTarget: 3.5 },
  { organisation: 'sdn-farsta', indicator: '1.5.3', annualTarget: 50 },
  { organisation: 'sdn-bromma', indicator: '3.2.1', annualTarget: 6.0 },
  { organisation: 'sdn-sodermalm', indicator: '1.5.1', annualTarget: 87 },
  { organisation: 'fn-utbildning', indicator: '1.3.1', annualTarget: 85 },
  { organisation: 'fn-kultur', indicator: '2.4.1', annualTarget: 4200000 },
  { organisation: 'fn-aldre', indicator: '1.5.3', annualTarget: 75 },
  { organisation: 'fn-trafik', indicator: '3.2.1', annualTarget: 6.5 },
];

function indicatorsOf(org: { code: string; kind: string }): string[] {
  const own = org.kind === 'stadsdelsnamnd' ? DISTRICT : (SPECIALIST[org.code] ?? []);
  const economy = org.kind === 'bolag' ? ECONOMY_FOR_ALL : [...ECONOMY_FOR_ALL, ...ECONOMY_FOR_BOARDS];
  return [...own, ...economy];
}

const kfGoalOf = (indicatorCode: string) => indicatorCode.split('.').slice(0, 2).join('.');

export function demoPlanDocument(): PlanDocument {
  const input = reference as unknown as PlanDocumentInput;
  const reporters = new Map<string, string[]>();
  const organisationGoals: PlanDocumentInput['organisationGoals'] = [];
  for (const org of input.organisations ?? []) {
    const codes = indicatorsOf(org);
    codes.forEach((code) => reporters.set(code, [...(reporters.get(code) ?? []), org.code]));
    const kfGoals = [...new Set(codes.map(kfGoalOf))];
    const limit = org.kind === 'stadsdelsnamnd' ? 3 : 2;
    // The first goals the board works on, and always the budget goal.
    const chosen = [...kfGoals.filter((g) => g !== '3.1').slice(0, limit - 1), '3.1'];
    chosen.forEach((kfGoal, n) =>
      organisationGoals!.push({
        organisation: org.code,
        kfGoal,
        code: `N${n + 1}`,
        title: GOAL_WORDING[kfGoal] ?? `Nämndens mål under KF-mål ${kfGoal}`,
        activities: [],
      }),
    );
  }
  const directionGoals = input.directionGoals.map((dg) => ({
    ...dg,
    kfGoals: dg.kfGoals.map((g) => ({
      ...g,
      indicators: (g.indicators ?? []).map((i) => ({ ...i, reportedBy: reporters.get(i.code) ?? [] })),
    })),
  }));
  return PlanDocumentSchema.parse({ ...input, directionGoals, organisationGoals, organisationTargets: OWN_TARGETS });
}
