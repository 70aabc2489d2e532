import type { HealthCheckResult, HealthStatus } from './types.ts';

/** fail if a critical check failed, degraded if only optional ones did, ok otherwise. */
export function reportStatus(results: readonly HealthCheckResult[]): HealthStatus {
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.some((r) => r.critical)) return 'fail';
  return failed.length > 0 ? 'degraded' : 'ok';
}
