import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

/** ioredis' raw command call: the one thing the store needs from the client. */
export interface RedisCaller {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Thrown when the store cannot answer; the limiter fails open or closed on it. */
export class RateLimitStoreError extends Error {
  constructor(limiter: string, cause: unknown) {
    super(`rate-limit store unavailable (${limiter})`, { cause });
    this.name = 'RateLimitStoreError';
  }
}

/**
 * rate-limit-redis with two production fixes:
 * - its SCRIPT LOAD runs once at init and the promise is cached: if Redis was down then, every
 *   later call awaits the same rejected promise and the limiter never recovers. We reload the
 *   scripts after a failure.
 * - a Redis that hangs would hang every request: each call races a timeout.
 * Failures are reported (log + metric) and rethrown as RateLimitStoreError.
 */
export class ResilientRedisStore implements Store {
  readonly prefix: string;
  readonly localKeys = false;
  private readonly inner: RedisStore;
  private readonly limiter: string;
  private readonly timeoutMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(opts: {
    client: RedisCaller;
    prefix: string;
    limiter: string;
    timeoutMs: number;
    onError: (err: unknown) => void;
  }) {
    this.prefix = opts.prefix;
    this.limiter = opts.limiter;
    this.timeoutMs = opts.timeoutMs;
    this.onError = opts.onError;
    this.inner = new RedisStore({
      prefix: opts.prefix,
      sendCommand: (command: string, ...args: string[]) =>
        opts.client.call(command, ...args) as Promise<never>,
    });
  }

  init(options: Options): void {
    // Not awaited by express-rate-limit; a failure here is healed on first use (see reload).
    this.inner.init(options).catch(() => this.reload());
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
      this.reload();
      this.onError(err);
      throw new RateLimitStoreError(this.limiter, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private reload(): void {
    // Lazy: the next call loads the scripts again (and fails fast itself while Redis is down).
    const inner = this.inner;
    const lazy = <T>(load: () => Promise<T>): Promise<T> => {
      let p: Promise<T> | undefined;
      return { then: (a, b) => (p ??= load()).then(a, b) } as Promise<T>;
    };
    inner.incrementScriptSha = lazy(() => inner.loadIncrementScript());
    inner.getScriptSha = lazy(() => inner.loadGetScript());
  }
}
