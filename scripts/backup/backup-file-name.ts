// Backups are named <database>-<UTC timestamp>.dump, e.g. postgres-20261123T120000Z.dump:
// sortable, unambiguous across time zones, and the only files retention ever deletes.

const NAME = /^(?<prefix>[A-Za-z0-9_.-]+)-(?<stamp>\d{8}T\d{6}Z)\.dump$/;

export interface BackupFileName {
  name: string;
  prefix: string;
  takenAt: Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatStamp(d: Date): string {
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
  );
}

/** A file-system-safe prefix from the database name. */
export function backupPrefix(database: string): string {
  return database.replace(/[^A-Za-z0-9_.-]/g, '_') || 'db';
}

export function backupFileName(prefix: string, takenAt: Date): string {
  return `${prefix}-${formatStamp(takenAt)}.dump`;
}

/** The parsed name, or undefined for any file that is not a backup of ours. */
export function parseBackupFileName(name: string): BackupFileName | undefined {
  const m = NAME.exec(name);
  if (!m?.groups) return undefined;
  const s = m.groups.stamp!;
  const takenAt = new Date(
    Date.UTC(
      +s.slice(0, 4),
      +s.slice(4, 6) - 1,
      +s.slice(6, 8),
      +s.slice(9, 11),
      +s.slice(11, 13),
      +s.slice(13, 15),
    ),
  );
  if (Number.isNaN(takenAt.getTime()) || formatStamp(takenAt) !== s) return undefined;
  return { name, prefix: m.groups.prefix!, takenAt };
}
