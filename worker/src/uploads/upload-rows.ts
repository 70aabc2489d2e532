import type { Db } from '@saas/shared/db';

// The worker's SQL on public.uploads. It connects as the table owner (RLS does not apply), so
// every write names the row by id and, to stay idempotent, the status it expects to change.
// object_key is never read: object keys are derived from (owner_id, id) by uploadObjectKeys.

export type UploadStatus = 'pending' | 'uploaded' | 'ready' | 'rejected' | 'failed';

export interface UploadForProcessing {
  id: string;
  ownerId: string;
  contentType: string | null;
  /** Declared size; bigint arrives as a string from postgres.js. */
  sizeBytes: number | null;
  status: UploadStatus;
}

export const FINISHED_STATUSES: readonly UploadStatus[] = ['ready', 'rejected', 'failed'];

export function createUploadRows(sql: Db) {
  return {
    async find(id: string): Promise<UploadForProcessing | undefined> {
      const [row] = await sql<
        {
          id: string;
          owner_id: string;
          content_type: string | null;
          size_bytes: string | null;
          status: UploadStatus;
        }[]
      >`
        select id, owner_id, content_type, size_bytes, status
        from public.uploads where id = ${id}`;
      if (!row) return undefined;
      return {
        id: row.id,
        ownerId: row.owner_id,
        contentType: row.content_type,
        sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
        status: row.status,
      };
    },

    /** uploaded → ready. False when the row was not `uploaded` (already finished elsewhere). */
    async markReady(
      id: string,
      v: { sha256: string; detectedType: string; size: number },
    ): Promise<boolean> {
      const rows = await sql`
        update public.uploads
        set status = 'ready', sha256 = ${v.sha256}, detected_type = ${v.detectedType},
            size_bytes = ${v.size}, status_reason = null, processed_at = now()
        where id = ${id} and status = 'uploaded'
        returning id`;
      return rows.length === 1;
    },

    /** uploaded → rejected with a reason for the uploader. False when the row was not `uploaded`. */
    async markRejected(
      id: string,
      v: { reason: string; sha256: string | null; detectedType: string | null },
    ): Promise<boolean> {
      const rows = await sql`
        update public.uploads
        set status = 'rejected', status_reason = ${v.reason}, sha256 = ${v.sha256},
            detected_type = ${v.detectedType}, processed_at = now()
        where id = ${id} and status = 'uploaded'
        returning id`;
      return rows.length === 1;
    },

    /** uploaded → failed once the job has given up. False when the row was not `uploaded`. */
    async markFailed(id: string, reason: string): Promise<boolean> {
      const rows = await sql`
        update public.uploads
        set status = 'failed', status_reason = ${reason}, processed_at = now()
        where id = ${id} and status = 'uploaded'
        returning id`;
      return rows.length === 1;
    },

    /**
     * Uploads still `uploaded` whose row has not changed for `olderThanMs` (measured on the
     * database clock, like updated_at), least recently changed first: the reconcile sweep's
     * candidates. `updatedAt` is when the row last changed, i.e. when it became `uploaded`.
     */
    async listStuckUploaded(
      olderThanMs: number,
      limit: number,
    ): Promise<{ id: string; updatedAt: Date }[]> {
      const rows = await sql<{ id: string; updated_at: Date }[]>`
        select id, updated_at from public.uploads
        where status = 'uploaded'
          and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
        order by updated_at
        limit ${limit}`;
      return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
    },

    /** Pending uploads past their expiry, oldest first. */
    async listExpiredPending(limit: number): Promise<{ id: string; ownerId: string }[]> {
      const rows = await sql<{ id: string; owner_id: string }[]>`
        select id, owner_id from public.uploads
        where status = 'pending' and expires_at < now()
        order by expires_at
        limit ${limit}`;
      return rows.map((r) => ({ id: r.id, ownerId: r.owner_id }));
    },

    /** Deletes those of `ids` that are still pending and expired; returns the ids deleted. */
    async deleteExpiredPending(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await sql<{ id: string }[]>`
        delete from public.uploads
        where id = any(${sql.array([...ids])}::uuid[]) and status = 'pending' and expires_at < now()
        returning id`;
      return rows.map((r) => r.id);
    },
  };
}

export type UploadRows = ReturnType<typeof createUploadRows>;
