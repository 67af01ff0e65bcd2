import { changedWrites, detailsToSheetRows, headerProblems, readRows, snapshotOf } from '../../../core/sheets/read-report-sheet';
import { REPORTED_AT_VB, columnIndex, reportColumns, rowValues, type CellValue } from '../../../core/sheets/report-layout';
import type { ReportGoal, ReportIndicator } from '../../../core/contract/report';
import { GOAL_ASSESSMENTS, INDICATOR_RESULTS, type Snapshot } from '../../../core/rows/report-rows';
import { goal, indicator, report } from '../../addin/support/report-fixture';

// One reader for every row kind, driven by its spec; these name it for the two kinds of a report (at T1).
const INDICATOR_COLUMNS = reportColumns('indicators', 'T1');
const GOAL_COLUMNS = reportColumns('goals', 'T1');
const indicatorRow = (i: ReportIndicator) => rowValues('indicators', i, 'T1');
const goalRow = (g: ReportGoal) => rowValues('goals', g, 'T1');
const readIndicatorRows = (values: CellValue[][], first: number) => readRows(INDICATOR_RESULTS, INDICATOR_COLUMNS, values, first);
const readGoalRows = (values: CellValue[][], first: number) => readRows(GOAL_ASSESSMENTS, GOAL_COLUMNS, values, first);
const changedIndicatorWrites = (rows: ReturnType<typeof readIndicatorRows>['rows'], snapshot: Snapshot) => changedWrites(INDICATOR_RESULTS, rows, snapshot.indicators);
const changedGoalWrites = (rows: ReturnType<typeof readGoalRows>['rows'], snapshot: Snapshot) => changedWrites(GOAL_ASSESSMENTS, rows, snapshot.goals);

const at = (key: string) => columnIndex(INDICATOR_COLUMNS, key);
const gAt = (key: string) => columnIndex(GOAL_COLUMNS, key);
const FIRST = 8;

function rowWith(n: number, changes: Partial<Record<string, CellValue>>): CellValue[] {
  const row = indicatorRow(indicator(n));
  for (const [k, v] of Object.entries(changes)) row[at(k)] = v ?? null;
  return row;
}

describe('reading indicator rows as typed', () => {
  test.each<[CellValue, number | null]>([
    ['12,5', 12.5],
    ['1 234,5', 1234.5],
    ['1\u00a0234,5', 1234.5],
    ['−3,2', -3.2],
    [' 7 ', 7],
    [42, 42],
    ['', null],
    ['   ', null],
    [null, null],
  ])('outcome %p → %p', (typed, value) => {
    const read = readIndicatorRows([rowWith(1, { outcome: typed })], FIRST);
    expect(read.problems).toEqual([]);
    expect(read.rows[0]!.values.outcome).toBe(value);
  });

  test.each<[CellValue]>([['abc'], ['12 %'], ['1.234,5'], ['1e3'], ['12,5 kr']])('pasted text %p is a problem on its row, named in Swedish', (typed) => {
    const read = readIndicatorRows([rowWith(1, {}), rowWith(2, { forecast: typed })], FIRST);
    expect(read.rows.map((r) => r.id)).toEqual([101]);
    expect(read.problems).toEqual([{ row: FIRST + 1, field: 'forecast', code: 'NOT_A_NUMBER', message: 'Rad 9, Prognos: inte ett tal. Skriv t.ex. 12,5 eller 1 234,5.' }]);
  });

  test('comments: blank is null, numbers pasted as comments become text', () => {
    const read = readIndicatorRows([rowWith(1, { comment: '  ' }), rowWith(2, { comment: 12 })], FIRST);
    expect(read.rows.map((r) => r.values.comment)).toEqual([null, '12']);
  });

  test('reordered rows are found by key; emptied (deleted) rows are skipped', () => {
    const blank = INDICATOR_COLUMNS.map(() => '' as CellValue);
    const read = readIndicatorRows([rowWith(3, {}), blank, rowWith(1, {})], FIRST);
    expect(read.rows.map((r) => [r.row, r.id])).toEqual([
      [8, 103],
      [10, 101],
    ]);
  });

  test.each<[CellValue, CellValue]>([
    ['', 1],
    ['x', 1],
    [0, 1],
    [-4, 1],
    [1.5, 1],
    [101, ''],
    [101, 'v2'],
  ])('a tampered key (id %p, version %p) refuses the row', (id, version) => {
    const read = readIndicatorRows([rowWith(1, { indicatorId: id, version })], FIRST);
    expect(read.rows).toEqual([]);
    expect(read.problems).toEqual([{ row: FIRST, code: 'KEY_TAMPERED', message: expect.stringMatching(/^Rad 8: Raden har en ändrad eller okänd nyckel/) }]);
  });

  test('a copied row (same key twice) is named', () => {
    const read = readIndicatorRows([rowWith(1, {}), rowWith(1, {})], FIRST);
    expect(read.problems).toEqual([{ row: 9, code: 'DUPLICATE_ROW', message: 'Rad 9: samma rad finns redan på rad 8 (kopierad rad?).' }]);
  });

  test('an annual indicator at T1 says "rapporteras i VB" in its value cells: read as left alone, never as a change', () => {
    const read = readIndicatorRows([rowWith(1, { outcome: REPORTED_AT_VB, forecast: REPORTED_AT_VB, comment: 'Enkät i oktober' })], FIRST);
    expect(read.problems).toEqual([]);
    expect(read.rows[0]!.values).toMatchObject({ outcome: undefined, forecast: undefined });
    // whatever is stored for it (here 4) stays: only the comment is a change
    const stored = snapshotOf(report(1, 0));
    stored.indicators['101'] = { ...stored.indicators['101']!, outcome: 4 };
    expect(changedIndicatorWrites(read.rows, stored).writes).toEqual([{ row: FIRST, write: { indicatorId: 101, baseVersion: 1, comment: 'Enkät i oktober' } }]);
  });

  test('a moved or renamed column is caught at the header', () => {
    const header = INDICATOR_COLUMNS.map((c) => c.header);
    expect(headerProblems(INDICATOR_COLUMNS, header, 7)).toEqual([]);
    [header[7], header[8]] = [header[8]!, header[7]!];
    expect(headerProblems(INDICATOR_COLUMNS, header, 7)[0]).toMatchObject({ row: 7, code: 'LAYOUT_CHANGED' });
  });
});

describe('reading goal rows', () => {
  const goalWith = (assessment: CellValue) => {
    const row = goalRow(goal(1));
    row[gAt('assessment')] = assessment;
    return row;
  };
  test.each<[CellValue, string | null]>([
    ['helt', 'helt'],
    [' Delvis ', 'delvis'],
    ['EJ', 'ej'],
    ['förväntas uppfyllas delvis', 'delvis'],
    ['Förväntas ej uppfyllas', 'ej'],
    ['uppfyllt helt', 'helt'],
    ['', null],
  ])('assessment %p → %p', (typed, value) => {
    expect(readGoalRows([goalWith(typed)], 20).rows[0]!.values.assessment).toBe(value);
  });
  test('anything else is INVALID_VALUE with the choices named', () => {
    expect(readGoalRows([goalWith('ganska')], 20).problems).toEqual([
      { row: 20, field: 'assessment', code: 'INVALID_VALUE', message: 'Rad 20, Bedömning: välj helt, delvis eller ej.' },
    ]);
  });
});

describe('what changed since the pull', () => {
  const pulled = report(3, 2);
  pulled.indicators[1] = { ...pulled.indicators[1]!, outcome: 5, version: 4 };
  const snapshot = snapshotOf(pulled);

  test('only changed rows, only changed fields, on the version from the snapshot', () => {
    const rows = readIndicatorRows(
      [
        rowWith(1, { outcome: '12,5', indicatorId: 101, version: 1 }),
        rowWith(2, { outcome: '5,0', version: 9 }), // same value written differently; a tampered version is ignored
        rowWith(3, { comment: 'Ny' }),
      ],
      FIRST,
    ).rows;
    expect(changedIndicatorWrites(rows, snapshot)).toEqual({
      writes: [
        { row: 8, write: { indicatorId: 101, baseVersion: 1, outcome: 12.5 } },
        { row: 10, write: { indicatorId: 103, baseVersion: 1, comment: 'Ny' } },
      ],
      problems: [],
    });
  });

  test('clearing a value sends null', () => {
    const rows = readIndicatorRows([rowWith(2, { outcome: '' })], FIRST).rows;
    expect(changedIndicatorWrites(rows, snapshot).writes).toEqual([{ row: 8, write: { indicatorId: 102, baseVersion: 4, outcome: null } }]);
  });

  test('a row whose key is not in the snapshot is refused', () => {
    const rows = readIndicatorRows([rowWith(7, { outcome: 1 })], FIRST).rows;
    expect(changedIndicatorWrites(rows, snapshot)).toEqual({ writes: [], problems: [expect.objectContaining({ row: 8, code: 'KEY_TAMPERED' })] });
  });

  test('goals: assessment and motivation', () => {
    const row = goalRow(goal(2));
    row[gAt('assessment')] = 'delvis';
    row[gAt('motivation')] = 'Därför';
    const rows = readGoalRows([goalRow(goal(1)), row], 30).rows;
    expect(changedGoalWrites(rows, snapshot).writes).toEqual([{ row: 31, write: { goalId: 902, baseVersion: 1, assessment: 'delvis', motivation: 'Därför' } }]);
  });
});

describe('API details back to sheet rows', () => {
  const sent = {
    indicators: [
      { row: 12, write: {} },
      { row: 8, write: {} },
    ],
    goals: [{ row: 40, write: {} }],
    activities: [],
    commissions: [],
    controls: [],
    internalControl: [],
  };
  test('section + index → the row the user typed in, with the field named', () => {
    expect(
      detailsToSheetRows(
        [
          { section: 'indicators', index: 1, field: 'forecast', code: 'NOT_A_NUMBER', message: 'inte ett tal.' },
          { section: 'goals', index: 0, field: 'motivation', code: 'MOTIVATION_REQUIRED', message: 'Motivering: krävs när bedömningen skiljer sig från den föreslagna.' },
        ],
        sent,
      ),
    ).toEqual([
      expect.objectContaining({ row: 8, message: 'Rad 8, Prognos: inte ett tal.' }),
      expect.objectContaining({ row: 40, message: 'Rad 40, Motivering: krävs när bedömningen skiljer sig från den föreslagna.' }),
    ]);
  });
  test('details that point nowhere are dropped', () => {
    expect(
      detailsToSheetRows(
        [
          { section: 'indicators', index: 5, code: 'X', message: 'x' },
          { code: 'Y', message: 'y' },
        ],
        sent,
      ),
    ).toEqual([]);
  });
});
