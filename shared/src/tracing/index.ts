export {
  startTracing,
  currentTracing,
  type Tracing,
  type StartTracingOptions,
} from './start-tracing.ts';
export { tracingEnv, type TracingEnv } from './env.ts';
export { samplerFromEnv } from './sampler.ts';
export { parseKeyValueList } from './key-value-list.ts';
export { subscribeRedisSpans } from './redis-spans.ts';
export { requestSpans, type TracedRequest } from './request-spans.ts';
export { withSpan, type WithSpanOptions } from './with-span.ts';
export {
  currentTraceparent,
  contextFromTraceparent,
  traceLogFields,
  withTraceparent,
  TRACEPARENT,
} from './trace-context.ts';
export { SpanKind, SpanStatusCode, type Span, type Tracer, type Context } from '@opentelemetry/api';
// Test helper: a fake of an OTLP/HTTP collector (never started in production).
export {
  startFakeOtlpCollector,
  FAKE_OTLP_SPANS_PATH,
  type FakeOtlpCollector,
  type ReceivedSpan,
} from './fake-otlp-collector.ts';
