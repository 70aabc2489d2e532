// One-off / pre-deploy entry: applies pending migrations and exits (0 applied or up to date,
// 1 failed). In the production image: `node dist/migrate.js` (Railway's pre-deploy command).
// Needs only the database variables, so it runs before the API's other dependencies exist.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { baseEnv, ConfigError, loadConfig } from '@saas/shared/config';
import { createDb, dbEnv, runMigrations, waitForDb } from '@saas/shared/db';
import { createLogger, loggerEnv, serializeError } from '@saas/shared/logger';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

let env;
try {
  env = loadConfig(z.object({ ...baseEnv, ...loggerEnv, ...dbEnv }), { exampleFile: false });
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
}
const logger = createLogger({
  service: 'api-migrate',
  env: env.NODE_ENV,
  version: env.SERVICE_VERSION ?? 'unknown',
  level: env.LOG_LEVEL,
});
const sql = createDb({
  url: env.DATABASE_URL,
  max: 1,
  connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
  applicationName: 'api-migrate',
});
let code = 0;
try {
  await waitForDb(sql, { timeoutMs: env.DATABASE_STARTUP_WAIT_MS, logger });
  const { applied } = await runMigrations(sql, { dir: MIGRATIONS_DIR, logger });
  logger.info({ applied }, applied.length ? 'migrations applied' : 'no pending migrations');
} catch (err) {
  logger.fatal({ err: serializeError(err) }, 'migration failed');
  code = 1;
} finally {
  await sql.end({ timeout: 5 });
}
logger.flush();
process.exit(code);
