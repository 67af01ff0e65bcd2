import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { INVALID_CHARACTER_CODE, plainText } from '../../core/contract/text';
import type { AuthConfig } from '../config';
import { ApiError, validationFailed } from '../errors';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys, type DevKeys } from './dev-key';
import { isProductionEnv, jwksUrlProblem } from './policy';
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

/** Claims land in the change history and in workbooks: text with characters XML forbids is refused. */
const Claim = () => plainText(z.string());

const ClaimsSchema = z.object({
  sub: Claim().min(1),
  name: Claim().optional(),
  preferred_username: Claim().optional(),
  roles: z.array(Claim()).default([]),
  orgs: z.union([z.array(Claim()), Claim().transform((s) => s.split(/\s+/).filter(Boolean))]).default([]),
});

export function principalFromClaims(payload: JWTPayload): Principal {
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const unusable = claims.error.issues.filter((i) => i.code === 'custom' && (i.params as { code?: string } | undefined)?.code === INVALID_CHARACTER_CODE);
    if (unusable.length > 0) {
      // A signed token whose name (or other claim) we cannot store: not a login problem, so not 401.
      throw validationFailed(
        unusable.map((i) => ({ field: `token.${i.path.join('.')}`, code: INVALID_CHARACTER_CODE, message: i.message })),
        'Inloggningens uppgifter (t.ex. namnet) innehåller ett tecken som inte är tillåtet. Kontakta den som administrerar inloggningen.',
      );
    }
    throw new ApiError('UNAUTHENTICATED', 'Token saknar nödvändiga uppgifter (sub, roles).');
  }
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

/** Every token must expire: one without `exp` would be valid for ever once leaked. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

export async function createVerifier(auth: AuthConfig, dataDir: string, nodeEnv = process.env.NODE_ENV): Promise<TokenVerifier> {
  if (auth.mode === 'production') {
    const problem = jwksUrlProblem(auth.jwksUrl);
    if (problem) throw new Error(`AUTH_JWKS_URL ${problem}`);
    const jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
    return (token) => verifyWith(() => jwtVerify(token, jwks, { issuer: auth.issuer, audience: auth.audience, algorithms: ['RS256'], requiredClaims: REQUIRED_CLAIMS }));
  }
  // Development auth trusts a key file in the data directory: never in production, however NODE_ENV is spelled.
  if (isProductionEnv(nodeEnv)) throw new Error('NODE_ENV=production needs AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE (development auth refused)');
  const keys = await loadOrCreateDevKeys(dataDir);
  return (token) =>
    verifyWith(() => jwtVerify(token, keys.publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [DEV_ALGORITHM], requiredClaims: REQUIRED_CLAIMS }));
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
