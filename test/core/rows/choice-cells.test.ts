import { choiceLabels, readCell } from '../../../core/rows/row-kind';
import { ACTIVITY_FOLLOWUPS, COMMISSION_FOLLOWUPS, GOAL_ASSESSMENTS } from '../../../core/rows/report-rows';

/** Sheets show Swedish words in their dropdowns; a cell may hold the word or the API's code. */
describe('choice cells', () => {
  const activityState = ACTIVITY_FOLLOWUPS.fields.state;
  const commissionState = COMMISSION_FOLLOWUPS.fields.state;

  test.each([
    ['ej påbörjad', 'not_started'],
    ['Pågår', 'ongoing'],
    ['  GENOMFÖRD ', 'done'],
    ['Avbruten', 'cancelled'],
    ['cancelled', 'cancelled'],
    ['Not_Started', 'not_started'],
  ])('activity state %j reads as %s', (cell, code) => {
    expect(readCell(activityState, cell)).toEqual({ ok: true, value: code });
  });

  test('an uppdrag state reads from its own words, decomposed å included', () => {
    expect(readCell(commissionState, 'Återrapporterat')).toEqual({ ok: true, value: 'reported' });
    expect(readCell(commissionState, 'A\u030Aterrapporterat')).toEqual({ ok: true, value: 'reported' });
    expect(readCell(commissionState, 'slutfört')).toEqual({ ok: true, value: 'done' });
    expect(readCell(commissionState, 'ej påbörjat')).toEqual({ ok: true, value: 'not_started' });
  });

  test("another kind's word, or none, is INVALID_VALUE; a blank cell clears", () => {
    expect(readCell(activityState, 'återrapporterat')).toEqual({ ok: false, code: 'INVALID_VALUE' });
    expect(readCell(commissionState, 'genomförd')).toEqual({ ok: false, code: 'INVALID_VALUE' });
    expect(readCell(activityState, 'klar')).toEqual({ ok: false, code: 'INVALID_VALUE' });
    expect(readCell(activityState, '  ')).toEqual({ ok: true, value: null });
  });

  test('the dropdowns offer the words in the order of the codes', () => {
    expect(readCell(GOAL_ASSESSMENTS.fields.assessment, 'Delvis')).toEqual({ ok: true, value: 'delvis' });
    expect(choiceLabels(activityState)).toEqual(['ej påbörjad', 'pågår', 'genomförd', 'avbruten']);
    expect(choiceLabels(commissionState)).toEqual(['ej påbörjat', 'pågår', 'slutfört', 'återrapporterat']);
  });
});
