import { z } from 'zod';

export const uploadStatus = z.enum(['pending', 'uploaded', 'ready', 'rejected', 'failed']);
export type UploadStatus = z.infer<typeof uploadStatus>;

/** What the API accepts; served by GET /v1/uploads/limits so the web never duplicates them. */
export const uploadLimits = z.object({
  maxBytes: z.number().int().positive(),
  allowedTypes: z.array(z.string().min(1)).min(1),
});
export type UploadLimits = z.infer<typeof uploadLimits>;

// A type/subtype media type without parameters (RFC 6838 restricted names).
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// No control characters or path separators: a file name is a label, never a path. A regex
// (not a refine) so the OpenAPI document carries the rule as a `pattern`.
// eslint-disable-next-line no-control-regex
const PLAIN_FILENAME = /^[^\u0000-\u001f\u007f/\\]*$/;

export const createUploadRequest = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(PLAIN_FILENAME, 'must be a plain file name (no path separators or control characters)'),
  contentType: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .regex(MEDIA_TYPE, 'must be a media type such as image/png'),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type CreateUploadRequest = z.infer<typeof createUploadRequest>;

/**
 * The request schema with the server's limits applied: lets a client reject a file before it
 * asks (the API enforces the same rules and answers 422 with the same paths).
 */
export const createUploadRequestFor = (limits: UploadLimits) =>
  createUploadRequest.superRefine((v, ctx) => {
    if (!limits.allowedTypes.includes(v.contentType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contentType'],
        message: `type not allowed; allowed: ${limits.allowedTypes.join(', ')}`,
      });
    }
    if (v.size > limits.maxBytes) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `larger than the limit of ${limits.maxBytes} bytes`,
      });
    }
  });

export const createUploadResponse = z.object({
  id: z.uuid(),
  /** Signed URL the client sends the bytes to, directly (the API is not in the data path). */
  uploadUrl: z.url(),
  method: z.literal('PUT'),
  /** Headers the PUT must carry exactly (the signature binds them). */
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
});
export type CreateUploadResponse = z.infer<typeof createUploadResponse>;

export const uploadIdParams = z.strictObject({ id: z.uuid() });

export const upload = z.object({
  id: z.uuid(),
  filename: z.string().nullable(),
  contentType: z.string().nullable(),
  size: z.number().int().nullable(),
  status: uploadStatus,
  /** Why it was rejected or failed; null otherwise. */
  statusReason: z.string().nullable(),
  /** Hex SHA-256 of the stored bytes, once processed. */
  sha256: z.string().nullable(),
  /** Type sniffed from the bytes by the worker, once processed. */
  detectedType: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  processedAt: z.iso.datetime().nullable(),
  /** A pending upload not completed by then is removed (row and object). */
  expiresAt: z.iso.datetime(),
});
export type Upload = z.infer<typeof upload>;

export const listUploadsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque; the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListUploadsQuery = z.infer<typeof listUploadsQuery>;

export const listUploadsResponse = z.object({
  items: z.array(upload),
  nextCursor: z.string().nullable(),
});
export type ListUploadsResponse = z.infer<typeof listUploadsResponse>;

export const downloadUploadResponse = z.object({
  url: z.url(),
  expiresAt: z.iso.datetime(),
});
export type DownloadUploadResponse = z.infer<typeof downloadUploadResponse>;
