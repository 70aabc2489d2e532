import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backupFileName,
  parseBackupFileName,
  type BackupFileName,
} from '../../scripts/backup/backup-file-name.ts';
import { applyRetention, isoWeekKey, planRetention } from '../../scripts/backup/retention.ts';

const at = (iso: string): BackupFileName =>
  parseBackupFileName(backupFileName('app', new Date(iso)))!;
const names = (list: BackupFileName[]): string[] => list.map((b) => b.name);

describe('backup file names', () => {
  it('round-trips a UTC timestamp and ignores files that are not ours', () => {
    const name = backupFileName('app', new Date('2026-11-23T09:05:07.900Z'));
    expect(name).toBe('app-20261123T090507Z.dump');
    expect(parseBackupFileName(name)).toMatchObject({
      prefix: 'app',
      takenAt: new Date('2026-11-23T09:05:07Z'),
    });
    for (const other of [
      'app-20261123T090507Z.dump.sha256',
      'notes.txt',
      'app-20261399T000000Z.dump',
      'app-latest.dump',
    ]) {
      expect(parseBackupFileName(other)).toBeUndefined();
    }
  });

  it('uses ISO weeks (Monday first; the week of Jan 1 may belong to the previous year)', () => {
    expect(isoWeekKey(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48'); // a Monday
    expect(isoWeekKey(new Date('2026-11-22T23:59:59Z'))).toBe('2026-W47'); // the Sunday before
    expect(isoWeekKey(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
  });
});

describe('planRetention', () => {
  // Two backups a day for 20 days: 2026-11-01 … 2026-11-20, at 03:00 and 15:00 UTC.
  const backups = Array.from({ length: 20 }, (_, d) => [
    at(`2026-11-${String(d + 1).padStart(2, '0')}T03:00:00Z`),
    at(`2026-11-${String(d + 1).padStart(2, '0')}T15:00:00Z`),
  ]).flat();

  it('keeps the newest of each of the last N days and of the last M ISO weeks', () => {
    const plan = planRetention(backups, { keepDaily: 3, keepWeekly: 3 });
    expect(names(plan.keep)).toEqual([
      'app-20261120T150000Z.dump', // daily (Fri 20th) and newest of week 47
      'app-20261119T150000Z.dump', // daily
      'app-20261118T150000Z.dump', // daily
      'app-20261115T150000Z.dump', // newest of week 46 (Sun 15th)
      'app-20261108T150000Z.dump', // newest of week 45 (Sun 8th)
    ]);
    expect(plan.remove).toHaveLength(backups.length - 5);
  });

  it('is deterministic: the input order does not matter and a second pass removes nothing', () => {
    const policy = { keepDaily: 7, keepWeekly: 4 };
    const first = planRetention(backups, policy);
    const shuffled = planRetention([...backups].reverse(), policy);
    expect(names(shuffled.keep)).toEqual(names(first.keep));
    expect(planRetention(first.keep, policy).remove).toEqual([]);
  });

  it('always keeps the newest backup, even with a zero policy', () => {
    const plan = planRetention(backups, { keepDaily: 0, keepWeekly: 0 });
    expect(names(plan.keep)).toEqual(['app-20261120T150000Z.dump']);
  });
});

describe('applyRetention', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ops-retention-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes only our old backups with their .sha256; other files and other databases stay', async () => {
    const days = ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];
    for (const d of days) {
      const name = backupFileName('app', new Date(`${d}T01:00:00Z`));
      writeFileSync(join(dir, name), 'dump');
      writeFileSync(join(dir, `${name}.sha256`), 'sum');
    }
    writeFileSync(join(dir, 'other-20261101T010000Z.dump'), 'another database');
    writeFileSync(join(dir, 'README.txt'), 'not a backup');

    const plan = await applyRetention(dir, 'app', { keepDaily: 2, keepWeekly: 0 });
    expect(names(plan.remove)).toEqual(['app-20261111T010000Z.dump', 'app-20261110T010000Z.dump']);
    expect(readdirSync(dir).sort()).toEqual([
      'README.txt',
      'app-20261112T010000Z.dump',
      'app-20261112T010000Z.dump.sha256',
      'app-20261113T010000Z.dump',
      'app-20261113T010000Z.dump.sha256',
      'other-20261101T010000Z.dump',
    ]);
    expect(existsSync(join(dir, 'app-20261110T010000Z.dump.sha256'))).toBe(false);
  });
});
