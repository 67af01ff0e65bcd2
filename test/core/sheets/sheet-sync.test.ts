import { noPending, snapshotOf } from '../../../core/sheets/read-report-sheet';
import { rulesOf } from '../../../core/sheets/sheet-rules';
import { columnIndex, reportColumns, reportToModel, type CellValue } from '../../../core/sheets/report-layout';
import { afterSend, conflictsFrom, mergeServer, readSheet, rebaseOnTheirs, requestBody, withoutRows, type RawReport, type RowKind } from '../../../core/sheets/sheet-sync';
import { payloadBytes, rowChunks } from '../../../addin/excel/payload';
import { sendSummary, refreshSummary } from '../../../addin/taskpane/texts';
import type { Report } from '../../../core/contract/report';
import { report as makeReport } from '../../addin/support/report-fixture';

const at = (key: string) => columnIndex(reportColumns('indicators', 'T1'), key);

function rawOf(r: Report): RawReport {
  const model = reportToModel(r, new Date('2022-05-01T00:00:00Z'));
  const table = (kind: RowKind) => {
    const t = model.sheets.find((s) => s.kind === kind)!.table;
    return { headerRow: t.headerRow, header: t.columns.map((c) => c.header), values: t.rows.map((x) => [...x]) };
  };
  return {
    period: r.period,
    indicators: table('indicators'),
    goals: table('goals'),
    activities: table('activities'),
    commissions: table('commissions'),
    controls: table('controls'),
    internalControl: table('internalControl'),
  };
}
const put = (raw: RawReport, i: number, key: Parameters<typeof at>[0], v: CellValue) => void (raw.indicators.values[i]![at(key)] = v);

describe('sheet sync, pure', () => {
  const pulled = makeReport(4, 1);
  const snapshot = snapshotOf(pulled);

  test('readSheet: problem rows are never sent; the rest are, with base versions', () => {
    const raw = rawOf(pulled);
    put(raw, 0, 'outcome', '12,5');
    put(raw, 1, 'forecast', 'abc');
    const state = readSheet(raw, snapshot);
    expect(state.problems.map((p) => [p.table, p.row, p.field])).toEqual([['indicators', 9, 'forecast']]);
    expect(requestBody(state.pending)).toEqual({ ...requestBody(noPending()), indicators: [{ indicatorId: 101, baseVersion: 1, outcome: 12.5 }] });
  });

  test('readSheet with the rules: an assessment against the suggestion without a motivation stays in the sheet, marked; the forecast beside it is sent', () => {
    const raw = rawOf(pulled);
    const goalCol = (key: string) => columnIndex(reportColumns('goals', 'T1'), key);
    put(raw, 0, 'forecast', '10'); // 10 vs årsmål 80, higher is better: ej — and the goal's suggestion becomes ej
    raw.goals.values[0]![goalCol('assessment')] = 'förväntas uppfyllas helt';
    const state = readSheet(raw, snapshot, rulesOf(pulled));
    expect(state.problems).toEqual([
      { table: 'goals', row: 7, field: 'motivation', code: 'MOTIVATION_REQUIRED', message: 'Rad 7, Motivering: krävs när bedömningen skiljer sig från den föreslagna.' },
    ]);
    expect(requestBody(state.pending)).toEqual({ ...requestBody(noPending()), indicators: [{ indicatorId: 101, baseVersion: 1, forecast: 10 }] });

    // with a motivation, or an assessment as suggested, the goal goes too
    raw.goals.values[0]![goalCol('motivation')] = 'Trots låg prognos bedöms målet nås genom åtgärder i höst.';
    expect(readSheet(raw, snapshot, rulesOf(pulled)).pending.goals).toHaveLength(1);
    raw.goals.values[0]![goalCol('motivation')] = '';
    raw.goals.values[0]![goalCol('assessment')] = 'förväntas ej uppfyllas';
    expect(readSheet(raw, snapshot, rulesOf(pulled)).problems).toEqual([]);
  });

  test('readSheet: a changed header stops everything', () => {
    const raw = rawOf(pulled);
    raw.goals.header[3] = 'Min bedömning';
    const state = readSheet(raw, snapshot);
    expect(state.layoutProblems).toHaveLength(1);
    expect(state.pending).toEqual(noPending());
  });

  test('afterSend: sent rows take version, status and canonical value; others and their snapshot stay', () => {
    const raw = rawOf(pulled);
    put(raw, 0, 'outcome', '12,5');
    const state = readSheet(raw, snapshot);
    const answer = structuredClone(pulled);
    answer.indicators[0] = { ...answer.indicators[0]!, outcome: 12.5, status: 'ej', version: 2, changedBy: 'Anna', changedAt: '2022-05-02T08:00:00Z' };
    answer.indicators[3] = { ...answer.indicators[3]!, forecast: 99, version: 7 }; // someone else's change, not ours to take here
    answer.goals[0] = { ...answer.goals[0]!, suggestedAssessment: 'ej' };
    const { update, snapshot: next } = afterSend(state, answer, state.pending, snapshot, []);
    const column = (key: string) => update.columns.find((c) => c.table === 'indicators' && c.key === key)!.values;
    expect(column('version')).toEqual([2, 1, 1, 1]);
    expect(column('status')).toEqual(['förväntas ej uppfyllas', '', '', '']);
    expect(column('changed')[0]).toMatch(/^Anna, 2022-05-02/);
    expect(update.cells).toEqual([{ table: 'indicators', row: 8, key: 'outcome', value: 12.5 }]);
    expect(update.columns.find((c) => c.table === 'goals' && c.key === 'suggested')!.values).toEqual(['förväntas ej uppfyllas']);
    expect(next.indicators['101']).toEqual({ version: 2, outcome: 12.5, forecast: null, comment: null });
    expect(next.indicators['104']).toEqual(snapshot.indicators['104']);
  });

  test('errors: the Fel column is rewritten whole and the cells named are highlighted', () => {
    const raw = rawOf(pulled);
    put(raw, 2, 'error', 'gammalt fel');
    const { update } = afterSend(readSheet(raw, snapshot), pulled, noPending(), snapshot, [
      { table: 'indicators', row: 9, field: 'forecast', code: 'NOT_A_NUMBER', message: 'Rad 9: fel.' },
    ]);
    expect(update.columns.find((c) => c.key === 'error' && c.table === 'indicators')!.values).toEqual(['', 'Rad 9: fel.', '', '']);
    expect(update.highlights).toEqual([
      { table: 'indicators', row: 9, key: 'error' },
      { table: 'indicators', row: 9, key: 'forecast' },
    ]);
  });

  describe('mergeServer (Uppdatera)', () => {
    const server = structuredClone(pulled);
    server.indicators[0] = { ...server.indicators[0]!, forecast: 70, version: 2, changedBy: 'Bo' };
    server.indicators[1] = { ...server.indicators[1]!, forecast: 71, version: 2, changedBy: 'Bo' };

    test('unedited rows take the server values; edited rows keep the user’s and say why', () => {
      const raw = rawOf(pulled);
      put(raw, 1, 'forecast', 55);
      put(raw, 2, 'comment', 'min text');
      const merge = mergeServer(readSheet(raw, snapshot), server, snapshot);
      expect(merge.merged).toBe(1);
      expect(merge.update.cells).toEqual([{ table: 'indicators', row: 8, key: 'forecast', value: 70 }]);
      expect(merge.snapshot.indicators['101']!.version).toBe(2);
      expect(merge.snapshot.indicators['102']!.version).toBe(1); // sending it later shows the conflict
      expect(merge.kept).toEqual([expect.objectContaining({ row: 9, code: 'KEPT_LOCAL_EDIT' })]);
      expect(merge.missing).toBe(0);
    });

    test('discarding a row (behåll deras) takes the server value over the local edit', () => {
      const raw = rawOf(pulled);
      put(raw, 1, 'forecast', 55);
      const merge = mergeServer(readSheet(raw, snapshot), server, snapshot, { indicators: new Set([102]), goals: new Set() });
      expect(merge.update.cells).toContainEqual({ table: 'indicators', row: 9, key: 'forecast', value: 71 });
      expect(merge.kept).toEqual([]);
      expect(merge.snapshot.indicators['102']).toEqual({ version: 2, outcome: null, forecast: 71, comment: null });
    });

    test('rows the server has and the sheet lacks are counted', () => {
      const more = structuredClone(server);
      more.indicators.push({ ...more.indicators[0]!, indicatorId: 555 });
      expect(mergeServer(readSheet(rawOf(pulled), snapshot), more, snapshot).missing).toBe(1);
    });
  });

  test('conflicts from a 409: my value and theirs; rebasing sends mine on their version', () => {
    const raw = rawOf(pulled);
    put(raw, 2, 'forecast', 80);
    put(raw, 0, 'outcome', 1);
    const state = readSheet(raw, snapshot);
    const details = [
      {
        section: 'indicators',
        index: 1,
        indicatorId: 103,
        code: 'STALE',
        message: 'Raden har ändrats',
        current: { outcome: null, forecast: 70, comment: null, version: 3, changedBy: 'Bo Berg', changedAt: '2022-05-02T08:00:00Z' },
      },
    ];
    const [c] = conflictsFrom(details, state.pending, raw);
    expect(c).toEqual({
      table: 'indicators',
      id: 103,
      row: 10,
      label: 'I3 Indikator nummer 3',
      mine: { forecast: 80 },
      theirs: { outcome: null, forecast: 70, comment: null },
      theirVersion: 3,
      changedBy: 'Bo Berg',
      changedAt: '2022-05-02T08:00:00Z',
    });
    expect(requestBody(withoutRows(state.pending, [c!]))).toEqual({ ...requestBody(noPending()), indicators: [{ indicatorId: 101, baseVersion: 1, outcome: 1 }] });
    const again = readSheet(raw, rebaseOnTheirs(snapshot, c!));
    expect(again.pending.indicators.find((p) => p.write.indicatorId === 103)!.write).toEqual({ indicatorId: 103, baseVersion: 3, forecast: 80 });
  });
});

describe('request chunks', () => {
  test('rows cut under the byte budget, in order, none lost', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [i, 'x'.repeat(100)]);
    const chunks = rowChunks(rows, 10_000);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.bytes).toBeLessThanOrEqual(10_000);
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    expect(chunks.map((c) => c.start)).toEqual(chunks.map((_, i) => chunks.slice(0, i).reduce((n, c) => n + c.rows.length, 0)));
    expect(payloadBytes('abc')).toBe(5 + 64);
  });
});

describe('Swedish summaries', () => {
  test.each([
    [12, 2, 0, '12 rader sparade, 2 rader med fel ligger kvar i bladet (se listan)'],
    [1, 0, 1, '1 rad sparad, 1 konflikt'],
    [1000, 1, 3, '1\u00a0000 rader sparade, 1 rad med fel ligger kvar i bladet (se listan), 3 konflikter'],
  ])('%p sent, %p errors, %p conflicts', (sent, errors, conflicts, text) => {
    expect(sendSummary(sent, errors, conflicts)).toBe(text);
  });
  test('refresh', () => {
    expect(refreshSummary(1, 0, 0)).toBe('1 rad uppdaterad från Tertial.');
    expect(refreshSummary(0, 2, 1)).toMatch(/^0 rader uppdaterade från Tertial; 2 rader med dina osända ändringar .*; 1 ny rad finns/);
  });
});
