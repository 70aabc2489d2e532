import type { Sql } from 'postgres';
import type { UploadStatus } from '@saas/shared/contracts';

export interface UploadRecord {
  id: string;
  ownerId: string;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  status: UploadStatus;
  statusReason: string | null;
  sha256: string | null;
  detectedType: string | null;
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  processedAt: Date | null;
  expiresAt: Date;
  /** created_at at full (microsecond) precision: the list cursor must not lose rows. */
  cursorTs: string;
}

interface UploadRow {
  id: string;
  owner_id: string;
  object_key: string;
  filename: string | null;
  content_type: string | null;
  size_bytes: string | number | null;
  status: UploadStatus;
  status_reason: string | null;
  sha256: string | null;
  detected_type: string | null;
  request_id: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  processed_at: Date | null;
  expires_at: Date;
  cursor_ts: string;
}

const toRecord = (r: UploadRow): UploadRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  filename: r.filename,
  contentType: r.content_type,
  // bigint arrives as a string; upload sizes stay far below 2^53.
  size: r.size_bytes === null ? null : Number(r.size_bytes),
  status: r.status,
  statusReason: r.status_reason,
  sha256: r.sha256,
  detectedType: r.detected_type,
  requestId: r.request_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
  processedAt: r.processed_at,
  expiresAt: r.expires_at,
  cursorTs: r.cursor_ts,
});

export interface NewUpload {
  id: string;
  ownerId: string;
  /**
   * Written for operators and old tooling (where did this row's bytes go), never read back:
   * processes derive keys with uploadObjectKeys(owner, id), see upload-service.ts.
   */
  objectKey: string;
  filename: string;
  contentType: string;
  size: number;
  requestId: string;
  expiresAt: Date;
}

/**
 * SQL for the uploads table. Every query that reads or changes one row is scoped by owner_id:
 * the service never sees another user's row, so "not yours" and "does not exist" are the same
 * answer (404). The API connects as a server role (RLS policies are for Supabase clients).
 */
export function createUploadRepository(sql: Sql) {
  const cols = sql`*, created_at::text as cursor_ts`;
  return {
    async insert(u: NewUpload): Promise<UploadRecord> {
      const [row] = await sql<UploadRow[]>`
        insert into public.uploads (id, owner_id, object_key, filename, content_type, size_bytes, status, request_id, expires_at)
        values (${u.id}, ${u.ownerId}, ${u.objectKey}, ${u.filename}, ${u.contentType}, ${u.size}, 'pending', ${u.requestId}, ${u.expiresAt})
        returning ${cols}`;
      return toRecord(row!);
    },

    async findOwned(ownerId: string, id: string): Promise<UploadRecord | null> {
      const [row] = await sql<UploadRow[]>`
        select ${cols} from public.uploads where id = ${id} and owner_id = ${ownerId}`;
      return row ? toRecord(row) : null;
    },

    /** Newest first; `after` is the (created_at, id) of the last row of the previous page. */
    async listOwned(
      ownerId: string,
      opts: { limit: number; after?: { ts: string; id: string } },
    ): Promise<UploadRecord[]> {
      const rows = await sql<UploadRow[]>`
        select ${cols} from public.uploads
        where owner_id = ${ownerId}
        ${opts.after ? sql`and (created_at, id) < (${opts.after.ts}::timestamptz, ${opts.after.id}::uuid)` : sql``}
        order by created_at desc, id desc
        limit ${opts.limit}`;
      return rows.map(toRecord);
    },

    /** pending → uploaded; null when the row was not pending (a concurrent complete won). */
    async markUploaded(ownerId: string, id: string): Promise<UploadRecord | null> {
      const [row] = await sql<UploadRow[]>`
        update public.uploads
        set status = 'uploaded', completed_at = now(), updated_at = now()
        where id = ${id} and owner_id = ${ownerId} and status = 'pending'
        returning ${cols}`;
      return row ? toRecord(row) : null;
    },

    /** Undoes markUploaded when the job could not be enqueued: the row is as it was. */
    async revertToPending(previous: UploadRecord): Promise<void> {
      await sql`
        update public.uploads
        set status = 'pending', completed_at = ${previous.completedAt}, updated_at = ${previous.updatedAt}
        where id = ${previous.id} and owner_id = ${previous.ownerId} and status = 'uploaded'`;
    },

    async deleteOwned(ownerId: string, id: string): Promise<boolean> {
      const rows =
        await sql`delete from public.uploads where id = ${id} and owner_id = ${ownerId} returning id`;
      return rows.length > 0;
    },
  };
}

export type UploadRepository = ReturnType<typeof createUploadRepository>;
