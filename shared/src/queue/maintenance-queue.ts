import { Queue, type ConnectionOptions } from 'bullmq';
import { defaultJobOptions } from './job-options.ts';
import { QUEUES } from './names.ts';
import type { CleanupUploadsPayload, ReconcileUploadsPayload } from './payloads.ts';
import type { QueueFactoryOptions } from './uploads-queue.ts';

/** Data of any housekeeping job (each job name has its own schema; the worker validates by name). */
export type MaintenancePayload = CleanupUploadsPayload | ReconcileUploadsPayload;

export type MaintenanceQueue = Queue<MaintenancePayload>;

/**
 * The queue of housekeeping jobs (cleanup-uploads, reconcile-uploads), fed by BullMQ job schedulers. Kept apart
 * from `uploads` so a backlog of user uploads never delays housekeeping and the other way round.
 */
export function createMaintenanceQueue(
  connection: ConnectionOptions,
  opts: QueueFactoryOptions,
): MaintenanceQueue {
  return new Queue<MaintenancePayload>(QUEUES.maintenance, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: { ...defaultJobOptions, ...opts.jobOptions },
  });
}
