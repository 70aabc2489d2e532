import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { createDb, type Db } from './create-db.ts';
import {
  MigrationFailedError,
  MigrationFileNameError,
  MigrationsPendingError,
} from './migration-errors.ts';
import { assertMigrated, migrationStatus } from './migration-status.ts';
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

const V1 = '20260101000000';
const V2 = '20260102000000';
const V3 = '20260103000000';
const V4 = '20260104000000';
const FILES = {
  [`${V1}_create_a.sql`]: 'create table a (id int primary key);\ninsert into a values (1);\n',
  [`${V2}_create_b.sql`]: '-- b; a comment\ncreate table b (id int);\ninsert into b values (2);\n',
};

const dirs: string[] = [];
const databases: TestDatabase[] = [];
const clients: Db[] = [];

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

async function freshDb(max = 2): Promise<Db> {
  const db = await createTestDatabase();
  databases.push(db);
  const sql = createDb({ url: db.url, max });
  clients.push(sql);
  return sql;
}

function collectingLogger() {
  const lines: string[] = [];
  const log = (obj: object, msg: string): void => void lines.push(`${msg} ${JSON.stringify(obj)}`);
  return { lines, logger: { info: log, warn: log } };
}

const tableExists = async (sql: Db, name: string): Promise<boolean> =>
  (await sql<{ ok: boolean }[]>`select to_regclass(${name}) is not null as ok`)[0]!.ok;

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 0 })));
  await Promise.all(databases.map((d) => d.drop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('applies every file in version order, logs each, and a second run applies nothing', async () => {
    const sql = await freshDb();
    const dir = migrationsDir(FILES);
    const { lines, logger } = collectingLogger();

    await expect(runMigrations(sql, { dir, logger })).resolves.toEqual({ applied: [V1, V2] });
    expect(lines.filter((l) => l.startsWith('migration applied:'))).toEqual([
      expect.stringContaining(`${V1}_create_a.sql`),
      expect.stringContaining(`${V2}_create_b.sql`),
    ]);
    expect(await sql`select id from b`).toEqual([{ id: 2 }]);

    await expect(runMigrations(sql, { dir, logger })).resolves.toEqual({ applied: [] });
    expect(lines.at(-1)).toMatch(/^migrations: database is up to date/);
    expect(await sql`select id from a`).toEqual([{ id: 1 }]);
  });

  it('records history in the Supabase CLI table, with its columns and split statements', async () => {
    const sql = await freshDb();
    await runMigrations(sql, { dir: migrationsDir(FILES) });
    const columns = await sql`
      select column_name, data_type, udt_name, is_nullable from information_schema.columns
      where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position`;
    expect(columns).toEqual([
      { column_name: 'version', data_type: 'text', udt_name: 'text', is_nullable: 'NO' },
      { column_name: 'statements', data_type: 'ARRAY', udt_name: '_text', is_nullable: 'YES' },
      { column_name: 'name', data_type: 'text', udt_name: 'text', is_nullable: 'YES' },
    ]);
    const [pk] = await sql`
      select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = 'supabase_migrations.schema_migrations'::regclass and i.indisprimary`;
    expect(pk).toEqual({ attname: 'version' });
    expect(
      await sql`select version, name, statements from supabase_migrations.schema_migrations order by version`,
    ).toEqual([
      {
        version: V1,
        name: 'create_a',
        statements: ['create table a (id int primary key)', 'insert into a values (1)'],
      },
      {
        version: V2,
        name: 'create_b',
        statements: ['-- b; a comment\ncreate table b (id int)', 'insert into b values (2)'],
      },
    ]);
  });

  it('rolls back a failing file alone (statements and history row) and stops the run', async () => {
    const sql = await freshDb();
    const failing = {
      ...FILES,
      [`${V3}_create_c.sql`]:
        'create table c (id int);\ninsert into c values (3);\nselec broken;\n',
      [`${V4}_create_d.sql`]: 'create table d (id int);\n',
    };
    await runMigrations(sql, { dir: migrationsDir(FILES) });

    const err = await rejectionOf<MigrationFailedError>(
      runMigrations(sql, { dir: migrationsDir(failing) }),
    );
    expect(err).toBeInstanceOf(MigrationFailedError);
    expect(err).toMatchObject({
      version: V3,
      file: `${V3}_create_c.sql`,
      line: 3,
      code: '42601',
      applied: [],
    });
    expect(err.message).toMatch(
      /^migration 20260103000000_create_c\.sql failed at line 3: syntax error at or near "selec"/,
    );
    expect(err.message).toMatch(/rolled back; later migrations were not run/);
    expect(await tableExists(sql, 'c')).toBe(false);
    expect(await tableExists(sql, 'd')).toBe(false);
    expect((await migrationStatus(sql, { dir: migrationsDir(failing) })).pending).toEqual([V3, V4]);

    const fixed = {
      ...failing,
      [`${V3}_create_c.sql`]: 'create table c (id int);\ninsert into c values (3);\n',
    };
    await expect(runMigrations(sql, { dir: migrationsDir(fixed) })).resolves.toEqual({
      applied: [V3, V4],
    });
  });

  it('refuses a file that commits the runner’s transaction itself', async () => {
    const sql = await freshDb();
    const dir = migrationsDir({ [`${V1}_sneaky.sql`]: 'create table s (id int);\ncommit;\n' });
    await expect(runMigrations(sql, { dir })).rejects.toThrow(/ended the runner’s transaction/);
    expect((await migrationStatus(sql, { dir })).pending).toEqual([V1]);
  });

  it('rejects a badly named file before touching the database', async () => {
    const sql = await freshDb();
    for (const bad of ['create_x.sql', '20260101_create_x.sql', '20260101000000-create_x.sql']) {
      const dir = migrationsDir({ ...FILES, [bad]: 'select 1;' });
      const err = await rejectionOf<Error>(runMigrations(sql, { dir }));
      expect(err).toBeInstanceOf(MigrationFileNameError);
      expect(err.message).toContain(`invalid migration file name "${bad}"`);
      expect(err.message).toContain('<14-digit UTC timestamp>_<name>.sql');
    }
    const dup = migrationsDir({ ...FILES, [`${V1}_again.sql`]: 'select 1;' });
    await expect(runMigrations(sql, { dir: dup })).rejects.toThrow(
      /two migration files share version 20260101000000/,
    );
    expect(await tableExists(sql, 'supabase_migrations.schema_migrations')).toBe(false);
  });

  it('ignores hidden and non-SQL files', async () => {
    const sql = await freshDb();
    const dir = migrationsDir({ ...FILES, '.gitkeep': '', 'README.md': '# notes' });
    await expect(runMigrations(sql, { dir })).resolves.toEqual({ applied: [V1, V2] });
  });

  it('does not hand session settings a file made back to the pool', async () => {
    const sql = await freshDb(1);
    const [before] = await sql`show search_path`;
    const dir = migrationsDir({
      [`${V1}_session.sql`]: "set search_path = pg_catalog;\nset statement_timeout = '1h';\n",
    });
    await runMigrations(sql, { dir });
    expect(await sql`show search_path`).toEqual([before]);
    expect(await sql`show statement_timeout`).toEqual([{ statement_timeout: '0' }]);
  });
});

describe('migrationStatus and assertMigrated', () => {
  it('lists every file as pending on an empty database and tells how to fix it', async () => {
    const sql = await freshDb();
    const dir = migrationsDir(FILES);
    await expect(migrationStatus(sql, { dir })).resolves.toEqual({
      applied: [],
      pending: [V1, V2],
      unknown: [],
    });
    const err = await rejectionOf<MigrationsPendingError>(assertMigrated(sql, { dir }));
    expect(err).toBeInstanceOf(MigrationsPendingError);
    expect(err.pending).toEqual([V1, V2]);
    expect(err.unknown).toEqual([]);
    expect(err.message).toContain(
      `pending (in the migrations folder, not applied): ${V1}_create_a, ${V2}_create_b`,
    );
    expect(err.message).toContain('npm run db:migrate');
  });

  it('lists unknown applied versions (database ahead of the code), unless allowed', async () => {
    const sql = await freshDb();
    const newer = { ...FILES, [`${V3}_create_c.sql`]: 'create table c (id int);' };
    await runMigrations(sql, { dir: migrationsDir(newer) });
    const older = migrationsDir({ ...FILES, [`${V4}_create_d.sql`]: 'create table d (id int);' });

    await expect(migrationStatus(sql, { dir: older })).resolves.toEqual({
      applied: [V1, V2, V3],
      pending: [V4],
      unknown: [V3],
    });
    const err = await rejectionOf<MigrationsPendingError>(assertMigrated(sql, { dir: older }));
    expect(err).toMatchObject({ pending: [V4], unknown: [V3] });
    expect(err.message).toContain(
      `pending (in the migrations folder, not applied): ${V4}_create_d`,
    );
    expect(err.message).toContain(
      `unknown (applied to the database, not in the migrations folder): ${V3}_create_c`,
    );

    const behind = migrationsDir(FILES);
    await expect(assertMigrated(sql, { dir: behind })).rejects.toMatchObject({
      pending: [],
      unknown: [V3],
    });
    await expect(assertMigrated(sql, { dir: behind, allowUnknown: true })).resolves.toEqual({
      applied: [V1, V2, V3],
      pending: [],
      unknown: [V3],
    });
  });

  it('passes once everything is applied', async () => {
    const sql = await freshDb();
    const dir = migrationsDir(FILES);
    await runMigrations(sql, { dir });
    await expect(assertMigrated(sql, { dir })).resolves.toEqual({
      applied: [V1, V2],
      pending: [],
      unknown: [],
    });
  });
});
