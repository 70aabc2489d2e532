import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBackupFileName, type BackupFileName } from './backup-file-name.ts';
import { checksumPath } from './checksum.ts';

export interface RetentionPolicy {
  /** The newest backup of each of the last N days (UTC) that have one. */
  keepDaily: number;
  /** The newest backup of each of the last M ISO weeks (UTC) that have one. */
  keepWeekly: number;
}

export interface RetentionPlan {
  keep: BackupFileName[];
  remove: BackupFileName[];
}

const dayKey = (d: Date): string => d.toISOString().slice(0, 10);

/** ISO 8601 week (Monday first; week 1 holds the year's first Thursday), e.g. 2026-W48. */
export function isoWeekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function newestPerBucket(
  sorted: BackupFileName[],
  key: (d: Date) => string,
  count: number,
): BackupFileName[] {
  const seen = new Set<string>();
  const kept: BackupFileName[] = [];
  for (const b of sorted) {
    if (seen.size >= count) break;
    const k = key(b.takenAt);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(b);
  }
  return kept;
}

/**
 * Which backups to keep and which to delete. Deterministic: depends only on the names (their
 * timestamps), never on file times or the clock, so a re-run deletes nothing more. The newest
 * backup is always kept, whatever the policy.
 */
export function planRetention(
  backups: readonly BackupFileName[],
  policy: RetentionPolicy,
): RetentionPlan {
  const sorted = [...backups].sort(
    (a, b) => b.takenAt.getTime() - a.takenAt.getTime() || (a.name < b.name ? 1 : -1),
  );
  const keep = new Set<BackupFileName>([
    ...sorted.slice(0, 1),
    ...newestPerBucket(sorted, dayKey, policy.keepDaily),
    ...newestPerBucket(sorted, isoWeekKey, policy.keepWeekly),
  ]);
  return {
    keep: sorted.filter((b) => keep.has(b)),
    remove: sorted.filter((b) => !keep.has(b)),
  };
}

/** The backups in `dir` with this prefix (other files are never touched). */
export function listBackups(dir: string, prefix: string): BackupFileName[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map(parseBackupFileName)
    .filter((b): b is BackupFileName => b !== undefined && b.prefix === prefix);
}

/** Applies the policy to `dir`: deletes the backups it does not keep, with their `.sha256`. */
export async function applyRetention(
  dir: string,
  prefix: string,
  policy: RetentionPolicy,
): Promise<RetentionPlan> {
  const plan = planRetention(listBackups(dir, prefix), policy);
  for (const b of plan.remove) {
    const file = join(dir, b.name);
    await rm(file, { force: true });
    await rm(checksumPath(file), { force: true });
  }
  return plan;
}
