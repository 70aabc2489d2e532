import { createHash } from 'node:crypto';
import { uploadObjectKeys } from '@saas/shared/contracts';
import type { Db } from '@saas/shared/db';
import { isStorageNotFound, type ObjectStorage } from '@saas/shared/storage';

export interface BackfillResult {
  checked: number;
  /** Already had a verified copy: nothing to do. */
  alreadyVerified: number;
  /** Copied, hashed, matched the row's sha256: now downloadable again. */
  copied: number;
  /** The incoming object is not the bytes that were verified: row set to failed. */
  mismatched: string[];
  /** No object at all: row set to failed. */
  missing: string[];
}

export const CHANGED_REASON =
  'The stored file changed after it was checked; please upload it again.';
export const MISSING_REASON = 'The uploaded file was not found in storage; please upload it again.';

const sha256Of = async (storage: ObjectStorage, key: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of await storage.getStream(key)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
};

/**
 * One-off upgrade step for uploads that became `ready` before downloads were served from the
 * worker's verified copy (issue 14): those rows have bytes only at the incoming key, which the
 * client could have rewritten since. For each `ready` row without a verified copy: copy the
 * incoming object to the verified key, hash the copy, and keep it only when it is the sha256
 * the worker recorded (then the incoming object goes). Otherwise the copy is deleted and the
 * row becomes `failed` with a reason the uploader can read: serving it would serve unchecked
 * bytes. Keys are derived from (owner, id) as everywhere else. Idempotent; `dryRun` only counts.
 */
export async function backfillVerified(opts: {
  sql: Db;
  storage: ObjectStorage;
  dryRun?: boolean;
  batchSize?: number;
  log?: (line: string) => void;
}): Promise<BackfillResult> {
  const { sql, storage } = opts;
  const log = opts.log ?? (() => {});
  const result: BackfillResult = {
    checked: 0,
    alreadyVerified: 0,
    copied: 0,
    mismatched: [],
    missing: [],
  };
  const fail = async (id: string, reason: string): Promise<void> => {
    if (opts.dryRun) return;
    await sql`update public.uploads set status = 'failed', status_reason = ${reason}
              where id = ${id} and status = 'ready'`;
  };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql<{ id: string; owner_id: string; sha256: string | null }[]>`
      select id, owner_id, sha256 from public.uploads
      where status = 'ready' and id > ${after}::uuid order by id limit ${opts.batchSize ?? 200}`;
    if (rows.length === 0) return result;
    for (const row of rows) {
      result.checked++;
      const keys = uploadObjectKeys(row.owner_id, row.id);
      if (await storage.head(keys.verified)) {
        result.alreadyVerified++;
        continue;
      }
      if (opts.dryRun) {
        log(`would verify ${row.id}`);
        continue;
      }
      try {
        await storage.copy(keys.incoming, keys.verified);
      } catch (err) {
        if (!isStorageNotFound(err)) throw err;
        result.missing.push(row.id);
        log(`${row.id}: no object; marked failed`);
        await fail(row.id, MISSING_REASON);
        continue;
      }
      if (row.sha256 !== null && (await sha256Of(storage, keys.verified)) === row.sha256) {
        await storage.delete(keys.incoming);
        result.copied++;
        continue;
      }
      await storage.delete(keys.verified);
      result.mismatched.push(row.id);
      log(`${row.id}: bytes differ from the verified sha256; marked failed`);
      await fail(row.id, CHANGED_REASON);
    }
    after = rows.at(-1)!.id;
  }
}
