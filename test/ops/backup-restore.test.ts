import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import { createTestBucket, type TestBucket } from './support/test-bucket.ts';
import {
  createTestDatabase,
  spawnNode,
  testServices,
  uniqueId,
  type TestDatabase,
  testS3Env,
} from '@saas/shared/test-support';

// The restore drill, for real: migrate a fresh database, seed rows, `db:backup`, drop the
// schema, `db:restore`, and compare rows and checksums. Plus the refusals (tampered backup,
// no --yes without a terminal) and the object-store round trip.
const root = fileURLToPath(new URL('../..', import.meta.url));
const migrations = join(root, 'infra/supabase/migrations');
const backupScript = join(root, 'scripts/db-backup.ts');
const restoreScript = join(root, 'scripts/db-restore.ts');

async function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const proc = spawnNode(script, { cwd: root, args, env });
  const { code } = await proc.exited;
  return { code, output: proc.lines.join('\n') };
}

const backupPathFrom = (output: string): string => {
  const m = /→ (\S+\.dump) \(/.exec(output);
  if (!m) throw new Error(`no backup path in:\n${output}`);
  return m[1]!;
};

// One hash over every column of every row, in id order: equal hashes, equal tables.
async function tableHash(sql: Db): Promise<{ rows: number; md5: string }> {
  const [r] = await sql<{ rows: number; md5: string }[]>`
    select count(*)::int as rows, md5(coalesce(string_agg(u::text, '|' order by u.id), '')) as md5
    from public.uploads u`;
  return r!;
}

const tableExists = async (sql: Db): Promise<boolean> => {
  const [r] = await sql<{ t: string | null }[]>`select to_regclass('public.uploads')::text as t`;
  return r!.t !== null;
};

describe('db:backup and db:restore (restore drill)', () => {
  let db: TestDatabase;
  let sql: Db;
  let outDir: string;
  let storage: ObjectStorage;
  const uploadedKeys: string[] = [];
  let backupBucket: TestBucket;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No prepared statements: the table is dropped and recreated under this pool.
    sql = createDb({ url: db.url, max: 2, prepare: false });
    await runMigrations(sql, { dir: migrations });
    const owner = randomUUID();
    for (let i = 0; i < 5; i += 1) {
      await sql`
        insert into public.uploads (owner_id, object_key, filename, content_type, size_bytes, status, sha256, expires_at)
        values (${owner}, ${`${owner}/${randomUUID()}`}, ${`file-${i}.png`}, 'image/png', ${1000 + i},
                ${i % 2 ? 'ready' : 'pending'}, ${createHash('sha256').update(String(i)).digest('hex')},
                now() + interval '1 day')`;
    }
    outDir = await mkdtemp(join(tmpdir(), 'ops-backup-'));
    storage = createS3Storage({ ...testServices.s3 });
    backupBucket = await createTestBucket(uniqueId('backups-'));
  });

  afterAll(async () => {
    for (const key of uploadedKeys) await storage.delete(key);
    await storage.close();
    await backupBucket?.remove();
    await sql.end({ timeout: 5 });
    await db.drop();
    await rm(outDir, { recursive: true, force: true });
  });

  let backup: string;

  it('backs up to a timestamped custom-format dump with a matching .sha256', async () => {
    const res = await run(backupScript, ['--out', outDir], { DATABASE_URL: db.url });
    expect(res).toMatchObject({ code: 0 });
    backup = backupPathFrom(res.output);
    expect(basename(backup)).toMatch(new RegExp(`^${db.name}-\\d{8}T\\d{6}Z\\.dump$`));
    const bytes = readFileSync(backup);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP'); // pg_dump's custom format
    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(readFileSync(`${backup}.sha256`, 'utf8')).toBe(`${digest}  ${basename(backup)}\n`);
    expect(res.output).toContain(digest);
    expect(readdirSync(outDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('restores the dropped schema: same rows, same checksum, migrations recorded', async () => {
    const before = await tableHash(sql);
    expect(before.rows).toBe(5);

    await sql`drop table public.uploads`;
    await sql`drop schema supabase_migrations cascade`;
    expect(await tableExists(sql)).toBe(false);

    const res = await run(restoreScript, [backup, '--yes'], { DATABASE_URL: db.url });
    expect(res.output).toContain('checksum ok');
    expect(res).toMatchObject({ code: 0 });

    expect(await tableHash(sql)).toEqual(before);
    const versions = await sql<
      { version: string }[]
    >`select version from supabase_migrations.schema_migrations`;
    expect(versions.length).toBeGreaterThan(0);
    // RLS and its policies come back with the table.
    const [rls] = await sql<
      { on: boolean }[]
    >`select relrowsecurity as on from pg_class where oid = 'public.uploads'::regclass`;
    expect(rls!.on).toBe(true);
  });

  it('refuses a tampered backup before touching the database (exit 3)', async () => {
    const tampered = join(outDir, `${db.name}-20200101T000000Z.dump`);
    const bytes = readFileSync(backup);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(tampered, bytes);
    copyFileSync(`${backup}.sha256`, `${tampered}.sha256`);
    const marker = randomUUID();
    await sql`insert into public.uploads (owner_id, object_key, expires_at) values (${marker}, ${marker}, now())`;
    const before = await tableHash(sql);

    const res = await run(restoreScript, [tampered, '--yes'], { DATABASE_URL: db.url });
    expect(res.code).toBe(3);
    expect(res.output).toMatch(/refused: checksum mismatch/);
    expect(res.output).not.toContain('restoring into');
    expect(await tableHash(sql)).toEqual(before);

    await sql`delete from public.uploads where owner_id = ${marker}`;
  });

  it('refuses without --yes when stdin is not a terminal (exit 2), and without the checksum file', async () => {
    const before = await tableHash(sql);
    const noYes = await run(restoreScript, [backup], { DATABASE_URL: db.url });
    expect(noYes.code).toBe(2);
    expect(noYes.output).toContain('refusing to restore without --yes');

    const orphan = join(outDir, `${db.name}-20200102T000000Z.dump`);
    copyFileSync(backup, orphan);
    const noSum = await run(restoreScript, [orphan, '--yes'], { DATABASE_URL: db.url });
    expect(noSum.code).toBe(3);
    expect(noSum.output).toContain('no checksum file');
    expect(await tableHash(sql)).toEqual(before);
  });

  // Issue 14, item 2: backups used to land in the users' bucket (STORAGE_BUCKET) under
  // guessable keys. They go to BACKUP_BUCKET now, and production refuses the uploads bucket.
  it('uploads to the backups bucket (BACKUP_BUCKET), not the uploads bucket, and restores from there', async () => {
    const dir = await mkdtemp(join(outDir, 'own-bucket-'));
    const res = await run(backupScript, ['--out', dir, '--upload'], {
      DATABASE_URL: db.url,
      ...testS3Env,
      BACKUP_BUCKET: backupBucket.name,
    });
    expect(res).toMatchObject({ code: 0 });
    const file = backupPathFrom(res.output);
    const key = `backups/${basename(file)}`;
    backupBucket.keys.push(key, `${key}.sha256`);
    expect(res.output).toContain(`uploaded to s3://${backupBucket.name}/${key}`);
    expect(await backupBucket.storage.head(key)).toMatchObject({ size: readFileSync(file).length });
    expect(await backupBucket.storage.head(`${key}.sha256`)).not.toBeNull();
    // Nothing in the users' bucket.
    expect(await storage.head(key)).toBeNull();

    const before = await tableHash(sql);
    await sql`truncate public.uploads`;
    const restored = await run(restoreScript, ['--from-store', key, '--yes'], {
      DATABASE_URL: db.url,
      ...testS3Env,
      BACKUP_BUCKET: backupBucket.name,
    });
    expect(restored).toMatchObject({ code: 0 });
    expect(restored.output).toContain(`downloading s3://${backupBucket.name}/${key}`);
    expect(await tableHash(sql)).toEqual(before);
  });

  it('refuses the uploads bucket for backups with NODE_ENV=production (exit 2, names the variables), before dumping', async () => {
    const dir = await mkdtemp(join(outDir, 'refused-'));
    for (const args of [
      { extra: [], env: { BACKUP_BUCKET: testServices.s3.bucket } },
      { extra: ['--bucket', testServices.s3.bucket], env: {} },
    ]) {
      const res = await run(backupScript, ['--out', dir, '--upload', ...args.extra], {
        DATABASE_URL: db.url,
        ...testS3Env,
        NODE_ENV: 'production',
        ...args.env,
      });
      expect(res.code).toBe(2);
      expect(res.output).toContain(
        `refusing to upload a database backup into the uploads bucket "${testServices.s3.bucket}" (STORAGE_BUCKET)`,
      );
      expect(res.output).toContain('Set BACKUP_BUCKET');
      expect(res.output).toContain('BACKUP_ALLOW_UPLOADS_BUCKET=true');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('uploads into the uploads bucket in production only with BACKUP_ALLOW_UPLOADS_BUCKET=true, and warns', async () => {
    const allowed = await run(
      backupScript,
      ['--out', await mkdtemp(join(outDir, 'allowed-')), '--upload'],
      {
        DATABASE_URL: db.url,
        ...testS3Env,
        NODE_ENV: 'production',
        BACKUP_BUCKET: testServices.s3.bucket,
        BACKUP_ALLOW_UPLOADS_BUCKET: 'true',
      },
    );
    expect(allowed).toMatchObject({ code: 0 });
    const key = `backups/${basename(backupPathFrom(allowed.output))}`;
    uploadedKeys.push(key, `${key}.sha256`);
    expect(allowed.output).toContain(`uploaded to s3://${testServices.s3.bucket}/${key}`);
    expect(allowed.output).toContain('warning: uploading into the uploads bucket');
    expect(await storage.head(key)).not.toBeNull();
  });

  it('applies --keep-daily/--keep-weekly after the dump: old backups go, other files stay', async () => {
    const dir = join(outDir, 'retention');
    mkdirSync(dir);
    const old = [`${db.name}-20200106T000000Z.dump`, `${db.name}-20200107T000000Z.dump`];
    for (const name of old) {
      writeFileSync(join(dir, name), 'old');
      writeFileSync(join(dir, `${name}.sha256`), 'old');
    }
    writeFileSync(join(dir, 'keep-me.txt'), 'not a backup');
    const res = await run(backupScript, ['--out', dir, '--keep-daily', '1', '--keep-weekly', '1'], {
      DATABASE_URL: db.url,
    });
    expect(res).toMatchObject({ code: 0 });
    expect(res.output).toContain(`kept 1, deleted 2: ${[...old].reverse().join(', ')}`);
    const fresh = basename(backupPathFrom(res.output));
    expect(readdirSync(dir).sort()).toEqual(['keep-me.txt', fresh, `${fresh}.sha256`].sort());
  });

  it('fails with exit 1 and never prints the password when pg_dump cannot log in', async () => {
    const url = new URL(db.url);
    const password = `Wr0ng-${uniqueId()}`;
    url.password = password;
    const res = await run(backupScript, ['--out', outDir], { DATABASE_URL: url.toString() });
    expect(res.code).toBe(1);
    expect(res.output).toMatch(
      /pg_dump failed \(exit 1\) for 127\.0\.0\.1:54322\/test_\w+: .*password authentication failed/,
    );
    expect(res.output).not.toContain(password);
  });
});
