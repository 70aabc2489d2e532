import { z } from 'zod';

// Variables every process reads. Composed with module fragments into one schema per process.
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').meta({
    description:
      'Runtime mode. production turns on HSTS, refuses unsafe settings and hides stack traces.',
  }),
  SERVICE_VERSION: z.string().min(1).optional().meta({
    description:
      'Version reported in logs, health output and Sentry releases. Defaults to RAILWAY_GIT_COMMIT_SHA, then the package version.',
  }),
  RAILWAY_GIT_COMMIT_SHA: z.string().optional().meta({
    description:
      'Set by Railway at deploy time; used as the version when SERVICE_VERSION is unset.',
  }),
};
