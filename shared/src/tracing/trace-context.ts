import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
} from '@opentelemetry/api';

/** W3C trace context version 00: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The active span's `traceparent`, to carry next to a job's ids; undefined outside a span or
 * with tracing off. Only `traceparent` travels: `tracestate` is vendor data a job does not need.
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** A context whose remote parent is `traceparent` (the root context when it is absent or invalid). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent || !TRACEPARENT.test(traceparent)) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Fields a log line gets inside a span: `{traceId, spanId}`; nothing outside one. */
export function traceLogFields(): { traceId: string; spanId: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ctx = span.spanContext();
  return isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
}

/**
 * Runs `fn` with `traceparent`'s remote span as the active one: what happens there (a log line,
 * a Sentry event) carries that trace id, e.g. a job's final failure, reported from BullMQ's
 * `failed` event after the job's own span has ended. Without one, `fn` just runs.
 */
export function withTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  if (!traceparent || !TRACEPARENT.test(traceparent)) return fn();
  return context.with(contextFromTraceparent(traceparent), fn);
}
