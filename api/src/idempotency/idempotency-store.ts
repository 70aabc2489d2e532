import type { RedisCaller } from '@saas/shared/rate-limit';

/** A finished answer, as it is replayed. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyRecord =
  | { state: 'in_flight'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

export interface IdempotencyStore {
  /** Claims the key for a new request: true when this request owns it (nobody had it). */
  claim(key: string, fingerprint: string, lockTtlMs: number): Promise<boolean>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the answer for the retention window (only if the record is still there). */
  complete(
    key: string,
    record: IdempotencyRecord & { state: 'done' },
    ttlMs: number,
  ): Promise<void>;
  /** Gives the key up (the answer is not worth replaying: a retry runs again). */
  release(key: string): Promise<void>;
}

/** Thrown when Redis does not answer in time or fails: the caller answers 503, never runs unguarded. */
export class IdempotencyStoreError extends Error {
  constructor(cause: unknown) {
    super('idempotency store unavailable', { cause });
    this.name = 'IdempotencyStoreError';
  }
}

/**
 * Records in Redis: one string per (user, key), `SET NX PX` to claim (atomic across every
 * replica), `SET XX PX` to store the answer. Every call is bounded by `timeoutMs`.
 */
export function createIdempotencyStore(deps: {
  redis: RedisCaller;
  timeoutMs: number;
}): IdempotencyStore {
  const call = async (...args: [string, ...(string | number)[]]): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        deps.redis.call(...args),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`redis timeout ${deps.timeoutMs} ms`)),
            deps.timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      throw new IdempotencyStoreError(err);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async claim(key, fingerprint, lockTtlMs) {
      const record: IdempotencyRecord = { state: 'in_flight', fingerprint };
      return (await call('SET', key, JSON.stringify(record), 'NX', 'PX', lockTtlMs)) === 'OK';
    },
    async get(key) {
      const raw = await call('GET', key);
      return typeof raw === 'string' ? (JSON.parse(raw) as IdempotencyRecord) : undefined;
    },
    async complete(key, record, ttlMs) {
      await call('SET', key, JSON.stringify(record), 'XX', 'PX', ttlMs);
    },
    async release(key) {
      await call('DEL', key);
    },
  };
}
