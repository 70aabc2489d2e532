import { Gauge, type Registry } from 'prom-client';

/** The part of a health check result the metrics need (the health module's HealthCheckResult fits). */
export interface HealthResultLike {
  status: 'ok' | 'fail';
  latencyMs: number;
}

export interface HealthMetrics {
  /** Sets both gauges: pass it as the health registry's `onResult`. */
  onResult(name: string, result: HealthResultLike): void;
  /**
   * Runs the checks on every scrape, before the gauges are read (e.g. `() => registry.run()`:
   * cached and single-flight, each check under its timeout). Without it the gauges are only as
   * fresh as the last /health probe, and a platform that probes only /health/live would leave
   * `health_check_up{check="db"}` at 1 long after the database went away.
   */
  refreshOnScrape(run: () => Promise<unknown>): void;
}

/**
 * `health_check_up{check}` (1/0) and `health_check_latency_seconds{check}` on `registry`, set
 * by every check run (probes, /health) and, with `refreshOnScrape`, by every scrape.
 */
export function createHealthMetrics(registry: Registry): HealthMetrics {
  let refresh: (() => Promise<unknown>) | undefined;
  const up = new Gauge({
    name: 'health_check_up',
    help: 'Whether the named health check passed on its last run (1) or failed (0).',
    labelNames: ['check'] as const,
    registers: [registry],
    // prom-client awaits collect() before reading the gauge: the scrape sees this run's result.
    // A run never rejects (failures are results); if it did, the last values are served.
    async collect() {
      await refresh?.().catch(() => undefined);
    },
  });
  const latency = new Gauge({
    name: 'health_check_latency_seconds',
    help: 'Duration of the named health check on its last run.',
    labelNames: ['check'] as const,
    registers: [registry],
  });
  return {
    onResult(name, result) {
      up.set({ check: name }, result.status === 'ok' ? 1 : 0);
      latency.set({ check: name }, result.latencyMs / 1000);
    },
    refreshOnScrape(run) {
      refresh = run;
    },
  };
}
