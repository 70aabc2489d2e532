export interface PollState {
  /** Something may change soon: a file in flight, or an upload the worker has not finished. */
  active: boolean;
  /** Consecutive failed polls. */
  failures: number;
  /** Consecutive polls, while active, that brought no change. */
  quietPolls: number;
  /** The tab is in the background. */
  hidden: boolean;
}

/**
 * When to ask for the list again. Fast (1 s) while something is moving, slowing down by half
 * each quiet poll up to 5 s; every 15 s when nothing is; exponential back-off from 2 s to 30 s
 * while the API fails; at most once a minute in a background tab. Polling rather than SSE: the
 * API stays stateless and a proxy or serverless platform in between needs nothing special.
 */
export function nextPollDelay(s: PollState): number {
  let ms: number;
  if (s.failures > 0) ms = Math.min(30_000, 2_000 * 2 ** (s.failures - 1));
  else if (s.active) ms = Math.min(5_000, Math.round(1_000 * 1.5 ** s.quietPolls));
  else ms = 15_000;
  return s.hidden ? Math.max(ms, 60_000) : ms;
}
