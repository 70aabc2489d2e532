import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TracingEnv } from './env.ts';
import { parseKeyValueList } from './key-value-list.ts';
import { samplerFromEnv } from './sampler.ts';
import { subscribeRedisSpans } from './redis-spans.ts';

export interface StartTracingOptions {
  env: TracingEnv & { OTEL_EXPORTER_OTLP_HEADERS?: string | undefined };
  /** Default service.name (OTEL_SERVICE_NAME wins). */
  service: string;
  /** service.version (SERVICE_VERSION or the commit); omitted when unknown. */
  version?: string | undefined;
  /** deployment.environment.name (NODE_ENV). */
  environment: string;
}

export interface Tracing {
  /** False without OTEL_EXPORTER_OTLP_ENDPOINT: nothing was registered, every helper is a no-op. */
  readonly enabled: boolean;
  /** The tracer for this process's own spans (OpenTelemetry's no-op tracer when off). */
  readonly tracer: Tracer;
  /** Exports what is buffered and stops the exporter (a lifecycle close hook). */
  shutdown(): Promise<void>;
}

const TRACER_NAME = '@saas/shared/tracing';

const disabled: Tracing = Object.freeze({
  enabled: false,
  tracer: trace.getTracer(TRACER_NAME),
  shutdown: () => Promise.resolve(),
});

let current: Tracing | undefined;

/**
 * Starts OpenTelemetry tracing once per process, from instrument.ts: a tracer provider with the
 * sampler and resource the standard OTEL_* variables describe, a batching OTLP/HTTP (JSON)
 * exporter, AsyncLocalStorage context and the W3C `traceparent` propagator, plus spans for
 * every ioredis command made inside a span. No module is patched: HTTP, SQL and S3 spans come
 * from this project's own edges (request middleware, db and storage modules).
 * Without OTEL_EXPORTER_OTLP_ENDPOINT nothing is registered and the handle is disabled.
 * A second call returns the first handle.
 */
export function startTracing(opts: StartTracingOptions): Tracing {
  if (current) return current;
  const endpoint = opts.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) {
    current = disabled;
    return current;
  }
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        'service.name': opts.service,
        ...(opts.version ? { 'service.version': opts.version } : {}),
        'deployment.environment.name': opts.environment,
      }),
    )
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the SDK's own detector.
    .merge(detectResources({ detectors: [envDetector] }));
  const exporter = new OTLPTraceExporter({
    url: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
    headers: parseKeyValueList(opts.env.OTEL_EXPORTER_OTLP_HEADERS),
  });
  const provider = new TracerProvider({
    resource,
    sampler: samplerFromEnv(opts.env),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer(TRACER_NAME);
  const unsubscribeRedis = subscribeRedisSpans(tracer);
  current = Object.freeze({
    enabled: true,
    tracer,
    shutdown: async () => {
      unsubscribeRedis();
      await provider.shutdown();
    },
  });
  return current;
}

/** The handle startTracing returned in this process (instrument.ts), or a disabled one. */
export function currentTracing(): Tracing {
  return current ?? disabled;
}
