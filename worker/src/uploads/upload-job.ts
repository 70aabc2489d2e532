import type { Job, JobState } from 'bullmq';
import type { ProcessUploadPayload, UploadsQueue } from '@saas/shared/queue';

type UploadJob = Job<ProcessUploadPayload, unknown, string>;

/** States in which BullMQ will still run (or is running) the job: nothing to reconcile. */
export const IN_PROGRESS_STATES: readonly JobState[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
];

/** Where an upload's process-upload job (job id = upload id) stands in BullMQ. */
export type UploadJobLookup =
  | { kind: 'in-progress'; state: JobState }
  /** In the failed set: BullMQ gave up on it. */
  | { kind: 'failed'; job: UploadJob }
  | { kind: 'completed'; job: UploadJob }
  /**
   * Its hash exists but it is in no state list (partial data loss, a hand-edited Redis). Every
   * BullMQ state change is one Lua script, so this is not a job caught between two lists.
   */
  | { kind: 'orphaned' }
  /** No trace of it: removed by retention or an operator, or lost by Redis. */
  | { kind: 'missing' };

/**
 * Looks up the job of one upload: its state (one Lua call), then, for the states whose record
 * matters (failed, completed) or is ambiguous (unknown), the job itself. A job with no state
 * is looked up once more before it counts as orphaned: it may have been added in between.
 */
export async function lookupUploadJob(
  queue: Pick<UploadsQueue, 'getJobState' | 'getJob'>,
  uploadId: string,
  lookAgain = true,
): Promise<UploadJobLookup> {
  const state = await queue.getJobState(uploadId);
  if (state !== 'unknown' && IN_PROGRESS_STATES.includes(state))
    return { kind: 'in-progress', state };
  const job = (await queue.getJob(uploadId)) as UploadJob | undefined;
  if (!job) return { kind: 'missing' };
  if (state === 'failed') return { kind: 'failed', job };
  if (state === 'completed') return { kind: 'completed', job };
  return lookAgain ? lookupUploadJob(queue, uploadId, false) : { kind: 'orphaned' };
}
