import { z } from 'zod';

export const lifecycleEnv = {
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000).meta({
    description:
      'Hard limit for graceful shutdown after SIGTERM; past it the process exits 1 naming the step that hung. Keep it below the platform’s drain time.',
  }),
};
