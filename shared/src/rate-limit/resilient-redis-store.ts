import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { RateLimitStoreError } from './store-error.ts';

/**
 * The one thing the store needs from a Redis client: ioredis' raw command call. Any client with
 * this shape works (a node-redis client: `{ call: (c, ...a) => client.sendCommand([c, ...a]) }`).
 */
export interface RedisCaller {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface ResilientRedisStoreOptions {
  client: RedisCaller;
  /** Full key prefix of this limiter's counters (e.g. `rl:global:`). */
  prefix: string;
  /** Limiter name, carried by the errors. */
  limiter: string;
  /** Longest wait for Redis per call before the store counts as down. */
  timeoutMs: number;
  /** Every failure, before it is rethrown as a RateLimitStoreError. */
  onError?: (err: unknown) => void;
}

/**
 * A thenable that runs `load` on the first `then` only. Assigned in place of rate-limit-redis'
 * cached script SHA promises: an eager reload while Redis is down would leave a rejected
 * promise that the first request after recovery awaits and fails on, and an unobserved
 * rejection would crash a process whose crash policy is `exit`.
 */
function lazyPromise<T>(load: () => Promise<T>): Promise<T> {
  let loaded: Promise<T> | undefined;
  const thenable: PromiseLike<T> = {
    then: (onFulfilled, onRejected) => (loaded ??= load()).then(onFulfilled, onRejected),
  };
  // rate-limit-redis only awaits these fields; a thenable is all `await` needs.
  return thenable as Promise<T>;
}

/**
 * rate-limit-redis with two production fixes:
 * - it loads its Lua scripts once, at init, and caches the promise: when Redis was down (or the
 *   client not connected yet) at that moment, every later call awaits the same rejected promise
 *   and the limiter never recovers. Here the scripts are reloaded on first use after a failure.
 * - a Redis that accepts connections and never answers would hang every request: each call
 *   races a timeout.
 * Failures are reported through `onError` and rethrown as RateLimitStoreError.
 */
export class ResilientRedisStore implements Store {
  readonly prefix: string;
  readonly localKeys = false;
  private readonly inner: RedisStore;
  private readonly limiter: string;
  private readonly timeoutMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(opts: ResilientRedisStoreOptions) {
    this.prefix = opts.prefix;
    this.limiter = opts.limiter;
    this.timeoutMs = opts.timeoutMs;
    this.onError = opts.onError ?? (() => {});
    this.inner = new RedisStore({
      prefix: opts.prefix,
      sendCommand: (command: string, ...args: string[]) =>
        opts.client.call(command, ...args) as Promise<never>,
    });
  }

  init(options: Options): void {
    // express-rate-limit does not await init; a failure here is healed on first use.
    this.inner.init(options).catch(() => this.reloadScripts());
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.guard(() => this.inner.get(key));
  }

  async increment(key: string): Promise<IncrementResponse> {
    return this.guard(() => this.inner.increment(key));
  }

  async decrement(key: string): Promise<void> {
    return this.guard(() => this.inner.decrement(key));
  }

  async resetKey(key: string): Promise<void> {
    return this.guard(() => this.inner.resetKey(key));
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`rate-limit store timed out after ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      this.reloadScripts();
      this.onError(err);
      throw new RateLimitStoreError(this.limiter, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private reloadScripts(): void {
    const inner = this.inner;
    inner.incrementScriptSha = lazyPromise(() => inner.loadIncrementScript());
    inner.getScriptSha = lazyPromise(() => inner.loadGetScript());
  }
}
