/**
 * Intern kontroll in the plan (`ic_risk`, `ic_control`; migration 0006): an organisation's risks
 * of a year and the controls on them, each identified by its code within the organisation and
 * year. A plan import merges them by code and deletes nothing (a later year's follow-up hangs
 * on the rows); a control listed under another risk moves there.
 */
import { sql, type Kysely } from 'kysely';
import type { PlanInternalControl, PlanInternalControlInput, ReportControl, ReportInternalControl } from '../../core/contract/internal-control';
import { compareCodes } from '../../core/domain/codes';
import { riskLevel, riskMatrix, riskValue } from '../../core/domain/internal-control-rules';
import type { RowValues } from '../../core/rows/row-kind';
import { CONTROL_FOLLOWUPS, INTERNAL_CONTROL_ASSESSMENTS } from '../../core/rows/report-rows';
import type { Database } from './schema';
import { iso } from './values';
import { fieldsFromDb, selectFields } from './versioned-rows';

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

// --- in reports: the controls' follow-up (T2, VB) and the VB assessment ----------------------------

export interface ReportPlace {
  organisation: string;
  year: number;
  period: 'T1' | 'T2' | 'VB';
}

/** Creates the report's missing rows (version 0): a follow-up row per control reported in its period, and at VB the assessment. */
export async function ensureInternalControlRows(db: Db, reportId: number, place: ReportPlace): Promise<void> {
  if (place.period === 'T1') return;
  await db
    .insertInto('control_followup')
    .columns(['report_id', 'control_id'])
    .expression(
      db
        .selectFrom('ic_control as c')
        .select([sql.lit(reportId).as('report_id'), 'c.id'])
        .where('c.organisation_code', '=', place.organisation)
        .where('c.year', '=', place.year)
        .where(sql<boolean>`${place.period} = any(c.reporting_periods)`),
    )
    .onConflict((oc) => oc.columns(['report_id', 'control_id']).doNothing())
    .execute();
  if (place.period === 'VB') {
    await db
      .insertInto('ic_assessment')
      .values({ report_id: reportId })
      .onConflict((oc) => oc.column('report_id').doNothing())
      .execute();
  }
}

export async function loadControlFollowups(db: Db, reportId: number): Promise<ReportControl[]> {
  const rows = await db
    .selectFrom('control_followup as f')
    .innerJoin('ic_control as c', 'c.id', 'f.control_id')
    .innerJoin('ic_risk as r', 'r.id', 'c.risk_id')
    .select([
      'c.id as controlId',
      'c.code',
      'c.checked',
      'c.method',
      'c.frequency',
      'c.responsible',
      'c.reporting_periods',
      'r.code as riskCode',
      'r.process as riskProcess',
      'r.description as riskDescription',
      'r.probability',
      'r.consequence',
      ...selectFields(CONTROL_FOLLOWUPS, 'f'),
      'f.version',
      sql<string | null>`coalesce(f.changed_by_name, f.changed_by)`.as('changedBy'),
      'f.changed_at',
    ])
    .where('f.report_id', '=', reportId)
    .execute();
  return rows
    .map((r): ReportControl => ({
      controlId: r.controlId,
      code: r.code,
      checked: r.checked,
      method: r.method,
      frequency: r.frequency,
      responsible: r.responsible,
      reportingPeriods: parseTextArray(r.reporting_periods) as ('T2' | 'VB')[],
      riskCode: r.riskCode,
      riskProcess: r.riskProcess,
      riskDescription: r.riskDescription,
      riskValue: riskValue(r.probability, r.consequence),
      ...(fieldsFromDb(CONTROL_FOLLOWUPS, r) as RowValues<typeof CONTROL_FOLLOWUPS>),
      version: r.version,
      changedBy: r.changedBy,
      changedAt: iso(r.changed_at),
    }))
    .sort((a, b) => compareCodes(a.riskCode, b.riskCode) || compareCodes(a.code, b.code));
}

/** The VB's assessment row (none at T1 and T2), with the counts of the VB's control follow-up beside it. */
export async function loadInternalControlAssessment(db: Db, reportId: number, controls: readonly ReportControl[]): Promise<ReportInternalControl[]> {
  const rows = await db
    .selectFrom('ic_assessment as f')
    .select([
      'f.report_id as reportId',
      ...selectFields(INTERNAL_CONTROL_ASSESSMENTS, 'f'),
      'f.version',
      sql<string | null>`coalesce(f.changed_by_name, f.changed_by)`.as('changedBy'),
      'f.changed_at',
    ])
    .where('f.report_id', '=', reportId)
    .execute();
  return rows.map((r) => ({
    reportId: r.reportId,
    ...(fieldsFromDb(INTERNAL_CONTROL_ASSESSMENTS, r) as RowValues<typeof INTERNAL_CONTROL_ASSESSMENTS>),
    controls: controls.length,
    notPerformed: controls.filter((c) => c.performed === 'no').length,
    deviations: controls.filter((c) => c.result === 'deviation').length,
    version: r.version,
    changedBy: r.changedBy,
    changedAt: iso(r.changed_at),
  }));
}

// --- across organisations (consolidation) ------------------------------------------------------

/**
 * The city's intern kontroll in a period: every organisation with a risk analysis of the year
 * or a VB assessment row, its assessment (VB), its control rows of the period, and the risks for
 * the matrix.
 */
export async function internalControlOfPeriod(db: Db, year: number, period: 'T1' | 'T2' | 'VB') {
  const [risks, controls, assessments, organisations] = await Promise.all([
    db.selectFrom('ic_risk').select(['organisation_code as organisation', 'probability', 'consequence']).where('year', '=', year).execute(),
    db
      .selectFrom('control_followup as f')
      .innerJoin('report as r', 'r.id', 'f.report_id')
      .innerJoin('ic_control as c', 'c.id', 'f.control_id')
      .select(['r.organisation_code as organisation', 'c.code', 'c.checked', 'f.performed', 'f.result', 'f.findings', 'f.action_taken as actionTaken', 'f.reason'])
      .where('r.year', '=', year)
      .where('r.period', '=', period)
      .execute(),
    db
      .selectFrom('ic_assessment as a')
      .innerJoin('report as r', 'r.id', 'a.report_id')
      .select(['r.organisation_code as organisation', 'a.judgement', 'a.motivation'])
      .where('r.year', '=', year)
      .where('r.period', '=', period)
      .execute(),
    db.selectFrom('organisation').select(['code', 'name']).execute(),
  ]);
  return { risks, controls: controls.sort((a, b) => compareCodes(a.organisation, b.organisation) || compareCodes(a.code, b.code)), assessments, organisations };
}
