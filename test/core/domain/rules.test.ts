import { indicatorStatus, isBelowKfAmbition, suggestAssessment, valueToAssess, type StatusInput } from '../../../core/domain/rules';

const higher = (annualTarget: number | null, partialThresholdPercent = 80): StatusInput => ({ direction: 'higher', annualTarget, tolerance: null, partialThresholdPercent });
const lower = (annualTarget: number | null, partialThresholdPercent = 80): StatusInput => ({ direction: 'lower', annualTarget, tolerance: null, partialThresholdPercent });
const band = (annualTarget: number, tolerance: number): StatusInput => ({ direction: 'band', annualTarget, tolerance, partialThresholdPercent: 80 });

describe('indicator status, higher is better', () => {
  test.each([
    [100, 100, 'helt'],
    [100.0001, 100, 'helt'],
    [99.9999, 100, 'delvis'],
    [80, 100, 'delvis'],
    [79.99, 100, 'ej'],
    [0, 100, 'ej'],
    [88, 88, 'helt'],
    [70.4, 88, 'delvis'], // exactly 80 % of 88, despite float noise in 88 * 0.8
    [70.39, 88, 'ej'],
  ] as const)('value %p against årsmål %p → %s', (value, target, expected) => {
    expect(indicatorStatus(value, higher(target))).toBe(expected);
  });

  test('the partial threshold is per year or indicator', () => {
    expect(indicatorStatus(85, higher(100, 90))).toBe('ej');
    expect(indicatorStatus(90, higher(100, 90))).toBe('delvis');
    expect(indicatorStatus(50, higher(100, 50))).toBe('delvis');
  });
});

describe('indicator status, lower is better', () => {
  test.each([
    [2.5, 2.5, 'helt'],
    [2.4, 2.5, 'helt'],
    [2.51, 2.5, 'delvis'],
    [3, 2.5, 'delvis'], // exactly 120 %
    [3.0001, 2.5, 'ej'],
    [6.9, 6.5, 'delvis'],
    [60, 60, 'helt'],
    [72, 60, 'delvis'],
    [72.1, 60, 'ej'],
  ] as const)('value %p against årsmål %p → %s', (value, target, expected) => {
    expect(indicatorStatus(value, lower(target))).toBe(expected);
  });

  test('threshold 90 % gives delvis up to 110 %', () => {
    expect(indicatorStatus(110, lower(100, 90))).toBe('delvis');
    expect(indicatorStatus(110.1, lower(100, 90))).toBe('ej');
  });
});

describe('indicator status, within a band', () => {
  test.each([
    [100, 100, 1, 'helt'],
    [101, 100, 1, 'helt'],
    [99, 100, 1, 'helt'],
    [100.4, 100, 1, 'helt'], // Stockholm's 2022 budgetföljsamhet: 100,4 % against 100 ± 1
    [101.1, 100, 1, 'delvis'],
    [102, 100, 1, 'delvis'],
    [97.9, 100, 1, 'ej'],
    [-1.1, 0, 1, 'delvis'], // prognossäkerhet −1,1 % against ±1 %
    [-2.1, 0, 1, 'ej'],
    [0.3, 0.2, 0.1, 'helt'], // float noise: |0.3 − 0.2| is 0.09999999999999998
    [0, 0, 0, 'helt'],
    [0.01, 0, 0, 'ej'],
  ] as const)('value %p against %p ± %p → %s', (value, target, tolerance, expected) => {
    expect(indicatorStatus(value, band(target, tolerance))).toBe(expected);
  });
});

describe('nothing to compare', () => {
  test('no value or no target gives null', () => {
    expect(indicatorStatus(null, higher(100))).toBeNull();
    expect(indicatorStatus(100, higher(null))).toBeNull();
    expect(indicatorStatus(null, lower(null))).toBeNull();
  });
});

describe('which value is assessed', () => {
  test.each([
    ['T1', 5, 7, 7],
    ['T1', 5, null, 5],
    ['T2', null, 7, 7],
    ['T2', null, null, null],
    ['VB', 5, 7, 5],
    ['VB', null, 7, 7],
    ['VB', null, null, null],
  ] as const)('%s with outcome %p and forecast %p assesses %p', (period, outcome, forecast, expected) => {
    expect(valueToAssess(period, outcome, forecast)).toBe(expected);
  });
});

describe('suggested assessment', () => {
  test.each([
    [['helt', 'helt'], 'helt'],
    [['helt'], 'helt'],
    [['helt', 'delvis'], 'delvis'],
    [['ej', 'ej', 'helt'], 'ej'],
    [['ej', 'helt'], 'delvis'], // exactly half is not more than half
    [['ej', 'ej', 'delvis', 'delvis'], 'delvis'],
    [['ej'], 'ej'],
    [['helt', 'helt', 'delvis', 'delvis', 'delvis'], 'delvis'], // 2 helt + 3 delvis → delvis
    [[null, 'helt'], 'helt'],
    [[null, null], null],
    [[], null],
    [Array(11).fill('ej'), 'ej'], // goal 2.2: 11 of 11 failed
    [['delvis', 'delvis', 'ej', 'ej'], 'delvis'], // goal 3.2: the nämnd may still judge helt, with a motivation
  ] as const)('%j → %p', (statuses, expected) => {
    expect(suggestAssessment(statuses)).toBe(expected);
  });
});

describe('below KF ambition', () => {
  test.each([
    ['higher', 88, 85, true],
    ['higher', 88, 88, false],
    ['higher', 88, 90, false],
    ['lower', 2.5, 4, true],
    ['lower', 2.5, 2.5, false],
    ['lower', 60, 50, false],
    ['band', 100, 99, false],
    ['band', 0, 5, false],
    ['higher', null, 5, false],
    ['higher', 5, null, false],
  ] as const)('%s KF %p, nämnd %p → %p', (direction, kf, org, expected) => {
    expect(isBelowKfAmbition(direction, kf, org)).toBe(expected);
  });
});
