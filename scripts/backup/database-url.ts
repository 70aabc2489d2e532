import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** How the pg_* tools reach a database without the password on their command line. */
export interface PgConnection {
  /** The URL without its password: safe in argv (visible in `ps`) and in messages. */
  dbnameArg: string;
  /** PGPASSWORD when the URL carried one; libpq reads it, `ps` does not show it. */
  env: Record<string, string>;
  /** host:port/database, for reports. Never the user or the password. */
  label: string;
  database: string;
  /** Replaces the password wherever a tool echoes it back (it should not; belt and braces). */
  scrub(text: string): string;
}

/**
 * DATABASE_URL from the environment, else from `<repo>/.env` (variables already set win, as
 * with `npm run db:migrate`).
 */
export function readDatabaseUrl(repoRoot: string): string | undefined {
  loadDotEnv(repoRoot);
  return process.env.DATABASE_URL;
}

/** Loads `<repo>/.env` into process.env when present; variables already set are kept. */
export function loadDotEnv(repoRoot: string): void {
  const file = join(repoRoot, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export function pgConnection(url: string): PgConnection {
  if (!URL.canParse(url)) throw new Error('the database URL is not a valid URL (value not shown)');
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(
      `the database URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`,
    );
  }
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  const port = parsed.port || '5432';
  return {
    dbnameArg: parsed.toString(),
    env: password ? { PGPASSWORD: password } : {},
    label: `${parsed.hostname}:${port}/${database}`,
    database,
    scrub: (text) => (password ? text.split(password).join('***') : text),
  };
}
