import { columnLetter, rangeRef, safeSheetName } from '../../addin/sheets/a1';
import { consolidationSheets, isFormula, lastRowOf, type ConsolidationSheet } from '../../addin/sheets/consolidation-layout';
import { INTEGER_FORMAT } from '../../addin/sheets/report-layout';
import { HOSTILE_MOTIVATION, consolidation, signals } from './support/consolidation-fixture';

/** The consolidation's sheets, pure: the same layout exceljs and Office.js draw. */
const sheets = consolidationSheets(consolidation(), signals(), new Date('2022-05-12T10:00:00Z'));
const byName = (name: string) => sheets.find((s) => s.name === name)!;
const rowStarting = (s: ConsolidationSheet, first: string) => s.rows.find((r) => r[0] === first)!;

test('A1 references and sheet names', () => {
  expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  expect(rangeRef(5, 2, 9, 11)).toBe('B5:K9');
  expect(safeSheetName('1 En modern storstad med möjligheter för alla')).toBe('1 En modern storstad med möjlig');
  expect(safeSheetName('a/b:c[d]*?\\e')).toBe('a b c d    e');
});

test('sheets in order, each with its header below the titles and one empty row between', () => {
  expect(sheets.map((s) => s.name)).toEqual(['Översikt', '1 En modern storstad med möjlig', 'Avvikande bedömningar', 'Lägre ambition än KF', 'Styrsignaler']);
  for (const s of sheets) {
    expect(s.headerRow).toBe(s.titles.length + 2);
    for (const row of s.rows) expect(row).toHaveLength(s.columns.length);
  }
  expect(byName('Översikt').titles[0]).toBe('Konsolidering Tertialrapport 1 2022');
});

test('overview: state in words, submitted at in Stockholm time, counts as numbers, totals as formulas over its own rows', () => {
  const s = byName('Översikt');
  expect(s.headerRow).toBe(4);
  expect(s.columns.map((c) => c.header)).toEqual(['Kod', 'Organisation', 'Typ', 'Läge', 'Inskickad', 'Helt', 'Delvis', 'Ej', 'Saknas', 'Indikatorer', 'Andel helt']);
  expect(s.rows.map((r) => r[3])).toEqual(['öppen', 'inskickad', 'ej påbörjad']);
  expect(rowStarting(s, 'sdn-jarva').slice(0, 9)).toEqual(['sdn-jarva', 'Järva stadsdelsnämnd', 'Stadsdelsnämnd', 'inskickad', '2022-05-10 10:30', 2, 0, 0, 0]);
  expect(rowStarting(s, 'sdn-farsta').slice(9)).toEqual([{ formula: 'SUM(F5:I5)' }, { formula: 'IF(J5=0,"",F5/J5)' }]);
  expect(s.statusHeaderColumn).toBe(6);
  expect(lastRowOf(s)).toBe(7);
  expect(s.totals).toEqual({
    row: 9,
    label: 'Summa',
    cells: [
      { column: 4, value: { formula: 'COUNTIF(D5:D7,"inskickad")' }, numFmt: INTEGER_FORMAT },
      ...['F', 'G', 'H', 'I', 'J'].map((c, i) => ({ column: 6 + i, value: { formula: `SUM(${c}5:${c}7)` }, numFmt: INTEGER_FORMAT })),
      { column: 11, value: { formula: 'IF(J9=0,"",F9/J9)' }, numFmt: '0%' },
    ],
    note: 'Läge: antal inskickade rapporter.',
  });
});

test('inriktningsmål: indicators × reporting organisations, the value compared and its status; counts by COUNTIF', () => {
  const s = byName('1 En modern storstad med möjlig');
  expect(s.frozenColumns).toBe(3);
  // Kulturnämnden reports nothing here: no columns for it
  expect(s.captions).toEqual([
    { column: 11, span: 2, text: 'Farsta stadsdelsnämnd' },
    { column: 13, span: 2, text: 'Järva stadsdelsnämnd' },
  ]);
  expect(s.columns.slice(10).map((c) => c.header)).toEqual(['Värde', 'Status', 'Värde', 'Status']);
  expect(s.statusColumns).toEqual({ from: 11, to: 14 });
  const r = s.headerRow + 1;
  // T1 compares the forecast; an organisation that does not report the indicator has empty cells
  expect(rowStarting(s, '1.1 Stockholm är tryggt').slice(1)).toEqual([
    '1.1.1', 'Andel trygga', '%', 'Högre är bättre', 80,
    ...['helt', 'delvis', 'ej', 'saknas'].map((status) => ({ formula: `COUNTIF(K${r}:N${r},"${status}")` })),
    70, 'delvis', 85.5, 'helt',
  ]);
  expect(s.rows[1]!.slice(10)).toEqual([null, null, 2, 'helt']);
});

test('deviations keep the motivation as text; ambition differences and steering sums are formulas', () => {
  const deviations = byName('Avvikande bedömningar');
  expect(deviations.rows).toEqual([['Farsta stadsdelsnämnd', '1.1', 'N1 Trygg stadsdel', 'helt', 'delvis', HOSTILE_MOTIVATION]]);
  expect(isFormula(deviations.rows[0]![5]!)).toBe(false);
  expect(deviations.statusColumns).toEqual({ from: 4, to: 5 });
  const ambition = byName('Lägre ambition än KF');
  expect(ambition.rows[0]!.slice(4)).toEqual([80, 75, { formula: `F${ambition.headerRow + 1}-E${ambition.headerRow + 1}` }]);
  const steering = byName('Styrsignaler');
  expect(steering.rows.map((r) => r[0])).toEqual(['kf', 'sdn-farsta', 'fn-kultur']);
  expect(steering.rows[1]!.slice(3)).toEqual([3, 9, 2, { formula: 'SUM(D6:F6)' }, 1, -1, 0]);
  expect(steering.rows[2]!.slice(7)).toEqual([null, null, null]);
  expect(steering.totals!.cells[0]!.value).toEqual({ formula: 'SUM(D6:D7)' });
});

test('formulas are only the ones the layout builds', () => {
  const formulas = sheets.flatMap((s) => s.rows.flat().filter((v) => v !== null && isFormula(v)));
  expect(formulas.length).toBeGreaterThan(0);
  for (const f of formulas) expect(f).toEqual({ formula: expect.stringMatching(/^(SUM|IF|COUNTIF|[A-Z]+\d+-)/) });
});
