import { z } from 'zod';

export const redisEnv = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .meta({
      description:
        'Redis connection string; rediss:// for TLS. Redis must run with maxmemory-policy noeviction.',
      secret: true,
      example: 'redis://127.0.0.1:6380',
    }),
  QUEUE_PREFIX: z
    .string()
    .min(1)
    .default('bull')
    .meta({ description: 'BullMQ key prefix. On Redis Cluster use a hash tag such as {bull}.' }),
};
