import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Logger } from '@saas/shared/logger';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import type { ApiMetrics } from '../metrics.ts';
import { HttpProblem, sendProblem, unavailable } from './problem.ts';
import { ResilientRedisStore, type RedisCaller } from './rate-limit-store.ts';

export interface LimiterOptions {
  /** Metric label, RateLimit policy name and part of the Redis key. */
  name: string;
  windowMs: number;
  limit: number;
  key: (req: Request) => string;
}

export interface RateLimitDeps {
  redis: RedisCaller;
  /** Redis key prefix shared by every replica (e.g. `rl:`). */
  prefix: string;
  /** Redis down: true lets requests through (logged, counted), false answers 503. */
  failOpen: boolean;
  storeTimeoutMs: number;
  logger: Logger;
  metrics: Pick<ApiMetrics, 'rateLimitRejections' | 'rateLimitStoreErrors'>;
}

/** Client key: req.ip, which honours `trust proxy` (hop count), IPv6 grouped by /56. */
export const byClientIp = (req: Request): string =>
  ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/** User key: needs the auth middleware before it. */
export const byUserId = (req: Request): string => `user:${req.user?.id ?? 'anonymous'}`;

/**
 * A limiter backed by Redis, so every replica shares the count. Standard `RateLimit` /
 * `RateLimit-Policy` headers (IETF draft 8), `Retry-After` and a 429 problem when exceeded.
 */
export function createRateLimiter(deps: RateLimitDeps, opts: LimiterOptions): RequestHandler {
  let lastLogged = 0;
  const store = new ResilientRedisStore({
    client: deps.redis,
    prefix: `${deps.prefix}${opts.name}:`,
    limiter: opts.name,
    timeoutMs: deps.storeTimeoutMs,
    onError: (err) => {
      deps.metrics.rateLimitStoreErrors.inc({ limiter: opts.name });
      // One line per limiter per 10 s: an outage must not flood the logs at request rate.
      const now = Date.now();
      if (now - lastLogged > 10_000) {
        lastLogged = now;
        deps.logger.warn(
          {
            limiter: opts.name,
            failOpen: deps.failOpen,
            err: err instanceof Error ? err.message : String(err),
          },
          deps.failOpen
            ? 'rate-limit store unavailable; letting requests through'
            : 'rate-limit store unavailable; refusing requests',
        );
      }
    },
  });
  const limiter = rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    store,
    passOnStoreError: deps.failOpen,
    keyGenerator: opts.key,
    // The store's failures are reported above; keep express-rate-limit's console quiet.
    logger: { error: () => {}, warn: () => {} },
    // Its checks target the default IP key generator; ours are explicit and tested.
    validate: false,
    handler: (req, res) => {
      deps.metrics.rateLimitRejections.inc({ limiter: opts.name });
      sendProblem(
        req,
        res,
        new HttpProblem({
          status: 429,
          type: PROBLEM_TYPES.rateLimited,
          title: 'Too Many Requests',
          detail: 'Rate limit exceeded; retry after the number of seconds in Retry-After.',
        }),
      );
    },
  });
  if (deps.failOpen) return limiter;
  // Fail closed: the store error reaches us as next(err); answer 503 instead of a 500.
  return (req, res, next) => {
    void limiter(req, res, (err?: unknown) => {
      if (err) return next(unavailable('Rate limiting is unavailable; retry shortly.', 5, err));
      next();
    });
  };
}
