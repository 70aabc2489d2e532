import { z } from 'zod';

/** Env fragment: spread it into your config schema (per-route limits are yours to add). */
export const rateLimitEnv = {
  RATE_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60000)
    .meta({ description: 'Rate-limit window (fixed) for every limiter.' }),
  RATE_LIMIT_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .meta({ description: 'Requests per client per window for the app-wide limiter.' }),
  RATE_LIMIT_FAIL_OPEN: z.stringbool().default(true).meta({
    description:
      'When Redis cannot answer: true lets requests through unlimited (logged, counted); false answers 503.',
  }),
  RATE_LIMIT_PREFIX: z.string().min(1).default('rl:').meta({
    description: 'Redis key prefix of the rate-limit counters (shared by every replica).',
  }),
  RATE_LIMIT_STORE_TIMEOUT_MS: z.coerce.number().int().min(10).default(500).meta({
    description: 'How long a request waits for the rate-limit store before treating it as down.',
  }),
};
