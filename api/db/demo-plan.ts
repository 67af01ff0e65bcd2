import reference from '../../data-seed/reference-budget.json';
import { PlanDocumentSchema, type PlanDocument, type PlanDocumentInput } from '../../core/contract/plan';
import { DEMO_INTERNAL_CONTROL } from './demo-internal-control';

/**
 * The demo year: the reference budget (KF's goals, indicators and targets exactly as given),
 * extended with a plausible picture of who reports on what, each organisation's own goals and
 * a few own årsmål, some of them deliberately less ambitious than KF's, KF activities and a few
 * boards' own, and uppdrag from KF and KS.
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

const DISTRICTS = [
  'sdn-jarva',
  'sdn-norra-innerstaden',
  'sdn-hagersten-alvsjo',
  'sdn-bromma',
  'sdn-hasselby-vallingby',
  'sdn-kungsholmen',
  'sdn-sodermalm',
  'sdn-enskede-arsta-vantor',
  'sdn-skarpnack',
  'sdn-farsta',
  'sdn-skarholmen',
];

type KfActivityInput = NonNullable<PlanDocumentInput['directionGoals'][number]['kfGoals'][number]['activities']>[number];

/** KF activities by KF goal, each reported on by several organisations. */
const KF_ACTIVITIES: Record<string, KfActivityInput[]> = {
  '1.1': [
    {
      code: '1.1.A1',
      title: 'Fler feriejobb för ungdomar i ytterstaden',
      startDate: '2022-03-01',
      endDate: '2022-08-31',
      reportedBy: ['sdn-jarva', 'sdn-farsta', 'sdn-skarholmen', 'sdn-enskede-arsta-vantor', 'fn-arbetsmarknad'],
    },
  ],
  '1.2': [{ code: '1.2.A1', title: 'Trygghetsskapande insatser i samverkan med polisen', reportedBy: DISTRICTS }],
  '1.5': [
    {
      code: '1.5.A1',
      title: 'Införa fast omsorgskontakt i hemtjänsten',
      startDate: '2022-01-01',
      endDate: '2023-06-30',
      reportedBy: ['fn-aldre', 'sdn-farsta', 'sdn-sodermalm', 'sdn-bromma', 'sdn-skarpnack'],
    },
  ],
  '2.5': [
    {
      code: '2.5.A1',
      title: 'Fossilfria arbetsmaskiner och transporter i egen regi',
      endDate: '2022-12-31',
      reportedBy: ['fn-trafik', 'fn-miljo-halsoskydd', 'ab-sisab'],
    },
  ],
  '3.2': [{ code: '3.2.A1', title: 'Heltid som norm i stadens verksamheter', reportedBy: ['sdn-farsta', 'sdn-jarva', 'fn-aldre', 'fn-social', 'fn-utbildning'] }],
};

/** A few boards' own activities, by organisation and the KF goal of the nämndmål they sit under. */
const OWN_ACTIVITIES: Record<string, Record<string, { code: string; title: string; startDate?: string; endDate?: string }[]>> = {
  'sdn-farsta': {
    '1.2': [{ code: 'N2.A1', title: 'Trygghetsvandringar med boende och polis i Farsta centrum', startDate: '2022-02-01', endDate: '2022-11-30' }],
    '3.1': [{ code: 'N3.A1', title: 'Månatlig budgetuppföljning med enhetscheferna' }],
  },
  'sdn-jarva': { '1.1': [{ code: 'N1.A1', title: 'Uppsökande arbete bland unga vuxna utan sysselsättning', startDate: '2022-01-15' }] },
  'fn-aldre': { '1.5': [{ code: 'N1.A1', title: 'Kompetenslyft i demensvård för undersköterskor', endDate: '2022-12-31' }] },
};

/**
 * Uppdrag: one given the year before that runs into the demo year (reported back in it), one
 * given to several organisations that runs into the next year, and one from KS.
 */
const COMMISSIONS: NonNullable<PlanDocumentInput['commissions']> = [
  {
    code: 'KF-2021-14',
    title: 'Utreda en gemensam organisation för hemtjänst nattetid',
    givenBy: 'KF',
    yearGiven: 2021,
    deadline: '2022-10-31',
    responsible: 'fn-aldre',
    participants: ['sdn-farsta', 'sdn-skarpnack'],
  },
  {
    code: 'KF-2022-03',
    title: 'Ta fram en stadsövergripande plan för fler bostäder för äldre',
    givenBy: 'KF',
    yearGiven: 2022,
    deadline: '2023-03-31',
    responsible: 'fn-stadsbyggnad',
    participants: ['fn-aldre', 'fn-exploatering', 'ab-micasa'],
  },
  {
    code: 'KS-2022-07',
    title: 'Samordna trygghetsskapande åtgärder i Farsta och Skärholmen',
    givenBy: 'KS',
    yearGiven: 2022,
    deadline: '2022-12-31',
    responsible: 'sdn-farsta',
    participants: ['sdn-skarholmen', 'fn-social'],
  },
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
        activities: OWN_ACTIVITIES[org.code]?.[kfGoal] ?? [],
      }),
    );
  }
  const directionGoals = input.directionGoals.map((dg) => ({
    ...dg,
    kfGoals: dg.kfGoals.map((g) => ({
      ...g,
      indicators: (g.indicators ?? []).map((i) => ({ ...i, reportedBy: reporters.get(i.code) ?? [] })),
      activities: KF_ACTIVITIES[g.code] ?? [],
    })),
  }));
  return PlanDocumentSchema.parse({
    ...input,
    directionGoals,
    organisationGoals,
    organisationTargets: OWN_TARGETS,
    commissions: COMMISSIONS,
    internalControl: DEMO_INTERNAL_CONTROL,
  });
}

/** A date one year earlier (YYYY-MM-DD). */
const yearBefore = (date: string | null | undefined) => (date ? `${Number(date.slice(0, 4)) - 1}${date.slice(4)}` : date);

/**
 * The year before the demo year, so the demo has a full earlier year to compare with (last
 * year's outcome, forecast accuracy, trends, activities carried out over the year): the same
 * goals, indicators, reporters, nämndmål, own årsmål and activities (their dates a year earlier),
 * without uppdrag (those are the demo year's).
 */
export function earlierYearPlanDocument(): PlanDocument {
  const doc = demoPlanDocument();
  const earlier = <A extends { startDate?: string | null; endDate?: string | null }>(a: A): A => ({ ...a, startDate: yearBefore(a.startDate), endDate: yearBefore(a.endDate) });
  return PlanDocumentSchema.parse({
    ...doc,
    year: doc.year - 1,
    directionGoals: doc.directionGoals.map((dg) => ({ ...dg, kfGoals: dg.kfGoals.map((g) => ({ ...g, activities: g.activities?.map(earlier) })) })),
    organisationGoals: doc.organisationGoals.map((g) => ({ ...g, activities: g.activities?.map(earlier) })),
    commissions: [],
  });
}
