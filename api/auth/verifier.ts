import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { AuthConfig } from '../config';
import { ApiError } from '../errors';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys, type DevKeys } from './dev-key';
import type { Principal } from './principal';

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Claims → principal. `roles` holds app roles (Entra ID app roles `controller`/`central`, also
 * accepted as `Tertial.Controller`/`Tertial.Central`); `orgs` holds organisation codes, as an
 * array or a space-separated string (an Entra ID optional/extension claim).
 */
const ROLE_NAMES: Record<string, 'controller' | 'central'> = {
  controller: 'controller',
  central: 'central',
  'tertial.controller': 'controller',
  'tertial.central': 'central',
};

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  roles: z.array(z.string()).default([]),
  orgs: z.union([z.array(z.string()), z.string().transform((s) => s.split(/\s+/).filter(Boolean))]).default([]),
});

export function principalFromClaims(payload: JWTPayload): Principal {
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) throw new ApiError('UNAUTHENTICATED', 'Token saknar nödvändiga uppgifter (sub, roles).');
  const roles = [...new Set(claims.data.roles.map((r) => ROLE_NAMES[r.toLowerCase()]).filter((r) => r !== undefined))];
  return {
    sub: claims.data.sub,
    name: claims.data.name ?? claims.data.preferred_username ?? claims.data.sub,
    roles,
    orgs: claims.data.orgs,
  };
}

async function verifyWith(verify: () => Promise<{ payload: JWTPayload }>): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await verify());
  } catch {
    throw new ApiError('UNAUTHENTICATED', 'Ogiltig eller utgången inloggning. Logga in igen.');
  }
  return principalFromClaims(payload);
}

export async function createVerifier(auth: AuthConfig, dataDir: string): Promise<TokenVerifier> {
  if (auth.mode === 'production') {
    const jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    return (token) =>
      verifyWith(() => jwtVerify(token, jwks, { issuer: auth.issuer, audience: auth.audience, algorithms: ['RS256'] }));
  }
  const keys = await loadOrCreateDevKeys(dataDir);
  return (token) =>
    verifyWith(() =>
      jwtVerify(token, keys.publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM] }),
    );
}

export interface DevTokenClaims {
  sub: string;
  name: string;
  roles: string[];
  orgs: string[];
  expiresIn?: string;
}

export async function signDevToken(keys: DevKeys, claims: DevTokenClaims): Promise<string> {
  return new SignJWT({ name: claims.name, roles: claims.roles, orgs: claims.orgs })
    .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h')
    .sign(keys.privateKey);
}
