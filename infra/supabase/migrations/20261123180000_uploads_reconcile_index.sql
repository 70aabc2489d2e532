-- The reconcile sweep (worker/src/jobs/reconcile-uploads.ts) looks for uploads stuck in
-- `uploaded`: status = 'uploaded' and updated_at older than UPLOAD_STUCK_AFTER_MS, oldest first,
-- a page at a time. Without this index it rides uploads_status_expires_idx and sorts every
-- `uploaded` row on each pass, which is cheap while few are in flight and most expensive exactly
-- when the worker has been down and thousands pile up. Partial: it holds only the rows in
-- flight, so it stays small and costs nothing to the rows that are done.
-- Plain CREATE INDEX (not CONCURRENTLY): migrations run in a transaction. It locks writes to
-- uploads while it builds; on a large table, build it CONCURRENTLY by hand first (this
-- statement is then a no-op).
create index if not exists uploads_uploaded_updated_idx
  on public.uploads (updated_at)
  where status = 'uploaded';
