import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { RateLimitKey } from './client-keys.ts';
import {
  rateLimitingUnavailable,
  tooManyRequests,
  writeProblem,
  type SendRateLimitProblem,
} from './problem.ts';
import { BatchedRedisStore } from './batched-redis-store.ts';
import { ResilientRedisStore, type RedisCaller } from './resilient-redis-store.ts';
import { throttledStoreErrorLog, type RateLimitLogger } from './store-error-log.ts';
import { RateLimitStoreError } from './store-error.ts';

/** What every limiter of a process shares: build it once, create limiters from it. */
export interface RateLimitDeps {
  /** A Redis client (ioredis). Prefer one without an offline queue: it fails fast when down. */
  redis: RedisCaller;
  /** Key prefix shared by every replica (e.g. `rl:`); each limiter adds `<name>:`. */
  prefix: string;
  /** Redis down: true lets requests through unlimited (logged, counted), false answers 503. */
  failOpen: boolean;
  /** Longest wait for Redis per request before it counts as down (default 500 ms). */
  storeTimeoutMs?: number;
  /** Store failures are logged here, at most once per limiter per `logIntervalMs`. */
  logger?: RateLimitLogger;
  /** Default 10000 ms. */
  logIntervalMs?: number;
  /** Each 429 (e.g. `rate_limit_rejections_total{limiter}`). */
  onRejected?: (limiter: string, req: Request) => void;
  /** Each store failure, whatever the policy (e.g. `rate_limit_store_errors_total{limiter}`). */
  onStoreError?: (limiter: string, err: unknown) => void;
  /** Writes the 429/503 answer; default: a bare `application/problem+json` body. */
  sendProblem?: SendRateLimitProblem;
  /** Retry-After of the fail-closed 503 (default 5 s). */
  unavailableRetryAfterS?: number;
}

export interface LimiterOptions {
  /** Names the limiter in the RateLimit headers, the Redis key and the hooks: `[A-Za-z0-9_-]+`. */
  name: string;
  windowMs: number;
  /** Requests admitted per key per window; the next one gets a 429. */
  limit: number;
  /** Who is counted: `byClientIp`, `byUser(getUserId)` or your own. */
  key: RateLimitKey;
  /**
   * Whether answers ≥ 500 count (default false). A client that retries through our outage
   * (503 with Retry-After) would otherwise be locked out by 429s once we are back. 4xx always
   * count: a refused login is what the login limiter exists for.
   */
  countServerErrors?: boolean;
  /**
   * Count locally and reconcile with Redis in batches instead of one Redis call per request
   * (see BatchedRedisStore): bounded error, at most `limit + 2 × maxPending × replicas` per
   * window. Leave unset for limits that must be exact (login, upload creation).
   */
  batch?: {
    /** How often local counts go to Redis (default 100 ms). */
    syncIntervalMs?: number;
    /** Unsent hits per key before a request waits for Redis (default 5 % of the limit, 1–50). */
    maxPending?: number;
  };
}

/** The per-replica bound on unsent hits when none is given: 5 % of the limit, 1 to 50. */
export const defaultMaxPending = (limit: number): number =>
  Math.min(50, Math.max(1, Math.ceil(limit * 0.05)));

const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * An Express middleware counting requests in Redis, so every replica shares the count
 * (fixed window). Answers carry the IETF draft-8 `RateLimit` / `RateLimit-Policy` headers; over
 * the limit: 429 problem+json with `Retry-After`. When Redis cannot answer in time, `failOpen`
 * decides: pass unlimited, or 503 problem+json with `Retry-After`.
 */
export function createRateLimiter(deps: RateLimitDeps, opts: LimiterOptions): RequestHandler {
  // The name is quoted into a structured header and a Redis key: keep it to a safe token.
  if (!NAME.test(opts.name)) throw new Error(`rate limiter name must match ${NAME}: ${opts.name}`);
  const send = deps.sendProblem ?? writeProblem;
  const log = throttledStoreErrorLog({
    logger: deps.logger,
    limiter: opts.name,
    failOpen: deps.failOpen,
    intervalMs: deps.logIntervalMs ?? 10_000,
  });
  const storeOptions = {
    client: deps.redis,
    prefix: `${deps.prefix}${opts.name}:`,
    limiter: opts.name,
    timeoutMs: deps.storeTimeoutMs ?? 500,
    onError: (err: unknown) => {
      deps.onStoreError?.(opts.name, err);
      log(err);
    },
  };
  const store = opts.batch
    ? new BatchedRedisStore({
        ...storeOptions,
        syncIntervalMs: opts.batch.syncIntervalMs ?? 100,
        maxPending: opts.batch.maxPending ?? defaultMaxPending(opts.limit),
      })
    : new ResilientRedisStore(storeOptions);
  const limiter = rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: opts.name,
    store,
    passOnStoreError: deps.failOpen,
    keyGenerator: opts.key,
    // Uncounting is one more Redis call, made only for answers ≥ 500 or aborted requests.
    skipFailedRequests: !(opts.countServerErrors ?? false),
    requestWasSuccessful: (_req, res) => res.statusCode < 500,
    // Store failures are reported above, once per interval; its console lines would repeat them.
    logger: { error: () => {}, warn: () => {} },
    // Its checks target the default IP key generator and a single in-memory store; ours are
    // explicit (trust proxy is the app's setting) and tested.
    validate: false,
    handler: (req, res) => {
      deps.onRejected?.(opts.name, req);
      send(req, res, tooManyRequests);
    },
  });
  if (deps.failOpen) return limiter;
  const retryAfter = String(deps.unavailableRetryAfterS ?? 5);
  // Fail closed: express-rate-limit hands the store error to next(err); answer 503 ourselves
  // (the default handler would make it a 500). Other errors are bugs: the app's handler.
  return (req, res, next) => {
    void limiter(req, res, (err?: unknown) => {
      if (!(err instanceof RateLimitStoreError)) return next(err);
      if (!res.headersSent) res.setHeader('Retry-After', retryAfter);
      send(req, res, rateLimitingUnavailable);
    });
  };
}
