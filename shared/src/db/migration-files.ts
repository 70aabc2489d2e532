import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationFileNameError } from './migration-errors.ts';

export interface MigrationFile {
  /** The 14-digit UTC timestamp: the key in supabase_migrations.schema_migrations. */
  version: string;
  /** The part after the timestamp, without `.sql` (the Supabase CLI's `name` column). */
  name: string;
  fileName: string;
  path: string;
}

// Supabase CLI naming (`supabase migration new <name>`): <YYYYMMDDHHmmss>_<name>.sql.
const FILE_NAME = /^(\d{14})_([A-Za-z0-9][\w-]*)\.sql$/;

/**
 * The migration files of `dir`, ordered by version. Names are checked before anything touches
 * the database: a misnamed file would otherwise be skipped silently or applied out of order.
 * Hidden files and files not ending in `.sql` (README, .gitkeep) are ignored.
 */
export async function listMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new MigrationFileNameError(`migrations folder not found or not readable: ${dir}`);
  }
  const files: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.') || !/\.sql$/i.test(entry.name)) continue;
    const m = FILE_NAME.exec(entry.name);
    if (!m) {
      throw new MigrationFileNameError(
        `invalid migration file name "${entry.name}" in ${dir}: expected <14-digit UTC timestamp>_<name>.sql, ` +
          'e.g. 20260101120000_create_uploads.sql (Supabase CLI naming; `date -u +%Y%m%d%H%M%S` gives the timestamp)',
      );
    }
    const [, version, name] = m as unknown as [string, string, string];
    const other = seen.get(version);
    if (other) {
      throw new MigrationFileNameError(
        `two migration files share version ${version} in ${dir}: ${other} and ${entry.name}`,
      );
    }
    seen.set(version, entry.name);
    files.push({ version, name, fileName: entry.name, path: join(dir, entry.name) });
  }
  return files.sort((a, b) => a.version.localeCompare(b.version));
}
