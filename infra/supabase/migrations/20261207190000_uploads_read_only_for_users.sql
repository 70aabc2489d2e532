-- Signed-in users read their uploads through the Data API and change nothing.
--
-- The first migration granted insert, update and delete on public.uploads to `authenticated`,
-- and its policies checked only owner_id. On Supabase the Data API (PostgREST) serves `public`
-- and the anon/publishable key ships in the web bundle, so any signed-in user could rewrite
-- their own row: status = 'ready' (skipping the worker's checks), sha256, object_key = any key
-- in the bucket. Every write to this table belongs to the API (create, complete, delete) and
-- the worker (ready, rejected, failed): they connect as the table owner and apply the rules.
--
-- Why no column grants instead: no column is the user's to change. filename, content_type and
-- size_bytes are what the API checked and signed the upload URL for; status, sha256,
-- detected_type, object_key and the timestamps are the server's record of what happened.
-- Deleting goes through the API too, which removes the objects first (a row deleted over the
-- Data API would leave its objects behind with nothing pointing at them).
--
-- anon: nothing, restated (Supabase's default privileges grant new public tables to anon).
-- service_role keeps everything (server side only; it bypasses RLS).
-- Runs in one transaction with its history row; no BEGIN/COMMIT here.

revoke insert, update, delete, truncate, references, trigger on public.uploads from authenticated;
grant select on public.uploads to authenticated;
revoke all on public.uploads from anon;

-- The write policies have nothing left to guard; dropped so that a later grant does not quietly
-- bring the owner-only writes back. uploads_select_own stays.
drop policy if exists uploads_insert_own on public.uploads;
drop policy if exists uploads_update_own on public.uploads;
drop policy if exists uploads_delete_own on public.uploads;
