// One place for queue and job names: the API (producer) and the worker (consumer) must agree,
// and a typo would silently park jobs on a queue nobody reads.
export const QUEUES = {
  uploads: 'uploads',
  maintenance: 'maintenance',
} as const;

export const JOBS = {
  processUpload: 'process-upload',
  cleanupUploads: 'cleanup-uploads',
  reconcileUploads: 'reconcile-uploads',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export type JobName = (typeof JOBS)[keyof typeof JOBS];
