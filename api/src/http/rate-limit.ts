import type { Request, RequestHandler } from 'express';
import type { Logger } from '@saas/shared/logger';
import {
  byClientIp,
  byUser,
  createRateLimiter as createSharedRateLimiter,
  type LimiterOptions,
  type RedisCaller,
} from '@saas/shared/rate-limit';
import type { ApiMetrics } from '../metrics.ts';
import { HttpProblem, sendProblem } from './problem.ts';

export { byClientIp, type LimiterOptions, type RedisCaller };

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

/** User key: needs the auth middleware before it. */
export const byUserId = byUser((req: Request) => req.user?.id);

/**
 * The shared module's Redis-backed limiter (draft-8 headers, 429/503 problem+json, fail
 * open/closed), wired to the API's metrics and its problem writer (which adds the request id).
 */
export function createRateLimiter(deps: RateLimitDeps, opts: LimiterOptions): RequestHandler {
  return createSharedRateLimiter(
    {
      redis: deps.redis,
      prefix: deps.prefix,
      failOpen: deps.failOpen,
      storeTimeoutMs: deps.storeTimeoutMs,
      logger: deps.logger,
      onRejected: (limiter) => deps.metrics.rateLimitRejections.inc({ limiter }),
      onStoreError: (limiter) => deps.metrics.rateLimitStoreErrors.inc({ limiter }),
      sendProblem: (req, res, problem) => sendProblem(req, res, new HttpProblem(problem)),
    },
    opts,
  );
}
