import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uploadObjectKeys } from '@saas/shared/contracts';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import {
  createTestDatabase,
  spawnNode,
  testS3Env,
  testServices,
  type TestDatabase,
} from '@saas/shared/test-support';
import { CHANGED_REASON, MISSING_REASON } from '../../scripts/uploads/backfill-verified.ts';

// The one-off upgrade step for uploads made `ready` before downloads came from the verified
// copy: the real script, a real database and the real S3 server.
const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/uploads-backfill-verified.ts');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('uploads:backfill-verified', () => {
  let db: TestDatabase;
  let sql: Db;
  let storage: ObjectStorage;
  const owner = randomUUID();
  const ids = {
    intact: randomUUID(),
    replaced: randomUUID(),
    gone: randomUUID(),
    done: randomUUID(),
  };
  const bytes = randomBytes(2048);

  const put = async (key: string, body: Buffer) => {
    const url = await storage.createUploadUrl(key, {
      contentType: 'image/png',
      size: body.length,
      expiresInS: 60,
    });
    const res = await fetch(url.url, { method: 'PUT', headers: url.headers, body });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  };
  const run = async (args: string[] = []) => {
    const proc = spawnNode(script, {
      cwd: root,
      args,
      env: { DATABASE_URL: db.url, ...testS3Env },
    });
    const { code } = await proc.exited;
    return { code, output: proc.lines.join('\n') };
  };
  const row = async (id: string) =>
    (
      await sql<{ status: string; status_reason: string | null }[]>`
      select status, status_reason from public.uploads where id = ${id}`
    )[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = createDb({ url: db.url, max: 2 });
    await runMigrations(sql, { dir: join(root, 'infra/supabase/migrations') });
    storage = createS3Storage({ ...testServices.s3 });
    for (const id of Object.values(ids)) {
      await sql`
        insert into public.uploads (id, owner_id, object_key, content_type, size_bytes, status, sha256, expires_at)
        values (${id}, ${owner}, ${uploadObjectKeys(owner, id).incoming}, 'image/png', ${bytes.length}, 'ready', ${sha256(bytes)}, now())`;
    }
    await put(uploadObjectKeys(owner, ids.intact).incoming, bytes);
    // Replaced by the client after the worker hashed it (same length, other bytes).
    await put(uploadObjectKeys(owner, ids.replaced).incoming, randomBytes(bytes.length));
    await put(uploadObjectKeys(owner, ids.done).verified, bytes);
  });

  afterAll(async () => {
    for (const id of Object.values(ids)) {
      const keys = uploadObjectKeys(owner, id);
      await storage.delete(keys.incoming);
      await storage.delete(keys.verified);
    }
    await storage.close();
    await sql.end({ timeout: 5 });
    await db.drop();
  });

  it('--dry-run counts and changes nothing', async () => {
    const res = await run(['--dry-run']);
    expect(res).toMatchObject({ code: 0 });
    expect(res.output).toContain('dry run: checked 4 ready uploads: 1 already verified');
    expect(await storage.head(uploadObjectKeys(owner, ids.intact).verified)).toBeNull();
    expect((await row(ids.replaced))?.status).toBe('ready');
  });

  it('verifies what still hashes to the recorded sha256 and fails the rest', async () => {
    const res = await run();
    expect(res).toMatchObject({ code: 0 });
    expect(res.output).toContain(
      'checked 4 ready uploads: 1 already verified, 1 copied, 1 changed since verification, 1 missing',
    );
    const intact = uploadObjectKeys(owner, ids.intact);
    expect(await storage.head(intact.verified)).toMatchObject({ size: bytes.length });
    expect(await storage.head(intact.incoming)).toBeNull();
    expect(await row(ids.intact)).toEqual({ status: 'ready', status_reason: null });

    expect(await storage.head(uploadObjectKeys(owner, ids.replaced).verified)).toBeNull();
    expect(await row(ids.replaced)).toEqual({ status: 'failed', status_reason: CHANGED_REASON });
    expect(await row(ids.gone)).toEqual({ status: 'failed', status_reason: MISSING_REASON });
    expect((await row(ids.done))?.status).toBe('ready');

    // Idempotent: a second run finds the one ready row left verified.
    const again = await run();
    expect(again.output).toContain('checked 2 ready uploads: 2 already verified, 0 copied');
  });
});
