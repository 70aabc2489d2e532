import { Router, type RequestHandler } from 'express';
import { devLoginRequest, type DevLoginResponse } from '@saas/shared/contracts';
import type { DevTokenSigner } from '../auth/dev-tokens.ts';
import { parseInput } from '../http/validation.ts';

/**
 * Development only (config refuses DEV_LOGIN_ENABLED in production): any email signs in, and
 * gets the same kind of token Supabase Auth would issue. The email is never logged.
 */
export function devAuthRoutes(deps: {
  signer: DevTokenSigner;
  limiter: RequestHandler;
  jsonBody: RequestHandler[];
}): Router {
  const r = Router();
  r.post('/v1/dev/login', deps.limiter, ...deps.jsonBody, async (req, res) => {
    const { email } = parseInput(devLoginRequest, req.body, 'body');
    const { accessToken, expiresAt } = await deps.signer.sign(email);
    const body: DevLoginResponse = {
      accessToken,
      tokenType: 'Bearer',
      expiresAt: expiresAt.toISOString(),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });
  return r;
}
