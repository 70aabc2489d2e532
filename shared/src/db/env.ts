import { z } from 'zod';

export const dbEnv = {
  DATABASE_URL: z.url().meta({
    description:
      'PostgreSQL connection string (Supabase: the session pooler or direct connection).',
    secret: true,
    example: 'postgres://postgres:postgres@127.0.0.1:54322/postgres',
  }),
  DATABASE_POOL_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .meta({ description: 'Maximum connections in this process’s pool.' }),
  DATABASE_PREPARE: z.stringbool().default(true).meta({
    description:
      'Use prepared statements. Set false behind a transaction-mode pooler (Supabase :6543).',
  }),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5000)
    .meta({ description: 'Timeout for opening one database connection.' }),
  DATABASE_STARTUP_WAIT_MS: z.coerce.number().int().min(0).default(30000).meta({
    description:
      'At start, how long to wait (with backoff) for the database before exiting non-zero.',
  }),
  MIGRATE_ON_START: z.stringbool().default(false).meta({
    description:
      'Apply pending migrations at start (under an advisory lock). For single-instance setups; otherwise run db:migrate as a pre-deploy step.',
  }),
};
