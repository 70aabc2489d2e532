import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type { RedisCaller } from './resilient-redis-store.ts';
import { RateLimitStoreError } from './store-error.ts';

export interface BatchedRedisStoreOptions {
  client: RedisCaller;
  /** Full key prefix of this limiter's counters (e.g. `rl:global:`). */
  prefix: string;
  /** Limiter name, carried by the errors. */
  limiter: string;
  /** Longest wait for one reconciliation with Redis before the store counts as down. */
  timeoutMs: number;
  /** How often the local counts are sent to Redis (and the other replicas' counts read back). */
  syncIntervalMs: number;
  /**
   * Requests one key may admit locally before this replica waits for Redis (a reconciliation
   * is started and awaited): the bound on what one replica admits unseen by the others.
   */
  maxPending: number;
  /** Every failure, before it is rethrown as a RateLimitStoreError. */
  onError?: (err: unknown) => void;
}

interface Entry {
  /** Counted here, not sent yet. */
  pending: number;
  /** Hits counted by this replica in this window (to tell its own hits from the others'). */
  own: number;
  /** Sent, not acknowledged yet. */
  inFlight: number;
  /** The shared count as Redis last answered it (every replica's acknowledged hits). */
  shared: number;
  /** When the key's window ends (ms since epoch). */
  resetAt: number;
}

// INCRBY the batch, start the window on the first hit, answer the total and the time left.
const SYNC_SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {total, ttl}`;

/**
 * A fixed-window counter kept locally and reconciled with Redis in batches: a request costs a
 * Map lookup instead of a Redis round trip. Every `syncIntervalMs` (and whenever a key has
 * `maxPending` unsent hits) the hits counted here are added to the shared Redis counter in
 * one script per key, which answers the total of every replica.
 *
 * The error is bounded and one-sided (it only ever admits more, never fewer): a replica
 * admits at most `maxPending` hits per key that Redis has not seen, plus one batch in flight,
 * so with R replicas a key gets at most `limit + 2 × maxPending × R` requests per window
 * (exactly `limit` on a single replica, whose own hits it always knows). Limits that must be
 * exact (login, upload creation) use the per-request store instead.
 *
 * Redis down or slow: the reconciliation fails; hits keep being counted locally until a key
 * reaches `maxPending`, then the request fails with a RateLimitStoreError and the limiter's
 * fail-open/closed policy decides, as with the per-request store.
 */
export class BatchedRedisStore implements Store {
  readonly prefix: string;
  readonly localKeys = false;
  private readonly entries = new Map<string, Entry>();
  private windowMs = 60_000;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private lastError: unknown;
  private readonly opts: BatchedRedisStoreOptions;

  constructor(opts: BatchedRedisStoreOptions) {
    this.opts = opts;
    this.prefix = opts.prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.timer = setInterval(() => void this.sync().catch(() => {}), this.opts.syncIntervalMs);
    this.timer.unref();
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const e = this.entries.get(key);
    if (!e || e.resetAt <= Date.now()) return undefined;
    return { totalHits: e.shared + e.inFlight + e.pending, resetTime: new Date(e.resetAt) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    let e = this.entries.get(key);
    if (!e || (e.resetAt <= now && e.pending === 0 && e.inFlight === 0)) {
      e = { pending: 0, own: 0, inFlight: 0, shared: 0, resetAt: now + this.windowMs };
      this.entries.set(key, e);
    } else if (e.resetAt <= now) {
      // The window ended here; Redis' key expired too. Unsent hits belong to the old window.
      e.shared = 0;
      e.pending = 0;
      e.own = 0;
      e.resetAt = now + this.windowMs;
    }
    e.pending += 1;
    e.own += 1;
    // This request's place in the window: every hit known before it, and itself.
    let hits = e.shared + e.inFlight + e.pending;
    if (e.pending >= this.opts.maxPending) {
      // Bound what this replica admits unseen: wait for Redis (or fail by the policy). What
      // the wait reveals of the other replicas' hits moves this request back; the hits this
      // replica counts meanwhile came after it and do not.
      const ownBefore = e.own;
      try {
        await this.sync();
      } catch (err) {
        e.pending -= 1;
        e.own -= 1;
        throw err;
      }
      hits = Math.max(1, e.shared + e.inFlight + e.pending - (e.own - ownBefore));
    }
    return { totalHits: hits, resetTime: new Date(e.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (e) {
      e.pending -= 1;
      e.own -= 1;
    }
  }

  async resetKey(key: string): Promise<void> {
    this.entries.delete(key);
    await this.guard(this.opts.client.call('DEL', `${this.prefix}${key}`));
  }

  /** Sends what is pending now; pending hits of a failed sync stay counted and are retried. */
  async flush(): Promise<void> {
    await this.sync();
  }

  shutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * One reconciliation at a time: a caller arriving while one runs joins the next one (which
   * sends what was counted meanwhile); every caller arriving before it starts shares it.
   */
  private sync(): Promise<void> {
    if (this.queued) return this.queued;
    const start = (): Promise<void> => {
      const p = this.syncOnce().finally(() => {
        if (this.running === p) this.running = undefined;
      });
      this.running = p;
      return p;
    };
    if (!this.running) return start();
    const q = this.running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return start();
      });
    this.queued = q;
    return q;
  }

  private async syncOnce(): Promise<void> {
    const now = Date.now();
    const batch: [string, Entry, number][] = [];
    for (const [key, e] of this.entries) {
      if (e.pending !== 0) {
        batch.push([key, e, e.pending]);
        e.inFlight += e.pending;
        e.pending = 0;
      } else if (e.resetAt <= now && e.inFlight === 0) {
        this.entries.delete(key); // window over, nothing unsent: forget it (bounded memory)
      }
    }
    if (batch.length === 0) {
      if (this.lastError !== undefined) throw this.storeError(this.lastError);
      return;
    }
    const replies = await Promise.allSettled(
      batch.map(([key, , n]) =>
        this.guard(
          this.opts.client.call(
            'EVAL',
            SYNC_SCRIPT,
            1,
            `${this.prefix}${key}`,
            n,
            this.windowMs,
          ) as Promise<[number, number]>,
        ),
      ),
    );
    const at = Date.now();
    let failure: unknown;
    replies.forEach((r, i) => {
      const [, e, n] = batch[i]!;
      e.inFlight -= n;
      if (r.status === 'fulfilled') {
        const [total, ttl] = r.value;
        e.shared = Number(total) - e.inFlight; // what another batch in flight adds is still ours
        e.resetAt = at + Number(ttl);
      } else {
        e.pending += n; // retried next time
        failure ??= r.reason;
      }
    });
    this.lastError = failure;
    if (failure !== undefined) throw this.storeError(failure);
  }

  private storeError(err: unknown): RateLimitStoreError {
    return err instanceof RateLimitStoreError
      ? err
      : new RateLimitStoreError(this.opts.limiter, err);
  }

  private async guard<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`rate-limit store timed out after ${this.opts.timeoutMs} ms`)),
            this.opts.timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      this.opts.onError?.(err);
      throw new RateLimitStoreError(this.opts.limiter, err);
    } finally {
      clearTimeout(timer);
    }
  }
}
