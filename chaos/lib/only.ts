/**
 * CHAOS_ONLY=storage-outage,poison-job runs only the named scenarios (and the final checks):
 * for developing one scenario without waiting for the others. Unset: every scenario runs.
 */
const only = new Set(
  (process.env.CHAOS_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const selected = (name: string): boolean => only.size === 0 || only.has(name);
