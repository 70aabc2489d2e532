import type { RequestHandler } from 'express';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { HttpProblem, sendProblem } from './problem.ts';

export interface CorsOptions {
  /** Exact origins (scheme://host[:port]). */
  origins: readonly string[];
  /** Optional full-match pattern for preview deployments (e.g. https://app-[a-z0-9-]+\.vercel\.app). */
  pattern?: RegExp | undefined;
  maxAgeS?: number;
}

const ALLOW_METHODS = 'GET,POST,DELETE,OPTIONS';
// Idempotency-Key: safe retries of writes (docs/api.md); traceparent: the web's W3C trace
// context, continued by the API's request span (tracing).
const ALLOW_HEADERS = 'Authorization,Content-Type,X-Request-Id,Idempotency-Key,traceparent';
// Readable by the browser app: the request id for bug reports, the rate-limit state for back-off.
const EXPOSE_HEADERS = 'X-Request-Id,RateLimit,RateLimit-Policy,Retry-After';

/**
 * Strict CORS without a wildcard: an allow-list of exact origins plus an optional explicit
 * pattern. A foreign origin gets no Access-Control-Allow-Origin (the browser then hides the
 * answer) and its preflight is refused. Requests without Origin (curl, server to server,
 * probes) are not CORS and pass untouched. No credentials: the API uses bearer tokens.
 */
export const cors = (opts: CorsOptions): RequestHandler => {
  const exact = new Set(opts.origins);
  const maxAge = String(opts.maxAgeS ?? 600);
  const isAllowed = (origin: string): boolean =>
    exact.has(origin) || (opts.pattern?.test(origin) ?? false);

  return (req, res, next) => {
    // The answer depends on Origin even when it is absent: caches must not mix them up.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const allowed = isAllowed(origin);
    const preflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!allowed) {
        sendProblem(
          req,
          res,
          new HttpProblem({
            status: 403,
            type: PROBLEM_TYPES.forbidden,
            title: 'Forbidden',
            detail: 'Origin not allowed.',
          }),
        );
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', maxAge);
      res.status(204).end();
      return;
    }
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    next();
  };
};

/** Compiles CORS_ORIGIN_PATTERN anchored at both ends, so it cannot match a prefix or suffix trick. */
export const compileOriginPattern = (source: string): RegExp => new RegExp(`^(?:${source})$`);
