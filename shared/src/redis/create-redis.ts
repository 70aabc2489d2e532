import { Redis, type RedisOptions } from 'ioredis';
import { logConnectionState } from './connection-log.ts';
import type { RedisLogger } from './redis-logger.ts';
import { reconnectDelay } from './retry-strategy.ts';

/**
 * worker: BullMQ Worker/QueueEvents connections — commands wait for a reconnect forever
 *   (BullMQ requires maxRetriesPerRequest: null for its blocking commands).
 * producer: the API's Queue connection — no offline queue, one retry, a command timeout:
 *   while Redis is down `add()` fails at once and the API answers 503 instead of hanging.
 * client: anything else (rate-limit store, cache) — queues through a short reconnect, then fails.
 */
export type RedisRole = 'worker' | 'producer' | 'client';

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null, enableOfflineQueue: true },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 5000 },
  client: { maxRetriesPerRequest: 2, enableOfflineQueue: true },
};

export interface CreateRedisOptions {
  role: RedisRole;
  /** CLIENT SETNAME: tells connections apart in `CLIENT LIST` (e.g. "api:producer"). */
  connectionName?: string;
  /** Connect on the first command or `connect()` instead of at once. */
  lazyConnect?: boolean;
  /** Logs outages and recoveries (never the URL or password). */
  logger?: RedisLogger;
  /** Timeout for opening the connection (default 5000 ms). */
  connectTimeoutMs?: number;
}

/**
 * An ioredis connection with queue-safe options for its role. `family: 0` resolves both IPv4
 * and IPv6 (Railway's private network is IPv6-only in older environments); `rediss://` turns
 * TLS on (Upstash and most managed Redis). Options given in the URL's query win.
 */
export function createRedis(url: string, opts: CreateRedisOptions): Redis {
  // ioredis would throw node's ERR_INVALID_URL, whose `input` property carries the password.
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new Error('Redis URL must be a redis:// or rediss:// URL (value not shown)');
  }
  const name = opts.connectionName ?? opts.role;
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[opts.role],
    family: 0,
    connectionName: opts.connectionName,
    lazyConnect: opts.lazyConnect ?? false,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    // ioredis waits this long for a closed socket's 'close' before destroying it, also when
    // disconnecting while reconnecting (its old socket is long gone): keep shutdown quick.
    disconnectTimeout: 500,
    retryStrategy: (times) => reconnectDelay(times),
    // A managed Redis that fails over leaves us connected to a replica: reconnect to the primary.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  });
  logConnectionState(redis, name, opts.logger);
  return redis;
}
