// `npm run db:migrate`: applies pending migrations from infra/supabase/migrations to
// DATABASE_URL (read from the environment, or from .env when present). The production
// pre-deploy step. Use a direct or session-mode connection: the runner's advisory lock does
// not work through a transaction-mode pooler (Supabase :6543). Exit 0 applied/up to date, 1 not.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDb, runMigrations, waitForDb } from '@saas/shared/db';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = fileURLToPath(new URL('../infra/supabase/migrations', import.meta.url));
// Variables already in the environment win over .env.
if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`);

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('[db:migrate] DATABASE_URL is not set: export it, or copy .env.example to .env');
  process.exit(1);
}

const log = (obj: { err?: { message?: string } }, msg: string): void =>
  console.log(`[db:migrate] ${msg}${obj.err?.message ? ` (${obj.err.message})` : ''}`);
const sql = createDb({ url, max: 1, applicationName: 'db-migrate' });
let code = 0;
try {
  await waitForDb(sql, {
    timeoutMs: Number(process.env.DATABASE_STARTUP_WAIT_MS ?? 30_000),
    logger: { info: log, warn: log },
  });
  const { applied } = await runMigrations(sql, { dir, logger: { info: log, warn: log } });
  console.log(
    `[db:migrate] done: ${applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply'}`,
  );
} catch (err) {
  console.error(`[db:migrate] failed: ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  await sql.end({ timeout: 5 });
}
process.exit(code);
