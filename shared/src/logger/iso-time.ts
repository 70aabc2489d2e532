let lastMs = -1;
let lastChunk = '';

/**
 * pino `timestamp`: `,"time":"<ISO 8601>"` like pino's isoTime, formatted once per millisecond.
 * Date#toISOString costs more than the rest of a short log line; busy processes write many
 * lines within the same millisecond.
 */
export function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastChunk = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastChunk;
}
