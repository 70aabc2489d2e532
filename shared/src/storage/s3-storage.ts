import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from './content-disposition.ts';
import type { ObjectStorage } from './object-storage.ts';
import {
  assertContentType,
  assertExpiresInS,
  assertObjectKey,
  assertUploadSize,
} from './port-arguments.ts';
import { createS3Clients, type S3StorageConfig } from './s3-clients.ts';
import { isS3ObjectMissing, toS3StorageError } from './s3-errors.ts';
import { StorageError } from './storage-error.ts';

export type { S3StorageConfig } from './s3-clients.ts';

// The presigner leaves Content-Type unsigned by default; signing it (and Content-Length) makes
// the store refuse a PUT with another type or size than the API accepted.
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);

const unquote = (etag: string | undefined): string | undefined => etag?.replace(/^"(.*)"$/, '$1');

export function createS3Storage(cfg: S3StorageConfig): ObjectStorage {
  const { client, presigner } = createS3Clients(cfg);
  const Bucket = cfg.bucket;
  const secrets = [cfg.secretAccessKey, cfg.accessKeyId];
  const fail = (operation: string, err: unknown): StorageError =>
    toS3StorageError(operation, err, secrets);

  return {
    driver: 's3',
    bucket: Bucket,

    async createUploadUrl(key, { contentType, size, expiresInS }) {
      assertObjectKey(key);
      assertContentType(contentType);
      assertUploadSize(size);
      assertExpiresInS(expiresInS);
      const signingDate = new Date();
      const command = new PutObjectCommand({
        Bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: size,
      });
      try {
        const url = await getSignedUrl(presigner, command, {
          expiresIn: expiresInS,
          signingDate,
          signableHeaders: SIGNED_UPLOAD_HEADERS,
        });
        return {
          url,
          method: 'PUT',
          // Content-Length is signed too, but browsers and curl set it from the body themselves.
          headers: { 'Content-Type': contentType },
          expiresAt: new Date(signingDate.getTime() + expiresInS * 1000),
        };
      } catch (err) {
        throw fail('createUploadUrl', err);
      }
    },

    async createDownloadUrl(key, { expiresInS, filename }) {
      assertObjectKey(key);
      assertExpiresInS(expiresInS);
      const signingDate = new Date();
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        ...(filename === undefined
          ? {}
          : { ResponseContentDisposition: attachmentDisposition(filename) }),
      });
      try {
        const url = await getSignedUrl(presigner, command, { expiresIn: expiresInS, signingDate });
        return { url, expiresAt: new Date(signingDate.getTime() + expiresInS * 1000) };
      } catch (err) {
        throw fail('createDownloadUrl', err);
      }
    },

    async head(key) {
      assertObjectKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return {
          size: out.ContentLength ?? 0,
          ...(out.ContentType ? { contentType: out.ContentType } : {}),
          ...(out.ETag ? { etag: unquote(out.ETag) } : {}),
        };
      } catch (err) {
        if (isS3ObjectMissing(err)) return null;
        throw fail('head', err);
      }
    },

    async getStream(key, options = {}) {
      assertObjectKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }), {
          abortSignal: options.signal,
        });
        // In Node the SDK hands back the live http.IncomingMessage: nothing is buffered.
        if (!(out.Body instanceof Readable)) {
          throw new StorageError('getStream', 'response body is not a Node stream');
        }
        return out.Body;
      } catch (err) {
        throw err instanceof StorageError ? err : fail('getStream', err);
      }
    },

    async copy(fromKey, toKey) {
      assertObjectKey(fromKey);
      assertObjectKey(toKey);
      try {
        // CopySource is "<bucket>/<key>", URL-encoded per segment. The copy is of one version of
        // the source: a PUT racing it lands before or after, never half in the copy.
        const source = `${Bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
        await client.send(new CopyObjectCommand({ Bucket, Key: toKey, CopySource: source }));
      } catch (err) {
        throw fail('copy', err);
      }
      const info = await this.head(toKey);
      if (!info) throw new StorageError('copy', 'the copy is not readable after CopyObject');
      return info;
    },

    // The presigned PUT binds Content-Type and Content-Length: nothing to set on the bucket.
    async applyUploadPolicy() {},

    async delete(key) {
      assertObjectKey(key);
      try {
        // S3 answers 204 for a missing key too: idempotent by protocol.
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (err) {
        throw fail('delete', err);
      }
    },

    async check(signal) {
      try {
        await client.send(new HeadBucketCommand({ Bucket }), { abortSignal: signal });
      } catch (err) {
        throw fail(`check of bucket ${Bucket}`, err);
      }
    },

    async close() {
      client.destroy();
      if (presigner !== client) presigner.destroy();
    },
  };
}
