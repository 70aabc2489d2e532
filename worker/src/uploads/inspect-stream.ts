import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Enough for every magic-byte signature file-type knows (its "reasonable detection size"). */
export const SNIFF_BYTES = 4100;

export interface StreamInspection {
  /** Hex SHA-256 of every byte read. */
  sha256: string;
  size: number;
  /** The first SNIFF_BYTES bytes (fewer for a smaller object), for type sniffing. */
  head: Buffer;
}

/** The object grew past what was declared: stop reading instead of hashing gigabytes. */
export class ObjectTooLargeError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`object is larger than the ${limit} bytes expected`);
    this.name = 'ObjectTooLargeError';
    this.limit = limit;
  }
}

/**
 * Reads a stream once, chunk by chunk: hashes it, counts it and keeps only its first bytes.
 * Memory stays at one chunk plus SNIFF_BYTES whatever the object's size (never buffered whole).
 * With `maxBytes`, reading stops (and the source is destroyed) as soon as it is exceeded.
 * `onChunk` sees each chunk's length once it is hashed (e.g. readBufferRelease).
 */
export async function inspectStream(
  source: Readable,
  opts: { maxBytes?: number; onChunk?: (bytes: number) => void } = {},
): Promise<StreamInspection> {
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) {
        callback(new ObjectTooLargeError(opts.maxBytes));
        return;
      }
      hash.update(chunk);
      opts.onChunk?.(chunk.length);
      if (headLength < SNIFF_BYTES) {
        const part = chunk.subarray(0, SNIFF_BYTES - headLength);
        headChunks.push(part);
        headLength += part.length;
      }
      callback();
    },
  });
  // pipeline destroys the source on any error (ours or the network's), so no socket leaks.
  await pipeline(source, sink);
  return { sha256: hash.digest('hex'), size, head: Buffer.concat(headChunks, headLength) };
}
