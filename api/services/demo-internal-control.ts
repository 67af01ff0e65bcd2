import type { Kysely } from 'kysely';
import type { ControlPerformed, ControlResult, InternalControlJudgement } from '../../core/contract/internal-control';
import { ensureInternalControlRows } from '../db/internal-control-queries';
import type { Database } from '../db/schema';

/**
 * The demo's earlier year followed up its intern kontroll (api/db/demo-internal-control.ts) at
 * T2 and VB: most controls performed without deviation, some with deviations and the action
 * taken, a few not performed with the reason; Hägersten-Älvsjö judges its internal control partly
 * sufficient, the others sufficient. Written straight into the year's reports (version 1, by
 * the demo actor, when the report was handed in), as the rest of that year is.
 */
type Followup = { performed: ControlPerformed; result?: ControlResult; findings?: string; actionTaken?: string; reason?: string };

const FOLLOWUPS: Record<string, Partial<Record<'T2' | 'VB', Record<string, Followup>>>> = {
  'sdn-hagersten-alvsjo': {
    T2: {
      K1: {
        performed: 'yes',
        result: 'deviation',
        findings: 'Fyra av 25 fakturor avsåg inköp från leverantörer utan avtal.',
        actionTaken: 'Beställarna har påmints om avtalskatalogen; kontrollen görs om till verksamhetsberättelsen.',
      },
      K3: { performed: 'no', reason: 'Enheten saknade chef under våren; kontrollen flyttades till hösten.' },
    },
    VB: {
      K1: { performed: 'yes', result: 'no_deviation', findings: 'Samtliga 25 fakturor avsåg avtalade leverantörer.' },
      K2: { performed: 'yes', result: 'no_deviation' },
      K3: {
        performed: 'yes',
        result: 'deviation',
        findings: 'Två av 20 akter saknade hyreskontrakt som underlag.',
        actionTaken: 'Checklistan för beslutsunderlag är uppdaterad och genomgången med handläggarna.',
      },
      K4: { performed: 'no', reason: 'Behörighetslistor kunde inte tas ut ur det nya verksamhetssystemet före årsskiftet.' },
    },
  },
  'fn-aldre': {
    T2: {
      K1: { performed: 'yes', result: 'no_deviation' },
      K2: {
        performed: 'yes',
        result: 'deviation',
        findings: 'Osignerade läkemedelsgivningar på ett av fyra boenden.',
        actionTaken: 'Boendet har gått igenom rutinen; uppföljning av MAS efter tre månader.',
      },
    },
    VB: {
      K1: { performed: 'yes', result: 'no_deviation' },
      K2: { performed: 'yes', result: 'no_deviation', findings: 'Signeringen fungerar nu på alla fyra boenden.' },
    },
  },
  'fn-utbildning': {
    T2: { K1: { performed: 'yes', result: 'no_deviation' }, K2: { performed: 'yes', result: 'no_deviation' } },
    VB: {
      K1: { performed: 'yes', result: 'no_deviation' },
      K2: {
        performed: 'yes',
        result: 'deviation',
        findings: 'Sju av 40 anmälningar utreddes inte inom fastställd tid.',
        actionTaken: 'Rektorerna får en månatlig lista över öppna anmälningar.',
      },
      K3: { performed: 'yes', result: 'no_deviation' },
    },
  },
};

const JUDGEMENTS: Record<string, { judgement: InternalControlJudgement; motivation: string | null }> = {
  'sdn-hagersten-alvsjo': {
    judgement: 'partly',
    motivation: 'En planerad kontroll av behörigheter kunde inte genomföras och två kontroller visade avvikelser; åtgärderna följs upp under nästa år.',
  },
  'fn-aldre': { judgement: 'sufficient', motivation: null },
  'fn-utbildning': { judgement: 'sufficient', motivation: null },
};

export async function seedDemoInternalControlFollowup(db: Kysely<Database>, year: number, actor: { sub: string; name: string }): Promise<void> {
  for (const [organisation, periods] of Object.entries(FOLLOWUPS)) {
    for (const period of ['T2', 'VB'] as const) {
      const report = await db
        .selectFrom('report')
        .select(['id', 'submitted_at'])
        .where('year', '=', year)
        .where('period', '=', period)
        .where('organisation_code', '=', organisation)
        .executeTakeFirst();
      if (!report) continue;
      await ensureInternalControlRows(db, report.id, { organisation, year, period });
      const changed = { version: 1, changed_by: actor.sub, changed_by_name: actor.name, changed_at: report.submitted_at ?? new Date(`${year}-12-31T12:00:00Z`) };
      const controls = await db.selectFrom('ic_control').select(['id', 'code']).where('year', '=', year).where('organisation_code', '=', organisation).execute();
      for (const c of controls) {
        const f = periods[period]?.[c.code];
        if (!f) continue;
        await db
          .updateTable('control_followup')
          .set({ performed: f.performed, result: f.result ?? null, findings: f.findings ?? null, action_taken: f.actionTaken ?? null, reason: f.reason ?? null, ...changed })
          .where('report_id', '=', report.id)
          .where('control_id', '=', c.id)
          .execute();
      }
      if (period === 'VB') {
        await db
          .updateTable('ic_assessment')
          .set({ ...JUDGEMENTS[organisation]!, ...changed })
          .where('report_id', '=', report.id)
          .execute();
      }
    }
  }
}
