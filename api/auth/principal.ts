import { forbidden } from '../errors';
import type { Role } from '../../core/contract/common';

export interface Principal {
  sub: string;
  name: string;
  roles: Role[];
  /** Organisation codes a controller reports for. */
  orgs: string[];
}

export const isCentral = (p: Principal) => p.roles.includes('central');

export function canAccessOrganisation(p: Principal, organisation: string): boolean {
  return isCentral(p) || (p.roles.includes('controller') && p.orgs.includes(organisation));
}

export function requireOrganisation(p: Principal, organisation: string): void {
  if (!canAccessOrganisation(p, organisation)) throw forbidden();
}

export function requireCentral(p: Principal): void {
  if (!isCentral(p)) throw forbidden('Endast stadsledningskontoret (rollen central) får göra detta.');
}
