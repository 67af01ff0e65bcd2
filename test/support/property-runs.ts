/**
 * A property's runs cut into tests of at most `perTest` runs each, as even as can be: the run count
 * stays what was asked (TERTIAL_PROPERTY_RUNS), while each test's share, not the whole, has to fit
 * in jest's per-test limit on a slow, loaded machine.
 */
export function splitRuns(total: number, perTest: number): number[] {
  if (!Number.isInteger(total) || total < 1) throw new Error(`property runs must be a positive integer, got ${total}`);
  const parts = Math.ceil(total / perTest);
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, n) => base + (n < total % parts ? 1 : 0));
}
