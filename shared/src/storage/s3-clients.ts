import { S3Client } from '@aws-sdk/client-s3';
import type { Tracer } from '@opentelemetry/api';
import { addS3Spans } from './s3-spans.ts';

export interface S3StorageConfig {
  /** Unset: AWS S3 for `region`. */
  endpoint?: string;
  /** Origin put into signed URLs when browsers reach the store elsewhere than the server does. */
  publicEndpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** TCP connect limit. Default 3000. */
  connectionTimeoutMs?: number;
  /** Limit until the response headers arrive (health, head, start of a download). Default 10000. */
  requestTimeoutMs?: number;
  /** Idle limit on an open socket, also while a download streams. Default 30000. */
  socketTimeoutMs?: number;
  /** SDK attempts per call (retries transient errors with backoff). Default 3. */
  maxAttempts?: number;
  /** With a tracer (tracing on), calls made inside a span get a child span (s3-spans.ts). */
  tracer?: Tracer;
}

export const S3_TIMEOUT_DEFAULTS = {
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 10_000,
  socketTimeoutMs: 30_000,
  maxAttempts: 3,
} as const;

export interface S3Clients {
  /** Sends every request. */
  client: S3Client;
  /** Only signs URLs (never sends): built on the public endpoint when there is one. */
  presigner: S3Client;
}

export function createS3Clients(cfg: S3StorageConfig): S3Clients {
  const base = {
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
    // The SDK's default (WHEN_SUPPORTED) bakes the CRC32 of an empty body into presigned PUT
    // URLs (x-amz-checksum-crc32=AAAAAA==), so AWS rejects every real upload through them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: cfg.maxAttempts ?? S3_TIMEOUT_DEFAULTS.maxAttempts,
  } as const;
  const client = new S3Client({
    ...base,
    ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
    requestHandler: {
      connectionTimeout: cfg.connectionTimeoutMs ?? S3_TIMEOUT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: cfg.requestTimeoutMs ?? S3_TIMEOUT_DEFAULTS.requestTimeoutMs,
      // Without it the handler only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      socketTimeout: cfg.socketTimeoutMs ?? S3_TIMEOUT_DEFAULTS.socketTimeoutMs,
    },
  });
  if (cfg.tracer) addS3Spans(client, cfg.tracer);
  const publicEndpoint = cfg.publicEndpoint ?? cfg.endpoint;
  const presigner =
    publicEndpoint && publicEndpoint !== cfg.endpoint
      ? new S3Client({ ...base, endpoint: publicEndpoint })
      : client;
  return { client, presigner };
}
