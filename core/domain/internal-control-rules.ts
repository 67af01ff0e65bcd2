import {
  JUDGEMENT_LABELS,
  type ControlPerformed,
  type ControlReportingPeriod,
  type ControlResult,
  type InternalControlJudgement,
  type PlanInternalControlInput,
  type PlanRiskInput,
} from '../contract/internal-control';

/**
 * The rules of intern kontroll's plan (DOMAIN.md, "Internal control"), pure:
 * - a risk's value is probability × consequence (1–16), its cell in the 4 × 4 matrix is
 *   (probability, consequence), and its level is low 1–3, medium 4–6, high 8–9, very high 12–16;
 * - a risk decided `act` names its åtgärd; one decided `control` has at least one control; one
 *   accepted has none;
 * - risk codes are unique within an organisation's analysis, control codes within its plan, and
 *   an organisation's analysis is stated once per document.
 */

export type RiskLevel = 'low' | 'medium' | 'high' | 'very_high';
export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = { low: 'låg', medium: 'medel', high: 'hög', very_high: 'mycket hög' };

const inScale = (n: number) => Number.isInteger(n) && n >= 1 && n <= 4;

/** Riskvärde: probability × consequence. Throws outside 1–4 (the contract refuses those first). */
export function riskValue(probability: number, consequence: number): number {
  if (!inScale(probability) || !inScale(consequence)) throw new RangeError(`probability and consequence are 1–4 (got ${probability}, ${consequence})`);
  return probability * consequence;
}

export function riskLevel(value: number): RiskLevel {
  if (value <= 3) return 'low';
  if (value <= 6) return 'medium';
  if (value <= 9) return 'high';
  return 'very_high';
}

/** The risk's cell in the matrix: row by probability, column by consequence (0-based). */
export function matrixCell(probability: number, consequence: number): { row: number; column: number; value: number; level: RiskLevel } {
  const value = riskValue(probability, consequence);
  return { row: probability - 1, column: consequence - 1, value, level: riskLevel(value) };
}

/** Risks counted per cell: `matrix[probability - 1][consequence - 1]`. */
export function riskMatrix(risks: readonly { probability: number; consequence: number }[]): number[][] {
  const matrix = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  for (const r of risks) {
    const { row, column } = matrixCell(r.probability, r.consequence);
    matrix[row]![column]!++;
  }
  return matrix;
}

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

/** What is wrong with one risk as stated (path relative to the risk). */
export function riskIssues(risk: Pick<PlanRiskInput, 'decision' | 'action' | 'controls'>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (risk.decision === 'act' && !risk.action) issues.push({ path: ['action'], message: 'a risk decided act (åtgärda) needs its action' });
  if (risk.decision === 'control' && risk.controls.length === 0) issues.push({ path: ['controls'], message: 'a risk decided control (kontrollera) needs at least one control' });
  if (risk.decision === 'accept' && risk.controls.length > 0) issues.push({ path: ['controls'], message: 'a risk accepted (acceptera) has no controls; decide control instead' });
  return issues;
}

/** What is wrong with a document's internal control (paths from the document's root). */
export function internalControlIssues(plans: readonly PlanInternalControlInput[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const organisations = new Map<string, number>();
  plans.forEach((plan, p) => {
    const first = organisations.get(plan.organisation);
    if (first !== undefined) {
      issues.push({ path: ['internalControl', p, 'organisation'], message: `${plan.organisation}'s internal control appears twice (also at internalControl[${first}])` });
    } else organisations.set(plan.organisation, p);
    const risks = new Map<string, number>();
    const controls = new Map<string, string>();
    plan.risks.forEach((risk, r) => {
      const at = ['internalControl', p, 'risks', r];
      const firstRisk = risks.get(risk.code);
      if (firstRisk !== undefined) issues.push({ path: [...at, 'code'], message: `risk code ${risk.code} appears twice (also at risks[${firstRisk}])` });
      else risks.set(risk.code, r);
      for (const issue of riskIssues(risk)) issues.push({ path: [...at, ...issue.path], message: issue.message });
      risk.controls.forEach((control, c) => {
        const firstControl = controls.get(control.code);
        if (firstControl !== undefined) issues.push({ path: [...at, 'controls', c, 'code'], message: `control code ${control.code} appears twice (also at ${firstControl})` });
        else controls.set(control.code, `risks[${r}].controls[${c}]`);
        const periods = control.reportingPeriods;
        if (new Set(periods).size !== periods.length) issues.push({ path: [...at, 'controls', c, 'reportingPeriods'], message: 'a reporting period appears twice' });
      });
    });
  });
  return issues;
}

// --- follow-up (T2, VB) and the VB assessment ----------------------------------------------------

/** A control is followed up in the periods its plan names (T2, VB); never at T1. */
export const reportedIn = (period: string, reportingPeriods: readonly ControlReportingPeriod[]): boolean => (reportingPeriods as readonly string[]).includes(period);

export interface ControlFollowupValues {
  performed: ControlPerformed | null;
  result: ControlResult | null;
  findings: string | null;
  reason: string | null;
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * What a control's follow-up lacks as written (the rules that hold at every write): a control
 * not performed needs a reason, a deviation needs its findings.
 */
export function controlWriteProblems(row: ControlFollowupValues): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (row.performed === 'no' && row.reason === null)
    problems.push({ field: 'reason', code: 'REASON_REQUIRED', message: 'Skäl: krävs när kontrollen inte är genomförd. Skriv varför.' });
  if (row.result === 'deviation' && row.findings === null) {
    problems.push({ field: 'findings', code: 'FINDINGS_REQUIRED', message: 'Iakttagelser: krävs när kontrollen visar en avvikelse. Skriv vad som hittades.' });
  }
  return problems;
}

/** What submit needs of a control's follow-up: performed or not; if performed, its result; and the write rules. */
export function controlSubmitProblems(row: ControlFollowupValues): FieldProblem[] {
  if (row.performed === null) return [{ field: 'performed', code: 'MISSING_VALUE', message: 'Genomförd: ange ja eller nej.' }];
  const problems: FieldProblem[] = [];
  if (row.performed === 'yes' && row.result === null) problems.push({ field: 'result', code: 'MISSING_VALUE', message: 'Resultat: ange utan avvikelse eller avvikelse.' });
  return [...problems, ...controlWriteProblems(row)];
}

/** The VB assessment's motivation is required unless the internal control is judged sufficient. */
export function judgementWriteProblems(row: { judgement: InternalControlJudgement | null; motivation: string | null }): FieldProblem[] {
  if (row.judgement !== null && row.judgement !== 'sufficient' && row.motivation === null) {
    return [{ field: 'motivation', code: 'MOTIVATION_REQUIRED', message: `Motivering: krävs när den interna kontrollen bedöms ${JUDGEMENT_LABELS[row.judgement]}.` }];
  }
  return [];
}

/** What submit of a VB needs of the assessment: a judgement, and the motivation rule. */
export function judgementSubmitProblems(row: { judgement: InternalControlJudgement | null; motivation: string | null }): FieldProblem[] {
  if (row.judgement === null)
    return [{ field: 'judgement', code: 'MISSING_ASSESSMENT', message: 'Bedömning av den interna kontrollen saknas (tillräcklig, delvis tillräcklig eller inte tillräcklig).' }];
  return judgementWriteProblems(row);
}

// --- the city's summary --------------------------------------------------------------------------

const NUMBER_WORDS = ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio', 'elva', 'tolv'];
/** A count as the annual report writes it: words up to twelve, digits above. */
export const countWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);

const listed = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} och ${names.at(-1)}`);

/**
 * The sentence the city's annual report needs from the nämnder's VB assessments: "Alla nämnder
 * bedömer …", or "Alla nämnder utom fyra bedömer … A och B bedömer den delvis tillräcklig …",
 * and how many have not assessed yet. Null when no organisation is to assess.
 */
export function judgementSentence(entries: readonly { name: string; judgement: InternalControlJudgement | null }[]): string | null {
  if (entries.length === 0) return null;
  const assessed = entries.filter((e) => e.judgement !== null);
  const notYet = entries.length - assessed.length;
  const pending =
    notYet > 0 ? ` ${countWord(notYet)[0]!.toUpperCase()}${countWord(notYet).slice(1)} ${notYet === 1 ? 'nämnd har' : 'nämnder har'} ännu inte lämnat sin bedömning.` : '';
  if (assessed.length === 0) return `Ingen nämnd har ännu bedömt sin interna kontroll.${pending}`;
  const partly = assessed.filter((e) => e.judgement === 'partly').map((e) => e.name);
  const insufficient = assessed.filter((e) => e.judgement === 'insufficient').map((e) => e.name);
  const others = partly.length + insufficient.length;
  const subject = notYet > 0 ? `Alla nämnder som lämnat sin bedömning` : 'Alla nämnder';
  if (others === 0) return `${subject} bedömer att deras interna kontroll är tillräcklig.${pending}`;
  if (others === assessed.length) {
    const parts = [
      partly.length > 0 ? `${listed(partly)} bedömer den delvis tillräcklig` : null,
      insufficient.length > 0 ? `${listed(insufficient)} bedömer den inte tillräcklig` : null,
    ];
    return `Ingen nämnd bedömer att dess interna kontroll är tillräcklig: ${parts.filter(Boolean).join('; ')}.${pending}`;
  }
  const parts = [
    partly.length > 0 ? `${listed(partly)} bedömer den delvis tillräcklig` : null,
    insufficient.length > 0 ? `${listed(insufficient)} bedömer den inte tillräcklig` : null,
  ].filter(Boolean);
  return `${subject} utom ${countWord(others)} bedömer att deras interna kontroll är tillräcklig. ${parts.join('; ')}.${pending}`;
}
