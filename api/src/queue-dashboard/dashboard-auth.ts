import type { RequestHandler } from 'express';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { sameSecret } from '@saas/shared/observability';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.ts';
import { HttpProblem, unavailable } from '../http/problem.ts';

export interface DashboardAuthOptions {
  verifier: TokenVerifier;
  /** QUEUE_DASHBOARD_TOKEN: the password of HTTP Basic (any user name), for browsers. */
  token: string | undefined;
  /** `app_metadata.role` a bearer JWT needs (QUEUE_DASHBOARD_ADMIN_ROLE). */
  adminRole: string;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;
const BASIC = /^Basic ([A-Za-z0-9+/]+=*)$/i;

const problem = (status: 401 | 403, detail: string): HttpProblem =>
  new HttpProblem({
    status,
    type: status === 401 ? PROBLEM_TYPES.unauthorized : PROBLEM_TYPES.forbidden,
    title: status === 401 ? 'Unauthorized' : 'Forbidden',
    detail,
    // A browser shows its sign-in prompt for Basic; API clients use a bearer token.
    ...(status === 401
      ? { headers: { 'WWW-Authenticate': 'Basic realm="queues", charset="UTF-8"' } }
      : {}),
  });

/**
 * Who may see the queue dashboard: an operator with the dashboard token (HTTP Basic, what a
 * browser can send on every page and API call of the dashboard), or a user whose JWT carries
 * the admin role. No credentials: 401. A valid user without the role, or a wrong token: 403.
 */
export function dashboardAuth(opts: DashboardAuthOptions): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined)
      throw problem(401, 'Sign in with the dashboard token or an admin token.');
    const basic = BASIC.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (opts.token && sameSecret(password, opts.token)) return next();
      throw problem(403, 'This token does not open the queue dashboard.');
    }
    const bearer = BEARER.exec(header);
    if (!bearer) throw problem(401, 'Sign in with the dashboard token or an admin token.');
    let role: string | undefined;
    try {
      role = (await opts.verifier.verify(bearer[1]!)).appRole;
    } catch (err) {
      if (err instanceof InvalidTokenError)
        throw problem(401, 'The bearer token is invalid or expired.');
      throw unavailable('Token verification is unavailable; retry shortly.', 5, err);
    }
    if (role !== opts.adminRole) throw problem(403, 'The queue dashboard is for administrators.');
    next();
  };
}
