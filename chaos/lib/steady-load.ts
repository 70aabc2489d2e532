import autocannon from 'autocannon';

export interface LoadEvent {
  t: number;
  /** 0 for a request error (refused, reset, timeout). */
  status: number;
}

export interface SteadyLoad {
  readonly target: string;
  readonly events: LoadEvent[];
  stop(): void;
}

/**
 * Background autocannon load on one API at a fixed request rate, every response and error
 * timestamped so the verdict can tell expected answers (a 503 while Redis is away on the
 * fail-closed replica) from unexpected ones.
 */
export function startSteadyLoad(opts: {
  target: string;
  url: string;
  headers: Record<string, string>;
  ratePerS: number;
}): SteadyLoad {
  const events: LoadEvent[] = [];
  const instance = autocannon({
    url: opts.url,
    connections: 4,
    overallRate: opts.ratePerS,
    duration: 3600,
    timeout: 10,
    headers: opts.headers,
  });
  instance.on('response', (_client: unknown, status: number) => {
    events.push({ t: Date.now(), status });
  });
  instance.on('reqError', () => {
    events.push({ t: Date.now(), status: 0 });
  });
  // The promise settles on stop(); nothing to do with its result here.
  void Promise.resolve(instance).catch(() => {});
  return { target: opts.target, events, stop: () => instance.stop() };
}
