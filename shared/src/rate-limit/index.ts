export { byClientIp, byUser, type RateLimitKey } from './client-keys.ts';
export { BatchedRedisStore, type BatchedRedisStoreOptions } from './batched-redis-store.ts';
export {
  createRateLimiter,
  defaultMaxPending,
  type LimiterOptions,
  type RateLimitDeps,
} from './create-rate-limiter.ts';
export { rateLimitEnv } from './env.ts';
export {
  RATE_LIMIT_PROBLEM_TYPES,
  rateLimitingUnavailable,
  tooManyRequests,
  writeProblem,
  type RateLimitProblem,
  type SendRateLimitProblem,
} from './problem.ts';
export {
  ResilientRedisStore,
  type RedisCaller,
  type ResilientRedisStoreOptions,
} from './resilient-redis-store.ts';
export type { RateLimitLogger } from './store-error-log.ts';
export { RateLimitStoreError } from './store-error.ts';
