import { Queue, type ConnectionOptions } from 'bullmq';
import { defaultJobOptions } from './job-options.ts';
import { QUEUES } from './names.ts';
import type { CleanupUploadsPayload } from './payloads.ts';
import type { QueueFactoryOptions } from './uploads-queue.ts';

export type MaintenanceQueue = Queue<CleanupUploadsPayload>;

/**
 * The queue of housekeeping jobs (cleanup-uploads), fed by BullMQ job schedulers. Kept apart
 * from `uploads` so a backlog of user uploads never delays housekeeping and the other way round.
 */
export function createMaintenanceQueue(
  connection: ConnectionOptions,
  opts: QueueFactoryOptions,
): MaintenanceQueue {
  return new Queue<CleanupUploadsPayload>(QUEUES.maintenance, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: { ...defaultJobOptions, ...opts.jobOptions },
  });
}
