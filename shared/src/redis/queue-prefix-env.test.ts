import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { redisEnv } from './env.ts';

// Redis Cluster needs every BullMQ key of a queue in one slot: a hash-tagged prefix such as
// {bull} (the queue module's hash-tag-prefix test proves the keys carry it on a real Redis).
describe('QUEUE_PREFIX', () => {
  it('takes a hash-tagged prefix and defaults to bull', () => {
    const schema = z.object(redisEnv);
    const base = { REDIS_URL: 'redis://127.0.0.1:6380' };
    expect(schema.parse(base).QUEUE_PREFIX).toBe('bull');
    expect(schema.parse({ ...base, QUEUE_PREFIX: '{bull}' }).QUEUE_PREFIX).toBe('{bull}');
  });
});
