import type postgres from 'postgres';
import type { MigrationFile } from './migration-files.ts';
import type { MigrationRef } from './migration-errors.ts';

// The Supabase CLI's own history table and DDL (supabase/cli pkg/migration/history.go), so
// `supabase migration list` / `supabase db push` and this runner agree on what is applied.
const CREATE_HISTORY = `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
`;

export async function ensureHistoryTable(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(CREATE_HISTORY);
}

/** Applied versions, oldest first; none when the history table does not exist yet. */
export async function readAppliedMigrations(sql: postgres.Sql): Promise<MigrationRef[]> {
  const [exists] = await sql<{ ok: boolean }[]>`
    select to_regclass('supabase_migrations.schema_migrations') is not null as ok`;
  if (!exists?.ok) return [];
  const rows = await sql<{ version: string; name: string | null }[]>`
    select version, name from supabase_migrations.schema_migrations order by version`;
  return rows.map((r) => ({ version: r.version, name: r.name ?? '' }));
}

export async function recordMigration(
  sql: postgres.Sql,
  file: MigrationFile,
  statements: string[],
): Promise<void> {
  await sql`
    insert into supabase_migrations.schema_migrations (version, name, statements)
    values (${file.version}, ${file.name}, ${sql.array(statements)})`;
}
