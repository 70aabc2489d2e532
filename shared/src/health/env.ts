import { z } from 'zod';

export const healthEnv = {
  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(30000).default(2000).meta({
    description:
      'Per-check timeout: a hanging dependency makes a health endpoint answer late by at most this.',
  }),
  HEALTH_CACHE_MS: z.coerce.number().int().min(0).max(60000).default(1000).meta({
    description:
      'How long a health result is reused, so a flood of probes cannot flood the dependencies.',
  }),
};
