import { splitRuns } from './property-runs';

describe('a property cut into tests', () => {
  test.each([
    [2000, 100, 20],
    [300, 100, 3],
    [250, 100, 3],
    [99, 100, 1],
    [1, 100, 1],
  ])('%i runs at most %i per test: %i tests, all runs kept, none over the share', (total, perTest, tests) => {
    const shares = splitRuns(total, perTest);
    expect(shares).toHaveLength(tests);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...shares)).toBeLessThanOrEqual(perTest);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });

  test.each([0, -5, 2.5, NaN])('%p runs is a mistake, not an empty test', (total) => {
    expect(() => splitRuns(total, 100)).toThrow();
  });
});
