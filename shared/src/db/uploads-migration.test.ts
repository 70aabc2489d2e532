import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { createDb, type Db } from './create-db.ts';
import { assertMigrated } from './migration-status.ts';
import { runMigrations } from './run-migrations.ts';

// The repo's real migrations, as `npm run db:migrate` applies them.
const dir = fileURLToPath(new URL('../../../infra/supabase/migrations', import.meta.url));
const ALICE = randomUUID();
const BOB = randomUUID();

describe('the uploads migration on plain PostgreSQL', () => {
  let db: TestDatabase;
  let sql: Db;

  /** Runs `fn` in a transaction as a Supabase user: role authenticated, JWT claims with `sub`. */
  const asUser = <T>(sub: string | null, fn: (tx: Db) => Promise<T>): Promise<T> =>
    sql.begin(async (tx) => {
      await tx`set local role authenticated`;
      if (sub)
        await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub, role: 'authenticated' })}, true)`;
      return fn(tx as unknown as Db);
    }) as Promise<T>;

  const insertAs = (tx: Db, owner: string, key: string) =>
    tx`insert into public.uploads (owner_id, object_key, filename, content_type, size_bytes, expires_at)
       values (${owner}, ${key}, 'a.png', 'image/png', 10, now() + interval '1 hour') returning id`;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = createDb({ url: db.url, max: 2 });
    await runMigrations(sql, { dir });
    // As the owner (the API's role): RLS does not apply.
    await insertAs(sql, ALICE, `${ALICE}/1`);
    await insertAs(sql, ALICE, `${ALICE}/2`);
    await insertAs(sql, BOB, `${BOB}/1`);
  });

  afterAll(async () => {
    await sql.end({ timeout: 0 });
    await db.drop();
  });

  it('is applied and the startup guard passes', async () => {
    await expect(assertMigrated(sql, { dir })).resolves.toMatchObject({ pending: [], unknown: [] });
  });

  it('creates the table of the contract with defaults, RLS enabled and one owner policy (read)', async () => {
    const cols = await sql<{ column_name: string; data_type: string; is_nullable: string }[]>`
      select column_name, data_type, is_nullable from information_schema.columns
      where table_schema = 'public' and table_name = 'uploads' order by ordinal_position`;
    expect(
      cols.map(
        (c) => `${c.column_name} ${c.data_type} ${c.is_nullable === 'NO' ? 'not null' : 'null'}`,
      ),
    ).toEqual([
      'id uuid not null',
      'owner_id uuid not null',
      'object_key text not null',
      'filename text null',
      'content_type text null',
      'size_bytes bigint null',
      'status text not null',
      'sha256 text null',
      'detected_type text null',
      'status_reason text null',
      'request_id text null',
      'created_at timestamp with time zone not null',
      'updated_at timestamp with time zone not null',
      'expires_at timestamp with time zone not null',
      'completed_at timestamp with time zone null',
      'processed_at timestamp with time zone null',
    ]);
    const [rls] =
      await sql`select relrowsecurity from pg_class where oid = 'public.uploads'::regclass`;
    expect(rls).toEqual({ relrowsecurity: true });
    const policies =
      await sql`select cmd, roles::text[] as roles from pg_policies where tablename = 'uploads' order by cmd`;
    expect(policies).toEqual([{ cmd: 'SELECT', roles: ['authenticated'] }]);
    const [row] =
      await sql`select status, sha256 from public.uploads where object_key = ${`${ALICE}/1`}`;
    expect(row).toEqual({ status: 'pending', sha256: null });
  });

  it('rejects a status outside the list and a duplicate object key', async () => {
    await expect(
      sql`update public.uploads set status = 'done' where owner_id = ${BOB}`,
    ).rejects.toMatchObject({ code: '23514' });
    await expect(insertAs(sql, BOB, `${BOB}/1`)).rejects.toMatchObject({ code: '23505' });
  });

  it('bumps updated_at on every update', async () => {
    await sql`update public.uploads set created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour' where owner_id = ${BOB}`;
    const [row] = await sql<{ fresh: boolean }[]>`
      update public.uploads set status = 'uploaded' where owner_id = ${BOB}
      returning updated_at > created_at + interval '30 minutes' as fresh`;
    expect(row).toEqual({ fresh: true });
  });

  it('serves the reconcile sweep from its partial index, without sorting the rows in flight', async () => {
    // A table where most uploads are done and a backlog is stuck in `uploaded`.
    await sql`
      insert into public.uploads (owner_id, object_key, status, updated_at, expires_at)
      select ${ALICE}::uuid, 'sweep/' || i, case when i % 10 = 0 then 'uploaded' else 'ready' end,
             now() - make_interval(secs => i), now() + interval '1 hour'
      from generate_series(1, 5000) as i`;
    try {
      await sql`analyze public.uploads`;
      // The query of listStuckUploaded (worker/src/uploads/upload-rows.ts).
      const [plan] = await sql<{ 'QUERY PLAN': unknown }[]>`
        explain (format json)
        select id, updated_at from public.uploads
        where status = 'uploaded' and updated_at < now() - make_interval(secs => ${900})
        order by updated_at
        limit ${100}`;
      const text = JSON.stringify(plan?.['QUERY PLAN']);
      expect(text).toContain('"Index Name":"uploads_uploaded_updated_idx"');
      expect(text).not.toContain('"Node Type":"Sort"');
    } finally {
      // The other tests count rows.
      await sql`delete from public.uploads where object_key like 'sweep/%'`;
    }
  });

  it('lets a signed-in user see only their own rows', async () => {
    const alice = await asUser(
      ALICE,
      (tx) => tx<{ owner_id: string }[]>`select owner_id from public.uploads`,
    );
    expect(alice.map((r) => r.owner_id)).toEqual([ALICE, ALICE]);
    const bob = await asUser(
      BOB,
      (tx) => tx<{ object_key: string }[]>`select object_key from public.uploads`,
    );
    expect(bob.map((r) => r.object_key)).toEqual([`${BOB}/1`]);
  });

  it('shows nothing without a user in the claims', async () => {
    await expect(asUser(null, (tx) => tx`select id from public.uploads`)).resolves.toHaveLength(0);
  });

  // Issue 14, item 1: with the first migration's grants this update succeeded — a user could
  // skip the worker's checks and point their row at any object in the bucket (a backup).
  it('refuses a signed-in user every write, their own rows included (attack: status and object_key rewrite)', async () => {
    const [target] = await sql<{ id: string }[]>`
      select id from public.uploads where object_key = ${`${ALICE}/2`}`;
    const attack = asUser(
      ALICE,
      (tx) =>
        tx`update public.uploads set status = 'ready', object_key = 'backups/postgres-20261207T000000Z.dump'
           where id = ${target!.id}`,
    );
    await expect(attack).rejects.toMatchObject({ code: '42501' });
    await expect(
      asUser(ALICE, (tx) => tx`update public.uploads set filename = 'x' where owner_id = ${ALICE}`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(asUser(ALICE, (tx) => insertAs(tx, ALICE, `${ALICE}/3`))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(asUser(ALICE, (tx) => insertAs(tx, BOB, `${BOB}/forged`))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      asUser(ALICE, (tx) => tx`delete from public.uploads where owner_id = ${ALICE}`),
    ).rejects.toMatchObject({ code: '42501' });
    // The row is as the server left it.
    const [row] = await sql`select status, object_key from public.uploads where id = ${target!.id}`;
    expect(row).toEqual({ status: 'pending', object_key: `${ALICE}/2` });
    expect(
      await sql`select count(*)::int as c from public.uploads where owner_id in (${ALICE}, ${BOB})`,
    ).toEqual([{ c: 3 }]);
  });

  it('grants authenticated select only, anon nothing, service_role everything', async () => {
    const grants = await sql<{ grantee: string; privileges: string[] }[]>`
      select grantee, array_agg(privilege_type::text order by privilege_type) as privileges
      from information_schema.role_table_grants
      where table_schema = 'public' and table_name = 'uploads'
        and grantee in ('anon', 'authenticated', 'service_role')
      group by grantee order by grantee`;
    expect(grants).toEqual([
      { grantee: 'authenticated', privileges: ['SELECT'] },
      {
        grantee: 'service_role',
        privileges: ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE'],
      },
    ]);
  });

  it('gives the anon role no access at all', async () => {
    const asAnon = sql.begin(async (tx) => {
      await tx`set local role anon`;
      return tx`select id from public.uploads`;
    });
    await expect(asAnon).rejects.toMatchObject({ code: '42501' });
  });
});
