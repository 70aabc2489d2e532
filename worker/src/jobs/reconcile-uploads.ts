import type { Logger } from '@saas/shared/logger';
import {
  enqueueProcessUpload,
  JOBS,
  reconcileUploadsPayload,
  type ReconcileUploadsPayload,
  type UploadsQueue,
} from '@saas/shared/queue';
import { lookupUploadJob } from '../uploads/upload-job.ts';
import type { UploadRows } from '../uploads/upload-rows.ts';
import { defineJobHandler, type JobHandler } from './job-handler.ts';
import { recordedFailureReason } from './process-upload.ts';

export interface ReconcileUploadsDeps {
  rows: UploadRows;
  /** The uploads queue, to look jobs up and to enqueue process-upload again. */
  queue: UploadsQueue;
  /** UPLOAD_STUCK_AFTER_MS: a row `uploaded` and unchanged for longer is looked at. */
  stuckAfterMs: number;
  /** Each changed row, e.g. `uploads_reconciled_total{outcome}`: alert if it keeps rising. */
  onReconciled?: (outcome: 'markedFailed' | 'requeued') => void;
}

type Outcome = 'markedFailed' | 'requeued' | 'inProgress' | 'settled';

const SAFE_REQUEST_ID = /[^A-Za-z0-9._-]/g;

/**
 * reconcile-uploads: finds uploads stuck in `uploaded` and settles them from their job's state.
 * A row stays `uploaded` forever when the give-up hook could not write `failed` (database
 * away at that moment) or when its job is gone (Redis lost data, an operator removed it): the
 * uploader would see "processing…" for good. Per row, by its process-upload job (id = upload id):
 *
 * - waiting / active / delayed / prioritized / waiting-children: still in progress, left alone
 *   however old the row is (a backlog is not a fault).
 * - failed, and it failed after the row became `uploaded`: BullMQ gave up on it; the row gets
 *   `failed` with the give-up hook's sentence, as the hook would have written.
 * - failed before the row became `uploaded` (the API rolled back a `complete` whose enqueue
 *   timed out but landed; the job gave up on a `pending` row; the client completed again and
 *   that enqueue was a no-op), completed (should not happen: the row is written before the job
 *   completes), orphaned or missing: processed again.
 *
 * "Again" means remove, then enqueue. BullMQ's add() with a job id whose hash exists — in any
 * state, completed and failed included — returns the existing job and adds nothing, so the
 * finished job must go first. The enqueue goes through the shared helper with jobId = upload id,
 * so an enqueue racing ours (the API's `complete`, another sweep) is a no-op. Before removing
 * anything the row is read again: a job that finished between the sweep's query and the lookup
 * has already written its row, and then there is nothing to do.
 *
 * Every row write is conditional on `uploaded` (markFailed), so a sweep racing the worker or
 * the hook changes nothing twice; a second sweep finds the rows it settled no longer `uploaded`
 * and the jobs it enqueued in progress.
 */
export function createReconcileUploads(deps: ReconcileUploadsDeps): JobHandler<unknown> {
  async function requeue(
    uploadId: string,
    finished: boolean,
    requestId: string,
    why: string,
    logger: Logger,
  ): Promise<Outcome> {
    const row = await deps.rows.find(uploadId);
    if (row?.status !== 'uploaded') return 'settled';
    // A locked job (active again after an operator's retry) is not removed: 0, not an error.
    if (finished && (await deps.queue.remove(uploadId)) !== 1) return 'inProgress';
    await enqueueProcessUpload(deps.queue, { uploadId, requestId });
    logger.warn({ uploadId, why }, 'stuck upload: process-upload enqueued again');
    return 'requeued';
  }

  async function reconcile(
    row: { id: string; updatedAt: Date },
    requestId: string,
    logger: Logger,
  ): Promise<Outcome> {
    const found = await lookupUploadJob(deps.queue, row.id);
    switch (found.kind) {
      case 'in-progress':
        return 'inProgress';
      case 'failed': {
        const { job } = found;
        // finishedOn (worker clock) vs updated_at (database clock): a skew can only make a
        // real give-up look older than the row, and then the upload is simply processed again.
        if (job.finishedOn !== undefined && job.finishedOn < row.updatedAt.getTime())
          return requeue(row.id, true, requestId, 'job failed before the row was uploaded', logger);
        const changed = await deps.rows.markFailed(row.id, recordedFailureReason(job));
        logger.warn(
          { uploadId: row.id, attemptsMade: job.attemptsMade, changed },
          changed
            ? 'stuck upload marked failed: its job had given up'
            : 'stuck upload finished concurrently; nothing to change',
        );
        return changed ? 'markedFailed' : 'settled';
      }
      case 'completed':
        return requeue(row.id, true, requestId, 'job completed but the row is uploaded', logger);
      case 'orphaned':
        return requeue(row.id, true, requestId, 'job has no state', logger);
      case 'missing':
        return requeue(row.id, false, requestId, 'job missing', logger);
    }
  }

  const handler: JobHandler<ReconcileUploadsPayload> = {
    name: JOBS.reconcileUploads,
    payload: reconcileUploadsPayload,

    async run({ batchSize }, ctx) {
      const stuck = await deps.rows.listStuckUploaded(deps.stuckAfterMs, batchSize);
      // The re-enqueued jobs' lines point back to this sweep.
      const requestId = `reconcile-${ctx.jobId}`.replace(SAFE_REQUEST_ID, '-').slice(0, 128);
      const counts = { markedFailed: 0, requeued: 0, inProgress: 0, settled: 0 };
      let errors = 0;
      for (const row of stuck) {
        try {
          const outcome = await reconcile(row, requestId, ctx.logger);
          counts[outcome]++;
          if (outcome === 'markedFailed' || outcome === 'requeued') deps.onReconciled?.(outcome);
        } catch (err) {
          // One row's failure must not block the others; it is looked at again next run.
          errors++;
          ctx.logger.warn({ uploadId: row.id, err }, 'stuck upload: not reconciled; next run');
        }
      }
      const summary = { checked: stuck.length, ...counts, errors };
      ctx.logger.info(
        { ...summary, stuckAfterMs: deps.stuckAfterMs, more: stuck.length === batchSize },
        'stuck uploads reconciled',
      );
      if (errors > 0 && errors === stuck.length)
        throw new Error(`could not reconcile any of ${errors} stuck uploads`);
      return summary;
    },
  };
  return defineJobHandler(handler);
}
