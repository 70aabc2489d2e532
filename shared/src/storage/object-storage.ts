import type { Readable } from 'node:stream';

// The port the API and the worker depend on. Adapters: s3-storage.ts (any S3-compatible store,
// Supabase Storage's S3 endpoint included) and supabase-storage.ts (Supabase Storage API).

export interface UploadUrlOptions {
  /** Bound into the URL where the store supports it: the browser must send exactly this. */
  contentType: string;
  /** Bytes the client announced; bound into the S3 signature (Content-Length). */
  size: number;
  /** Requested lifetime. Supabase ignores it (its signed upload URLs live 2 h): read expiresAt. */
  expiresInS: number;
}

export interface UploadUrl {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT (e.g. Content-Type bound into the signature). */
  headers: Record<string, string>;
  /** When the store stops accepting the URL. */
  expiresAt: Date;
}

export interface DownloadUrlOptions {
  expiresInS: number;
  /** Served as `Content-Disposition: attachment` with this name, made safe. Unset: inline. */
  filename?: string;
}

export interface DownloadUrl {
  url: string;
  expiresAt: Date;
}

export interface ObjectInfo {
  size: number;
  contentType?: string;
  /** Without surrounding quotes. */
  etag?: string;
}

/** What a bucket accepts, for stores whose upload URLs cannot carry it (Supabase). */
export interface UploadPolicy {
  /** MIME types a client may upload (the API's UPLOAD_ALLOWED_TYPES). */
  allowedTypes: readonly string[];
  /** Largest object in bytes (the API's UPLOAD_MAX_BYTES). */
  maxBytes: number;
}

export interface ObjectStorage {
  readonly driver: 's3' | 'supabase';
  readonly bucket: string;
  createUploadUrl(key: string, options: UploadUrlOptions): Promise<UploadUrl>;
  createDownloadUrl(key: string, options: DownloadUrlOptions): Promise<DownloadUrl>;
  /** null when the object does not exist; throws StorageError for every other failure. */
  head(key: string): Promise<ObjectInfo | null>;
  /**
   * The object's bytes as a stream, never buffered whole. Rejects with a StorageError whose
   * `notFound` is true when the object does not exist.
   */
  getStream(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /**
   * Server-side copy within the bucket; the bytes never pass through this process. Overwrites
   * `toKey`. Returns the copy's info (read back from the store). Rejects with a StorageError
   * whose `notFound` is true when `fromKey` does not exist.
   */
  copy(fromKey: string, toKey: string): Promise<ObjectInfo>;
  /**
   * Makes the bucket itself refuse other types and larger objects, where the signed upload URL
   * cannot bind them (Supabase: the bucket's allowed_mime_types and file_size_limit). S3: a
   * no-op, the signature binds Content-Type and Content-Length per URL.
   */
  applyUploadPolicy(policy: UploadPolicy): Promise<void>;
  /** Idempotent: deleting a missing object succeeds. */
  delete(key: string): Promise<void>;
  /** Health: resolves when the bucket is reachable, rejects (credential-free message) if not. */
  check(signal?: AbortSignal): Promise<void>;
  /** Releases sockets; for the lifecycle's close hooks. */
  close(): Promise<void>;
}
