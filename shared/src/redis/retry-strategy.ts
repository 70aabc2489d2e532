/**
 * Pause before reconnect attempt `times` (1-based): 100 ms doubling, capped at `capMs`, plus up
 * to 100 ms of jitter so replicas do not reconnect in lockstep. Never gives up (no null): a
 * process that stops reconnecting stays broken after Redis comes back.
 */
export function reconnectDelay(times: number, capMs = 2000): number {
  const base = Math.min(100 * 2 ** Math.min(times - 1, 16), capMs);
  return base + Math.floor(Math.random() * 100);
}
