import { collectDefaultMetrics, Registry } from 'prom-client';
import { createHealthMetrics, type HealthResultLike } from './health-metrics.ts';
import {
  createMetricsHandler,
  type MetricsHandler,
  type MetricsHandlerOptions,
} from './metrics-handler.ts';

export interface CreateMetricsOptions {
  /** Default label on every metric of this registry (`service="api"`). */
  service: string;
  /** Default process metrics (CPU, memory, event-loop lag, GC, handles). Default true. */
  collectDefault?: boolean;
  /** Prefix for the default process metrics' names. */
  prefix?: string;
}

export interface Metrics {
  /** The process's own registry (not prom-client's global one): register app metrics on it. */
  registry: Registry;
  /** The /metrics handler; pass a token (or { token }) to require `Authorization: Bearer`. */
  handler(opts?: MetricsHandlerOptions | string): MetricsHandler;
  /** Sets health_check_up{check} and health_check_latency_seconds{check}: the health registry's `onResult`. */
  onHealthResult(name: string, result: HealthResultLike): void;
  /** Runs the health checks on each scrape so health_check_up is never stale (see HealthMetrics). */
  refreshHealthOnScrape(run: () => Promise<unknown>): void;
}

export function createMetrics(opts: CreateMetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  if (opts.collectDefault ?? true) {
    collectDefaultMetrics(
      opts.prefix ? { register: registry, prefix: opts.prefix } : { register: registry },
    );
  }
  const health = createHealthMetrics(registry);
  return {
    registry,
    handler: (handlerOpts) => createMetricsHandler(registry, handlerOpts),
    onHealthResult: health.onResult,
    refreshHealthOnScrape: health.refreshOnScrape,
  };
}
