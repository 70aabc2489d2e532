export { createDb, type Db, type DbOptions } from './create-db.ts';
export { traceSql } from './traced-sql.ts';
export { DbError } from './db-error.ts';
export { dbCheck } from './db-check.ts';
export { waitForDb, DatabaseUnavailableError, type WaitForDbOptions } from './wait-for-db.ts';
export type { DbLogger } from './db-logger.ts';
export { runMigrations, type RunMigrationsOptions } from './run-migrations.ts';
export { migrationStatus, assertMigrated, type MigrationStatus } from './migration-status.ts';
export { listMigrationFiles, type MigrationFile } from './migration-files.ts';
export { splitStatements } from './split-statements.ts';
export { MIGRATION_LOCK_KEY } from './migration-lock.ts';
export {
  MigrationsPendingError,
  MigrationFailedError,
  MigrationFileNameError,
  MigrationLockTimeoutError,
} from './migration-errors.ts';
export { dbEnv } from './env.ts';
