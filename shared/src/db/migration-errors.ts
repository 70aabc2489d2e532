/** A file in the migrations folder that does not follow the Supabase CLI naming. */
export class MigrationFileNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationFileNameError';
  }
}

export interface MigrationRef {
  version: string;
  name: string;
}

const list = (refs: readonly MigrationRef[]): string =>
  refs.map((r) => `${r.version}_${r.name}`).join(', ');

/** The startup guard's error: the schema does not match this build's migrations. */
export class MigrationsPendingError extends Error {
  readonly pending: string[];
  readonly unknown: string[];
  constructor(pending: readonly MigrationRef[], unknown: readonly MigrationRef[]) {
    const lines = ['database schema does not match this build’s migrations:'];
    if (pending.length)
      lines.push(`  pending (in the migrations folder, not applied): ${list(pending)}`);
    if (unknown.length) {
      lines.push(
        `  unknown (applied to the database, not in the migrations folder): ${list(unknown)} — the database is ahead of this code (a newer deploy, or a rollback)`,
      );
    }
    lines.push(
      pending.length
        ? 'Fix: run `npm run db:migrate` against this database (in production: the pre-deploy command).'
        : 'Fix: deploy the code that contains these migrations, or start with allowUnknown if this code is compatible with the newer schema.',
    );
    super(lines.join('\n'));
    this.name = 'MigrationsPendingError';
    this.pending = pending.map((r) => r.version);
    this.unknown = unknown.map((r) => r.version);
  }
}

/** A migration file failed; it was rolled back and the run stopped there. */
export class MigrationFailedError extends Error {
  readonly version: string;
  readonly file: string;
  readonly line: number | undefined;
  /** Versions applied by this run before the failure (they stay applied). */
  readonly applied: string[];
  readonly code: string | undefined;
  constructor(opts: {
    version: string;
    file: string;
    line?: number;
    reason: string;
    code?: string;
    applied: string[];
  }) {
    const where = opts.line === undefined ? '' : ` at line ${opts.line}`;
    super(
      `migration ${opts.file} failed${where}: ${opts.reason}${opts.code ? ` (${opts.code})` : ''}. ` +
        'It was rolled back; later migrations were not run.',
    );
    this.name = 'MigrationFailedError';
    this.version = opts.version;
    this.file = opts.file;
    this.line = opts.line;
    this.applied = opts.applied;
    this.code = opts.code;
  }
}

/** Another runner held the migration lock for longer than the runner was willing to wait. */
export class MigrationLockTimeoutError extends Error {
  constructor(waitedMs: number) {
    super(
      `another migration runner held the migration lock for more than ${waitedMs} ms; ` +
        'check for a stuck db:migrate (pg_stat_activity) and retry',
    );
    this.name = 'MigrationLockTimeoutError';
  }
}
