export type {
  DownloadUrl,
  DownloadUrlOptions,
  ObjectInfo,
  ObjectStorage,
  UploadUrl,
  UploadUrlOptions,
} from './object-storage.ts';
export { storageEnv } from './env.ts';
export { createS3Storage, type S3StorageConfig } from './s3-storage.ts';
export { S3_TIMEOUT_DEFAULTS } from './s3-clients.ts';
export {
  createSupabaseStorage,
  SUPABASE_SIGNED_UPLOAD_TTL_S,
  type SupabaseStorageConfig,
} from './supabase-storage.ts';
export { createStorageFromEnv, StorageConfigError, type StorageEnv } from './storage-from-env.ts';
export { supabaseKeyWarnings, supabaseSecretKey, type SupabaseKeyEnv } from './supabase-keys.ts';
export { storageCheck } from './storage-check.ts';
export { StorageError, isStorageNotFound } from './storage-error.ts';
export { attachmentDisposition, safeFilename } from './content-disposition.ts';
export { MAX_EXPIRES_IN_S, MAX_SINGLE_PUT_BYTES } from './port-arguments.ts';
