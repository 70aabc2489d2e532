import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createClient } from '@supabase/supabase-js';
import { abortable } from './abortable.ts';
import { safeFilename } from './content-disposition.ts';
import { createHeadersTimeoutFetch } from './headers-timeout-fetch.ts';
import { jwtExpiry } from './jwt-expiry.ts';
import type { ObjectStorage } from './object-storage.ts';
import {
  assertContentType,
  assertExpiresInS,
  assertObjectKey,
  assertUploadSize,
} from './port-arguments.ts';
import type { StorageError } from './storage-error.ts';
import { isSupabaseObjectMissing, toSupabaseStorageError } from './supabase-errors.ts';

export interface SupabaseStorageConfig {
  /** Project URL, https://<ref>.supabase.co. */
  url: string;
  /** Service-role (or sb_secret_) key: server side only, bypasses RLS. */
  serviceRoleKey: string;
  bucket: string;
  /** Limit until the response headers arrive. Default 10000. */
  requestTimeoutMs?: number;
  /** fetch to build on (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
}

/** Supabase fixes the lifetime of signed upload URLs (2 h) instead of taking it per call. */
export const SUPABASE_SIGNED_UPLOAD_TTL_S = 2 * 3600;

const unquote = (etag: string | null | undefined): string | undefined =>
  etag ? etag.replace(/^"(.*)"$/, '$1') : undefined;

export function createSupabaseStorage(cfg: SupabaseStorageConfig): ObjectStorage {
  const supabase = createClient(cfg.url, cfg.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: createHeadersTimeoutFetch(cfg.requestTimeoutMs ?? 10_000, cfg.fetch) },
  });
  const files = supabase.storage.from(cfg.bucket);
  const secrets = [cfg.serviceRoleKey];
  const fail = (operation: string, err: unknown): StorageError =>
    toSupabaseStorageError(operation, err, secrets);

  return {
    driver: 'supabase',
    bucket: cfg.bucket,

    async createUploadUrl(key, { contentType, size, expiresInS }) {
      assertObjectKey(key);
      assertContentType(contentType);
      assertUploadSize(size);
      assertExpiresInS(expiresInS);
      // Neither type nor size can be bound into this URL: the bucket's allowed_mime_types and
      // file_size_limit (applyUploadPolicy, called by the API before it signs the first URL)
      // and the API's head() check of size and type on completion enforce them.
      const issuedAt = Date.now();
      const { data, error } = await files.createSignedUploadUrl(key);
      if (error) throw fail('createUploadUrl', error);
      return {
        url: data.signedUrl,
        method: 'PUT',
        headers: { 'Content-Type': contentType },
        expiresAt:
          jwtExpiry(data.token) ?? new Date(issuedAt + SUPABASE_SIGNED_UPLOAD_TTL_S * 1000),
      };
    },

    async createDownloadUrl(key, { expiresInS, filename }) {
      assertObjectKey(key);
      assertExpiresInS(expiresInS);
      const issuedAt = Date.now();
      const { data, error } = await files.createSignedUrl(key, expiresInS);
      if (error) throw fail('createDownloadUrl', error);
      const url = new URL(data.signedUrl);
      // Not storage-js's `download` option: it encodes the name twice (URLSearchParams, then
      // encodeURI over the whole URL), so "ä" would arrive as the literal text "%C3%A4".
      if (filename !== undefined) url.searchParams.set('download', safeFilename(filename));
      return { url: url.toString(), expiresAt: new Date(issuedAt + expiresInS * 1000) };
    },

    async head(key) {
      assertObjectKey(key);
      // info() rather than exists(): one call gives the size, and exists() reports a plain
      // 404 through `error` as well, which reads like a failure.
      const { data, error } = await files.info(key);
      if (error) {
        if (isSupabaseObjectMissing(error)) return null;
        throw fail('head', error);
      }
      const etag = unquote(data.etag);
      return {
        size: data.size ?? 0,
        ...(data.contentType ? { contentType: data.contentType } : {}),
        ...(etag ? { etag } : {}),
      };
    },

    async getStream(key, options = {}) {
      assertObjectKey(key);
      // download() alone resolves to a Blob (the whole object in memory); asStream() hands
      // over the fetch body as it arrives.
      const { data, error } = await files
        .download(key, undefined, { signal: options.signal })
        .asStream();
      if (error) throw fail('getStream', error);
      return Readable.fromWeb(data as NodeReadableStream<Uint8Array>);
    },

    async copy(fromKey, toKey) {
      assertObjectKey(fromKey);
      assertObjectKey(toKey);
      // Storage's copy refuses an existing destination (409 Duplicate) and storage-js cannot ask
      // for an upsert: remove the destination first. Callers copy to keys no client can write.
      const removed = await files.remove([toKey]);
      if (removed.error) throw fail('copy', removed.error);
      const { error } = await files.copy(fromKey, toKey);
      if (error) throw fail('copy', error);
      const info = await this.head(toKey);
      if (!info) throw fail('copy', new Error('the copy is not readable after copy'));
      return info;
    },

    async applyUploadPolicy({ allowedTypes, maxBytes }) {
      assertUploadSize(maxBytes);
      allowedTypes.forEach(assertContentType);
      // A signed upload URL binds neither type nor size: the bucket must refuse them itself.
      // Private too: objects are served through signed URLs only.
      const { error } = await supabase.storage.updateBucket(cfg.bucket, {
        public: false,
        allowedMimeTypes: [...allowedTypes],
        fileSizeLimit: maxBytes,
      });
      if (error) throw fail(`applyUploadPolicy to bucket ${cfg.bucket}`, error);
    },

    async delete(key) {
      assertObjectKey(key);
      // Removing a missing path answers 200 with an empty list: idempotent by protocol.
      const { error } = await files.remove([key]);
      if (error) throw fail('delete', error);
    },

    async check(signal) {
      let result;
      try {
        result = await abortable(supabase.storage.getBucket(cfg.bucket), signal);
      } catch (err) {
        throw fail(`check of bucket ${cfg.bucket}`, err);
      }
      if (result.error) throw fail(`check of bucket ${cfg.bucket}`, result.error);
    },

    async close() {
      // Plain fetch calls: nothing to release.
    },
  };
}
