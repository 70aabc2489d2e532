import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { createDb, type Db } from './create-db.ts';
import { MigrationLockTimeoutError } from './migration-errors.ts';
import { MIGRATION_LOCK_KEY } from './migration-lock.ts';
import { runMigrations } from './run-migrations.ts';

/** The rejection of `p` (fails the test if it resolves). */
async function rejectionOf<E = Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

// Each file fails if applied twice (create table without IF NOT EXISTS), and the first one
// sleeps so the runners really overlap.
const FILES = {
  '20260101000000_counter.sql':
    'create table counter (n int);\ninsert into counter values (1);\nselect pg_sleep(0.3);\n',
  '20260102000000_two.sql': 'create table two (id int);\ninsert into counter values (2);\n',
  '20260103000000_three.sql': 'create table three (id int);\ninsert into counter values (3);\n',
};
const VERSIONS = ['20260101000000', '20260102000000', '20260103000000'];

describe('migration lock', () => {
  const databases: TestDatabase[] = [];
  const clients: Db[] = [];
  let dir: string;

  const open = (db: TestDatabase): Db => {
    const sql = createDb({ url: db.url, max: 1 });
    clients.push(sql);
    return sql;
  };
  const freshDb = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    for (const [name, sql] of Object.entries(FILES)) writeFileSync(join(dir, name), sql);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 0 })));
    await Promise.all(databases.map((d) => d.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('four concurrent runners on separate connections apply each file exactly once', async () => {
    const db = await freshDb();
    const runners = [0, 1, 2, 3].map(() => open(db));
    const results = await Promise.all(runners.map((sql) => runMigrations(sql, { dir })));

    expect(results.flatMap((r) => r.applied).sort()).toEqual(VERSIONS);
    const check = runners[0]!;
    expect(await check`select n from counter order by n`).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(
      await check`select count(*)::int as c from supabase_migrations.schema_migrations`,
    ).toEqual([{ c: 3 }]);
    const locks = await check`
      select count(*)::int as c from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
    expect(locks).toEqual([{ c: 0 }]);
  });

  it('waits for a runner that holds the lock, logs that it waits, then applies', async () => {
    const db = await freshDb();
    const holder = await open(db).reserve();
    await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    let signalWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (signalWaiting = resolve));
    const logger = {
      info: (_obj: object, msg: string): void => {
        if (/waiting for the migration lock/.test(msg)) signalWaiting();
      },
      warn: () => {},
    };
    const run = runMigrations(open(db), { dir, logger });
    await Promise.race([
      waiting,
      run.then(() => Promise.reject(new Error('the runner did not wait for the lock'))),
    ]);
    const [history] =
      await holder`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`;
    expect(history).toEqual({ ok: false });
    await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
    holder.release();
    await expect(run).resolves.toEqual({ applied: VERSIONS });
  });

  it('gives up after lockTimeoutMs with a clear error', async () => {
    const db = await freshDb();
    const holder = await open(db).reserve();
    await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    const err = await rejectionOf<Error>(runMigrations(open(db), { dir, lockTimeoutMs: 300 }));
    expect(err).toBeInstanceOf(MigrationLockTimeoutError);
    expect(err.message).toMatch(/held the migration lock for more than 300 ms/);
    holder.release();
  });
});
