import type { Request, RequestHandler } from 'express';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.ts';
import { unauthorized, unavailable } from './problem.ts';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Requires a valid bearer token and sets req.user. Every token problem is the same 401 (no
 * hint for an attacker); a key source that cannot answer (JWKS down) is a 503, not a 401 that
 * would sign every user out.
 */
export const requireUser = (
  verifier: TokenVerifier,
  onUser?: (req: Request) => void,
): RequestHandler => {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    if (!match) throw unauthorized();
    try {
      req.user = await verifier.verify(match[1]!);
    } catch (err) {
      if (err instanceof InvalidTokenError)
        throw unauthorized('The bearer token is invalid or expired.');
      throw unavailable('Token verification is unavailable; retry shortly.', 5, err);
    }
    onUser?.(req);
    next();
  };
};
