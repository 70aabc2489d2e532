import { z } from 'zod';

/**
 * The standard OpenTelemetry variables this starter reads (the names every OTel SDK and
 * backend documents). Tracing is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export const tracingEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional().meta({
    description:
      'OTLP/HTTP base URL of a trace collector (spans go to <url>/v1/traces, JSON). Unset: tracing is off and no span is made.',
    example: 'http://127.0.0.1:4318',
  }),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional().meta({
    description:
      'Headers sent with every export, `key=value,key2=value2` (Honeycomb `x-honeycomb-team=…`, Grafana Cloud `Authorization=Basic …`).',
    secret: true,
  }),
  OTEL_SERVICE_NAME: z.string().min(1).optional().meta({
    description: 'service.name of the spans. Default: the process name (api, worker).',
  }),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .default('parentbased_always_on')
    .meta({
      description:
        'Which traces are recorded. parentbased_always_on: all, continuing an incoming traceparent. parentbased_traceidratio: OTEL_TRACES_SAMPLER_ARG of traces, also of those a browser starts (its sampled flag cannot force tracing).',
    }),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional().meta({
    description: 'Ratio for the *traceidratio samplers (0–1). Default 1.',
    example: '0.1',
  }),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional().meta({
    description:
      'Extra resource attributes, `key=value,key2=value2` (e.g. deployment.environment.name=staging). They win over the defaults.',
  }),
};

export interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_TRACES_SAMPLER: z.infer<typeof tracingEnv.OTEL_TRACES_SAMPLER>;
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
  OTEL_RESOURCE_ATTRIBUTES?: string | undefined;
}
