/**
 * Intern kontroll in the plan (`ic_risk`, `ic_control`; migration 0006): an organisation's risks
 * of a year and the controls on them, each identified by its code within the organisation and
 * year. A plan import merges them by code and deletes nothing (a later year's follow-up hangs
 * on the rows); a control listed under another risk moves there.
 */
import { sql, type Kysely } from 'kysely';
import type { PlanInternalControl, PlanInternalControlInput } from '../../core/contract/internal-control';
import { compareCodes } from '../../core/domain/codes';
import { riskLevel, riskMatrix, riskValue } from '../../core/domain/internal-control-rules';
import type { Database } from './schema';

type Db = Kysely<Database>;

/** Merges one organisation's risks and controls of a year. Returns how many of each were written. */
export async function upsertInternalControl(db: Db, year: number, plan: PlanInternalControlInput): Promise<{ risks: number; controls: number }> {
  let controls = 0;
  for (const risk of plan.risks) {
    const values = {
      process: risk.process,
      description: risk.description,
      probability: risk.probability,
      consequence: risk.consequence,
      decision: risk.decision,
      action: risk.action ?? null,
    };
    const { id: riskId } = await db
      .insertInto('ic_risk')
      .values({ year, organisation_code: plan.organisation, code: risk.code, ...values })
      .onConflict((oc) => oc.columns(['year', 'organisation_code', 'code']).doUpdateSet(values))
      .returning('id')
      .executeTakeFirstOrThrow();
    if (risk.controls.length === 0) continue;
    const rows = risk.controls.map((c) => ({
      risk_id: riskId,
      year,
      organisation_code: plan.organisation,
      code: c.code,
      checked: c.checked,
      method: c.method,
      frequency: c.frequency,
      responsible: c.responsible,
      reporting_periods: sql<('T2' | 'VB')[]>`${[...c.reportingPeriods].sort()}::text[]`,
    }));
    await db
      .insertInto('ic_control')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['year', 'organisation_code', 'code']).doUpdateSet((eb) => ({
          risk_id: eb.ref('excluded.risk_id'),
          checked: eb.ref('excluded.checked'),
          method: eb.ref('excluded.method'),
          frequency: eb.ref('excluded.frequency'),
          responsible: eb.ref('excluded.responsible'),
          reporting_periods: eb.ref('excluded.reporting_periods'),
        })),
      )
      .execute();
    controls += rows.length;
  }
  return { risks: plan.risks.length, controls };
}

/** An organisation's risks of a year with their controls, by code, and the matrix of their counts. */
export async function internalControlOf(db: Db, year: number, organisation: string): Promise<PlanInternalControl> {
  const [risks, controls] = await Promise.all([
    db.selectFrom('ic_risk').selectAll().where('year', '=', year).where('organisation_code', '=', organisation).execute(),
    db.selectFrom('ic_control').selectAll().where('year', '=', year).where('organisation_code', '=', organisation).execute(),
  ]);
  risks.sort((a, b) => compareCodes(a.code, b.code));
  controls.sort((a, b) => compareCodes(a.code, b.code));
  return {
    risks: risks.map((r) => {
      const value = riskValue(r.probability, r.consequence);
      return {
        id: r.id,
        code: r.code,
        process: r.process,
        description: r.description,
        probability: r.probability,
        consequence: r.consequence,
        riskValue: value,
        riskLevel: riskLevel(value),
        decision: r.decision,
        action: r.action,
        controls: controls
          .filter((c) => c.risk_id === r.id)
          .map((c) => ({
            id: c.id,
            code: c.code,
            checked: c.checked,
            method: c.method,
            frequency: c.frequency,
            responsible: c.responsible,
            reportingPeriods: parseTextArray(c.reporting_periods) as ('T2' | 'VB')[],
          })),
      };
    }),
    matrix: riskMatrix(risks),
  };
}

/** A text[] as pg gives it (an array) or as some drivers give it ('{T2,VB}'). */
function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  const text = String(value);
  return text === '{}' ? [] : text.replace(/^\{|\}$/g, '').split(',');
}
