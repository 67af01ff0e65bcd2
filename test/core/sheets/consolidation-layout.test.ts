import { columnLetter, rangeRef, safeSheetName } from '../../../core/sheets/a1';
import { assessmentSentence, columnOf, consolidationSheets, indicatorSentence, isFormula, lastRowOf, type ConsolidationSheet } from '../../../core/sheets/consolidation-layout';
import { BASE_FONT_SIZE, INTEGER_FORMAT } from '../../../core/sheets/report-layout';
import { HOSTILE_MOTIVATION, consolidation, signals } from '../../addin/support/consolidation-fixture';

/** The consolidation's sheets, pure: the same layout exceljs and Office.js draw. */
const sheets = consolidationSheets(consolidation(), signals(), new Date('2022-05-12T10:00:00Z'));
const atVb = consolidationSheets({ ...consolidation(), period: 'VB' }, signals(), new Date('2023-02-20T10:00:00Z'));
const byName = (name: string, from: ConsolidationSheet[] = sheets) => from.find((s) => s.name === name)!;
const rowStarting = (s: ConsolidationSheet, first: string) => s.rows.find((r) => r[0] === first)!;
/** The A1 letter of a column by its key: every formula below is checked against these, never a fixed letter. */
const letter = (s: ConsolidationSheet, key: string) => columnLetter(columnOf(s.columns, key));

test('A1 references and sheet names', () => {
  expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  expect(rangeRef(5, 2, 9, 11)).toBe('B5:K9');
  expect(safeSheetName('1 En modern storstad med möjligheter för alla')).toBe('1 En modern storstad med möjlig');
  expect(safeSheetName('a/b:c[d]*?\\e')).toBe('a b c d    e');
});

test('sheets in order, each with its header below the titles and one empty row between', () => {
  expect(sheets.map((s) => s.name)).toEqual([
    'Översikt',
    'Måluppfyllelse',
    '1 En modern storstad med möjlig',
    'Avvikande bedömningar',
    'Prognossäkerhet',
    'Lägre ambition än KF',
    'Aktiviteter och uppdrag',
    'Intern kontroll',
    'Styrsignaler',
  ]);
  for (const s of sheets) {
    expect(s.headerRow).toBe(s.titles.length + 2);
    for (const row of s.rows) expect(row).toHaveLength(s.columns.length);
    expect(s.rowHeights).toHaveLength(s.rows.length);
    expect(new Set(s.columns.map((c) => c.key)).size).toBe(s.columns.length);
  }
  expect(byName('Översikt').titles[0]).toBe('Konsolidering Tertialrapport 1 2022');
});

test('every sheet prints on A4 landscape at a zoom that keeps the text at 8 pt or more, header row repeated, page x av y', () => {
  for (const s of [...sheets, ...atVb]) {
    expect(s.print).toMatchObject({ orientation: 'landscape', paper: 'A4', titleRows: [s.headerRow, s.headerRow], footer: { center: 'Sida &P av &N' } });
    expect((BASE_FONT_SIZE * s.print.zoom) / 100).toBeGreaterThanOrEqual(8);
    expect(s.print.titleColumns).toEqual([1, Math.max(1, s.frozenColumns)]);
    expect(s.print.header).toEqual({ left: 'Stadsledningskontoret', center: expect.stringMatching(/^Konsolidering /), right: s.name });
    // One page wide: A4 landscape at 80 % holds about 150 characters of columns and their padding, about one each
    // (LibreOffice checks the real pages in demo-year.test.ts).
    expect([s.name, s.columns.reduce((n, c) => n + c.width + 1, 0) <= 150]).toEqual([s.name, true]);
  }
});

test('overview at T1: annual indicators counted as reported at VB, never missing; the share of helt is of the indicators due now', () => {
  const s = byName('Översikt');
  expect(s.columns.map((c) => c.header)).toEqual(['Organisation', 'Typ', 'Läge', 'Inskickad', 'Helt', 'Delvis', 'Ej', 'Saknas', 'Rapporteras i VB', 'Indikatorer', 'Andel helt']);
  expect(s.rows.map((r) => r[2])).toEqual(['öppen', 'inskickad', 'ej påbörjad']);
  expect(rowStarting(s, 'Farsta stadsdelsnämnd').slice(1, 9)).toEqual(['Stadsdelsnämnd', 'öppen', null, 1, 1, 0, 0, 1]);
  expect(rowStarting(s, 'Järva stadsdelsnämnd').slice(1, 9)).toEqual(['Stadsdelsnämnd', 'inskickad', '2022-05-10 10:30', 3, 1, 0, 0, 0]);
  const r = s.headerRow + 1;
  const [h, vb, total] = [letter(s, 'helt'), letter(s, 'notDue'), letter(s, 'indicators')];
  expect(rowStarting(s, 'Farsta stadsdelsnämnd').slice(9)).toEqual([
    { formula: `SUM(${h}${r}:${vb}${r})` },
    { formula: `IF(${total}${r}-${vb}${r}=0,"",${h}${r}/(${total}${r}-${vb}${r}))` },
  ]);
  expect(s.statusHeaderColumn).toBe(columnOf(s.columns, 'helt'));
  expect(lastRowOf(s)).toBe(s.headerRow + 3);
  const last = lastRowOf(s);
  expect(s.totals).toEqual({
    row: last + 2,
    label: 'Summa',
    cells: [
      { column: 3, value: { formula: `COUNTIF(C${r}:C${last},"inskickad")` }, numFmt: INTEGER_FORMAT },
      ...['helt', 'delvis', 'ej', 'missing', 'notDue', 'indicators'].map((key) => ({
        column: columnOf(s.columns, key),
        value: { formula: `SUM(${letter(s, key)}${r}:${letter(s, key)}${last})` },
        numFmt: INTEGER_FORMAT,
      })),
      {
        column: columnOf(s.columns, 'share'),
        value: { formula: `IF(${total}${last + 2}-${vb}${last + 2}=0,"",${h}${last + 2}/(${total}${last + 2}-${vb}${last + 2}))` },
        numFmt: '0%',
      },
    ],
    note: 'Läge: antal inskickade rapporter.',
  });
});

test('overview at VB: no column for annual indicators, and the formulas follow the columns by key', () => {
  const s = byName('Översikt', atVb);
  expect(s.columns.map((c) => c.key)).not.toContain('notDue');
  const r = s.headerRow + 1;
  const [h, total] = [letter(s, 'helt'), letter(s, 'indicators')];
  expect(letter(s, 'indicators')).not.toBe(letter(byName('Översikt'), 'indicators'));
  expect(s.rows[0]!.slice(-2)).toEqual([{ formula: `SUM(${h}${r}:${letter(s, 'missing')}${r})` }, { formula: `IF(${total}${r}=0,"",${h}${r}/${total}${r})` }]);
});

test('inriktningsmål: a bold row per KF goal and indicator, the band tolerance kept, one row per reporting organisation; counts by COUNTIF on the rows below', () => {
  const s = byName('1 En modern storstad med möjlig');
  expect(s.frozenColumns).toBe(2);
  expect(s.columns.map((c) => c.header)).toEqual([
    'Kod',
    'Indikator (enhet)',
    'Nämnd eller bolag',
    'Riktning',
    'Årsmål',
    'Värde',
    'Status',
    'Helt',
    'Delvis',
    'Ej',
    'Saknas',
    'Rapporteras i VB',
  ]);
  expect(s.statusColumns).toEqual([columnOf(s.columns, 'status')]);
  const first = s.headerRow + 1;
  const st = letter(s, 'status');
  const codes = s.rows.map((r) => [r[0], r[2]]);
  expect(codes).toEqual([
    ['1.1', null],
    ['1.1.1', null],
    ['1.1.1', 'Farsta stadsdelsnämnd'],
    ['1.1.1', 'Järva stadsdelsnämnd'],
    ['1.1.2', null],
    ['1.1.2', 'Järva stadsdelsnämnd'],
    ['1.1.3', null],
    ['1.1.3', 'Järva stadsdelsnämnd'],
    ['1.1.4', null],
    ['1.1.4', 'Farsta stadsdelsnämnd'],
    ['1.1.4', 'Järva stadsdelsnämnd'],
  ]);
  expect(s.boldRows).toEqual([0, 1, 4, 6, 8]);
  expect(s.rows[0]![1]).toBe('KF-mål 1.1: Stockholm är tryggt');
  // T1 compares the forecast against the organisation's own årsmål when it has one
  expect(s.rows[1]).toEqual([
    '1.1.1',
    'Andel trygga (%)',
    null,
    'Högre är bättre',
    80,
    null,
    null,
    ...['helt', 'delvis', 'ej', 'saknas', 'i VB'].map((word) => ({ formula: `COUNTIF(${st}${first + 2}:${st}${first + 3},"${word}")` })),
  ]);
  expect(s.rows[2]!.slice(2, 7)).toEqual(['Farsta stadsdelsnämnd', null, 75, 70, 'delvis']);
  // The band indicator says its tolerance, as its status was computed with it.
  expect(s.rows[6]![3]).toBe('Inom ±1,5');
  // An annual indicator without a value at T1 is reported at VB, not missing.
  expect(s.rows[9]!.slice(5, 7)).toEqual([null, 'i VB']);
  expect(s.rows[10]!.slice(5, 7)).toEqual([80, 'delvis']);
  // Each indicator's numbers in its own decimals.
  expect(s.rowFormats.slice(1, 4)).toEqual(['#,##0.0', '#,##0.0', '#,##0.0']);
  expect(s.rowFormats[0]).toBeNull();
  expect(s.rowFormats[8]).toBe('#,##0');
});

test('måluppfyllelse: inriktningsmål, KF goal and nämndmål rows; counts of the nämndmål below by COUNTIFS; the annual report’s sentences', () => {
  const s = byName('Måluppfyllelse');
  expect(s.columns.map((c) => c.header)).toEqual([
    'Kod',
    'Mål',
    'Nämnd eller bolag',
    'Bedömning',
    'Enligt indikatorerna',
    'Helt',
    'Delvis',
    'Ej',
    'Ej bedömt',
    'Sammanfattning eller motivering',
  ]);
  expect(s.rows.map((r) => [r[0], r[2]])).toEqual([
    ['1', null],
    ['1.1', null],
    ['N1', 'Farsta stadsdelsnämnd'],
    ['N1', 'Järva stadsdelsnämnd'],
    ['1.2', null],
    ['N1', 'Kulturnämnden'],
  ]);
  expect(s.boldRows).toEqual([0, 1, 4]);
  const first = s.headerRow + 1;
  const [a, o] = [letter(s, 'assessment'), letter(s, 'organisation')];
  const [h, e] = [letter(s, 'helt'), letter(s, 'ej')];
  const countsOf = (from: number, to: number, row = from - 1) => [
    ...['helt', 'delvis', 'ej'].map((level) => ({ formula: `COUNTIFS(${a}${from}:${a}${to},"${level}",${o}${from}:${o}${to},"<>")` })),
    { formula: `COUNTIF(${o}${from}:${o}${to},"<>")-SUM(${h}${row}:${e}${row})` },
  ];
  expect(s.rows[0]!.slice(1, 9)).toEqual(['Inriktningsmål 1: En modern storstad med möjligheter för alla', null, 'delvis', 'delvis', ...countsOf(first + 1, first + 5, first)]);
  expect(s.rows[1]!.slice(3, 9)).toEqual(['delvis', 'delvis', ...countsOf(first + 2, first + 3)]);
  expect(s.rows[1]![9]).toBe('0 av 2 nämnder bedömer att målet förväntas uppfyllas helt, 2 delvis. 4 av 5 indikatorer helt, 1 delvis. 1 rapporteras i VB.');
  // The nämnd's own assessment beside Tertial's suggestion; the motivation stays text.
  expect(s.rows[2]!.slice(3, 9)).toEqual(['delvis', 'helt', null, null, null, null]);
  expect(s.rows[2]![9]).toBe(`1 av 1 indikator helt. 1 rapporteras i VB. Motivering: ${HOSTILE_MOTIVATION}`);
  expect(isFormula(s.rows[2]![9]!)).toBe(false);
  expect(s.rows[4]!.slice(3, 10)).toEqual([null, null, ...countsOf(first + 5, first + 5), '1 nämnd har inte bedömt målet. Inga indikatorer att bedöma nu.']);
  expect(s.rows[0]![9]).toBe(
    '0 av 1 KF-mål förväntas uppfyllas helt, 1 delvis enligt nämndernas bedömningar. 1 KF-mål har inga bedömda nämndmål. 4 av 5 indikatorer helt, 1 delvis. 1 rapporteras i VB.',
  );
  expect(s.statusColumns).toEqual([columnOf(s.columns, 'assessment'), columnOf(s.columns, 'suggested')]);
  const last = lastRowOf(s);
  expect(s.totals!.cells.map((c) => c.value)).toEqual(countsOf(first, last, last + 2));
});

test('the annual report’s sentences, in the period’s words', () => {
  expect(assessmentSentence('VB', { helt: 24, delvis: 3, ej: 0, missing: 0 }, 27)).toBe('24 av 27 nämnder bedömer att målet uppfylls helt, 3 delvis.');
  expect(assessmentSentence('T2', { helt: 1, delvis: 0, ej: 1, missing: 1 }, 3)).toBe('1 av 3 nämnder bedömer att målet förväntas uppfyllas helt, 1 ej; 1 har inte bedömt det.');
  expect(assessmentSentence('VB', { helt: 2, delvis: 1, ej: 0, missing: 1 }, 3)).toBe('4 nämndmål hos 3 nämnder: 2 helt, 1 delvis, 1 ej bedömt.');
  expect(assessmentSentence('VB', { helt: 0, delvis: 0, ej: 0, missing: 0 }, 0)).toBe('Ingen nämnd har ett nämndmål under målet.');
  expect(indicatorSentence({ helt: 6, delvis: 4, ej: 0, missing: 0, notDue: 0 })).toBe('6 av 10 indikatorer helt, 4 delvis.');
  expect(indicatorSentence({ helt: 0, delvis: 0, ej: 0, missing: 0, notDue: 2 })).toBe('Inga indikatorer att bedöma nu. 2 rapporteras i VB.');
  expect(indicatorSentence({ helt: 1, delvis: 0, ej: 2, missing: 1, notDue: 0 })).toBe('1 av 4 indikatorer helt, 2 ej, 1 saknas.');
});

test('prognossäkerhet: forecasts against the outcome, the deviation as a formula from the columns by key, the tolerance in its own precision', () => {
  const s = byName('Prognossäkerhet');
  expect(s.columns.map((c) => c.header)).toEqual([
    'Organisation',
    'Indikator (enhet)',
    'Årsmål',
    'Tolerans ±',
    'Prognos T1',
    'Avvikelse T1',
    'Bedömning T1',
    'Prognos T2',
    'Avvikelse T2',
    'Bedömning T2',
    'Utfall helår',
  ]);
  const r = s.headerRow + 1;
  const [f1, f2, out] = [letter(s, 'forecastT1'), letter(s, 'forecastT2'), letter(s, 'outcome')];
  expect(s.rows[0]).toEqual([
    'Farsta stadsdelsnämnd',
    '1.1.1 Andel trygga (%)',
    75,
    3.75,
    70,
    { formula: `IF(OR(${f1}${r}="",${out}${r}=""),"",${f1}${r}-${out}${r})` },
    null,
    null,
    { formula: `IF(OR(${f2}${r}="",${out}${r}=""),"",${f2}${r}-${out}${r})` },
    null,
    null,
  ]);
  expect(s.columns.find((c) => c.key === 'tolerance')).toMatchObject({ numFmt: 'General' });
  expect(s.titles.join(' ')).toContain('5 % av årsmålet');
  expect(s.titles.join(' ')).toContain('Utfallet för helåret kommer i verksamhetsberättelsen');
  expect(s.statusColumns).toEqual([columnOf(s.columns, 'accuracyT1'), columnOf(s.columns, 'accuracyT2')]);
  expect(s.totals!.cells.map((c) => c.value)).toEqual([
    { formula: `COUNTIF(${letter(s, 'accuracyT1')}${r}:${letter(s, 'accuracyT1')}${r + 1},"helt")` },
    { formula: `COUNTIF(${letter(s, 'accuracyT2')}${r}:${letter(s, 'accuracyT2')}${r + 1},"helt")` },
  ]);
});

test('ambition: the centre’s request beside each årsmål, with its state in Swedish, the comment, the answer and the dates', () => {
  const ambition = byName('Lägre ambition än KF');
  expect(ambition.columns.slice(7).map((c) => c.header)).toEqual(['Läge', 'Begäran från SLK', 'Nämndens svar', 'Datum']);
  expect(ambition.rows[0]!.slice(7)).toEqual(['besvarad', 'Återkom med ett mer ambitiöst värde.', 'Ombyggnad av parken under året.', 'begärd 2021-11-10\nbesvarad 2021-11-17']);
  const c = consolidation();
  const without = consolidationSheets({ ...c, belowKfAmbition: c.belowKfAmbition.map((b) => ({ ...b, request: null })) }, signals(), new Date('2022-05-12T10:00:00Z'));
  const none = byName('Lägre ambition än KF', without);
  expect(none.rows[0]!.slice(7)).toEqual(['ingen', null, null, null]);
});

test('deviations keep the motivation as text; ambition differences and steering sums are formulas', () => {
  const deviations = byName('Avvikande bedömningar');
  expect(deviations.rows).toEqual([['Farsta stadsdelsnämnd', '1.1', 'N1 Trygg stadsdel', 'helt', 'delvis', HOSTILE_MOTIVATION]]);
  expect(isFormula(deviations.rows[0]![5]!)).toBe(false);
  expect(deviations.statusColumns).toEqual([4, 5]);
  const ambition = byName('Lägre ambition än KF');
  const r = ambition.headerRow + 1;
  expect(ambition.rows[0]!.slice(4, 7)).toEqual([80, 75, { formula: `${letter(ambition, 'orgTarget')}${r}-${letter(ambition, 'kfTarget')}${r}` }]);
  const steering = byName('Styrsignaler');
  expect(steering.rows.map((row) => row[0])).toEqual(['Kommunfullmäktige', 'Farsta stadsdelsnämnd', 'Kulturnämnden']);
  const s = steering.headerRow + 2;
  expect(steering.columns.map((c) => c.header).slice(2, 7)).toEqual(['Mål', 'Indikatorer', 'Aktiviteter', 'Uppdrag', 'Summa']);
  expect(steering.rows[1]!.slice(2)).toEqual([3, 9, 2, 1, { formula: `SUM(${letter(steering, 'goals')}${s}:${letter(steering, 'commissions')}${s})` }, 1, -1, 0, 1]);
  expect(steering.rows[2]!.slice(7)).toEqual([null, null, null, null]);
  expect(steering.totals!.cells[0]!.value).toEqual({ formula: `SUM(${letter(steering, 'goals')}${s}:${letter(steering, 'goals')}${s + 1})` });
});

test('formulas are only the ones the layout builds', () => {
  const formulas = sheets.flatMap((s) => s.rows.flat().filter((v) => v !== null && isFormula(v)));
  expect(formulas.length).toBeGreaterThan(0);
  for (const f of formulas) expect(f).toEqual({ formula: expect.stringMatching(/^(SUM|IF|COUNTIF|[A-Z]+\d+-)/) });
});

test('row heights follow the wrapped text: a long motivation gets more lines than a short one', () => {
  const s = byName('Måluppfyllelse');
  expect(s.rowHeights[2]).toBeGreaterThan(s.rowHeights[3]!);
  expect(Math.min(...s.rowHeights)).toBeGreaterThanOrEqual(15);
  expect(byName('Aktiviteter och uppdrag').headerHeight).toBeGreaterThan(30);
});

test('activities and uppdrag: a row per KF activity and reporting organisation, then per uppdrag; states in Swedish, counts as formulas', () => {
  const s = byName('Aktiviteter och uppdrag');
  expect(s.rows).toEqual([
    ['Aktivitet', '1.1.A1', 'Trygghetsvandringar', '1.1', 'Farsta stadsdelsnämnd', 'pågår', null, null, null, null],
    ['Aktivitet', '1.1.A1', 'Trygghetsvandringar', '1.1', 'Järva stadsdelsnämnd', 'genomförd', 'Klart i mars', null, null, null],
    [
      'Uppdrag',
      'KS-2022-07',
      'Samordna trygghetsskapande åtgärder',
      'KS 2022',
      'Farsta stadsdelsnämnd (ansvarig), i samverkan med Järva stadsdelsnämnd',
      'pågår',
      'Arbetet pågår',
      '2022-04-30',
      'nej',
      'ja',
    ],
    ['Uppdrag', 'KF-2021-14', 'Utreda nattpatrull', 'KF 2021', 'Järva stadsdelsnämnd', 'återrapporterat', 'Återrapporterat till KF', '2022-10-31', 'ja', null],
  ]);
  const first = s.headerRow + 1;
  expect(s.totals).toMatchObject({
    row: lastRowOf(s) + 2,
    label: 'Uppdrag som inte återrapporterats',
    cells: [
      { column: 9, value: { formula: `COUNTIF(I${first}:I${first + 3},"nej")` } },
      { column: 10, value: { formula: `COUNTIF(J${first}:J${first + 3},"ja")` } },
    ],
  });
});
