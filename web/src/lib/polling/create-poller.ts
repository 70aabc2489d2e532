export type PollResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PollerOptions<T> {
  /** Wait before the first poll (the page already shows a fresh answer). Default 0. */
  startDelayMs?: number;
  load(signal: AbortSignal): Promise<T>;
  /** Called with every answer (or failure) of the latest poll; never after stop(). */
  onResult(result: PollResult<T>): void;
  /** Milliseconds until the next poll, given the latest result. */
  nextDelay(result: PollResult<T>): number;
}

export interface Poller {
  start(): void;
  stop(): void;
  /** Polls now (cancelling a poll in flight) and restarts the schedule from there. */
  refresh(): void;
}

/**
 * A poll loop outside React: one request at a time, a timer between answers, an immediate poll
 * when a background tab becomes visible again. Components subscribe to it from an effect.
 */
export function createPoller<T>(o: PollerOptions<T>): Poller {
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: AbortController | undefined;

  async function tick(): Promise<void> {
    clearTimeout(timer);
    current?.abort();
    const ctl = new AbortController();
    current = ctl;
    let result: PollResult<T>;
    try {
      result = { ok: true, value: await o.load(ctl.signal) };
    } catch (error) {
      result = { ok: false, error };
    }
    // Superseded by a newer poll, or stopped: that one reports instead.
    if (!running || current !== ctl) return;
    o.onResult(result);
    timer = setTimeout(() => void tick(), o.nextDelay(result));
  }

  const onVisible = (): void => {
    if (document.visibilityState === 'visible') void tick();
  };

  return {
    start() {
      if (running) return;
      running = true;
      document.addEventListener('visibilitychange', onVisible);
      if (o.startDelayMs) timer = setTimeout(() => void tick(), o.startDelayMs);
      else void tick();
    },
    stop() {
      running = false;
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(timer);
      current?.abort();
      current = undefined;
    },
    refresh() {
      if (running) void tick();
    },
  };
}
