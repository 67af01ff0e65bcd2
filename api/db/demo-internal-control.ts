import type { PlanDocumentInput } from '../../core/contract/plan';

type InternalControlInput = NonNullable<PlanDocumentInput['internalControl']>;

/**
 * The demo's intern kontroll: a väsentlighets- och riskanalys and internkontrollplan for three
 * organisations, in the words such plans use (DOMAIN.md, "Internal control"). The same analysis
 * stands in the demo year and the year before it.
 */
type Control = NonNullable<InternalControlInput[number]['risks'][number]['controls']>[number];
const control = (code: string, checked: string, method: string, frequency: string, responsible: string, reportingPeriods: Control['reportingPeriods'] = ['T2', 'VB']): Control => ({
  code,
  checked,
  method,
  frequency,
  responsible,
  reportingPeriods,
});

export const DEMO_INTERNAL_CONTROL: InternalControlInput = [
  {
    organisation: 'sdn-hagersten-alvsjo',
    risks: [
      {
        code: 'R1',
        process: 'Inköp och upphandling',
        description: 'Inköp görs utanför gällande avtal eller utan beställning från behörig person.',
        probability: 3,
        consequence: 3,
        decision: 'control',
        controls: [
          control('K1', 'Att inköp görs från avtalade leverantörer', 'Stickprov om 25 leverantörsfakturor', 'två gånger per år', 'Administrativ chef'),
          control('K2', 'Att attest sker enligt attestordningen', 'Genomgång av attestlistor mot beslutade attestanter', 'en gång per år', 'Ekonomichef', ['VB']),
        ],
      },
      {
        code: 'R2',
        process: 'Ekonomiskt bistånd',
        description: 'Utbetalning av ekonomiskt bistånd sker utan fullständigt beslutsunderlag.',
        probability: 2,
        consequence: 4,
        decision: 'control',
        controls: [
          control(
            'K3',
            'Att beslut om ekonomiskt bistånd har fullständigt underlag',
            'Granskning av 20 slumpvis valda akter',
            'två gånger per år',
            'Enhetschef ekonomiskt bistånd',
          ),
        ],
      },
      {
        code: 'R3',
        process: 'Kompetensförsörjning',
        description: 'Svårt att rekrytera och behålla socialsekreterare ger hög personalomsättning.',
        probability: 4,
        consequence: 3,
        decision: 'act',
        action: 'Introduktionsprogram och mentorskap för nyanställda socialsekreterare.',
      },
      {
        code: 'R4',
        process: 'Informationssäkerhet',
        description: 'Behörigheter i verksamhetssystemen tas inte bort när medarbetare slutar.',
        probability: 2,
        consequence: 3,
        decision: 'control',
        controls: [
          control('K4', 'Att behörigheter avslutas när anställningen upphör', 'Avstämning av behörighetslistor mot avslutade anställningar', 'en gång per år', 'Systemförvaltare', [
            'VB',
          ]),
        ],
      },
      {
        code: 'R5',
        process: 'Lokaler',
        description: 'Felanmälningar till fastighetsägaren åtgärdas sent.',
        probability: 2,
        consequence: 1,
        decision: 'accept',
      },
    ],
  },
  {
    organisation: 'fn-aldre',
    risks: [
      {
        code: 'R1',
        process: 'Avgifter inom äldreomsorgen',
        description: 'Omsorgsavgifter debiteras felaktigt när inkomstuppgifter inte uppdateras.',
        probability: 3,
        consequence: 2,
        decision: 'control',
        controls: [control('K1', 'Att avgiftsbeslut bygger på aktuella inkomstuppgifter', 'Stickprov om 30 avgiftsbeslut', 'två gånger per år', 'Avgiftshandläggare')],
      },
      {
        code: 'R2',
        process: 'Läkemedelshantering',
        description: 'Läkemedel ges utan signering på vård- och omsorgsboenden.',
        probability: 2,
        consequence: 4,
        decision: 'control',
        controls: [control('K2', 'Att läkemedelsgivning signeras', 'Egenkontroll av signeringslistor på fyra boenden', 'två gånger per år', 'Medicinskt ansvarig sjuksköterska')],
      },
      {
        code: 'R3',
        process: 'Bemanning',
        description: 'Hög andel timanställda försämrar kontinuiteten i hemtjänsten.',
        probability: 3,
        consequence: 3,
        decision: 'act',
        action: 'Fler tillsvidareanställningar och en bemanningsenhet för korttidsfrånvaro.',
      },
    ],
  },
  {
    organisation: 'fn-utbildning',
    risks: [
      {
        code: 'R1',
        process: 'Skolpeng',
        description: 'Ersättning betalas ut för elever som inte är folkbokförda i kommunen.',
        probability: 2,
        consequence: 3,
        decision: 'control',
        controls: [control('K1', 'Att skolpeng betalas för folkbokförda elever', 'Avstämning av elevregister mot folkbokföring', 'två gånger per år', 'Controller skolpeng')],
      },
      {
        code: 'R2',
        process: 'Kränkande behandling',
        description: 'Anmälningar om kränkande behandling utreds inte skyndsamt.',
        probability: 3,
        consequence: 4,
        decision: 'control',
        controls: [control('K2', 'Att anmälningar utreds inom fastställd tid', 'Genomgång av anmälningsregistret', 'två gånger per år', 'Avdelningschef grundskola')],
      },
      {
        code: 'R3',
        process: 'Direktupphandling',
        description: 'Direktupphandlingar över gränsvärdet dokumenteras inte.',
        probability: 2,
        consequence: 2,
        decision: 'control',
        controls: [control('K3', 'Att direktupphandlingar över 100 000 kronor dokumenteras', 'Stickprov i ekonomisystemet', 'en gång per år', 'Upphandlingsansvarig', ['VB'])],
      },
    ],
  },
];
