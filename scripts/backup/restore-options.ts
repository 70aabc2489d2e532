import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

export const RESTORE_USAGE = `Usage: npm run db:restore -- FILE [--yes] [--target-url URL]
       npm run db:restore -- --from-store backups/<name>.dump [--bucket NAME] [--yes] [--target-url URL]

  FILE              a backup written by npm run db:backup (its FILE.sha256 must be beside it)
  --from-store KEY  download KEY and KEY.sha256 from the object store first
  --bucket NAME     bucket for --from-store (default BACKUP_BUCKET, "backups")
  --target-url URL  restore into this database instead of DATABASE_URL
  --yes             do not ask for confirmation (required when stdin is not a terminal)

The checksum is verified before anything touches the database; a mismatch refuses the restore.
Objects in the backup are dropped and recreated (pg_restore --clean --if-exists) in one transaction.`;

export interface RestoreOptions {
  source: { file: string } | { objectKey: string };
  targetUrl?: string;
  bucket?: string;
  yes: boolean;
  help: boolean;
}

export function parseRestoreArgs(argv: readonly string[]): RestoreOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        'target-url': { type: 'string' },
        'from-store': { type: 'string' },
        bucket: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const common = {
    yes: values.yes,
    help: values.help,
    ...(values['target-url'] === undefined ? {} : { targetUrl: values['target-url'] }),
    ...(values.bucket === undefined ? {} : { bucket: values.bucket }),
  };
  if (values.help) return { ...common, source: { file: '' } };
  const fromStore = values['from-store'];
  if (positionals.length > 1) throw new UsageError('give one backup file');
  if (fromStore !== undefined && positionals.length > 0)
    throw new UsageError('give either FILE or --from-store, not both');
  if (values.bucket !== undefined && fromStore === undefined)
    throw new UsageError('--bucket only makes sense with --from-store');
  if (fromStore !== undefined) return { ...common, source: { objectKey: fromStore } };
  const file = positionals[0];
  if (!file) throw new UsageError('which backup? give FILE or --from-store KEY');
  return { ...common, source: { file } };
}
