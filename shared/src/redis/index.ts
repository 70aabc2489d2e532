export { createRedis, type CreateRedisOptions, type RedisRole } from './create-redis.ts';
export { redisCheck } from './redis-check.ts';
export { closeRedis } from './close-redis.ts';
export { RedisError } from './redis-error.ts';
export { reconnectDelay } from './retry-strategy.ts';
export type { RedisLogger } from './redis-logger.ts';
export { redisEnv } from './env.ts';
