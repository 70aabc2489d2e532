import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The API's own metrics, registered on the process registry (which carries `service`). */
export function createApiMetrics(registry: Registry) {
  return {
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: inFlightGauge(registry),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429, by limiter.',
      labelNames: ['limiter'] as const,
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: 'rate_limit_store_errors_total',
      help: 'Rate-limit store (Redis) failures; the request was let through or refused per RATE_LIMIT_FAIL_OPEN.',
      labelNames: ['limiter'] as const,
      registers: [registry],
    }),
    uploadsCreated: new Counter({
      name: 'uploads_created_total',
      help: 'Uploads created (signed upload URL handed out).',
      registers: [registry],
    }),
    uploadsCompleted: new Counter({
      name: 'uploads_completed_total',
      help: 'Uploads completed (object verified, processing enqueued).',
      registers: [registry],
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** In-flight requests as a plain counter, read by the gauge only when scraped. */
function inFlightGauge(registry: Registry) {
  let current = 0;
  new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served right now.',
    registers: [registry],
    collect() {
      this.set(current);
    },
  });
  return {
    inc: (): void => {
      current += 1;
    },
    dec: (): void => {
      current -= 1;
    },
    value: (): number => current,
  };
}
