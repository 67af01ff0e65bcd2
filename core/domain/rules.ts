import { roundForCompare } from './numbers';

export type Direction = 'higher' | 'lower' | 'band';
export type Assessment = 'helt' | 'delvis' | 'ej';
export type PeriodCode = 'T1' | 'T2' | 'VB';

export const DEFAULT_PARTIAL_THRESHOLD_PERCENT = 80;

export interface StatusInput {
  direction: Direction;
  annualTarget: number | null;
  tolerance: number | null;
  /** The year's threshold for "delvis", or the indicator's own when set (e.g. 80). */
  partialThresholdPercent: number;
}

/**
 * Indicator status by the documented default rule (DOMAIN.md):
 * - higher: helt if value ≥ target; delvis if value ≥ threshold % of target; else ej.
 * - lower:  helt if value ≤ target; delvis if value ≤ (200 − threshold) % of target
 *           (120 % with the default 80 %); else ej.
 * - band:   helt if |value − target| ≤ tolerance; delvis if ≤ 2 × tolerance; else ej.
 * Null when there is no value or no target to compare against.
 */
export function indicatorStatus(value: number | null, input: StatusInput): Assessment | null {
  const { annualTarget: target, direction } = input;
  if (value === null || target === null) return null;
  const share = input.partialThresholdPercent / 100;
  const v = roundForCompare(value);
  switch (direction) {
    case 'higher':
      if (v >= roundForCompare(target)) return 'helt';
      return v >= roundForCompare(target * share) ? 'delvis' : 'ej';
    case 'lower':
      if (v <= roundForCompare(target)) return 'helt';
      return v <= roundForCompare(target * (2 - share)) ? 'delvis' : 'ej';
    case 'band': {
      const tolerance = input.tolerance ?? 0;
      const distance = roundForCompare(Math.abs(value - target));
      if (distance <= roundForCompare(tolerance)) return 'helt';
      return distance <= roundForCompare(2 * tolerance) ? 'delvis' : 'ej';
    }
  }
}

/**
 * The value the status is computed from: at T1/T2 the full-year forecast, or the outcome when
 * there is no forecast; at VB the outcome, or the forecast for a late (e.g. survey-based)
 * indicator that has only a forecast.
 */
export function valueToAssess(period: PeriodCode, outcome: number | null, forecast: number | null): number | null {
  return period === 'VB' ? (outcome ?? forecast) : (forecast ?? outcome);
}

/**
 * Suggested assessment from the parts' statuses (indicators of a goal, or goals of an
 * inriktningsmål): helt if all are helt; ej if more than half are ej; else delvis.
 * Parts without a status are left out; null when none has one.
 */
export function suggestAssessment(statuses: ReadonlyArray<Assessment | null>): Assessment | null {
  const known = statuses.filter((s): s is Assessment => s !== null);
  if (known.length === 0) return null;
  if (known.every((s) => s === 'helt')) return 'helt';
  if (known.filter((s) => s === 'ej').length * 2 > known.length) return 'ej';
  return 'delvis';
}

/** KF's årsmål, the organisation's own, and the one in force: the organisation's if set, else KF's. */
export function targetsInForce(kfTarget: number | null, orgTarget: number | null) {
  return { kfTarget, orgTarget, annualTarget: orgTarget ?? kfTarget };
}

/**
 * Is an organisation's årsmål less ambitious than KF's, in KF's direction?
 * - higher: below KF's target; lower: above KF's target.
 * - band: never. A band target is a point to hit within a tolerance, so a different point is a
 *   different target, not a less ambitious one; the centre sees it in the plan comparison.
 */
export function isBelowKfAmbition(direction: Direction, kfTarget: number | null, orgTarget: number | null): boolean {
  if (kfTarget === null || orgTarget === null) return false;
  const kf = roundForCompare(kfTarget);
  const org = roundForCompare(orgTarget);
  switch (direction) {
    case 'higher':
      return org < kf;
    case 'lower':
      return org > kf;
    case 'band':
      return false;
  }
}
