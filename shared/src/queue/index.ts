export { QUEUES, JOBS, type QueueName, type JobName } from './names.ts';
export {
  PROCESS_UPLOAD_VERSION,
  payloadVersion,
  processUploadPayload,
  processUploadJob,
  cleanupUploadsPayload,
  reconcileUploadsPayload,
  type ProcessUploadPayload,
  type CleanupUploadsPayload,
  type ReconcileUploadsPayload,
} from './payloads.ts';
export { defaultJobOptions } from './job-options.ts';
export { workerDefaults } from './worker-defaults.ts';
export {
  createUploadsQueue,
  enqueueProcessUpload,
  type UploadsQueue,
  type QueueFactoryOptions,
} from './uploads-queue.ts';
export {
  createMaintenanceQueue,
  type MaintenanceQueue,
  type MaintenancePayload,
} from './maintenance-queue.ts';
