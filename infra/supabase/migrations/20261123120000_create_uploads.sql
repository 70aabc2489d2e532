-- uploads: one row per file a user uploads (the demo feature: API → object store → worker).
--
-- Runs on Supabase and on plain PostgreSQL (local dev, CI):
--   * On Supabase the schema `auth`, the function auth.uid() and the roles anon,
--     authenticated and service_role already exist and are left untouched.
--   * On plain PostgreSQL the block below creates minimal stand-ins, only when missing:
--     the roles (NOLOGIN), the schema `auth` and an auth.uid() that reads the JWT `sub` from
--     the `request.jwt.claims` setting exactly as Supabase's does — so the RLS policies here
--     behave the same in tests as in production.
-- The API and the worker connect as the table owner (RLS does not apply to the owner) and scope
-- every query by owner themselves; the policies guard access with a user's JWT (Supabase Data
-- API, or `set role authenticated` + request.jwt.claims).
-- This file runs in one transaction with its history row (scripts/db-migrate.ts); no
-- BEGIN/COMMIT here.

do $$
begin
  -- Roles are cluster-wide: another database (a parallel test run) may create them at the same
  -- moment, hence the exception handlers instead of a plain IF NOT EXISTS check.
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    begin
      create role anon nologin noinherit;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    begin
      create role authenticated nologin noinherit;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    begin
      create role service_role nologin noinherit bypassrls;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;

  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
  end if;

  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    execute $fn$
      create function auth.uid() returns uuid
      language sql stable
      as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $body$
    $fn$;
    grant execute on function auth.uid() to anon, authenticated, service_role;
  end if;
end
$$;

create table public.uploads (
  id uuid primary key default gen_random_uuid(),
  -- The JWT `sub`. No foreign key to auth.users: the dev login's users exist only in tokens.
  owner_id uuid not null,
  object_key text not null unique,
  filename text,
  content_type text,
  size_bytes bigint check (size_bytes is null or size_bytes >= 0),
  status text not null default 'pending'
    check (status in ('pending', 'uploaded', 'ready', 'rejected', 'failed')),
  sha256 text,
  detected_type text,
  status_reason text,
  request_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null,
  completed_at timestamptz,
  processed_at timestamptz
);

comment on table public.uploads is 'Files uploaded by users: pending → uploaded → ready | rejected | failed.';
comment on column public.uploads.expires_at is 'A pending upload not completed by then is removed (row and object) by the cleanup job.';

-- The owner's list, newest first.
create index uploads_owner_created_idx on public.uploads (owner_id, created_at desc);
-- The cleanup job: status = 'pending' and expires_at < now().
create index uploads_status_expires_idx on public.uploads (status, expires_at);

-- search_path pinned empty (Supabase's linter flags mutable search paths on functions).
create or replace function public.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger uploads_set_updated_at
  before update on public.uploads
  for each row execute function public.set_updated_at();

alter table public.uploads enable row level security;

-- Owner-only access for signed-in users. `(select auth.uid())` instead of `auth.uid()`: the
-- same check, evaluated once per statement instead of once per row (Supabase's RLS advice).
create policy uploads_select_own on public.uploads
  for select to authenticated using (owner_id = (select auth.uid()));
create policy uploads_insert_own on public.uploads
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy uploads_update_own on public.uploads
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy uploads_delete_own on public.uploads
  for delete to authenticated using (owner_id = (select auth.uid()));

-- Supabase grants every new public table to anon/authenticated/service_role by default
-- privileges; plain PostgreSQL does not. State the intent explicitly on both: anon gets
-- nothing, signed-in users go through the policies above, service_role bypasses RLS.
revoke all on public.uploads from anon;
grant select, insert, update, delete on public.uploads to authenticated;
grant all on public.uploads to service_role;
