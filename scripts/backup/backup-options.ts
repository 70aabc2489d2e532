import { parseArgs } from 'node:util';
import type { RetentionPolicy } from './retention.ts';
import { UsageError } from './usage-error.ts';

export const BACKUP_USAGE = `Usage: npm run db:backup -- [--out DIR] [--schema NAME]... [--upload [--bucket NAME]]
                          [--keep-daily N] [--keep-weekly M]

  --out DIR         where to write <database>-<UTC timestamp>.dump and its .sha256 (default .local/backups)
  --schema NAME     dump only this schema (repeatable; default: the whole database)
  --upload          also upload both files to the object store under backups/
  --bucket NAME     bucket for --upload (default BACKUP_BUCKET, "backups"; with NODE_ENV=production
                    STORAGE_BUCKET is refused unless BACKUP_ALLOW_UPLOADS_BUCKET=true)
  --keep-daily N    then delete local backups except the newest of each of the last N days
  --keep-weekly M   ... and the newest of each of the last M ISO weeks (the newest backup is always kept)

DATABASE_URL comes from the environment or .env. Use a direct or session-mode connection.`;

export interface BackupOptions {
  outDir: string;
  schemas: string[];
  upload: boolean;
  bucket?: string;
  retention?: RetentionPolicy;
  help: boolean;
}

const count = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(value)})`);
  return Number(value);
};

export function parseBackupArgs(argv: readonly string[], defaultOutDir: string): BackupOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        schema: { type: 'string', multiple: true },
        upload: { type: 'boolean', default: false },
        bucket: { type: 'string' },
        'keep-daily': { type: 'string' },
        'keep-weekly': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const keepDaily = count('keep-daily', values['keep-daily']);
  const keepWeekly = count('keep-weekly', values['keep-weekly']);
  if (values.bucket !== undefined && !values.upload)
    throw new UsageError('--bucket only makes sense with --upload');
  const retention =
    keepDaily === undefined && keepWeekly === undefined
      ? undefined
      : { keepDaily: keepDaily ?? 0, keepWeekly: keepWeekly ?? 0 };
  return {
    outDir: values.out ?? defaultOutDir,
    schemas: values.schema ?? [],
    upload: values.upload,
    ...(values.bucket === undefined ? {} : { bucket: values.bucket }),
    ...(retention ? { retention } : {}),
    help: values.help,
  };
}
