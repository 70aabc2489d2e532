import { describe, expect, it } from '@jest/globals';
import { context, propagation, trace } from '@opentelemetry/api';
import { tracingChannel } from 'node:diagnostics_channel';
import { currentTracing, startTracing } from './start-tracing.ts';
import { currentTraceparent, traceLogFields } from './trace-context.ts';

// Off means off: without OTEL_EXPORTER_OTLP_ENDPOINT nothing is registered with
// OpenTelemetry's global API, ioredis's channel gets no subscriber, and the helpers are no-ops.
describe('startTracing without an endpoint', () => {
  it('registers nothing and hands back a disabled handle (the same on a second call)', async () => {
    const tracing = startTracing({
      env: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
      service: 'test',
      environment: 'test',
    });
    expect(tracing.enabled).toBe(false);
    expect(currentTracing()).toBe(tracing);
    expect(
      startTracing({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
          OTEL_TRACES_SAMPLER: 'always_on',
        },
        service: 'test',
        environment: 'test',
      }),
    ).toBe(tracing);
    // No provider: spans from the global API do not record; no propagator: nothing injected.
    const span = trace.getTracer('x').startSpan('y');
    expect(span.isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    await context.with(trace.setSpan(context.active(), span), async () => {
      expect(currentTraceparent()).toBeUndefined();
    });
    expect(traceLogFields()).toEqual({});
    expect(tracingChannel('ioredis:command').hasSubscribers).toBe(false);
    await tracing.shutdown();
  });
});
