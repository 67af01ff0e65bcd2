import { afterChanges } from '../../addin/taskpane/apply-changes';
import type { Report } from '../../core/contract/report';
import type { ReportChanges } from '../../core/contract/report-changes';
import { snapshotOf } from '../../core/sheets/read-report-sheet';
import { columnIndex, reportColumns, reportToModel, type CellValue } from '../../core/sheets/report-layout';
import { afterSend, firstRow, readSheet, type RawReport, type RowKind, type SheetUpdate } from '../../core/sheets/sheet-sync';
import { changes as makeChanges, report as makeReport } from './support/report-fixture';

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

/** The sheet after an update, as the Excel glue writes it: whole columns, then single cells. */
function applied(raw: RawReport, update: SheetUpdate): RawReport {
  const out = structuredClone(raw);
  for (const c of update.columns) {
    const at = columnIndex(reportColumns(c.table, raw.period), c.key);
    c.values.forEach((v, i) => (out[c.table].values[i]![at] = v));
  }
  for (const c of update.cells) out[c.table].values[c.row - firstRow(raw[c.table])]![columnIndex(reportColumns(c.table, raw.period), c.key)] = c.value;
  return out;
}

const put = (raw: RawReport, table: RowKind, i: number, key: string, v: CellValue) => void (raw[table].values[i]![columnIndex(reportColumns(table, raw.period), key)] = v);

describe('the short answer applied to the sheet (?answer=changes)', () => {
  const pulled = makeReport(4, 2);
  const snapshot = snapshotOf(pulled);
  const AT = '2022-05-02T08:00:00Z';

  // The user types: a decimal comma as text, a comment, a cleared value (on a row that had one), and a goal assessment in words.
  pulled.indicators[2] = { ...pulled.indicators[2]!, outcome: 40, status: 'ej' };
  const base = snapshotOf(pulled);
  const raw = rawOf(pulled);
  put(raw, 'indicators', 0, 'outcome', '12,5');
  put(raw, 'indicators', 1, 'comment', '  Över plan  ');
  put(raw, 'indicators', 2, 'outcome', '');
  put(raw, 'goals', 0, 'assessment', 'Förväntas uppfyllas delvis');
  put(raw, 'goals', 0, 'motivation', 'Se analysen');
  const state = readSheet(raw, base);

  // The API's two answers to the same write: the whole report after it, and only what it changed.
  const whole = structuredClone(pulled);
  const by = { changedBy: 'Anna Andersson', changedAt: AT };
  whole.indicators[0] = { ...whole.indicators[0]!, outcome: 12.5, status: 'ej', version: 2, ...by };
  whole.indicators[1] = { ...whole.indicators[1]!, comment: '  Över plan  ', version: 2, ...by };
  whole.indicators[2] = { ...whole.indicators[2]!, outcome: null, status: null, version: 2, ...by };
  whole.goals[0] = { ...whole.goals[0]!, assessment: 'delvis', motivation: 'Se analysen', suggestedAssessment: 'ej', version: 2, ...by };
  whole.goals[1] = { ...whole.goals[1]!, suggestedAssessment: 'ej' };
  const short: ReportChanges = makeChanges({
    ...by,
    indicators: [
      { indicatorId: 101, version: 2, status: 'ej' },
      { indicatorId: 102, version: 2, status: null },
      { indicatorId: 103, version: 2, status: null },
    ],
    goals: [
      { goalId: 901, version: 2, suggestedAssessment: 'ej' },
      { goalId: 902, version: 1, suggestedAssessment: 'ej' },
    ],
  });

  test('gives the sheet and the snapshot the whole answer gives', () => {
    expect(state.problems).toEqual([]);
    const fromWhole = afterSend(state, whole, state.pending, base, []);
    const fromShort = afterChanges(state, short, state.pending, base, []);
    expect(applied(raw, fromShort.update)).toEqual(applied(raw, fromWhole.update));
    expect(fromShort.snapshot).toEqual(fromWhole.snapshot);
    expect(fromShort.snapshot.indicators['101']).toEqual({ version: 2, outcome: 12.5, forecast: null, comment: null });
    expect(fromShort.snapshot.goals['901']).toMatchObject({ version: 2, assessment: 'delvis', motivation: 'Se analysen' });
    expect(fromShort.snapshot.indicators['104']).toEqual(snapshot.indicators['104']);
  });

  test('errors: the Fel column holds this action’s notes, and their cells are highlighted', () => {
    const notes = [{ table: 'indicators' as const, row: 11, field: 'forecast', code: 'NOT_A_NUMBER', message: 'Rad 11: fel.' }];
    const fromWhole = afterSend(state, whole, state.pending, base, notes);
    const fromShort = afterChanges(state, short, state.pending, base, notes);
    expect(applied(raw, fromShort.update)).toEqual(applied(raw, fromWhole.update));
    expect(fromShort.update.highlights).toEqual(fromWhole.update.highlights);
  });

  test('only what the write changed moves: statuses and suggestions it did not name stay as the sheet shows them', () => {
    const fromShort = afterChanges(
      state,
      makeChanges({ ...by, indicators: [{ indicatorId: 101, version: 2, status: 'ej' }] }),
      { ...state.pending, indicators: state.pending.indicators.slice(0, 1), goals: [] },
      base,
      [],
    );
    const after = applied(raw, fromShort.update);
    const at = (key: string) => columnIndex(reportColumns('indicators', 'T1'), key);
    expect(after.indicators.values.map((r) => r[at('version')])).toEqual([2, 1, 1, 1]);
    expect(after.indicators.values.map((r) => r[at('status')])).toEqual(['förväntas ej uppfyllas', '', 'förväntas ej uppfyllas', '']);
    expect(after.goals.values.map((r) => r[columnIndex(reportColumns('goals', 'T1'), 'suggested')])).toEqual(
      raw.goals.values.map((r) => r[columnIndex(reportColumns('goals', 'T1'), 'suggested')]),
    );
  });
});
