import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import type { TokenVerifier } from '../auth/verifier';
import { ApiError } from '../errors';

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new ApiError('UNAUTHENTICATED', 'Inloggning krävs.');
  return p;
}

/** Verifies the bearer token; the principal is kept in res.locals (Express 5's req.query is read-only). */
export function authenticate(verify: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('UNAUTHENTICATED', 'Inloggning krävs (Authorization: Bearer …).');
    res.locals.principal = await verify(match[1]!);
    next();
  };
}
