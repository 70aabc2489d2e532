import { describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { parseKeyValueList } from './key-value-list.ts';
import { samplerFromEnv } from './sampler.ts';

const remoteParent = (traceId: string, sampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '1'.repeat(16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });

// Trace ids whose ratio decision is known: TraceIdRatioBased XORs the id's four 32-bit words
// and compares the result with ratio × 2^32: 0x00000001 is in at any ratio, 0xffffffff out.
const IN = `${'0'.repeat(31)}1`;
const OUT = `ffffffff${'0'.repeat(24)}`;

describe('samplerFromEnv', () => {
  it('parentbased_always_on follows a sampled remote parent and samples new traces', () => {
    const s = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' });
    expect(
      s.shouldSample(remoteParent(OUT, true), OUT, 'x', SpanKind.SERVER, {}, []).decision,
    ).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(s.shouldSample(ROOT_CONTEXT, OUT, 'x', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('parentbased_traceidratio: a browser flag cannot force tracing; the ratio decides by trace id', () => {
    const s = samplerFromEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: 0.1,
    });
    const decide = (ctx: typeof ROOT_CONTEXT, id: string) =>
      s.shouldSample(ctx, id, 'x', SpanKind.SERVER, {}, []).decision;
    expect(decide(remoteParent(OUT, true), OUT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(remoteParent(IN, true), IN)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(ROOT_CONTEXT, OUT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(ROOT_CONTEXT, IN)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    // An unsampled remote parent stays unsampled.
    expect(decide(remoteParent(IN, false), IN)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('always_off samples nothing', () => {
    const s = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' });
    expect(s.shouldSample(ROOT_CONTEXT, IN, 'x', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });
});

describe('parseKeyValueList (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES)', () => {
  it('splits pairs, trims, percent-decodes values and skips malformed entries', () => {
    expect(parseKeyValueList(' a=1 , Authorization=Basic%20abc%3D ,broken,=x')).toEqual({
      a: '1',
      Authorization: 'Basic abc=',
    });
    expect(parseKeyValueList(undefined)).toEqual({});
  });
});
