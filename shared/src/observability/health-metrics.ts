import { Gauge, type Registry } from 'prom-client';

/** The part of a health check result the metrics need (the health module's HealthCheckResult fits). */
export interface HealthResultLike {
  status: 'ok' | 'fail';
  latencyMs: number;
}

/**
 * `health_check_up{check}` (1/0) and `health_check_latency_seconds{check}` on `registry`,
 * and the callback that sets them: pass it as the health registry's `onResult`. Alerting on
 * these needs no extra probe traffic: every real check run (probes, /health) updates them.
 */
export function createHealthMetrics(
  registry: Registry,
): (name: string, result: HealthResultLike) => void {
  const up = new Gauge({
    name: 'health_check_up',
    help: 'Whether the named health check passed on its last run (1) or failed (0).',
    labelNames: ['check'] as const,
    registers: [registry],
  });
  const latency = new Gauge({
    name: 'health_check_latency_seconds',
    help: 'Duration of the named health check on its last run.',
    labelNames: ['check'] as const,
    registers: [registry],
  });
  return (name, result) => {
    up.set({ check: name }, result.status === 'ok' ? 1 : 0);
    latency.set({ check: name }, result.latencyMs / 1000);
  };
}
