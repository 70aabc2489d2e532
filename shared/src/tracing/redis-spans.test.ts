import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Redis } from 'ioredis';
import { testServices, uniqueId } from '@saas/shared/test-support';
import { subscribeRedisSpans } from './redis-spans.ts';
import { withSpan } from './with-span.ts';

// ioredis 6 publishes every command on the `ioredis:command` tracing channel; the subscriber
// turns those issued inside a span into child spans. Real Redis, spans collected in memory.
describe('subscribeRedisSpans (real Redis)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  let redis: Redis;
  let unsubscribe: () => void;
  const key = uniqueId('trace-redis');

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    redis = new Redis(testServices.redisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping();
    unsubscribe = subscribeRedisSpans(tracer);
  });

  afterAll(async () => {
    unsubscribe();
    await redis.del(key);
    redis.disconnect();
    context.disable();
  });

  it('commands inside a span are its children, without their arguments; outside, none', async () => {
    exporter.reset();
    await redis.get('outside-any-span');
    const parentId = await withSpan(tracer, 'parent', {}, async (parent) => {
      await redis.set(key, 'secret-value-123');
      await redis.get(key);
      await expect(redis.call('NO_SUCH_COMMAND')).rejects.toThrow();
      return parent.spanContext().spanId;
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'NO_SUCH_COMMAND', 'SET', 'parent']);
    for (const s of spans.filter((x) => x.name !== 'parent')) {
      expect(s.parentSpanContext?.spanId).toBe(parentId);
      expect(s.attributes['db.system.name']).toBe('redis');
      expect(JSON.stringify(s.attributes)).not.toContain('secret-value-123');
    }
    expect(spans.find((s) => s.name === 'NO_SUCH_COMMAND')?.status.code).toBe(2);
  });

  it('after unsubscribing, commands make no spans', async () => {
    unsubscribe();
    exporter.reset();
    await withSpan(tracer, 'parent', {}, () => redis.get(key));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['parent']);
    unsubscribe = subscribeRedisSpans(tracer);
  });
});
