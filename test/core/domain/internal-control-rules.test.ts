import { PlanDocumentSchema } from '../../../core/contract/plan';
import {
  controlSubmitProblems,
  controlWriteProblems,
  countWord,
  judgementSentence,
  internalControlIssues,
  judgementSubmitProblems,
  judgementWriteProblems,
  matrixCell,
  reportedIn,
  riskIssues,
  riskLevel,
  riskMatrix,
  riskValue,
} from '../../../core/domain/internal-control-rules';
import type { PlanControlInput, PlanRiskInput } from '../../../core/contract/internal-control';

const control = (code: string, over: Partial<PlanControlInput> = {}): PlanControlInput => ({
  code,
  checked: 'Attest av leverantörsfakturor',
  method: 'Stickprov om 20 fakturor',
  frequency: 'två gånger per år',
  responsible: 'Ekonomichef',
  reportingPeriods: ['T2', 'VB'],
  ...over,
});
const risk = (code: string, over: Partial<PlanRiskInput> = {}): PlanRiskInput => ({
  code,
  process: 'Inköp',
  description: 'Fakturor attesteras utan kontroll mot beställning',
  probability: 3,
  consequence: 3,
  decision: 'control',
  controls: [control(`${code}.K1`)],
  ...over,
});

describe('internal control rules', () => {
  test('the risk value is probability × consequence, 1–16, and nothing outside 1–4', () => {
    expect(riskValue(1, 1)).toBe(1);
    expect(riskValue(3, 2)).toBe(6);
    expect(riskValue(4, 4)).toBe(16);
    expect(() => riskValue(0, 2)).toThrow(RangeError);
    expect(() => riskValue(2, 5)).toThrow(RangeError);
    expect(() => riskValue(2.5, 2)).toThrow(RangeError);
  });

  test('levels: low 1–3, medium 4–6, high 8–9, very high 12–16', () => {
    expect([1, 2, 3, 4, 6, 8, 9, 12, 16].map(riskLevel)).toEqual(['low', 'low', 'low', 'medium', 'medium', 'high', 'high', 'very_high', 'very_high']);
  });

  test('the matrix cell is by probability (row) and consequence (column); the matrix counts risks per cell', () => {
    expect(matrixCell(4, 2)).toEqual({ row: 3, column: 1, value: 8, level: 'high' });
    const matrix = riskMatrix([
      { probability: 4, consequence: 2 },
      { probability: 4, consequence: 2 },
      { probability: 1, consequence: 4 },
    ]);
    expect(matrix[3]![1]).toBe(2);
    expect(matrix[0]![3]).toBe(1);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(3);
    expect(riskMatrix([])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  test('a decision asks for what it means: act an action, control a control, accept none', () => {
    expect(riskIssues(risk('R1'))).toEqual([]);
    expect(riskIssues(risk('R1', { decision: 'act', controls: [] }))).toEqual([{ path: ['action'], message: expect.stringContaining('action') }]);
    expect(riskIssues(risk('R1', { decision: 'act', action: 'Ny rutin för beställning', controls: [] }))).toEqual([]);
    expect(riskIssues(risk('R1', { decision: 'control', controls: [] }))).toEqual([{ path: ['controls'], message: expect.stringContaining('at least one control') }]);
    expect(riskIssues(risk('R1', { decision: 'accept' }))).toEqual([{ path: ['controls'], message: expect.stringContaining('no controls') }]);
    expect(riskIssues(risk('R1', { decision: 'accept', controls: [] }))).toEqual([]);
  });

  test('codes once per organisation, an organisation once per document, a period once per control', () => {
    const issues = internalControlIssues([
      { organisation: 'sdn-farsta', risks: [risk('R1'), risk('R1', { controls: [control('R1.K1', { reportingPeriods: ['VB', 'VB'] })] })] },
      { organisation: 'sdn-farsta', risks: [] },
    ]);
    expect(issues.map((i) => i.path.join('.'))).toEqual([
      'internalControl.0.risks.1.code',
      'internalControl.0.risks.1.controls.0.code',
      'internalControl.0.risks.1.controls.0.reportingPeriods',
      'internalControl.1.organisation',
    ]);
  });

  test('the plan document carries internal control, refused with each path', () => {
    const doc = { year: 2023, directionGoals: [] };
    expect(PlanDocumentSchema.parse(doc).internalControl).toEqual([]);
    const ok = PlanDocumentSchema.safeParse({ ...doc, internalControl: [{ organisation: 'fn-aldre', risks: [risk('R1')] }] });
    expect(ok.success).toBe(true);
    const bad = PlanDocumentSchema.safeParse({
      ...doc,
      internalControl: [
        { organisation: 'fn-aldre', risks: [risk('R1', { probability: 5, decision: 'act' }), risk('R2', { controls: [control('K', { reportingPeriods: ['T1'] as never })] })] },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['internalControl.0.risks.0.probability', 'internalControl.0.risks.1.controls.0.reportingPeriods.0']);
    const rules = PlanDocumentSchema.safeParse({ ...doc, internalControl: [{ organisation: 'fn-aldre', risks: [risk('R1', { decision: 'act', controls: [] })] }] });
    expect(rules.error!.issues.map((i) => i.path.join('.'))).toEqual(['internalControl.0.risks.0.action']);
  });

  test('follow-up: not performed needs a reason, a deviation its findings; submit also needs performed, and a result when performed', () => {
    const row = { performed: null, result: null, findings: null, reason: null } as const;
    const fields = (problems: { field: string; code: string }[]) => problems.map((p) => `${p.field}:${p.code}`);
    expect(controlWriteProblems(row)).toEqual([]);
    expect(fields(controlWriteProblems({ ...row, performed: 'no' }))).toEqual(['reason:REASON_REQUIRED']);
    expect(fields(controlWriteProblems({ ...row, performed: 'yes', result: 'deviation' }))).toEqual(['findings:FINDINGS_REQUIRED']);
    expect(controlWriteProblems({ ...row, performed: 'yes', result: 'deviation', findings: 'Fyra fakturor' })).toEqual([]);
    expect(fields(controlSubmitProblems(row))).toEqual(['performed:MISSING_VALUE']);
    expect(fields(controlSubmitProblems({ ...row, performed: 'yes' }))).toEqual(['result:MISSING_VALUE']);
    expect(fields(controlSubmitProblems({ ...row, performed: 'no' }))).toEqual(['reason:REASON_REQUIRED']);
    expect(controlSubmitProblems({ ...row, performed: 'no', reason: 'Sjukdom' })).toEqual([]);
    expect(controlSubmitProblems({ ...row, performed: 'yes', result: 'no_deviation' })).toEqual([]);
  });

  test('the VB assessment: a motivation unless sufficient; submit needs a judgement', () => {
    expect(judgementWriteProblems({ judgement: 'sufficient', motivation: null })).toEqual([]);
    expect(judgementWriteProblems({ judgement: null, motivation: null })).toEqual([]);
    expect(judgementWriteProblems({ judgement: 'partly', motivation: null })).toEqual([
      { field: 'motivation', code: 'MOTIVATION_REQUIRED', message: 'Motivering: krävs när den interna kontrollen bedöms delvis tillräcklig.' },
    ]);
    expect(judgementWriteProblems({ judgement: 'insufficient', motivation: 'Pandemin' })).toEqual([]);
    expect(judgementSubmitProblems({ judgement: null, motivation: null }).map((p) => p.code)).toEqual(['MISSING_ASSESSMENT']);
    expect(judgementSubmitProblems({ judgement: 'insufficient', motivation: null }).map((p) => p.code)).toEqual(['MOTIVATION_REQUIRED']);
  });

  test('a control is followed up in the periods its plan names, never at T1', () => {
    expect(reportedIn('T2', ['T2', 'VB'])).toBe(true);
    expect(reportedIn('T2', ['VB'])).toBe(false);
    expect(reportedIn('T1', ['T2', 'VB'])).toBe(false);
  });

  test("the annual report's sentence, generated from the assessments", () => {
    const e = (name: string, judgement: 'sufficient' | 'partly' | 'insufficient' | null) => ({ name, judgement });
    expect(judgementSentence([])).toBeNull();
    expect(judgementSentence([e('A', 'sufficient'), e('B', 'sufficient')])).toBe('Alla nämnder bedömer att deras interna kontroll är tillräcklig.');
    expect(judgementSentence([e('A', 'sufficient'), e('B', 'partly'), e('C', 'sufficient'), e('D', 'partly'), e('E', 'partly'), e('F', 'partly')])).toBe(
      'Alla nämnder utom fyra bedömer att deras interna kontroll är tillräcklig. B, D, E och F bedömer den delvis tillräcklig.',
    );
    expect(judgementSentence([e('A', 'sufficient'), e('B', 'insufficient'), e('C', 'partly'), e('D', null)])).toBe(
      'Alla nämnder som lämnat sin bedömning utom två bedömer att deras interna kontroll är tillräcklig. C bedömer den delvis tillräcklig; B bedömer den inte tillräcklig. En nämnd har ännu inte lämnat sin bedömning.',
    );
    expect(judgementSentence([e('A', 'partly')])).toBe('Ingen nämnd bedömer att dess interna kontroll är tillräcklig: A bedömer den delvis tillräcklig.');
    expect(judgementSentence([e('A', null), e('B', null)])).toBe('Ingen nämnd har ännu bedömt sin interna kontroll. Två nämnder har ännu inte lämnat sin bedömning.');
    expect([countWord(1), countWord(4), countWord(12), countWord(13)]).toEqual(['en', 'fyra', 'tolv', '13']);
  });
});
