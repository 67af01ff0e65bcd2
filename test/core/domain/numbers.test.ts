import { formatSwedishNumber, parseSwedishNumber } from '../../../core/domain/numbers';

describe('Swedish number input', () => {
  test.each([
    ['12,5', 12.5],
    ['12.5', 12.5],
    ['1 234,5', 1234.5],
    ['1\u00a0234,5', 1234.5],
    ['1\u202f234,5', 1234.5],
    ['1\u2009234', 1234],
    ['12 345 678,25', 12345678.25],
    ['-3,2', -3.2],
    ['\u22123,2', -3.2],
    ['+4', 4],
    ['  7  ', 7],
    ['0', 0],
    ['0,05', 0.05],
    [12.5, 12.5],
    [0, 0],
    [-1, -1],
  ])('%p → %p', (input, expected) => {
    expect(parseSwedishNumber(input)).toEqual({ ok: true, value: expected });
  });

  test.each([[''], ['   '], [null], [undefined]])('%p clears (null)', (input) => {
    expect(parseSwedishNumber(input)).toEqual({ ok: true, value: null });
  });

  test.each([
    ['1e3'],
    ['1.234,5'],
    ['1,234.5'],
    ['12 %'],
    ['12,5%'],
    ['abc'],
    ['12,'],
    [',5'],
    ['1 23'],
    ['12 3456'],
    ['1,2,3'],
    ['--1'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [true],
    [{}],
    [[1]],
  ])('%p is not a number', (input) => {
    expect(parseSwedishNumber(input)).toEqual({ ok: false });
  });

  test('formats with decimal comma and grouped thousands', () => {
    expect(formatSwedishNumber(1234.5)).toBe('1\u00a0234,5');
    expect(formatSwedishNumber(null)).toBe('');
    expect(formatSwedishNumber(-3.25, 1)).toMatch(/^[-\u2212]3,3$|^[-\u2212]3,2$/);
  });
});
